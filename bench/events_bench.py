"""Event extraction speed on real news text: the GeoWebNews articles through EventExtractor.extract_many.

    python bench/events_bench.py [--corpus ../shared/data/geoparsing/GWN.xml] [--cache-dir DIR]

Prints articles/s, words/s, events found, and the share of time spaCy itself takes.
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

from geoevents.text import article_from_text
from geoevents.evaluate import read_corpus
from geoevents.events import EventExtractor
from geoevents.gazetteer import Gazetteer
from geoevents.geoparsing import Geoparser

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "data" / "geoparsing" / "GWN.xml"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--cache-dir", type=Path, default=None)
    args = parser.parse_args()
    texts = [doc.text for doc in read_corpus(args.corpus)]
    words = sum(len(t.split()) for t in texts)
    extractor = EventExtractor(Geoparser(Gazetteer(cache_dir=args.cache_dir)))
    nlp = extractor.geoparser.nlp
    list(nlp.pipe(texts[:5]))  # warm up

    start = time.perf_counter()
    docs = list(nlp.pipe(texts, batch_size=16))
    spacy_s = time.perf_counter() - start

    articles = [article_from_text(t, id=f"gwn-{i}", published="2018-01-15") for i, t in enumerate(texts)]
    start = time.perf_counter()
    n_events = sum(len(extractor.events(doc, a)) for doc, a in zip(docs, articles))
    own_s = time.perf_counter() - start

    total = spacy_s + own_s
    print(f"{len(texts)} articles, {words:,} words, {n_events} events")
    print(f"spaCy pipe: {spacy_s:.1f} s; geoevents on parsed docs (geoparse + events): {own_s:.1f} s")
    print(f"end to end: {len(texts) / total:.1f} articles/s, {words / total:,.0f} words/s "
          f"(spaCy {100 * spacy_s / total:.0f} % of the time)")


if __name__ == "__main__":
    main()
