"""Ranking a toponym's candidates with the article's evidence: the chosen place and the confidence in it."""
from __future__ import annotations

import math

from ..gazetteer.place import Place
from .candidates import names_country
from .evidence import ArticleEvidence, OtherPicks, place_kind
from .toponym import Toponym

W_IMPORTANCE = 1.0  # the gazetteer's prior: countries, big cities and populous regions first
W_COUNTRY_NAME = 0.15  # a country named by its own name ("Mexico" the country, not Mexico City)
W_ADMIN_FORM = 0.30  # "Orange County", "Deir ez-Zor province": the name says it is a region
W_COUNTRY = 0.30  # share of the article's country evidence pointing at the candidate's country
W_ADMIN1 = 0.20  # the article names the candidate's province / state
W_CONTAINER = 0.60  # "Mayadin, Syria" / "Alexandria, La.": the name is followed by its container
W_PROXIMITY = 0.20  # the candidate lies near the article's other places
W_CONJUNCT = 0.3  # the names listed with it ("England and Wales") were read as places of the candidate's kind
W_COHERENCE = 0.5  # the article's other names have candidates near this one (see _coherence)
W_LOCAL_COUNTRY = 0.3  # share of the article's other local places (towns, regions) in the candidate's country
W_REGION_SHARE = 0.5  # share of the article's other local places in the candidate's province / state
MATCH_WEIGHTS = {"name": 1.0, "alternate": 0.9, "id": 0.98, "transliteration": 0.8, "fuzzy": 0.7, "part": 0.6}
CONFIDENCE_TEMPERATURE = 0.1


def pick(t: Toponym, evidence: ArticleEvidence, others: OtherPicks | None = None) -> tuple[Place | None, float]:
    """The best candidate for a name and the confidence in it (its share of a softmax over candidates)."""
    if not t.candidates:
        return None, 0.0
    container = evidence.containers.get(t.start)
    admin_form = t.admin_form or t.start in evidence.container_names
    names_a_country = any(names_country(c) for c in t.candidates)
    coherence = evidence.coherence.get(id(t))
    scores = []
    for k, c in enumerate(t.candidates):
        s = MATCH_WEIGHTS.get(c.match, 0.9) + W_IMPORTANCE * c.importance
        if names_country(c):
            s += W_COUNTRY_NAME
        if admin_form and c.feature_class == "A":
            s += W_ADMIN_FORM
        country_level = not (names_a_country and c.feature_class == "P")
        if country_level:
            s += W_COUNTRY * evidence.country_share(c.country_code, exclude=t)
        if c.admin1 and (c.country_code, c.admin1) in evidence.admin1s:
            s += W_ADMIN1
        if container and c.country_code == container[0] and container[1] in (None, c.admin1):
            s += W_CONTAINER
        if others is not None and others.anchors:
            s += W_PROXIMITY * others.proximity(c)
        if others is not None and c.admin1:
            s += W_REGION_SHARE * others.region_share(c.country_code, c.admin1)
        if coherence:
            s += W_COHERENCE * coherence[k]
        if others is not None and others.conjunct_kinds and place_kind(c) in others.conjunct_kinds:
            s += W_CONJUNCT
        if others is not None and others.total and country_level:
            s += W_LOCAL_COUNTRY * others.country_share(c.country_code)
        scores.append(s)
    best = max(range(len(scores)), key=scores.__getitem__)
    top = scores[best]
    weights = [math.exp((s - top) / CONFIDENCE_TEMPERATURE) for s in scores]
    share = 1.0 / sum(weights)
    confidence = share * min(1.0, MATCH_WEIGHTS.get(t.candidates[best].match, 0.9))
    return t.candidates[best], confidence
