"""Events as a GeoDataFrame and as GeoJSON / CSV / GeoParquet / GeoPackage files, read back unchanged."""
from __future__ import annotations

import csv
import datetime as dt
import json
import logging
import math
import os
import sqlite3

import geopandas as gpd
import pandas as pd
import pyarrow as pa
import pyogrio
import pytest
from shapely.geometry import Point

from geoevents.io import formats as export
from geoevents.io import events_frame, read_events, read_frame, write_events
from geoevents.io.checks import COORD_CHECK, coordinate_checks
from geoevents.io.frame import flag_misplaced
from geoevents.events.record import EVENT_FIELDS, Event

ABU_KAMAL = (34.45226, 40.91854)
MAYADIN = (35.0207, 40.4527)
RAQQA = (35.9528, 39.0079)


def make_event(event_id="GE00000000000001", place="Abu Kamal", coords=ABU_KAMAL, **fields) -> Event:
    values = {
        "event_id": event_id, "event_date": "2017-10-12", "time_precision": 1,
        "event_type": "Explosions/Remote violence", "sub_event_type": "Air/drone strike",
        "actor1": "Military Forces of Russia (2000-)", "actor2": "Islamic State (Syria)",
        "location": place, "latitude": coords[0] if coords else None, "longitude": coords[1] if coords else None,
        "geo_precision": 1, "country": "Syria", "iso3": "SYR", "admin1": "Deir ez-Zor", "admin2": "Al Bukamal",
        "fatalities": 4, "source": "Syrian Observatory", "source_url": "https://example.org/sohr/1",
        "notes": "On 12 October 2017, air strikes hit Abu Kamal (Deir ez-Zor). 4 fatalities.",
        "geonameid": 172515, "confidence": 0.82, "trigger": "air strikes", "article_id": "sohr-2017-10-12",
        "published": "2017-10-13",
    }
    values.update(fields)
    return Event(**values)


def sample_events() -> list[Event]:
    return [
        make_event(),
        make_event("GE00000000000002", "Mayadin", MAYADIN, event_type="Battles", sub_event_type="Armed clash",
                   actor2=None, fatalities=0, notes='Clashes near "Mayadin", شرق دير الزور;\nsecond line, with a comma',
                   geo_precision=2, admin2=None, geonameid=None, published="2017-10-13T08:30:00+03:00"),
        # no place and no date: both must survive every format as None
        make_event("GE00000000000003", None, None, event_date=None, time_precision=None, geo_precision=None,
                   country=None, iso3=None, admin1=None, admin2=None, geonameid=None, source=None,
                   source_url=None, article_id=None, published=None, notes="", trigger=""),
        make_event("GE00000000000004", "Raqqa", RAQQA, event_date="2017-10-17", event_type="Strategic developments",
                   sub_event_type="Non-violent transfer of territory", actor1="SDF", actor2=None, fatalities=0,
                   admin1="Raqqa", admin2="Raqqa", geonameid=163915, confidence=0.5),
    ]


# --- the frame ----------------------------------------------------------------------------------

def test_frame_has_acled_columns_points_and_wgs84():
    frame = events_frame(sample_events())
    assert list(frame.columns) == [*EVENT_FIELDS, COORD_CHECK, "geometry"]
    assert frame.crs.to_epsg() == 4326
    assert frame.geometry.iloc[0].equals(Point(ABU_KAMAL[1], ABU_KAMAL[0]))    # x = lon, y = lat
    assert frame.geometry.iloc[2] is None                                      # no coordinates, no point
    assert frame.loc[0, "location"] == "Abu Kamal"


def test_frame_dtypes():
    frame = events_frame(sample_events())
    for name in ("time_precision", "geo_precision", "geonameid"):
        assert frame[name].dtype == "Int64"
    assert frame["fatalities"].dtype == "int64"
    assert frame["latitude"].dtype == "float64" and frame["confidence"].dtype == "float64"
    assert frame["event_date"].dtype == pd.ArrowDtype(pa.date32())
    assert frame["event_date"].tolist()[0] == dt.date(2017, 10, 12)
    assert frame["event_date"].isna().tolist() == [False, False, True, False]
    assert frame["event_date"].dt.year.tolist()[0] == 2017
    assert pd.api.types.is_string_dtype(frame["notes"].dtype)
    assert frame["geonameid"].isna().tolist() == [False, True, True, False]


def test_empty_frame_keeps_columns_dtypes_and_crs():
    empty, full = events_frame([]), events_frame(sample_events())
    assert len(empty) == 0
    assert list(empty.columns) == list(full.columns)
    assert empty.crs.to_epsg() == 4326
    assert empty.drop(columns="geometry").dtypes.to_dict() == full.drop(columns="geometry").dtypes.to_dict()


def test_frame_from_dicts_matches_frame_from_events():
    events = sample_events()
    dicts = [e.to_dict() for e in events]
    dicts[0]["event_date"] = dt.date(2017, 10, 12)     # a date object is accepted too
    dicts[0]["unknown_key"] = "ignored"
    del dicts[3]["trigger"]                             # missing keys take the Event defaults
    expected = events_frame(events)
    expected.loc[3, "trigger"] = ""
    pd.testing.assert_frame_equal(pd.DataFrame(events_frame(dicts)), pd.DataFrame(expected))


def test_bad_event_date_is_refused():
    with pytest.raises(ValueError, match="not an ISO date"):
        events_frame([make_event(event_date="October 2017")])


# --- files --------------------------------------------------------------------------------------

@pytest.mark.parametrize("suffix", [".gpkg", ".geojson", ".csv", ".parquet"])
def test_every_format_reads_back_every_field(tmp_path, suffix):
    events = sample_events()
    path = write_events(events, tmp_path / f"events{suffix}")
    assert path.is_file()
    assert read_events(path) == events


@pytest.mark.parametrize("suffix", [".gpkg", ".geojson", ".csv", ".parquet"])
def test_no_events_still_writes_a_readable_file(tmp_path, suffix):
    path = write_events([], tmp_path / f"none{suffix}")
    assert path.is_file()
    assert read_events(path) == []


def test_geojson_is_rfc7946(tmp_path):
    path = write_events(sample_events(), tmp_path / "events.geojson")
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["type"] == "FeatureCollection"
    assert "crs" not in doc                                       # RFC 7946: WGS 84 implied, no crs member
    first = doc["features"][0]
    assert first["geometry"] == {"type": "Point", "coordinates": [ABU_KAMAL[1], ABU_KAMAL[0]]}   # lon, lat
    assert first["properties"]["event_date"] == "2017-10-12"
    assert list(first["properties"]) == [*EVENT_FIELDS, COORD_CHECK]
    assert doc["features"][2]["geometry"] is None
    assert doc["features"][2]["properties"]["event_date"] is None


def test_csv_has_acled_columns_and_no_geometry(tmp_path):
    path = write_events(sample_events(), tmp_path / "events.csv")
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == [*EVENT_FIELDS, COORD_CHECK]          # latitude/longitude columns, no WKT
    assert rows[0]["event_date"] == "2017-10-12"
    assert (float(rows[0]["latitude"]), float(rows[0]["longitude"])) == ABU_KAMAL
    assert rows[1]["notes"].startswith('Clashes near "Mayadin", شرق دير الزور')
    assert rows[2]["latitude"] == "" and rows[2]["event_date"] == "" and rows[2]["geonameid"] == ""


def test_parquet_is_geoparquet(tmp_path):
    path = write_events(sample_events(), tmp_path / "events.parquet")
    frame = gpd.read_parquet(path)
    assert frame.crs.to_epsg() == 4326
    assert frame.geometry.iloc[0].equals(Point(ABU_KAMAL[1], ABU_KAMAL[0]))
    assert list(frame.columns) == [*EVENT_FIELDS, COORD_CHECK, "geometry"]


def test_gpkg_written_through_the_store_opens_in_gdal(tmp_path):
    path = write_events(sample_events(), tmp_path / "events.gpkg")
    info = pyogrio.read_info(path, layer="events")
    assert info["driver"] == "GPKG" and info["geometry_type"] == "Point"
    assert info["crs"] == "EPSG:4326" and info["features"] == 4
    types = dict(zip(info["fields"], info["ogr_types"]))
    assert types["event_date"] == "OFTDate"
    assert types["time_precision"] == "OFTInteger64" and types["latitude"] == "OFTReal"


def test_format_argument_overrides_the_suffix(tmp_path):
    path = write_events(sample_events()[:1], tmp_path / "events.txt", format="csv")
    assert path.read_text(encoding="utf-8").startswith("event_id,event_date,")


def test_unknown_suffix_is_refused(tmp_path):
    target = tmp_path / "events.xyz"
    with pytest.raises(ValueError) as info:
        write_events(sample_events(), target)
    assert str(info.value) == f"{target}: unknown output format '.xyz' (use .gpkg, .geojson, .csv or .parquet)"
    assert not target.exists()


@pytest.mark.parametrize("suffix,writer", [(".csv", "_write_csv"), (".geojson", "_write_geojson"),
                                           (".parquet", "_write_parquet")])
def test_a_failed_overwrite_leaves_the_old_file(tmp_path, monkeypatch, suffix, writer):
    path = write_events(sample_events()[:2], tmp_path / f"events{suffix}")
    before = path.read_bytes()
    real = getattr(export, writer)

    def crash_midway(frame, tmp, layer):
        real(frame, tmp, layer)              # a complete temporary file...
        with open(tmp, "ab") as f:
            f.write(b"half a row")           # ...then half of something more, then the crash
        raise KeyboardInterrupt

    monkeypatch.setattr(export, writer, crash_midway)
    with pytest.raises(KeyboardInterrupt):
        write_events(sample_events(), path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]   # no temporary left behind
    monkeypatch.undo()
    assert len(read_events(path)) == 2


def test_overwrite_replaces_content_and_keeps_permissions(tmp_path):
    path = write_events(sample_events(), tmp_path / "events.geojson")
    os.chmod(path, 0o640)
    write_events(sample_events()[:1], path)
    assert [e.event_id for e in read_events(path)] == ["GE00000000000001"]
    assert path.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["events.geojson"]


def test_reading_a_missing_or_foreign_file(tmp_path):
    from geoevents.io import StoreError

    with pytest.raises(FileNotFoundError):
        read_events(tmp_path / "absent.geojson")
    other = tmp_path / "other.csv"
    other.write_text("name,value\nMosul,1\n", encoding="utf-8")
    with pytest.raises(StoreError, match="no event_id column"):
        read_events(other)


# --- what QGIS sees: every export read back through GDAL -----------------------------------------

def events_bounds(events) -> tuple[float, float, float, float]:
    placed = [e for e in events if e.latitude is not None]
    return (min(e.longitude for e in placed), min(e.latitude for e in placed),
            max(e.longitude for e in placed), max(e.latitude for e in placed))


def gdal_types(path, **kwargs) -> dict[str, str]:
    info = pyogrio.read_info(path, **kwargs)
    return dict(zip(info["fields"], info["ogr_types"]))


def test_geojson_coordinates_ids_and_property_types(tmp_path):
    events = sample_events()
    events[0] = make_event(coords=(34.452261234567, 40.918541987654))
    path = write_events(events, tmp_path / "events.geojson")
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert "crs" not in doc
    assert doc["features"][0]["geometry"]["coordinates"] == [40.918542, 34.452261]   # lon, lat, 6 decimals
    assert [f["id"] for f in doc["features"]] == [e.event_id for e in events]        # string ids = event_id
    assert all(isinstance(f["id"], str) for f in doc["features"])
    for name in [*EVENT_FIELDS, COORD_CHECK]:                    # one JSON type per property (or null)
        kinds = {type(f["properties"][name]).__name__ for f in doc["features"]} - {"NoneType"}
        assert len(kinds) <= 1, (name, kinds)
    assert {f["properties"]["latitude"].__class__ for f in doc["features"] if f["properties"]["latitude"]} == {float}


def test_geojson_read_by_gdal(tmp_path):
    events = sample_events()
    path = write_events(events, tmp_path / "events.geojson")
    info = pyogrio.read_info(path, force_total_bounds=True)
    types = dict(zip(info["fields"], info["ogr_types"]))
    assert info["features"] == len(events) and info["geometry_type"] == "Point"
    assert info["crs"] == "EPSG:4326"
    assert types["event_date"] == "OFTDate"                      # QGIS shows a Date field
    assert types["latitude"] == types["longitude"] == types["confidence"] == "OFTReal"
    assert types["fatalities"] == types["time_precision"] == types["geonameid"] == "OFTInteger"
    assert types["event_id"] == types["notes"] == types[COORD_CHECK] == "OFTString"
    assert info["total_bounds"] == pytest.approx(events_bounds(events))
    df = pyogrio.read_dataframe(path)
    assert df["event_id"].tolist() == [e.event_id for e in events]
    assert tuple(df.total_bounds) == pytest.approx(events_bounds(events))


def test_gpkg_read_by_gdal_has_a_spatial_index_and_dates(tmp_path):
    events = sample_events()
    path = write_events(events[:2], tmp_path / "events.gpkg")
    write_events(events, path)                                   # a second append rewrites the layer
    info = pyogrio.read_info(path, layer="events", force_total_bounds=True)
    types = dict(zip(info["fields"], info["ogr_types"]))
    assert info["features"] == len(events)
    assert types["event_date"] == "OFTDate" and types[COORD_CHECK] == "OFTString"
    assert info["total_bounds"] == pytest.approx(events_bounds(events))
    assert list(info["fields"][:len(EVENT_FIELDS) + 1]) == [*EVENT_FIELDS, COORD_CHECK]
    with sqlite3.connect(path) as db:
        ext = db.execute("SELECT table_name, column_name, extension_name FROM gpkg_extensions "
                         "WHERE extension_name = 'gpkg_rtree_index'").fetchall()
        tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        geometry_column = ext[0][1] if ext else None
        assert ext and ext[0][0] == "events"
        rtree = f"rtree_events_{geometry_column}"
        assert rtree in tables
        assert db.execute(f"SELECT count(*) FROM {rtree}").fetchone()[0] == 3     # one entry per point
        date_type = db.execute("SELECT type FROM pragma_table_info('events') WHERE name = 'event_date'").fetchone()
    assert date_type == ("DATE",)


def test_csv_read_by_gdal(tmp_path):
    events = sample_events()
    path = write_events(events, tmp_path / "events.csv")
    options = {"X_POSSIBLE_NAMES": "longitude", "Y_POSSIBLE_NAMES": "latitude", "AUTODETECT_TYPE": "YES",
               "KEEP_GEOM_COLUMNS": "YES"}
    info = pyogrio.read_info(path, force_total_bounds=True, **options)
    types = dict(zip(info["fields"], info["ogr_types"]))
    assert list(info["fields"]) == [*EVENT_FIELDS, COORD_CHECK]
    assert info["features"] == len(events)
    assert types["event_date"] == "OFTDate" and types["latitude"] == "OFTReal"
    assert types["fatalities"] == "OFTInteger"
    assert info["total_bounds"] == pytest.approx(events_bounds(events))


def test_parquet_is_geoparquet_with_bounds(tmp_path):
    import pyarrow.parquet as pq

    events = sample_events()
    path = write_events(events, tmp_path / "events.parquet")
    geo = json.loads(pq.read_schema(path).metadata[b"geo"])
    assert geo["primary_column"] == "geometry"
    assert geo["columns"]["geometry"]["encoding"] == "WKB"
    assert tuple(geo["columns"]["geometry"]["bbox"]) == pytest.approx(events_bounds(events))
    table = pq.read_table(path)
    assert table.schema.field("event_date").type == pa.date32()
    assert table.schema.names == [*EVENT_FIELDS, COORD_CHECK, "geometry"]
    if "Parquet" in pyogrio.list_drivers():                      # GDAL builds with Arrow read it too
        info = pyogrio.read_info(path, force_total_bounds=True)
        assert info["features"] == len(events)
        assert info["total_bounds"] == pytest.approx(events_bounds(events))


# --- coordinates that are not in the event's country are flagged -----------------------------------

JARABULUS = (36.8175, 38.0111)        # on the Turkish border
MOSUL = (36.335, 43.119)


def test_coordinate_checks():
    nan = math.nan
    checks = coordinate_checks(
        [ABU_KAMAL[0], ABU_KAMAL[1], JARABULUS[0], MOSUL[0], MOSUL[0], MOSUL[0], nan, 95.0, MOSUL[0]],
        [ABU_KAMAL[1], ABU_KAMAL[0], JARABULUS[1], MOSUL[1], MOSUL[1], MOSUL[1], 40.0, 40.0, MOSUL[1]],
        ["SYR", "SYR", "SYR", "SYR", None, "IRQ", "SYR", "SYR", None],
        ["Syria", "Syria", "Syria", "Syria", "Iraq", None, "Syria", "Syria", "Atlantis"])
    assert checks.tolist() == ["ok", "swapped lat/lon?", "ok", "outside country", "ok", "ok",
                               "no coordinates", "outside country", "unknown country"]


def test_border_margin():
    # Karkamis, Turkey, 2 km over the border from Jarabulus: inside the 25 km margin; Gaziantep, 50 km: outside.
    assert coordinate_checks([36.834, 37.066], [37.999, 37.383], ["SYR", "SYR"], [None, None]).tolist() == [
        "ok", "outside country"]


def test_misplaced_events_are_flagged_in_every_format_and_logged(tmp_path, caplog):
    events = [make_event(),
              make_event("GE00000000000002", "Mayadin", (MAYADIN[1], MAYADIN[0])),     # lat/lon swapped
              make_event("GE00000000000003", "Mosul", MOSUL),                        # Iraq, said to be Syria
              make_event("GE00000000000004", None, None)]
    expected = ["ok", "swapped lat/lon?", "outside country", "no coordinates"]
    assert flag_misplaced(events)[COORD_CHECK].tolist() == expected
    for suffix in (".geojson", ".csv", ".parquet", ".gpkg"):
        caplog.clear()
        with caplog.at_level(logging.WARNING, logger="geoevents.io.checks"):
            path = write_events(events, tmp_path / f"events{suffix}")
        warned = " ".join(r.getMessage() for r in caplog.records)
        assert "GE00000000000002" in warned and "GE00000000000003" in warned
        assert "GE00000000000001" not in warned
        assert read_frame(path)[COORD_CHECK].tolist() == expected
        assert read_events(path) == events                                            # written as given
        if suffix != ".parquet":
            layer = {"layer": "events"} if suffix == ".gpkg" else {}
            assert pyogrio.read_dataframe(path, read_geometry=False, **layer)[COORD_CHECK].tolist() == expected


def test_coord_check_is_recomputed_not_trusted(tmp_path):
    path = write_events([make_event()], tmp_path / "events.csv")
    text = path.read_text(encoding="utf-8").replace(",ok\n", ",outside country\n")
    path.write_text(text.replace("34.45226,40.91854", "40.91854,34.45226"), encoding="utf-8")
    assert read_frame(path)[COORD_CHECK].tolist() == ["swapped lat/lon?"]
