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

import logging
import xml.etree.ElementTree as ET
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Sequence

from ..distance import great_circle_km
from ..errors import InputError
from ..gazetteer.demonyms import is_adjective_of_place
from .metrics import Span, _prf, match_spans, resolution_scores

log = logging.getLogger(__name__)
GWN = "gwn"
LGL = "lgl"

# GeoWebNews types that denote a place, i.e. the "literal" half of the Pragmatic Taxonomy
# of Toponyms (Gritta et al. 2019, Table 1). The associative types (Metonymic, Demonym,
# Language, Non_Literal_Modifier, Embedded_Non_Lit, Homonym) and the non-toponym labels
# (Non_Toponym, Literal_Expression, Non_Lit_Expression) are left out.
# How far a gold span's offsets may be from its name and still be realigned to it.
MAX_SHIFT = 20
GWN_LITERAL_TYPES = frozenset(
    {"Literal", "Literal_Modifier", "Mixed", "Coercion", "Embedded_Literal"}
)


class CorpusError(InputError):
    """A gold corpus file is missing, not well-formed XML, or not GWN/LGL-shaped (one line naming it)."""


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


def read_corpus(path: str | Path, counts: dict | None = None) -> list[GoldArticle]:
    """Read a GeoWebNews or LGL/TR-News XML file, detecting which from its structure.

    A toponym whose ``start``/``end`` do not hold its annotated name is realigned to the
    nearest occurrence of the name within ``MAX_SHIFT`` characters (some corpora have
    offsets shifted by a character or two), else dropped; both are counted in a logged
    warning and in ``counts`` (``toponyms``, ``realigned``, ``dropped``) when given.
    GeoWebNews has five spans to drop (articles 123 and 255), with negative offsets that
    point into a version of the text the file lacks. Raises CorpusError for an unreadable,
    malformed or non-corpus file.
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
    out, dropped, moved = [], 0, 0
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
                moved += top.start != _required_int(elem, "start")
                toponyms.append(top)
        art_id = art.get("file") if fmt == GWN else art.get("docid")
        out.append(GoldArticle(
            id=art_id if art_id is not None else str(number),
            title=(art.findtext("title") or "").strip(),
            text=text,
            toponyms=toponyms,
            format=fmt,
        ))
    if moved:
        log.warning("%s: realigned %d toponyms whose offsets were off by up to %d characters to their names",
                    path, moved, MAX_SHIFT)
    if dropped:
        log.warning("%s: dropped %d toponyms whose name is nowhere near their offsets", path, dropped)
    if counts is not None:
        counts.update(toponyms=sum(len(a.toponyms) for a in out), realigned=moved, dropped=dropped)
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


def aligned_span(text: str, start: int, end: int, name: str) -> tuple[int, int] | None:
    """The span of ``name`` in ``text``: (start, end) as given when they hold the name, else the
    occurrence of the name nearest ``start`` within ``MAX_SHIFT`` characters (some published
    corpora, TR-News and GeoVirus among them, have offsets off by a character or two), else None."""
    if 0 <= start < end <= len(text) and text[start:end] == name:
        return start, end
    if not name:
        return None
    lo, hi = max(0, start - MAX_SHIFT), min(len(text), max(0, end) + MAX_SHIFT)
    found = [i for i in range(lo, hi - len(name) + 1) if text.startswith(name, i)]
    if not found:
        return None
    best = min(found, key=lambda i: abs(i - start))
    return best, best + len(name)


def _read_gwn_toponym(elem: ET.Element, text: str) -> GoldToponym | None:
    name = elem.findtext("extractedName") or ""
    span = aligned_span(text, _required_int(elem, "start"), _required_int(elem, "end"), name)
    if span is None:
        return None
    start, end = span
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
    name = elem.findtext("phrase") or ""
    span = aligned_span(text, _required_int(elem, "start"), _required_int(elem, "end"), name)
    if span is None:
        return None
    start, end = span
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
