"""The standard scores: accuracy@161 km, AUC of the error curve, mean and median error, exact ids; span precision, recall, F1."""
from __future__ import annotations

from collections import defaultdict
from statistics import median
from typing import Sequence

import numpy as np


# Half the earth's circumference: the error charged for an unresolved toponym and the
# ceiling of the AUC scale, as in Gritta et al.
MAX_ERROR_KM = 20039.0
ACC_KM = 161.0

# np.trapz became np.trapezoid in NumPy 2.0 and is gone from recent releases.
_trapezoid = getattr(np, "trapezoid", None) or np.trapz


def error_auc(errors_km: Sequence[float]) -> float:
    """Area under the scaled error curve, Gritta et al.'s AUC (0 is perfect, 1 worst).

    With errors e_0 <= ... <= e_{n-1} clipped to 20039 km and y_i = ln(e_i + 1) / ln(20039),
    AUC = trapz(y, dx=1) / (n - 1), i.e. the trapezoid rule over x_i = i / (n - 1) in [0, 1].
    This is their ``np.trapz(np.log(errors + 1)) / (np.log(20039) * (len(errors) - 1))``.
    A single error has no span to integrate over; its scaled value is returned.
    """
    errs = np.minimum(np.sort(np.asarray(errors_km, dtype=float)), MAX_ERROR_KM)
    scaled = np.log(errs + 1) / np.log(MAX_ERROR_KM)
    if len(scaled) == 1:
        return float(scaled[0])
    return float(_trapezoid(scaled) / (len(scaled) - 1))


def resolution_scores(
    errors_km: Sequence[float | None],
    exact_id_hits: Sequence[bool | None] = (),
) -> dict:
    """Resolution metrics over the scored toponyms.

    ``errors_km`` has one entry per scored toponym, None when it went unresolved (charged
    20039 km, and a miss at 161 km). ``exact_id_hits`` has True/False where the gold has a
    GeoNames id (did the predicted id equal it?) and None where it has none.
    Returns ``n, acc161, auc, mean_km, median_km, exact_id``; all but ``n`` are None when
    nothing was scored (``exact_id`` also when no gold carries an id).
    """
    hits = [h for h in exact_id_hits if h is not None]
    exact_id = sum(hits) / len(hits) if hits else None
    if not errors_km:
        return dict(n=0, acc161=None, auc=None, mean_km=None, median_km=None,
                    exact_id=exact_id)
    errs = [MAX_ERROR_KM if e is None else min(float(e), MAX_ERROR_KM) for e in errors_km]
    return dict(
        n=len(errs),
        acc161=sum(e is not None and e <= ACC_KM for e in errors_km) / len(errs),
        auc=error_auc(errs),
        mean_km=sum(errs) / len(errs),
        median_km=float(median(errs)),
        exact_id=exact_id,
    )


Span = tuple[int, int]


def match_spans(gold: Sequence[Span], predicted: Sequence[Span]) -> list[tuple[int, int]]:
    """Pair predicted spans with gold spans of one text, each used at most once.

    Identical spans are paired first; the rest are then paired greedily, each predicted
    span (left to right) taking the unpaired gold span it overlaps most (the leftmost on
    a tie). Returns (gold_index, predicted_index) pairs, sorted by gold index.
    """
    pairs: dict[int, int] = {}
    taken: set[int] = set()
    gold_at: dict[Span, list[int]] = defaultdict(list)
    for gi, span in enumerate(gold):
        gold_at[tuple(span)].append(gi)
    for pi, span in enumerate(predicted):
        free = gold_at.get(tuple(span))
        if free:
            gi = free.pop(0)
            pairs[gi] = pi
            taken.add(pi)
    for pi in sorted(set(range(len(predicted))) - taken, key=lambda i: tuple(predicted[i])):
        ps, pe = predicted[pi]
        best, best_overlap = None, 0
        for gi in sorted(set(range(len(gold))) - pairs.keys(), key=lambda i: tuple(gold[i])):
            overlap = min(pe, gold[gi][1]) - max(ps, gold[gi][0])
            if overlap > best_overlap:
                best, best_overlap = gi, overlap
        if best is not None:
            pairs[best] = pi
    return sorted(pairs.items())


def _prf(matched: int, n_gold: int, n_predicted: int) -> tuple[float, float, float]:
    # With nothing predicted (or nothing to find) the score is 0 rather than undefined.
    p = matched / n_predicted if n_predicted else 0.0
    r = matched / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


_LABELS = {
    "n": ("toponyms scored", "{:d}"),
    "acc161": ("accuracy@161 km", "{:.1%}"),
    "auc": ("AUC (lower is better)", "{:.3f}"),
    "mean_km": ("mean error km", "{:,.1f}"),
    "median_km": ("median error km", "{:,.1f}"),
    "exact_id": ("exact GeoNames id", "{:.1%}"),
    "precision": ("precision", "{:.1%}"),
    "recall": ("recall", "{:.1%}"),
    "f1": ("F1", "{:.1%}"),
    "precision_overlap": ("precision (overlap)", "{:.1%}"),
    "recall_overlap": ("recall (overlap)", "{:.1%}"),
    "f1_overlap": ("F1 (overlap)", "{:.1%}"),
    "precision_names": ("precision (names: no demonyms)", "{:.1%}"),
    "recall_names": ("recall (names: no demonyms)", "{:.1%}"),
    "f1_names": ("F1 (names: no demonyms)", "{:.1%}"),
    "accuracy": ("accuracy", "{:.1%}"),
    "empty_accuracy": ("accuracy, no place said", "{:.1%}"),
    "located_accuracy": ("accuracy, place said", "{:.1%}"),
    "n_empty": ("sentences saying no place", "{:d}"),
    "n_gold_spans": ("gold places", "{:d}"),
    "n_predicted_spans": ("predicted places", "{:d}"),
    "realigned": ("gold spans realigned to their name", "{:d}"),
    "dropped": ("gold spans dropped (name not near)", "{:d}"),
}


def format_table(scores: dict) -> str:
    """Two-column plain-text table of a runner's scores; None shows as a dash."""
    rows = []
    for key, value in scores.items():
        label, fmt = _LABELS.get(key, (key, "{}"))
        rows.append((label, "-" if value is None else fmt.format(value)))
    width = max(len(label) for label, _ in rows)
    return "\n".join(f"{label:<{width}}  {value:>10}" for label, value in rows)
