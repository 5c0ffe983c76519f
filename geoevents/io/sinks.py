"""Where extracted events go as they come: one writer for the command line and for Dask runs.

``open_sink(path)`` refuses an output it cannot write before any work starts, then takes
events as articles (or partitions) finish:

* ``.gpkg``: the event store, appended to every ``STORE_EVERY`` events and at the end, each
  append one transaction, so an interrupted run keeps what was appended;
* ``.parquet`` in a partitioned run: a folder of GeoParquet files, one per partition, built
  in ``X.parquet.partial`` beside the target and swapped into place when the run ends;
* ``.geojson``, ``.csv`` (and ``.parquet`` in one process): written whole, atomically, at the end.

``add(events, article)`` is called once per article (or partition, with its list of articles)
parsed, even with no events. The store records each article, so that parsing it again replaces
its earlier events (``EventStore.append``); set the sink's ``gazetteer`` to the
``gazetteer_fingerprint`` of the index used. A run that parsed none writes nothing: an empty
output would hide that nothing was read, and would replace the last good one.
"""
from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterable
from pathlib import Path

from ..events.record import Event
from ..text import Article
from .atomic import UMASK, fsync_dir, fsync_file
from .formats import PART_FILE, PART_NAME, output_format, write_events
from .frame import flag_misplaced
from .resume import RunRecord, file_stamp
from .store import EventStore

# The run record of a partitioned .parquet output, inside its folder; "_": Arrow and geopandas skip it when reading.
RUN_RECORD = "_geoevents-run.jsonl"

# Events per store append: each append rewrites the store, so fewer is slower; an interruption
# loses at most this many.
STORE_EVERY = 1000


class OutputError(ValueError):
    """An output path that cannot be written as asked; the message is one line naming it."""


def open_sink(path: str | os.PathLike, *, partitioned: bool = False, gazetteer: str | None = None):
    """The writer for ``path`` (format by suffix); ``partitioned`` writes .parquet as a folder of parts.

    ``gazetteer`` (or the writer's attribute of that name, set later) is the fingerprint the
    store records for each article; the other formats ignore it.

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
        sink = _StoreAppends(path)
    elif suffix == ".parquet" and partitioned:
        sink = _ParquetParts(path)
    else:
        sink = _WholeFile(path)
    sink.gazetteer = gazetteer
    return sink


def _articles_of(article: Article | Iterable[Article] | None) -> list[Article]:
    if article is None:
        return []
    return [article] if isinstance(article, Article) else list(article)


class _StoreAppends:
    """The GeoPackage store, appended to in corpus order every ``STORE_EVERY`` events (or articles) and at the end."""

    gazetteer: str | None = None   # recorded with each article, so a re-parse with another one replaces
    saved_on_arrival = False   # in a partitioned run: saved when appended, in corpus order
    wants_articles = True      # a partitioned run sends each partition's articles back for add()

    def __init__(self, path: Path):
        self.store = EventStore(path)   # refuses a file that is not a store, before any work
        self.pending: list[Event] = []
        self.articles: dict[str, Article] = {}
        self.counts = {"added": 0, "merged": 0, "unchanged": 0}

    def partition(self, index: int, events: list[Event]) -> None:
        pass   # appended in corpus order, from add()

    def run_record(self, restart: bool = False) -> RunRecord:
        """The run record beside the store (``X.gpkg.run.jsonl``): what a stopped partitioned run appended."""
        record = RunRecord(self.store.path.with_name(self.store.path.name + ".run.jsonl"))
        if restart:
            record.path.unlink(missing_ok=True)
        return record

    def has_part(self, index: int) -> bool:
        return True

    def keep_parts(self, indices: set[int]) -> None:
        pass

    def stamp(self):
        """The store as the last append left it: a record of a store changed (or removed) since is not taken up."""
        return file_stamp(self.store.path) or "no store"

    @property
    def unsaved(self) -> int:
        return len(self.pending) + len(self.articles)

    def add(self, events: list[Event], article: Article | Iterable[Article] | None = None) -> None:
        """The events of ``article`` (one Article, or the articles of a partition; None: not recorded)."""
        articles = _articles_of(article)
        if any(a.id in self.articles for a in articles):
            self._append()   # one id twice (a second version of the text): the later one replaces the first
        self.articles.update((a.id, a) for a in articles)
        self.pending.extend(events)
        if len(self.pending) >= STORE_EVERY or len(self.articles) >= STORE_EVERY:
            self._append()

    def close(self) -> None:
        self._append()

    def abort(self) -> None:
        pass   # what was appended stays: appending again later merges, never duplicates

    def _append(self) -> None:
        if not self.pending and not self.articles:
            return
        recorded = bool(self.articles)
        result = self.store.append(self.pending, list(self.articles.values()) if recorded else None,
                                   gazetteer=self.gazetteer)
        if recorded:
            for key in _ARTICLE_COUNTS:
                self.counts.setdefault(key, 0)
        for key in self.counts:
            self.counts[key] += getattr(result, key)
        self.pending = []
        self.articles = {}


# What a run that records its articles adds to the store's counts.
_ARTICLE_COUNTS = ("removed", "articles_added", "articles_replaced", "articles_unchanged")


class _WholeFile:
    """A .geojson, .csv or .parquet file, written atomically at the end with every event."""

    saved_on_arrival = False   # saved at close, not resumable
    wants_articles = False

    def __init__(self, path: Path):
        self.path = path
        self.events: list[Event] = []
        self.parsed = False   # any article at all: its output is written even when it holds no events
        self.counts: dict = {}

    def partition(self, index: int, events: list[Event]) -> None:
        pass

    def add(self, events: list[Event], article: Article | Iterable[Article] | None = None) -> None:
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
    """A folder of GeoParquet files, one per partition, built in ``X.parquet.partial`` and swapped in when the run ends.

    The partial folder holds the run record (``RUN_RECORD``): a run that stopped is taken up
    from it, and a finished output keeps it, so that running the same command again redoes only
    partitions that failed (or nothing).
    """

    saved_on_arrival = True   # a partition is saved when its file is written, in any order
    wants_articles = False

    def __init__(self, target: Path):
        self.target = target
        self.partial = target.with_name(target.name + ".partial")
        _check_replaceable(target)
        _check_replaceable(self.partial)
        self.record: RunRecord | None = None
        self.counts = {"written": 0, "files": 0}

    def run_record(self, restart: bool = False) -> RunRecord:
        """The partial folder and its run record: left by a run that stopped, copied from a finished output
        with partitions missing (hard links), or new; ``restart`` starts afresh."""
        if restart:
            shutil.rmtree(self.partial, ignore_errors=True)
        if not self.partial.is_dir():
            self.partial.mkdir(mode=0o777 & ~UMASK)
            if not restart and (self.target / RUN_RECORD).is_file():
                for item in self.target.iterdir():
                    if PART_FILE.fullmatch(item.name) or item.name == RUN_RECORD:
                        _link_or_copy(item, self.partial / item.name)
        self.record = RunRecord(self.partial / RUN_RECORD)
        return self.record

    def has_part(self, index: int) -> bool:
        return (self.partial / PART_NAME.format(index)).is_file()

    def keep_parts(self, indices: set[int]) -> None:
        """Remove the part files of partitions not done (a stopped run's last ones, an earlier plan's)."""
        for item in self.partial.iterdir():
            if item.name != RUN_RECORD and not (PART_FILE.fullmatch(item.name) and int(item.name[5:-8]) in indices):
                item.unlink()

    def stamp(self):
        return None   # the record lives inside the output: they cannot part

    def partition(self, index: int, events: list[Event]) -> None:
        frame = flag_misplaced(events)   # written as given, but never silently
        path = self.partial / PART_NAME.format(index)
        tmp = self.partial / f".{path.name}.tmp"   # whole or absent: a kill mid-write leaves no half part
        frame.to_parquet(tmp, index=False)
        fsync_file(tmp)
        os.replace(tmp, path)
        self.counts["written"] += len(events)

    @property
    def unsaved(self) -> int:
        return 0

    def add(self, events: list[Event], article: Article | Iterable[Article] | None = None) -> None:
        pass   # each partition was written when it arrived

    def close(self) -> None:
        """The run ended (partitions may have failed): the partial folder becomes the output."""
        if self.record is not None:
            self.record.close()
        if not self.partial.is_dir():
            return
        parts = [p for p in self.partial.iterdir() if PART_FILE.fullmatch(p.name)]
        self.counts["files"] = len(parts)
        if not parts:   # no partition parsed: the old output stays
            shutil.rmtree(self.partial, ignore_errors=True)
            return
        fsync_dir(self.partial)
        _swap_in(self.partial, self.target)

    def abort(self) -> None:
        """Stopped: the partial folder stays for the next run to take up, unless nothing is in it."""
        if self.record is not None:
            self.record.close()
        if self.partial.is_dir() and not any(PART_FILE.fullmatch(p.name) for p in self.partial.iterdir()):
            shutil.rmtree(self.partial, ignore_errors=True)


def _link_or_copy(source: Path, destination: Path) -> None:
    try:
        os.link(source, destination)
    except OSError:   # a file system without hard links
        shutil.copy2(source, destination)


def _check_replaceable(target: Path) -> None:
    """Refuse to replace a folder that is not a partitioned output of ours: it may hold anything."""
    if target.is_dir() and not target.is_symlink():
        strangers = [p.name for p in target.iterdir()
                     if not (PART_FILE.fullmatch(p.name) or p.name == RUN_RECORD or p.name.endswith(".parquet.tmp"))]
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
