"""Train the event-type model (``geoevents/events/classify.py``) and print its cross-validated scores.

    python bench/train_event_types.py [bench/data/event_sentences_*.tsv] [--out geoevents/data/event_type_weights.json]

Training data: tab-separated ``label, text`` files of snippets the project wrote and labelled
itself, one ACLED sub-event type (or NONE: no conflict event) each. Every snippet is parsed
with the shipped spaCy pipeline and read as one unit: its content words, verb–argument
pairs and the trigger rules' findings. Prints 5-fold cross-validated accuracy, macro-F1 over
the sub-types and the share of NONE snippets kept quiet, then fits on everything.
"""
from __future__ import annotations

import argparse
import csv
import random
import sys
from collections import Counter
from pathlib import Path

from geoevents.events.classify import LABELS, NONE, EventTypeModel, label_options, sentence_features
from geoevents.events.detect import find_triggers
from geoevents.linear import fit_choices
from geoevents.nlp import load_pipeline, parse_texts

DATA = Path(__file__).resolve().parent / "data"


def read_examples(paths: list[Path]) -> list[tuple[str, str]]:
    examples = []
    for path in paths:
        with path.open(encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f, delimiter="\t"):
                label, text = (row.get("label") or "").strip(), (row.get("text") or "").strip()
                if label not in LABELS or not text:
                    print(f"{path.name}: skipped row with label {label!r}", file=sys.stderr)
                    continue
                examples.append((label, text))
    return examples


def featurise(texts: list[str]) -> list[dict[str, float]]:
    nlp = load_pipeline()
    out = []
    for [doc] in parse_texts(nlp, texts, batch_size=64):
        words = frozenset(t.lower_ for t in doc)
        triggers = [t for sent in doc.sents for t in find_triggers(sent, words)]
        out.append(sentence_features(doc[:], triggers))
    return out


def fit(features: list[dict[str, float]], labels: list[str], l2: float, iterations: int,
        none_share: float, headlines: list[tuple[dict[str, float], frozenset[str]]] = (),
        headline_weight: float = 0.0) -> EventTypeModel:
    counts = Counter(labels)
    choices = [(label_options(f), [1.0 if lab == y else 0.0 for lab in LABELS]) for f, y in zip(features, labels)]
    # Each sub-type weighs the same in the likelihood, however many examples it has; the
    # non-events together weigh ``none_share`` of it.
    n_types = len(counts) - (NONE in counts)
    weights = [len(labels) * (none_share / counts[y] if y == NONE else (1 - none_share) / (n_types * counts[y]))
               for y in labels]
    # Monitor headlines coded by UCDP report an event of one of the sub-types its type of violence
    # allows, not which: their mass is shared among those sub-types, never NONE.
    for f, allowed in headlines:
        choices.append((label_options(f), [1.0 / len(allowed) if lab in allowed else 0.0 for lab in LABELS]))
        weights.append(headline_weight)
    return EventTypeModel(fit_choices(choices, l2=l2, min_count=2, iterations=iterations, choice_weights=weights))


def read_headlines(path: Path, year: int, limit: int) -> list[tuple[str, frozenset[str]]]:
    """(headline, sub-types its UCDP type of violence allows) for distinct headlines of one year's events."""
    from geoevents.evaluate.ucdp import read_ucdp, ucdp_types
    from geoevents.events.record import EVENT_TYPE_OF

    out: dict[str, frozenset[str]] = {}
    for row in read_ucdp(path):
        if row.date_start.year != year:
            continue
        allowed = frozenset(sub for sub, kind in EVENT_TYPE_OF.items() if row.type_of_violence in ucdp_types(kind))
        for text, _ in row.texts:
            out.setdefault(text, allowed)
    items = sorted(out.items())
    random.Random(11).shuffle(items)
    return items[:limit]


def scores(gold: list[str], predicted: list[str]) -> dict[str, float]:
    events = [(g, p) for g, p in zip(gold, predicted) if g != NONE]
    quiet = [p == NONE for g, p in zip(gold, predicted) if g == NONE]
    f1s = []
    for label in sorted({g for g, _ in events}):
        tp = sum(g == p == label for g, p in zip(gold, predicted))
        fp = sum(p == label and g != label for g, p in zip(gold, predicted))
        fn = sum(g == label and p != label for g, p in zip(gold, predicted))
        f1s.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return {"accuracy": sum(g == p for g, p in events) / max(len(events), 1),
            "macro_f1": sum(f1s) / max(len(f1s), 1),
            "quiet": sum(quiet) / max(len(quiet), 1),
            "missed": sum(p == NONE for _, p in events) / max(len(events), 1)}


def predict(model: EventTypeModel, features: dict[str, float]) -> str:
    p = model.probabilities(features)
    return max(p, key=p.get)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("files", nargs="*", type=Path, help="label<TAB>text files (default: bench/data/event_sentences_*.tsv)")
    ap.add_argument("--out", type=Path, default=None, help="write the weights here")
    ap.add_argument("--l2", type=float, default=1.0)
    ap.add_argument("--iterations", type=int, default=400)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--none-share", type=float, default=0.3, help="the non-events' share of the likelihood")
    ap.add_argument("--ucdp", type=Path, default=None, help="a UCDP GED CSV whose headlines teach that monitor "
                    "headlines report events (partial labels from the type of violence)")
    ap.add_argument("--ucdp-year", type=int, default=2016, help="train on this year's headlines only; score "
                    "`geoevents eval events --year` on another")
    ap.add_argument("--ucdp-limit", type=int, default=1500)
    ap.add_argument("--ucdp-weight", type=float, default=0.3, help="each headline's weight (a snippet's is about 1)")
    args = ap.parse_args()
    files = args.files or sorted(DATA.glob("event_sentences_*.tsv"))
    examples = read_examples(files)
    random.Random(7).shuffle(examples)
    labels = [label for label, _ in examples]
    print(f"{len(examples)} snippets from {', '.join(p.name for p in files)}; "
          f"{len(set(labels)) - (NONE in labels)} sub-types, {labels.count(NONE)} NONE", file=sys.stderr)
    features = featurise([text for _, text in examples])
    headlines = read_headlines(args.ucdp, args.ucdp_year, args.ucdp_limit) if args.ucdp else []
    headline_features = list(zip(featurise([h for h, _ in headlines]), [a for _, a in headlines]))
    if headlines:
        print(f"{len(headlines)} UCDP headlines of {args.ucdp_year} as events (partial labels)", file=sys.stderr)
    predicted = [""] * len(examples)
    for k in range(args.folds):
        test = [i for i in range(len(examples)) if i % args.folds == k]
        train = [i for i in range(len(examples)) if i % args.folds != k]
        model = fit([features[i] for i in train], [labels[i] for i in train], args.l2, args.iterations, args.none_share,
                    headline_features, args.ucdp_weight)
        for i in test:
            predicted[i] = predict(model, features[i])
    cv = scores(labels, predicted)
    model = fit(features, labels, args.l2, args.iterations, args.none_share, headline_features, args.ucdp_weight)
    dev = scores(labels, [predict(model, f) for f in features])
    for name, s in (("dev (trained on all, scored on all)", dev), (f"{args.folds}-fold cross-validation", cv)):
        print(f"{name:38} sub-type accuracy {s['accuracy']:.3f}  macro-F1 {s['macro_f1']:.3f}  "
              f"NONE kept quiet {s['quiet']:.3f}  events missed {s['missed']:.3f}")
    if args.out:
        # Weights this small change no decision; leaving them out keeps the file small.
        model = EventTypeModel({k: v for k, v in model.weights.items() if abs(v) >= 0.02})
        args.out.write_text(model.to_json(
            trained_on=[p.name for p in files], examples=len(examples), l2=args.l2, iterations=args.iterations,
            none_share=args.none_share, ucdp=(f"{args.ucdp.name}, {len(headlines)} headlines of {args.ucdp_year}"
                                              if headlines else None),
            cross_validated={k: round(v, 4) for k, v in cv.items()}) + "\n", encoding="utf-8")
        print(f"wrote {args.out} ({len(model.weights)} weights)", file=sys.stderr)


if __name__ == "__main__":
    main()
