"""Fetch GeoNames dumps into the user cache, resumably, and check each zip before it counts as downloaded.

GeoNames publishes one zip per country (``BASE/SY.zip``), one for the world
(``BASE/allCountries.zip``) and the alternate names likewise (``BASE/alternatenames/SY.zip``,
``BASE/alternateNamesV2.zip``). A download streams into ``NAME.part``; an interrupted one is
resumed with an HTTP Range request, and only a zip that opens, holds its data file and passes
its CRC check is renamed to its final name, with a small record of what the server sent.
Every failure is a ``DownloadError``: one line naming the URL and how to import the file by hand.
"""
from __future__ import annotations

import http.client
import json
import os
import re
import time
import urllib.error
import urllib.request
import zipfile
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from .. import __version__
from .packages import load_countries

DEFAULT_BASE_URL = "https://download.geonames.org/export/dump/"
BASE_URL_ENV = "GEOEVENTS_GEONAMES_URL"
DOWNLOADS_FOLDER = "downloads"
_CHUNK = 1 << 20
_TIMEOUT = 60  # seconds without a byte from the server before giving up

# Called with bytes written so far and the file's full size (None when the server does not say).
TransferProgress = Callable[[int, "int | None"], None]


class DownloadError(Exception):
    """A dump could not be fetched or is damaged; the message is one line a user can act on."""


@dataclass(frozen=True)
class Dump:
    """One GeoNames file: where it is below the base URL, what it holds, what it is called here."""

    remote: str  # "SY.zip", "alternatenames/SY.zip"
    kind: str  # the index's user-source kind: "geonames" or "alternate_names"
    member: str  # the data file the zip must hold
    local: str  # the file name in the downloads folder; also the name to save a by-hand download as

    def url(self, base: str) -> str:
        return base + self.remote

    def by_hand(self) -> str:
        """How to do this download's job without geoevents' help."""
        saved_as = "" if self.remote == self.local else f", save it as {self.local},"
        return f"fetch it by hand{saved_as} then import it with: geoevents gazetteer build --geonames {self.local}"


def country_dump(code: str) -> Dump:
    return Dump(f"{code}.zip", "geonames", f"{code}.txt", f"{code}.zip")


def country_alternate_names_dump(code: str) -> Dump:
    # Saved under a name that says what it holds: "SY.zip" would be read as a geoname table.
    return Dump(f"alternatenames/{code}.zip", "alternate_names", f"{code}.txt", f"alternateNames-{code}.zip")


ALL_COUNTRIES = Dump("allCountries.zip", "geonames", "allCountries.txt", "allCountries.zip")
ALL_ALTERNATE_NAMES = Dump("alternateNamesV2.zip", "alternate_names", "alternateNamesV2.txt", "alternateNamesV2.zip")


def country_code(text: str) -> str:
    """The ISO 3166 alpha-2 code for ``text`` (an alpha-2 or alpha-3 code, any case); ValueError otherwise."""
    code = text.strip().upper()
    countries = load_countries()
    if len(code) == 2 and code in countries:
        return code
    if len(code) == 3:
        for iso2, row in countries.items():
            if row.get("iso3") == code:
                return iso2
    raise ValueError(f"{text!r} is not an ISO 3166 country code (give codes such as SY IQ, or --all)")


def wanted_dumps(countries: Iterable[str], all_countries: bool = False, alternate_names: bool = False) -> list[Dump]:
    """The files to fetch for country codes or the whole world; ValueError naming a bad request."""
    countries = list(countries)
    if all_countries and countries:
        raise ValueError("--all already holds every country: give country codes or --all, not both")
    if all_countries:
        return [ALL_COUNTRIES, *([ALL_ALTERNATE_NAMES] if alternate_names else [])]
    if not countries:
        raise ValueError("give ISO country codes (e.g. SY IQ) or --all")
    codes = list(dict.fromkeys(country_code(c) for c in countries))
    dumps = [country_dump(c) for c in codes]
    if alternate_names:
        dumps += [country_alternate_names_dump(c) for c in codes]
    return dumps


def base_url(given: str | None = None) -> str:
    """The GeoNames export folder to fetch from: ``given``, ``$GEOEVENTS_GEONAMES_URL`` or GeoNames itself."""
    url = (given or os.environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL).strip()
    if not re.match(r"(https?|file)://", url, re.IGNORECASE):
        raise ValueError(f"{url!r} is not an http://, https:// or file:// URL")
    return url if url.endswith("/") else url + "/"


def downloads_dir(cache_dir: Path) -> Path:
    return cache_dir / DOWNLOADS_FOLDER


@dataclass(frozen=True)
class Fetched:
    dump: Dump
    path: Path
    url: str
    how: str  # "downloaded", "resumed" or "present" (already here, verified: nothing fetched)
    size: int


def fetch(dump: Dump, base: str, folder: Path, progress: TransferProgress | None = None,
          timeout: float = _TIMEOUT) -> Fetched:
    """Make ``folder/dump.local`` a complete, verified copy of the dump, fetching only what is missing."""
    folder.mkdir(parents=True, exist_ok=True)
    final = folder / dump.local
    url = dump.url(base)
    if _record(final) is not None:
        return Fetched(dump, final, url, "present", final.stat().st_size)
    part = final.with_name(final.name + ".part")
    part_record = final.with_name(final.name + ".part.json")
    offset = part.stat().st_size if part.is_file() else 0
    validator = _read_json(part_record).get("validator") if offset else None
    try:
        response = _open(url, offset, validator, timeout)
        if response is None:  # the server refused the range: the part is stale or already too long
            offset = 0
            response = _open(url, 0, None, timeout)
    except urllib.error.HTTPError as exc:
        raise DownloadError(f"{url}: the server answered HTTP {exc.code} {exc.reason}; {dump.by_hand()}") from None
    except (urllib.error.URLError, OSError, http.client.HTTPException) as exc:
        raise DownloadError(f"cannot reach {url} ({_reason(exc)}); {dump.by_hand()}") from None
    with response:
        offset, total = _resume_point(response, offset)
        headers = response.headers
        validator = headers.get("ETag") or headers.get("Last-Modified")
        _write_json(part_record, {"url": url, "validator": validator})
        written = _stream(response, part, offset, total, progress, url, dump)
    problem = zip_problem(part, dump.member)
    if problem:
        part.unlink(missing_ok=True)
        part_record.unlink(missing_ok=True)
        raise DownloadError(f"{url}: the downloaded file is damaged ({problem}); nothing was imported; "
                            f"{dump.by_hand()}")
    os.replace(part, final)
    _write_json(_record_path(final), {"url": url, "size": written, "etag": headers.get("ETag"),
                                      "last_modified": headers.get("Last-Modified"),
                                      "downloaded_at": time.strftime("%Y-%m-%dT%H:%M:%S%z")})
    part_record.unlink(missing_ok=True)
    return Fetched(dump, final, url, "resumed" if offset else "downloaded", written)


@dataclass(frozen=True)
class ImportReport:
    """What importing fetched dumps did to the gazetteer: its build record's counts before and after."""

    imported: list[Fetched]  # the dumps this import added; the other fetched ones were in it already
    before: dict  # {} when there was no index before
    after: dict

    def places_added(self, fetched: Fetched) -> int:
        """The places a dump added (0 for alternate names, which add names only)."""
        source = f"geonames:{fetched.path.name}"
        return self.after.get("by_source", {}).get(source, 0) - self.before.get("by_source", {}).get(source, 0)

    @property
    def names_added(self) -> int | None:
        return self.after.get("names", 0) - self.before.get("names", 0) if self.before else None


def not_imported(cache_dir: Path, fetched: Iterable[Fetched]) -> list[Fetched]:
    """The fetched dumps the gazetteer in ``cache_dir`` was not built from yet."""
    from .index import registered_sources

    registered = {(s.path, s.kind) for s in registered_sources(cache_dir)}
    return [f for f in fetched if (str(f.path), f.dump.kind) not in registered]


def import_fetched(cache_dir: Path, dumps: list[Fetched], progress: Callable[[str], None] | None = None
                   ) -> ImportReport:
    """One rebuild of the gazetteer adding ``dumps`` (none: nothing is rebuilt). A dump the importer
    refuses is forgotten, so the next call fetches it afresh; its ``GazetteerSourceError`` is raised."""
    from .index import INDEX_NAME, UserSource, read_meta, rebuild
    from .records import GazetteerSourceError

    index = cache_dir / INDEX_NAME
    before = json.loads(read_meta(index).get("counts") or "{}")
    if not dumps:
        return ImportReport([], before, before)
    try:
        rebuild(cache_dir, add=[UserSource(str(f.path), f.dump.kind) for f in dumps], progress=progress)
    except GazetteerSourceError as exc:
        for f in dumps:
            if str(f.path) == exc.path:
                forget(f.path)
        raise
    return ImportReport(list(dumps), before, json.loads(read_meta(index).get("counts") or "{}"))


def forget(path: Path) -> None:
    """Drop a downloaded file and its record, so the next call fetches it afresh."""
    path.unlink(missing_ok=True)
    _record_path(path).unlink(missing_ok=True)


def zip_problem(path: Path, member: str) -> str:
    """Why ``path`` is not a whole zip holding ``member`` (checked by CRC); "" when it is."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            if member not in names:
                return f"it holds no {member}"
            bad = archive.testzip()
            if bad is not None:
                return f"{bad} fails its CRC check"
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, RuntimeError, NotImplementedError) as exc:
        return f"not a whole zip archive: {exc}"
    return ""


def _open(url: str, offset: int, validator: str | None, timeout: float):
    """The server's response to a request for ``url`` from byte ``offset``; None when it refuses the range."""
    headers = {"User-Agent": f"geoevents/{__version__} (+gazetteer download)"}
    if offset:
        headers["Range"] = f"bytes={offset}-"
        if validator:
            headers["If-Range"] = validator  # the server sends the whole file if it changed since
    try:
        return urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=timeout)
    except urllib.error.HTTPError as exc:
        if exc.code == 416 and offset:
            exc.close()
            return None
        raise


def _resume_point(response, offset: int) -> tuple[int, int | None]:
    """Where the body starts in the file and the file's full size: a server may ignore the Range asked for."""
    status = getattr(response, "status", None) or 200  # file:// answers carry no status
    length = response.headers.get("Content-Length")
    length = int(length) if length and length.isdigit() else None
    if status == 206:
        match = re.fullmatch(r"bytes (\d+)-\d+/(\d+|\*)", response.headers.get("Content-Range", "").strip())
        if match and int(match.group(1)) == offset:
            return offset, int(match.group(2)) if match.group(2) != "*" else None
        raise DownloadError(f"{response.geturl()}: the server sent an unexpected part of the file "
                            f"({response.headers.get('Content-Range')!r})")
    return 0, length


def _stream(response, part: Path, offset: int, total: int | None, progress: TransferProgress | None,
            url: str, dump: Dump) -> int:
    """Append the body to ``part`` (truncated first when starting over); the bytes it then holds."""
    written = offset
    with open(part, "ab" if offset else "wb") as out:
        while True:
            try:
                chunk = response.read(_CHUNK)
            except (OSError, http.client.HTTPException) as exc:
                reason = _reason(exc)
                break
            if not chunk:
                if total is None or written == total:
                    return written
                reason = "the server closed the connection early"
                break
            out.write(chunk)
            written += len(chunk)
            if progress:
                progress(written, total)
    size = f" of {size_text(total)}" if total else ""
    raise DownloadError(f"{url}: the connection broke after {size_text(written)}{size} ({reason}); run the same "
                        f"command again to resume, or {dump.by_hand()}")


def _record_path(final: Path) -> Path:
    return final.with_name(final.name + ".json")


def _record(final: Path) -> dict | None:
    """What was stored about a completed download, when the file is still as it was then."""
    record = _read_json(_record_path(final))
    if not record or not final.is_file() or final.stat().st_size != record.get("size"):
        return None
    return record


def _read_json(path: Path) -> dict:
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


def _write_json(path: Path, value: dict) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(value, indent=1), encoding="utf-8")
    os.replace(tmp, path)


def _reason(exc: Exception) -> str:
    reason = getattr(exc, "reason", None) or exc
    if isinstance(reason, OSError) and reason.strerror:
        return reason.strerror.lower()
    if isinstance(exc, http.client.IncompleteRead):
        return "the server closed the connection early"
    return str(reason).strip() or type(exc).__name__


def size_text(n: int) -> str:
    """A byte count as a reader wants it: "3.2 MB", "95 kB"."""
    return f"{n / 1e6:.1f} MB" if n >= 1e6 else f"{n / 1e3:.0f} kB"
