"""Places in a country the article gives no evidence for: a namesake far away yields to a place the
article supports, what remains is flagged, and an analyst's focus is a prior, not a filter."""
from __future__ import annotations

import pytest

from geoevents.events.record import EVENT_FIELDS, FAR_FROM_ARTICLE
from geoevents.geoparsing.geoparser import focus_countries


def _where(geoparser, text: str, name: str):
    [t] = [t for t in geoparser.geoparse(text) if t.text == name]
    return t


@pytest.mark.parametrize("text, name, country", [
    # Sousse (Tunisia) and As Sukhnah (Yemen) are the gazetteer's first readings of these names.
    ("Fighting raged near Susah, near the Iraqi border, as Syrian troops advanced.", "Susah", "SY"),
    ("Government troops advanced on Sukhnah on Tuesday, after taking Arak.", "Sukhnah", "SY"),
    ("Clashes broke out in Susah and Baghouz.", "Susah", "SY"),
])
def test_a_namesake_far_from_the_articles_places_yields_to_one_it_supports(geoparser, text, name, country):
    t = _where(geoparser, text, name)
    assert t.resolved.country_code == country
    assert not t.far_from_others


def test_strong_evidence_keeps_a_far_place_the_text_itself_gives(geoparser):
    # A container says where the name is, however far from the article's other places.
    text = "Protesters marched in Damascus and Aleppo, while a vigil was held in Palmyra, Pennsylvania."
    t = _where(geoparser, text, "Palmyra")
    assert t.resolved.country_code == "US" and not t.far_from_others


def test_a_far_place_with_no_supported_alternative_is_flagged(extractor, geoparser):
    # "Russian" names Russia; no Palmyra lies within reach of it, so the pick stands, flagged.
    assert _where(geoparser, "Russian jets bombed Palmyra on Sunday.", "Palmyra").far_from_others
    # Only Tunisia has a Monastir; the article is otherwise about Syria.
    text = "Air strikes hit Monastir on Monday, a day after shelling in Raqqa and Deir ez-Zor."
    events = extractor.extract(text, published="2018-03-05")
    flagged = [e for e in events if e.place_check == FAR_FROM_ARTICLE]
    assert [e.country for e in flagged] == ["Tunisia"]
    assert all(e.place_check is None for e in events if e.country == "Syria")
    assert EVENT_FIELDS.index("place_check") == EVENT_FIELDS.index("published") + 1


def test_focus_is_a_prior_on_resolution(geoparser):
    text = "Air strikes hit Palmyra on Sunday."
    assert _where(geoparser, text, "Palmyra").resolved.country_code != "SY"  # no evidence: a US town
    focused = geoparser.with_focus("SY,IQ")
    assert _where(focused, text, "Palmyra").resolved.country_code == "SY"
    # A prior, not a filter: what the text says still wins.
    assert _where(focused, "Floods hit Paris, France on Sunday.", "Paris").resolved.country_code == "FR"


def test_focus_codes_are_iso2_or_iso3_and_a_bad_one_is_one_line():
    assert focus_countries("SY, iq") == focus_countries(["SYR", "IRQ"]) == {"SY", "IQ"}
    with pytest.raises(ValueError, match="'XX' is not an ISO country code"):
        focus_countries("SY,XX")


def test_cli_focus_flag(cache_dir, gazetteer, tmp_path):
    from test_cli import run

    article = tmp_path / "a.txt"
    article.write_text("Air strikes hit Palmyra on Sunday.\n", encoding="utf-8")
    result = run(["parse", str(article), "--focus", "SY,IQ", "--published", "2017-03-05", "--json", "-q"], cache_dir)
    assert result.returncode == 0, result.stderr
    assert '"Syria"' in result.stdout and "United States" not in result.stdout
    bad = run(["parse", str(article), "--focus", "Narnia", "-q"], cache_dir)
    assert bad.returncode == 2 and bad.stderr.strip().count("\n") == 0 and "Narnia" in bad.stderr


@pytest.mark.parametrize("text, precision", [
    ("Government shelling hit the Idlib countryside on Monday.", 2),
    ("Clashes continued in Aleppo's western countryside.", 2),
    ("The army shelled the Daraa countryside.", 2),   # Daraa the province: part of a region
    ("Shelling hit the countryside of Daraa.", 2),
    ("Shelling hit rural Daraa.", 2),
    ("Shelling hit Mayadin on Monday.", 1),
])
def test_the_countryside_of_a_place_is_near_it(extractor, text, precision):
    [event] = extractor.extract(text, published="2018-02-02")
    assert event.geo_precision == precision, event


# -- the event's own place, as specific as the text says -------------------------------------

@pytest.mark.parametrize("text, name, near", [
    ("Warplanes struck Kafr Hamra village in the Aleppo countryside on Monday.", "Kafr Hamra", "Aleppo"),
    ("Clashes erupted in the village of Umm al-Kouf in the Idlib countryside.", "Umm al-Kouf", "Idlib"),
    ("Turkish drones struck Qaramokh, a village near Kobani.", "Qaramokh", "Kobani"),
])
def test_a_village_the_gazetteer_lacks_keeps_its_name_and_takes_the_point_of_the_finest_place_known(
        extractor, geoparser, text, name, near):
    from geoevents.events.record import PLACE_NOT_FOUND

    [event] = extractor.extract(text, published="2018-02-02")
    assert (event.location, event.place_check, event.geo_precision) == (name, PLACE_NOT_FOUND, 2)
    assert event.geonameid is None  # the point is the stand-in's, the id would claim more
    [stand_in] = [t for t in geoparser.geoparse(text) if t.resolved is not None]
    assert (event.latitude, event.longitude) == (stand_in.latitude, stand_in.longitude)
    assert stand_in.text == near
