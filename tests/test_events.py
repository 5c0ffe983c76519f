"""Event extraction on whole articles: the project's own example articles, the API, and hostile text."""
from __future__ import annotations

import datetime
import math
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geoevents.text import read_articles
from geoevents import example_articles
from geoevents.events.record import EVENT_FIELDS, is_valid_type_pair

SHARED_ARTICLE = Path(__file__).resolve().parents[2] / "shared" / "data" / "articles" / \
    "coalition-strikes-euphrates.txt"


def example(name: str):
    path = next(p for p in example_articles() if p.name.startswith(name))
    return next(iter(read_articles(path)))


def at(events, place_word: str, sub_type: str | None = None):
    return [e for e in events if e.location and place_word.lower() in e.location.lower()
            and (sub_type is None or e.sub_event_type == sub_type)]


def test_home_scenario_on_the_projects_own_article(extractor):
    article = example("euphrates-strikes")
    assert article.published == datetime.date(2017, 7, 11)  # from the dateline
    events = extractor.extract_article(article)
    strikes = [e for e in events if e.sub_event_type == "Air/drone strike"]
    for town in ("Kamal", "Mayadin"):
        found = at(strikes, town)
        assert found, f"no air strike at {town}: {[(e.location, e.sub_event_type) for e in events]}"
        assert found[0].actor1 == "Global Coalition Against Daesh"
        assert found[0].actor2 == "Islamic State (Syria)"
        assert found[0].geo_precision == 1
        assert found[0].event_date == "2017-07-11" and found[0].time_precision == 1  # "on Tuesday"
    mosul = at(events, "Mosul", "Government regains territory")
    assert mosul and mosul[0].event_date == "2017-07-10" and mosul[0].time_precision == 1
    assert mosul[0].event_type == "Battles"
    assert at(events, "Raqqa"), "nothing placed in Raqqa"
    assert not at(events, "Washington")


def test_second_example_article(extractor):
    events = extractor.extract_article(example("raqqa-mayadin"))
    raqqa = at(events, "Raqqa")
    assert raqqa and raqqa[0].sub_event_type == "Non-state actor overtakes territory"
    assert raqqa[0].actor1 == "QSD: Syrian Democratic Forces"
    assert raqqa[0].event_date == "2017-10-17"
    mayadin = at(events, "Mayadin", "Government regains territory")
    assert mayadin and mayadin[0].actor1 == "Military Forces of Syria (2000-2024)"
    assert mayadin[0].event_date == "2017-10-14"
    assert mayadin[0].fatalities == 12  # "dozens of militants were killed"
    assert not at(events, "Ain Issa")  # "would not go back until the mines ... were cleared"
    assert not at(events, "Washington")


def test_records_carry_every_field_and_stable_ids(extractor):
    article = example("euphrates-strikes")
    first = extractor.extract_article(article)
    again = extractor.extract_article(article)
    assert [e.event_id for e in first] == [e.event_id for e in again]
    assert len({e.event_id for e in first}) == len(first)
    for e in first:
        assert list(e.to_dict()) == list(EVENT_FIELDS)
        assert e.notes and e.trigger and e.article_id == article.id
        assert e.published == "2017-07-11"


def test_without_a_publication_date_only_explicit_dates_count(extractor):
    text = ("Coalition aircraft struck Islamic State positions in Mayadin on Thursday. "
            "On July 10, 2017, Iraqi forces retook the Old City of Mosul.")
    events = extractor.extract(text)
    strike = at(events, "Mayadin")[0]
    assert strike.event_date is None and strike.time_precision is None
    mosul = at(events, "Mosul")[0]
    assert mosul.event_date == "2017-07-10" and mosul.time_precision == 1
    dated = extractor.extract(text, published="2017-07-14")  # a Friday
    assert at(dated, "Mayadin")[0].event_date == "2017-07-13"


def test_a_sentence_without_a_place_falls_back_coarser(extractor):
    text = ("Islamic State fighters clashed with Syrian troops in Deir ez-Zor on Monday.\n\n"
            "Separately, gunmen abducted two journalists, the monitoring group said.")
    events = extractor.extract(text, published="2017-09-06")
    abduction = [e for e in events if e.sub_event_type == "Abduction/forced disappearance"]
    assert abduction and abduction[0].location is not None
    assert abduction[0].geo_precision in (2, 3)


def test_api_functions_are_exported():
    import geoevents

    assert callable(geoevents.extract_events) and callable(geoevents.events_frame)


@pytest.mark.skipif(not SHARED_ARTICLE.is_file(), reason="../shared is not beside this clone")
def test_home_scenario_on_the_wire_story(extractor):
    events = extractor.extract_article(next(iter(read_articles(SHARED_ARTICLE))))
    strikes = [e for e in events if e.sub_event_type == "Air/drone strike"]
    for town in ("Kamal", "Mayadin"):
        found = at(strikes, town)
        assert found, f"no strike at {town}: {[(e.location, e.sub_event_type) for e in events]}"
        assert found[0].actor1 == "Global Coalition Against Daesh" and found[0].actor2 == "Islamic State (Syria)"
    mosul = at(events, "Mosul", "Government regains territory")
    assert mosul and mosul[0].event_date == "2017-07-10" and mosul[0].time_precision == 1
    assert at(events, "Raqqa")
    assert not at(events, "Pentagon")
    assert not at(strikes, "Elbasan")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=400))
def test_arbitrary_text_never_crashes_and_events_are_well_formed(extractor, text):
    for e in extractor.extract(text, published="2017-07-11"):
        assert is_valid_type_pair(e.event_type, e.sub_event_type)
        if e.latitude is not None:
            assert -90 <= e.latitude <= 90 and -180 <= e.longitude <= 180
            assert not math.isnan(e.latitude)
        assert e.event_date is None or datetime.date.fromisoformat(e.event_date)
        assert e.fatalities >= 0


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from([
    "Coalition jets struck Abu Kamal on Tuesday.", "Dozens were killed.", "ISIS fighters seized Hajin.",
    "Protesters rallied in Basra.", "\u202e", "<script>alert(1)</script>", "in", "Mosul", "\n\n", "12",
    "Syrian troops retook Mayadin, Syria.", "A bomb exploded near the Tabqa Dam.",
    "The group attacked Islamic State positions.", "Islamic State militants clashed with the group.",
]), max_size=12))
def test_conflict_like_text_gives_valid_events(extractor, parts):
    for e in extractor.extract(" ".join(parts)):
        assert is_valid_type_pair(e.event_type, e.sub_event_type)
        assert e.actor2 is None or e.actor2 != e.actor1
        assert e.event_date is None or datetime.date.fromisoformat(e.event_date)
        if e.latitude is not None:
            assert -90 <= e.latitude <= 90 and -180 <= e.longitude <= 180


def _what_where(events):
    return sorted((e.location, e.sub_event_type, e.fatalities) for e in events)


@pytest.mark.parametrize("text, expected", [
    # Two reports joined in a headline: each event at the place its own clause names.
    ("Heavy clashes in Ariha and renewed air raids on Saraqib",
     [("Ariha", "Armed clash", 0), ("Saraqib", "Air/drone strike", 0)]),
    # ... with each clause's own death toll
    ("Clashes in Ariha killed two fighters, and air raids on Saraqib killed five civilians.",
     [("Ariha", "Armed clash", 2), ("Saraqib", "Air/drone strike", 5)]),
    # ... where the parse joined them as one noun phrase
    ("A blast in the western countryside of Idlib and clashes in districts of Deir Ezzor city",
     [("Deir ez-Zor", "Armed clash", 0), ("Idlib", "Remote explosive/landmine/IED", 0)]),
    # ... where the clause's place hangs off "go on", not the event word
    ("Government forces shell villages near Hama and clashes go on in the Eastern Ghouta",
     [("Eastern Ghouta", "Armed clash", 0), ("Hamah", "Shelling/artillery/missile attack", 0)]),
])
def test_each_report_of_a_headline_is_placed_by_its_own_clause(extractor, text, expected):
    assert _what_where(extractor.extract(text, published="2017-06-01")) == expected


def test_coordinated_words_sharing_places_stay_one_report(extractor):
    # One toll for the strike on both towns, not one per clause after "and".
    events = extractor.extract("Warplanes struck Abu Kamal and Mayadin, killing 12 people.", published="2017-06-01")
    assert {e.location for e in events} == {"Albu Kamal", "Al Mayadin"}
    assert {e.sub_event_type for e in events} == {"Air/drone strike"} and sum(e.fatalities for e in events) == 12
    events = extractor.extract("Government forces shelled and stormed Kafr Nabl.", published="2017-06-01")
    assert events and {e.location for e in events} == {"Kafranbel"}
    # A question or a condition covers every clause: no events.
    for text in ("Did warplanes strike Saraqib and did rebels shell Ariha?",
                 "If warplanes strike Saraqib and rebels shell Ariha, the truce will collapse."):
        assert extractor.extract(text, published="2017-06-01") == []


def test_a_report_ending_in_its_attribution_keeps_its_places(extractor):
    # The parse hangs the opening places from "reported"; they are still where the strikes were.
    events = extractor.extract("Near Saraqib and Ariha, a dozen fighters died on Monday in air strikes, "
                               "a monitoring group reported.", published="2017-06-01")
    assert {(e.location, e.sub_event_type) for e in events} == {("Saraqib", "Air/drone strike"),
                                                                ("Ariha", "Air/drone strike")}
    # Where it was said is still not where it happened.
    events = extractor.extract("The strikes hit Raqqa, the spokesman told reporters at the Pentagon.",
                               published="2017-06-01")
    assert [e.location for e in events] == ["Ar Raqqah"]


def test_an_attack_from_afar_happens_where_it_lands(extractor):
    # Where the warships were is not where the missiles struck (ACLED codes the target).
    text = ("Army units reached the besieged garrison in Deir ez-Zor on Tuesday. Russian warships in the "
            "Mediterranean fired cruise missiles at militant positions around the city, the ministry said.")
    events = extractor.extract(text, published="2017-09-06")
    strikes = [e for e in events if e.event_type == "Explosions/Remote violence"]
    assert strikes and all(e.location == "Deir ez-Zor" for e in strikes), events
