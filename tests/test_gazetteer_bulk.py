"""Full-dump imports: the synthetic dump generator, chunked parsing in worker processes, leftovers of killed builds."""
from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from bench.synthetic_geonames import generate
from geoevents.gazetteer import index
from geoevents.gazetteer.imports import RowTally, read_alternate_names, read_geonames
from geoevents.gazetteer.index import INDEX_NAME, UserSource
from geoevents.gazetteer.records import GazetteerSourceError

ROWS = 3_000


@pytest.fixture(scope="module")
def dumps(tmp_path_factory) -> tuple[Path, Path]:
    return generate(tmp_path_factory.mktemp("dumps"), ROWS, seed=5)


def test_generator_writes_geonames_formats_the_readers_take_whole(dumps, tmp_path):
    geonames, alternates = dumps
    assert zipfile.ZipFile(geonames).namelist() == ["allCountries.txt"]
    assert zipfile.ZipFile(alternates).namelist() == ["alternateNamesV2.txt"]
    tally = RowTally(geonames)
    places = list(read_geonames(geonames, tally))
    assert tally.rows == ROWS and tally.malformed == 0 and len(places) == ROWS
    classes = {p.feature_class for p in places}
    assert {"P", "H", "T", "S", "A"} <= classes
    assert sum(p.feature_class == "P" for p in places) > ROWS // 4
    names = [p.name for p in places]
    assert len(set(names)) < len(names)  # namesakes
    assert any(not n.isascii() for n in names) and sum(p.population == 0 for p in places) > ROWS // 2
    tally = RowTally(alternates)
    kept = list(read_alternate_names(alternates, tally))
    assert tally.malformed == 0 and ROWS < tally.rows < 2 * ROWS
    assert 0 < len(kept) < tally.rows  # links, postcodes and other code "languages" are left out
    with zipfile.ZipFile(alternates) as archive:
        columns = {len(line.split(b"\t")) for line in archive.read("alternateNamesV2.txt").splitlines()}
    assert columns == {10}
    again = generate(tmp_path, ROWS, seed=5)
    assert [zipfile.ZipFile(p).read(zipfile.ZipFile(p).namelist()[0]) for p in again] == \
           [zipfile.ZipFile(p).read(zipfile.ZipFile(p).namelist()[0]) for p in dumps]


def serial_rows(source: UserSource) -> tuple[list, list]:
    """Place and name rows as a one-process reader loop makes them, record by record."""
    places, names = [], []
    if source.kind == "geonames":
        for place in read_geonames(source.path, RowTally(Path(source.path))):
            places.append(index._place_row(place))
            index._place_name_rows(names, place)
    else:
        for row in read_alternate_names(source.path, RowTally(Path(source.path))):
            index._name_rows(names, row.geonameid, row.name, index.KIND_ALTERNATE)
    return places, names


def test_workers_make_the_same_rows_in_the_same_order(dumps, monkeypatch):
    monkeypatch.setattr(index, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(index, "BUILD_WORKERS", 2)
    monkeypatch.setattr("geoevents.gazetteer.imports.CHUNK_LINES", 257)
    sources = [UserSource(str(dumps[0]), "geonames"), UserSource(str(dumps[1]), "alternate_names")]
    with index._workers(sources) as pool:
        assert pool is not None
        for source in sources:
            places, names = [], []
            for chunk_places, chunk_names, _tally, error in index._chunk_results(source, pool, keyed=True):
                assert error is None
                places += chunk_places
                names += chunk_names
            assert (places, names) == serial_rows(source)


def geoname_line(gid: int, name: str, lat: str = "36.3") -> str:
    return "\t".join([str(gid), name, name, "", lat, "43.1", "P", "PPL", "IQ", "", "15", "", "", "", "0", "",
                      "200", "Asia/Baghdad", "2024-01-01"]) + "\n"


@pytest.mark.parametrize("workers", [False, True])
def test_chunked_import_counts_and_refuses_as_the_reader_does(tmp_path, monkeypatch, workers):
    monkeypatch.setattr(index, "PARALLEL_MIN_BYTES", 0 if workers else 1 << 40)
    monkeypatch.setattr(index, "BUILD_WORKERS", 2)
    monkeypatch.setattr("geoevents.gazetteer.imports.CHUNK_LINES", 50)
    lines = [geoname_line(i, f"Town {i}") for i in range(1, 401)]
    lines[120] = geoname_line(121, "Bad", lat="north")  # one bad row in the third chunk: skipped, counted
    good = tmp_path / "IQ.txt"
    good.write_text("".join(lines), encoding="utf-8")
    source = UserSource(str(good), "geonames")
    with index._workers([source]) as pool:
        tally = index._tab_chunks(source, pool, keyed=False)
    assert (tally.rows, tally.malformed) == (400, 1)
    assert tally.problems == ["line 121: latitude 'north' is not a number"]

    many_bad = tmp_path / "SY.txt"
    many_bad.write_text("".join(geoname_line(i, "X", lat="north" if i % 20 == 0 else "36") for i in range(1, 401)))
    with index._workers([source]) as pool, pytest.raises(GazetteerSourceError, match="20 of 400 rows are malformed"):
        index._tab_chunks(UserSource(str(many_bad), "geonames"), pool, keyed=False)

    wrong = tmp_path / "events.txt"
    wrong.write_text("a\tb\tc\n" * 300)
    with index._workers([source]) as pool, pytest.raises(GazetteerSourceError, match="not a GeoNames geoname table: line 1"):
        index._tab_chunks(UserSource(str(wrong), "geonames"), pool, keyed=False)


def test_leftovers_of_killed_builds_are_removed_but_not_those_of_running_ones(tmp_path):
    index_path = tmp_path / INDEX_NAME
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True).stdout.strip()
    abandoned = [tmp_path / f".{INDEX_NAME}.{dead}.tmp", tmp_path / f".{INDEX_NAME}.{dead}.stage.tmp"]
    running = tmp_path / f".{INDEX_NAME}.{os.getppid()}.tmp"
    other = tmp_path / "notes.tmp"
    for path in (*abandoned, running, other):
        path.write_bytes(b"x")
    index._remove_abandoned_builds(index_path)
    assert not any(p.exists() for p in abandoned)
    assert running.exists() and other.exists()


@pytest.mark.parametrize("name", ["Mosul", "Aleppo", "Springfield", "San Jose", "Georgia", "Deir ez-Zor",
                                  "Dayr az Zawr", "al-Bab", "OSM", "UAE", "Palmrya", "Qzxvw", "the", "12"])
def test_top_places_ranked_by_sqlite_are_the_head_of_the_full_ranking(gazetteer, name):
    gazetteer.clear_caches()
    for fuzzy in (True, False):
        full = gazetteer._lookup(name, fuzzy)
        for limit in (1, 5, 25):
            assert gazetteer._top(name, fuzzy, limit) == full[:limit]
    assert len(gazetteer._lookup("Springfield", False)) > 5  # a name with namesakes is in the sample
