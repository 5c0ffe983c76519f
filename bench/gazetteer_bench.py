"""Gazetteer benchmark: build time, index size, memory after load, geocode calls per second.

    python bench/gazetteer_bench.py [--cache-dir DIR] [--rebuild]

Exact names are the primary and alternate names of a random sample of places in the
index (each looked up once, so the lookup cache does not flatter the number); misspelled
names are the same names with one letter dropped, doubled or swapped.
"""
from __future__ import annotations

import argparse
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from geoevents.gazetteer.geocoder import Gazetteer  # noqa: E402
from geoevents.gazetteer.index import INDEX_NAME, ensure_index  # noqa: E402


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


def rate(gazetteer: Gazetteer, names: list[str]) -> tuple[float, float]:
    gazetteer._lookup.cache_clear()
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
    started = time.perf_counter()
    path = ensure_index(cache_dir)
    build_s = time.perf_counter() - started
    before = rss_mb()
    gazetteer = Gazetteer(path)
    gazetteer.geocode("Mosul")
    after_load = rss_mb()

    rng = random.Random(7)
    conn = gazetteer._conn
    names = [n for (n,) in conn.execute(
        "SELECT name FROM places WHERE feature_class IN ('P','A') ORDER BY random() LIMIT ?", (args.n * 2,))]
    names = [n for n in names if len(n) >= 5][: args.n]
    popular = [n for (n,) in conn.execute(
        "SELECT name FROM places WHERE population >= 5000 AND length(name) >= 6 ORDER BY random() LIMIT 3000")]
    misspelled = [misspell(n, rng) for n in popular]

    exact_rate, exact_found = rate(gazetteer, names)
    gazetteer.geocode("Mosulx")  # load the fuzzy index outside the timing
    fuzzy_rate, fuzzy_found = rate(gazetteer, misspelled)
    hits = sum(
        (loc := gazetteer.geocode(m)) is not None and loc.raw["name"] == n for m, n in zip(misspelled, popular)
    ) / len(popular)
    after_fuzzy = rss_mb()

    print(f"index            {path} ({path.stat().st_size / 1e6:.0f} MB)")
    print(f"build/open       {build_s:.1f} s{' (fresh build)' if args.rebuild else ''}")
    print(f"memory           {before:.0f} MB before open, {after_load:.0f} MB after load, "
          f"{after_fuzzy:.0f} MB with the fuzzy index")
    print(f"exact names      {exact_rate:,.0f} geocode/s ({exact_found:.1%} found, n={len(names)})")
    print(f"misspelled names {fuzzy_rate:,.0f} geocode/s ({fuzzy_found:.1%} answered, "
          f"{hits:.1%} the intended place, n={len(misspelled)})")


if __name__ == "__main__":
    main()
