"""`geoevents gazetteer download` against a local stand-in for GeoNames' export folder.

The server serves zips the tests write in GeoNames' own formats, and can drop a connection
midway, ignore Range requests or serve a damaged zip. Index builds are slow, so one test
carries a download from a dropped connection through resume, import and a repeat call.
"""
from __future__ import annotations

import hashlib
import io
import shutil
import threading
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from geoevents.cli import main
from geoevents.gazetteer import download
from geoevents.gazetteer.geocoder import Gazetteer
from geoevents.gazetteer.index import INDEX_NAME, read_meta

# Made-up villages at made-up points in the Syrian desert; no real gazetteer has them.
VILLAGES = [
    (9_870_001, "Khirbet Zulqarnayfa", 34.9137, 39.4721, "Zulqarnayfa"),
    (9_870_002, "Tall Marqubayn", 35.0412, 39.6083, ""),
    (9_870_003, "Qaryat Sabiryun", 34.7788, 39.9925, ""),
]


def geoname_row(gid: int, name: str, lat: float, lon: float, alternates: str = "") -> str:
    """One row of GeoNames' 19-column ``geoname`` table."""
    cols = [gid, name, name, alternates, f"{lat:.5f}", f"{lon:.5f}", "P", "PPL", "SY", "", "07", "", "", "",
            "0", "", "250", "Asia/Damascus", "2026-01-15"]
    return "\t".join(str(c) for c in cols) + "\n"


def country_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("SY.txt", "".join(geoname_row(*v) for v in VILLAGES))
        archive.writestr("readme.txt", "a test dump in GeoNames' format\n")
        # Enough filler that a dropped connection leaves a real partial file behind.
        archive.writestr("filler.bin", hashlib.sha256(b"seed").digest() * 4000, compress_type=zipfile.ZIP_STORED)
    return buffer.getvalue()


def alternate_names_zip() -> bytes:
    """``alternatenames/SY.zip``: alternateNameId, geonameid, language, name, four flags, from, to."""
    row = "\t".join(["77000001", str(VILLAGES[1][0]), "en", "Tell Marqubain", "1", "", "", "", "", ""]) + "\n"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("SY.txt", row)
    return buffer.getvalue()


class DumpServer:
    """Serves ``files`` (path -> bytes) over HTTP on 127.0.0.1, honouring Range and If-Range like GeoNames."""

    def __init__(self):
        self.files: dict[str, bytes] = {}
        self.requests: list[tuple[str, str | None]] = []  # (path, Range header)
        self.honour_range = True
        self.drop_next_after: int | None = None  # bytes of body to send before hanging up, once
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_args):
                pass

            def do_GET(self):
                server.requests.append((self.path, self.headers.get("Range")))
                body = server.files.get(self.path.lstrip("/"))
                if body is None:
                    self.send_error(404, "Not Found")
                    return
                etag = '"' + hashlib.sha1(body).hexdigest() + '"'
                start = 0
                wanted = self.headers.get("Range", "")
                if_range = self.headers.get("If-Range")
                if server.honour_range and wanted.startswith("bytes=") and if_range in (None, etag):
                    start = int(wanted[len("bytes="):].rstrip("-"))
                payload = body[start:]
                self.send_response(206 if start else 200)
                if start:
                    self.send_header("Content-Range", f"bytes {start}-{len(body) - 1}/{len(body)}")
                self.send_header("Content-Length", str(len(payload)))
                self.send_header("ETag", etag)
                self.send_header("Content-Type", "application/zip")
                self.end_headers()
                if server.drop_next_after is not None:
                    payload, server.drop_next_after = payload[:server.drop_next_after], None
                    self.close_connection = True
                self.wfile.write(payload)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/export/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def serve(self, name: str, body: bytes) -> None:
        self.files[f"export/{name}"] = body


@pytest.fixture
def server():
    dump_server = DumpServer()
    dump_server.thread.start()
    yield dump_server
    dump_server.httpd.shutdown()
    dump_server.httpd.server_close()


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main(["gazetteer", "download", *map(str, argv), "-q"])
    out, err = capsys.readouterr()
    return code, out, err


def test_interrupted_download_resumes_imports_and_is_not_fetched_again(tmp_path, server, capsys):
    cache = tmp_path / "cache"
    body = country_zip()
    server.serve("SY.zip", body)

    # The connection drops halfway through SY.zip and the mirror lacks the alternate names yet:
    # one line each, no index, nothing that looks complete.
    server.drop_next_after = len(body) // 2
    code, out, err = run(capsys, "SY", "--alternate-names", "--from", server.url, "--cache-dir", cache)
    assert code == 1
    dropped, missing = err.strip().splitlines()
    assert dropped.startswith(f"geoevents: error: {server.url}SY.zip: the connection broke after ")
    assert "run the same command again to resume" in dropped
    assert dropped.endswith("geoevents gazetteer build --geonames SY.zip")
    assert "alternatenames/SY.zip: the server answered HTTP 404" in missing
    downloads = cache / "downloads"
    assert (downloads / "SY.zip.part").stat().st_size == len(body) // 2
    assert not (downloads / "SY.zip").exists()
    assert not (cache / INDEX_NAME).exists()  # nothing was imported, not even the file that did arrive

    # The same command again asks only for the rest, then imports both files.
    server.serve("alternatenames/SY.zip", alternate_names_zip())
    server.requests.clear()
    code, out, err = run(capsys, "sy", "--alternate-names", "--from", server.url, "--cache-dir", cache)
    assert code == 0, err
    assert ("/export/SY.zip", f"bytes={len(body) // 2}-") in server.requests
    assert (downloads / "SY.zip").read_bytes() == body
    assert "SY.zip: resumed" in out and "3 places added" in out
    gazetteer = Gazetteer(cache_dir=cache)
    for gid, name, lat, lon, alternate in VILLAGES:
        found = gazetteer.geocode(name)
        assert found.raw["geonameid"] == gid and (found.latitude, found.longitude) == pytest.approx((lat, lon))
    assert gazetteer.geocode("Zulqarnayfa").raw["geonameid"] == VILLAGES[0][0]  # the dump's own alternate name
    assert gazetteer.geocode("Tell Marqubain").raw["geonameid"] == VILLAGES[1][0]  # from alternatenames/SY.zip
    assert gazetteer.geocode("Mosul").raw["geonameid"] == 99072  # the packaged places are still there

    # A second call for the same files fetches nothing and rebuilds nothing.
    built = read_meta(cache / INDEX_NAME)["built_at"], (cache / INDEX_NAME).stat().st_mtime_ns
    server.requests.clear()
    code, out, err = run(capsys, "SYR", "--alternate-names", "--from", server.url, "--cache-dir", cache)
    assert code == 0 and err == ""
    assert server.requests == []
    assert out.splitlines() == ["SY.zip: already downloaded and in the gazetteer; nothing to do",
                                "alternateNames-SY.zip: already downloaded and in the gazetteer; nothing to do"]
    assert (read_meta(cache / INDEX_NAME)["built_at"], (cache / INDEX_NAME).stat().st_mtime_ns) == built


def test_a_partial_file_is_resumed_with_a_range_request(tmp_path, server):
    body = country_zip()
    server.serve("SY.zip", body)
    folder = tmp_path / "downloads"
    folder.mkdir()
    (folder / "SY.zip.part").write_bytes(body[:5000])
    seen = []
    fetched = download.fetch(download.country_dump("SY"), server.url, folder, lambda done, total: seen.append(total))
    assert fetched.how == "resumed" and fetched.size == len(body)
    assert server.requests == [("/export/SY.zip", "bytes=5000-")]
    assert (folder / "SY.zip").read_bytes() == body and not (folder / "SY.zip.part").exists()
    assert seen and set(seen) == {len(body)}


def test_a_server_ignoring_range_is_downloaded_from_the_start(tmp_path, server):
    body = country_zip()
    server.serve("SY.zip", body)
    server.honour_range = False
    folder = tmp_path / "downloads"
    folder.mkdir()
    (folder / "SY.zip.part").write_bytes(b"stale bytes of some other file")
    fetched = download.fetch(download.country_dump("SY"), server.url, folder)
    assert fetched.how == "downloaded"
    assert (folder / "SY.zip").read_bytes() == body


def test_a_changed_file_is_not_stitched_onto_the_old_part(tmp_path, server):
    old, new = country_zip(), alternate_names_zip() + country_zip()
    server.serve("SY.zip", old)
    server.drop_next_after = 3000
    folder = tmp_path / "downloads"
    with pytest.raises(download.DownloadError):
        download.fetch(download.country_dump("SY"), server.url, folder)
    server.serve("SY.zip", new)  # GeoNames regenerates its dumps every day
    fetched = download.fetch(download.country_dump("SY"), server.url, folder)
    assert fetched.how == "downloaded" and (folder / "SY.zip").read_bytes() == new


def damaged(body: bytes, how: str) -> bytes:
    if how == "truncated":
        return body[: len(body) * 2 // 3]
    data_start = body.index(b"SY.txt") + len("SY.txt") + 10  # inside SY.txt's compressed bytes
    return body[:data_start] + bytes([body[data_start] ^ 0xFF]) + body[data_start + 1:]


@pytest.mark.parametrize("how", ["truncated", "flipped byte"])
def test_a_damaged_zip_is_refused_and_the_index_is_untouched(tmp_path, server, capsys, gazetteer, how):
    cache = tmp_path / "cache"
    cache.mkdir()
    index = cache / INDEX_NAME
    shutil.copy(gazetteer.path, index)
    before = index.stat().st_mtime_ns, read_meta(index)
    server.serve("SY.zip", damaged(country_zip(), how))
    code, out, err = run(capsys, "SY", "--from", server.url, "--cache-dir", cache)
    assert code == 1
    [line] = err.strip().splitlines()
    assert f"{server.url}SY.zip: the downloaded file is damaged" in line and "nothing was imported" in line
    assert (index.stat().st_mtime_ns, read_meta(index)) == before
    assert sorted(p.name for p in (cache / "downloads").iterdir()) == []  # no part file posing as a download
    assert not (cache / "sources.json").exists()


def test_offline_says_which_file_to_fetch_and_how_to_import_it(tmp_path, capsys):
    closed = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    url = f"http://127.0.0.1:{closed.server_address[1]}/dump"
    closed.server_close()  # nothing listens on that port now: connection refused
    code, out, err = run(capsys, "SY", "--alternate-names", "--from", url, "--cache-dir", tmp_path / "cache")
    assert code == 1 and out == ""
    lines = err.strip().splitlines()
    assert lines == [
        f"geoevents: error: cannot reach {url}/SY.zip (connection refused); fetch it by hand then import it with: "
        "geoevents gazetteer build --geonames SY.zip",
        f"geoevents: error: cannot reach {url}/alternatenames/SY.zip (connection refused); fetch it by hand, save it "
        "as alternateNames-SY.zip, then import it with: geoevents gazetteer build --geonames alternateNames-SY.zip",
    ]
    assert not (tmp_path / "cache" / INDEX_NAME).exists()


def test_missing_file_on_the_server_is_one_line(tmp_path, server, capsys, monkeypatch):
    monkeypatch.setenv(download.BASE_URL_ENV, server.url)  # the mirror comes from the environment
    code, out, err = run(capsys, "IQ", "--cache-dir", tmp_path / "cache")
    assert code == 1
    assert err.strip().splitlines() == [
        f"geoevents: error: {server.url}IQ.zip: the server answered HTTP 404 Not Found; fetch it by hand then "
        "import it with: geoevents gazetteer build --geonames IQ.zip"]


@pytest.mark.parametrize("argv, problem", [
    (["QQ"], "'QQ' is not an ISO 3166 country code"),
    (["Syria"], "'Syria' is not an ISO 3166 country code"),
    ([], "give ISO country codes"),
    (["SY", "--all"], "give country codes or --all, not both"),
    (["SY", "--from", "ftp://example.org/"], "is not an http://, https:// or file:// URL"),
])
def test_bad_requests_are_one_line(tmp_path, capsys, argv, problem):
    code, out, err = run(capsys, *argv, "--cache-dir", tmp_path / "cache")
    assert code == 2 and out == ""
    [line] = err.strip().splitlines()
    assert line.startswith("geoevents: error: ") and problem in line


def test_the_files_asked_for_follow_geonames_layout():
    assert [d.remote for d in download.wanted_dumps(["sy", "IRQ"], alternate_names=True)] == [
        "SY.zip", "IQ.zip", "alternatenames/SY.zip", "alternatenames/IQ.zip"]
    assert [d.remote for d in download.wanted_dumps([], all_countries=True, alternate_names=True)] == [
        "allCountries.zip", "alternateNamesV2.zip"]
    assert download.base_url("https://mirror.example/geonames") == "https://mirror.example/geonames/"


def test_a_whole_zip_the_importer_refuses_is_not_kept_as_downloaded(tmp_path, server, capsys):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("SY.txt", "this\tis not\ta geoname table\n" * 5)
    server.serve("SY.zip", buffer.getvalue())
    cache = tmp_path / "cache"
    code = main(["gazetteer", "download", "SY", "--from", server.url, "--cache-dir", str(cache), "-q"])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    [line] = err.strip().splitlines()
    assert line.startswith(f"geoevents: error: {cache / 'downloads' / 'SY.zip'}: ")
    assert not (cache / "downloads" / "SY.zip").exists() and not (cache / INDEX_NAME).exists()
    assert not (cache / "sources.json").exists()
