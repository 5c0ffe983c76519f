"""Learn the toponym ranker's weights (geoevents/data/ranker_weights.json) and report cross-validated accuracy.

    GEOEVENTS_CACHE_DIR=... python bench/train_ranker.py ../shared/data/geoparsing/GWN.xml \
        ../shared/data/geoparsing/LGL.xml [--folds 5] [--l2 0.1] [--no-balance] [--out geoevents/data/ranker_weights.json]

Reads the gold corpora (geoevents.evaluate.read_corpus), parses every article once with the
geoparser's spaCy pipeline (cached under --cache, keyed by the corpus files and the model),
and prepares every gold toponym as ``geoparse eval --mode resolve`` does: recognised context
names, gazetteer candidates, the article's evidence. A candidate is gold when it has the gold
GeoNames id, else when it lies within 161 km of the gold point; toponyms with no gold
candidate teach nothing and are left out of fitting (they still count as misses in scoring).

The ranker reads a name twice: the first model (features of the candidate and of what the
article says) is fitted first; its picks for every name give the second model's features
(where the other names were placed), and the second model is fitted on those. Both are
conditional logits over a name's candidates (geoevents.linear.fit_choices, 2,000 full-batch
Adam steps), each corpus weighing as much as the other whatever its size (GeoWebNews' world
news and LGL's local US news pull the other way on names such as "New York" or "Cambridge").

It reports k-fold cross-validated scores, split by article within each corpus (train on the
other folds of both corpora, score the held-out fold with the same scorer as ``geoevents eval
toponyms --mode resolve``); each corpus scored by a model trained on the other corpora alone
(news of another kind the model never saw); then it fits on everything, scores that on the same
data (the dev scores) and, with --out, writes the weights. Prints one JSON report on stdout, progress on stderr.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from geoevents.distance import great_circle_km  # noqa: E402
from geoevents.evaluate import Prediction, evaluate_resolution_many, read_corpus, resolution_targets  # noqa: E402
from geoevents.geoparsing import Geoparser, Toponym  # noqa: E402
from geoevents.geoparsing.evidence import other_picks  # noqa: E402
from geoevents.geoparsing.rank import Ranker, candidate_features  # noqa: E402
from geoevents.linear import fit_choices  # noqa: E402

GOLD_KM = 161.0
ITERATIONS = 2000


class Prepared:
    """One article, parsed and prepared once: its toponyms (gold first), their evidence, the gold labels."""

    def __init__(self, article, doc, geoparser: Geoparser):
        self.article = article
        self.doc = doc
        self.targets = resolution_targets(article)
        text = doc.text
        gold = [Toponym(text[t.start:t.end], t.start, t.end, "GOLD") for t in self.targets]
        found = geoparser.recognise(doc)
        context = [t for t in found if not any(t.start < g.end and g.start < t.end for g in gold)]
        self.toponyms = gold + context
        self.evidence = geoparser.prepare(doc, self.toponyms)
        self.labels = [_labels(t, g) for t, g in zip(gold, self.targets)]
        self.weight = 1.0  # this article's toponyms' share of the likelihood (see balance)

    @property
    def gold(self) -> list[Toponym]:
        return self.toponyms[:len(self.targets)]


def _labels(t: Toponym, gold) -> list[float]:
    """Target mass per candidate: shared by those with the gold id, else by those within 161 km."""
    hits = [1.0 if gold.geonameid is not None and c.geonameid == gold.geonameid else 0.0 for c in t.candidates]
    if not any(hits):
        hits = [1.0 if great_circle_km(c.latitude, c.longitude, gold.latitude, gold.longitude) <= GOLD_KM else 0.0
                for c in t.candidates]
    total = sum(hits)
    return [h / total for h in hits] if total else []


def parsed_docs(paths: list[Path], articles, nlp, cache: Path):
    from spacy.tokens import DocBin

    key = hashlib.sha1(b"".join(p.read_bytes() for p in paths) + json.dumps(nlp.meta.get("name", "")).encode()
                       + nlp.meta.get("version", "").encode()).hexdigest()[:12]
    cache.mkdir(parents=True, exist_ok=True)
    path = cache / f"ranker-docs-{key}.spacy"
    if path.exists():
        return list(DocBin().from_disk(path).get_docs(nlp.vocab))
    start = time.perf_counter()
    docs = list(nlp.pipe((a.text for a in articles), batch_size=16))
    print(f"parsed {len(docs)} articles in {time.perf_counter() - start:.0f} s", file=sys.stderr)
    DocBin(docs=docs, store_user_data=False).to_disk(path)
    return docs


def _choices(prepared: list[Prepared], others_of=None):
    """(choices, weights): the candidates' features and gold shares of every learnable gold toponym."""
    choices, weights = [], []
    for p in prepared:
        others = others_of(p) if others_of else {}
        for t, y in zip(p.gold, p.labels):
            if y and len(y) > 1:
                choices.append((candidate_features(t, p.evidence, others.get(id(t))), y))
                weights.append(p.weight)
    return choices, weights


def fit(prepared: list[Prepared], l2: float) -> Ranker:
    choices, weights = _choices(prepared)
    first = fit_choices(choices, l2=l2, choice_weights=weights, iterations=ITERATIONS)
    reading = Ranker(first, {})

    def others_of(p: Prepared):
        return other_picks(p.doc, p.toponyms, [reading.pick(t, p.evidence)[0] for t in p.toponyms])

    choices, weights = _choices(prepared, others_of)
    return Ranker(first, fit_choices(choices, l2=l2, choice_weights=weights, iterations=ITERATIONS))


def score(prepared: list[Prepared], ranker: Ranker, geoparser: Geoparser) -> dict:
    """``geoevents eval toponyms --mode resolve`` scores of these articles with this ranker."""
    geoparser.ranker = ranker
    by_text = {p.article.text: p for p in prepared}

    def resolve_many(items):
        out = []
        for text, _spans in items:
            p = by_text[text]
            geoparser.choose(p.doc, p.toponyms, p.evidence)
            out.append([Prediction(t.latitude, t.longitude, t.geonameid) if t.resolved else None for t in p.gold])
        return out

    return evaluate_resolution_many([p.article for p in prepared], resolve_many)


def balance(corpora: dict[str, list[Prepared]]) -> None:
    """Weigh the corpora equally, whatever their sizes: each corpus's gold toponyms share one mass."""
    sizes = {name: sum(len(p.targets) for p in items) for name, items in corpora.items()}
    mean = sum(sizes.values()) / len(sizes)
    for name, items in corpora.items():
        for p in items:
            p.weight = mean / sizes[name]


def cross_validate(corpora: dict[str, list[Prepared]], folds: int, l2: float, geoparser: Geoparser, seed: int = 0):
    assign = {name: np.random.default_rng(seed).permutation(len(items)) % folds for name, items in corpora.items()}
    predictions: dict[str, list[dict]] = {name: [] for name in corpora}
    pooled: dict[str, list] = {name: [] for name in corpora}
    for k in range(folds):
        train = [p for name, items in corpora.items() for p, f in zip(items, assign[name]) if f != k]
        ranker = fit(train, l2)
        for name, items in corpora.items():
            test = [p for p, f in zip(items, assign[name]) if f == k]
            pooled[name] += test
            predictions[name].append(score(test, ranker, geoparser))
        print(f"  fold {k + 1}/{folds}: " + ", ".join(f"{n} acc@161 {predictions[n][-1]['acc161']:.4f}"
                                                    for n in corpora), file=sys.stderr)
    # Pool the folds: each toponym scored once, by the model that did not see its article.
    out = {}
    for name, runs in predictions.items():
        n = sum(r["n"] for r in runs)
        out[name] = {"n": n, "acc161": sum(r["acc161"] * r["n"] for r in runs) / n,
                     "exact_id": sum((r["exact_id"] or 0) * r["n"] for r in runs) / n,
                     "folds": [round(r["acc161"], 4) for r in runs]}
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpora", type=Path, nargs="+", help="GeoWebNews / LGL XML files")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--l2", type=float, default=0.1)
    parser.add_argument("--out", type=Path, help="write the weights trained on every corpus here")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/geoevents-ranker"))
    parser.add_argument("--no-cv", action="store_true")
    parser.add_argument("--no-balance", dest="balance", action="store_false",
                        help="weigh every toponym equally, so the larger corpus counts for more")
    args = parser.parse_args(argv)

    geoparser = Geoparser(ranker=Ranker({}, {}))
    corpora: dict[str, list[Prepared]] = {}
    start = time.perf_counter()
    for path in args.corpora:
        articles = read_corpus(path)
        docs = parsed_docs([path], articles, geoparser.nlp, args.cache)
        corpora[path.stem] = [Prepared(a, d, geoparser) for a, d in zip(articles, docs) if resolution_targets(a)]
    n_names = sum(len(p.targets) for items in corpora.values() for p in items)
    learnable = sum(1 for items in corpora.values() for p in items for y in p.labels if y)
    print(f"prepared {n_names} gold toponyms ({learnable} with a gold candidate) in "
          f"{time.perf_counter() - start:.0f} s", file=sys.stderr)
    if args.balance:
        balance(corpora)
    report: dict = {"gold_toponyms": n_names, "with_gold_candidate": learnable, "l2": args.l2,
                    "balanced": args.balance}
    if not args.no_cv:
        report["cross_validated"] = cross_validate(corpora, args.folds, args.l2, geoparser)
    if len(corpora) > 1:
        # The corpus the model never saw: trained on the others, scored on it.
        report["other_corpora"] = {}
        for name, items in corpora.items():
            unseen = fit([p for other, rest in corpora.items() if other != name for p in rest], args.l2)
            report["other_corpora"][name] = {k: score(items, unseen, geoparser)[k] for k in ("n", "acc161", "exact_id")}
    ranker = fit([p for items in corpora.values() for p in items], args.l2)
    report["trained_on_all"] = {name: {k: score(items, ranker, geoparser)[k] for k in ("n", "acc161", "auc", "exact_id")}
                                for name, items in corpora.items()}
    report["features"] = {"first": len(ranker.first), "second": len(ranker.second)}
    if args.out:
        args.out.write_text(ranker.to_json(
            about="Weights of geoevents.geoparsing.rank: a softmax over a toponym's gazetteer candidates, linear in "
                  "features of the candidate and of the article; 'first' reads each name alone, 'weights' again with "
                  "where the first reading put the other names. Written by bench/train_ranker.py",
            l2=args.l2, trained_on=[p.name for p in args.corpora], trained_on_toponyms=n_names) + "\n",
            encoding="utf-8")
    print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
