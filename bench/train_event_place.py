"""Learn the event-place model's weights (geoevents/data/event_place_weights.json) and report k-fold accuracy.

    GEOEVENTS_CACHE_DIR=... python bench/train_event_place.py ../shared/data/event_location/dev.jsonl \
        [--folds 5] [--l2 5.0] [--out geoevents/data/event_place_weights.json] [--cache DIR] [--no-cv]

Reads an event-location JSONL file (geoevents.evaluate.read_event_locations), parses every
sentence once with the geoparser's spaCy pipeline (the parsed docs and recognised toponyms
are cached under --cache, default /tmp/geoevents-event-place, keyed by the file's and the
model's fingerprints), builds the candidates and features of geoevents.events.place for each
sentence and fits the conditional log-linear model (a softmax over "no place" and the
candidates of each sentence, L2-regularised, full-batch Adam, numpy only).

It reports k-fold cross-validated scores (train on k-1 folds, score the held-out fold; the
decision margin and list ratio are picked by an inner 3-fold cross-validation on the training
folds only), then fits on the whole file and, with --out, writes the weights. Feature names
are generic (dependency and NER labels, POS tags, closed-class words); nothing of the data's
text goes into the weights. Prints one JSON report on stdout, progress on stderr.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import pickle
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from geoevents.evaluate import read_event_locations, score_event_locations  # noqa: E402
from geoevents.events.place import EventPlaceModel, trigger_token  # noqa: E402
from geoevents.events.place_features import PlaceFacts, find_candidates, sentence_features  # noqa: E402
from geoevents.linear import fit_choices  # noqa: E402

# --------------------------------------------------------------------------- data


def parsed(examples, path: Path, cache: Path, geoparser):
    """Docs and recognised toponyms for every example, parsed once and cached."""
    from spacy.tokens import DocBin

    nlp = geoparser.nlp
    key = hashlib.sha1(path.read_bytes() + json.dumps(nlp.meta.get("name", "")).encode() +
                       nlp.meta.get("version", "").encode()).hexdigest()[:12]
    cache.mkdir(parents=True, exist_ok=True)
    docs_file, tops_file = cache / f"docs-{key}.spacy", cache / f"toponyms-{key}.pkl"
    if docs_file.exists():
        docs = list(DocBin().from_disk(docs_file).get_docs(nlp.vocab))
    else:
        start = time.perf_counter()
        docs = list(nlp.pipe((e.text for e in examples), batch_size=64))
        print(f"parsed {len(docs)} sentences in {time.perf_counter() - start:.1f} s", file=sys.stderr)
        DocBin(docs=docs).to_disk(docs_file)
    if tops_file.exists():
        rows = pickle.loads(tops_file.read_bytes())
    else:
        rows = [[(t.start, t.end, t.label, t.metonymic) for t in geoparser.recognise(doc)] for doc in docs]
        tops_file.write_bytes(pickle.dumps(rows))
    toponyms = [[SimpleNamespace(start=s, end=e, label=label, metonymic=m) for s, e, label, m in row]
                for row in rows]
    return docs, toponyms


def featurise(examples, docs, toponyms, facts):
    """Per sentence: (candidates, NONE's features, the candidates' features, labels)."""
    out = []
    for example, doc, tops in zip(examples, docs, toponyms):
        token = trigger_token(doc, example.verb)
        cands = find_candidates(doc, 0, len(doc), tops) if token is not None else []
        none, feats = sentence_features(doc, token, cands, facts) if token is not None else (["NONE"], [])
        for c, f in zip(cands, feats):
            c.features = f
        labels = [c.span in example.locations for c in cands]
        out.append((cands, none, feats, labels))
    return out


# --------------------------------------------------------------------------- model


def fit(data, l2: float = 1.0) -> EventPlaceModel:
    """Softmax over NONE and the candidates of each sentence; the gold candidates share the target mass."""
    choices = []
    for _, none, feats, labels in data:
        gold = sum(labels)
        choices.append(([none, *feats], [0.0 if gold else 1.0, *((y / gold if gold else 0.0) for y in labels)]))
    return EventPlaceModel(weights=fit_choices(choices, l2=l2))


def predict(model: EventPlaceModel, data, nones: list[float] | None = None) -> list[list[tuple[int, int]]]:
    """The model's answers; with ``nones`` (NONE's probabilities) the candidates are already scored."""
    out = []
    for k, (cands, none, _, _) in enumerate(data):
        p_none = model.score(none, cands) if nones is None else nones[k]
        out.append(sorted(c.span for c in model.choose(p_none, cands)))
    return out


MARGINS = np.round(np.arange(-1.0, 1.01, 0.1), 2)
LIST_RATIOS = (0.0, 0.02, 0.05, 0.1, 0.2, 1.01)


def tune(model: EventPlaceModel, data, examples) -> dict:
    """Accuracy for every (margin, list_ratio) pair on these sentences."""
    grid = {}
    nones = [model.score(none, cands) for cands, none, _, _ in data]
    for margin in MARGINS:
        for ratio in LIST_RATIOS:
            model.margin, model.list_ratio = float(margin), float(ratio)
            grid[(float(margin), float(ratio))] = score_event_locations(examples, predict(model, data, nones))["accuracy"]
    return grid


def train(data, examples, l2: float, inner_folds: int = 3, seed: int = 0) -> EventPlaceModel:
    """Fit on all of data; pick margin and list_ratio by cross-validation inside data."""
    model = fit(data, l2=l2)
    folds = np.random.default_rng(seed + 1).permutation(len(data)) % inner_folds
    total: dict = {}
    for k in range(inner_folds):
        tr = [i for i in range(len(data)) if folds[i] != k]
        te = [i for i in range(len(data)) if folds[i] == k]
        sub = fit([data[i] for i in tr], l2=l2)
        for key, acc in tune(sub, [data[i] for i in te], [examples[i] for i in te]).items():
            total[key] = total.get(key, 0.0) + acc * len(te)
    model.margin, model.list_ratio = max(total, key=total.get)
    return model


def cross_validate(data, examples, folds: int, l2: float, seed: int = 0) -> tuple[dict, list]:
    assign = np.random.default_rng(seed).permutation(len(data)) % folds
    predicted: list = [None] * len(data)
    settings = []
    for k in range(folds):
        tr = [i for i in range(len(data)) if assign[i] != k]
        te = [i for i in range(len(data)) if assign[i] == k]
        model = train([data[i] for i in tr], [examples[i] for i in tr], l2, seed=seed + k)
        settings.append((model.margin, model.list_ratio))
        for i, spans in zip(te, predict(model, [data[i] for i in te])):
            predicted[i] = spans
        part = score_event_locations([examples[i] for i in te], [predicted[i] for i in te])
        print(f"  fold {k + 1}/{folds}: accuracy {part['accuracy']:.4f} (margin, list_ratio {settings[-1]})",
              file=sys.stderr)
    scores = score_event_locations(examples, predicted)
    scores["settings"] = settings
    return scores, predicted


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("data", type=Path)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--l2", type=float, default=5.0)
    parser.add_argument("--out", type=Path, help="write the weights trained on the whole file here")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/geoevents-event-place"))
    parser.add_argument("--no-cv", action="store_true")
    args = parser.parse_args(argv)

    from geoevents.geoparsing import default_geoparser

    counts: dict = {}
    examples = read_event_locations(args.data, counts=counts)
    print(f"read {counts}", file=sys.stderr)
    geoparser = default_geoparser()
    docs, toponyms = parsed(examples, args.data, args.cache, geoparser)
    start = time.perf_counter()
    data = featurise(examples, docs, toponyms, PlaceFacts(geoparser.gazetteer))
    took = time.perf_counter() - start
    n_cands = sum(len(d[0]) for d in data)
    oracle = sum(set(e.locations) <= {c.span for c in d[0]} for e, d in zip(examples, data))
    print(f"{n_cands} candidates ({n_cands / len(data):.2f} a sentence) in {took:.1f} s; "
          f"oracle accuracy {oracle / len(data):.4f}", file=sys.stderr)
    report = {"n": len(examples), "candidates_per_sentence": n_cands / len(data), "oracle": oracle / len(data)}
    if not args.no_cv:
        cv, _ = cross_validate(data, examples, args.folds, args.l2)
        report["cross_validated"] = {k: cv[k] for k in ("accuracy", "precision", "recall", "f1",
                                                          "empty_accuracy", "located_accuracy", "settings")}
    model = train(data, examples, args.l2)
    full = score_event_locations(examples, predict(model, data))
    report["trained_on_all"] = {k: full[k] for k in ("accuracy", "precision", "recall", "f1", "empty_accuracy",
                                                       "located_accuracy")}
    report["margin"], report["list_ratio"] = model.margin, model.list_ratio
    report["features"] = len(model.weights)
    if args.out:
        args.out.write_text(model.to_json(
            about="Weights of geoevents.events.place: a softmax over 'no place' and the candidates of a "
                  "sentence, linear in generic features; written by bench/train_event_place.py",
            l2=args.l2, trained_on_sentences=len(examples)) + "\n", encoding="utf-8")
    print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
