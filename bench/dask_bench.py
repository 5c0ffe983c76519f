"""Dask benchmark: parse_corpus on a LocalCluster of 1 and 2 workers against EventExtractor.extract_many in one process.

    python bench/dask_bench.py [--articles 2000] [--partitions N] [--cache-dir DIR] [--json]

Corpus: the GeoWebNews and LGL articles of ../shared/data/geoparsing (GWN.xml, LGL.xml; or
--corpus FILE...), replicated with distinct ids up to --articles and written as JSON Lines to a
temporary folder that is deleted afterwards; without those files, the example articles that ship
with geoevents, repeated. Every run reads that same file.

Model load time is excluded on both sides: the one-process extractor is built and warmed
before its clock starts, and every worker loads spaCy and the gazetteer (parallel.warm_up)
before a Dask clock starts; cluster start-up and loading are reported apart. The Dask side
includes everything else: reading the corpus on the client, shipping partitions, gathering
the events back in corpus order. Both sides keep the events in memory and write nothing; the
events of the three runs are compared. Peak RSS per worker is each worker process's
high-water mark (VmHWM; model included), read on the workers after their run. Dask's
profiler is off on these workers, as on every cluster geoevents starts itself.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "geoparsing"
DEFAULT_CORPORA = [SHARED / "GWN.xml", SHARED / "LGL.xml"]
PUBLISHED = "2017-07-11"   # the corpora carry no dates; one for all keeps relative dates resolvable


def corpus_rows(paths: list[Path], n: int) -> tuple[list[dict], str]:
    """``n`` article rows: the corpora's articles in order, repeated with distinct ids."""
    from geoevents.evaluate import read_corpus

    base: list[tuple[str, str]] = []
    found = [p for p in paths if p.is_file()]
    for path in found:
        base += [(f"{path.stem}-{a.id}", a.text) for a in read_corpus(path)]
    if base:
        source = " + ".join(f"{p.name}" for p in found)
    else:
        from geoevents import example_articles

        base = [(p.stem, p.read_text(encoding="utf-8")) for p in example_articles()]
        source = f"{' and '.join(map(str, paths))} missing -> the {len(base)} bundled example articles"
    rows = []
    for i in range(n):
        article_id, text = base[i % len(base)]
        rows.append({"id": f"{article_id}-r{i // len(base)}", "text": text})
    unique = min(n, len(base))
    return rows, f"{source}: {unique} distinct articles, repeated to {n}"


def peak_rss_mb() -> float:
    """This process's peak resident memory in MB.

    VmHWM on Linux: ru_maxrss survives fork and exec, so a worker spawned from a big process
    would report its parent's peak.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss   # kilobytes on Linux, bytes on macOS
    return peak / (1024 * 1024 if sys.platform == "darwin" else 1024)


def code_stamp() -> dict[str, int]:
    """Modification times of the geoevents sources the workers import: a change mid-run voids the comparison."""
    import geoevents

    root = Path(geoevents.__file__).parent
    return {str(p): p.stat().st_mtime_ns for p in sorted(root.rglob("*.py"))}


def warm_page_cache(cache_dir: str | None) -> None:
    """Read the gazetteer file once, so the first run timed does not pay the disk for the others."""
    from geoevents.gazetteer.index import ensure_index

    path = ensure_index(Path(cache_dir) if cache_dir else None)
    with open(path, "rb") as f:
        while f.read(1 << 24):
            pass


def one_process(corpus: Path, cache_dir: str | None) -> dict:
    from geoevents.text import ReadReport, read_articles
    from geoevents.events import EventExtractor
    from geoevents.gazetteer import Gazetteer
    from geoevents.geoparsing import Geoparser

    started = time.perf_counter()
    extractor = EventExtractor(Geoparser(Gazetteer(cache_dir=cache_dir)))
    extractor.geoparser.nlp("Warm up.")
    load_s = time.perf_counter() - started
    report = ReadReport()
    started = time.perf_counter()
    events = [e for _, found in extractor.extract_many(read_articles(corpus, published=PUBLISHED, report=report),
                                                       report=report) for e in found]
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "load_s": load_s, "events": events, "skipped": report.count,
            "peak_rss_mb": peak_rss_mb()}


def on_dask(corpus: Path, workers: int, cache_dir: str | None, partitions: int | None) -> dict:
    from distributed import Client

    from geoevents.text import ReadReport
    from geoevents.parallel import local_cluster, parse_corpus, warm_up

    started = time.perf_counter()
    with local_cluster(workers) as cluster, Client(cluster) as client:
        client.wait_for_workers(workers)
        cluster_s = time.perf_counter() - started
        started = time.perf_counter()
        warm_up(client, cache_dir=cache_dir)
        load_s = time.perf_counter() - started
        report = ReadReport()
        started = time.perf_counter()
        result = parse_corpus(corpus, client, partitions=partitions, published=PUBLISHED, cache_dir=cache_dir,
                              report=report)
        seconds = time.perf_counter() - started
        peaks = client.run(peak_rss_mb)
    return {"seconds": seconds, "cluster_s": cluster_s, "load_s": load_s, "events": result.events,
            "skipped": report.count, "failed": len(result.failed), "partitions": result.partitions,
            "peak_rss_mb": [round(peaks[w], 1) for w in sorted(peaks)]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=2000, help="corpus size (default 2000)")
    ap.add_argument("--corpus", type=Path, nargs="+", default=DEFAULT_CORPORA, help="GWN/LGL XML files")
    ap.add_argument("--partitions", type=int, default=None, help="default: parse_corpus's (4 per worker)")
    ap.add_argument("--cache-dir", default=None, help="gazetteer cache directory (default $GEOEVENTS_CACHE_DIR)")
    ap.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    args = ap.parse_args()
    if args.articles < 1:
        ap.error("--articles must be at least 1")

    load_before = os.getloadavg()
    stamp = code_stamp()
    rows, source = corpus_rows(args.corpus, args.articles)
    warm_page_cache(args.cache_dir)
    with tempfile.TemporaryDirectory(prefix="geoevents-dask-bench-") as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        corpus.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
        single = one_process(corpus, args.cache_dir)
        one = on_dask(corpus, 1, args.cache_dir, args.partitions)
        two = on_dask(corpus, 2, args.cache_dir, args.partitions)
    load_after = os.getloadavg()
    code_changed = code_stamp() != stamp

    same = [e.to_dict() for e in single["events"]]
    n = len(rows)
    result = {
        "articles": n,
        "corpus": source,
        "events": len(single["events"]),
        "same_events": same == [e.to_dict() for e in one["events"]] == [e.to_dict() for e in two["events"]],
        "code_changed_during_run": code_changed,
        "one_process_s": round(single["seconds"], 2),
        "one_worker_s": round(one["seconds"], 2),
        "two_workers_s": round(two["seconds"], 2),
        "speedup_two_workers_vs_one_process": round(single["seconds"] / two["seconds"], 3),
        "speedup_two_workers_vs_one_worker": round(one["seconds"] / two["seconds"], 3),
        "articles_per_s": {"one_process": round(n / single["seconds"], 2), "one_worker": round(n / one["seconds"], 2),
                           "two_workers": round(n / two["seconds"], 2)},
        "peak_rss_mb_per_worker": max(two["peak_rss_mb"]),
        "peak_rss_mb_workers": {"one_worker": one["peak_rss_mb"], "two_workers": two["peak_rss_mb"]},
        "one_process_peak_rss_mb": round(single["peak_rss_mb"], 1),
        "partitions": {"one_worker": one["partitions"], "two_workers": two["partitions"]},
        "failed_partitions": one["failed"] + two["failed"],
        "skipped": single["skipped"],
        "load_s": {"one_process": round(single["load_s"], 2), "one_worker": round(one["load_s"], 2),
                   "two_workers": round(two["load_s"], 2)},
        "cluster_start_s": {"one_worker": round(one["cluster_s"], 2), "two_workers": round(two["cluster_s"], 2)},
        "model_load": "excluded on both sides",
        "cpu_count": os.cpu_count(),
        "load_avg_before": [round(x, 2) for x in load_before],
        "load_avg_after": [round(x, 2) for x in load_after],
        "python": platform.python_version(),
    }
    if args.json:
        print(json.dumps(result))
        return
    print("Dask benchmark (geoevents.parallel.parse_corpus)")
    print(f"  command     : {' '.join([Path(sys.executable).name, *sys.argv])}")
    print(f"  machine     : {platform.machine()} {platform.system()}, os.cpu_count()={os.cpu_count()}, "
          f"Python {platform.python_version()}")
    print(f"  load avg    : {load_before[0]:.2f} before, {load_after[0]:.2f} after (other processes skew timings)")
    print(f"  corpus      : {source}; {result['events']} events; same events in all runs: {result['same_events']}"
          + (" (geoevents sources changed during the run: the runs ran different code)" if code_changed else ""))
    print("  model load  : excluded on both sides "
          f"(one process {single['load_s']:.1f} s; workers {one['load_s']:.1f} s / {two['load_s']:.1f} s; "
          f"cluster start {one['cluster_s']:.1f} s / {two['cluster_s']:.1f} s)")
    print()
    print(f"  {'run':<28}{'seconds':>9}{'articles/s':>12}{'partitions':>12}  peak RSS MB")
    print(f"  {'one process (extract_many)':<28}{single['seconds']:>9.1f}{n / single['seconds']:>12.2f}{'-':>12}  "
          f"{single['peak_rss_mb']:.0f}")
    for label, run in (("Dask, 1 worker", one), ("Dask, 2 workers", two)):
        print(f"  {label:<28}{run['seconds']:>9.1f}{n / run['seconds']:>12.2f}{run['partitions']:>12}  "
              f"{' / '.join(f'{m:.0f}' for m in run['peak_rss_mb'])} per worker")
    print()
    print(f"  speed-up, 2 workers vs 1 process: {result['speedup_two_workers_vs_one_process']:.2f}x "
          f"(target >= 1.6x); vs 1 worker: {result['speedup_two_workers_vs_one_worker']:.2f}x")


if __name__ == "__main__":
    main()
