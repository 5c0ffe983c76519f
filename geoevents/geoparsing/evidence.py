"""What a whole article says about where its places are: the evidence each toponym's candidates are ranked by.

Before any name is resolved: the countries the article names (by name, by province, by
demonym), the provinces and states it names, "Mayadin, Syria" and "Alexandria, La."
containers, datelines, names written after "the", and how well the other names'
candidates cluster around each candidate (coherence). After a first reading: where the
other names were placed (proximity, shares of their countries and provinces) and what
kind of place the names listed with it turned out to be ("England and Wales").
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from ..distance import great_circle_km, great_circle_km_array
from ..gazetteer.demonyms import demonym_country
from ..gazetteer.geocoder import Gazetteer
from ..gazetteer.names import fold
from ..gazetteer.place import Place
from ..nlp import doc_text, has_entities
from ..text.datelines import dateline_matches, dateline_places
from .names import FEATURE_WORD_AFTER, region_abbreviations, us_state_abbreviation
from .toponym import Toponym

# The closeness scale of coherence: other names' candidates within about this distance support a candidate.
COHERENCE_KM = 100.0
# Shares of the article's other local places count one imaginary place elsewhere, so a
# lone "Houston, Texas" in a trade story does not make "China" a Texas town.
LOCAL_PSEUDO_COUNT = 1
# GeoNames classes of waters, regions and mountains: what takes "the" ("the Atlantic").
AREA_CLASSES = ("H", "L", "T")

# A capitalised word after a name: the name is part of a longer one ("the Washington Post").
_NAME_GOES_ON = re.compile(r"[’']?s?\s+[A-Z0-9]")
# More names after a name: the names are a list ("Miami, New York and Boston").
_LIST_GOES_ON = re.compile(r",? (?:and |or |& )?[A-Z]")
# What may follow a name as its container: ", Syria", ", La.", ", Deir ez-Zor province".
_CONTAINER = re.compile(r"^,\s*((?:[A-Z][\w’'.-]*\.?)(?:\s+[A-Z][\w’'.-]*\.?){0,3})")


# How an article names a country: by its name ("Syria"), by one of its provinces ("Idlib
# province"), or by its people ("Syrian"). Each is its own piece of evidence, weighed by the ranker.
COUNTRY_CUES = ("name", "province", "demonym")


@dataclass
class ArticleEvidence:
    """What the whole article says about where it is, gathered once before any name is resolved."""

    # cue -> country code -> mentions: the countries the article names, by name, province or demonym
    countries: dict[str, Counter]
    admin1s: set  # (country code, admin-1 name) of the provinces and states the article names
    containers: dict  # toponym start -> (country code, admin-1 name or None) written after it
    container_names: set  # starts of the toponyms that are such containers ("Fife" in "Knockhill, Fife")
    # name -> cue -> the country mentions of all its mentions: a name never counts for itself, nor do
    # its other mentions, so three "Georgia"s in a US article do not make each other a country.
    own_mentions: dict
    datelines: set = field(default_factory=set)  # starts of the toponyms a dateline names
    after_the: set = field(default_factory=set)  # starts of the toponyms written after "the" ("the Atlantic")
    # id(toponym) -> coherence of each of its candidates, set once the candidates are final
    coherence: dict = field(default_factory=dict)
    focus: frozenset = frozenset()  # the analyst's countries of interest (ISO2), read as named once each
    gazetteer: Gazetteer | None = None

    def nearest_country_km(self, place: Place) -> float | None:
        """The distance to the nearest point of a country the article names (or focuses on); None when none."""
        named = sorted({code for counts in self.countries.values() for code, n in counts.items() if n > 0})
        points = [p for p in map(self.gazetteer.country_place, named) if p is not None] if self.gazetteer else []
        if not points:
            return None
        return min(great_circle_km(place.latitude, place.longitude, p.latitude, p.longitude) for p in points)

    def country_share(self, cue: str, country_code: str, exclude: Toponym) -> float:
        """Share of the article's mentions of countries by ``cue`` that point at this country,
        leaving out every mention of the name ``exclude`` bears."""
        own = self.own_mentions.get(fold(exclude.text), {}).get(cue, Counter())
        counts = self.countries[cue]
        total = sum(counts.values()) - sum(own.values())
        if total <= 0:
            return 0.0
        return (counts[country_code] - own[country_code]) / total

    def names_country(self, country_code: str, exclude: Toponym) -> bool:
        """Whether the article names this country in any way, besides the name ``exclude`` bears."""
        return any(self.country_share(cue, country_code, exclude) > 0 for cue in COUNTRY_CUES)

    @classmethod
    def collect(cls, doc, toponyms: list[Toponym], gazetteer: Gazetteer, focus: frozenset = frozenset()
                ) -> ArticleEvidence:
        countries: dict[str, Counter] = {cue: Counter() for cue in COUNTRY_CUES}
        # A focus is a prior, not a filter: as if the article named each of its countries once.
        countries["name"].update(focus)
        admin1s: set = set()
        own: dict = {}
        for t in toponyms:
            if not t.candidates or t.metonymic and t.label != "GOLD":
                continue
            top = t.candidates[0]  # the gazetteer's own first reading of the name
            if top.is_country:
                cue = "name"
            elif top.feature_code == "ADM1" and top.match != "fuzzy":  # a guessed spelling names nothing
                cue = "province"
                admin1s.add((top.country_code, top.name))
                admin1s.add((top.country_code, top.admin1))
            else:
                continue
            countries[cue][top.country_code] += 1
            own.setdefault(fold(t.text), {}).setdefault(cue, Counter())[top.country_code] += 1
        if has_entities(doc):
            for ent in doc.ents:
                if ent.label_ == "NORP" and (code := demonym_country(ent.text)):
                    countries["demonym"][code] += 1
        containers = {}
        container_names = set()
        text = doc_text(doc)
        ends = {t.start: t.end for t in toponyms}
        for t in toponyms:
            container = container_of(text, t.end, gazetteer)
            after = ends.get(t.end + 2)
            # "Stops in Miami, New York and Boston" is a list, not a town and its state.
            if container and not (after is not None and _LIST_GOES_ON.match(text, after)):
                containers[t.start] = container
                if after is not None:
                    container_names.add(t.end + 2)
        datelines = {start for m in dateline_matches(text) for _, start in dateline_places(m)}
        after = {t.start for t in toponyms if written_after_the(text, t)}
        return cls(countries, admin1s, containers, container_names, own, datelines, after, focus=focus,
                   gazetteer=gazetteer)


@dataclass
class OtherPicks:
    """Where a first reading placed the article's other names: what the second reading weighs each candidate by."""

    anchors: list  # (lat, lon) of the other names' places
    regions: Counter  # (country code, admin-1 name) -> how many of them lie there
    countries: Counter  # country code -> how many of them lie there
    total: int
    conjunct_kinds: set  # kinds of place ("country", "region") the names listed with this one were read as

    def region_share(self, country_code: str, admin1: str) -> float:
        """Share of the other local places that lie in this province or state."""
        return self.regions[(country_code, admin1)] / (self.total + LOCAL_PSEUDO_COUNT) if self.total else 0.0

    def country_share(self, country_code: str) -> float:
        """Share of the other local places that lie in this country."""
        return self.countries[country_code] / (self.total + LOCAL_PSEUDO_COUNT) if self.total else 0.0

    def nearest_km(self, place: Place) -> float | None:
        """The distance to the nearest of the other places; None when there are none."""
        if not self.anchors:
            return None
        return min(great_circle_km(place.latitude, place.longitude, lat, lon) for lat, lon in self.anchors)


def other_picks(doc, toponyms: list[Toponym], picks: list[Place | None]) -> dict[int, OtherPicks]:
    """For each toponym (by id), where a first reading placed the article's other names.

    Each name is judged against the picks for the article's other names, never its own:
    three mentions of "Paris" must not vote each other into France. Countries and continents
    are not local places.
    """
    kinds = conjunct_kinds(doc, toponyms, picks)
    local = [(fold(t.text), p) for t, p in zip(toponyms, picks) if p is not None and not p.is_country
             and p.feature_code != "CONT"]
    out = {}
    for t in toponyms:
        name = fold(t.text)
        others = [p for other, p in local if other != name]
        out[id(t)] = OtherPicks(
            anchors=[(p.latitude, p.longitude) for p in others],
            regions=Counter((p.country_code, p.admin1) for p in others if p.admin1),
            countries=Counter(p.country_code for p in others),
            total=len(others),
            conjunct_kinds=kinds.get(id(t), set()))
    return out


def container_of(text: str, end: int, gazetteer: Gazetteer) -> tuple[str, str | None] | None:
    """(country code, admin-1 name or None) of the place written right after a name: "Mayadin, Syria".

    None when the name is not followed by ", <a country, a state, a province or a county>".
    """
    match = _CONTAINER.match(text[end:end + 40])
    if not match:
        return None
    words = match.group(1).split()
    # Try the longest prefix first: "Deir ez-Zor province" before "Deir".
    for n in range(len(words), 0, -1):
        name = " ".join(words[:n])
        key = fold(name)
        regions = region_abbreviations(name)
        if regions:
            return regions[0]  # "Alexandria, La.", "Nelson, B.C."; "WA" after a name is Washington first
        state = us_state_abbreviation(key)
        if state and (n > 1 or len(key) > 2):
            return "US", state  # "Fresno, Calif"
        for place in gazetteer.places(name.rstrip("."), feature_class="A", limit=3, fuzzy=False):
            if place.is_country:
                return place.country_code, None
            if place.feature_code == "ADM1" and place.match != "transliteration":
                return place.country_code, place.name
            if place.feature_code == "ADM2" and place.match == "name":
                return place.country_code, place.admin1 or None  # "Knockhill, Fife": Scotland
    return None


def feature_word(text: str, t: Toponym) -> str | None:
    """The lower-case word after a name that says what kind of place it is: "province" in "Idlib province"."""
    word = FEATURE_WORD_AFTER.match(text, t.end)
    return word.group(1) if word else None


def written_after_the(text: str, t: Toponym) -> bool:
    """The name is written after "the" ("the Atlantic"), and is not the start of a longer
    name there ("the Washington Post")."""
    return text[max(0, t.start - 4):t.start].lower() == "the " and not _NAME_GOES_ON.match(text, t.end)


def place_kind(place: Place) -> str | None:
    """Country or state / province: the kinds of place a list keeps to. Towns do not count,
    as a town is the usual misreading of a state ("California or Washington")."""
    if place.is_country:
        return "country"
    return "region" if place.feature_code == "ADM1" else None


def conjunct_kinds(doc, toponyms: list[Toponym], picks: list[Place | None]) -> dict[int, set[str]]:
    """For each name, the kinds of place the names coordinated with it were read as.

    "England and Wales" and "states such as California or Washington" list places of one
    kind, so Wales is the region rather than a village in England.
    """
    if not doc.has_annotation("DEP"):
        return {}
    owner: dict[int, int] = {}
    spans = []
    for i, t in enumerate(toponyms):
        span = doc.char_span(t.start, t.end, alignment_mode="expand")
        spans.append(span)
        if span is not None:
            owner.update((token.i, i) for token in span)
    kinds: dict[int, set[str]] = {}
    for i, (t, span) in enumerate(zip(toponyms, spans)):
        if span is None:
            continue
        for token in span.root.conjuncts:
            j = owner.get(token.i)
            if j is None or j == i or picks[j] is None or fold(toponyms[j].text) == fold(t.text):
                continue
            kind = place_kind(picks[j])
            if kind:
                kinds.setdefault(id(t), set()).add(kind)
    return kinds


def coherence(toponyms: list[Toponym]) -> dict[int, list[float]]:
    """For every candidate, how well the article's other names can be placed near it.

    For each other name, the best of its candidates counts, weighted by that candidate's
    importance and by closeness (exp(-km / COHERENCE_KM)); the mean over the other names is
    the candidate's coherence in [0, 1]. Athens and Henderson County in one article are
    then Athens, Texas and Henderson County, Texas, a few kilometres apart, rather than
    Athens, Greece. Countries and continents neither give nor get support.
    """
    rows = []  # (toponym index, candidate index, name group, lat, lon, weight)
    groups: dict[str, int] = {}
    for i, t in enumerate(toponyms):
        group = groups.setdefault(fold(t.text), len(groups))
        for k, c in enumerate(t.candidates):
            if not (c.is_country or c.feature_code == "CONT"):
                rows.append((i, k, group, c.latitude, c.longitude, c.importance))
    out = {id(t): [0.0] * len(t.candidates) for t in toponyms}
    # Only names with local candidates take part (a country-only name gives no support).
    present = {g: n for n, g in enumerate(sorted({r[2] for r in rows}))}
    n_groups = len(present)
    if n_groups < 2:
        return out
    data = np.array([r[3:] for r in rows], dtype=float)
    group_of = np.array([present[r[2]] for r in rows])
    km = great_circle_km_array(data[:, 0, None], data[:, 1, None], data[None, :, 0], data[None, :, 1])
    support = np.exp(-km / COHERENCE_KM) * data[None, :, 2]
    # Best support from each name group, for every candidate.
    best = np.zeros((len(rows), n_groups))
    for g in range(n_groups):
        cols = group_of == g
        best[:, g] = support[:, cols].max(axis=1)
    best[np.arange(len(rows)), group_of] = 0.0  # a name never supports itself
    scores = best.sum(axis=1) / (n_groups - 1)
    for (i, k, *_), value in zip(rows, scores):
        out[id(toponyms[i])][k] = float(value)
    return out
