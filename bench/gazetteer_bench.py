"""Gazetteer benchmark: build time, index size, memory after load, geocode calls per second.

    python bench/gazetteer_bench.py [--cache-dir DIR] [--rebuild]

Exact names are the primary and alternate names of a random sample of places in the
index (each looked up once, so the lookup cache does not flatter the number); misspelled
names are the same names with one letter dropped, doubled or swapped; the news-like
stream repeats names the way news does, so the lookup cache answers most of it.
"""
from __future__ import annotations

import argparse
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from geoevents.gazetteer.geocoder import Gazetteer  # noqa: E402
from geoevents.gazetteer.index import INDEX_NAME  # noqa: E402


def rss_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def misspell(name: str, rng: random.Random) -> str:
    i = rng.randrange(1, len(name) - 1)
    edit = rng.choice(("drop", "double", "swap"))
    if edit == "drop":
        return name[:i] + name[i + 1:]
    if edit == "double":
        return name[:i] + name[i] + name[i:]
    return name[:i] + name[i + 1] + name[i] + name[i + 2:]


def rate(gazetteer: Gazetteer, names: list[str], warm_up: list[str]) -> tuple[float, float]:
    """Lookups per second on names not seen before, once the index pages are in memory.

    The warm-up names are a different sample: they bring the SQLite pages into the cache as
    a long run would, without the timed names being in any lookup cache.
    """
    for name in warm_up:
        gazetteer.geocode(name)
    gazetteer.clear_caches()
    started = time.perf_counter()
    found = sum(gazetteer.geocode(n) is not None for n in names)
    elapsed = time.perf_counter() - started
    return len(names) / elapsed, found / len(names)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache-dir", type=Path, default=None)
    parser.add_argument("--rebuild", action="store_true", help="build into a fresh directory to time the build")
    parser.add_argument("-n", type=int, default=20_000, help="exact lookups to time")
    args = parser.parse_args()

    cache_dir = args.cache_dir or (Path(tempfile.mkdtemp(prefix="geoevents-bench-")) if args.rebuild else None)
    if args.rebuild and cache_dir and (cache_dir / INDEX_NAME).exists():
        (cache_dir / INDEX_NAME).unlink()
    # Build in a child process, so the memory figures below are those of a process that only opens the index.
    started = time.perf_counter()
    code = "import sys; from geoevents.gazetteer.index import ensure_index; print(ensure_index(*[__import__('pathlib').Path(a) for a in sys.argv[1:]]))"
    out = subprocess.run([sys.executable, "-c", code, *([str(cache_dir)] if cache_dir else [])], check=True,
                         capture_output=True, text=True, cwd=Path(__file__).resolve().parents[1]).stdout
    build_s = time.perf_counter() - started
    path = Path(out.strip())
    before = rss_mb()
    gazetteer = Gazetteer(path)
    gazetteer.geocode("Mosul")
    after_load = rss_mb()

    rng = random.Random(7)
    conn = gazetteer._conn
    sample = [n for (n,) in conn.execute(
        "SELECT name FROM places WHERE feature_class IN ('P','A') ORDER BY random() LIMIT ?", (args.n * 4,))]
    sample = [n for n in sample if len(n) >= 5]
    names, warm_up = sample[: args.n], sample[args.n: 2 * args.n]
    popular = [n for (n,) in conn.execute(
        "SELECT name FROM places WHERE population >= 5000 AND length(name) >= 6 ORDER BY random() LIMIT 3000")]
    misspelled = [misspell(n, rng) for n in popular]

    exact_rate, exact_found = rate(gazetteer, names, warm_up)
    # A news stream repeats its places (Mosul, Raqqa...): names drawn with a Zipf law over the sample.
    weights = [1 / (rank + 1) ** 1.1 for rank in range(len(names))]
    stream = rng.choices(names, weights=weights, k=len(names) * 5)
    stream_rate, _ = rate(gazetteer, stream, [])
    gazetteer.geocode("Mosulx")  # load the fuzzy index outside the timing
    fuzzy_rate, fuzzy_found = rate(gazetteer, misspelled, [misspell(n, rng) for n in warm_up[:1000]])
    hits = sum(
        (loc := gazetteer.geocode(m)) is not None and loc.raw["name"] == n for m, n in zip(misspelled, popular)
    ) / len(popular)
    after_fuzzy = rss_mb()

    print(f"index            {path} ({path.stat().st_size / 1e6:.0f} MB)")
    print(f"build            {build_s:.1f} s{' (fresh build, in a child process)' if args.rebuild else ' (existing index)'}")
    print(f"memory           {before:.0f} MB before open, {after_load:.0f} MB after load, "
          f"{after_fuzzy:.0f} MB with the fuzzy index")
    print(f"exact names      {exact_rate:,.0f} geocode/s ({exact_found:.1%} found, n={len(names)})")
    print(f"news-like stream {stream_rate:,.0f} geocode/s (the same names repeating with a Zipf law, "
          f"n={len(stream)}, lookup cache on)")
    print(f"misspelled names {fuzzy_rate:,.0f} geocode/s ({fuzzy_found:.1%} answered, "
          f"{hits:.1%} the intended place, n={len(misspelled)})")


if __name__ == "__main__":
    main()
