"""The GeoPackage event store: what QGIS sees, duplicate reports merged, and no run ever loses stored events."""
from __future__ import annotations

import sqlite3
import threading

import pandas as pd
import pyogrio
import pytest

from geoevents.io import store as store_module
from geoevents.io import events_frame, read_events, write_events
from geoevents.events.record import Event
from geoevents.events.merge import merge_events
from geoevents.io import AppendResult, EventStore, StoreError

ABU_KAMAL = (34.45226, 40.91854)
NEAR_ABU_KAMAL = (34.46, 40.93)        # 1.4 km away: the same town as another reporter places it
SOUTH_OF_ABU_KAMAL = (34.56, 40.91854)  # 12 km away: too far to be the same event
MAYADIN = (35.0207, 40.4527)
RAQQA = (35.9528, 39.0079)
MOSUL = (36.335, 43.1189)


def strike(event_id, article, source, coords=ABU_KAMAL, place="Abu Kamal", fatalities=0, **fields) -> Event:
    values = {
        "event_id": event_id, "event_date": "2017-10-12", "time_precision": 1,
        "event_type": "Explosions/Remote violence", "sub_event_type": "Air/drone strike",
        "actor1": "Military Forces of Russia (2000-)", "actor2": "Islamic State (Syria)",
        "location": place, "latitude": coords[0] if coords else None, "longitude": coords[1] if coords else None,
        "geo_precision": 1, "country": "Syria", "iso3": "SYR", "admin1": "Deir ez-Zor", "fatalities": fatalities,
        "source": source, "source_url": f"https://example.org/{article}", "notes": f"{source}: air strikes on {place}.",
        "confidence": 0.7, "trigger": "air strikes", "article_id": article, "published": "2017-10-13",
    }
    values.update(fields)
    return Event(**values)


@pytest.fixture
def path(tmp_path):
    return tmp_path / "events.gpkg"


# --- what QGIS opens ----------------------------------------------------------------------------

def test_store_is_a_clean_geopackage(path):
    EventStore(path).append([
        strike("GE1", "a1", "Reuters", fatalities=3),
        strike("GE2", "a1", "Reuters", MOSUL, "Mosul", event_type="Battles", sub_event_type="Armed clash"),
        strike("GE3", "a1", "Reuters", None, None, event_date=None),
    ])
    layers = dict(pyogrio.list_layers(path))
    assert layers == {"events": "Point", "event_sources": None}      # a point layer and an attributes table
    info = pyogrio.read_info(path, layer="events")
    assert info["driver"] == "GPKG" and info["crs"] == "EPSG:4326" and info["features"] == 3
    types = dict(zip(info["fields"], info["ogr_types"]))
    assert types["event_date"] == "OFTDate" and types["fatalities"] == "OFTInteger64"
    frame = pyogrio.read_dataframe(path, layer="events")
    assert frame.geometry.isna().tolist() == [False, False, True]   # no coordinates: null geometry
    assert (frame.geometry.iloc[1].x, frame.geometry.iloc[1].y) == (MOSUL[1], MOSUL[0])
    assert len(EventStore(path)) == 3


def test_empty_append_creates_an_empty_store(path):
    assert EventStore(path).append([]) == AppendResult(0, 0, 0)
    assert pyogrio.read_info(path, layer="events")["features"] == 0
    assert EventStore(path).events() == []


def test_events_read_back_as_written(path):
    events = [strike("GE1", "a1", "Reuters", fatalities=3),
              strike("GE2", "a2", "AP", RAQQA, "Raqqa", event_date="2017-10-17", notes="Raqqa: الرقة")]
    EventStore(path).append(events)
    assert EventStore(path).events() == events
    assert read_events(path) == events


# --- 1. the same article twice ------------------------------------------------------------------

def test_same_article_twice_adds_nothing(path):
    events = [strike("GE1", "a1", "Reuters"), strike("GE2", "a1", "Reuters", MAYADIN, "Mayadin")]
    assert EventStore(path).append(events) == AppendResult(added=2, merged=0, unchanged=0)
    before = path.read_bytes()
    assert EventStore(path).append(events) == AppendResult(added=0, merged=0, unchanged=2)
    assert path.read_bytes() == before                               # not even rewritten
    assert len(EventStore(path)) == 2


# --- 2. one event, two articles -----------------------------------------------------------------

def test_two_articles_on_one_event_become_one_event(path):
    first = strike("GE1", "sohr-1", "Syrian Observatory", fatalities=14)
    second = strike("GE2", "ap-7", "AP", NEAR_ABU_KAMAL, "Al Bukamal", fatalities=9, actor1=None, actor2=None)
    assert EventStore(path).append([first]) == AppendResult(1, 0, 0)
    assert EventStore(path).append([second]) == AppendResult(0, 1, 0)
    [event] = EventStore(path).events()
    assert event.event_id == "GE1"                                    # the first event's id, place and notes
    assert (event.location, event.latitude, event.longitude) == ("Abu Kamal", *ABU_KAMAL)
    assert event.notes == first.notes
    assert event.source == "Syrian Observatory; AP"
    assert event.source_url == "https://example.org/sohr-1; https://example.org/ap-7"
    assert event.article_id == "sohr-1; ap-7"
    assert event.fatalities == 9                                      # lowest non-zero figure
    sources = EventStore(path).sources()
    assert sources[["event_id", "report_id", "source"]].values.tolist() == [
        ["GE1", "GE1", "Syrian Observatory"], ["GE1", "GE2", "AP"]]
    # the second article read again is a report the store already has
    assert EventStore(path).append([second]) == AppendResult(0, 0, 1)
    assert len(EventStore(path).sources()) == 2


def test_merging_within_one_append(path):
    result = EventStore(path).append([
        strike("GE1", "a1", "Reuters", fatalities=0),
        strike("GE2", "a2", "AP", NEAR_ABU_KAMAL, fatalities=5),
        strike("GE3", "a3", "Reuters", NEAR_ABU_KAMAL, fatalities=0),   # same outlet, third article
    ])
    assert result == AppendResult(added=1, merged=2, unchanged=0)
    [event] = EventStore(path).events()
    assert event.source == "Reuters; AP"                              # distinct values only
    assert event.article_id == "a1; a2; a3"
    assert event.fatalities == 5                                      # 0 means "not reported", not "none"


def test_all_zero_fatalities_stay_zero():
    merged = merge_events(strike("GE1", "a1", "Reuters"), strike("GE2", "a2", "AP"))
    assert merged.fatalities == 0
    assert merge_events(strike("GE1", "a1", "X", fatalities=4), strike("GE2", "a2", "Y", fatalities=11)).fatalities == 4


@pytest.mark.parametrize("other", [
    strike("GE2", "a2", "AP", event_date="2017-10-13"),                                  # another day
    strike("GE2", "a2", "AP", sub_event_type="Shelling/artillery/missile attack"),       # another kind
    strike("GE2", "a2", "AP", SOUTH_OF_ABU_KAMAL, "Hajin"),                              # 12 km away
    strike("GE2", "a2", "AP", MAYADIN, "Mayadin"),                                       # 76 km away
    strike("GE2", "a2", "AP", event_date=None),                                          # no date
    strike("GE2", "a2", "AP", None, None),                                               # no place
    strike("GE2", "a1", "Reuters", NEAR_ABU_KAMAL, "Al Bukamal"),                        # same article
], ids=["date", "sub-type", "12km", "mayadin", "no-date", "no-place", "same-article"])
def test_events_that_are_not_the_same(path, other):
    first = strike("GE1", "a1", "Reuters")
    assert EventStore(path).append([first, other]) == AppendResult(added=2, merged=0, unchanged=0)
    assert [e.event_id for e in EventStore(path).events()] == ["GE1", "GE2"]


def test_an_article_read_again_by_a_newer_extractor_merges(path):
    EventStore(path).append([strike("GE1", "a1", "Reuters", fatalities=6)])
    again = strike("GE1-new-id", "a1", "Reuters", NEAR_ABU_KAMAL, fatalities=6)   # same place name, new id
    assert EventStore(path).append([again]) == AppendResult(added=0, merged=1, unchanged=0)
    [event] = EventStore(path).events()
    assert (event.event_id, event.source, event.article_id, event.fatalities) == ("GE1", "Reuters", "a1", 6)


def test_undated_events_never_merge_even_with_each_other(path):
    a = strike("GE1", "a1", "Reuters", event_date=None)
    b = strike("GE2", "a2", "AP", event_date=None)
    assert EventStore(path).append([a, b]).added == 2


# --- 3. all or nothing --------------------------------------------------------------------------

def test_interrupted_write_leaves_the_store_unchanged(path, monkeypatch):
    EventStore(path).append([strike("GE1", "a1", "Reuters", fatalities=2)])
    before = path.read_bytes()

    def crash(sources, tmp):          # the events layer of the new file is written; then the power goes
        raise OSError("disk full")

    monkeypatch.setattr(store_module, "write_sources_table", crash)
    with pytest.raises(OSError, match="disk full"):
        EventStore(path).append([strike("GE2", "a2", "AP", NEAR_ABU_KAMAL, fatalities=1),
                                 strike("GE3", "a2", "AP", RAQQA, "Raqqa")])
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == ["events.gpkg", "events.gpkg.lock"]
    monkeypatch.undo()
    [event] = EventStore(path).events()
    assert (event.event_id, event.source, event.fatalities) == ("GE1", "Reuters", 2)
    assert EventStore(path).append([strike("GE3", "a2", "AP", RAQQA, "Raqqa")]).added == 1   # lock released


def test_temporaries_of_a_killed_run_are_cleared(path):
    EventStore(path).append([strike("GE1", "a1", "Reuters")])
    stale = path.parent / ".events.gpkg.abc123.tmp.gpkg"
    stale.write_bytes(b"half a GeoPackage")
    EventStore(path).append([strike("GE2", "a2", "AP", MOSUL, "Mosul")])
    assert not stale.exists()


def test_concurrent_appends_lose_nothing(path):
    def run(prefix, coords):
        for i in range(3):
            EventStore(path).append([strike(f"{prefix}{i}", f"{prefix}-article-{i}", prefix, coords,
                                            event_date=f"2017-10-{10 + i}")])

    threads = [threading.Thread(target=run, args=(name, coords))
               for name, coords in (("R", RAQQA), ("M", MOSUL))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(e.event_id for e in EventStore(path).events()) == ["M0", "M1", "M2", "R0", "R1", "R2"]


def test_other_content_of_the_file_survives_appends(path):
    EventStore(path).append([strike("GE1", "a1", "Reuters")])
    # what QGIS adds when a style is saved in the GeoPackage, and a column an analyst added
    pyogrio.write_dataframe(pd.DataFrame({"f_table_name": ["events"], "styleQML": ["<qgis/>"]}), path,
                            layer="layer_styles", driver="GPKG")
    frame = pyogrio.read_dataframe(path, layer="events")
    frame["reviewed"] = ["yes"]
    pyogrio.write_dataframe(frame, path, layer="events", driver="GPKG")
    EventStore(path).append([strike("GE2", "a2", "AP", MOSUL, "Mosul"), strike("GE3", "a3", "AP", NEAR_ABU_KAMAL)])
    assert "layer_styles" in dict(pyogrio.list_layers(path))
    frame = pyogrio.read_dataframe(path, layer="events")
    assert frame["reviewed"].tolist()[0] == "yes" and frame["source"].tolist()[0] == "Reuters; AP"


def test_an_events_layer_written_by_another_tool_is_a_store(path):
    frame = events_frame([strike("GE1", "a1", "Reuters", fatalities=5)])
    frame["event_date"] = frame["event_date"].astype("datetime64[s]")   # a DATETIME field, no event_sources
    frame.to_file(path, layer="events", driver="GPKG")
    assert EventStore(path).append([strike("GE2", "a2", "AP", NEAR_ABU_KAMAL, fatalities=3)]) == AppendResult(0, 1, 0)
    [event] = EventStore(path).events()
    assert (event.event_date, event.fatalities, event.source) == ("2017-10-12", 3, "Reuters; AP")
    assert EventStore(path).sources()["report_id"].tolist() == ["GE1", "GE2"]


def test_a_store_open_for_editing_elsewhere_is_not_replaced(path):
    EventStore(path).append([strike("GE1", "a1", "Reuters")])
    (path.parent / "events.gpkg-wal").write_bytes(b"")
    with pytest.raises(StoreError, match="open for writing in another program"):
        EventStore(path).append([strike("GE2", "a2", "AP", MOSUL, "Mosul")])


# --- files that are not stores ------------------------------------------------------------------

def _one_line_error(path) -> str:
    with pytest.raises(StoreError) as info:
        EventStore(path)
    message = str(info.value)
    assert message.startswith(f"{path}: not a geoevents GeoPackage (") and "\n" not in message
    return message


def test_a_text_file_is_not_a_store(tmp_path):
    path = tmp_path / "notes.gpkg"
    path.write_text("Mosul, Raqqa, Mayadin\n", encoding="utf-8")
    _one_line_error(path)
    assert path.read_text(encoding="utf-8") == "Mosul, Raqqa, Mayadin\n"


def test_a_plain_sqlite_database_is_not_a_store(tmp_path):
    path = tmp_path / "other.gpkg"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE events (event_id TEXT)")
    assert "not a GeoPackage" in _one_line_error(path)


def test_a_geopackage_of_other_layers_is_not_a_store(tmp_path):
    path = tmp_path / "roads.gpkg"
    pyogrio.write_dataframe(pd.DataFrame({"name": ["M4"]}), path, layer="roads", driver="GPKG")
    assert "no 'events' layer" in _one_line_error(path)
    with pytest.raises(StoreError):
        write_events([strike("GE1", "a1", "Reuters")], path)
    assert dict(pyogrio.list_layers(path)) == {"roads": None}
