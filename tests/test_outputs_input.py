"""What a run leaves on disk: no lock files, no output from no articles, GeoPackage 1.2 stores; an empty folder is reported."""
from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading

import pandas as pd
import pyogrio
import pytest
from test_cli import run
from test_store import MAYADIN, MOSUL, RAQQA, strike

from geoevents.io import EventStore, events_frame, read_events, write_events
from geoevents.io.sinks import open_sink

GPKG_APPLICATION_ID = 0x47504B47   # "GPKG"
GPKG_1_2 = 10200


def _locks(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".lock"))


# --- 1. lock files ------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["events.gpkg", "events.geojson", "events.csv", "events.parquet"])
def test_no_lock_file_is_left_beside_an_output(tmp_path, name):
    write_events([strike("GE1", "a1", "Reuters")], tmp_path / name)
    write_events([strike("GE2", "a2", "AP", MOSUL, "Mosul")], tmp_path / name)   # a store append rewrites it
    assert _locks(tmp_path) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]


def test_concurrent_appends_still_queue_and_leave_no_lock(tmp_path):
    path = tmp_path / "events.gpkg"
    places = {"R": RAQQA, "M": MOSUL, "Y": MAYADIN, "S": (34.45226, 40.91854)}

    def append(prefix):
        for i in range(3):
            EventStore(path).append([strike(f"{prefix}{i}", f"{prefix}-{i}", prefix, places[prefix],
                                            event_date=f"2017-10-{10 + i}")])

    threads = [threading.Thread(target=append, args=(prefix,)) for prefix in places]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(e.event_id for e in EventStore(path).events()) == sorted(f"{p}{i}" for p in places for i in range(3))
    assert _locks(tmp_path) == []


def test_the_lock_file_of_a_killed_run_does_not_block_the_next(tmp_path):
    path = tmp_path / "events.gpkg"
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time\nfrom geoevents.io import EventStore\n"
                               "with EventStore(sys.argv[1])._lock():\n"
                               "    print('locked', flush=True)\n    time.sleep(600)\n", str(path)],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        os.kill(holder.pid, signal.SIGKILL)
        holder.wait(timeout=30)
    finally:
        if holder.poll() is None:
            holder.kill()
        holder.stdout.close()
    assert _locks(tmp_path) == ["events.gpkg.lock"]   # what a killed run leaves
    done = []
    worker = threading.Thread(target=lambda: done.append(EventStore(path).append([strike("GE1", "a1", "Reuters")])),
                              daemon=True)
    worker.start()
    worker.join(timeout=60)
    assert done and done[0].added == 1
    assert _locks(tmp_path) == []


# --- 2. no articles, no output ------------------------------------------------------------------

@pytest.mark.parametrize("name", ["events.gpkg", "events.geojson", "events.csv", "events.parquet"])
def test_a_sink_given_no_articles_writes_nothing(tmp_path, name):
    sink = open_sink(tmp_path / name)
    sink.close()
    assert list(tmp_path.iterdir()) == []


def test_a_partitioned_sink_given_no_partitions_keeps_the_old_output(tmp_path):
    out = tmp_path / "events.parquet"
    out.write_bytes(b"an older output")
    sink = open_sink(out, partitioned=True)
    sink.close()
    assert out.read_bytes() == b"an older output"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["events.parquet"]


@pytest.mark.parametrize("name", ["events.geojson", "events.csv"])
def test_articles_without_events_still_write_the_file(tmp_path, name):
    sink = open_sink(tmp_path / name)
    sink.add([])   # one article, no events
    sink.close()
    assert read_events(tmp_path / name) == []


@pytest.mark.parametrize("name", ["out.gpkg", "out.geojson"])
def test_parse_of_a_missing_input_writes_no_output_and_says_so(cache_dir, gazetteer, tmp_path, name):
    out = tmp_path / name
    result = run(["parse", str(tmp_path / "missing.txt"), "-o", str(out), "-q"], cache_dir)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert lines[0] == f"geoevents: {tmp_path / 'missing.txt'}: skipped: no such file or folder"
    assert lines[1:] == [f"no articles parsed; nothing written to {out}; 1 skipped"]
    assert sorted(p.name for p in tmp_path.iterdir()) == []


# --- 3. an empty folder -------------------------------------------------------------------------

def test_parse_of_an_empty_folder_names_it_and_fails(cache_dir, gazetteer, tmp_path):
    folder = tmp_path / "emptydir"
    folder.mkdir()
    (folder / "scan.pdf").write_bytes(b"%PDF")   # not an article file: read as nothing
    out = tmp_path / "out.gpkg"
    result = run(["parse", f"{folder}/", "-o", str(out), "-q"], cache_dir)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert lines[0].startswith(f"geoevents: {folder}: skipped: no articles found in this folder")
    assert lines[1:] == [f"no articles parsed; nothing written to {out}; 1 skipped"]
    assert not out.exists()


def test_parse_reports_an_empty_folder_among_others_and_goes_on(cache_dir, gazetteer, tmp_path):
    (tmp_path / "emptydir").mkdir()
    articles = tmp_path / "news"
    articles.mkdir()
    (articles / "a1.txt").write_text("Coalition jets struck Islamic State positions in Mayadin on Tuesday.",
                                     encoding="utf-8")
    out = tmp_path / "out.geojson"
    result = run(["parse", str(tmp_path / "emptydir"), str(articles), "--published", "2017-07-11",
                  "-o", str(out), "-q"], cache_dir)
    assert result.returncode == 1
    assert f"{tmp_path / 'emptydir'}: skipped: no articles found in this folder" in result.stderr
    assert result.stderr.strip().splitlines()[-1].startswith("1 articles")
    assert out.exists()


# --- 4. GeoPackage 1.2 --------------------------------------------------------------------------

def _gpkg_header(path) -> tuple[int, int]:
    with sqlite3.connect(path) as db:
        return db.execute("PRAGMA application_id").fetchone()[0], db.execute("PRAGMA user_version").fetchone()[0]


def _assert_qgis_322_store(path) -> None:
    assert _gpkg_header(path) == (GPKG_APPLICATION_ID, GPKG_1_2)
    with sqlite3.connect(path) as db:
        columns = {name: kind for _, name, kind, *_ in db.execute("PRAGMA table_info(events)")}
        tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master")}
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert columns["event_date"] == "DATE"
    assert "rtree_events_geom" in tables
    # GeoPackage 1.4's R-tree triggers (update5..7) are not what a 1.2 reader expects
    assert {"rtree_events_geom_update1", "rtree_events_geom_update3"} <= tables
    assert not {"rtree_events_geom_update6", "rtree_events_geom_update7"} & tables
    info = pyogrio.read_info(path, layer="events")
    assert dict(zip(info["fields"], info["ogr_types"]))["event_date"] == "OFTDate"


def test_a_new_store_is_geopackage_1_2(tmp_path):
    path = tmp_path / "events.gpkg"
    write_events([strike("GE1", "a1", "Reuters")], path)
    _assert_qgis_322_store(path)
    EventStore(path).append([strike("GE2", "a2", "AP", MOSUL, "Mosul")])   # rewritten: still 1.2
    _assert_qgis_322_store(path)


def test_an_empty_store_is_geopackage_1_2(tmp_path):
    path = tmp_path / "events.gpkg"
    EventStore(path).append([])
    _assert_qgis_322_store(path)


def test_a_geopackage_1_4_store_is_read_and_rewritten_as_1_2(tmp_path):
    path = tmp_path / "events.gpkg"
    first = strike("GE1", "a1", "Reuters")
    pyogrio.write_dataframe(events_frame([first]), path, layer="events", driver="GPKG", use_arrow=True,
                            dataset_options={"VERSION": "1.4"})
    pyogrio.write_dataframe(pd.DataFrame({"f_table_name": ["events"], "styleQML": ["<qgis/>"]}), path,
                            layer="layer_styles", driver="GPKG")
    assert _gpkg_header(path) == (GPKG_APPLICATION_ID, 10400)
    assert EventStore(path).events() == [first]
    second = strike("GE2", "a2", "AP", MOSUL, "Mosul")
    assert EventStore(path).append([second]).added == 1
    _assert_qgis_322_store(path)
    assert EventStore(path).events() == [first, second]
    assert set(dict(pyogrio.list_layers(path))) == {"events", "event_sources", "layer_styles"}


def test_the_readme_reads_the_store_by_its_events_layer_without_a_warning(tmp_path):
    import re
    import warnings
    from pathlib import Path

    import geopandas as gpd

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    calls = re.findall(r'read_file\("events\.gpkg"[^)]*\)', readme)
    assert calls and all('layer="events"' in call for call in calls)  # every read_file of a store names its layer
    store = tmp_path / "events.gpkg"
    write_events([strike("GE1", "a1", "Wire")], store)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        frame = gpd.read_file(store, layer="events")
    assert len(frame) == 1
