"""``Geoparser``: find the place names in texts and resolve each in the context of its article.

The steps, each in its own module: ``recognise`` finds the names in a spaCy doc;
``candidates`` looks each up in the gazetteer; ``evidence`` reads what the whole article
says about where it is; ``rank``, a model learned from annotated news, picks each name's
place from its candidates with that evidence, in two readings (the second also weighs where
the first placed the other names).
"""
from __future__ import annotations

import copy
from collections.abc import Iterable, Sequence
from functools import lru_cache

from ..gazetteer.geocoder import Gazetteer
from ..gazetteer.packages import country_name, iso2_of
from ..gazetteer.place import Place
from ..nlp import doc_text, has_ner, load_pipeline, original, parse_texts
from .candidates import CandidateFinder, regions_named, without_namesake_provinces
from .evidence import AREA_CLASSES, ArticleEvidence, OtherPicks, coherence, feature_word, other_picks
from .rank import Ranker
from .recognise import Recogniser
from .toponym import Toponym

# A place farther than this from every other place an article names, in a country the article
# gives no evidence for, needs the text itself to place the name there.
FAR_KM = 1000.0


class Geoparser:
    """A spaCy pipeline and a gazetteer, loaded once, that geoparse texts in batches."""

    def __init__(self, gazetteer: Gazetteer | None = None, model: str | None = None, nlp=None,
                 ranker: Ranker | None = None, focus: Iterable[str] | str | None = None):
        self.gazetteer = gazetteer or Gazetteer()
        self.nlp = nlp or load_pipeline(model)
        self.ranker = ranker or _default_ranker()
        # The analyst's countries of interest: a prior on resolution, as if each article named them.
        self.focus = focus_countries(focus)
        self.recogniser = Recogniser(self.gazetteer, ner=has_ner(self.nlp))
        self.candidate_finder = CandidateFinder(self.gazetteer)

    def with_focus(self, focus: Iterable[str] | str | None) -> Geoparser:
        """This geoparser (the same pipeline, gazetteer and ranker) with another focus."""
        other = copy.copy(self)
        other.focus = focus_countries(focus)
        return other

    def geoparse(self, text: str) -> list[Toponym]:
        return self.geoparse_many([text])[0]

    def geoparse_many(self, texts: Iterable[str], batch_size: int = 32, n_process: int = 1) -> list[list[Toponym]]:
        """The place names of each text, with offsets into (and names quoted from) the text as given."""
        return [[t for doc in pieces for t in in_original(doc, self.toponyms(doc))]
                for pieces in parse_texts(self.nlp, texts, batch_size=batch_size, n_process=n_process)]

    def resolve_spans_many(self, items: Sequence[tuple[str, Sequence[tuple[int, int]]]],
                           batch_size: int = 32) -> list[list[Toponym]]:
        """Resolve given spans (gold toponyms) in their texts: resolution without recognition."""
        parsed = parse_texts(self.nlp, (text for text, _ in items), batch_size=batch_size)
        out = []
        for pieces, (_, spans) in zip(parsed, items):
            resolved = []
            for doc in pieces:
                found = self.recognise(doc)
                text, source = doc_text(doc), original(doc)
                clean_spans = (source.to_clean(*span) for span in spans)
                given = [Toponym(text[s:e], s, e, "GOLD") for s, e in clean_spans if 0 <= s < e <= len(text)]
                context = [t for t in found if not any(t.start < g.end and g.start < t.end for g in given)]
                self.resolve(doc, given + context)
                resolved += in_original(doc, given)
            out.append(resolved)
        return out

    def toponyms(self, doc) -> list[Toponym]:
        """The place names of a parsed doc, each resolved in the context of the whole doc."""
        found = self.recognise(doc)
        self.resolve(doc, found)
        return found

    def recognise(self, doc) -> list[Toponym]:
        """The place names in a parsed doc, unresolved (``resolved`` is None): recognition alone."""
        return self.recogniser.recognise(doc)

    def resolve(self, doc, toponyms: list[Toponym]) -> None:
        """Set each toponym's candidates, resolved place and confidence, with the evidence of the whole doc."""
        self.choose(doc, toponyms, self.prepare(doc, toponyms))

    def choose(self, doc, toponyms: list[Toponym], evidence: ArticleEvidence) -> None:
        """Set each prepared toponym's resolved place and confidence with the ranker."""
        # Two readings: the first picks with what the article says of each candidate; the
        # second also weighs where the first placed the article's other names.
        picks = [self.ranker.pick(t, evidence)[0] for t in toponyms]
        others = other_picks(doc, toponyms, picks)
        for t in toponyms:
            t.resolved, t.confidence = self.ranker.pick(t, evidence, others[id(t)])
            if t.resolved is not None and t.resolved.match == "fuzzy":
                # A guessed spelling ("Resafa" ~ Resen) stands only in a country the article is about.
                cc = t.resolved.country_code
                if not (others[id(t)].countries[cc] or evidence.names_country(cc, exclude=t)):
                    t.resolved, t.confidence = None, 0.0
            if t.resolved is not None and needs_grounds(t.resolved) and \
                    not grounded(t, t.resolved, evidence, others[id(t)]):
                # A namesake far away ("Palmyra" in Pennsylvania in a story from Homs) yields to a
                # candidate the article supports; with none, the pick stands, flagged for the analyst.
                p = self.ranker.probabilities(t, evidence, others[id(t)])
                backed = [(q, c) for q, c in zip(p, t.candidates) if grounded(t, c, evidence, others[id(t)])]
                if backed:
                    t.confidence, t.resolved = max(backed, key=lambda qc: qc[0])
                else:
                    t.far_from_others = True

    def prepare(self, doc, toponyms: list[Toponym]) -> ArticleEvidence:
        """Set each toponym's feature word and candidates; the article's evidence for ranking them."""
        text = doc_text(doc)
        for t in toponyms:
            t.feature_word = feature_word(text, t)
            t.candidates = self.candidate_finder.candidates(t)
        evidence = ArticleEvidence.collect(doc, toponyms, self.gazetteer, self.focus)
        for t in toponyms:
            if t.start in evidence.container_names:
                # What a place is written in is a region or a country: "Fife" in "Knockhill, Fife".
                t.candidates = [c for c in t.candidates if c.feature_class == "A"] or t.candidates
            elif t.admin_type:
                # The text says the name is a region: "Idlib province", "Rapides Parish".
                t.candidates = regions_named(t.candidates) or t.candidates
            else:
                t.candidates = without_namesake_provinces(t.candidates, self.gazetteer)
            if t.start in evidence.datelines and any(c.feature_class == "P" for c in t.candidates):
                # A story is filed from a town: "WASHINGTON (AP) —" is the capital, not a county.
                t.candidates = [c for c in t.candidates if c.feature_class == "P"]
            if t.start in evidence.after_the and any(c.feature_class in AREA_CLASSES for c in t.candidates):
                # Seas, regions and rivers take "the", towns and counties seldom do: "the Atlantic"
                # is neither Atlantic, Iowa nor Atlantic County.
                t.candidates = [c for c in t.candidates if c.feature_class in AREA_CLASSES or c.is_country]
        evidence.coherence = coherence(toponyms)
        return evidence


def needs_grounds(place: Place) -> bool:
    """Towns and districts: namesakes abound. Countries, provinces, capitals, seas and mountains
    are known by name the world over."""
    return not place.is_country and place.feature_class in ("P", "A") and place.feature_code not in ("PPLC", "ADM1")


def grounded(t: Toponym, place: Place, evidence: ArticleEvidence, others: OtherPicks) -> bool:
    """Whether the article gives any ground for ``place``: its country named (or in focus), other
    places in it, other places or a named country within ``FAR_KM``, or the text placing the name
    there (a dateline, a container, a province it names, "X province")."""
    cc = place.country_code
    if evidence.names_country(cc, exclude=t) or others.countries[cc]:
        return True
    distances = [d for d in (others.nearest_km(place), evidence.nearest_country_km(place)) if d is not None]
    if not distances or min(distances) <= FAR_KM:
        return True
    container = evidence.containers.get(t.start)
    return t.start in evidence.datelines or t.admin_type or (container is not None and container[0] == cc) \
        or (cc, place.admin1) in evidence.admin1s


def focus_countries(focus: Iterable[str] | str | None) -> frozenset[str]:
    """ISO2 codes from "SY,IQ", ["SY", "IQ"] or ISO3 codes; ValueError naming an unknown code."""
    if not focus:
        return frozenset()
    codes = focus.split(",") if isinstance(focus, str) else list(focus)
    out = set()
    for given in (c.strip() for c in codes if c.strip()):
        code = given.upper()
        iso2 = code if len(code) == 2 and country_name(code) != code else iso2_of(code)
        if iso2 is None:
            raise ValueError(f"focus: {given!r} is not an ISO country code (e.g. SY, IQ or SYR)")
        out.add(iso2)
    return frozenset(out)


@lru_cache(maxsize=1)
def _default_ranker() -> Ranker:
    return Ranker.load()


def in_original(doc, toponyms: list[Toponym]) -> list[Toponym]:
    """The toponyms with their offsets and names moved from the parsed doc to the text as given."""
    source = original(doc)
    if source.changed:
        for t in toponyms:
            t.start, t.end = source.to_original(t.start, t.end)
            t.text = source.original[t.start:t.end]
    return toponyms


_default: Geoparser | None = None


def default_geoparser(model: str | None = None) -> Geoparser:
    """The process-wide geoparser (models and gazetteer loaded once per process)."""
    global _default
    if _default is None or (model and _default.nlp.meta.get("name") not in (model, model.replace("en_", ""))):
        _default = Geoparser(model=model)
    return _default


def geoparse(text: str, model: str | None = None, focus: Iterable[str] | str | None = None) -> list[Toponym]:
    """Find the place names in ``text`` and resolve each in the context of the whole text.

    ``focus`` ("SY,IQ" or ["SY", "IQ"]): the countries the analyst works on, a prior on
    resolution (as if the text named them), not a filter."""
    return default_geoparser(model).with_focus(focus).geoparse(text)


def geoparse_many(texts: Iterable[str], batch_size: int = 32, n_process: int = 1,
                  model: str | None = None, focus: Iterable[str] | str | None = None) -> list[list[Toponym]]:
    """``geoparse`` over many texts, batched through spaCy's ``nlp.pipe``; one list per text."""
    return default_geoparser(model).with_focus(focus).geoparse_many(texts, batch_size=batch_size,
                                                                    n_process=n_process)
