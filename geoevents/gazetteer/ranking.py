"""The gazetteer's own order of a name's places, before any context: a place's importance and a match's worth.

This orders ``Gazetteer.geocode`` and ``candidates`` answers, picks which of a name's places
the geoparser considers (the first 25), and tells recognition whether a capitalised word
names a place important enough to count without a cue ("Aleppo" alone). It is not the
geoparser's choice among the candidates: that is the learned ranker (``geoparsing.rank``).
"""
from __future__ import annotations

import math

KIND_NAME, KIND_ALTERNATE, KIND_SKELETON = 0, 1, 2  # how a name matched its place, strongest first

# How much each kind of name match is worth; a fuzzy match scales it by 0.9 times its similarity.
# GeoNames often keeps the local form as the name and the English one ("Palmyra" for Tadmur)
# as an alternate, so the two are worth nearly the same.
MATCH_SCORES = {KIND_NAME: 1.0, KIND_ALTERNATE: 0.98, KIND_SKELETON: 0.85}
MATCH_LABELS = {KIND_NAME: "name", KIND_ALTERNATE: "alternate", KIND_SKELETON: "transliteration"}
FUZZY_DISCOUNT = 0.9
IMPORTANCE_WEIGHT = 0.5


def importance(feature_class: str, feature_code: str, population: int, source: str) -> float:
    """Prior weight of a place in [0, 1] before any context: countries over regions over towns.

    A city outweighs the province named after it ("Aleppo", "Deir ez-Zor"), as it does in
    news; the geoparser overrides this with context such as "Aleppo province".
    """
    if feature_code.startswith("PCL"):
        return 1.0
    if feature_code == "CONT":
        return 0.9
    size = 0.1 * math.log10(population + 1) if population > 0 else 0.0  # most places have none
    # A region's population is the sum of its towns; half weight keeps a city above the
    # province named after it.
    if feature_code == "ADM1":
        return 0.4 + size / 2
    if feature_code == "ADM2":
        return 0.3 + size / 2
    if feature_code.startswith("ADM"):
        return 0.25 + size / 2
    if feature_class == "P":
        return min(0.95, 0.2 + size + (0.1 if feature_code == "PPLC" else 0.0))
    if source == "curated":
        return 0.8  # rivers, valleys and districts the project added because the news names them
    return min(0.9, 0.35 + size)


def match_score(match: float, place_importance: float) -> float:
    """Score in [0, 1] of a candidate: the name match, then the place's importance."""
    return (match + IMPORTANCE_WEIGHT * place_importance) / (1 + IMPORTANCE_WEIGHT)
