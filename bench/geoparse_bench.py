"""Geoparse benchmark: the cost of Geoparser.geoparse_many against bare spaCy on the same texts.

    python bench/geoparse_bench.py [--corpus PATH] [--cache-dir DIR] [--batch-size B] [--repeat N]

Texts are the articles of ../shared/data/geoparsing/GWN.xml (or --corpus, a GWN/LGL file);
without that file, the project's example articles repeated to 200 docs. Bare spaCy is
``parser.nlp.pipe`` (the very pipeline the geoparser uses); geoparse runs alternate with it,
each best of --repeat. The gazetteer's lookup caches are cleared before every cold geoparse
run; the warm-cache number runs again without clearing them. "Ours" is ``parser.toponyms``
alone over the docs of a bare pass (caches cleared). Words are ``len(text.split())`` summed.
The project's target is geoparse / bare spaCy <= 1.25.
"""
from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import spacy  # noqa: E402

from geoevents.evaluate import read_corpus  # noqa: E402
from geoevents.gazetteer.geocoder import Gazetteer  # noqa: E402
from geoevents.geoparsing import Geoparser  # noqa: E402

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "data" / "geoparsing" / "GWN.xml"
EXAMPLES = Path(__file__).resolve().parents[1] / "geoevents" / "examples"
MIN_FALLBACK_DOCS = 200


def load_texts(path: Path) -> tuple[list[str], str]:
    if path.is_file():
        return [a.text for a in read_corpus(path)], str(path)
    examples = [p.read_text(encoding="utf-8") for p in sorted(EXAMPLES.glob("*.txt"))]
    if not examples:
        sys.exit(f"{path} is missing and there are no example articles in {EXAMPLES}")
    texts = (examples * (MIN_FALLBACK_DOCS // len(examples) + 1))[:max(MIN_FALLBACK_DOCS, len(examples))]
    return texts, f"{path} MISSING -> fallback: {len(examples)} example articles repeated to {len(texts)} docs"


def clear_caches(parser: Geoparser) -> None:
    parser.gazetteer.clear_caches()


def timed(fn) -> tuple[float, object]:
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="GWN or LGL XML file")
    ap.add_argument("--cache-dir", default=None, help="gazetteer cache directory (Gazetteer(cache_dir=...))")
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    load_before = os.getloadavg()[0]
    texts, source = load_texts(args.corpus)
    n_docs, n_words = len(texts), sum(len(t.split()) for t in texts)
    load_s, parser = timed(lambda: Geoparser(Gazetteer(cache_dir=args.cache_dir or None)))
    nlp, bs = parser.nlp, args.batch_size

    warm = texts[:10]  # load lazy pieces (model weights, SQLite pages, fuzzy index) before timing
    list(nlp.pipe(warm, batch_size=bs))
    parser.geoparse_many(warm, batch_size=bs)

    bare, cold, warm_runs, ours = [], [], [], []
    docs = None
    for _ in range(args.repeat):
        t, docs = timed(lambda: list(nlp.pipe(texts, batch_size=bs)))
        bare.append(t)
        clear_caches(parser)
        cold.append(timed(lambda: parser.geoparse_many(texts, batch_size=bs))[0])
        warm_runs.append(timed(lambda: parser.geoparse_many(texts, batch_size=bs))[0])
        clear_caches(parser)
        ours.append(timed(lambda: [parser.toponyms(d) for d in docs])[0])
    n_toponyms = sum(len(parser.toponyms(d)) for d in docs)

    meta = nlp.meta
    print("geoparse benchmark")
    print(f"  command   : {' '.join([Path(sys.executable).name, *sys.argv])}")
    print(f"  machine   : {platform.machine()} {platform.system()}, os.cpu_count()={os.cpu_count()}, "
          f"Python {platform.python_version()}, spaCy {spacy.__version__}")
    print(f"  load avg  : {load_before:.2f} before, {os.getloadavg()[0]:.2f} after (other processes skew timings)")
    print(f"  model     : {meta.get('lang', '?')}_{meta.get('name', '?')} {meta.get('version', '?')} "
          f"(pipes: {', '.join(nlp.pipe_names)})")
    print(f"  corpus    : {source}")
    print(f"  texts     : {n_docs} docs, {n_words} words (len(text.split()) summed), "
          f"{n_toponyms} toponyms found")
    print(f"  settings  : batch_size={bs}, repeat={args.repeat} (best of), load {load_s:.1f} s")
    print()
    print(f"  {'run':<34}{'best s':>8}{'words/s':>10}{'docs/s':>9}{'x bare':>8}  all runs s")
    b = min(bare)
    for label, times in (("bare spaCy nlp.pipe", bare),
                         ("geoparse_many (cold caches)", cold),
                         ("geoparse_many (warm caches)", warm_runs),
                         ("toponyms() on parsed docs (ours)", ours)):
        s = min(times)
        runs = " ".join(f"{t:.2f}" for t in times)
        print(f"  {label:<34}{s:>8.2f}{n_words / s:>10.0f}{n_docs / s:>9.1f}{s / b:>8.2f}  {runs}")
    ratio = min(cold) / b
    print()
    print(f"  ratio geoparse (cold) / bare spaCy = {ratio:.2f}  (target <= 1.25: "
          f"{'OK' if ratio <= 1.25 else 'OVER'}); warm = {min(warm_runs) / b:.2f}; "
          f"ours = {min(ours) / min(cold):.0%} of cold geoparse time")
    print(f"  implied ratio (bare + ours) / bare = {(b + min(ours)) / b:.2f}  (less sensitive to load noise)")


if __name__ == "__main__":
    main()
