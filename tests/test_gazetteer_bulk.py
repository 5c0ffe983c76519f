"""Full-dump imports: the synthetic dump generator, chunked parsing in worker processes, leftovers of killed builds."""
from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import zipfile
from contextlib import closing
from pathlib import Path

import pytest

from bench.synthetic_geonames import generate
from geoevents import cli
from geoevents.gazetteer import index
from geoevents.gazetteer.geocoder import Gazetteer
from geoevents.gazetteer.imports import (RowTally, parse_tab_chunk, read_alternate_names, read_geonames,
                                         tab_line_chunks)
from geoevents.gazetteer.index import INDEX_NAME, SOURCES_NAME, UserSource
from geoevents.gazetteer.records import GazetteerSourceError, PlaceRecord
from geoevents.gazetteer.sources import PackagedSources

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
            index._place_name_rows(names, [place])
    else:
        for row in read_alternate_names(source.path, RowTally(Path(source.path))):
            index._name_rows(names, [(row.geonameid, row.name, index.KIND_ALTERNATE)])
    return places, names


def test_workers_make_the_same_rows_in_the_same_order(dumps, monkeypatch):
    monkeypatch.setattr(index, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(index, "BUILD_WORKERS", 2)
    monkeypatch.setattr("geoevents.gazetteer.imports.CHUNK_BYTES", 20_000)
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


def geoname_line(gid: int, name: str, lat: str = "36.3", lon: str = "43.1") -> str:
    return "\t".join([str(gid), name, name, "", lat, lon, "P", "PPL", "IQ", "", "15", "", "", "", "0", "",
                      "200", "Asia/Baghdad", "2024-01-01"]) + "\n"


@pytest.mark.parametrize("workers", [False, True])
def test_chunked_import_counts_and_refuses_as_the_reader_does(tmp_path, monkeypatch, workers):
    monkeypatch.setattr(index, "PARALLEL_MIN_BYTES", 0 if workers else 1 << 40)
    monkeypatch.setattr(index, "BUILD_WORKERS", 2)
    monkeypatch.setattr("geoevents.gazetteer.imports.CHUNK_BYTES", 3_500)
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


def test_byte_blocks_are_numbered_and_decoded_as_the_text_reader_reads_the_file(tmp_path, monkeypatch):
    monkeypatch.setattr("geoevents.gazetteer.imports.CHUNK_BYTES", 1_000)
    lines = [geoname_line(i, f"Tōwn {i}") for i in range(1, 141)]
    lines[6] = "\n"  # a blank line still counts
    lines[17] = geoname_line(18, "Bad", lat="north")
    text = "\ufeff" + "".join(line.replace("\n", "\r\n") for line in lines).rstrip("\r\n")  # BOM, CRLF, no final end
    path = tmp_path / "IQ.txt"
    path.write_text(text, encoding="utf-8")
    blocks = list(tab_line_chunks(path))
    assert len(blocks) > 5 and all(block.endswith(b"\n") for _, block in blocks[:-1])
    chunked, tally = [], RowTally(path)
    for i, (first, block) in enumerate(blocks):
        chunked += parse_tab_chunk("geonames", path, first, block, tally, i == 0)
    whole = RowTally(path)
    assert chunked == list(read_geonames(path, whole))
    assert (tally.rows, tally.malformed, tally.problems) == (whole.rows, whole.malformed, whole.problems) == \
           (139, 1, ["line 18: latitude 'north' is not a number"])

    damaged = tmp_path / "SY.txt"
    damaged.write_bytes("".join(lines).encode("utf-8").replace("Tōwn 30".encode(), b"T\xffwn 30"))
    with pytest.raises(GazetteerSourceError, match="after line 29 are not valid UTF-8"):
        for first, block in tab_line_chunks(damaged):
            parse_tab_chunk("geonames", damaged, first, block, RowTally(damaged), first == 1)


@pytest.fixture
def one_packaged_place(monkeypatch):
    """Builds from one packaged place: these tests are about the user's file."""
    mosul = PlaceRecord(99072, "Mosul", 36.335, 43.11889, "P", "PPLA", "IQ", "15", population=1_739_800,
                        source="cities500")
    monkeypatch.setattr(index, "read_packaged_sources", lambda: PackagedSources(places=[mosul]))


def test_a_big_table_is_refused_by_the_build_that_reads_it_and_the_index_stays(tmp_path, monkeypatch, capsys,
                                                                                one_packaged_place):
    monkeypatch.setattr(index, "PARALLEL_MIN_BYTES", 0)  # every table is "big": read by the workers only
    monkeypatch.setattr(index, "BUILD_WORKERS", 2)
    monkeypatch.setattr("geoevents.gazetteer.imports.CHUNK_BYTES", 2_000)
    cache = tmp_path / "cache"
    good = tmp_path / "IQ.txt"
    good.write_text("".join(geoname_line(i, f"Town {i}") for i in range(1, 301)), encoding="utf-8")
    assert cli.main(["gazetteer", "build", "--geonames", str(good), "--cache-dir", str(cache), "-q"]) == 0
    before = ((cache / INDEX_NAME).read_bytes(), (cache / SOURCES_NAME).read_text())

    damaged = tmp_path / "SY.txt"  # 10 % bad rows, all past the first block
    damaged.write_text("".join(geoname_line(i, "X", lat="north" if i % 10 == 0 and i > 100 else "36")
                               for i in range(1, 1001)), encoding="utf-8")
    assert cli.main(["gazetteer", "build", "--geonames", str(damaged), "--cache-dir", str(cache), "-q"]) == 2
    err = capsys.readouterr().err
    assert "SY.txt" in err and "90 of 1000 rows are malformed" in err and "Traceback" not in err

    def no_build(*args, **kwargs):
        raise AssertionError("the build started before the wrong file was refused")

    wrong = tmp_path / "IR.txt"  # named like one, but not a GeoNames table: refused from its head, before the build
    wrong.write_text("a\tb\tc\n" * 3000)
    monkeypatch.setattr(index, "build_index", no_build)
    assert cli.main(["gazetteer", "build", "--geonames", str(wrong), "--cache-dir", str(cache), "-q"]) == 2
    assert "not a GeoNames geoname table: line 1" in capsys.readouterr().err
    assert ((cache / INDEX_NAME).read_bytes(), (cache / SOURCES_NAME).read_text()) == before
    assert [p.name for p in cache.iterdir() if p.name.endswith(".tmp")] == []


def test_the_tables_sorted_beside_are_the_ones_sorted_here(tmp_path, dumps, one_packaged_place, monkeypatch):
    def tables(cache: Path) -> list[list[tuple]]:
        with closing(sqlite3.connect(cache / INDEX_NAME)) as conn:
            return [conn.execute(f"SELECT * FROM {table}").fetchall()
                    for table in ("names", "fuzzy_keys", "places_grid", "places")]

    sources = [UserSource(str(dumps[0]), "geonames"), UserSource(str(dumps[1]), "alternate_names")]
    index.rebuild(tmp_path / "beside", add=sources, reset=True)
    monkeypatch.setattr("sys.executable", "")  # embedded Python: the sorts run in this process
    index.rebuild(tmp_path / "here", add=sources, reset=True)
    beside, here = tables(tmp_path / "beside"), tables(tmp_path / "here")
    assert beside == here
    names, _, grid, places = beside
    # A key's rows best first, as a lookup ranks them.
    assert names == sorted(names, key=lambda row: (row[0], -row[1], -row[2]))
    assert any(key.startswith(index.SKELETON_PREFIX) for key, *_ in names)
    assert len(grid) == len(places) > ROWS
    assert all(band == index.latitude_band(lat) for band, _, lat, _ in grid)
    assert [p.name for p in (tmp_path / "beside").iterdir() if p.name.endswith(".tmp")] == []


def test_reverse_finds_the_nearest_places_on_either_side_of_a_band_edge(tmp_path, one_packaged_place):
    # Far out in the South Pacific, where no packaged place is: -40.0 is the edge of two bands.
    rows = [(1, "North", -39.97, -120.0), (2, "South", -40.02, -120.0), (3, "Far", -40.0, -117.0)]
    dump = tmp_path / "XX.txt"
    dump.write_text("".join(geoname_line(i, name, str(lat), str(lon)) for i, name, lat, lon in rows), encoding="utf-8")
    cache = tmp_path / "cache"
    index.rebuild(cache, add=[UserSource(str(dump), "geonames")], reset=True)
    gazetteer = Gazetteer(cache / INDEX_NAME)
    assert [p.raw["name"] for p in gazetteer.reverse((-40.0, -120.0), exactly_one=False, limit=2)] == ["South", "North"]
    assert gazetteer.reverse((-40.0, -117.2)).raw["name"] == "Far"  # found once the box grows to 0.25 degrees
    assert gazetteer.reverse((-40.0, -118.5)).raw["name"] in {"Far", "North"}  # 1.5 degrees from both: a 4-degree box


def test_a_new_build_deletes_the_indexes_of_earlier_schemas(tmp_path, one_packaged_place):
    cache = tmp_path / "cache"
    cache.mkdir()
    older = [cache / index.INDEX_NAME_FORMAT.format(v) for v in range(1, index.SCHEMA_VERSION)]
    unrelated = cache / "gazetteer-notes.sqlite"
    for path in (*older, unrelated):
        path.write_bytes(b"an old index")
    index.rebuild(cache, reset=True)
    assert older and not any(p.exists() for p in older)
    assert unrelated.exists() and (cache / INDEX_NAME).exists()


def test_lookups_on_an_index_without_the_stored_countries_find_them_as_before(gazetteer, tmp_path):
    copy = tmp_path / INDEX_NAME
    with closing(sqlite3.connect(gazetteer.path)) as source, closing(sqlite3.connect(copy)) as target:
        source.backup(target)
        target.execute("DELETE FROM meta WHERE key = 'country_places'")
        target.commit()
    old = Gazetteer(copy)
    assert old._country_places() == gazetteer._country_places() == index.country_places(old._conn)
    for name in ("Mosul", "Aleppo", "Springfield", "Georgia"):
        assert old.candidates(name, limit=5) == gazetteer.candidates(name, limit=5)
    assert old.country("SY") == gazetteer.country("SY")
