"""Ranking a toponym's candidates with the article's evidence: a learned conditional logit over the candidates.

Each candidate is described by features of three kinds: how its name matched and what kind
of place it is (a country, a province, a capital, a town and how many live there, a river);
what the article says for it (the countries it names by name, province or people, the
provinces it names, "Mayadin, Syria" containers, datelines, "the" before the name, how well
the other names' candidates cluster around it); and, in the second reading, where the first
reading placed the article's other names (how near, in which province and country, and what
kind of place the names listed with it turned out to be). A softmax over the candidates of
one name gives each its probability; the best is the name's place and its probability the
confidence. The weights are learned from GeoWebNews and LGL by ``bench/train_ranker.py``
and ship in ``geoevents/data/ranker_weights.json``; none is set by hand.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from ..gazetteer.place import Place
from ..linear import linear_score, read_weights, softmax, weights_json
from .candidates import names_country
from .evidence import AREA_CLASSES, COUNTRY_CUES, ArticleEvidence, OtherPicks, place_kind
from .toponym import Toponym

WEIGHTS_FILE = "ranker_weights.json"  # in geoevents/data/
# Words after a name that say it is a town: "the Hajin village".
_SETTLEMENT_WORDS = frozenset({"city", "town", "village"})
# Distance scales of "near the article's other places", in km: the model weighs each.
PROXIMITY_SCALES_KM = (50.0, 250.0)
# Population thresholds the model may weigh beyond a linear share of log population.
POPULATION_STEPS = (1e3, 1e4, 1e5, 1e6)
# Evidence the model weighs separately for countries, provinces and districts, towns and the rest:
# a container or a nearby place says more of a town than of a country.
_BY_SIZE = ("match=", "coherence", "proximity", "most_populous", "container", "province_named", "others_in")


def kind_of(place: Place) -> str:
    """The kind of place a candidate is, as the ranker tells kinds apart."""
    code, fclass = place.feature_code, place.feature_class
    if place.is_country:
        return "country"
    if code == "CONT":
        return "continent"
    if fclass == "A":
        return {"ADM1": "province", "ADM2": "district"}.get(code, "admin_other")
    if fclass == "P":
        if code == "PPLC":
            return "capital"
        return "admin_seat" if code.startswith("PPLA") else "town"
    return {"H": "water", "L": "area", "T": "terrain", "S": "spot"}.get(fclass, "other")


def _size_group(kind: str) -> str:
    return "country" if kind in ("country", "continent") else "admin" if kind in (
        "province", "district", "admin_other") else "town" if kind in ("capital", "admin_seat", "town") else "other"


def candidate_features(t: Toponym, evidence: ArticleEvidence, others: OtherPicks | None = None
                       ) -> list[dict[str, float]]:
    """The features of each of ``t``'s candidates, in order; ``others`` (the second reading) adds
    where the first reading placed the article's other names."""
    container = evidence.containers.get(t.start)
    # "Deir ez-Zor province" says it is a region; so does "Fife" in "Knockhill, Fife".
    admin_form = t.admin_form or t.start in evidence.container_names
    settlement_word = t.feature_word in _SETTLEMENT_WORDS
    # A name that is a country's own name ("China", "Mexico") means the country unless the
    # text places a town of that name; the country's share of the article does not make it a town.
    names_a_country = any(names_country(c) for c in t.candidates)
    dateline = t.start in evidence.datelines
    after_the = t.start in evidence.after_the
    coherence = evidence.coherence.get(id(t))
    # The most populous candidate of each size: a province's population sums its towns', so
    # towns are compared with towns and regions with regions.
    most_people: dict[str, int] = {}
    for c in t.candidates:
        group = _size_group(kind_of(c))
        most_people[group] = max(most_people.get(group, 0), c.population)
    out = []
    for k, c in enumerate(t.candidates):
        kind = kind_of(c)
        group = _size_group(kind)
        f = {f"match={c.match}": 1.0, f"kind={kind}": 1.0,
             f"population|{group}": min(1.0, math.log10(c.population + 1) / 7)}
        for step in POPULATION_STEPS:
            if c.population >= step:
                f[f"population>={step:g}|{group}"] = 1.0
        if c.population and c.population == most_people[group]:
            f["most_populous"] = 1.0
        if c.source == "curated":
            f["curated"] = 1.0
        if names_country(c):
            f["names_country"] = 1.0
        elif names_a_country:
            f["namesake_of_country"] = 1.0
        if admin_form:
            f[f"admin_form|{c.feature_class}"] = 1.0
        if settlement_word:
            f[f"settlement_word|{c.feature_class}"] = 1.0
        if not (names_a_country and c.feature_class == "P"):
            for cue in COUNTRY_CUES:
                share = evidence.country_share(cue, c.country_code, exclude=t)
                if share:
                    f[f"country_share|{cue}"] = share
                    f[f"country_share|{cue}|{group}"] = share
        if c.admin1 and (c.country_code, c.admin1) in evidence.admin1s:
            f["province_named"] = 1.0
        if container and c.country_code == container[0] and container[1] in (None, c.admin1):
            f["container"] = 1.0
        if dateline:
            f[f"dateline|{c.feature_class}"] = 1.0
        if after_the:
            f[f"after_the|{'area' if c.feature_class in AREA_CLASSES else kind}"] = 1.0
        if coherence and coherence[k]:
            f["coherence"] = coherence[k]
        if others is not None:
            _add_others(f, c, others, country_level=not (names_a_country and c.feature_class == "P"))
        for name in [name for name in f if name.startswith(_BY_SIZE)]:
            f[f"{name}|{group}"] = f[name]
        out.append(f)
    return out


def _add_others(f: dict[str, float], c: Place, others: OtherPicks, country_level: bool) -> None:
    nearest = others.nearest_km(c)
    if nearest is not None:
        for scale in PROXIMITY_SCALES_KM:
            f[f"proximity@{scale:g}km"] = math.exp(-nearest / scale)
    if c.admin1:
        share = others.region_share(c.country_code, c.admin1)
        if share:
            f["others_in_province"] = share
    if country_level:
        share = others.country_share(c.country_code)
        if share:
            f["others_in_country"] = share
    if others.conjunct_kinds and place_kind(c) in others.conjunct_kinds:
        f["listed_with_same_kind"] = 1.0


@dataclass
class Ranker:
    """The learned weights of the two readings, and the choice they make."""

    first: dict[str, float]
    second: dict[str, float]

    def probabilities(self, t: Toponym, evidence: ArticleEvidence, others: OtherPicks | None = None) -> list[float]:
        """Each candidate's probability of being the place ``t`` names."""
        weights = self.first if others is None else self.second
        return softmax([linear_score(weights, f) for f in candidate_features(t, evidence, others)])

    def pick(self, t: Toponym, evidence: ArticleEvidence, others: OtherPicks | None = None
             ) -> tuple[Place | None, float]:
        """The most probable candidate and its probability; (None, 0) when there is none."""
        if not t.candidates:
            return None, 0.0
        p = self.probabilities(t, evidence, others)
        best = max(range(len(p)), key=p.__getitem__)
        return t.candidates[best], p[best]

    @classmethod
    def load(cls, path: str | Path | None = None) -> Ranker:
        """The ranker in ``path``, by default the one that ships with geoevents."""
        data = read_weights(WEIGHTS_FILE, path)
        return cls(first={k: float(v) for k, v in data["first"].items()}, second=data["weights"])

    def to_json(self, **meta) -> str:
        return weights_json(self.second, **meta, first={k: round(v, 4) for k, v in sorted(self.first.items())})
