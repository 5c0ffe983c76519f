"""``Geoparser``: find the place names in texts and resolve each in the context of its article.

The steps, each in its own module: ``recognise`` finds the names in a spaCy doc;
``candidates`` looks each up in the gazetteer; ``evidence`` reads what the whole article
says about where it is; ``rank``, a model learned from annotated news, picks each name's
place from its candidates with that evidence, in two readings (the second also weighs where
the first placed the other names).
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache

from ..gazetteer.geocoder import Gazetteer
from ..nlp import doc_text, has_ner, load_pipeline
from .candidates import CandidateFinder, regions_named, without_namesake_provinces
from .evidence import AREA_CLASSES, ArticleEvidence, coherence, feature_word, other_picks
from .rank import Ranker
from .recognise import Recogniser
from .toponym import Toponym


class Geoparser:
    """A spaCy pipeline and a gazetteer, loaded once, that geoparse texts in batches."""

    def __init__(self, gazetteer: Gazetteer | None = None, model: str | None = None, nlp=None,
                 ranker: Ranker | None = None):
        self.gazetteer = gazetteer or Gazetteer()
        self.nlp = nlp or load_pipeline(model)
        self.ranker = ranker or _default_ranker()
        self.recogniser = Recogniser(self.gazetteer, ner=has_ner(self.nlp))
        self.candidate_finder = CandidateFinder(self.gazetteer)

    def geoparse(self, text: str) -> list[Toponym]:
        return self.geoparse_many([text])[0]

    def geoparse_many(self, texts: Iterable[str], batch_size: int = 32, n_process: int = 1) -> list[list[Toponym]]:
        return [self.toponyms(doc) for doc in self.nlp.pipe(_as_texts(texts), batch_size=batch_size,
                                                             n_process=n_process)]

    def resolve_spans_many(self, items: Sequence[tuple[str, Sequence[tuple[int, int]]]],
                           batch_size: int = 32) -> list[list[Toponym]]:
        """Resolve given spans (gold toponyms) in their texts: resolution without recognition."""
        docs = self.nlp.pipe((text for text, _ in items), batch_size=batch_size)
        out = []
        for doc, (_, spans) in zip(docs, items):
            found = self.recognise(doc)
            text = doc_text(doc)
            given = [Toponym(text[s:e], s, e, "GOLD") for s, e in spans]
            context = [t for t in found if not any(t.start < g.end and g.start < t.end for g in given)]
            self.resolve(doc, given + context)
            out.append(given)
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

    def prepare(self, doc, toponyms: list[Toponym]) -> ArticleEvidence:
        """Set each toponym's feature word and candidates; the article's evidence for ranking them."""
        text = doc_text(doc)
        for t in toponyms:
            t.feature_word = feature_word(text, t)
            t.candidates = self.candidate_finder.candidates(t)
        evidence = ArticleEvidence.collect(doc, toponyms, self.gazetteer)
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


@lru_cache(maxsize=1)
def _default_ranker() -> Ranker:
    return Ranker.load()


def _as_texts(texts: Iterable[str]) -> Iterable[str]:
    for text in texts:
        yield text if isinstance(text, str) else ""


_default: Geoparser | None = None


def default_geoparser(model: str | None = None) -> Geoparser:
    """The process-wide geoparser (models and gazetteer loaded once per process)."""
    global _default
    if _default is None or (model and _default.nlp.meta.get("name") not in (model, model.replace("en_", ""))):
        _default = Geoparser(model=model)
    return _default


def geoparse(text: str, model: str | None = None) -> list[Toponym]:
    """Find the place names in ``text`` and resolve each in the context of the whole text."""
    return default_geoparser(model).geoparse(text)


def geoparse_many(texts: Iterable[str], batch_size: int = 32, n_process: int = 1,
                  model: str | None = None) -> list[list[Toponym]]:
    """``geoparse`` over many texts, batched through spaCy's ``nlp.pipe``; one list per text."""
    return default_geoparser(model).geoparse_many(texts, batch_size=batch_size, n_process=n_process)
