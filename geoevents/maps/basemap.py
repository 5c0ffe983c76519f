"""Orientation layers that need no network: country outlines and names, the Euphrates and Tigris.

Country outlines come from the GeoJSON borders the ``countryinfo`` package ships in its data
files (coarse, world-atlas scale: enough to read a map with no tiles). River courses are the
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
