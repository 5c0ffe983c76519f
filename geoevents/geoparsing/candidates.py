"""The gazetteer places a toponym may name: its candidates, before the article's evidence ranks them.

A name's own gazetteer entries, read as news means them: a demonym given as a place is its
country ("Iraqi") or region ("Texan"); "W.Va.", "B.C." and "NSW" are states and provinces;
"Mexico" is the country, not Mexico City; "Idlib province" the province. A name the
gazetteer does not know may name a place inside it ("University of California", "US
Federal Reserve"); a misspelt one may be a near spelling of a known place.
"""
from __future__ import annotations

import dataclasses

from .. import lexicon
from ..gazetteer.demonyms import REGION_ADJECTIVES, demonym_country, demonym_region
from ..gazetteer.geocoder import Gazetteer
from ..gazetteer.names import COMMON_WORDS, fold
from ..gazetteer.place import Place
from .names import ADMIN_SUFFIXES, BUILDING_HEAD, MISSION_HEAD, NOT_PLACE_LABELS, POSSESSIVES, SETTLEMENT_WORDS, \
    STREET_HEAD, region_abbreviations
from .toponym import Toponym

CANDIDATES_PER_NAME = 25
# A name the NER did not call a place is read as the important place inside it, or not at all:
# "Mosul University Hospital" stands in Mosul, but "Karl Bremer Hospital" not in a village called Karl.
IMPORTANT_PART = 0.5
# Words that head the name of an organisation or a building named after a place: "University
# of California", "Bank of England", "US Federal Reserve" are scored at the place.
INSTITUTION_HEADS = lexicon.words("institution_heads")


class CandidateFinder:
    """Candidate places for toponyms, from one gazetteer."""

    def __init__(self, gazetteer: Gazetteer):
        self.gazetteer = gazetteer

    def candidates(self, t: Toponym) -> list[Place]:
        """The places ``t`` may name, the gazetteer's best first; [] for a numbered road or an unknown name."""
        name = t.text
        if t.label == "ROAD":
            return []  # numbered roads are not in the gazetteer, and "M4" is no town
        country = demonym_country(name)
        if country:
            # "Iraqi", "British": as a toponym, a demonym stands for its country ("English": England).
            region = demonym_region(name)
            place = self.gazetteer.country_place(country)
            regional = self.the_one(region, "ADM1", country=country, feature_class="A") if region else []
            return regional or ([place] if place else [])
        regions = region_abbreviations(name)
        if regions:
            # "W.Va.", "B.C.", "NSW": abbreviations name states and provinces, nothing else;
            # "WA" may be Washington or Western Australia, which the article's countries decide.
            return [place for code, region in regions
                    for place in self.the_one(region, "ADM1", country=code, feature_class="A")]
        region = REGION_ADJECTIVES.get(fold(name))
        if region:
            return self.the_one(*region)
        suffix = ADMIN_SUFFIXES.search(name)
        found = self.gazetteer.places(name, limit=CANDIDATES_PER_NAME, fuzzy=False)
        countries = {c.country_code for c in found if names_country(c)}
        if countries and not t.admin_form:
            # "Mexico" is the country: neither Mexico City, known also as "Mexico", nor the
            # State of Mexico within it, which news calls "Mexico state".
            found = [c for c in found if names_country(c) or not (
                c.feature_class == "P" and c.match == "alternate"
                or c.feature_class == "A" and c.country_code in countries)]
        if t.admin_form and not any(c.feature_class == "A" for c in found):
            bare = name[: suffix.start()].strip() if suffix else name
            found = self.gazetteer.places(bare, feature_class="A", limit=CANDIDATES_PER_NAME, fuzzy=False) or found
        if t.admin_form and any(c.feature_class == "A" and not names_country(c) for c in found):
            found = [c for c in found if not names_country(c)]  # "Mexico state" is no country
        if not found and STREET_HEAD.search(name):
            return []  # "Baghdad Street" lies in Mosul, not in Baghdad: no guess from its parts
        if not found and t.feature_word in SETTLEMENT_WORDS:
            return []  # "Kafr Hamra village" is a village of its own, not one called Hamra
        if not found:
            found = self.part_candidates(name)
            if BUILDING_HEAD.search(name) or t.label in NOT_PLACE_LABELS:
                # "Mosul University Hospital" stands in Mosul, "Colorado State University" in Colorado;
                # "Karl Bremer Hospital" not in a village called Karl, nor "Cornell University" in Cornell.
                found = [c for c in found if c.importance >= IMPORTANT_PART]
        if not found and len(fold(name)) >= 5:
            found = self.gazetteer.places(name, limit=5, fuzzy=True)
        return found

    def the_one(self, name: str, feature_code: str, **filters) -> list[Place]:
        """The single place a word stands for: the first ``feature_code`` entry called ``name``."""
        found = self.gazetteer.places(name, limit=3, fuzzy=False, **filters)
        return [c for c in found if c.feature_code == feature_code][:1]

    def part_candidates(self, name: str) -> list[Place]:
        """Candidates for the place named inside an unknown name.

        "University of California", "Robinson College Cambridge", "US Federal Reserve",
        "Mexican Senate": the longest part that names a place, and among parts of one length
        the one naming the most important place, so "Nazi Germany" is Germany and not a
        village that shares a spelling with "Nazi". A country's adjective stands for the
        country, except in an embassy or a building, which stands where it stands.
        """
        words = name.split()
        if len(words) < 2:
            return []
        adjectives_count = not (BUILDING_HEAD.search(name) or MISSION_HEAD.search(name))
        for size in range(len(words) - 1, 0, -1):
            best: list[Place] = []
            for i in range(len(words) - size + 1):
                if words[i + size - 1].endswith(POSSESSIVES):
                    continue  # a patron or an owner: "St Mary's Chapel" is no town called St Mary's
                found = self._part_lookup(" ".join(words[i:i + size]), adjectives_count)
                if found and (not best or _part_strength(found) > _part_strength(best)):
                    best = found
            if best:
                return [dataclasses.replace(place, match="part") for place in best]
        return []

    def _part_lookup(self, part: str, adjectives_count: bool) -> list[Place]:
        key = fold(part)
        # "US" and "UK" are common words in lower case only.
        initials = part.isupper() and len(key) >= 2
        if not initials and (key in COMMON_WORDS or len(key) < 3) or key in INSTITUTION_HEADS:
            return []
        if adjectives_count:
            region = REGION_ADJECTIVES.get(key)
            if region:
                return self.the_one(*region)
            country = demonym_country(part)
            if country:
                place = self.gazetteer.country_place(country)
                return [place] if place else []
        # A part of an unknown name is a guess already: its spelling must match exactly.
        return [c for c in self.gazetteer.places(part, limit=CANDIDATES_PER_NAME, fuzzy=False)
                if c.match in ("name", "alternate", "id")]


def regions_named(candidates: list[Place]) -> list[Place]:
    """The candidates that are regions (provinces, districts; not countries)."""
    return [c for c in candidates if c.feature_class == "A" and not c.is_country]


def without_namesake_provinces(candidates: list[Place], gazetteer: Gazetteer) -> list[Place]:
    """The candidates less every province that has a town of the same name among them, in a
    country where a third or more of the provinces are named after one of their towns.

    "Raqqa", "Aleppo", "Basra" mean the town unless the text says "province": most of Syria's
    and many of Iraq's governorates are named after their capitals. Hardly any US state is
    named after a town, and "New York" is left to the ranker.
    """
    towns_in = {(c.country_code, c.admin1) for c in candidates if c.feature_class == "P" and c.admin1}
    return [c for c in candidates if not (c.feature_code == "ADM1" and (c.country_code, c.name) in towns_in
                                          and gazetteer.provinces_named_for_towns(c.country_code) >= 1 / 3)]


def names_country(candidate: Place) -> bool:
    """The candidate is a country called by one of its own names ("Mexico", "Holland")."""
    return candidate.is_country and candidate.match in ("name", "alternate", "id")


def _part_strength(found: list[Place]) -> float:
    """How strongly a part of a name names a place: the gazetteer's score of its best candidate."""
    return max(c.score for c in found)
