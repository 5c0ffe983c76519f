"""The curated regions news names (world_regions.tsv from id -1031) and the admin-1 point corrections.

Each region's point is checked against towns the gazetteer has inside the region, each
region resolves to itself, and sentences naming several of them geoparse to their points.
"""
from __future__ import annotations

import importlib.util
import re
import sqlite3
from pathlib import Path

import pytest

from geoevents.distance import great_circle_km
from geoevents.gazetteer.sources import read_admin1_points

REPO = Path(__file__).resolve().parents[1]
FIRST_NEWS_REGION = -1031


def news_regions() -> dict[str, tuple[int, float, float, str]]:
    """name -> (id, latitude, longitude, country) of the world_regions.tsv rows from FIRST_NEWS_REGION on."""
    rows = {}
    for line in (REPO / "gazetteer" / "world_regions.tsv").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            cols = line.split("\t")
            if int(cols[0]) <= FIRST_NEWS_REGION:
                rows[cols[1]] = (int(cols[0]), float(cols[4]), float(cols[5]), cols[8])
    return rows


# Towns the gazetteer has inside each region, and how far from them the region's point may lie:
# about the region's half-width, so a point outside the region fails.
REFERENCES = {
    "Darfur": [("El Fasher", "SD", 150), ("Nyala", "SD", 250), ("Geneina", "SD", 300)],
    "Kordofan": [("El Obeid", "SD", 150), ("Kadugli", "SD", 200)],
    "Ogaden": [("Kebri Dahar", "ET", 100), ("Gode", "ET", 150)],
    "Great Rift Valley": [("Nakuru", "KE", 60), ("Naivasha", "KE", 100)],
    "Sahara": [("Sabha", "LY", 600), ("Bilma", "NE", 600)],
    "Nile Delta": [("Tanta", "EG", 40), ("Alexandria", "EG", 150)],
    "Lake Chad": [("Bol", "TD", 60)],
    "Kivu": [("Goma", "CD", 150), ("Bukavu", "CD", 150)],
    "Maghreb": [("Ghardaia", "DZ", 250)],
    "Sumatra": [("Padang", "ID", 200), ("Pekanbaru", "ID", 200)],
    "Java": [("Semarang", "ID", 100), ("Yogyakarta", "ID", 100)],
    "Borneo": [("Palangka Raya", "ID", 400), ("Samarinda", "ID", 400), ("Kuching", "MY", 450)],
    "Kalimantan": [("Palangka Raya", "ID", 250), ("Samarinda", "ID", 300)],
    "Sulawesi": [("Poso", "ID", 100), ("Palu", "ID", 200)],
    "New Guinea": [("Jayapura", "ID", 400), ("Mount Hagen", "PG", 400)],
    "Mindanao": [("Cagayan de Oro", "PH", 100), ("Davao", "PH", 150)],
    "Luzon": [("Baguio", "PH", 60), ("Manila", "PH", 250)],
    "Malay Peninsula": [("Ipoh", "MY", 150), ("Kota Bharu", "MY", 150)],
    "Indochina": [("Ubon Ratchathani", "TH", 150)],
    "Taiwan Strait": [("Xiamen", "CN", 200), ("Taichung", "TW", 150)],
    "Kurdistan": [("Duhok", "IQ", 80), ("Hakkari", "TR", 100)],
    "Kurdistan Region": [("Erbil", "IQ", 40), ("Duhok", "IQ", 150)],
    "Mesopotamia": [("Baghdad", "IQ", 80)],
    "Golan Heights": [("Quneitra", "SY", 30), ("Katzrin", "IL", 30)],
    "Hauran": [("Daraa", "SY", 40), ("Bosra", "SY", 50)],
    "Bekaa Valley": [("Zahle", "LB", 30), ("Baalbek", "LB", 30)],
    "Galilee": [("Nazareth", "IL", 30), ("Safed", "IL", 30)],
    "Negev": [("Beersheba", "IL", 70), ("Mitzpe Ramon", "IL", 40)],
    "Jordan Valley": [("Jericho", "PS", 30)],
    "Tihama": [("Hodeidah", "YE", 50), ("Zabid", "YE", 120)],
    "Anatolia": [("Kirsehir", "TR", 50)],
    "Nagorno-Karabakh": [("Stepanakert", "AZ", 40)],
    "South Ossetia": [("Tskhinvali", "GE", 25)],
    "Donbas": [("Donetsk", "UA", 100), ("Luhansk", "UA", 100)],
    "Siberia": [("Krasnoyarsk", "RU", 800)],
    "Ural Mountains": [("Serov", "RU", 100)],
    "Alps": [("Davos", "CH", 60), ("Chur", "CH", 80)],
    "Kashmir": [("Srinagar", "IN", 100), ("Muzaffarabad", "PK", 250), ("Leh", "IN", 250)],
    "Kashmir Valley": [("Srinagar", "IN", 20), ("Anantnag", "IN", 60)],
    "Himalayas": [("Pokhara", "NP", 50)],
    "Bengal": [("Jessore", "BD", 60), ("Dhaka", "BD", 120)],
    "Fergana Valley": [("Namangan", "UZ", 50), ("Fergana", "UZ", 60)],
    "Swat Valley": [("Mingora", "PK", 40)],
    "Waziristan": [("Wana", "PK", 50), ("Miranshah", "PK", 60)],
    "Patagonia": [("Comodoro Rivadavia", "AR", 200), ("Coyhaique", "CL", 300)],
    "Andes": [("Oruro", "BO", 120), ("La Paz", "BO", 200)],
    "Amazon Rainforest": [("Coari", "BR", 200), ("Manaus", "BR", 250)],
}


def test_every_news_region_has_towns_to_check_its_point_against():
    assert set(REFERENCES) == set(news_regions())
    assert len(REFERENCES) >= 40


@pytest.mark.parametrize("region", sorted(REFERENCES))
def test_region_point_lies_among_the_towns_inside_it(gazetteer, region):
    _gid, lat, lon, country = news_regions()[region]
    for town, cc, max_km in REFERENCES[region]:
        [place] = gazetteer.places(town, country=cc, feature_class="P", limit=1)
        assert great_circle_km(lat, lon, place.latitude, place.longitude) <= max_km, f"{region}: {town}"
        if country:  # a region given one country lies in it: its towns are that country's
            assert cc == country, f"{region}: {town} is in {cc}, not {country}"


@pytest.mark.parametrize("region", sorted(REFERENCES))
def test_region_resolves_to_itself(gazetteer, region):
    gid, lat, lon, country = news_regions()[region]
    found = gazetteer.geocode(region)
    assert found.raw["geonameid"] == gid and found.raw["source"] == "curated"
    assert (found.latitude, found.longitude) == pytest.approx((lat, lon))
    assert found.raw["country_code"] == country


# Sentences of our own naming several regions each, and the region each name must resolve to.
SENTENCES = [
    ("Fighting spread from Darfur to Kordofan as aid convoys crossed the Sahara from Libya.",
     ["Darfur", "Kordofan", "Sahara"]),
    ("Floods hit Sumatra and Java on Monday, while fires burned across Borneo and Sulawesi.",
     ["Sumatra", "Java", "Borneo", "Sulawesi"]),
    ("Shelling continued in the Donbas and in Nagorno-Karabakh, and troops massed on the Golan Heights.",
     ["Donbas", "Nagorno-Karabakh", "Golan Heights"]),
    ("Militants crossed from Waziristan into the Swat Valley overnight.", ["Waziristan", "Swat Valley"]),
    ("The drought in the Ogaden and the Great Rift Valley has displaced thousands, and locusts reached "
     "the Nile Delta.", ["Ogaden", "Great Rift Valley", "Nile Delta"]),
    ("Airstrikes hit the Hauran and the Bekaa Valley overnight, and rockets fell in the Galilee and the Negev.",
     ["Hauran", "Bekaa Valley", "Galilee", "Negev"]),
    ("Heavy snow fell across Siberia and the Urals, and storms closed passes in the Alps and the Himalayas.",
     ["Siberia", "Ural Mountains", "Alps", "Himalayas"]),
]


@pytest.mark.parametrize("text, regions", SENTENCES, ids=[r[0] for _t, r in SENTENCES])
def test_sentences_naming_regions_geoparse_to_their_points(geoparser, text, regions):
    resolved = {t.text: t.resolved for t in geoparser.geoparse(text)}
    rows = news_regions()
    for region in regions:
        name = "Urals" if region == "Ural Mountains" else region
        place = resolved.get(name)
        assert place is not None, f"{name!r} not found or not resolved in {text!r}"
        _gid, lat, lon, _cc = rows[region]
        assert great_circle_km(lat, lon, place.latitude, place.longitude) < 25, f"{name} -> {place.address}"


def test_the_readme_says_where_each_point_came_from():
    readme = (REPO / "gazetteer" / "README.md").read_text(encoding="utf-8")
    for region, (gid, _lat, _lon, _cc) in news_regions().items():
        row = re.search(rf"^\| {gid} \| {re.escape(region)} \|.*\|$", readme, re.MULTILINE)
        assert row, f"gazetteer/README.md has no table row for {gid} {region}"


# --- admin-1 points: GeoNames' own where the computed one is more than 100 km off ------------------


def test_admin1_corrections_are_the_points_the_index_stores(gazetteer):
    corrections = read_admin1_points()
    assert "CA.01" in corrections  # Alberta: the computed point was 298 km from GeoNames'
    with sqlite3.connect(f"file:{gazetteer.path}?mode=ro", uri=True) as conn:
        for key, point in corrections.items():
            cc, admin1 = key.split(".")
            stored = conn.execute("SELECT latitude, longitude FROM places WHERE feature_code = 'ADM1' "
                                  "AND country_code = ? AND admin1 = ?", (cc, admin1)).fetchall()
            assert stored == [pytest.approx(point)], key
    alberta = gazetteer.places("Alberta", country="CA", feature_class="A", limit=1)[0]
    assert (alberta.latitude, alberta.longitude) == pytest.approx(corrections["CA.01"])


def test_no_admin1_point_is_more_than_100_km_from_geonames(shared_data):
    spec = importlib.util.spec_from_file_location("region_points_error", REPO / "bench" / "region_points_error.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    from geoevents.gazetteer import region_points

    levels = bench.classify(region_points, bench.load_gold(shared_data / "geoparsing"))
    points = {**region_points.admin1_points(), **read_admin1_points()}
    gold = {}
    for _corpus, key, point in levels["admin1"]:
        gold.setdefault(key, point)
    far = {key: round(bench.haversine_km(points[key], point)) for key, point in gold.items()
           if bench.haversine_km(points[key], point) > 100}
    assert len(gold) >= 90 and far == {}
