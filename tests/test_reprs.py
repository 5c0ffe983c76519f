"""Events and toponyms print as one readable line, and as a small table in Jupyter."""
from __future__ import annotations

from geopy.location import Location

from geoevents.geoparsing import Toponym
from geoevents.events.record import Event


def mosul_event(**changes) -> Event:
    fields = dict(
        event_id="GE1AD78B3319AC9A", event_date="2017-07-10", time_precision=1, event_type="Battles",
        sub_event_type="Government regains territory", actor1="Military Forces of Iraq", actor2="Islamic State",
        location="Old City of Mosul", latitude=36.339, longitude=43.133, geo_precision=1, country="Iraq",
        iso3="IRQ", admin1="Nineveh", fatalities=3, notes="Iraqi forces retook the Old City <of> Mosul & more.",
        confidence=0.9, trigger="retook", article_id="euphrates-strikes-2017-07",
    )
    fields.update(changes)
    return Event(**fields)


def test_event_repr_is_one_line_with_the_essentials():
    text = repr(mosul_event())
    assert text == ("<Event 2017-07-10 Government regains territory (Battles) at Old City of Mosul, IRQ "
                    "(36.3390, 43.1330) · Military Forces of Iraq vs Islamic State · 3 killed · GE1AD78B3319AC9A>")
    assert "\n" not in text and "notes" not in text  # the sentence is for the HTML view and the frame


def test_event_repr_marks_imprecision_and_missing_parts():
    text = repr(mosul_event(time_precision=2, geo_precision=2, actor1=None, fatalities=0))
    assert text.startswith("<Event ~2017-07-10 ") and " near Old City of Mosul" in text
    assert "· ? vs Islamic State ·" in text and "killed" not in text
    bare = Event("GE2", None, None, "Strategic developments", "Other")
    assert repr(bare) == "<Event undated Other (Strategic developments) at unknown place (no coordinates) · GE2>"
    solo = repr(mosul_event(actor2=None, geo_precision=3, location="Nineveh", iso3=None))
    assert "· Military Forces of Iraq ·" in solo and " in Nineveh, Iraq (" in solo


def test_event_repr_leaves_equality_and_dicts_alone():
    a, b = mosul_event(), mosul_event()
    assert a == b and a.to_dict() == b.to_dict()
    assert Event.from_dict(a.to_dict()) == a
    assert repr([a]) == f"[{a!r}]"


def test_event_html_is_an_escaped_table():
    page = mosul_event(time_precision=2, geo_precision=2)._repr_html_()
    assert page.startswith("<table") and page.endswith("</table>")
    assert "about a week" in page and "near a town" in page
    assert "Old City of Mosul, Nineveh, Iraq" in page
    assert "&lt;of&gt; Mosul &amp; more" in page and "<of>" not in page
    assert "Battles / Government regains territory" in page
    # An event read back from a file with gaps still renders.
    assert "unknown" in Event("GE3", None, None, "Battles", "Armed clash", confidence=None)._repr_html_()


def mayadin(**changes) -> Toponym:
    place = Location("Al Mayādīn, Deir ez-Zor, Syria", (35.01982, 40.45154),
                     {"geonameid": 173480, "feature_class": "P", "feature_code": "PPL", "country_code": "SY"})
    fields = dict(text="Mayadin", start=22, end=29, label="GPE", place=place, confidence=0.9, candidates=[place])
    fields.update(changes)
    return Toponym(**fields)


def test_toponym_repr_names_the_text_span_and_place():
    assert repr(mayadin()) == ("<Toponym 'Mayadin' [22:29] GPE -> Al Mayādīn, Deir ez-Zor, Syria "
                               "(35.0198, 40.4515), confidence 0.90>")
    assert repr(mayadin(place=None, candidates=[], confidence=0.0)).endswith("-> no match, confidence 0.00>")
    assert ", metonymic ->" in repr(mayadin(metonymic=True))


def test_toponym_html_table():
    page = mayadin()._repr_html_()
    assert page.startswith("<table") and "Al Mayādīn, Deir ez-Zor, Syria" in page
    assert "P.PPL" in page and "173480" in page and "1 gazetteer candidate)" in page
    unresolved = mayadin(text="<Xqz>", place=None, candidates=[])._repr_html_()
    assert "no match" in unresolved and "&lt;Xqz&gt;" in unresolved
    assert "metonymic" in mayadin(metonymic=True)._repr_html_()
