"""Score toponym recognition and resolution against the GeoWebNews and LGL gold corpora.

This module reads the two standard gold corpora, picks the toponyms each task is scored
on, and computes the published metrics (accuracy@161 km, AUC of the error curve, mean and
median error, exact GeoNames id, span precision/recall/F1). It holds no geoparser: the
runners take the system under test as a function, so any resolver or geoparser plugs in.

Corpus formats (both ``<articles><article>...``, told apart by their XML structure):

* GeoWebNews (Gritta et al. 2019): ``<article file>`` with ``<title/><link/><text/>`` and
  ``<toponyms><toponym>`` whose children are ``extractedName, normalisedName, type,
  modifierType, nonLocational, start, end`` and, when resolved, ``geonamesID, latitude,
  longitude`` (``geonamesID`` may be empty). ``start``/``end`` are offsets into ``<text>``.
* LGL / TR-News (Lieberman et al. 2010): ``<article docid>`` with ``<title/><url/><text/>``
  and ``<toponym><start/><end/><phrase/>`` plus an optional ``<gaztag geonameid>`` holding
  ``<fcode/><lat/><lon/>``.
"""
from __future__ import annotations

import json
import logging
import math
import xml.etree.ElementTree as ET
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from statistics import median
from typing import Callable, Iterable, Sequence

import numpy as np

from .places_context import is_adjective_of_place

log = logging.getLogger(__name__)

GWN = "gwn"
LGL = "lgl"

EARTH_RADIUS_KM = 6371.0088
# Half the earth's circumference: the error charged for an unresolved toponym and the
# ceiling of the AUC scale, as in Gritta et al.
MAX_ERROR_KM = 20039.0
ACC_KM = 161.0

# GeoWebNews types that denote a place, i.e. the "literal" half of the Pragmatic Taxonomy
# of Toponyms (Gritta et al. 2019, Table 1). The associative types (Metonymic, Demonym,
# Language, Non_Literal_Modifier, Embedded_Non_Lit, Homonym) and the non-toponym labels
# (Non_Toponym, Literal_Expression, Non_Lit_Expression) are left out.
GWN_LITERAL_TYPES = frozenset(
    {"Literal", "Literal_Modifier", "Mixed", "Coercion", "Embedded_Literal"}
)


class CorpusError(Exception):
    """A gold corpus file is missing, not well-formed XML, or not GWN/LGL-shaped.

    The message is one line that names the file and the problem, fit to print as is.
    """

    def __init__(self, path: object, problem: str):
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")


@dataclass(frozen=True, slots=True)
class GoldToponym:
    """One annotated span; ``text`` is ``article.text[start:end]``."""

    start: int
    end: int
    text: str
    type: str
    geonameid: int | None = None
    latitude: float | None = None
    longitude: float | None = None
    feature_code: str | None = None

    @property
    def has_coordinates(self) -> bool:
        return self.latitude is not None and self.longitude is not None


@dataclass(frozen=True, slots=True)
class GoldArticle:
    """One gold article. ``format`` is ``"gwn"`` or ``"lgl"``; it decides target selection."""

    id: str
    title: str
    text: str
    toponyms: list[GoldToponym] = field(default_factory=list)
    format: str = LGL


@dataclass(frozen=True, slots=True)
class Prediction:
    """A resolver's answer for one span."""

    latitude: float
    longitude: float
    geonameid: int | None = None


# --------------------------------------------------------------------------- reading


def read_corpus(path: str | Path) -> list[GoldArticle]:
    """Read a GeoWebNews or LGL/TR-News XML file, detecting which from its structure.

    Toponyms whose ``start``/``end`` do not reproduce their annotated name in ``<text>``
    are dropped with a logged warning: GeoWebNews has five such spans (articles 123 and
    255), with negative offsets that point into a version of the text the file lacks.
    Raises CorpusError for an unreadable, malformed or non-corpus file.
    """
    path = Path(path)
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as exc:
        raise CorpusError(path, f"not well-formed XML ({exc})") from None
    except OSError as exc:
        raise CorpusError(path, f"cannot read ({exc.strerror or exc})") from None
    if root.tag != "articles":
        raise CorpusError(path, f"root element is <{root.tag}>, expected <articles>")
    articles = root.findall("article")
    if not articles:
        raise CorpusError(path, "no <article> elements")
    fmt = _detect_format(path, articles)
    reader = _read_gwn_toponym if fmt == GWN else _read_lgl_toponym
    out, dropped = [], 0
    for number, art in enumerate(articles):
        where = f"article {number + 1}"
        text = art.findtext("text")
        if text is None:
            raise CorpusError(path, f"{where} has no <text>")
        toponyms = []
        for elem in art.iterfind("toponyms/toponym"):
            try:
                top = reader(elem, text)
            except ValueError as exc:
                raise CorpusError(path, f"{where}: bad toponym ({exc})") from None
            if top is None:
                dropped += 1
            else:
                toponyms.append(top)
        art_id = art.get("file") if fmt == GWN else art.get("docid")
        out.append(GoldArticle(
            id=art_id if art_id is not None else str(number),
            title=(art.findtext("title") or "").strip(),
            text=text,
            toponyms=toponyms,
            format=fmt,
        ))
    if dropped:
        log.warning("%s: dropped %d toponyms whose offsets do not match their text",
                    path, dropped)
    return out


def _detect_format(path: Path, articles: list[ET.Element]) -> str:
    # Toponym children are the decisive mark; article-level markers cover files whose
    # articles carry no toponyms at all.
    for art in articles:
        for top in art.iterfind("toponyms/toponym"):
            if top.find("extractedName") is not None or top.find("type") is not None:
                return GWN
            if top.find("phrase") is not None:
                return LGL
            raise CorpusError(path, "<toponym> has neither <extractedName> nor <phrase>")
    first = articles[0]
    if first.get("docid") is not None or first.find("url") is not None:
        return LGL
    if first.get("file") is not None or first.find("link") is not None:
        return GWN
    raise CorpusError(path, "cannot tell GeoWebNews from LGL: no toponyms or known markers")


def _required_int(elem: ET.Element, tag: str) -> int:
    value = (elem.findtext(tag) or "").strip()
    if not value:
        raise ValueError(f"missing <{tag}>")
    return int(value)


def _optional(value: str | None, kind: type):
    value = (value or "").strip()
    return kind(value) if value else None


def _span_checked(text: str, start: int, end: int, name: str) -> bool:
    return 0 <= start < end <= len(text) and text[start:end] == name


def _read_gwn_toponym(elem: ET.Element, text: str) -> GoldToponym | None:
    start, end = _required_int(elem, "start"), _required_int(elem, "end")
    name = elem.findtext("extractedName") or ""
    if not _span_checked(text, start, end, name):
        return None
    return GoldToponym(
        start=start,
        end=end,
        text=name,
        type=(elem.findtext("type") or "").strip(),
        geonameid=_optional(elem.findtext("geonamesID"), int),
        latitude=_optional(elem.findtext("latitude"), float),
        longitude=_optional(elem.findtext("longitude"), float),
    )


def _read_lgl_toponym(elem: ET.Element, text: str) -> GoldToponym | None:
    start, end = _required_int(elem, "start"), _required_int(elem, "end")
    name = elem.findtext("phrase") or ""
    if not _span_checked(text, start, end, name):
        return None
    gaz = elem.find("gaztag")
    if gaz is None:
        return GoldToponym(start=start, end=end, text=name, type="Literal")
    return GoldToponym(
        start=start,
        end=end,
        text=name,
        type="Literal",
        geonameid=_optional(gaz.get("geonameid"), int),
        latitude=_optional(gaz.findtext("lat"), float),
        longitude=_optional(gaz.findtext("lon"), float),
        feature_code=_optional(gaz.findtext("fcode"), str),
    )


# --------------------------------------------------------------------------- targets


def resolution_targets(article: GoldArticle) -> list[GoldToponym]:
    """Gold toponyms scored for resolution: those with coordinates.

    On GeoWebNews only those that also carry a GeoNames id count (2,401 of the 2,601
    spans with coordinates; 2,399 after the two misplaced spans are dropped), as in
    published GWN results; every LGL toponym with coordinates has an id anyway.
    """
    return [
        t for t in article.toponyms
        if t.has_coordinates and (article.format != GWN or t.geonameid is not None)
    ]


def recognition_targets(article: GoldArticle) -> list[GoldToponym]:
    """Gold toponyms a recogniser should find: all of LGL's; GWN's literal ones.

    On GeoWebNews these are the five *literal* types of the Pragmatic Taxonomy (Gritta
    et al. 2019): Literal, Literal_Modifier ("the [Bourbon] street"), Mixed, Coercion (a
    non-place name used as a place: "walk to [Wegmans]") and Embedded_Literal ("[Peel]
    Regional Police"), 1,456 spans in all. Left out: the associative types, which name a
    place but refer to something else (Metonymic, Demonym, Language, Non_Literal_Modifier,
    Embedded_Non_Lit, Homonym, the latter being floor-plan and person names in GWN) and
    the non-toponym labels (Non_Toponym, Literal_Expression, Non_Lit_Expression).
    """
    if article.format != GWN:
        return list(article.toponyms)
    return [t for t in article.toponyms if t.type in GWN_LITERAL_TYPES]


# --------------------------------------------------------------------------- metrics


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Haversine distance on a sphere of radius 6371.0088 km (the IUGG mean radius)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dlat, dlon = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dlat / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dlon / 2) ** 2
    # Rounding can push h a hair above 1 for antipodal points.
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, h)))


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


def recognition_scores(
    gold_spans: Iterable[tuple[int, int, int]],
    predicted_spans: Iterable[tuple[int, int, int]],
) -> dict:
    """Span precision/recall/F1, exact and overlapping, over (article_index, start, end).

    Spans are sets: a repeated span counts once. Each gold span is matched at most once
    (see match_spans), so two predictions overlapping one gold span give one hit and one
    false positive. Returns ``precision, recall, f1`` (exact boundaries) and
    ``precision_overlap, recall_overlap, f1_overlap`` (any shared character).
    """
    gold_by_doc: dict[int, list[Span]] = defaultdict(list)
    pred_by_doc: dict[int, list[Span]] = defaultdict(list)
    for doc, s, e in dict.fromkeys(tuple(x) for x in gold_spans):
        gold_by_doc[doc].append((s, e))
    for doc, s, e in dict.fromkeys(tuple(x) for x in predicted_spans):
        pred_by_doc[doc].append((s, e))
    exact = overlap = 0
    for doc, gold in gold_by_doc.items():
        pred = pred_by_doc.get(doc, [])
        for gi, pi in match_spans(gold, pred):
            overlap += 1
            exact += gold[gi] == pred[pi]
    n_gold = sum(map(len, gold_by_doc.values()))
    n_pred = sum(map(len, pred_by_doc.values()))
    p, r, f = _prf(exact, n_gold, n_pred)
    po, ro, fo = _prf(overlap, n_gold, n_pred)
    return dict(precision=p, recall=r, f1=f,
                precision_overlap=po, recall_overlap=ro, f1_overlap=fo)


# --------------------------------------------------------------------------- runners

Resolve = Callable[[str, list[Span]], Sequence["Prediction | None"]]
ResolveMany = Callable[[list[tuple[str, list[Span]]]], Sequence[Sequence["Prediction | None"]]]
Geoparsed = Sequence[tuple[int, int, "float | None", "float | None", "int | None"]]
Geoparse = Callable[[str], Geoparsed]
GeoparseMany = Callable[[list[str]], Sequence[Geoparsed]]
Progress = Callable[[int], object]


def _score_one(gold: GoldToponym, lat, lon, geonameid) -> tuple[float | None, bool | None]:
    error = None if lat is None or lon is None else great_circle_km(
        gold.latitude, gold.longitude, lat, lon)
    hit = None if gold.geonameid is None else geonameid == gold.geonameid
    return error, hit


def _batches(corpus: Sequence[GoldArticle], batch_size: int | None):
    size = batch_size or max(1, len(corpus))
    for lo in range(0, len(corpus), size):
        yield lo, corpus[lo:lo + size]


def evaluate_resolution_many(
    corpus: Sequence[GoldArticle],
    resolve_many: ResolveMany,
    batch_size: int | None = None,
    progress: Progress | None = None,
) -> dict:
    """Score a resolver on the gold spans (resolution_targets) of every article.

    ``resolve_many`` gets a list of ``(text, spans)`` pairs, one per article that has
    targets, and returns one list per pair with one Prediction (or None: unresolved) per
    span. It is called once per ``batch_size`` articles (default: the whole corpus at
    once, so a geoparser can batch its NLP pipeline); ``progress`` gets the number of
    articles done after each call. Returns the keys of ``resolution_scores`` plus
    ``precision, recall, f1`` = None.
    """
    errors: list[float | None] = []
    hits: list[bool | None] = []
    for lo, batch in _batches(corpus, batch_size):
        jobs = [(a, resolution_targets(a)) for a in batch]
        jobs = [(a, targets) for a, targets in jobs if targets]
        if jobs:
            answers = resolve_many([(a.text, [(t.start, t.end) for t in ts]) for a, ts in jobs])
            if len(answers) != len(jobs):
                raise ValueError(f"resolver returned {len(answers)} answers for {len(jobs)} texts")
            for (article, targets), preds in zip(jobs, answers):
                if len(preds) != len(targets):
                    raise ValueError(f"article {article.id}: resolver returned {len(preds)} "
                                     f"predictions for {len(targets)} spans")
                for gold, pred in zip(targets, preds):
                    answer = (None, None, None) if pred is None else (
                        pred.latitude, pred.longitude, pred.geonameid)
                    error, hit = _score_one(gold, *answer)
                    errors.append(error)
                    hits.append(hit)
        if progress is not None:
            progress(lo + len(batch))
    return {**resolution_scores(errors, hits), "precision": None, "recall": None, "f1": None}


def evaluate_resolution(
    corpus: Sequence[GoldArticle],
    resolve: Resolve,
    progress: Progress | None = None,
) -> dict:
    """Article-at-a-time form of evaluate_resolution_many: ``resolve(text, spans)``."""
    return evaluate_resolution_many(
        corpus, lambda jobs: [resolve(text, spans) for text, spans in jobs],
        batch_size=1, progress=progress)


def evaluate_end2end_many(
    corpus: Sequence[GoldArticle],
    geoparse_many: GeoparseMany,
    batch_size: int | None = None,
    progress: Progress | None = None,
) -> dict:
    """Score a full geoparser: recognition against recognition_targets, resolution on matches.

    ``geoparse_many`` gets a list of texts and returns, per text, tuples
    ``(start, end, latitude|None, longitude|None, geonameid|None)``, optionally with a sixth
    item, ``metonymic`` (bool). Batching and ``progress`` work as in evaluate_resolution_many.

    Metonymic predictions ("Moscow denied") are left out on GeoWebNews, whose recognition
    targets are the literal toponyms only, and kept on LGL / TR-News, which annotate every
    place name whatever it stands for.

    Recognition P/R/F1 (exact and overlap) compare all predicted spans with the
    recognition targets. Resolution metrics cover the resolution targets that some
    predicted span matches (match_spans: exact, then overlap), so ``n`` is the number
    of those; missed toponyms already cost recall. A matched span without coordinates
    counts as unresolved. ``precision_names, recall_names, f1_names`` score the same
    spans without the gold demonyms and region adjectives ("Turkish market", "European
    tour", which GeoWebNews counts as literal modifiers): geoevents reads those as evidence
    for the article's countries, not as place names.
    """
    errors: list[float | None] = []
    hits: list[bool | None] = []
    gold_spans: list[tuple[int, int, int]] = []
    pred_spans: list[tuple[int, int, int]] = []
    adjectives: set[tuple[int, int, int]] = set()  # gold "Turkish", "European": not names
    for lo, batch in _batches(corpus, batch_size):
        outputs = geoparse_many([a.text for a in batch])
        if len(outputs) != len(batch):
            raise ValueError(f"geoparser returned {len(outputs)} results for {len(batch)} texts")
        for index, (article, found) in enumerate(zip(batch, outputs), start=lo):
            found = [f for f in found if not (article.format == GWN and len(f) > 5 and f[5])]
            gold_spans += [(index, t.start, t.end) for t in recognition_targets(article)]
            adjectives |= {(index, t.start, t.end) for t in recognition_targets(article)
                           if is_adjective_of_place(article.text[t.start:t.end])}
            pred_spans += [(index, s, e) for s, e, *_ in found]
            targets = resolution_targets(article)
            for gi, pi in match_spans([(t.start, t.end) for t in targets],
                                      [(s, e) for s, e, *_ in found]):
                lat, lon, geonameid = found[pi][2:5]
                error, hit = _score_one(targets[gi], lat, lon, geonameid)
                errors.append(error)
                hits.append(hit)
        if progress is not None:
            progress(lo + len(batch))
    names = recognition_scores([g for g in gold_spans if g not in adjectives],
                               [p for p in pred_spans if p not in adjectives])
    return {**resolution_scores(errors, hits), **recognition_scores(gold_spans, pred_spans),
            "precision_names": names["precision"], "recall_names": names["recall"], "f1_names": names["f1"]}


def evaluate_end2end(
    corpus: Sequence[GoldArticle],
    geoparse: Geoparse,
    progress: Progress | None = None,
) -> dict:
    """Article-at-a-time form of evaluate_end2end_many: ``geoparse(text)``."""
    return evaluate_end2end_many(
        corpus, lambda texts: [geoparse(text) for text in texts],
        batch_size=1, progress=progress)


# --------------------------------------------------------------------------- output

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
}


def format_table(scores: dict) -> str:
    """Two-column plain-text table of a runner's scores; None shows as a dash."""
    rows = []
    for key, value in scores.items():
        label, fmt = _LABELS.get(key, (key, "{}"))
        rows.append((label, "-" if value is None else fmt.format(value)))
    width = max(len(label) for label, _ in rows)
    return "\n".join(f"{label:<{width}}  {value:>10}" for label, value in rows)


# --------------------------------------------------------------------------- event locations
#
# "Where did this event happen": sentences with one event trigger (a VERB span) and the
# LOCATION span(s) where that event took place; none when the sentence does not say.


class EventLocationError(CorpusError):
    """An event-location JSONL file is missing or has a line that is not a valid example."""


@dataclass(frozen=True, slots=True)
class EventLocationExample:
    """One gold sentence: the trigger's and the event places' character offsets in ``text``."""

    text: str
    verb: tuple[int, int]
    locations: frozenset[tuple[int, int]]
    source: str = ""


@lru_cache(maxsize=1)
def _blank_tokenizer():
    import spacy

    return spacy.blank("en").tokenizer


def _location_chars(doc, start: int, end: int) -> tuple[tuple[int, int], str]:
    """A LOCATION span's character offsets and how they were read: "char", "token" or "kept"."""
    span = doc.char_span(start, end)
    if span is not None and any(c.isupper() for c in span.text):
        return (start, end), "char"
    if 0 <= start <= end < len(doc):
        tokens = doc[start:end + 1]
        return (tokens.start_char, tokens.end_char), "token"
    return (start, end), "kept"


def read_event_locations(path: str | Path, counts: dict | None = None) -> list[EventLocationExample]:
    """Read an event-location JSONL file: ``{"text", "spans": [{"start", "end", "label"}], "source"}``.

    Each line holds one sentence with a ``VERB`` span (the event trigger, character
    offsets) and zero or more ``LOCATION`` spans (where that event happened). Blank lines
    are skipped; any other line that is not such an object raises EventLocationError
    naming ``file:line`` and the problem.

    Some public releases of this data (rows from AP, Xinhua, Atrocities, wiki) give
    LOCATION offsets as spaCy *token* indices with an inclusive end ("start 5, end 5" =
    the sixth token). A LOCATION span is read as characters when its offsets align with
    token boundaries of the text (spaCy's English tokenizer) and the text they cover has
    an uppercase letter; otherwise, when ``0 <= start <= end < number of tokens``, as the
    tokens ``start..end`` (converted to their character offsets); otherwise it is kept as
    given. On the 9,686-sentence development file this converts 897 of 6,103 spans and
    keeps 10 that fit neither reading (a few dozen converted ones are off by a token or
    two where the original tokenizer split hyphens differently).

    ``verb`` is the first VERB span (two sentences of that file carry two). ``counts``,
    when given, is filled with ``sentences, locations, char, token, kept, extra_verbs``.
    """
    path = Path(path)
    tally = dict.fromkeys(("sentences", "locations", "char", "token", "kept", "extra_verbs"), 0)
    try:
        handle = path.open(encoding="utf-8")
    except OSError as exc:
        raise EventLocationError(path, f"cannot read ({exc.strerror or exc})") from None
    tokenizer = _blank_tokenizer()
    out: list[EventLocationExample] = []
    with handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                out.append(_event_location_example(json.loads(line), tokenizer, tally))
            except (ValueError, KeyError, TypeError) as exc:
                problem = f"not JSON ({exc.msg})" if isinstance(exc, json.JSONDecodeError) else str(exc)
                raise EventLocationError(f"{path}:{number}", problem) from None
    if not out:
        raise EventLocationError(path, "no examples")
    if tally["token"] or tally["kept"]:
        log.info("%s: read %d LOCATION spans as token indices, kept %d that fit no reading",
                 path, tally["token"], tally["kept"])
    if counts is not None:
        counts.update(tally)
    return out


def _event_location_example(row, tokenizer, tally: dict) -> EventLocationExample:
    if not isinstance(row, dict):
        raise ValueError("not a JSON object")
    text = row.get("text")
    spans = row.get("spans")
    if not isinstance(text, str) or not isinstance(spans, list):
        raise ValueError('needs "text" (a string) and "spans" (a list)')
    verbs, places = [], []
    for span in spans:
        if not isinstance(span, dict) or not {"start", "end", "label"} <= span.keys():
            raise ValueError('every span needs "start", "end" and "label"')
        start, end = int(span["start"]), int(span["end"])
        if span["label"] == "VERB":
            if not 0 <= start < end <= len(text):
                raise ValueError(f"VERB span {start}-{end} lies outside the text")
            verbs.append((start, end))
        elif span["label"] == "LOCATION":
            places.append((start, end))
        else:
            raise ValueError(f"unknown span label {span['label']!r} (expected VERB or LOCATION)")
    if not verbs:
        raise ValueError("no VERB span")
    locations = set()
    if places:
        doc = tokenizer(text)
        for start, end in places:
            chars, how = _location_chars(doc, start, end)
            tally[how] += 1
            locations.add(chars)
    tally["sentences"] += 1
    tally["locations"] += len(places)
    tally["extra_verbs"] += len(verbs) - 1
    return EventLocationExample(text, verbs[0], frozenset(locations), str(row.get("source") or ""))


def score_event_locations(gold: Sequence, predicted: Sequence[Iterable[Span]]) -> dict:
    """Score predicted event places against gold, sentence by sentence.

    ``gold`` holds EventLocationExamples (or span collections); ``predicted`` one
    collection of (start, end) spans per sentence. Returns:

    * ``n``: sentences; ``accuracy``: share whose predicted span set equals the gold set
      exactly (an empty prediction for a sentence that names no place is correct);
    * ``precision, recall, f1``: exact spans, micro-averaged over all sentences;
    * ``precision_overlap, recall_overlap, f1_overlap``: a predicted span counts when it
      shares a character with a gold span (each gold span matched once, see match_spans);
    * ``empty_accuracy``: accuracy on the sentences whose gold is empty (said nothing
      where); ``located_accuracy``: on the others; ``n_empty``; ``n_gold_spans``,
      ``n_predicted_spans``.
    """
    if len(gold) != len(predicted):
        raise ValueError(f"{len(predicted)} predictions for {len(gold)} sentences")
    right = right_empty = n_empty = exact = overlap = n_gold = n_pred = 0
    for g, p in zip(gold, predicted):
        gold_set = set(g.locations if isinstance(g, EventLocationExample) else map(tuple, g))
        pred_set = {tuple(s) for s in p}
        same = gold_set == pred_set
        right += same
        if not gold_set:
            n_empty += 1
            right_empty += same
        exact += len(gold_set & pred_set)
        overlap += len(match_spans(sorted(gold_set), sorted(pred_set)))
        n_gold += len(gold_set)
        n_pred += len(pred_set)
    n = len(gold)
    p, r, f = _prf(exact, n_gold, n_pred)
    po, ro, fo = _prf(overlap, n_gold, n_pred)
    return dict(
        n=n, accuracy=right / n if n else None, precision=p, recall=r, f1=f,
        precision_overlap=po, recall_overlap=ro, f1_overlap=fo,
        empty_accuracy=right_empty / n_empty if n_empty else None,
        located_accuracy=(right - right_empty) / (n - n_empty) if n > n_empty else None,
        n_empty=n_empty, n_gold_spans=n_gold, n_predicted_spans=n_pred,
    )


def evaluate_event_locations(
    path: str | Path | Sequence[EventLocationExample],
    finder=None,
    batch_size: int = 64,
    progress: Progress | None = None,
    limit: int | None = None,
) -> dict:
    """Run an event-place finder over an event-location file and score it (score_event_locations).

    ``path`` is a JSONL file (read_event_locations) or already-read examples; ``limit``
    keeps the first so many. ``finder`` defaults to ``geoevents.event_place.EventPlaceFinder()``;
    anything with ``locations_for_texts(items, batch_size)`` taking ``(text, (verb start,
    verb end))`` pairs and returning one span list per pair works. The texts go through
    the finder's spaCy pipeline in batches of ``batch_size``; ``progress`` gets the number
    of sentences done after each batch. Each sentence is given whole (as the Doc), as the
    data are single sentences that spaCy may split.
    """
    examples = read_event_locations(path) if isinstance(path, (str, Path)) else list(path)
    if limit is not None:
        examples = examples[:limit]
    if finder is None:
        from .event_place import EventPlaceFinder

        finder = EventPlaceFinder()
    predicted: list[list[Span]] = []
    for lo in range(0, len(examples), batch_size):
        batch = examples[lo:lo + batch_size]
        predicted += finder.locations_for_texts([(e.text, e.verb) for e in batch], batch_size=batch_size)
        if progress is not None:
            progress(lo + len(batch))
    return score_event_locations(examples, predicted)
