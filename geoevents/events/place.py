"""Where did this event happen: pick, among the names in a sentence, the places where one event (its trigger word) took place.

A sentence often names several places and only some of them say where *this* event
happened: in "A spokesman in Baghdad said the strikes in Abu Kamal killed 12 militants"
the killing happened in Abu Kamal, not in Baghdad; in "He was convicted of plotting to
bomb a match in Elbasan" the conviction happened nowhere the sentence says.

:class:`EventPlaceFinder` works in two steps:

1. **Candidates**, generated liberally, and their features (``place_features``): the
   geoparser's toponyms, every named entity and every run of capitalised words, described
   by the dependency path from the trigger, the words around them, lists and nesting, what
   the gazetteer knows of them and the trigger's form.
2. **A choice among them, or none**: a conditional log-linear model (``geoevents.linear``)
   scores each candidate and the option "the sentence does not say where". The best
   candidate is taken when it beats "nowhere", with the other members of its list. Places
   inside what a verb of saying or judging reports are never the trigger's. Weights are
   learned by ``bench/train_event_place.py`` and ship as
   ``geoevents/data/event_place_weights.json``.

Then the rules of where an event happens that hold beyond the sentence model: a list of
places shares its role ("in Abu Kamal and in Mayadin"), a campaign happens at its target
("the operation to wrest Raqqa"), a place in the reporting frame ("told reporters at the
Pentagon that ...") or in a description ("the town, which lies in Deir ez-Zor province") is
not the event's, an event in "Raqqa" is in the city rather than the province, "near X" and
"the X countryside" are approximate, and an article's focus place stands in for a place a
sentence does not give.

Measured on the 9,686-sentence event-location development set (exact span sets per
sentence): 0.79 accuracy in 5-fold cross-validation, 0.86 for the shipped weights,
which were trained on all of it.
"""
from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from spacy.tokens import Doc

from .. import lexicon
from ..gazetteer.place import Place
from ..geoparsing import Toponym, default_geoparser
from ..geoparsing.names import ADMIN_SUFFIXES, DIRECTIONS, POSSESSIVE_MARKS
from ..linear import linear_score, read_weights, softmax, weights_json
from ..nlp import doc_text, original, parse_texts
from .place_features import SPEECH_VERBS, Candidate, PlaceFacts, find_candidates, overlap_groups, sentence_features

WEIGHTS_FILE = "event_place_weights.json"  # in geoevents/data/


@dataclass(slots=True)
class EventPlaceModel:
    """A conditional log-linear model: which candidate, or none, is the event's place.

    Every candidate and the option "the sentence does not say where" (NONE) get a linear
    score over their features; a softmax over them gives each one's probability. The best
    candidate is chosen when its score beats NONE's by ``margin``; the other members of
    the list it belongs to ("in Hajin, Susah and Baghuz") come along when their
    probability is at least ``list_ratio`` times the best one's. Candidates inside what a
    verb of saying or judging reports are never chosen (``Candidate.reported``).
    """

    weights: dict[str, float]
    margin: float = 0.0
    list_ratio: float = 0.05

    def score(self, none_features: Sequence[str], cands: Sequence[Candidate]) -> float:
        """Set each candidate's ``score`` to its probability; return NONE's probability."""
        p = softmax([linear_score(self.weights, none_features)] +
                    [linear_score(self.weights, c.features) for c in cands])
        for c, value in zip(cands, p[1:]):
            c.score = value
        return p[0]

    def choose(self, none: float, cands: Sequence[Candidate]) -> list[Candidate]:
        """The chosen candidates, given NONE's probability and the candidates' (see ``score``)."""
        best = [max(group, key=lambda c: c.score) for group in overlap_groups(cands)]
        best = [c for c in best if not c.reported]
        if not best:
            return []
        top = max(best, key=lambda c: c.score)
        if top.score <= 0.0 or math.log(top.score) - math.log(max(none, 1e-300)) < self.margin:
            return []
        return [c for c in best if c is top or c.list_head == top.list_head and
                c.score >= self.list_ratio * top.score]

    @classmethod
    def load(cls, path: str | Path | None = None) -> EventPlaceModel:
        """The model in ``path``, by default the one that ships with geoevents."""
        data = read_weights(WEIGHTS_FILE, path)
        return cls(weights=data["weights"], margin=float(data.get("margin", 0.0)),
                   list_ratio=float(data.get("list_ratio", 0.05)))

    def to_json(self, **meta) -> str:
        return weights_json(self.weights, **meta, margin=self.margin, list_ratio=self.list_ratio)


@lru_cache(maxsize=1)
def _default_model() -> EventPlaceModel:
    return EventPlaceModel.load()


class EventPlaceFinder:
    """Finds the places where an event happened, given its sentence and trigger word.

    ``geoparser`` (default: the process-wide ``default_geoparser()``) supplies the spaCy
    pipeline, the toponym recogniser and the gazetteer; ``model`` the weights (default:
    the packaged ``event_place_weights.json``).
    """

    def __init__(self, geoparser=None, model: EventPlaceModel | None = None):
        if geoparser is None:
            geoparser = default_geoparser()
        self.geoparser = geoparser
        self.model = model or _default_model()
        self.facts = PlaceFacts(getattr(geoparser, "gazetteer", None))

    @property
    def nlp(self):
        return self.geoparser.nlp

    # -- public ----------------------------------------------------------------------------

    def locations(self, sent, trigger, toponyms: Sequence | None = None) -> list[tuple[int, int]]:
        """Character spans (offsets in the doc) of the places where the trigger's event happened.

        ``sent`` is a sentence ``Span`` (or a whole ``Doc``) of a parsed doc; ``trigger`` the
        trigger's token index in the doc (``Token.i``), a ``Token``, or its (start, end)
        character offsets in the doc; ``toponyms`` the doc's recognised toponyms (geoparser
        ``Toponym`` objects: ``start, end, label, metonymic``), recognised here when None.
        Returns the spans sorted by position; empty when the sentence does not say where.
        """
        none, cands = self.scored(sent, trigger, toponyms)
        return sorted(c.span for c in self.model.choose(none, cands))

    def locations_many(self, items: Iterable[tuple]) -> list[list[tuple[int, int]]]:
        """``locations`` for many ``(sent, trigger)`` or ``(sent, trigger, toponyms)`` tuples."""
        return [self.locations(*item) for item in items]

    def locations_for_texts(self, items: Sequence[tuple[str, tuple[int, int]]],
                            batch_size: int = 64) -> list[list[tuple[int, int]]]:
        """For ``(text, (trigger start, trigger end))`` pairs: parse the texts in batches, find each event's places.

        Each text is taken as one sentence, whatever spaCy's sentence splitter says.
        """
        out = []
        parsed = parse_texts(self.nlp, (text for text, _ in items), batch_size=batch_size)
        for pieces, (_, trigger) in zip(parsed, items):
            spans = []
            for doc in pieces:  # the piece holding the trigger (one for any sentence)
                source = original(doc)
                start, end = source.to_clean(*trigger)
                if 0 <= start < len(doc_text(doc)):
                    spans = [source.to_original(*span) for span in self.locations(doc, (start, end))]
                    break
            out.append(spans)
        return out

    # -- internals -------------------------------------------------------------------------

    def recognise(self, doc) -> list:
        recognise = getattr(self.geoparser, "recognise", None) or self.geoparser._recognise
        return recognise(doc)

    def scored(self, sent, trigger, toponyms: Sequence | None = None) -> tuple[float, list[Candidate]]:
        """NONE's probability and every candidate name of the sentence with its own (``score``)."""
        doc = sent if isinstance(sent, Doc) else sent.doc
        lo, hi = (0, len(doc)) if doc is sent else (sent.start, sent.end)
        token = trigger_token(doc, trigger)
        if token is None or hi <= lo:
            return 1.0, []
        if toponyms is None:
            toponyms = self.recognise(doc)
        cands = find_candidates(doc, lo, hi, toponyms)
        none, features = sentence_features(doc, token, cands, self.facts, lo, hi)
        for c, f in zip(cands, features):
            c.features = f
        return self.model.score(none, cands), cands


def trigger_token(doc, trigger):
    """The token standing for a trigger given as a Token, a token index or (start, end) character offsets."""
    if hasattr(trigger, "i") and hasattr(trigger, "doc"):
        return trigger
    if isinstance(trigger, int):
        return doc[trigger] if 0 <= trigger < len(doc) else None
    start, end = trigger
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    return span.root


# Words next to a town that make its location approximate: "near Mayadin", "the Raqqa countryside".
_NEAR_BEFORE = lexicon.words("near_before")
_NEAR_AFTER = lexicon.words("near_after")


def with_coordinated(doc, spans: list[tuple[int, int]], toponyms: list[Toponym]) -> list[tuple[int, int]]:
    """A list of places shares its role: "struck fighters in Abu Kamal and in Mayadin" hit both."""
    if not spans or not doc.has_annotation("DEP"):
        return spans
    roots = {}
    for t in toponyms:
        span = doc.char_span(t.start, t.end, alignment_mode="expand")
        if span is not None and not t.metonymic:
            roots[(t.start, t.end)] = span.root
    chosen = list(spans)
    for start, end in spans:
        anchor = next((r for (s, e), r in roots.items() if s < end and start < e), None)
        if anchor is None:
            continue
        for key, other in roots.items():
            if key in chosen or other.i == anchor.i:
                continue
            if _coordinated(anchor, other) or _coordinated(other, anchor):
                chosen.append(key)
    return chosen


def _coordinated(a, b) -> bool:
    """b is a conjunct of a ("A and B"), or b's preposition of a's ("in A and in B")."""
    if b.dep_ == "conj" and b.head.i == a.i:
        return True
    pa, pb = a.head, b.head
    return a.dep_ == "pobj" and b.dep_ == "pobj" and pb.dep_ == "conj" and pb.head.i == pa.i


def in_reporting_frame(doc, start: int, trigger) -> bool:
    """The place belongs to the clause that reports the event, not to the event."""
    if not doc.has_annotation("DEP"):
        return False
    span = doc.char_span(start, start + 1, alignment_mode="expand")
    if span is None:
        return False
    place = span.root
    place_ancestors = {a.i for a in place.ancestors}
    if trigger.i in place_ancestors:
        return False
    trigger_ancestors = {a.i for a in trigger.ancestors}
    # A report that ends in its attribution ("Near Mayadin, dozens were killed in air strikes,
    # a monitoring group reported") hangs everything before the verb of saying from it: what
    # precedes that verb, with the event, is the event's, whatever the parse says.
    return any(doc[i].lemma_.lower() in SPEECH_VERBS and i in trigger_ancestors and not (place.i < i and trigger.i < i)
               for i in place_ancestors)


def locates_the_attacker(doc, start: int, trigger) -> bool:
    """The place says where the one firing was, not where the fire landed: "Russian warships in the
    Mediterranean fired cruise missiles at positions around the city". An attack from afar happens
    where it hits (ACLED codes the target's location), so this is no place of a remote attack."""
    if not doc.has_annotation("DEP"):
        return False
    span = doc.char_span(start, start + 1, alignment_mode="expand")
    if span is None:
        return False
    verb = trigger if trigger.pos_ in ("VERB", "AUX") or trigger.head.i == trigger.i else trigger.head
    place_ancestors = {a.i for a in span.root.ancestors}
    return any(child.dep_ == "nsubj" and child.i in place_ancestors for child in verb.children)


def in_description(doc, start: int) -> bool:
    """ "the town, which lies on the Euphrates in Deir ez-Zor province": where the town is, not the event."""
    if not doc.has_annotation("DEP"):
        return False
    span = doc.char_span(start, start + 1, alignment_mode="expand")
    return span is not None and any(a.dep_ == "relcl" and a.lemma_.lower() in ("lie", "sit", "locate", "be")
                                    for a in span.root.ancestors)


_CAMPAIGN_WORDS = lexicon.words("campaign_words")
_TAKING_VERBS = lexicon.words("taking_verbs")


def campaign_target(trigger, toponyms: list[Toponym]) -> list[tuple[int, int]]:
    """ "the operation to wrest Raqqa from ISIS", "the battle for Mosul": a campaign happens at its target.

    Read off the words, not the parse: the small model often attaches the purpose clause elsewhere.
    """
    if trigger.lower_ not in _CAMPAIGN_WORDS:
        return []
    doc = trigger.doc
    nxt = doc[trigger.i + 1:trigger.i + 3]
    if not (len(nxt) == 2 and nxt[0].lower_ == "to" and nxt[1].lemma_.lower() in _TAKING_VERBS
            or len(nxt) >= 1 and nxt[0].lower_ in ("for", "on", "into")):
        return []
    window_end = trigger.i + 1
    while window_end < min(len(doc), trigger.i + 10) and doc[window_end].text not in (",", ";", ".", ":"):
        window_end += 1
    start_char, end_char = doc[trigger.i].idx, doc[window_end - 1].idx + len(doc[window_end - 1])
    first = next((t for t in toponyms if start_char <= t.start and t.end <= end_char and t.resolved is not None
                  and not t.metonymic), None)
    return [(first.start, first.end)] if first else []


def town_of_same_name(top: Toponym) -> Place:
    """"clashes in Raqqa": an event happens in the city, not the province named after it, unless the
    text says "province"."""
    place = top.resolved
    if place.feature_class != "A" or place.is_country or ADMIN_SUFFIXES.search(top.text):
        return place
    for other in top.candidates:
        if other.feature_class == "P" and other.country_code == place.country_code and \
                other.admin1 == place.admin1 and other.population >= 10_000:
            return other
    return place


def is_near(doc, start: int, end: int) -> bool:
    """"near Mayadin", "10 km east of Hajin", "the Raqqa countryside": the event is near the place, not at it."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return False
    before = {t.lower_ for t in doc[max(0, span.start - 3):span.start]}
    # "Aleppo's western countryside": past a possessive and compass words to the noun they qualify.
    after = [t.lower_ for t in doc[span.end:span.end + 4] if t.lower_ not in POSSESSIVE_MARKS and t.lower_ not in DIRECTIONS]
    return bool(before & _NEAR_BEFORE or set(after[:2]) & _NEAR_AFTER)


def geo_precision(place: Place, named: bool, near: bool) -> int:
    """ACLED geo_precision: 1 the town itself, 2 near a town or part of a region, 3 a region or larger.

    ``named``: the sentence named the place (not so for a stand-in: the article's focus place for
    a sentence that gives none, or the place near a name the gazetteer lacks); ``near``: "near X",
    "the X countryside".
    """
    if not named:
        return 2 if place.is_town else 3
    if place.is_town:
        return 2 if near else 1
    if near and not place.is_country:
        return 2  # "the Daraa countryside", the province's: part of a region
    if place.feature_class == "A" and place.feature_code in ("ADM2", "ADM3", "ADM4", "ADMD"):
        return 2
    return 3


# How fine a known place is, finest first: a town, then a district, then a province, then the rest.
_FINENESS = {"P": 0, "ADM2": 1, "ADM3": 1, "ADM4": 1, "ADMD": 1, "ADM1": 2}


def finest_known_place(sent, unknown: Toponym, toponyms: list[Toponym]) -> Place | None:
    """The finest place the sentence knows, to stand in for a place name the gazetteer lacks: the
    town or district it is said to be in or near ("Kafr Hamra village in the Aleppo countryside"),
    the nearest when several are as fine. None when the sentence names no place below a country."""
    known = [t for t in toponyms if sent.start_char <= t.start < sent.end_char and t is not unknown
             and t.resolved is not None and not t.metonymic and not t.resolved.is_country]

    def fineness(t: Toponym) -> tuple:
        place = t.resolved
        rank = _FINENESS.get("P" if place.is_town else place.feature_code, 3)
        return rank, abs(t.start - unknown.end) if t.start >= unknown.end else abs(unknown.start - t.end) + 1

    return town_of_same_name(min(known, key=fineness)) if known else None


def focus_place(toponyms: list[Toponym]) -> Place | None:
    """The place an article is about: its most named town, else its most named place of any kind."""
    usable = [t for t in toponyms if t.resolved is not None and not t.metonymic]
    if not usable:
        return None
    towns = Counter(t.resolved.geonameid for t in usable if t.resolved.is_town)
    counts = towns if towns else Counter(t.resolved.geonameid for t in usable)
    best = counts.most_common(1)[0][0]
    return next(t.resolved for t in usable if t.resolved.geonameid == best)


def main_country(toponyms: list[Toponym]) -> str | None:
    """The country (ISO2) an article names most often through its places."""
    counts = Counter(t.resolved.country_code for t in toponyms if t.resolved is not None and t.resolved.country_code)
    return counts.most_common(1)[0][0] if counts else None
