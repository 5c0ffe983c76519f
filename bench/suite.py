"""The benchmark suite: one table of the numbers the README quotes, and the machine they came from.

    python bench/suite.py [--quick] [--json] [--skip-dask] [--cache-dir DIR] [--corpus PATH]

(a) Throughput on the same texts (the GeoWebNews articles of ../shared/data/geoparsing/GWN.xml,
    else the bundled example articles repeated to 200 docs): bare spaCy (the very pipeline
    geoevents loads, ``nlp.pipe``) against ``Geoparser.geoparse_many`` and against
    ``EventExtractor.extract_many``; words/s, docs/s and time relative to bare spaCy, best of
    --repeat, lookup caches cleared before every run.
(b) Gazetteer lookups/s: unseen exact names, a news-like stream (Zipf-repeated names, lookup
    cache on) and misspelled names (fuzzy index), with ``gazetteer_bench.rate``.
(c) Map build (``make_map`` + ``.save``) time, HTML size and bytes per event at 1k / 10k / 100k
    synthetic events (``map_bench.synthetic_events``).
(d) Dask: ``bench/dask_bench.py --plan-sizes --articles 2000 --json`` in a child process: speed-up of 2 workers
    over 1 process and peak memory per worker; "not run" with the reason when it is missing or fails.

The table is Markdown, so it can be pasted into the README as printed. --quick runs fewer docs,
one repeat, maps up to 10k events and Dask on 200 articles: a smoke test, not numbers to quote.
Timings are wall-clock on whatever else the machine is doing; the load average is printed too.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
for path in (str(REPO), str(BENCH)):   # this checkout's geoevents, and the sibling bench modules
    if path not in sys.path:
        sys.path.insert(0, path)

from gazetteer_bench import misspell, rate  # noqa: E402
from geoparse_bench import DEFAULT_CORPUS, clear_caches, load_texts, timed  # noqa: E402
from map_bench import synthetic_events  # noqa: E402

DASK_SCRIPT = BENCH / "dask_bench.py"
DASK_TIMEOUT_S = 3600
MAP_SIZES = (1_000, 10_000, 100_000)
QUICK_MAP_SIZES = (1_000, 10_000)


# -- the machine ---------------------------------------------------------------------------

def _proc_field(path: str, key: str) -> str | None:
    try:
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                if line.startswith(key):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return None


def machine() -> dict:
    import spacy

    mem_kb = _proc_field("/proc/meminfo", "MemTotal")
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {
        "cpu": _proc_field("/proc/cpuinfo", "model name") or platform.processor() or platform.machine(),
        "cores": os.cpu_count(),
        "usable_cores": usable,
        "ram_gb": round(int(mem_kb.split()[0]) / 1024 ** 2, 1) if mem_kb else None,
        "python": platform.python_version(),
        "os": platform.platform(),
        "spacy": spacy.__version__,
        "load_avg_before": round(os.getloadavg()[0], 2),
    }


# -- (a) geoparse and events against bare spaCy ---------------------------------------------

def throughput(texts: list[str], parser, repeat: int, batch_size: int) -> dict:
    from geoevents.text import article_from_text
    from geoevents.events import EventExtractor

    nlp = parser.nlp
    extractor = EventExtractor(parser)
    articles = [article_from_text(t, id=f"doc-{i}", published="2018-01-15") for i, t in enumerate(texts)]
    # Load the lazy pieces (model weights, SQLite pages, event-place model) before timing.
    warm = articles[:5]
    list(nlp.pipe([a.text for a in warm], batch_size=batch_size))
    list(extractor.extract_many(warm, batch_size=batch_size))

    def geoparse():
        clear_caches(parser)
        return parser.geoparse_many(texts, batch_size=batch_size)

    def extract():
        clear_caches(parser)
        return [events for _, events in extractor.extract_many(articles, batch_size=batch_size)]

    runs: dict[str, list[float]] = {"bare": [], "geoparse": [], "events": []}
    found = {}
    for _ in range(repeat):   # interleaved, so a burst of load elsewhere hits all three alike
        runs["bare"].append(timed(lambda: list(nlp.pipe(texts, batch_size=batch_size)))[0])
        seconds, toponyms = timed(geoparse)
        runs["geoparse"].append(seconds)
        seconds, events = timed(extract)
        runs["events"].append(seconds)
        found = {"toponyms_found": sum(map(len, toponyms)), "events_found": sum(map(len, events))}

    words = sum(len(t.split()) for t in texts)
    meta = nlp.meta
    out = {"docs": len(texts), "words": words, "batch_size": batch_size, "repeat": repeat,
           "model": f"{meta.get('lang', '?')}_{meta.get('name', '?')} {meta.get('version', '?')}",
           "pipes": list(nlp.pipe_names), **found}
    bare = min(runs["bare"])
    for name, times in runs.items():
        best = min(times)
        out[name] = {"best_s": round(best, 3), "runs_s": [round(t, 3) for t in times],
                     "words_per_s": round(words / best), "docs_per_s": round(len(texts) / best, 2),
                     "x_bare": round(best / bare, 2)}
    return out


# -- (b) gazetteer lookups -----------------------------------------------------------------

def gazetteer_lookups(gazetteer, n: int, seed: int = 7) -> dict:
    rng = random.Random(seed)
    conn = gazetteer._conn
    # Distinct names of towns and regions, long enough to be names rather than codes.
    pool = [name for (name,) in conn.execute(
        "SELECT DISTINCT name FROM places WHERE feature_class IN ('P', 'A') AND length(name) >= 5 "
        "ORDER BY random() LIMIT ?", (n * 3,))]
    names, warm_up = pool[:n], pool[n: 2 * n]
    exact, exact_found = rate(gazetteer, names, warm_up)
    stream = rng.choices(names, weights=[1 / (rank + 1) ** 1.1 for rank in range(len(names))], k=5 * len(names))
    news, _ = rate(gazetteer, stream, [])
    misspelled = [misspell(name, rng) for name in names[: max(n // 10, 100)]]
    gazetteer.geocode("Mosulx")   # load the fuzzy index outside the timing
    fuzzy, fuzzy_found = rate(gazetteer, misspelled, [misspell(name, rng) for name in warm_up[:500]])
    return {"exact_per_s": round(exact), "exact_found": round(exact_found, 3), "exact_n": len(names),
            "stream_per_s": round(news), "stream_n": len(stream),
            "fuzzy_per_s": round(fuzzy), "fuzzy_answered": round(fuzzy_found, 3), "fuzzy_n": len(misspelled)}


# -- (c) maps ----------------------------------------------------------------------------------

def map_builds(sizes, out_dir: Path) -> list[dict]:
    from geoevents.maps import make_map

    events = synthetic_events(max(sizes))
    # The page without its events (scripts, styles, country outlines of the view): a map of one
    # event per place, so it spans the same countries as the big ones. Also loads folium before timing.
    spread = list({e.location: e for e in reversed(events[:1000])}.values())
    baseline = out_dir / "map-baseline.html"
    make_map(spread).save(str(baseline))
    fixed, k = baseline.stat().st_size, len(spread)
    rows = []
    for n in sizes:
        path = out_dir / f"map-{n}.html"
        started = time.perf_counter()
        fmap = make_map(events[:n])
        built = time.perf_counter()
        fmap.save(str(path))
        saved = time.perf_counter()
        size = path.stat().st_size
        rows.append({"events": n, "make_map_s": round(built - started, 2), "save_s": round(saved - built, 2),
                     "build_s": round(saved - started, 2), "html_mb": round(size / 1e6, 2),
                     "bytes_per_event": round((size - fixed) / (n - k), 1)})
        path.unlink()
        del fmap
    return rows


# -- (d) Dask ----------------------------------------------------------------------------------

def dask_speedup(articles: int, cache_dir: str | None) -> dict:
    if not DASK_SCRIPT.is_file():
        return {"status": "not run", "reason": f"{DASK_SCRIPT.relative_to(REPO)} does not exist yet"}
    command = [sys.executable, str(DASK_SCRIPT), "--plan-sizes", "--articles", str(articles), "--json"]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}
    if cache_dir:
        env["GEOEVENTS_CACHE_DIR"] = cache_dir
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=DASK_TIMEOUT_S, cwd=REPO, env=env)
    except subprocess.TimeoutExpired:
        return {"status": "not run", "reason": f"timed out after {DASK_TIMEOUT_S} s"}
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        return {"status": "not run", "reason": f"exit code {done.returncode}: {last[:200]}"}
    # The JSON object is the last line that parses; workers may log above it.
    for line in reversed(done.stdout.strip().splitlines()):
        try:
            result = json.loads(line)
        except ValueError:
            continue
        if isinstance(result, dict) and result.get("end_to_end"):
            return {"status": "ok", "command": " ".join(["python", "bench/dask_bench.py", *command[2:]]),
                    **result["end_to_end"]}
    return {"status": "not run", "reason": "no JSON result with an end_to_end run on stdout"}


# -- the table -------------------------------------------------------------------------------

def table(results: dict) -> list[str]:
    rows = []
    t = results["throughput"]
    for key, label in (("bare", "bare spaCy (same pipeline, `nlp.pipe`)"),
                       ("geoparse", "geoparse (`geoparse_many`, cold caches)"),
                       ("events", "event extraction (`extract_many`)")):
        r = t[key]
        rows.append((label, f"{r['words_per_s']:,} words/s, {r['docs_per_s']:.1f} docs/s",
                     f"{r['x_bare']:.2f}x bare spaCy time; best of {t['repeat']}: {r['best_s']:.2f} s"))
    g = results["gazetteer"]
    rows += [("gazetteer lookups, unseen exact names", f"{g['exact_per_s']:,}/s",
              f"{g['exact_found']:.0%} found, n={g['exact_n']:,}"),
             ("gazetteer lookups, news-like stream", f"{g['stream_per_s']:,}/s",
              f"Zipf-repeated names, lookup cache on, n={g['stream_n']:,}"),
             ("gazetteer lookups, misspelled names", f"{g['fuzzy_per_s']:,}/s",
              f"fuzzy index, {g['fuzzy_answered']:.0%} answered, n={g['fuzzy_n']:,}")]
    for m in results["maps"]:
        rows.append((f"map build, {m['events']:,} events", f"{m['build_s']:.2f} s, {m['bytes_per_event']:.0f} B/event",
                     f"make_map {m['make_map_s']:.2f} s + save {m['save_s']:.2f} s; HTML {m['html_mb']:.1f} MB"))
    d = results["dask"]
    if d.get("status") == "ok":
        rows.append((f"Dask, {d['articles']:,} articles: 2 workers vs 1 process",
                     f"{d['one_process_s'] / d['two_workers_s']:.2f}x (target >= 1.6x)",
                     f"1 process {d['one_process_s']:.1f} s, 2 workers {d['two_workers_s']:.1f} s; "
                     f"peak {max(d['worker_peak_rss_mb']):.0f} MB RSS per worker; same events: "
                     f"{d['same_events_as_one_process']}"))
    else:
        rows.append(("Dask, 2 workers vs 1 process", "not run", d.get("reason", "")))
    lines = ["| benchmark | result | detail |", "|---|---|---|"]
    lines += [f"| {a} | {b} | {c} |" for a, b, c in rows]
    return lines


def header(results: dict) -> list[str]:
    m, t = results["machine"], results["throughput"]
    return [
        f"Machine: {m['cpu']}, {m['cores']} cores ({m['usable_cores']} usable), {m['ram_gb']} GB RAM; "
        f"Python {m['python']}, {m['os']}; spaCy {m['spacy']}; load average {m['load_avg_before']} before, "
        f"{results['load_avg_after']} after",
        f"Command: `{results['command']}` ({results['elapsed_s']:.0f} s)",
        f"Texts: {results['corpus']}; {t['docs']} docs, {t['words']:,} words; model {t['model']} "
        f"(pipes: {', '.join(t['pipes'])}); {t['toponyms_found']} toponyms, {t['events_found']} events found",
    ]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="a fast smoke run: fewer docs, one repeat, smaller maps")
    ap.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    ap.add_argument("--skip-dask", action="store_true", help="do not run bench/dask_bench.py")
    ap.add_argument("--cache-dir", default=None, help="gazetteer cache directory (default: $GEOEVENTS_CACHE_DIR)")
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="GWN or LGL XML file")
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--repeat", type=int, default=None, help="runs per throughput measure, best of (default 3, quick 1)")
    ap.add_argument("--dask-articles", type=int, default=None, help="articles for the Dask run (default 2000, quick 200)")
    args = ap.parse_args(argv)
    repeat = args.repeat or (1 if args.quick else 3)

    from geoevents.gazetteer.geocoder import Gazetteer
    from geoevents.geoparsing import Geoparser

    started = time.perf_counter()
    results: dict = {"command": " ".join(["python", "bench/suite.py", *(argv if argv is not None else sys.argv[1:])]),
                     "machine": machine(), "quick": args.quick}
    texts, source = load_texts(args.corpus)
    if args.quick:
        texts = texts[:40]
    results["corpus"] = source
    parser = Geoparser(Gazetteer(cache_dir=args.cache_dir or None))

    _progress("throughput: bare spaCy, geoparse, events", args)
    results["throughput"] = throughput(texts, parser, repeat, args.batch_size)
    _progress("gazetteer lookups", args)
    results["gazetteer"] = gazetteer_lookups(parser.gazetteer, 2_000 if args.quick else 20_000)
    _progress("map builds", args)
    with tempfile.TemporaryDirectory(prefix="geoevents-suite-") as tmp:
        results["maps"] = map_builds(QUICK_MAP_SIZES if args.quick else MAP_SIZES, Path(tmp))
    if args.skip_dask:
        results["dask"] = {"status": "not run", "reason": "--skip-dask"}
    else:
        n = args.dask_articles or (200 if args.quick else 2_000)
        _progress(f"Dask on {n} articles (a child process; minutes)", args)
        results["dask"] = dask_speedup(n, args.cache_dir or os.environ.get("GEOEVENTS_CACHE_DIR"))
    results["elapsed_s"] = round(time.perf_counter() - started, 1)
    results["load_avg_after"] = round(os.getloadavg()[0], 2)

    if args.json:
        print(json.dumps(results))
    else:
        print("\n".join(["", *header(results), "", *table(results)]))
    return 0


def _progress(stage: str, args) -> None:
    if not args.json:
        print(f"... {stage}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    raise SystemExit(main())
