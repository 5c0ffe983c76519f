"""Full-dump import benchmark: time, memory and disk of importing GeoNames-sized dumps, and what
the bigger index costs lookups and geoparsing.

    python bench/gazetteer_import_bench.py WORK_DIR [--rows 12400000] [--articles 100]
        [--skip-import] [--no-geoparse]

WORK_DIR (put it on a disk with room: about 5 GB at full size) gets ``dumps-ROWS/`` (the
synthetic ``allCountries.zip`` and ``alternateNamesV2.zip`` of ``bench/synthetic_geonames.py``,
written once and reused) and ``cache-ROWS/`` (the index). Measured:

* import: ``geoevents gazetteer build --geonames allCountries.zip alternateNamesV2.zip --reset``
  in a child process: wall time, CPU time, and peak memory of the whole process tree (the
  build and its worker processes), sampled from /proc every 0.2 s as the sum of their RSS
  and of their PSS (RSS counts pages the forked workers share with the build once per
  process, PSS splits them);
* the index's size on disk;
* cold exact lookups: a fresh process opens the index and times ``geocode(name, fuzzy=False)``
  on a fixed sample, half names of the dump's places (hits), half made-up names (misses),
  each name once. Nothing is done to the OS page cache: the index was just written or read,
  so its pages are likely in memory; SQLite's own cache starts empty. The same on the
  default index (``GEOEVENTS_CACHE_DIR``);
* geoparsing: a fresh process per index runs ``Geoparser.geoparse_many`` over the first
  ``--articles`` articles of ../shared/data/geoparsing/GWN.xml (or the example articles),
  alternating indexes, best of three, and the geoevents part alone (``toponyms`` over the
  parsed docs).

Timings on a shared machine swing with its load: the load average is printed with them.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

CORPUS = REPO.parent / "shared" / "data" / "geoparsing" / "GWN.xml"
LOOKUPS = 20_000


def tree_memory(root: int) -> tuple[int, int]:
    """(RSS, PSS) in bytes summed over ``root`` and all its descendants."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                parent = int(fh.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(parent, []).append(int(entry))
    rss = pss = 0
    todo = [root]
    while todo:
        pid = todo.pop()
        todo.extend(children.get(pid, []))
        try:
            with open(f"/proc/{pid}/smaps_rollup") as fh:
                for line in fh:
                    if line.startswith("Rss:"):
                        rss += int(line.split()[1]) * 1024
                    elif line.startswith("Pss:"):
                        pss += int(line.split()[1]) * 1024
        except OSError:
            continue
    return rss, pss


def run_measured(command: list[str], env: dict[str, str]) -> dict:
    """Run ``command``; its wall and CPU seconds, and the peak RSS and PSS of its process tree."""
    peak = [0, 0]
    before = os.times()
    started = time.perf_counter()
    proc = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.2):
            rss, pss = tree_memory(proc.pid)
            peak[0], peak[1] = max(peak[0], rss), max(peak[1], pss)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output = proc.communicate()[0]
    done.set()
    sampler.join()
    wall = time.perf_counter() - started
    after = os.times()
    if proc.returncode:
        sys.exit(f"{' '.join(command)} failed:\n{output}")
    return {"wall_s": wall, "cpu_s": (after.children_user - before.children_user)
            + (after.children_system - before.children_system),
            "peak_rss": peak[0], "peak_pss": peak[1], "output": output}


def lookup_names(index: Path, n: int, seed: int = 7) -> list[str]:
    """A fixed sample: names of places imported from a dump (or any places), and made-up misses."""
    import sqlite3

    rng = random.Random(seed)
    with sqlite3.connect(f"file:{index}?mode=ro", uri=True) as conn:
        top = conn.execute("SELECT max(rowid) FROM places").fetchone()[0]
        dump = conn.execute("SELECT count(*) FROM places WHERE source LIKE 'geonames:%'").fetchone()[0]
        where = "source LIKE 'geonames:%'" if dump else "1"
        hits: list[str] = []
        while len(hits) < n // 2:
            ids = [rng.randrange(0, top + 1) for _ in range(900)]
            hits.extend(name for (name,) in conn.execute(
                f"SELECT name FROM places WHERE {where} AND geonameid IN ({','.join('?' * len(ids))})", ids))
    hits = hits[: n // 2]
    letters = "bcdfghjklmnpqrstvwxz"
    misses = ["".join(rng.choice(letters) for _ in range(rng.randrange(6, 12))).capitalize() for _ in range(n // 2)]
    names = hits + misses
    rng.shuffle(names)
    return names


def child_lookups(index: str, names_file: str) -> None:
    """Child process: open the index and time one exact lookup per name."""
    from geoevents.gazetteer.geocoder import Gazetteer

    names = json.loads(Path(names_file).read_text())
    started = time.perf_counter()
    gazetteer = Gazetteer(index)
    found = sum(gazetteer.geocode(name, fuzzy=False) is not None for name in names)
    elapsed = time.perf_counter() - started
    print(json.dumps({"per_s": len(names) / elapsed, "found": found / len(names), "n": len(names)}))


def child_geoparse(index: str, articles: str) -> None:
    """Child process: geoparse the articles with this index; best of three, and the geoevents part alone."""
    from geoevents.gazetteer.geocoder import Gazetteer
    from geoevents.geoparsing import Geoparser

    texts = json.loads(Path(articles).read_text())
    parser = Geoparser(Gazetteer(index))
    parser.geoparse_many(texts[:5])  # load the model and lazy pieces outside the timing
    full, ours = [], []
    for _ in range(3):
        parser.gazetteer.clear_caches()
        started = time.perf_counter()
        parser.geoparse_many(texts)
        full.append(time.perf_counter() - started)
        docs = list(parser.nlp.pipe(texts))
        parser.gazetteer.clear_caches()
        started = time.perf_counter()
        toponyms = [parser.toponyms(doc) for doc in docs]
        ours.append(time.perf_counter() - started)
    print(json.dumps({"geoparse_s": min(full), "ours_s": min(ours), "toponyms": sum(map(len, toponyms)),
                      "resolved": sum(t.resolved is not None for ts in toponyms for t in ts)}))


def child_json(args: list[str]) -> dict:
    out = subprocess.run([sys.executable, __file__, *args], check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def load() -> str:
    return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] in ("--child-lookups", "--child-geoparse"):
        (child_lookups if sys.argv[1] == "--child-lookups" else child_geoparse)(*sys.argv[2:4])
        return
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("work_dir", type=Path)
    ap.add_argument("--rows", type=int, default=12_400_000)
    ap.add_argument("--articles", type=int, default=100)
    ap.add_argument("--skip-import", action="store_true", help="measure the index already in the cache")
    ap.add_argument("--no-geoparse", action="store_true")
    args = ap.parse_args()

    from bench.synthetic_geonames import generate
    from geoevents.gazetteer.index import INDEX_NAME, default_cache_dir, ensure_index

    dumps, cache = args.work_dir / f"dumps-{args.rows}", args.work_dir / f"cache-{args.rows}"
    geonames, alternates = dumps / "allCountries.zip", dumps / "alternateNamesV2.zip"
    print(f"gazetteer import benchmark, {args.rows:,} rows; os.cpu_count()={os.cpu_count()}")
    if not (geonames.is_file() and alternates.is_file()):
        started = time.perf_counter()
        generate(dumps, args.rows)
        print(f"generated   {geonames} and {alternates} in {time.perf_counter() - started:.0f} s ({load()})")
    print(f"dumps       allCountries.zip {geonames.stat().st_size / 1e6:,.0f} MB, "
          f"alternateNamesV2.zip {alternates.stat().st_size / 1e6:,.0f} MB")
    index = cache / INDEX_NAME
    if not args.skip_import:
        cache.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, "GEOEVENTS_CACHE_DIR": str(cache)}
        print(f"import      starting ({load()})", flush=True)
        result = run_measured([sys.executable, "-m", "geoevents.cli", "gazetteer", "build", "--reset", "--geonames",
                               str(geonames), str(alternates)], env)
        print(f"import      {result['wall_s'] / 60:.1f} min wall ({result['wall_s']:.0f} s), "
              f"{result['cpu_s']:.0f} s CPU; peak memory of the process tree {result['peak_rss'] / 2**20:,.0f} MiB RSS, "
              f"{result['peak_pss'] / 2**20:,.0f} MiB PSS ({load()})")
        print("            " + result["output"].strip().replace("\n", "\n            "))
    print(f"index       {index} {index.stat().st_size / 1e9:.2f} GB")

    default = ensure_index(default_cache_dir())
    names_file = args.work_dir / "lookup-names.json"
    names_file.write_text(json.dumps(lookup_names(index, LOOKUPS)))
    for label, path in (("default", default), ("imported", index)):
        result = child_json(["--child-lookups", str(path), str(names_file)])
        print(f"lookups     {label:<9} {result['per_s']:,.0f} cold exact lookups/s "
              f"({result['found']:.0%} found, n={result['n']}, fresh process, OS page cache as left; {load()})")
    if args.no_geoparse:
        return
    from geoevents.evaluate import read_corpus

    if CORPUS.is_file():
        texts = [a.text for a in read_corpus(CORPUS)][: args.articles]
    else:
        texts = [p.read_text(encoding="utf-8") for p in sorted((REPO / "geoevents" / "examples").glob("*.txt"))]
    articles = args.work_dir / "articles.json"
    articles.write_text(json.dumps(texts))
    results: dict[str, list[dict]] = {"default": [], "imported": []}
    for _ in range(2):  # alternate, so a burst of load does not land on one index only
        for label, path in (("default", default), ("imported", index)):
            results[label].append(child_json(["--child-geoparse", str(path), str(articles)]))
    best = {label: (min(r["geoparse_s"] for r in runs), min(r["ours_s"] for r in runs))
            for label, runs in results.items()}
    for label, (full, ours) in best.items():
        r = results[label][0]
        print(f"geoparse    {label:<9} {full:.2f} s for {len(texts)} articles, geoevents' part {ours:.2f} s "
              f"({r['toponyms']} toponyms, {r['resolved']} resolved)")
    print(f"geoparse    imported / default = {best['imported'][0] / best['default'][0]:.2f} "
          f"(geoevents' part alone {best['imported'][1] / best['default'][1]:.2f}; {load()})")


if __name__ == "__main__":
    main()
