"""Dask benchmark: a corpus cut into partitions without the client reading it, parsed on 2 workers, killed and resumed.

    python bench/dask_bench.py [--plan-sizes 2000 50000] [--articles 10000] [--cache-dir DIR] [--json]
    python bench/dask_bench.py --articles 0          # listing and partitioning only

1. Listing and partitioning (``--plan-sizes``): synthetic short articles written as one
   JSON Lines file and as a folder of .txt files. For each size and layout, a fresh client
   process lists and partitions the input (``list_inputs``, ``split_listing``; it imports
   dask.distributed first, as a real client does) and a fresh worker process counts and reads
   every partition in turn (``count_lines``, ``read_partition``). Each reports its wall time
   and peak RSS (VmHWM). For comparison, a process that reads the whole corpus the way the
   client used to (``list(read_articles(...))``). Target: the client's peak for the largest
   size within 10 % of that for the smallest.
2. End to end (``--articles``, 0 to skip): the JSON Lines corpus parsed in one process
   (``EventExtractor.extract_many``, model load excluded) and by ``geoevents parse
   --scheduler tcp://...`` on a LocalCluster of 2 workers, writing ``-o out.parquet`` (workers
   warmed first, so model load is excluded there too). Then the same command is killed
   (SIGKILL, the client process) once half the partitions are saved, and run again: its output
   must equal the uninterrupted run's, and it must redo none of the partitions saved before
   the kill. Peak RSS of the client process and of each worker are reported.

Timings are distorted by other processes: the load average is printed before and after.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

PUBLISHED = "2017-07-11"
TOWNS = ["Mayadin", "Tikrit", "Mosul", "Raqqa", "Hajin", "Sukhnah", "Deir ez-Zor", "Kirkuk", "Aleppo", "Idlib",
         "Homs", "Hama", "Daraa", "Manbij", "Tal Afar", "Fallujah", "Ramadi", "Baiji", "Sinjar", "Qamishli"]
ACTORS = ["Gunmen", "Islamic State militants", "Government troops", "Coalition aircraft", "Kurdish-led fighters",
          "Rebel groups", "Unidentified attackers", "Security forces"]
DEEDS = ["attacked a checkpoint near {town}", "shelled residential districts of {town}",
         "clashed with militants on the outskirts of {town}", "struck positions near {town}",
         "detonated a car bomb in a market in {town}", "ambushed a convoy on the road to {town}"]
AFTER = ["killing {n} people, a monitoring group said.", "wounding {n} civilians, residents said.",
         "officials said, without giving a toll.", "leaving {n} fighters dead, according to local sources."]


def synthetic_rows(n: int, seed: int = 7) -> list[dict]:
    """``n`` short wire stories (about 150-250 characters), from templates and a fixed seed."""
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        town = rng.choice(TOWNS)
        text = (f"{rng.choice(ACTORS)} {rng.choice(DEEDS).format(town=town)} on "
                f"{rng.choice(['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'])}, "
                f"{rng.choice(AFTER).format(n=rng.randint(2, 40))} Residents of {rng.choice(TOWNS)} reported "
                f"heavy fighting overnight. (Report {i})")
        rows.append({"id": f"syn-{i}", "text": text})
    return rows


def write_corpus(folder: Path, rows: list[dict]) -> tuple[Path, Path]:
    """The rows as one JSON Lines file and as a folder of .txt files (1,000 a subfolder)."""
    folder.mkdir(parents=True, exist_ok=True)
    jsonl = folder / "corpus.jsonl"
    with open(jsonl, "w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row) + "\n")
    texts = folder / "texts"
    for i, row in enumerate(rows):
        sub = texts / f"{i // 1000:04d}"
        if i % 1000 == 0:
            sub.mkdir(parents=True, exist_ok=True)
        (sub / f"{row['id']}.txt").write_text(row["text"], encoding="utf-8")
    return jsonl, texts


def _status_mb(field: str) -> float:
    with open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return 0.0


def peak_rss_mb() -> float:
    """This process's peak resident memory in MB (VmHWM: ru_maxrss would survive fork and exec)."""
    return _status_mb("VmHWM")


def rss_mb() -> float:
    return _status_mb("VmRSS")


# -- the measured pieces, each run in a fresh process ------------------------------------------------

def measure_client(path: str) -> dict:
    import distributed  # noqa: F401  (the client of a real run has it loaded)

    from geoevents.parallel import PARTITION_BYTES
    from geoevents.text.partitions import Partition, list_inputs, split_listing

    baseline = rss_mb()
    started = time.perf_counter()
    listing = list_inputs([path])
    plan = split_listing(listing, PARTITION_BYTES)
    seconds = time.perf_counter() - started
    partitions = [p for p in plan if isinstance(p, Partition)]
    return {"seconds": seconds, "peak_rss_mb": peak_rss_mb(), "baseline_rss_mb": baseline,
            "partitions": len(partitions), "files": len(listing.items), "bytes": listing.total_bytes}


def measure_worker(path: str) -> dict:
    from geoevents.parallel import PARTITION_BYTES
    from geoevents.text.partitions import Partition, count_lines, list_inputs, read_partition, settle, split_listing

    plan = split_listing(list_inputs([path]), PARTITION_BYTES)
    baseline = rss_mb()
    started = time.perf_counter()
    counts = {i: count_lines(p) for i, p in enumerate(plan) if isinstance(p, Partition) and p.is_range}
    count_s = time.perf_counter() - started
    articles = 0
    for partition in settle(plan, counts):
        if isinstance(partition, Partition):
            articles += sum(1 for _ in read_partition(partition))
    return {"seconds": time.perf_counter() - started, "count_s": count_s, "articles": articles,
            "peak_rss_mb": peak_rss_mb(), "baseline_rss_mb": baseline}


def measure_read_all(path: str) -> dict:
    """What the client did before: every article read into memory to be partitioned."""
    import distributed  # noqa: F401

    import geoevents.parallel  # noqa: F401  (the same imports as the client measured above)
    from geoevents.text import read_articles

    started = time.perf_counter()
    articles = list(read_articles([path]))
    return {"seconds": time.perf_counter() - started, "peak_rss_mb": peak_rss_mb(), "articles": len(articles)}


MEASURES = {"client": measure_client, "worker": measure_worker, "read-all": measure_read_all}


def in_fresh_process(what: str, path: Path) -> dict:
    out = subprocess.run([sys.executable, __file__, "--measure", what, str(path)], capture_output=True, text=True,
                         check=True, env={**os.environ, "PYTHONPATH": str(REPO)})
    return json.loads(out.stdout)


def plan_benchmark(sizes: list[int], tmp: Path) -> dict:
    results = {}
    for n in sizes:
        jsonl, texts = write_corpus(tmp / f"plan-{n}", synthetic_rows(n))
        for layout, path in (("jsonl", jsonl), ("txt", texts)):
            results[f"{layout}-{n}"] = {"articles": n, "layout": layout,
                                        **{what: in_fresh_process(what, path) for what in MEASURES}}
    return results


# -- end to end ------------------------------------------------------------------------------------

def one_process(corpus: Path, cache_dir: str | None) -> dict:
    from geoevents.events import EventExtractor
    from geoevents.gazetteer import Gazetteer
    from geoevents.geoparsing import Geoparser
    from geoevents.text import ReadReport, read_articles

    extractor = EventExtractor(Geoparser(Gazetteer(cache_dir=cache_dir)))
    extractor.geoparser.nlp("Warm up.")
    report = ReadReport()
    started = time.perf_counter()
    events = [e for _, found in extractor.extract_many(read_articles(corpus, published=PUBLISHED, report=report),
                                                       report=report) for e in found]
    return {"seconds": time.perf_counter() - started, "events": events}


CLIENT = ("import sys, json; from geoevents.cli import main; code = main(sys.argv[1:]); "
          "status = open('/proc/self/status').read(); "
          "peak = [l for l in status.splitlines() if l.startswith('VmHWM:')][0].split()[1]; "
          "print(json.dumps({'exit': code, 'client_peak_rss_mb': int(peak) / 1024}), file=sys.stderr); "
          "sys.exit(code)")


def cli_command(corpus: Path, out: Path, address: str, cache_dir: str | None) -> list[str]:
    command = [sys.executable, "-c", CLIENT, "parse", str(corpus), "--scheduler", address, "-o", str(out),
               "--published", PUBLISHED, "-q", "--json"]
    return command + (["--cache-dir", cache_dir] if cache_dir else [])


def run_cli(command: list[str]) -> tuple[dict, dict, float]:
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(REPO)})
    seconds = time.perf_counter() - started
    if done.returncode not in (0, 1):
        raise SystemExit(f"geoevents parse failed ({done.returncode}): {done.stderr.strip()[-2000:]}")
    client = json.loads(done.stderr.strip().splitlines()[-1])
    return json.loads(done.stdout), client, seconds


def kill_half_way(command: list[str], partial: Path, partitions: int) -> dict:
    """Start the command, SIGKILL it once half the partitions are saved; what was saved at that moment."""
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               env={**os.environ, "PYTHONPATH": str(REPO)})
    saved = 0
    while process.poll() is None:
        saved = len(list(partial.glob("part-*.parquet"))) if partial.is_dir() else 0
        if saved >= partitions // 2:
            process.send_signal(signal.SIGKILL)
            break
        time.sleep(0.05)
    process.wait()
    saved = sorted(p.name for p in partial.glob("part-*.parquet")) if partial.is_dir() else []
    return {"killed": process.returncode == -signal.SIGKILL, "saved_at_kill": len(saved)}


def frame_rows(path: Path) -> list[dict]:
    from geoevents.parallel import read_partitions

    frame = read_partitions(path).drop(columns="geometry")
    return frame.astype(object).where(frame.notna(), None).to_dict("records")


def end_to_end(n: int, tmp: Path, cache_dir: str | None) -> dict:
    from distributed import Client

    from geoevents.parallel import local_cluster, warm_up

    corpus, _ = write_corpus(tmp / f"run-{n}", synthetic_rows(n, seed=11))
    single = one_process(corpus, cache_dir)
    env = {"GEOEVENTS_CACHE_DIR": cache_dir} if cache_dir else {}
    with local_cluster(2, env={**env, "PYTHONPATH": str(REPO)}) as cluster, Client(cluster) as client:
        client.wait_for_workers(2)
        warm_up(client, cache_dir=cache_dir)
        address = cluster.scheduler_address
        whole = tmp / "whole.parquet"
        summary, client_mem, seconds = run_cli(cli_command(corpus, whole, address, cache_dir))
        resumed_out = tmp / "resumed.parquet"
        command = cli_command(corpus, resumed_out, address, cache_dir)
        kill = kill_half_way(command, tmp / "resumed.parquet.partial", summary["partitions"])
        time.sleep(1)   # the scheduler notices the lost client and cancels its tasks
        resumed, _, resume_s = run_cli(command)
        worker_peaks = client.run(peak_rss_mb)
    single_ids = [e.event_id for e in single["events"]]
    same_as_one_process = [r["event_id"] for r in frame_rows(whole)] == single_ids
    return {
        "articles": n, "events": len(single["events"]),
        "one_process_s": round(single["seconds"], 1), "two_workers_s": round(seconds, 1),
        "articles_per_s": {"one_process": round(n / single["seconds"], 1), "two_workers": round(n / seconds, 1)},
        "partitions": summary["partitions"], "same_events_as_one_process": same_as_one_process,
        "client_peak_rss_mb": round(client_mem["client_peak_rss_mb"], 1),
        "worker_peak_rss_mb": sorted(round(v, 1) for v in worker_peaks.values()),
        "kill": kill, "resumed_partitions": resumed["resumed_partitions"], "resume_s": round(resume_s, 1),
        "redone_partitions": summary["partitions"] - resumed["resumed_partitions"],
        "finished_partitions_redone": kill["saved_at_kill"] - resumed["resumed_partitions"],
        "resumed_output_equals_uninterrupted": frame_rows(resumed_out) == frame_rows(whole),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--plan-sizes", type=int, nargs="*", default=[2000, 50000],
                    help="corpus sizes for listing and partitioning (default 2000 50000)")
    ap.add_argument("--articles", type=int, default=10000, help="end-to-end corpus size (default 10000; 0 skips)")
    ap.add_argument("--cache-dir", default=os.environ.get("GEOEVENTS_CACHE_DIR"), help="gazetteer cache directory")
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    ap.add_argument("--measure", nargs=2, metavar=("WHAT", "PATH"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.measure:
        print(json.dumps(MEASURES[args.measure[0]](args.measure[1])))
        return

    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="geoevents-dask-bench-") as tmp:
        plans = plan_benchmark(args.plan_sizes, Path(tmp))
        run = end_to_end(args.articles, Path(tmp), args.cache_dir) if args.articles > 0 else None
    load_after = os.getloadavg()
    flat = {}
    if len(args.plan_sizes) >= 2:
        small, large = min(args.plan_sizes), max(args.plan_sizes)
        for layout in ("jsonl", "txt"):
            a = plans[f"{layout}-{small}"]["client"]["peak_rss_mb"]
            b = plans[f"{layout}-{large}"]["client"]["peak_rss_mb"]
            flat[layout] = {"small_mb": round(a, 1), "large_mb": round(b, 1), "growth": round(b / a - 1, 4),
                            "within_10_percent": b <= 1.1 * a}
    result = {"plan": plans, "client_memory_flat": flat, "end_to_end": run,
              "machine": f"{platform.machine()} {platform.system()}, os.cpu_count()={os.cpu_count()}, "
                         f"Python {platform.python_version()}",
              "load_avg_before": [round(x, 2) for x in load_before],
              "load_avg_after": [round(x, 2) for x in load_after]}
    if args.json:
        print(json.dumps(result))
        return
    print("Dask benchmark: streaming partitions, 2 workers, kill and resume")
    print(f"  command  : {' '.join([Path(sys.executable).name, *sys.argv])}")
    print(f"  machine  : {result['machine']}")
    print(f"  load avg : {load_before[0]:.2f} before, {load_after[0]:.2f} after (other processes skew timings)")
    print()
    print(f"  {'input':<14}{'files':>7}{'parts':>7}{'client s':>10}{'client MB':>11}{'worker s':>10}"
          f"{'worker MB':>11}{'read-all MB':>13}")
    for key, row in plans.items():
        c, w, r = row["client"], row["worker"], row["read-all"]
        print(f"  {key:<14}{c['files']:>7}{c['partitions']:>7}{c['seconds']:>10.2f}{c['peak_rss_mb']:>11.1f}"
              f"{w['seconds']:>10.2f}{w['peak_rss_mb']:>11.1f}{r['peak_rss_mb']:>13.1f}")
    for layout, f in flat.items():
        print(f"  client peak, {layout}: {f['small_mb']} -> {f['large_mb']} MB ({f['growth']:+.1%}; target within "
              f"10 %: {'met' if f['within_10_percent'] else 'MISSED'})")
    if run:
        print()
        print(f"  end to end, {run['articles']} articles, {run['events']} events, {run['partitions']} partitions:")
        print(f"    one process {run['one_process_s']} s ({run['articles_per_s']['one_process']}/s); "
              f"2 workers {run['two_workers_s']} s ({run['articles_per_s']['two_workers']}/s); same events: "
              f"{run['same_events_as_one_process']}")
        print(f"    client peak {run['client_peak_rss_mb']} MB; workers {run['worker_peak_rss_mb']} MB")
        print(f"    killed with {run['kill']['saved_at_kill']} partitions saved; the re-run took up "
              f"{run['resumed_partitions']}, redid {run['redone_partitions']} in {run['resume_s']} s; finished "
              f"partitions redone: {run['finished_partitions_redone']}; output equals the uninterrupted run's: "
              f"{run['resumed_output_equals_uninterrupted']}")


if __name__ == "__main__":
    main()
