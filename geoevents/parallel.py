"""Corpus-scale event extraction on a Dask cluster: partitions of articles parsed on workers, written as they finish.

The client reads the corpus (bad files and rows are skipped and reported, as ``read_articles``
does), splits the articles into contiguous partitions of about equal text length and submits
one task per partition. Each worker process loads spaCy and the gazetteer once and runs
``EventExtractor.extract_many`` over its partition, which skips and reports a bad article and
goes on. The client takes results as they come, writes them (one GeoParquet file per partition,
or appends to the GeoPackage store in corpus order) and returns the events in corpus order:
the same events a single-process run gives for the same corpus.

A partition whose task fails is retried by Dask, then reported by name (``PartitionFailure``);
the other partitions are kept. Nothing is dropped without a report.

dask.distributed is an optional dependency (``pip install 'geoevents[parallel]'``); it is
imported only when a cluster is used, so ``read_partitions`` works without it.
"""
from __future__ import annotations

import bisect
import itertools
import logging
import os
import re
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
from .io.sinks import OutputError, open_sink
from .text import Article, Skipped, read_articles

__all__ = [
    "DEFAULT_RETRIES",
    "CorpusResult",
    "OutputError",
    "ParallelError",
    "PartitionFailure",
    "local_cluster",
    "parse_corpus",
    "read_partitions",
    "split_partitions",
    "warm_up",
]

log = logging.getLogger(__name__)

DEFAULT_RETRIES = 2
PARTITIONS_PER_WORKER = 4          # enough pieces that one slow piece does not leave a worker idle for long
MAX_PARTITION_ARTICLES = 100       # small pieces balance the workers; a retry redoes at most this many
ARTICLE_OVERHEAD_CHARS = 300       # per-article cost beyond its length, for balancing partitions
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
    """A partition whose task failed every attempt: which articles it held and the last error (one line)."""

    index: int
    first_id: str
    last_id: str
    articles: int
    sources: str
    retries: int
    error: str

    def line(self) -> str:
        which = (f"article {self.first_id}" if self.articles == 1
                 else f"articles {self.first_id}..{self.last_id}")
        tries = f"{self.retries} retr{'y' if self.retries == 1 else 'ies'}"
        return f"partition {self.index} ({which} from {self.sources}): failed after {tries}: {self.error}"


@dataclass
class CorpusResult:
    """What ``parse_corpus`` did: the events in corpus order, and everything that was not parsed."""

    events: list[Event]
    articles: int                    # articles parsed (not skipped, not in a failed partition)
    partitions: int
    skipped: list[Skipped] = field(default_factory=list)          # bad files, rows and articles
    failed: list[PartitionFailure] = field(default_factory=list)  # partitions that failed every attempt
    output: Path | None = None
    counts: dict = field(default_factory=dict)  # "written" and "files", or the store's "added", "merged", "unchanged"

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
    progress: Callable[[int, int], object] | None = None,
    connect_timeout: float | None = None,
) -> CorpusResult:
    """Extract the events of a corpus on a Dask cluster; the same events, in the same order, as one process gives.

    ``paths`` is what ``read_articles`` takes (files, folders, .jsonl/.json/.csv, "-" for stdin).
    ``client`` is a ``distributed.Client``, a scheduler address ("tcp://10.0.0.5:8786"), "local"
    (a temporary ``LocalCluster``, one single-threaded worker process per core) or None (the
    current default client, else a temporary local cluster). ``partitions`` defaults to
    ``PARTITIONS_PER_WORKER`` per worker, with at most ``MAX_PARTITION_ARTICLES`` articles each.

    ``output``: ``X.parquet`` is written as a folder of GeoParquet files, one per partition
    (``part-00000.parquet`` ...; read it back with ``read_partitions``), swapped into place when
    the run ends; ``X.gpkg`` is the event store, appended to in corpus order as partitions
    finish; ``.geojson`` and ``.csv`` are written whole at the end. Partitions that finished are
    written even when others failed.

    Every skipped file, row or article (``Skipped``) and every partition that failed after
    ``retries`` retries (``PartitionFailure``) is passed to ``report``, or logged as a warning
    when there is none; both are also in the result. ``focus`` ("SY,IQ") is the analyst's countries
    of interest, a prior on where places are (``Geoparser.focus``). ``progress(done, total)`` is called as
    partitions finish. Raises ``ParallelError`` (one line) when dask is not installed, the
    scheduler cannot be reached or the workers cannot load the extractor; a bad ``output``
    raises ``OutputError`` (or ``StoreError``: a .gpkg that is not a store) before any work.
    """
    focus = sorted(focus_countries(focus))  # a bad code is refused here, before any work
    if partitions is not None and partitions < 1:
        raise ValueError(f"partitions must be at least 1, not {partitions}")
    if retries < 0:
        raise ValueError(f"retries must be 0 or more, not {retries}")
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
        articles = list(read_articles(paths, published=published, report=on_skip))
        # Build the gazetteer index here, once: workers sharing this cache would otherwise queue to build it.
        ensure_index(Path(cache) if cache else None)
        with _connected(dist, client, connect_timeout) as dask_client:
            workers = _wait_for_workers(dask_client)
            slices = split_partitions(articles, partitions or default_partitions(len(articles), workers))
            warm_up(dask_client, model=model, cache_dir=cache)
            run = _Run(slices, articles, sink, report, on_skip, retries, progress)
            run.execute(dask_client, model, cache, focus)
    except BaseException:
        if sink is not None:
            sink.abort()   # a half-written output never replaces the old one
        raise
    return run.result(output, skipped)


def default_partitions(n_articles: int, workers: int) -> int:
    """``PARTITIONS_PER_WORKER`` per worker, more when partitions would exceed ``MAX_PARTITION_ARTICLES``."""
    wanted = max(PARTITIONS_PER_WORKER * max(workers, 1), -(-n_articles // MAX_PARTITION_ARTICLES))
    return max(1, min(wanted, n_articles))


def split_partitions(articles: list[Article], n: int) -> list[range]:
    """``n`` contiguous, non-empty ranges of article positions with about equal work in each.

    Work is estimated as text length plus a fixed per-article cost, so a partition of long
    features is not three times slower than one of briefs. Deterministic: the same articles
    and ``n`` always give the same ranges.
    """
    if not articles:
        return []
    n = max(1, min(n, len(articles)))
    cumulative = list(itertools.accumulate(len(a.text) + ARTICLE_OVERHEAD_CHARS for a in articles))
    total = cumulative[-1]
    bounds = [0]
    for k in range(1, n):
        end = bisect.bisect_left(cumulative, total * k / n) + 1   # first end whose work reaches k/n
        end = max(end, bounds[-1] + 1)                             # every partition non-empty
        end = min(end, len(articles) - (n - k))                    # and one article left for each of the rest
        bounds.append(end)
    bounds.append(len(articles))
    return [range(a, b) for a, b in zip(bounds, bounds[1:])]


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


def _parse_partition(articles: list[Article], model: str | None, cache_dir: str | None, focus: list[str]
                     ) -> tuple[int, list[Event], list[Skipped]]:
    """(articles parsed, their events in order, articles skipped) for one partition."""
    extractor = _worker_extractor(model, cache_dir).with_focus(focus)
    skipped: list[Skipped] = []
    events: list[Event] = []
    parsed = 0
    for _article, found in extractor.extract_many(articles, report=skipped.append):
        parsed += 1
        events.extend(found)
    return parsed, events, skipped


# ---------------------------------------------------------------------------------------------
# One run on the client

class _Run:
    """Submits the partitions, takes results as they finish and commits them in corpus order."""

    def __init__(self, slices: list[range], articles: list[Article], sink, report, on_skip, retries: int,
                 progress):
        self.slices = slices
        self.articles = articles
        self.sink = sink
        self.report = report
        self.on_skip = on_skip
        self.retries = retries
        self.progress = progress
        self.done: dict[int, tuple[int, list[Event], list[Skipped]] | PartitionFailure] = {}
        self.next_commit = 0
        self.events: list[Event] = []
        self.parsed = 0
        self.failed: list[PartitionFailure] = []

    def execute(self, client, model: str | None, cache_dir: str | None, focus: list[str]) -> None:
        from distributed import as_completed

        tag = uuid.uuid4().hex[:8]   # keys are per run: a scheduler shares results between equal keys
        futures = {}
        for index, span in enumerate(self.slices):
            future = client.submit(_parse_partition, self.articles[span.start:span.stop], model, cache_dir, focus,
                                   key=f"geoevents-{tag}-partition-{index:05d}", retries=self.retries, pure=False)
            futures[future] = index
        try:
            for future in as_completed(list(futures)):
                index = futures.pop(future)
                self._finished(index, future)
                future.release()   # the worker may drop the result now
                if self.progress is not None:
                    self.progress(len(self.done), len(self.slices))
        except BaseException:
            client.cancel(list(futures))
            raise
        if self.sink is not None:
            self.sink.close()

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
        if self.sink is not None and not isinstance(outcome, PartitionFailure):
            self.sink.partition(index, outcome[1])
        self._commit_ready()

    def _failure(self, index: int, error: BaseException | None) -> PartitionFailure:
        span = self.slices[index]
        part = self.articles[span.start:span.stop]
        return PartitionFailure(index=index, first_id=part[0].id, last_id=part[-1].id, articles=len(part),
                                sources=_sources(part), retries=self.retries,
                                error=one_line(error, named=True) if error is not None else "cancelled")

    def _commit_ready(self) -> None:
        # Reports and store appends go in corpus order, as a single-process run makes them.
        while self.next_commit in self.done:
            outcome = self.done[self.next_commit]
            if isinstance(outcome, PartitionFailure):
                self.failed.append(outcome)
                _tell(self.report, outcome)
            else:
                parsed, events, skipped = outcome
                for item in skipped:
                    self.on_skip(item)
                self.parsed += parsed
                self.events.extend(events)
                if self.sink is not None:
                    self.sink.add(events)
            self.done[self.next_commit] = None   # keep the index as done, drop the data
            self.next_commit += 1

    def result(self, output, skipped: list[Skipped]) -> CorpusResult:
        return CorpusResult(events=self.events, articles=self.parsed, partitions=len(self.slices),
                            skipped=skipped, failed=self.failed, output=Path(output) if output else None,
                            counts=dict(self.sink.counts) if self.sink is not None else {})


def _sources(articles: list[Article]) -> str:
    """Where a partition's articles came from: one file, or the first and last of several."""
    names = list(dict.fromkeys(_origin_file(a) for a in articles))
    if len(names) == 1:
        return names[0]
    return f"{names[0]} .. {names[-1]} ({len(names)} files)"


def _origin_file(article: Article) -> str:
    origin = article.origin or "<text>"
    return re.sub(r":\d+$", "", origin)


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
