"""Linear models over named features, shipped as JSON weight files: scoring, a softmax over the options of one choice, and fitting.

A choice is a list of options (a toponym's candidate places; "nowhere" and the candidate
names of a sentence), each described by named features: a list of names (each worth 1) or
a mapping of names to values. An option's score is the sum of its features' weights times
their values; a softmax over the options of one choice gives each option's probability
(a conditional logit). Fitting maximises the probability of the gold options (the target
mass shared among them) with an L2 penalty, by full-batch Adam in numpy. The geoparser's
ranker and the event-place model are both such models; their weights ship as data files
and are trained by the commands in ``bench/``.
"""
from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping, Sequence
from importlib import resources
from pathlib import Path

import numpy as np

Features = Mapping[str, float] | Iterable[str]


def _items(features: Features) -> Iterable[tuple[str, float]]:
    if isinstance(features, Mapping):
        return features.items()
    return ((name, 1.0) for name in features)


def linear_score(weights: Mapping[str, float], features: Features) -> float:
    """The sum of each feature's weight times its value (unknown features weigh nothing)."""
    get = weights.get
    if isinstance(features, Mapping):
        return sum(get(name, 0.0) * value for name, value in features.items())
    return sum(get(name, 0.0) for name in features)


def softmax(scores: Sequence[float]) -> list[float]:
    """Probabilities from scores, computed stably."""
    if not scores:
        return []
    top = max(scores)
    e = [math.exp(s - top) for s in scores]
    total = sum(e)
    return [v / total for v in e]


def read_weights(name: str, path: str | Path | None = None) -> dict:
    """A weights file's JSON object, its ``weights`` as floats: ``path``, or by default the file
    ``name`` that ships in ``geoevents/data/``."""
    if path is None:
        text = resources.files("geoevents").joinpath("data", name).read_text(encoding="utf-8")
    else:
        text = Path(path).read_text(encoding="utf-8")
    data = json.loads(text)
    data["weights"] = {key: float(value) for key, value in data.get("weights", {}).items()}
    return data


def weights_json(weights: Mapping[str, float], **meta) -> str:
    """A weights file: the ``meta`` entries first (what it is, how it was trained), then the weights, sorted."""
    return json.dumps({**meta, "weights": {k: round(v, 4) for k, v in sorted(weights.items())}},
                      indent=0, ensure_ascii=False)


class _Design:
    """A sparse design matrix over a feature vocabulary (CSR-like numpy arrays) with real values."""

    def __init__(self, rows: Sequence[Features], vocab: dict[str, int]):
        idx: list[int] = []
        vals: list[float] = []
        ptr = [0]
        for features in rows:
            merged: dict[int, float] = {}
            for name, value in _items(features):
                k = vocab.get(name)
                if k is not None and value:
                    merged[k] = merged.get(k, 0.0) + float(value)
            for k in sorted(merged):
                idx.append(k)
                vals.append(merged[k])
            ptr.append(len(idx))
        self.indices = np.asarray(idx, dtype=np.int64)
        self.values = np.asarray(vals, dtype=float)
        self.indptr = np.asarray(ptr, dtype=np.int64)
        self.lengths = np.diff(self.indptr)
        self.n = len(rows)

    def dot(self, w: np.ndarray) -> np.ndarray:
        sums = np.zeros(self.n)
        nonempty = self.lengths > 0
        if nonempty.any():
            sums[nonempty] = np.add.reduceat(w[self.indices] * self.values, self.indptr[:-1][nonempty])
        return sums

    def tdot(self, r: np.ndarray, size: int) -> np.ndarray:
        return np.bincount(self.indices, weights=np.repeat(r, self.lengths) * self.values, minlength=size)


def fit_choices(choices: Sequence[tuple[Sequence[Features], Sequence[float]]], *, l2: float = 1.0,
                min_count: int = 3, iterations: int = 500, rate: float = 0.05,
                choice_weights: Sequence[float] | None = None) -> dict[str, float]:
    """Weights of a conditional logit over choices.

    ``choices`` holds, per choice, the features of its options and a target weight per
    option (the gold options' share of the probability mass, summing to 1). Features seen
    in fewer than ``min_count`` options are left out; ``choice_weights`` weighs each choice's
    share of the likelihood (default: all 1). Returns the non-zero weights by name.
    """
    rows: list[Features] = []
    group: list[int] = []
    target: list[float] = []
    for g, (options, targets) in enumerate(choices):
        for features, y in zip(options, targets):
            rows.append(features)
            group.append(g)
            target.append(float(y))
    weight_of = np.ones(len(choices)) if choice_weights is None else np.asarray(choice_weights, dtype=float)
    counts: dict[str, int] = {}
    for features in rows:
        for name, value in _items(features):
            if value:
                counts[name] = counts.get(name, 0) + 1
    names = sorted(name for name, count in counts.items() if count >= min_count)
    vocab = {name: k for k, name in enumerate(names)}
    design = _Design(rows, vocab)
    y = np.asarray(target)
    groups = np.asarray(group, dtype=np.int64)
    n_groups = len(choices)
    row_weights = weight_of[groups]
    total = float(weight_of.sum())
    w = np.zeros(len(names))
    m, v = np.zeros_like(w), np.zeros_like(w)
    for step in range(1, iterations + 1):
        z = design.dot(w)
        zmax = np.full(n_groups, -np.inf)
        np.maximum.at(zmax, groups, z)
        e = np.exp(z - zmax[groups])
        p = e / np.bincount(groups, weights=e, minlength=n_groups)[groups]
        grad = design.tdot((p - y) * row_weights, len(names)) / total + l2 * w / total
        m = 0.9 * m + 0.1 * grad
        v = 0.999 * v + 0.001 * grad ** 2
        w -= rate * (m / (1 - 0.9 ** step)) / (np.sqrt(v / (1 - 0.999 ** step)) + 1e-8)
    return {name: float(w[k]) for name, k in vocab.items() if abs(w[k]) >= 1e-3}
