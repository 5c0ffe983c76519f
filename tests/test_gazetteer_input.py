"""What the gazetteer commands make of bad input: damaged user files, unknown countries, bad counts."""
from __future__ import annotations

import builtins
import json
import os
import sqlite3
import zipfile
from contextlib import closing
from pathlib import Path

import pytest

from geoevents import cli
from geoevents.gazetteer import imports, index
from geoevents.gazetteer.index import INDEX_NAME, SOURCES_NAME, read_meta
from geoevents.gazetteer.records import PlaceRecord
from geoevents.gazetteer.sources import PackagedSources

ROWS = 200


def geoname_row(n: int, lat: str | None = None) -> str:
    """Line ``n`` of a GeoNames table: the place "Testplace<n>" near Deir ez-Zor."""
    cols = [9_980_000 + n, f"Testplace{n:03d}", f"Testplace{n:03d}", "", lat or f"{35 + n / 1000:.4f}",
            f"{40 + n / 1000:.4f}", "P", "PPL", "SY", "", "07", "", "", "", 100, "", 200, "Asia/Damascus", "2024-01-01"]
    return "\t".join(map(str, cols)) + "\n"


def geonames_text(bad: set[int]) -> str:
    """ROWS rows; the lines in ``bad`` are damaged, alternately a bad latitude and a cut-off row."""
    lines = []
    for n in range(1, ROWS + 1):
        line = geoname_row(n)
        if n in bad:
            line = geoname_row(n, lat="north") if sorted(bad).index(n) % 2 else "\t".join(line.split("\t")[:12]) + "\n"
        lines.append(line)
    return "".join(lines)


def places_csv_text(bad: set[int]) -> str:
    """A header and ROWS-1 place rows (so line numbers match the GeoNames files); lines in ``bad`` are cut off."""
    lines = ["name,latitude,longitude,country\n"]
    for n in range(2, ROWS + 1):
        lines.append(f"Testplace{n:03d},35.5\n" if n in bad else f"Testplace{n:03d},{35 + n / 1000:.4f},40.1,Syria\n")
    return "".join(lines)


def write_user_file(tmp_path: Path, kind: str, bad: set[int]) -> tuple[str, Path]:
    """(the build option, the file) for a GeoNames .txt, a GeoNames .zip or a place CSV."""
    if kind == "geonames-txt":
        path = tmp_path / "my_dump.txt"
        path.write_text(geonames_text(bad), encoding="utf-8")
        return "--geonames", path
    if kind == "geonames-zip":
        path = tmp_path / "SY.zip"
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("readme.txt", "test dump\n")
            archive.writestr("SY.txt", geonames_text(bad))
        return "--geonames", path
    path = tmp_path / "ged_places.csv"
    path.write_text(places_csv_text(bad), encoding="utf-8")
    return "--places-csv", path


KINDS = ["geonames-txt", "geonames-zip", "places-csv"]


@pytest.fixture
def small_packaged(monkeypatch):
    """Builds from one packaged place instead of ~300,000: these tests are about the user's file,
    and a full build takes half a minute."""
    mosul = PlaceRecord(99072, "Mosul", 36.335, 43.11889, "P", "PPLA", "IQ", "15", population=1_739_800,
                        source="cities500")
    monkeypatch.setattr(index, "read_packaged_sources", lambda: PackagedSources(places=[mosul]))


@pytest.fixture
def built_cache(tmp_path, small_packaged) -> Path:
    """A cache with an index already in it, built from a good user file."""
    cache = tmp_path / "cache"
    good = tmp_path / "good" / "cities500.txt"
    good.parent.mkdir()
    good.write_text(geoname_row(1) + geoname_row(2), encoding="utf-8")
    assert cli.main(["gazetteer", "build", "--geonames", str(good), "--cache-dir", str(cache), "-q"]) == 0
    return cache


@pytest.fixture
def no_build(monkeypatch):
    """Fails the test if a rebuild starts: a bad file must be refused before that."""
    def build_index(*args, **kwargs):
        raise AssertionError("the rebuild started before the bad file was refused")

    monkeypatch.setattr(index, "build_index", build_index)


def state(cache: Path) -> tuple:
    """What a refused build must leave as it was: the index file, its build record, the list of user files."""
    path = cache / INDEX_NAME
    sources = cache / SOURCES_NAME
    return path.stat().st_mtime_ns, read_meta(path), sources.read_text() if sources.exists() else None


def one_error_line(capsys, *names: str) -> str:
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert err.count("\n") == 1, err
    for name in names:
        assert name in err
    return err


# --- damaged user files ----------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_a_malformed_row_is_skipped_and_the_build_says_so(tmp_path, capsys, small_packaged, kind):
    option, path = write_user_file(tmp_path, kind, bad={58})
    cache = tmp_path / "cache"

    assert cli.main(["gazetteer", "build", option, str(path), "--cache-dir", str(cache), "-q", "--json"]) == 0

    out, err = capsys.readouterr()
    rows = ROWS if kind != "places-csv" else ROWS - 1
    assert f"{path.name}: skipped 1 malformed row of {rows} (line 58: " in err
    assert "Traceback" not in err
    assert json.loads(out)["counts"]["skipped_rows"] == {str(path): err.split(f"{path}: ")[1].strip()}
    with closing(sqlite3.connect(cache / INDEX_NAME)) as conn:
        imported = {name for (name,) in conn.execute("SELECT name FROM places WHERE source != 'cities500'")}
    assert imported == {f"Testplace{n:03d}" for n in range(2 if kind == "places-csv" else 1, ROWS + 1) if n != 58}


@pytest.mark.parametrize("kind", KINDS)
def test_a_file_with_too_many_malformed_rows_is_refused_before_the_rebuild(tmp_path, capsys, built_cache, no_build,
                                                                            kind):
    option, path = write_user_file(tmp_path, kind, bad=set(range(10, ROWS + 1, 10)))  # 10 %, past a quick look at the head
    before = state(built_cache)

    assert cli.main(["gazetteer", "build", option, str(path), "--cache-dir", str(built_cache), "-q"]) == 2

    err = one_error_line(capsys, str(path))
    assert "20 of" in err and "malformed" in err and "line 10: " in err and "line 20: " in err
    assert state(built_cache) == before
    assert [p.name for p in built_cache.iterdir() if p.name.endswith(".tmp")] == []


def test_a_previously_added_file_that_was_damaged_since_is_refused_before_the_rebuild(tmp_path, capsys, built_cache,
                                                                                     no_build):
    registered = json.loads((built_cache / SOURCES_NAME).read_text())[0]["path"]
    Path(registered).write_text(geonames_text(bad=set(range(10, ROWS + 1, 10))), encoding="utf-8")
    before = state(built_cache)

    assert cli.main(["gazetteer", "build", "--cache-dir", str(built_cache), "-q"]) == 2

    one_error_line(capsys, registered, "line 10: ")
    assert state(built_cache) == before


def test_missing_unreadable_and_undecodable_files_are_one_line(tmp_path, capsys, built_cache, no_build, monkeypatch):
    before = state(built_cache)

    def build(option: str, path: Path) -> None:
        assert cli.main(["gazetteer", "build", option, str(path), "--cache-dir", str(built_cache), "-q"]) == 2

    build("--geonames", tmp_path / "nowhere.zip")
    one_error_line(capsys, "nowhere.zip: no such file")
    build("--places-csv", tmp_path / "nope.csv")
    one_error_line(capsys, "nope.csv: no such file")

    latin1 = tmp_path / "SY.txt"
    latin1.write_bytes(geonames_text(set()).replace("Testplace010", "Tést").encode("latin-1"))
    build("--geonames", latin1)
    one_error_line(capsys, "SY.txt", "UTF-8")

    locked = tmp_path / "allCountries.zip"
    locked.write_bytes((tmp_path / "SY.txt").read_bytes())
    locked.chmod(0)
    if os.access(locked, os.R_OK):
        # Running as root, which reads any file: have the OS refuse as it would anyone else.
        def open_refusing(file, *args, **kwargs):
            if Path(file) == locked:
                raise PermissionError(13, "Permission denied", str(file))
            return builtins.open(file, *args, **kwargs)

        monkeypatch.setattr(imports, "open", open_refusing, raising=False)
    build("--geonames", locked)
    one_error_line(capsys, "allCountries.zip: cannot read file: Permission denied")

    assert state(built_cache) == before


# --- lookup ----------------------------------------------------------------------------


def lookup(capsys, cache_dir: Path, *args: str) -> tuple[int, list[dict], str]:
    code = cli.main(["gazetteer", "lookup", *args, "--cache-dir", str(cache_dir), "--json", "-q"])
    out, err = capsys.readouterr()
    return code, json.loads(out)["results"] if out else [], err


def test_lookup_country_filter(capsys, cache_dir, gazetteer):
    # Tripoli is Libya's capital, a Lebanese city, a Greek town and an Iowa village.
    _, everywhere, _ = lookup(capsys, cache_dir, "Tripoli", "-n", "20")
    assert {"LY", "LB"} <= {r["country_code"] for r in everywhere}
    for country, iso2 in [("LB", "LB"), ("lbn", "LB"), ("Lebanon", "LB"), ("LY", "LY"), ("LBY", "LY"), ("Libya", "LY")]:
        code, found, _ = lookup(capsys, cache_dir, "Tripoli", "--country", country, "-n", "20")
        assert code == 0 and found, country
        assert {r["country_code"] for r in found} == {iso2}, country


@pytest.mark.parametrize("country", ["XX", "Narnia", ""])
def test_lookup_unknown_country_is_a_usage_error(capsys, cache_dir, gazetteer, country):
    code = cli.main(["gazetteer", "lookup", "Tripoli", "--country", country, "--cache-dir", str(cache_dir), "-q"])
    assert code == 2
    out, err = capsys.readouterr()
    assert out == "" and "Traceback" not in err
    assert err.count("\n") == 1 and f"--country {country!r}" in err


@pytest.mark.parametrize("limit", ["0", "-3", "two"])
def test_lookup_limit_must_be_positive(capsys, cache_dir, gazetteer, limit):
    with pytest.raises(SystemExit) as exited:
        cli.main(["gazetteer", "lookup", "Tripoli", "-n", limit, "--cache-dir", str(cache_dir), "-q"])
    assert exited.value.code == 2
    out, err = capsys.readouterr()
    assert out == "" and "Traceback" not in err
    [error] = [line for line in err.splitlines() if "error:" in line]
    assert "-n/--limit" in error and limit in error
