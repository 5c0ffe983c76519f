"""Read news articles from plain-text files, folders, JSON Lines (plain or gzip), JSON, CSV and stdin into Article records.

Everything downstream (geoparsing, event extraction, the CLI) consumes ``Article`` and
never touches a file. Input a user hands us is messy, so every problem with one file or
row becomes a ``Skipped`` record passed to a ``report`` callback, and the rest of the batch
goes on: a user input problem never raises out of ``read_articles``.

JSON Lines and CSV files can also be read a byte range at a time (``Span``), so a Dask
worker reads its own part of a big file with this same code (``text/partitions.py``).
"""
from __future__ import annotations

import csv
import gzip
import io
import json
import logging
import os
import re
import sys
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import BinaryIO, TextIO

from ..errors import one_line
from .article import Article, Skipped, text_key
from .dates import parse_published
from .datelines import DATELINE, published_from_dateline

__all__ = ["MAX_ARTICLE_CHARS", "example_articles", "read_articles"]

log = logging.getLogger(__name__)

# Far above any real news story (a long feature is ~50k characters); anything bigger is a
# mis-split dump or a binary file and would stall the NLP pipeline.
MAX_ARTICLE_CHARS = 2_000_000
FIELDS = ("id", "title", "text", "url", "source", "published")
TEXT_SUFFIXES = {".txt"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
GZIP_JSONL_SUFFIXES = {".jsonl.gz", ".ndjson.gz"}
JSON_SUFFIXES = {".json"}
CSV_SUFFIXES = {".csv"}
FOLDER_SUFFIXES = TEXT_SUFFIXES | JSONL_SUFFIXES | GZIP_JSONL_SUFFIXES | JSON_SUFFIXES | CSV_SUFFIXES
# Files whose records are lines (a CSV only while no quoted field holds a line break): a byte range of one is read alone.
SPLITTABLE_SUFFIXES = JSONL_SUFFIXES | CSV_SUFFIXES
STDIN = "-"
STDIN_ORIGIN = "<stdin>"
MAX_TITLE_CHARS = 200
PathLike = str | os.PathLike


class _Bad(Exception):
    """One input item is unusable; the message is the reason shown to the user."""


@dataclass(frozen=True, slots=True)
class Span:
    """Which lines of a file to read: those that start at a byte offset in [start, end), numbered from ``first_line``.

    A line belongs to the span it starts in, so spans cut anywhere split a file at line
    boundaries without anyone reading it to find them.
    """

    start: int = 0
    end: int | None = None   # None: to the end of the file
    first_line: int = 1


WHOLE = Span()


def file_suffix(path: Path) -> str:
    """The suffix that picks the reader, lower-case; a gzip file keeps the suffix under it (``.jsonl.gz``)."""
    suffix = path.suffix.lower()
    if suffix == ".gz":
        return Path(path.stem).suffix.lower() + suffix
    return suffix


def _file_stem(path: Path) -> str:
    """The name without its reader suffix: default ids are ``stem:line`` for ``news.jsonl`` and ``news.jsonl.gz`` alike."""
    return path.name[: len(path.name) - len(file_suffix(path))] or path.name


def span_lines(stream: BinaryIO, span: Span) -> Iterator[bytes]:
    """The lines (bytes, line end kept) of a seekable binary stream that start inside ``span``."""
    if span.start > 0:
        stream.seek(span.start - 1)
        stream.readline()   # the end of the line under way at ``start``: it belongs to the span before
    position = stream.tell()
    while span.end is None or position < span.end:
        line = stream.readline()
        if not line:
            return
        position += len(line)
        yield line


_SURROGATE = re.compile("[\ud800-\udfff]")


def _optional_text(row: dict, name: str) -> str | None:
    value = row.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise _Bad(f"field {name!r} must be text, not {type(value).__name__}")
    value = str(value).strip()
    return value or None


def _check_text(text: str) -> None:
    if not text.strip():
        raise _Bad("empty article (no text)")
    if len(text) > MAX_ARTICLE_CHARS:
        raise _Bad(
            f"article too long ({len(text):,} characters; the limit is {MAX_ARTICLE_CHARS:,})"
        )


def _article_from_row(
    row: dict, *, default_id: str, origin: str, published: date | None, fields: dict[str, str]
) -> Article:
    """An Article from one JSON object or CSV row; ``fields`` maps Article fields to row keys."""
    known = {name: row.get(key) for name, key in fields.items()}
    text = known.get("text")
    if text is None:
        raise _Bad("no 'text' field")
    if not isinstance(text, str):
        raise _Bad(f"'text' must be a string, not {type(text).__name__}")
    _check_text(text)
    article_id = _optional_text(known, "id") or default_id
    title = _optional_text(known, "title")
    url = _optional_text(known, "url")
    source = _optional_text(known, "source")
    for name, value in (("id", article_id), ("text", text), ("title", title), ("url", url),
                        ("source", source)):
        # Lone surrogates (from JSON escapes) break every writer downstream.
        if value is not None and _SURROGATE.search(value):
            raise _Bad(f"field {name!r} contains invalid Unicode (an unpaired surrogate)")
    # The row's own date wins; a blank one leaves the caller's default, then the dateline's.
    try:
        published = parse_published(known.get("published")) or published
    except ValueError as exc:
        raise _Bad(f"bad published date: {exc}") from None
    published = published or published_from_dateline(text)
    used = set(fields.values())
    metadata = {key: value for key, value in row.items() if key not in used}
    return Article(
        id=article_id, text=text, title=title, url=url, source=source,
        published=published, metadata=metadata, origin=origin,
    )


def _plain_article(text: str, *, article_id: str, origin: str, published: date | None) -> Article:
    """An Article from a whole plain-text document (a .txt file or plain stdin)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _SURROGATE.search(text):
        raise _Bad(_NOT_UTF8)
    _check_text(text)
    published = published or published_from_dateline(text)
    return Article(
        id=article_id, text=text, title=_title_of(text), published=published, origin=origin
    )


def _title_of(text: str) -> str | None:
    """The first line, when it stands alone above a blank line, is short, and is not a dateline."""
    lines = text.split("\n", 2)
    if len(lines) < 3 or lines[1].strip():
        return None
    first = lines[0].strip()
    if not first or len(first) > MAX_TITLE_CHARS or DATELINE.match(lines[0]):
        return None
    return first


_NOT_UTF8 = "not UTF-8 text; re-save it as UTF-8"
Item = Article | Skipped


def _numbered_lines(stream: Iterable[bytes] | Iterable[str], first: int = 1) -> Iterator[tuple[int, str]]:
    """(line number, line) pairs; bytes are decoded line by line, so one bad line spoils only itself.

    Undecodable bytes become lone surrogates (surrogateescape), which callers detect.
    """
    for number, line in enumerate(stream, start=first):
        if isinstance(line, bytes):
            line = line.decode("utf-8", "surrogateescape")
        if number == 1:
            line = line.removeprefix("\ufeff")
        yield number, line


def _json_line_items(
    lines: Iterable[tuple[int, str]], *, name: str, stem: str, published: date | None
) -> Iterator[Item]:
    for number, line in lines:
        origin = f"{name}:{number}"
        if not line.strip():
            continue
        if _SURROGATE.search(line):
            yield Skipped(origin, _NOT_UTF8)
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Skipped(origin, _json_error(exc)[1])
            continue
        except RecursionError:
            yield Skipped(origin, "invalid JSON: nested too deeply")
            continue
        yield _row_item(row, origin=origin, default_id=f"{stem}:{number}", published=published)


_JSON_SPACE = " \t\r\n"


def _json_error(exc: json.JSONDecodeError) -> tuple[int, str]:
    """(line, one-line reason) for a JSON syntax error, placed where the fault is.

    The decoder skips whitespace, line ends included, before it finds that the text ended or
    that a ',' or ':' is missing, so it points at the next line's start (column 1). The fault
    is at the end of the line before: point just past its last character.
    """
    doc, pos = exc.doc, exc.pos
    end_of_content = len(doc[:pos].rstrip(_JSON_SPACE))
    skipped = doc[end_of_content:pos]
    if skipped and (not doc[pos:].strip(_JSON_SPACE) or "delimiter" in exc.msg and "\n" in skipped):
        pos = end_of_content
    line = doc.count("\n", 0, pos) + 1
    column = pos - doc.rfind("\n", 0, pos)
    return line, f"invalid JSON: {exc.msg} at column {column}"


_JSON_FIELDS = {name: name for name in FIELDS}


def _row_item(row: object, *, origin: str, default_id: str, published: date | None) -> Item:
    if not isinstance(row, dict):
        return Skipped(origin, f"not a JSON object (got {_json_type(row)})")
    try:
        return _article_from_row(
            row, default_id=default_id, origin=origin, published=published, fields=_JSON_FIELDS
        )
    except _Bad as exc:
        return Skipped(origin, str(exc))


def _json_type(value: object) -> str:
    return {list: "an array", str: "a string", bool: "a boolean", type(None): "null"}.get(
        type(value), "a number"
    )


def _read_jsonl(path: Path, name: str, published: date | None, span: Span = WHOLE) -> Iterator[Item]:
    with path.open("rb") as stream:  # binary, line by line: never the whole file in memory
        yield from _json_line_items(
            _numbered_lines(span_lines(stream, span), span.first_line), name=name, stem=_file_stem(path),
            published=published
        )


class _BrokenStream(Exception):
    """Compressed data that stops making sense part-way; the message is the reason."""


def _gzip_lines(stream: BinaryIO) -> Iterator[bytes]:
    """The lines of a gzip stream as it is decompressed; a corrupt or cut-off stream raises ``_BrokenStream``."""
    try:
        yield from stream
    except (OSError, EOFError, zlib.error) as exc:   # BadGzipFile is an OSError; a cut-off file, EOFError
        raise _BrokenStream(f"cannot decompress: {one_line(exc)}") from None


def _read_jsonl_gz(path: Path, name: str, published: date | None, span: Span = WHOLE) -> Iterator[Item]:
    """A gzip-compressed JSON Lines file, decompressed as it is read; gzip has no byte ranges, so always whole."""
    read = [0]   # lines read so far: a broken stream is reported at the line it broke in

    def counted(lines: Iterator[tuple[int, str]]) -> Iterator[tuple[int, str]]:
        for number, line in lines:
            read[0] = number
            yield number, line

    with gzip.open(path, "rb") as stream:
        try:
            yield from _json_line_items(counted(_numbered_lines(_gzip_lines(stream))), name=name,
                                        stem=_file_stem(path), published=published)
        except _BrokenStream as exc:
            yield Skipped(f"{name}:{read[0] + 1}", f"{exc}; rest of file not read")


def _read_json(path: Path, name: str, published: date | None, span: Span = WHOLE) -> Iterator[Item]:
    """A .json file: a JSON array of objects, one object, or JSON Lines under a .json name."""
    data = path.read_bytes()
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if head != b"[":
        if head == b"{":
            # One pretty-printed object; anything else is treated as JSON Lines.
            try:
                row = json.loads(data.decode("utf-8-sig"))
            except (ValueError, RecursionError):
                row = None
            if isinstance(row, dict):
                yield _row_item(row, origin=f"{name}:1", default_id=f"{_file_stem(path)}:1",
                                published=published)
                return
        yield from _json_line_items(
            _numbered_lines(io.BytesIO(data)), name=name, stem=_file_stem(path), published=published
        )
        return
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        yield Skipped(name, _NOT_UTF8)
        return
    yield from _json_array_items(text, name=name, stem=_file_stem(path), published=published)


def _json_array_items(text: str, *, name: str, stem: str, published: date | None) -> Iterator[Item]:
    """Each element of a JSON array, with the line it starts on; a syntax error ends the file."""
    decoder = json.JSONDecoder()
    space = re.compile(r"[ \t\r\n]*")
    pos = space.match(text, 0).end() + 1  # just past "["
    line, counted = 1, 0
    while True:
        pos = space.match(text, pos).end()
        if text.startswith("]", pos):
            return
        line += text.count("\n", counted, pos)
        counted = pos
        try:
            row, end = decoder.raw_decode(text, pos)
        except json.JSONDecodeError as exc:
            bad_line, reason = _json_error(exc)
            yield Skipped(f"{name}:{bad_line}", f"{reason}; rest of file not read")
            return
        except RecursionError:
            yield Skipped(f"{name}:{line}", "invalid JSON: nested too deeply; rest of file not read")
            return
        yield _row_item(row, origin=f"{name}:{line}", default_id=f"{stem}:{line}",
                        published=published)
        pos = space.match(text, end).end()
        if text.startswith(",", pos):
            pos += 1
        elif text.startswith("]", pos):
            return
        else:
            # Placed as the decoder's own errors are: just past the element.
            missing = json.JSONDecodeError("Expecting ',' delimiter", text, pos)
            bad_line, reason = _json_error(missing)
            yield Skipped(f"{name}:{bad_line}", f"{reason}; rest of file not read")
            return


def _raise_csv_field_limit() -> int:
    """Raise the csv module's field limit (128 KiB, smaller than a long article); returns the old one."""
    previous = csv.field_size_limit()
    limit = sys.maxsize
    while True:
        try:
            csv.field_size_limit(limit)
            return previous
        except OverflowError:
            limit //= 2


def _read_csv(path: Path, name: str, published: date | None, span: Span = WHOLE) -> Iterator[Item]:
    # The limit is process-wide: put it back afterwards, other readers rely on it to catch runaway quotes.
    previous = _raise_csv_field_limit()
    try:
        yield from _read_csv_rows(path, name, published, span)
    finally:
        csv.field_size_limit(previous)


_LONE_CR = re.compile(r"(?<=\r)(?!\n)")


def csv_text_lines(byte_lines: Iterable[bytes], first: int = 1) -> Iterator[tuple[int, str]]:
    """Numbered text lines of a CSV file as ``open(newline="")`` gives them: a lone \\r ends a line too.

    Undecodable bytes become lone surrogates (surrogateescape): a bad byte spoils only its own row.
    """
    number = first
    for raw in byte_lines:
        text = raw.decode("utf-8", "surrogateescape")
        if number == 1:
            text = text.removeprefix("\ufeff")
        for piece in _LONE_CR.split(text) if "\r" in text else (text,):
            if piece:
                yield number, piece
                number += 1


def csv_records_are_lines(lines: Iterable[tuple[int, str]]) -> bool:
    """Whether every record of these CSV lines is one whole line, strictly parsed: then a cut at any line
    boundary is a cut between records. A quoted line break, a broken quote or a record running past the
    last line all say no."""
    previous = _raise_csv_field_limit()
    try:
        reader = csv.reader((line for _, line in lines), strict=True)
        read = 0
        for _ in reader:
            if reader.line_num - read > 1:
                return False
            read = reader.line_num
    except csv.Error:
        return False
    finally:
        csv.field_size_limit(previous)
    return True


class _CsvLines:
    """A CSV file's lines for csv.reader, numbered; keeps the lines of the record being read so
    that lines a broken record swallowed can be read again."""

    def __init__(self, lines: Iterator[tuple[int, str]]) -> None:
        self._lines = lines
        self._again: list[tuple[int, str]] = []  # a stack: the next line to read is last
        self.taken: list[tuple[int, str]] = []

    def __iter__(self) -> _CsvLines:
        return self

    def __next__(self) -> str:
        item = self._again.pop() if self._again else next(self._lines)
        self.taken.append(item)
        return item[1]

    def read_again(self, lines: list[tuple[int, str]]) -> None:
        self._again.extend(reversed(lines))


def _well_formed(lines: list[tuple[int, str]]) -> bool:
    """Whether a record is strict CSV. A quote never closed runs on to the end of the file or to
    the next quote (usually one opening a later field, so followed by text, not a comma): the
    lenient reader swallows the rows in between, the strict one fails."""
    try:
        for _ in csv.reader((line for _, line in lines), strict=True):
            pass
    except csv.Error:
        return False
    return True


def _csv_header(path: Path) -> list[str] | None:
    """The header of a CSV file, for a span after the first (the first span reports what is wrong with it)."""
    with path.open("rb") as stream:
        try:
            return next(csv.reader(line for _, line in csv_text_lines(span_lines(stream, WHOLE))), None)
        except csv.Error:
            return None


def _read_csv_rows(path: Path, name: str, published: date | None, span: Span) -> Iterator[Item]:
    with path.open("rb") as stream:
        lines = _CsvLines(csv_text_lines(span_lines(stream, span), span.first_line))
        reader = csv.reader(lines)
        if span.start == 0:
            try:
                header = next(reader, None)
            except csv.Error as exc:
                yield Skipped(f"{name}:1", f"invalid CSV header: {exc}")
                return
        else:
            header = _csv_header(path)
        if header is None:
            return
        # Spreadsheet headers vary in case and spacing; match Article fields loosely.
        keys = [h.strip() for h in header]
        fields = {}
        for key in keys:
            if key.lower() in FIELDS and key.lower() not in fields:
                fields[key.lower()] = key
        if "text" not in fields:
            if span.start == 0:   # said once, by the span holding the header
                yield Skipped(f"{name}:1", "no 'text' column in the CSV header "
                                           f"(columns: {', '.join(keys) or 'none'})")
            return
        while True:
            lines.taken = []
            try:
                values = next(reader)
                problem = None
            except StopIteration:
                return
            except csv.Error as exc:
                values, problem = [], f"invalid CSV: {exc}"
            if not lines.taken:  # nothing read: no way on
                return
            start, end = lines.taken[0][0], lines.taken[-1][0]
            origin = f"{name}:{start}"
            if problem is None and end > start and not _well_formed(lines.taken):
                problem = (f"unterminated quote: the quoted field opened here is never closed (it ran "
                           f"on to line {end}); the lines after this one are read again as rows")
            if problem:
                # Only this row is lost: lines the broken record swallowed may be good rows.
                yield Skipped(origin, problem)
                lines.read_again(lines.taken[1:])
                continue
            if not any(v.strip() for v in values):
                continue
            if any(_SURROGATE.search(v) for v in values):
                yield Skipped(origin, _NOT_UTF8)
                continue
            if len(values) > len(keys):
                yield Skipped(origin, f"row has {len(values)} fields but the header has "
                                      f"{len(keys)} (an unquoted comma?)")
                continue
            row = dict(zip(keys, values))
            try:
                yield _article_from_row(row, default_id=f"{_file_stem(path)}:{start}", origin=origin,
                                        published=published, fields=fields)
            except _Bad as exc:
                yield Skipped(origin, str(exc))


def _read_txt(path: Path, name: str, published: date | None, span: Span = WHOLE) -> Iterator[Item]:
    # UTF-8 needs at most 4 bytes a character: a bigger file is too long without reading it.
    if path.stat().st_size > 4 * MAX_ARTICLE_CHARS:
        yield Skipped(name, f"article too long (over {MAX_ARTICLE_CHARS:,} characters)")
        return
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        yield Skipped(name, f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset "
                            f"{exc.start}); re-save it as UTF-8")
        return
    try:
        yield _plain_article(text, article_id=_file_stem(path), origin=name, published=published)
    except _Bad as exc:
        yield Skipped(name, str(exc))


_READERS: dict[str, Callable[[Path, str, date | None, Span], Iterator[Item]]] = {
    **{s: _read_txt for s in TEXT_SUFFIXES},
    **{s: _read_jsonl for s in JSONL_SUFFIXES},
    **{s: _read_jsonl_gz for s in GZIP_JSONL_SUFFIXES},
    **{s: _read_json for s in JSON_SUFFIXES},
    **{s: _read_csv for s in CSV_SUFFIXES},
}


def read_file(path: Path, name: str, published: date | None, span: Span = WHOLE) -> Iterator[Item]:
    """The articles and skips of one file (its lines in ``span`` only, for JSON Lines and CSV); ``name`` is
    the file as messages name it."""
    reader = _READERS.get(file_suffix(path))
    if reader is None:
        yield Skipped(name, f"unsupported file type {path.suffix or '(no suffix)'!r}; "
                            "use .txt, .jsonl, .ndjson, .jsonl.gz, .json, .csv or a folder")
        return
    try:
        yield from reader(path, name, published, span)
    except OSError as exc:
        yield Skipped(name, f"cannot read: {exc.strerror or exc}")


def _folder_files(folder: Path, name: str) -> Iterator[tuple[Path, str] | Skipped]:
    """Files under ``folder`` with a known suffix, depth first in name order; hidden ones skipped."""
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as exc:
        yield Skipped(name, f"cannot read folder: {exc.strerror or exc}")
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        child = os.path.join(name, entry.name)
        try:
            # Symlinked folders are not followed: they can loop.
            is_dir = entry.is_dir(follow_symlinks=False)
            is_file = entry.is_file()
        except OSError:
            is_dir = is_file = False
        if is_dir:
            yield from _folder_files(Path(entry.path), child)
        elif is_file and file_suffix(Path(entry.name)) in FOLDER_SUFFIXES:
            yield Path(entry.path), child


def _stdin_lines(stdin: TextIO | None) -> Iterable[bytes] | Iterable[str]:
    if stdin is not None:
        return stdin
    # Read bytes where we can, so the console's locale encoding does not matter.
    return getattr(sys.stdin, "buffer", sys.stdin)


def _read_stdin(stdin: TextIO | None, published: date | None) -> Iterator[Item]:
    """JSON Lines when the first non-blank character is "{", else one plain-text article."""
    lines = _numbered_lines(_stdin_lines(stdin))
    peeked: list[tuple[int, str]] = []
    for number, line in lines:
        peeked.append((number, line))
        if line.strip():
            break
    if not peeked or not any(line.strip() for _, line in peeked):
        yield Skipped(STDIN_ORIGIN, "no input on stdin")
        return
    if peeked[-1][1].lstrip().startswith("{"):
        yield from _json_line_items(_chain(peeked, lines), name=STDIN_ORIGIN, stem="stdin",
                                    published=published)
        return
    parts, size = [], 0
    for _, line in _chain(peeked, lines):
        parts.append(line)
        size += len(line)
        if size > MAX_ARTICLE_CHARS:
            yield Skipped(STDIN_ORIGIN, f"article too long (over {MAX_ARTICLE_CHARS:,} characters)")
            return
    text = "".join(parts)
    try:
        yield _plain_article(text, article_id=text_key(text), origin=STDIN_ORIGIN,
                             published=published)
    except _Bad as exc:
        yield Skipped(STDIN_ORIGIN, str(exc))


def _chain(first: list, rest: Iterator) -> Iterator:
    yield from first
    yield from rest


def input_files(item: PathLike) -> Iterator[tuple[Path, str] | Skipped]:
    """The files one input names, in reading order, as (path, name in messages); a missing input is a ``Skipped``."""
    path = Path(item)
    name = str(path)
    try:
        if path.is_dir():
            yield from _folder_files(path, name)
        elif path.exists():
            yield path, name
        else:
            yield Skipped(name, "no such file or folder")
    except OSError as exc:  # e.g. a path component that is not a folder, or no permission
        yield Skipped(name, f"cannot read: {exc.strerror or exc}")


def _read_input(item: PathLike, published: date | None, stdin: TextIO | None) -> Iterator[Item]:
    if isinstance(item, str) and item == STDIN:
        try:
            yield from _read_stdin(stdin, published)
        except OSError as exc:
            yield Skipped(STDIN_ORIGIN, f"cannot read: {exc.strerror or exc}")
        return
    for found in input_files(item):
        if isinstance(found, Skipped):
            yield found
        else:
            yield from read_file(*found, published)


def as_list(inputs: PathLike | Iterable[PathLike]) -> list[PathLike]:
    if isinstance(inputs, (str, os.PathLike)):
        return [inputs]
    return list(inputs)


def example_articles() -> list[Path]:
    """The project's own example articles (the 2017 Euphrates valley campaign), shipped in the package."""
    return sorted((Path(__file__).resolve().parent.parent / "examples").glob("*.txt"))


def read_articles(
    inputs: PathLike | Iterable[PathLike],
    published: date | datetime | str | None = None,
    report: Callable[[Skipped], object] | None = None,
    *,
    stdin: TextIO | None = None,
) -> Iterator[Article]:
    """Articles from files, folders and stdin ("-"), lazily, in input order.

    ``inputs`` is one path or "-", or a list of them. Formats go by suffix: ``.txt`` (one
    article; id = file stem), ``.jsonl``/``.ndjson`` (also gzip-compressed, ``.jsonl.gz``, read
    as it is decompressed), ``.json`` and ``.csv`` (fields ``id,
    title, text, url, source, published``; other fields go to ``metadata``); a folder is
    read recursively in name order. ``published`` applies to articles that give none of
    their own; an article without either takes the date of its wire dateline.

    Every unusable file or row is passed to ``report`` as a ``Skipped`` record (or logged
    when there is no report) and reading goes on. Only a bad ``published`` argument raises
    (ValueError, at once): it concerns the whole call, not one input.
    """
    default_published = parse_published(published)
    items = as_list(inputs)
    return _articles(items, default_published, report, stdin)


def _articles(
    items: list[PathLike],
    published: date | None,
    report: Callable[[Skipped], object] | None,
    stdin: TextIO | None,
) -> Iterator[Article]:
    for item in items:
        for result in _read_input(item, published, stdin):
            if isinstance(result, Article):
                yield result
            elif report is not None:
                report(result)
            else:
                log.warning("%s", result.line())
