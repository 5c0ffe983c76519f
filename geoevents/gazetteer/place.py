"""``Place``: a place the gazetteer knows, as the geoparser and event extraction read it (geopy ``Location`` for users)."""
from __future__ import annotations

from dataclasses import dataclass

from geopy.location import Location

# How a name matched its place, strongest first; "part": a place named inside a longer name
# ("University of California"), "id": looked up by GeoNames id, "reverse": the nearest place.
MATCH_KINDS = ("name", "alternate", "id", "transliteration", "fuzzy", "part", "reverse")


@dataclass(frozen=True, slots=True)
class Place:
    """One gazetteer entry as a lookup returned it: what the place is, and how well the name fit.

    ``admin1``/``admin2`` are names ("Deir ez-Zor"), "" when unknown; ``importance`` is the
    gazetteer's prior in [0, 1]; ``score`` the lookup's score for this place; ``match`` one of
    ``MATCH_KINDS``; ``address`` "name, district, province, country" as geopy shows it.
    """

    geonameid: int
    name: str
    latitude: float
    longitude: float
    feature_class: str
    feature_code: str
    country_code: str
    admin1: str = ""
    admin2: str = ""
    population: int = 0
    source: str = ""
    importance: float = 0.0
    score: float = 0.0
    match: str = "name"
    address: str = ""

    @property
    def is_country(self) -> bool:
        """A country (GeoNames PCL*: independent, dependent, freely associated ...)."""
        return self.feature_code.startswith("PCL")

    @property
    def is_town(self) -> bool:
        """A populated place or a spot (a building, a camp): what an event happens at."""
        return self.feature_class in ("P", "S")

    @property
    def raw(self) -> dict:
        """The ``Location.raw`` dict geoevents has always given users."""
        return {
            "geonameid": self.geonameid, "name": self.name, "latitude": self.latitude, "longitude": self.longitude,
            "feature_class": self.feature_class, "feature_code": self.feature_code,
            "country_code": self.country_code, "admin1": self.admin1, "admin2": self.admin2,
            "population": self.population, "source": self.source, "score": round(self.score, 4),
            "importance": round(self.importance, 4), "match": self.match,
        }

    @classmethod
    def from_location(cls, location: Location) -> Place:
        """The place a geopy ``Location`` stands for, read from its ``raw`` (a gazetteer answer, or one
        given by hand: missing fields take their defaults)."""
        raw = location.raw or {}
        return cls(int(raw.get("geonameid") or 0), str(raw.get("name") or location.address or ""),
                   location.latitude, location.longitude, str(raw.get("feature_class") or ""),
                   str(raw.get("feature_code") or ""), str(raw.get("country_code") or ""),
                   str(raw.get("admin1") or ""), str(raw.get("admin2") or ""), int(raw.get("population") or 0),
                   str(raw.get("source") or ""), float(raw.get("importance") or 0.0), float(raw.get("score") or 0.0),
                   str(raw.get("match") or "name"), location.address or "")

    def location(self) -> Location:
        """The geopy ``Location`` of this place: the public face of every answer."""
        return Location(self.address or self.name, (self.latitude, self.longitude), self.raw)
