"""A corpus cut into partitions from file names and sizes alone, and each partition read where it runs.

The client of a Dask run lists the inputs and stats the files, never reading them: a big JSON
Lines or CSV file becomes byte ranges (a line belongs to the range it starts in), other files
are grouped whole (.txt, .json, small files, and .jsonl.gz, which cannot be entered part-way).
A worker counts the lines of each range (``count_lines``), so every range knows the number of
its first line and messages name the right line, then reads its partition with the readers
``read_articles`` uses (``read_partition``). A CSV whose quoted fields hold line breaks cannot
be cut at a line boundary safely: a range that finds a record spanning lines makes the whole
file one partition (``settle``).
"""
from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from .article import Article, Skipped
from .readers import (CSV_SUFFIXES, GZIP_JSONL_SUFFIXES, SPLITTABLE_SUFFIXES, STDIN, WHOLE, PathLike, Span,
                      as_list, csv_records_are_lines, csv_text_lines, file_suffix, input_files, read_file,
                      span_lines)

__all__ = ["InputFile", "Listing", "Partition", "count_lines", "list_inputs", "read_partition", "settle",
           "split_listing"]

# Text per compressed byte in gzip-compressed news (about 3-4x); balances .jsonl.gz files against plain ones.
GZIP_EXPANSION = 3.5


@dataclass(frozen=True, slots=True)
class InputFile:
    """A file to read, as messages name it, with what identifies its content: size and modification time."""

    name: str
    size: int
    mtime_ns: int


@dataclass(frozen=True, slots=True)
class Partition:
    """Whole files, or one byte range of one file (``end`` not None), read by one task."""

    files: tuple[InputFile, ...]
    root: str                   # the client's working folder: workers may run elsewhere
    start: int = 0
    end: int | None = None
    first_line: int = 1         # known once the ranges before it in its file are counted
    lines: int | None = None    # lines starting in the range, once counted

    @property
    def is_range(self) -> bool:
        return self.end is not None

    @property
    def size(self) -> int:
        """Bytes to read (compressed bytes count as the text they hold): the measure of its work."""
        if self.is_range:
            return self.end - self.start
        return sum(int(f.size * GZIP_EXPANSION) if file_suffix(Path(f.name)) in GZIP_JSONL_SUFFIXES else f.size
                   for f in self.files)

    def path(self, file: InputFile) -> Path:
        return Path(os.path.join(self.root, file.name))

    def describe(self) -> dict:
        """What this partition reads, in JSON: the files (name, size, mtime) and the byte range."""
        return {"files": [[f.name, f.size, f.mtime_ns] for f in self.files],
                "range": [self.start, self.end] if self.is_range else None}

    def where(self) -> str:
        """The partition in a message: ``news.jsonl lines 201-400``, ``a.txt``, ``a.txt .. k.txt (12 files)``."""
        first = self.files[0].name
        if self.is_range:
            if not self.lines:
                return f"{first} bytes {self.start}-{self.end}"
            return f"{first} lines {self.first_line}-{self.first_line + self.lines - 1}"
        if len(self.files) == 1:
            return first
        return f"{first} .. {self.files[-1].name} ({len(self.files)} files)"


@dataclass
class Listing:
    """An inputs' files in reading order, with the inputs that could not be listed in their places."""

    items: list[InputFile | Skipped]
    root: str

    @property
    def total_bytes(self) -> int:
        return sum(item.size for item in self.items if isinstance(item, InputFile))


def list_inputs(inputs: PathLike | Iterable[PathLike]) -> Listing:
    """The files that ``read_articles(inputs)`` would read, with sizes and times; no file is opened.

    Raises ValueError for stdin ("-"): it cannot be handed to other machines in pieces.
    """
    items: list[InputFile | Skipped] = []
    for item in as_list(inputs):
        if isinstance(item, str) and item == STDIN:
            raise ValueError("standard input ('-') cannot be split into partitions; save it to a file first")
        for found in input_files(item):
            if isinstance(found, Skipped):
                items.append(found)
                continue
            path, name = found
            try:
                stat = path.stat()
                items.append(InputFile(name, stat.st_size, stat.st_mtime_ns))
            except OSError:   # the worker's reader says what is wrong with it
                items.append(InputFile(name, 0, 0))
    return Listing(items, os.getcwd())


def split_listing(listing: Listing, partition_bytes: int) -> list[Partition | Skipped]:
    """Partitions of about ``partition_bytes`` each, in reading order, with the listing's skips in place.

    A JSON Lines or CSV file bigger than that becomes equal byte ranges; other files are
    grouped whole until a group reaches it. Deterministic: the same listing and size give the
    same partitions.
    """
    partition_bytes = max(1, partition_bytes)
    out: list[Partition | Skipped] = []
    group: list[InputFile] = []
    group_bytes = 0

    def close_group() -> None:
        nonlocal group, group_bytes
        if group:
            out.append(Partition(tuple(group), listing.root))
        group, group_bytes = [], 0

    for item in listing.items:
        if isinstance(item, Skipped):
            close_group()
            out.append(item)
            continue
        if file_suffix(Path(item.name)) in SPLITTABLE_SUFFIXES and item.size > partition_bytes:
            close_group()
            pieces = -(-item.size // partition_bytes)
            step = -(-item.size // pieces)
            for start in range(0, item.size, step):
                out.append(Partition((item,), listing.root, start, min(item.size, start + step)))
            continue
        group.append(item)
        group_bytes += Partition((item,), listing.root).size
        if group_bytes >= partition_bytes:
            close_group()
    close_group()
    return out


def count_lines(partition: Partition) -> tuple[int, bool]:
    """(lines starting in the range, whether the range may be read alone); runs on a worker.

    A CSV range may be read alone only when each of its records is one line. A file that
    cannot be read gives (0, False): it is then read whole, and the reader reports it.
    """
    file = partition.files[0]
    try:
        with open(partition.path(file), "rb") as stream:
            lines = span_lines(stream, Span(partition.start, partition.end))
            if file_suffix(Path(file.name)) not in CSV_SUFFIXES:
                return sum(1 for _ in lines), True
            counted = [0]

            def numbered() -> Iterator[tuple[int, str]]:
                for number, line in csv_text_lines(lines):
                    counted[0] += 1
                    yield number, line

            whole_lines = csv_records_are_lines(numbered())
            return counted[0], whole_lines
    except OSError:
        return 0, False


def settle(partitions: list[Partition | Skipped], counts: dict[int, tuple[int, bool]]) -> list[Partition | Skipped]:
    """The partitions with line numbers: ``counts`` holds ``count_lines`` of each range by position.

    A file with a range that cannot be read alone becomes one whole-file partition.
    """
    out: list[Partition | Skipped] = []
    position = 0
    while position < len(partitions):
        item = partitions[position]
        if not isinstance(item, Partition) or not item.is_range:
            out.append(item)
            position += 1
            continue
        ranges = []   # this file's ranges, consecutive in the list
        while (position < len(partitions) and isinstance(partitions[position], Partition)
               and partitions[position].is_range and partitions[position].files == item.files
               and not (ranges and partitions[position].start == 0)):   # the same file given twice
            ranges.append((partitions[position], counts[position]))
            position += 1
        if not all(alone for _, (_, alone) in ranges):
            out.append(Partition(item.files, item.root))
            continue
        first_line = 1
        for part, (lines, _) in ranges:
            out.append(replace(part, first_line=first_line, lines=lines))
            first_line += lines
    return out


def read_partition(partition: Partition, published: date | None = None,
                   report: Callable[[Skipped], object] | None = None) -> Iterator[Article]:
    """The articles of one partition, read as ``read_articles`` reads them; skips go to ``report``."""
    span = Span(partition.start, partition.end, partition.first_line) if partition.is_range else WHOLE
    for file in partition.files:
        for item in read_file(partition.path(file), file.name, published, span):
            if isinstance(item, Article):
                yield item
            elif report is not None:
                report(item)
