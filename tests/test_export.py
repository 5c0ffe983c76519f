"""Events as a GeoDataFrame and as GeoJSON / CSV / GeoParquet / GeoPackage files, read back unchanged."""
from __future__ import annotations

import csv
import datetime as dt
import json
import os

import geopandas as gpd
import pandas as pd
import pyarrow as pa
import pyogrio
import pytest
from shapely.geometry import Point

from geoevents import export
from geoevents.export import events_frame, read_events, write_events
from geoevents.schema import EVENT_FIELDS, Event

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
    assert list(frame.columns) == [*EVENT_FIELDS, "geometry"]
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
    assert list(first["properties"]) == list(EVENT_FIELDS)
    assert doc["features"][2]["geometry"] is None
    assert doc["features"][2]["properties"]["event_date"] is None


def test_csv_has_acled_columns_and_no_geometry(tmp_path):
    path = write_events(sample_events(), tmp_path / "events.csv")
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == list(EVENT_FIELDS)                    # latitude/longitude columns, no WKT
    assert rows[0]["event_date"] == "2017-10-12"
    assert (float(rows[0]["latitude"]), float(rows[0]["longitude"])) == ABU_KAMAL
    assert rows[1]["notes"].startswith('Clashes near "Mayadin", شرق دير الزور')
    assert rows[2]["latitude"] == "" and rows[2]["event_date"] == "" and rows[2]["geonameid"] == ""


def test_parquet_is_geoparquet(tmp_path):
    path = write_events(sample_events(), tmp_path / "events.parquet")
    frame = gpd.read_parquet(path)
    assert frame.crs.to_epsg() == 4326
    assert frame.geometry.iloc[0].equals(Point(ABU_KAMAL[1], ABU_KAMAL[0]))
    assert list(frame.columns) == [*EVENT_FIELDS, "geometry"]


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
    from geoevents.store import StoreError

    with pytest.raises(FileNotFoundError):
        read_events(tmp_path / "absent.geojson")
    other = tmp_path / "other.csv"
    other.write_text("name,value\nMosul,1\n", encoding="utf-8")
    with pytest.raises(StoreError, match="no event_id column"):
        read_events(other)
