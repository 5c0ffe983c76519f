"""Building the index: concurrent first builds, user dumps and place lists, bad files, staleness."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from geoevents.gazetteer.geocoder import Gazetteer
from geoevents.gazetteer.index import INDEX_NAME, UserSource, ensure_index, read_meta, rebuild
from geoevents.gazetteer.records import GazetteerSourceError

REPO = Path(__file__).resolve().parents[1]


def geoname_row(gid, name, lat, lon, fclass="P", fcode="PPL", cc="SY", admin1="07", alternates="", pop=0):
    ascii_name = name.encode("ascii", "ignore").decode()
    cols = [gid, name, ascii_name, alternates, lat, lon, fclass, fcode, cc, "", admin1, "", "", "", pop,
            "", "200", "Asia/Damascus", "2024-01-01"]
    return "\t".join(str(c) for c in cols) + "\n"


def write_country_zip(path: Path) -> Path:
    """A per-country GeoNames dump (``SY.zip`` holding ``SY.txt`` and ``readme.txt``)."""
    rows = geoname_row(9_990_001, "Al-Kishmah", 34.8531, 40.6200, alternates="Kishma,Kishmah,KSH", pop=4000)
    rows += geoname_row(9_990_002, "Khasham", 35.2739, 40.3064, pop=5000)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("SY.txt", rows)
        archive.writestr("readme.txt", "test dump\n")
    return path


def write_places_csv(path: Path, extra: str = "") -> Path:
    path.write_text(
        "where_coordinates,latitude,longitude,country\n"
        "Gharanij town,34.7700,40.7900,Syria\n"
        "Qaryat al-Jurdi,35.0711,40.3825,Syria\n" + extra,
        encoding="utf-8",
    )
    return path


def copy_index(src: Gazetteer, cache_dir: Path) -> Path:
    cache_dir.mkdir(parents=True, exist_ok=True)
    shutil.copy(src.path, cache_dir / INDEX_NAME)
    return cache_dir / INDEX_NAME


def test_two_processes_building_at_once_build_one_good_index(tmp_path):
    cache = tmp_path / "cache"
    code = ("import sys; from geoevents.gazetteer.geocoder import Gazetteer; "
            "g = Gazetteer(cache_dir=sys.argv[1]); print(g.geocode('Mosul').raw['geonameid'])")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    procs = [subprocess.Popen([sys.executable, "-c", code, str(cache)], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, env=env) for _ in range(2)]
    results = [p.communicate(timeout=600) for p in procs]
    for proc, (out, err) in zip(procs, results):
        assert proc.returncode == 0, err
        assert out.strip() == "99072"
    assert [p.name for p in cache.iterdir() if p.name.endswith(".tmp")] == []
    meta = read_meta(cache / INDEX_NAME)
    assert meta["fingerprint"]
    # The second process found the first one's index under the lock instead of building again.
    assert ensure_index(cache) == cache / INDEX_NAME
    assert read_meta(cache / INDEX_NAME)["built_at"] == meta["built_at"]


def test_user_dump_and_place_list_are_imported_and_tracked(tmp_path, gazetteer):
    cache = tmp_path / "cache"
    dump = write_country_zip(tmp_path / "SY.zip")
    places = write_places_csv(tmp_path / "ged_places.csv")
    path = rebuild(cache, add=[UserSource(str(dump), "geonames"), UserSource(str(places), "places_csv")])
    gaz = Gazetteer(path)
    kishmah = gaz.geocode("Kishma")
    assert kishmah.raw["geonameid"] == 9_990_001 and kishmah.raw["source"] == "geonames:SY.zip"
    assert kishmah.raw["admin1"] == "Deir ez-Zor"
    assert gaz.geocode("KSH") is None  # an airport-style code in the dump is not a name
    gharanij = gaz.geocode("Gharanij")
    assert gharanij.raw["source"] == "csv:ged_places.csv" and gharanij.raw["country_code"] == "SY"
    assert gaz.geocode("Mosul").raw["geonameid"] == 99072  # packaged sources are still there
    assert {s["kind"] for s in gaz.info()["user_sources"]} == {"geonames", "places_csv"}

    # Changing a registered file makes the index stale; the next open rebuilds with the change.
    built = read_meta(path)["built_at"]
    write_places_csv(places, extra="Tayyana,35.0400,40.4100,Syria\n")
    os.utime(places, (1, 1))
    reopened = Gazetteer(cache_dir=cache)
    assert reopened.geocode("Tayyana") is not None
    assert read_meta(path)["fingerprint"] != "" and (read_meta(path)["built_at"] >= built)


@pytest.mark.parametrize("content, problem", [
    (b"PK\x03\x04 this is not really a zip", "zip"),
    (b"", "zip"),
    (b"just some words\nand more words\n", ""),
])
def test_corrupt_dump_leaves_the_existing_index_untouched(tmp_path, gazetteer, content, problem):
    cache = tmp_path / "cache"
    index = copy_index(gazetteer, cache)
    before = (index.stat().st_mtime_ns, read_meta(index))
    bad = tmp_path / "allCountries.zip"
    bad.write_bytes(content)
    with pytest.raises(GazetteerSourceError) as caught:
        rebuild(cache, add=[UserSource(str(bad), "geonames")])
    message = str(caught.value)
    assert "allCountries.zip" in message and "\n" not in message
    assert problem in message.lower()
    assert (index.stat().st_mtime_ns, read_meta(index)) == before
    assert not (cache / "sources.json").exists()
    assert [p.name for p in cache.iterdir() if p.name.endswith(".tmp")] == []


def test_missing_user_file_is_refused_with_its_name(tmp_path):
    with pytest.raises(GazetteerSourceError, match="nowhere.zip: no such file"):
        rebuild(tmp_path / "cache", add=[UserSource(str(tmp_path / "nowhere.zip"), "geonames")])


def test_a_build_killed_midway_leaves_no_broken_index(tmp_path, gazetteer):
    cache = tmp_path / "cache"
    index = copy_index(gazetteer, cache)
    code = ("import sys; from geoevents.gazetteer.index import rebuild; rebuild(sys.argv[1], reset=True)")
    proc = subprocess.Popen([sys.executable, "-c", code, str(cache)], env={**os.environ, "PYTHONPATH": str(REPO)})
    # Wait until the temporary file appears, then kill the build.
    for _ in range(600):
        if any(p.name.endswith(".tmp") for p in cache.iterdir()):
            break
        if proc.poll() is not None:
            break
        import time

        time.sleep(0.05)
    proc.kill()
    proc.wait()
    assert Gazetteer(index).geocode("Raqqa").raw["country_code"] == "SY"
