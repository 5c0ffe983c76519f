"""Where extracted events go as they come: one writer for the command line and for Dask runs.

``open_sink(path)`` refuses an output it cannot write before any work starts, then takes
events as articles (or partitions) finish:

* ``.gpkg``: the event store, appended to every ``STORE_EVERY`` events and at the end, each
  append one transaction, so an interrupted run keeps what was appended;
* ``.parquet`` in a partitioned run: a folder of GeoParquet files, one per partition, built
  beside the target and swapped into place at the end;
* ``.geojson``, ``.csv`` (and ``.parquet`` in one process): written whole, atomically, at the end.

``add(events)`` is called once per article (or partition) parsed, even with no events. A run
that parsed none writes nothing: an empty output would hide that nothing was read, and would
replace the last good one.
"""
from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from pathlib import Path

from ..events.record import Event
from .atomic import UMASK, fsync_dir, fsync_file
from .formats import PART_FILE, PART_NAME, output_format, write_events
from .frame import flag_misplaced
from .store import EventStore

# Events per store append: each append rewrites the store, so fewer is slower; an interruption
# loses at most this many.
STORE_EVERY = 1000


class OutputError(ValueError):
    """An output path that cannot be written as asked; the message is one line naming it."""


def open_sink(path: str | os.PathLike, *, partitioned: bool = False):
    """The writer for ``path`` (format by suffix); ``partitioned`` writes .parquet as a folder of parts.

    Raises OutputError for an unknown suffix, a missing folder or a folder of other files, and
    ``StoreError`` for a .gpkg that is not an event store.
    """
    path = Path(path)
    try:
        suffix = output_format(path)
    except ValueError as exc:
        raise OutputError(str(exc)) from None
    if not path.parent.is_dir():
        raise OutputError(f"{path}: folder {path.parent} does not exist")
    if suffix == ".gpkg":
        return _StoreAppends(path)
    if suffix == ".parquet" and partitioned:
        return _ParquetParts(path)
    return _WholeFile(path)


class _StoreAppends:
    """The GeoPackage store, appended to in corpus order every ``STORE_EVERY`` events and at the end."""

    def __init__(self, path: Path):
        self.store = EventStore(path)   # refuses a file that is not a store, before any work
        self.pending: list[Event] = []
        self.counts = {"added": 0, "merged": 0, "unchanged": 0}

    def partition(self, index: int, events: list[Event]) -> None:
        pass   # appended in corpus order, from add()

    def add(self, events: list[Event]) -> None:
        self.pending.extend(events)
        if len(self.pending) >= STORE_EVERY:
            self._append()

    def close(self) -> None:
        self._append()

    def abort(self) -> None:
        pass   # what was appended stays: appending again later merges, never duplicates

    def _append(self) -> None:
        if not self.pending:
            return
        result = self.store.append(self.pending)
        for key in self.counts:
            self.counts[key] += getattr(result, key)
        self.pending = []


class _WholeFile:
    """A .geojson, .csv or .parquet file, written atomically at the end with every event."""

    def __init__(self, path: Path):
        self.path = path
        self.events: list[Event] = []
        self.parsed = False   # any article at all: its output is written even when it holds no events
        self.counts: dict = {}

    def partition(self, index: int, events: list[Event]) -> None:
        pass

    def add(self, events: list[Event]) -> None:
        self.parsed = True
        self.events.extend(events)

    def close(self) -> None:
        if not self.parsed:
            return
        write_events(self.events, self.path)
        self.counts = {"written": len(self.events)}

    def abort(self) -> None:
        pass


class _ParquetParts:
    """A folder of GeoParquet files, one per partition, built beside the target and swapped in at the end."""

    def __init__(self, target: Path):
        self.target = target
        _check_replaceable(target)
        self._tmp: Path | None = None
        self.counts = {"written": 0, "files": 0}

    @property
    def tmp(self) -> Path:
        if self._tmp is None:   # made on first use: a run refused before any work leaves nothing behind
            self._tmp = Path(tempfile.mkdtemp(dir=self.target.parent, prefix=f".{self.target.name}.",
                                              suffix=".tmp"))
        return self._tmp

    def partition(self, index: int, events: list[Event]) -> None:
        frame = flag_misplaced(events)   # written as given, but never silently
        path = self.tmp / PART_NAME.format(index)
        frame.to_parquet(path, index=False)
        fsync_file(path)
        self.counts["written"] += len(events)
        self.counts["files"] += 1

    def add(self, events: list[Event]) -> None:
        pass   # each partition was written when it arrived

    def close(self) -> None:
        if self.counts["files"] == 0:   # no partition parsed (and no folder made): the old output stays
            return
        os.chmod(self.tmp, 0o777 & ~UMASK)   # mkdtemp makes it private
        fsync_dir(self.tmp)
        _swap_in(self.tmp, self.target)

    def abort(self) -> None:
        if self._tmp is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)


def _check_replaceable(target: Path) -> None:
    """Refuse to replace a folder that is not a partitioned output of ours: it may hold anything."""
    if target.is_dir() and not target.is_symlink():
        strangers = [p.name for p in target.iterdir() if not PART_FILE.fullmatch(p.name)]
        if strangers:
            raise OutputError(f"{target}: a folder holding other files than part-NNNNN.parquet "
                              f"(e.g. {strangers[0]}); not replacing it")


def _swap_in(tmp: Path, target: Path) -> None:
    """Put ``tmp`` where ``target`` is: two renames, the old output removed only once the new one is in place."""
    if os.path.lexists(target):
        old = target.parent / f".{target.name}.old-{uuid.uuid4().hex[:8]}"
        os.replace(target, old)
        try:
            os.replace(tmp, target)
        except BaseException:
            os.replace(old, target)
            raise
        if old.is_dir() and not old.is_symlink():
            shutil.rmtree(old, ignore_errors=True)
        else:
            old.unlink()
    else:
        os.replace(tmp, target)
    fsync_dir(target.parent)
