"""Whether a sentence reports a conflict event, and of which ACLED sub-event type: a learned linear model.

The trigger rules (``detect``) propose events word by word; this model reads the whole
sentence — its content words, the verb–argument pairs of its parse, the triggers the rules
found and their words, negation and modality — and gives a probability to each of ACLED's
25 sub-event types and to ``NONE`` (no conflict event: a flood, a drug seizure, a minister's
condemnation, a plan). Extraction keeps the rules' events when the model agrees, retypes them
when it does not, drops them when the sentence reports no event, and adds one when the rules
found no trigger in a sentence the model reads as an event ("More barrel bombs on Daraya").

The weights are learned by ``bench/train_event_types.py`` from sentences the project wrote
and labelled itself (``bench/data/event_sentences_*.tsv``) and ship in
``geoevents/data/event_type_weights.json``.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .. import lexicon
from ..linear import read_weights, softmax
from .detect import Trigger
from .record import EVENT_TYPE_OF

WEIGHTS_FILE = "event_type_weights.json"  # in geoevents/data/
NONE = "NONE"
LABELS: tuple[str, ...] = (*EVENT_TYPE_OF, NONE)
# Dependencies whose (head, word) pair says what happened to what: "drop>bomb", "target>neighbourhood".
_ARGUMENT_DEPS = frozenset({"dobj", "nsubj", "nsubjpass", "pobj", "compound", "amod", "agent", "attr", "npadvmod"})
_MODALS = lexicon.words("irrealis_heads") | frozenset({"will", "would", "could", "may", "might", "should"})


def sentence_features(sent, triggers: list[Trigger]) -> dict[str, float]:
    """What the model reads of a sentence (a spaCy Span) and the rules' triggers in it."""
    f: dict[str, float] = {"bias": 1.0}
    for tok in sent:
        if not tok.is_alpha or tok.pos_ == "PROPN" or len(tok.text) < 2:
            if tok.like_num:
                f["has_number"] = 1.0
            continue
        lemma = tok.lemma_.lower()
        if not tok.is_stop:
            f[f"w={lemma}"] = 1.0
        if tok.dep_ == "neg":
            f[f"neg>{tok.head.lemma_.lower()}"] = 1.0
            f["negated"] = 1.0
        if lemma in _MODALS:
            f["modal"] = 1.0
        head = tok.head
        if tok.dep_ in _ARGUMENT_DEPS and head is not tok and head.is_alpha and head.pos_ != "PROPN":
            f[f"d={head.lemma_.lower()}>{lemma}"] = 1.0
    if triggers:
        doc = sent.doc
        for t in triggers:
            f[f"rule={t.sub_event_type}"] = 1.0
            f[f"trigger={doc[t.index].lemma_.lower()}"] = 1.0
        if all(t.generic for t in triggers):
            f["rule_generic_only"] = 1.0
    else:
        f["no_rule"] = 1.0
    return f


def label_options(features: dict[str, float]) -> list[dict[str, float]]:
    """One option per label, each the sentence's features conjoined with that label."""
    return [{f"{name}|{label}": value for name, value in features.items()} for label in LABELS]


@dataclass
class EventTypeModel:
    """Learned weights over label-conjoined sentence features."""

    weights: dict[str, float]

    def __post_init__(self) -> None:
        # feature -> [(label index, weight)]: a sentence's scores in one pass over its features,
        # the same sums as ``linear_score`` over each label's conjoined option.
        index = {label: k for k, label in enumerate(LABELS)}
        self._by_feature: dict[str, list[tuple[int, float]]] = {}
        for key, weight in self.weights.items():
            name, _, label = key.rpartition("|")
            if label in index:
                self._by_feature.setdefault(name, []).append((index[label], weight))

    def probabilities(self, features: dict[str, float]) -> dict[str, float]:
        """Each label's probability for a sentence's features."""
        scores = [0.0] * len(LABELS)
        for name, value in features.items():
            for k, weight in self._by_feature.get(name, ()):
                scores[k] += weight * value
        return dict(zip(LABELS, softmax(scores)))

    def anchor(self, sent, label: str) -> int:
        """The token index that speaks most for ``label`` ("barrel bombs" in "More barrel bombs on
        Daraya"): where an event the rules missed is anchored; the sentence's root when none does."""
        weight = {tok.i: self.weights.get(f"w={tok.lemma_.lower()}|{label}", 0.0)
                  for tok in sent if tok.is_alpha and tok.pos_ != "PROPN"}
        best = max(weight, key=weight.get, default=None)
        return best if best is not None and weight[best] > 0 else sent.root.i

    @classmethod
    def load(cls, path: str | Path | None = None) -> EventTypeModel:
        data = read_weights(WEIGHTS_FILE, path)
        labels = data["labels"]
        return cls({f"{name}|{labels[k]}": float(w) for name, pairs in data["by_feature"].items() for k, w in pairs})

    def to_json(self, **meta) -> str:
        """The weights by feature, each a list of [label index, weight]: the label names and the
        feature names once each, not once per pair."""
        by_feature: dict[str, list] = {}
        for key, weight in sorted(self.weights.items()):
            name, _, label = key.rpartition("|")
            by_feature.setdefault(name, []).append([LABELS.index(label), round(weight, 4)])
        return json.dumps({**meta, "labels": list(LABELS), "by_feature": by_feature}, separators=(",", ":"),
                          ensure_ascii=False)


@lru_cache(maxsize=1)
def default_model() -> EventTypeModel:
    return EventTypeModel.load()
