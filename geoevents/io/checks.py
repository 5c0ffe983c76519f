"""The coordinate check: is each event's point in its country? A swapped latitude/longitude is flagged, never silently written.

Every frame carries ``coord_check`` (after the ACLED columns): whether the event's point lies
in its country (``iso3``, else ``country``), compared with the country's border from the
``countryinfo`` package's data (Natural Earth outlines) plus ``BORDER_MARGIN_KM``. A swapped
latitude/longitude loads in QGIS without complaint, so it is flagged here instead. The
column is derived: it is recomputed from the coordinates whenever a frame is built or read,
never trusted from a file.
"""
from __future__ import annotations

import ast
import functools
import logging

import numpy as np
import pandas as pd
import shapely

from ..distance import great_circle_km_array
from ..gazetteer.packages import countryinfo_records

log = logging.getLogger(__name__)

# The derived column every frame and every file carries after the ACLED columns, and its values.
COORD_CHECK = "coord_check"
COORD_OK = "ok"                          # inside the country, or within the margin of its border
COORD_OUTSIDE = "outside country"        # neither the point nor its swap is in the country
COORD_SWAPPED = "swapped lat/lon?"       # the point is not in the country but (lon, lat) read as (lat, lon) is
COORD_UNKNOWN = "unknown country"        # no iso3/country, or one we have no border for: not checked
COORD_NONE = "no coordinates"
COORD_CHECK_VALUES = (COORD_OK, COORD_OUTSIDE, COORD_SWAPPED, COORD_UNKNOWN, COORD_NONE)

# Border towns geocoded to the town's centre, and the outlines' simplification (Natural Earth
# 1:110m, a few km off along coasts and rivers), must not be flagged.
BORDER_MARGIN_KM = 25.0


def coordinate_checks(lat, lon, iso3, country) -> np.ndarray:
    """One ``COORD_CHECK_VALUES`` string per event: is (lat, lon) within ``BORDER_MARGIN_KM`` of its country?

    ``lat``/``lon`` are float arrays (NaN = no coordinates); the country is found by ``iso3``,
    else by the ``country`` name (English name or an alternative spelling in ``countryinfo``).
    Vectorised per country, so 100,000 events take a fraction of a second.
    """
    lat = np.asarray(lat, dtype="float64")
    lon = np.asarray(lon, dtype="float64")
    n = len(lat)
    result = np.full(n, COORD_NONE, dtype=object)
    has_point = ~(np.isnan(lat) | np.isnan(lon))
    if not has_point.any():
        return result
    borders, names = _country_borders()
    iso3 = _plain_strings(iso3, n)
    country = _plain_strings(country, n)
    codes = np.full(n, None, dtype=object)
    for i in np.flatnonzero(has_point):
        code = (iso3[i] or "").strip().upper()
        if code not in borders:
            code = names.get(_name_key(country[i])) if country[i] else None
        codes[i] = code
    result[has_point & (codes == None)] = COORD_UNKNOWN   # noqa: E711 (element-wise)
    for code in set(codes[has_point]) - {None}:
        rows = np.flatnonzero(has_point & (codes == code))
        border = borders[code]
        near = _near(border, lon[rows], lat[rows])
        result[rows[near]] = COORD_OK
        rest = rows[~near]
        if len(rest):
            swapped = _near(border, lat[rest], lon[rest])
            result[rest[swapped]] = COORD_SWAPPED
            result[rest[~swapped]] = COORD_OUTSIDE
    return result


_MAX_WARNINGS = 20


def warn_misplaced(frame: pd.DataFrame) -> None:
    """A warning for each event whose point is not in its country (the first few, then a count)."""
    checks = frame[COORD_CHECK].astype(object)
    bad = np.flatnonzero(checks.isin([COORD_OUTSIDE, COORD_SWAPPED]).to_numpy())
    for i in bad[:_MAX_WARNINGS]:
        row = frame.iloc[i]
        where = row["iso3"] if isinstance(row["iso3"], str) else row["country"]
        log.warning("event %s: %s at lat %s, lon %s is %s (%s), written as given",
                    row["event_id"], row["location"], row["latitude"], row["longitude"],
                    "outside its country" if checks.iloc[i] == COORD_OUTSIDE
                    else "outside its country, inside it with lat/lon swapped", where)
    if len(bad) > _MAX_WARNINGS:
        log.warning("... and %d more events outside their country (see the %s column)",
                    len(bad) - _MAX_WARNINGS, COORD_CHECK)


def _plain_strings(values, n: int) -> list:
    if values is None:
        return [None] * n
    obj = pd.Series(values, dtype=object) if not isinstance(values, pd.Series) else values.astype(object)
    return [v if isinstance(v, str) and v else None for v in obj.tolist()]


def _name_key(name: str) -> str:
    return " ".join(name.casefold().replace("-", " ").split())


def _near(border, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Which points (x = lon, y = lat) lie in ``border`` or within ``BORDER_MARGIN_KM`` of it."""
    valid = (np.abs(y) <= 90) & (np.abs(x) <= 180)
    inside = np.zeros(len(x), dtype=bool)
    inside[valid] = shapely.contains_xy(border, x[valid], y[valid])
    check = valid & ~inside
    if check.any():   # only points within the margin of the border's bounding box can be near it
        xmin, ymin, xmax, ymax = shapely.bounds(border)
        dlat = BORDER_MARGIN_KM / 110.5
        dlon = dlat / np.maximum(np.cos(np.radians(np.minimum(np.abs(y), 89.0))), 0.01)
        check &= (y >= ymin - dlat) & (y <= ymax + dlat) & (x >= xmin - dlon) & (x <= xmax + dlon)
    check = np.flatnonzero(check)
    if len(check):
        # The nearest border point in degrees is close enough to the nearest in km at this scale.
        lines = shapely.shortest_line(shapely.points(x[check], y[check]), border)
        ends = shapely.get_coordinates(lines).reshape(-1, 4)
        inside[check] = great_circle_km_array(ends[:, 1], ends[:, 0], ends[:, 3], ends[:, 2]) <= BORDER_MARGIN_KM
    return inside


def _geometry(record: dict):
    """The valid (multi)polygon of a countryinfo record's outline, or None."""
    geo = record.get("geoJSON")
    if isinstance(geo, str):   # a few files store it as a Python literal string
        try:
            geo = ast.literal_eval(geo)
        except (ValueError, SyntaxError):
            return None
    features = geo.get("features") if isinstance(geo, dict) else None
    if not features:
        return None
    try:
        geoms = [shapely.geometry.shape(ft["geometry"]) for ft in features if ft.get("geometry")]
        border = shapely.make_valid(shapely.union_all(geoms)) if geoms else None
    except (KeyError, TypeError, ValueError, AttributeError, shapely.errors.ShapelyError):
        return None
    return None if border is None or border.is_empty else border


@functools.lru_cache(maxsize=1)
def country_outlines() -> tuple[tuple[str, str, object], ...]:
    """(ISO3, English name, prepared shapely (multi)polygon) of every country ``countryinfo`` has an outline for.

    Natural Earth 1:110m outlines from the package's JSON files (the package is not imported);
    about 80 small islands and territories have none.
    """
    out = []
    seen = set()
    for record in countryinfo_records():
        code = str((record.get("ISO") or {}).get("alpha3") or "").upper()
        if len(code) != 3 or code in seen:
            continue
        border = _geometry(record)
        if border is None:
            continue
        shapely.prepare(border)
        seen.add(code)
        out.append((code, str(record.get("name") or code), border))
    return tuple(out)


@functools.lru_cache(maxsize=1)
def _country_borders() -> tuple[dict, dict[str, str]]:
    """ISO3 -> prepared border (multi)polygon, and name/alternative spelling/ISO2 -> ISO3."""
    borders = {code: border for code, _, border in country_outlines()}
    names: dict[str, str] = {}
    for record in countryinfo_records():
        iso = record.get("ISO") or {}
        code = str(iso.get("alpha3") or "").upper()
        if code not in borders:
            continue
        for name in [record.get("name"), *(record.get("altSpellings") or []), iso.get("alpha2"), code]:
            if isinstance(name, str) and name.strip():
                names.setdefault(_name_key(name), code)
    return borders, names
