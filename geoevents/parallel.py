"""Corpus-scale event extraction on a Dask cluster: partitions of files read and parsed on workers, saved as they finish.

The client lists the inputs and cuts them into partitions from file sizes alone, never reading
article text (``text/partitions.py``): byte ranges of big JSON Lines and CSV files, groups of
other files. Workers count the lines of each range (so messages name the right line), then
each reads and parses its own partition with the readers ``read_articles`` uses; each worker
process loads spaCy and the gazetteer once, and ``EventExtractor.extract_many`` skips and
reports a bad article and goes on. The client takes results as they come, writes them (one
GeoParquet file per partition, or appends to the GeoPackage store in corpus order) and reports
skips in corpus order: the same events and reports a single-process run gives.

The output keeps a run record (``io/resume.py``): which partitions are saved, what they read
(files, sizes, modification times, byte ranges), with which settings and geoevents version.
Running the same call again after an interruption does only what is missing; ``restart``
starts afresh.

A partition whose task fails is retried by Dask, then reported by name (``PartitionFailure``);
the other partitions are kept. Nothing is dropped without a report.

dask.distributed is an optional dependency (``pip install 'geoevents[parallel]'``); it is
imported only when a cluster is used, so ``read_partitions`` works without it.
"""
from __future__ import annotations

import logging
import os
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from .errors import one_line
from .events import Event, EventExtractor
from .gazetteer import Gazetteer
from .gazetteer.index import ensure_index
from .geoparsing import Geoparser
from .geoparsing.geoparser import focus_countries
from .io.formats import read_frame
from .io.resume import partition_key
from .io.sinks import OutputError, open_sink
from .text import Article, Skipped, parse_published
from .text.partitions import Partition, count_lines, list_inputs, read_partition, settle, split_listing
from .text.readers import as_list

__all__ = [
    "DEFAULT_RETRIES",
    "CorpusResult",
    "OutputError",
    "ParallelError",
    "PartitionFailure",
    "RunProgress",
    "local_cluster",
    "parse_corpus",
    "read_partitions",
    "warm_up",
]

log = logging.getLogger(__name__)

DEFAULT_RETRIES = 2
PARTITIONS_PER_WORKER = 4          # enough pieces that one slow piece does not leave a worker idle for long
# At most this much text per partition (about 100 news articles, or 400 briefs): small pieces balance the
# workers, and an interruption or a retry redoes little.
PARTITION_BYTES = 256_000
WORKER_MEMORY_BYTES = 1_000_000_000  # per worker: peaks measured at ~480 MB (spaCy, gazetteer caches), doubled
# Workers are single-threaded processes: a BLAS or OpenMP pool per worker would fight over the cores.
WORKER_ENV = {"OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}
# Measured on 400 news articles, each of these costs a worker CPU time: Dask's sampling profiler ~4%;
# MALLOC_TRIM_THRESHOLD_, which Dask's nanny sets to return memory to the OS sooner, ~11% (it turns off
# glibc's adaptive mmap threshold, so spaCy's many mid-sized arrays are mapped and unmapped each time).
LOCAL_WORKER_CONFIG = {
    "distributed.worker.profile.enabled": False,
    "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None,
}
_INSTALL_HINT = "pip install 'geoevents[parallel]'"


class ParallelError(Exception):
    """A problem with the cluster or the run as a whole; the message is one line."""


@dataclass(frozen=True, slots=True)
class PartitionFailure:
    """A partition whose task failed every attempt: what it read (``news.jsonl lines 201-400``) and the last error."""

    index: int
    where: str
    retries: int
    error: str

    def line(self) -> str:
        tries = f"{self.retries} retr{'y' if self.retries == 1 else 'ies'}"
        return f"partition {self.index} ({self.where}): failed after {tries}: {self.error}"


@dataclass(frozen=True, slots=True)
class RunProgress:
    """Where a run stands, across all workers; passed to ``parse_corpus(progress=...)`` as partitions finish."""

    partitions_done: int
    partitions: int
    articles: int            # parsed so far, with those of partitions an earlier run saved
    events: int
    seconds: float           # since this run started parsing
    articles_this_run: int
    bytes_this_run: int      # input bytes of the partitions parsed by this run
    bytes_left: int

    @property
    def articles_per_second(self) -> float:
        return self.articles_this_run / self.seconds if self.seconds > 0 else 0.0

    @property
    def eta_seconds(self) -> float | None:
        """Seconds left, at this run's pace so far (by bytes of input: articles left are not known); None at first."""
        if not self.bytes_this_run or self.seconds <= 0:
            return None if self.bytes_left else 0.0
        return self.seconds * self.bytes_left / self.bytes_this_run


@dataclass
class CorpusResult:
    """What ``parse_corpus`` did: the events in corpus order, and everything that was not parsed."""

    events: list[Event]              # parsed by this call (not those of partitions an earlier run saved)
    articles: int                    # articles parsed (not skipped, not in a failed partition), resumed ones too
    partitions: int
    skipped: list[Skipped] = field(default_factory=list)          # bad files, rows and articles
    failed: list[PartitionFailure] = field(default_factory=list)  # partitions that failed every attempt
    output: Path | None = None
    counts: dict = field(default_factory=dict)  # "written" and "files", or the store's "added", "merged", "unchanged"
    n_events: int = 0                # events of all partitions, resumed ones too
    resumed: int = 0                 # partitions an earlier, interrupted run had saved

    @property
    def ok(self) -> bool:
        return not self.skipped and not self.failed


# ---------------------------------------------------------------------------------------------
# The public entry point

def parse_corpus(
    paths,
    client=None,
    *,
    partitions: int | None = None,
    output: str | os.PathLike | None = None,
    published: date | datetime | str | None = None,
    model: str | None = None,
    cache_dir: str | os.PathLike | None = None,
    focus=None,
    report: Callable[[Skipped | PartitionFailure], object] | None = None,
    retries: int = DEFAULT_RETRIES,
    progress: Callable[[RunProgress], object] | None = None,
    connect_timeout: float | None = None,
    restart: bool = False,
    keep_events: bool = True,
) -> CorpusResult:
    """Extract the events of a corpus on a Dask cluster; the same events, in the same order, as one process gives.

    ``paths`` is what ``read_articles`` takes (files, folders, .jsonl/.jsonl.gz/.json/.csv), but
    not stdin. The workers read the files, so they must see them at the same paths (a local
    cluster does; on a cluster, a shared file system). ``client`` is a ``distributed.Client``, a
    scheduler address ("tcp://10.0.0.5:8786"), "local" (a temporary ``LocalCluster``, one
    single-threaded worker process per core) or None (the current default client, else a
    temporary local cluster). ``partitions`` is about how many pieces to cut the input into
    (default: ``PARTITIONS_PER_WORKER`` per worker, at most ``PARTITION_BYTES`` of input each).

    ``output``: ``X.parquet`` is written as a folder of GeoParquet files, one per partition
    (``part-00000.parquet`` ...; read it back with ``read_partitions``), built in
    ``X.parquet.partial`` and swapped into place when the run ends; ``X.gpkg`` is the event
    store, appended to in corpus order as partitions finish; ``.geojson`` and ``.csv`` are
    written whole at the end. Partitions that finished are written even when others failed.
    A .parquet or .gpkg output keeps a run record: calling again with the same inputs and
    settings (after Ctrl-C, a lost worker, a killed client, or failed partitions) parses only
    the partitions not saved yet; ``restart=True`` parses everything again.

    Every skipped file, row or article (``Skipped``) and every partition that failed after
    ``retries`` retries (``PartitionFailure``) is passed to ``report``, or logged as a warning
    when there is none; both are also in the result. ``focus`` ("SY,IQ") is the analyst's countries
    of interest, a prior on where places are (``Geoparser.focus``). ``progress(RunProgress)`` is
    called as partitions finish. ``keep_events=False`` keeps the client's memory flat on a big
    corpus: the events go to ``output`` only (``n_events`` counts them). Raises ``ParallelError``
    (one line) when dask is not installed, the scheduler cannot be reached or the workers cannot
    load the extractor; a bad ``output`` raises ``OutputError`` (or ``StoreError``: a .gpkg that
    is not a store) before any work; stdin as input raises ValueError.
    """
    from . import __version__
    from .gazetteer.index import gazetteer_fingerprint

    focus = sorted(focus_countries(focus))  # a bad code is refused here, before any work
    if partitions is not None and partitions < 1:
        raise ValueError(f"partitions must be at least 1, not {partitions}")
    if retries < 0:
        raise ValueError(f"retries must be 0 or more, not {retries}")
    published = parse_published(published)
    dist = _distributed()
    # Absolute: local workers may not share this process's working directory.
    cache = str(Path(cache_dir).expanduser().absolute()) if cache_dir else None
    skipped: list[Skipped] = []

    def on_skip(item: Skipped) -> None:
        skipped.append(item)
        _tell(report, item)

    # Refuse a bad output before the work.
    sink = open_sink(Path(output), partitioned=True) if output is not None else None
    try:
        listing = list_inputs(paths)   # names and sizes: no article is read here
        # Build the gazetteer index here, once: workers sharing this cache would otherwise queue to build it.
        gazetteer = gazetteer_fingerprint(ensure_index(Path(cache) if cache else None))
        if sink is not None:
            sink.gazetteer = gazetteer
        with _connected(dist, client, connect_timeout) as dask_client:
            workers = _wait_for_workers(dask_client)
            settings = {"geoevents": __version__, "inputs": [str(p) for p in as_list(paths)], "root": listing.root,
                        "published": published, "model": model, "focus": focus, "partitions": partitions,
                        "gazetteer": gazetteer}
            record = sink.run_record(restart) if hasattr(sink, "run_record") else None
            if record is not None:
                record.resume(settings, sink.stamp())
            partition_bytes = ((record.partition_bytes if record is not None else None)
                               or default_partition_bytes(listing.total_bytes, workers, partitions))
            plan = _count_ranges(dask_client, split_listing(listing, partition_bytes), retries)
            del listing
            run = _Run(plan, sink, record, report, on_skip, retries, progress, keep_events)
            run.take_up(settings, partition_bytes)
            if run.todo:
                warm_up(dask_client, model=model, cache_dir=cache)
            run.execute(dask_client, published, model, cache, focus)
    except BaseException:
        if sink is not None:
            sink.abort()   # a half-written output never replaces the old one; a .partial folder stays to resume
        raise
    return run.result(output, skipped)


def default_partition_bytes(total_bytes: int, workers: int, partitions: int | None = None) -> int:
    """Input bytes per partition: ``partitions`` pieces when asked, else ``PARTITIONS_PER_WORKER`` per worker
    and at most ``PARTITION_BYTES`` each."""
    if partitions is not None:
        return max(1, -(-total_bytes // partitions))
    return max(1, min(PARTITION_BYTES, -(-total_bytes // (PARTITIONS_PER_WORKER * max(workers, 1)))))


def _count_ranges(client, plan: list[Partition | Skipped], retries: int) -> list[Partition | Skipped]:
    """The plan with every byte range's first line number, counted on the workers (the client reads no file)."""
    ranges = {position: item for position, item in enumerate(plan) if isinstance(item, Partition) and item.is_range}
    if not ranges:
        return plan
    tag = uuid.uuid4().hex[:8]
    futures = {position: client.submit(count_lines, item, key=f"geoevents-{tag}-count-{position:05d}",
                                       retries=retries, pure=False)
               for position, item in ranges.items()}
    counts = {}
    for position, future in futures.items():
        try:
            counts[position] = future.result()
        except Exception:   # counted nowhere: the file is read whole, and its reader reports what is wrong
            counts[position] = (0, False)
        future.release()
    return settle(plan, counts)


# ---------------------------------------------------------------------------------------------
# Clusters

def _distributed():
    try:
        import distributed
    except ImportError:
        raise ParallelError(f"dask.distributed is not installed ({_INSTALL_HINT})") from None
    return distributed


def local_cluster(n_workers: int | None = None, **kwargs):
    """A ``LocalCluster`` of single-threaded worker processes: one per core, fewer when memory is short.

    spaCy holds the GIL, so threads would not run in parallel; each worker loads its own model.
    Workers run with ``LOCAL_WORKER_CONFIG`` (no profiler, glibc's own malloc tuning). Extra
    keyword arguments go to ``LocalCluster``.
    """
    dist = _distributed()
    if n_workers is None:
        n_workers = default_local_workers()
    # Quiet workers: a failing task logs its traceback at ERROR, and parse_corpus reports it in one line.
    options = {"n_workers": n_workers, "threads_per_worker": 1, "processes": True,
               "dashboard_address": None, "silence_logs": logging.CRITICAL, "env": dict(WORKER_ENV)}
    options.update(kwargs)
    import dask

    # Nannies read these when created and apply them to every worker they start or restart.
    with dask.config.set(LOCAL_WORKER_CONFIG):
        return dist.LocalCluster(**options)


def default_local_workers() -> int:
    from dask.system import CPU_COUNT   # respects cgroup and affinity limits

    try:
        import psutil

        by_memory = max(1, int(psutil.virtual_memory().available // WORKER_MEMORY_BYTES))
    except ImportError:  # psutil comes with distributed; be safe anyway
        by_memory = CPU_COUNT
    return max(1, min(CPU_COUNT, by_memory))


@contextmanager
def _connected(dist, client, connect_timeout: float | None) -> Iterator:
    """The client to use; a temporary local cluster or a connection made here is closed afterwards."""
    if isinstance(client, dist.Client):
        yield client
        return
    if client is None:
        try:
            yield dist.default_client()
            return
        except ValueError:   # no client yet: start a local cluster
            client = "local"
    if not isinstance(client, str):
        raise TypeError(f"client must be a distributed.Client, an address or 'local', not {type(client).__name__}")
    if client == "local":
        with local_cluster() as cluster, dist.Client(cluster) as local:
            yield local
        return
    try:
        connection = dist.Client(client, timeout=connect_timeout if connect_timeout is not None else
                                 _config_timeout())
    except (OSError, ValueError, TypeError) as exc:
        raise ParallelError(f"cannot reach the Dask scheduler at {client}: {one_line(exc, named=True)}") from None
    with connection:
        yield connection


def _config_timeout():
    import dask

    return dask.config.get("distributed.comm.timeouts.connect")


def _wait_for_workers(client, timeout: float = 60.0) -> int:
    try:
        client.wait_for_workers(1, timeout=timeout)
    except TimeoutError:
        raise ParallelError(f"no Dask workers joined the scheduler at {client.scheduler.address} "
                            f"within {timeout:.0f} s (start some with: dask worker {client.scheduler.address})"
                            ) from None
    return len(client.scheduler_info(n_workers=-1)["workers"])


def warm_up(client, model: str | None = None, cache_dir: str | os.PathLike | None = None) -> dict[str, float]:
    """Load spaCy and the gazetteer on every worker now; returns the seconds each worker took.

    One task per worker (run in the worker's thread pool, not its event loop). Raises
    ``ParallelError`` naming the worker when one cannot load the extractor (no geoevents, no
    model, no gazetteer), or runs another geoevents version than this process.
    """
    from . import __version__

    cache = str(cache_dir) if cache_dir else None
    addresses = sorted(client.scheduler_info(n_workers=-1)["workers"])
    tag = uuid.uuid4().hex[:8]
    futures = {client.submit(_load_on_worker, model, cache, key=f"geoevents-load-{tag}-{i}", workers=[address],
                             allow_other_workers=True, pure=False): address
               for i, address in enumerate(addresses)}
    seconds: dict[str, float] = {}
    for future, address in futures.items():
        try:
            version, took = future.result()
        except Exception as exc:   # anything the worker raised: report it, do not start the run
            raise ParallelError(f"worker {address} cannot load the event extractor: {one_line(exc, named=True)}") from None
        if version != __version__:
            raise ParallelError(f"worker {address} runs geoevents {version}, this process {__version__}: "
                                "install the same version everywhere, or the events would differ")
        seconds[address] = took
    return seconds


# ---------------------------------------------------------------------------------------------
# On the workers

_extractors: dict = {}
_extractors_lock = threading.Lock()


def _worker_extractor(model: str | None, cache_dir: str | None):
    """This process's extractor for (model, cache_dir): spaCy and the gazetteer load once per worker."""
    key = (model, cache_dir)
    with _extractors_lock:
        extractor = _extractors.get(key)
        if extractor is None:
            extractor = EventExtractor(Geoparser(Gazetteer(cache_dir=cache_dir), model=model))
            _extractors[key] = extractor
    return extractor


def _load_on_worker(model: str | None, cache_dir: str | None) -> tuple[str, float]:
    from . import __version__

    started = time.perf_counter()
    extractor = _worker_extractor(model, cache_dir)
    extractor.geoparser.nlp("Warm up.")   # lazy parts of the pipeline load on first use
    return __version__, time.perf_counter() - started


def _parse_partition(partition: Partition, published: date | None, model: str | None, cache_dir: str | None,
                     focus: list[str], with_articles: bool
                     ) -> tuple[int, list[Event], list[Skipped], list[Article] | None]:
    """(articles parsed, their events in order, what was skipped, the articles when the store wants them)."""
    extractor = _worker_extractor(model, cache_dir).with_focus(focus)
    skipped: list[Skipped] = []
    events: list[Event] = []
    parsed: list[Article] = []
    articles = read_partition(partition, published, report=skipped.append)
    for article, found in extractor.extract_many(articles, report=skipped.append):
        parsed.append(article)
        events.extend(found)
    return len(parsed), events, skipped, parsed if with_articles else None


# ---------------------------------------------------------------------------------------------
# One run on the client

@dataclass(frozen=True, slots=True)
class _Saved:
    """A partition an earlier run saved: what its record says."""

    articles: int
    events: int
    skipped: list[Skipped]


class _Run:
    """Takes up what an earlier run saved, submits the rest, saves results as they come and commits them in order."""

    def __init__(self, plan: list[Partition | Skipped], sink, record, report, on_skip, retries: int, progress,
                 keep_events: bool):
        self.plan = plan   # partitions, and the inputs that could not be listed in their places
        self.partitions = [item for item in plan if isinstance(item, Partition)]
        self.sink = sink
        self.record = record
        self.report = report
        self.on_skip = on_skip
        self.retries = retries
        self.progress = progress
        self.keep_events = keep_events
        self.done: dict[int, tuple | _Saved | PartitionFailure | None] = {}
        self.todo: list[int] = list(range(len(self.partitions)))
        self.next_commit = 0          # position in plan
        self.next_partition = 0       # index of the partition at next_commit
        self.events: list[Event] = []
        self.n_events = 0
        self.parsed = 0
        self.failed: list[PartitionFailure] = []
        self.unrecorded: list[dict] = []   # committed to the store, not yet known to be in it
        self.resumed = 0
        self.started = time.perf_counter()
        self.articles_this_run = self.bytes_this_run = 0
        self.bytes_left = sum(p.size for p in self.partitions)

    def take_up(self, settings: dict, partition_bytes: int) -> None:
        """Keep what the record says is saved (same partition, same inputs, its part still there); redo the rest."""
        if self.record is None:
            return
        kept = []
        for index, partition in enumerate(self.partitions):
            entry = self.record.done.get(partition_key(partition.describe()))
            if entry is not None and entry.get("partition") == index and self.sink.has_part(index):
                kept.append(entry)
                self.done[index] = _Saved(entry["articles"], entry["events"],
                                          [Skipped(origin, reason) for origin, reason in entry["skipped"]])
                self.bytes_left -= partition.size
        self.resumed = len(kept)
        self.record.start(settings, partition_bytes, kept)
        self.sink.keep_parts({entry["partition"] for entry in kept})
        self.todo = [index for index in range(len(self.partitions)) if index not in self.done]

    def execute(self, client, published: date | None, model: str | None, cache_dir: str | None,
                focus: list[str]) -> None:
        from distributed import as_completed

        self._commit_ready()
        self._tell_progress()
        tag = uuid.uuid4().hex[:8]   # keys are per run: a scheduler shares results between equal keys
        with_articles = self.sink is not None and self.sink.wants_articles   # the store records each article
        futures = {}
        for index in self.todo:
            future = client.submit(_parse_partition, self.partitions[index], published, model, cache_dir, focus,
                                   with_articles, key=f"geoevents-{tag}-partition-{index:05d}",
                                   retries=self.retries, pure=False)
            futures[future] = index
        try:
            for future in as_completed(list(futures)):
                index = futures.pop(future)
                self._finished(index, future)
                future.release()   # the worker may drop the result now
                self._tell_progress()
        except BaseException:
            client.cancel(list(futures))
            raise
        if self.sink is not None:
            self.sink.close()
            self._record_unrecorded()
        if self.record is not None:
            self.record.close()

    def _finished(self, index: int, future) -> None:
        if future.status == "finished":
            try:
                outcome = future.result()
            except Exception as exc:   # the result could not be fetched (worker lost mid-transfer)
                outcome = self._failure(index, exc)
        else:
            try:
                error = future.exception()
            except Exception as exc:   # cancelled: the scheduler went away
                error = exc
            outcome = self._failure(index, error)
        self.done[index] = outcome
        if not isinstance(outcome, PartitionFailure):
            self.articles_this_run += outcome[0]
            self.bytes_this_run += self.partitions[index].size
            if self.sink is not None:
                self.sink.partition(index, outcome[1])
                if self.sink.saved_on_arrival and self.record is not None:
                    self.record.saved(self._entry(index, outcome))
        self.bytes_left -= self.partitions[index].size
        self._commit_ready()

    def _entry(self, index: int, outcome: tuple) -> dict:
        parsed, events, skipped, _articles = outcome
        return {"partition": index, "reads": self.partitions[index].describe(), "articles": parsed,
                "events": len(events), "skipped": [[s.origin, s.reason] for s in skipped]}

    def _failure(self, index: int, error: BaseException | None) -> PartitionFailure:
        return PartitionFailure(index=index, where=self.partitions[index].where(), retries=self.retries,
                                error=one_line(error, named=True) if error is not None else "cancelled")

    def _commit_ready(self) -> None:
        # Reports and store appends go in corpus order, as a single-process run makes them.
        while self.next_commit < len(self.plan):
            item = self.plan[self.next_commit]
            if isinstance(item, Skipped):
                self.on_skip(item)
                self.next_commit += 1
                continue
            index = self.next_partition
            if index not in self.done:
                return
            outcome = self.done[index]
            if isinstance(outcome, PartitionFailure):
                self.failed.append(outcome)
                _tell(self.report, outcome)
            elif isinstance(outcome, _Saved):
                for skip in outcome.skipped:
                    self.on_skip(skip)
                self.parsed += outcome.articles
                self.n_events += outcome.events
            else:
                parsed, events, skipped, articles = outcome
                for skip in skipped:
                    self.on_skip(skip)
                self.parsed += parsed
                self.n_events += len(events)
                if self.keep_events:
                    self.events.extend(events)
                if self.sink is not None:
                    if articles is not None:
                        self.sink.add(events, article=articles)
                    else:
                        self.sink.add(events)
                    if self.record is not None and not self.sink.saved_on_arrival:
                        self.unrecorded.append(self._entry(index, outcome))
                        if not self.sink.unsaved:
                            self._record_unrecorded()
            self.done[index] = None   # keep the index as done, drop the data
            self.next_commit += 1
            self.next_partition += 1

    def _record_unrecorded(self) -> None:
        if self.record is not None:
            stamp = self.sink.stamp()
            for entry in self.unrecorded:
                self.record.saved(entry, stamp)
        self.unrecorded = []

    def _tell_progress(self) -> None:
        if self.progress is None:
            return
        waiting = [outcome for outcome in self.done.values() if isinstance(outcome, tuple)]   # not committed yet
        self.progress(RunProgress(
            partitions_done=len(self.done), partitions=len(self.partitions),
            articles=self.parsed + sum(outcome[0] for outcome in waiting),
            events=self.n_events + sum(len(outcome[1]) for outcome in waiting),
            seconds=time.perf_counter() - self.started, articles_this_run=self.articles_this_run,
            bytes_this_run=self.bytes_this_run, bytes_left=max(0, self.bytes_left)))

    def result(self, output, skipped: list[Skipped]) -> CorpusResult:
        return CorpusResult(events=self.events, articles=self.parsed, partitions=len(self.partitions),
                            skipped=skipped, failed=self.failed, output=Path(output) if output else None,
                            counts=dict(self.sink.counts) if self.sink is not None else {},
                            n_events=self.n_events, resumed=self.resumed)


def _tell(report, item) -> None:
    if report is not None:
        report(item)
    else:
        log.warning("%s", item.line())


# ---------------------------------------------------------------------------------------------
# Reading a partitioned output back

def read_partitions(path: str | os.PathLike):
    """The events of a ``parse_corpus`` output as one GeoDataFrame, partitions in order.

    ``path`` is a folder of ``part-NNNNN.parquet`` files, or any single file ``read_frame`` reads.
    """
    return read_frame(path)
