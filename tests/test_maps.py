"""The HTML map as a user gets it: its layers, one self-contained file, hostile text kept inert, its size.

No browser here (tests/test_browser.py drives headless Chromium against these pages); these
tests read the HTML and the JSON payload it carries.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import folium
import pytest

import geoevents
from geoevents.io import events_frame, write_events
from geoevents.maps import (LAYER_COUNTRIES, LAYER_HEAT, LAYER_OUTLINES, LAYER_PLACES, LAYER_REGIONS, LAYER_RIVERS,
                            make_map)
from geoevents.events.record import EVENT_TYPES, Event

REPO = Path(__file__).resolve().parents[1]

HOSTILE_NOTES = ("<script>alert(1)</script> <img src=x onerror=alert(1)> </script><b>bold</b> "
                 "{{ 7*7 }} {% raw %} \u2028 & <!-- end")


def event(i: int = 0, **fields) -> Event:
    base = dict(event_id=f"GE{i:014d}", event_date="2017-07-11", time_precision=1, event_type="Battles",
                sub_event_type="Armed clash", actor1="Syrian Democratic Forces", actor2="Islamic State",
                location="Raqqa", latitude=35.9528, longitude=39.0079, geo_precision=1, fatalities=3,
                source="Example Wire", source_url="https://news.example/raqqa", notes="Fighting in Raqqa.")
    base.update(fields)
    return Event(**base)


def sample_events() -> list[Event]:
    return [
        event(0),
        event(1, event_type="Explosions/Remote violence", sub_event_type="Air/drone strike", location="Mayadin",
              latitude=35.0198, longitude=40.4515, event_date="2017-09-20", time_precision=2, fatalities=0),
        event(2, event_type="Violence against civilians", sub_event_type="Attack", location="Abu Kamal",
              latitude=34.4523, longitude=40.9185, event_date="2017-10-01", time_precision=3),
        event(3, latitude=None, longitude=None, location=None),          # no place: not drawn
    ]


def render(fmap: folium.Map) -> str:
    return fmap.get_root().render()


def payload(page: str) -> dict:
    match = re.search(r'<script type="application/json" id="geoevents-data-[^"]+">(.*?)</script>', page, re.S)
    assert match, "no event payload in the page"
    return json.loads(match.group(1))


def test_make_map_is_a_folium_map_with_every_layer_in_one_control():
    fmap = geoevents.make_map(sample_events(), places=[("Tabqa", 35.8376, 38.5483)])
    assert isinstance(fmap, folium.Map)
    page = render(fmap)
    assert page.count("L.control.layers(") == 1
    for name in ["Battles", "Explosions/Remote violence", "Violence against civilians", LAYER_HEAT,
                 LAYER_PLACES, LAYER_RIVERS, LAYER_OUTLINES, LAYER_COUNTRIES, LAYER_REGIONS,
                 "OpenStreetMap (online)"]:
        assert json.dumps(name) in page, name
    assert len(re.findall(r"= L\.featureGroup\.subGroup\(", page)) == 3   # one per event type present
    assert len(re.findall(r"= L\.markerClusterGroup\(", page)) == 1
    assert "L.heatLayer(" in page
    assert '"maxZoom": 17' in page                            # on the map itself, so clusters work tile-less
    data = payload(page)
    assert len(data["events"]) == 3                           # the event with no place is skipped
    assert data["places"] == [["Tabqa", 35.8376, 38.5483]]
    assert {"Syria", "Iraq"} <= {c[0] for c in data["countries"]}
    # governorates by their English short names, at their region points
    regions = {r[0]: (r[1], r[2]) for r in data["regions"]}
    assert {"Deir ez-Zor", "Raqqa", "Nineveh", "Anbar"} <= set(regions)   # as events name them (admin1)
    assert 34.5 < regions["Deir ez-Zor"][0] < 36.0 and 39.5 < regions["Deir ez-Zor"][1] < 41.5


def test_a_world_wide_map_names_only_the_regions_of_the_events_countries():
    from geoevents.maps.basemap import regions_near

    world = (-60.0, -170.0, 75.0, 175.0)
    labels = regions_near(world, {"SY"})
    assert 10 <= len(labels) <= 20 and "Deir ez-Zor" in {r[0] for r in labels}


def test_accepts_a_frame_and_dicts_and_toponyms():
    frame = events_frame(sample_events())
    assert len(payload(render(make_map(frame)))["events"]) == 3
    dicts = [e.to_dict() for e in sample_events()]
    assert len(payload(render(make_map(dicts)))["events"]) == 3
    toponym = geoevents.Toponym(text="Tabqa", start=0, end=5, label="GPE", place=None)
    assert payload(render(make_map(dicts, places=[toponym])))["places"] == []   # unresolved: skipped


def test_payload_decodes_back_to_the_events():
    data = payload(render(make_map(sample_events()[:2])))
    cols = data["columns"]
    row = data["events"][1]
    text = lambda key: data["strings"][row[cols[key]]]                              # noqa: E731
    assert data["types"][row[cols["type"]]] == "Explosions/Remote violence"
    assert text("sub") == "Air/drone strike" and text("loc") == "Mayadin" and text("id") == "GE00000000000001"
    assert row[cols["day"]] * 86400 == time.mktime(time.strptime("2017-09-20", "%Y-%m-%d")) - time.timezone
    assert (row[cols["lat"]], row[cols["lon"]], row[cols["tp"]]) == (35.0198, 40.4515, 2)


def test_self_contained_page_links_no_script_or_stylesheet():
    page = render(make_map(sample_events()))
    tags = re.findall(r"<(?:script|link|img)\b[^>]*>", page)
    assert not [t for t in tags if re.search(r"(src|href)\s*=\s*[\"']?(https?:)?//", t)], tags
    assert "@import" not in page
    assert "L.markerClusterGroup" in page and "leaflet-heat" in page.lower() or "L.heatLayer" in page
    assert "jquery" not in page.lower() and "bootstrap.bundle" not in page
    assert "L.FeatureGroup.SubGroup" in page                 # the project's own sub-group code, inlined
    assert "data:image/png;base64," in page                  # Leaflet's layer-control icons travel too


def test_cdn_mode_links_leaflet_from_its_cdn():
    page = render(make_map(sample_events(), cdn=True))
    assert re.search(r'<script src="https://[^"]*leaflet[^"]*\.js"', page)
    assert len(page) < 150_000
    assert "L.FeatureGroup.SubGroup" in page                 # bulk add/remove the slider needs


@pytest.mark.parametrize("field", ["notes", "actor1", "location", "source", "sub_event_type"])
def test_hostile_text_never_becomes_markup(field):
    hostile = event(0, **{field: HOSTILE_NOTES, "source_url": "javascript:alert(1)"})
    page = render(make_map([hostile], title="</title><script>alert(2)</script>"))
    assert "<script>alert" not in page
    assert "<img src=x" not in page
    assert "<b>bold" not in page
    assert "javascript:alert(1)" not in page.split('<script type="application/json"')[0]
    assert "\u2028" not in page
    assert "{{ 7*7 }}" in page.replace("\\u0026", "&")      # Jinja never saw the text: it is still there
    data = payload(page)
    values = data["strings"] + data["types"]
    assert HOSTILE_NOTES in values                           # escaped for the page, intact for the reader
    assert "<\\/script>" not in page.split('<script type="application/json"')[1].split("</script>")[0]


def test_hostile_event_type_and_overlay_name_are_escaped(tmp_path):
    overlay = tmp_path / "<img src=x onerror=alert(1)>.geojson"
    overlay.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": "<script>alert(3)</script>"},
         "geometry": {"type": "LineString", "coordinates": [[39.0, 35.9], [40.1, 35.3]]}}]}))
    page = render(make_map([event(0, event_type="<script>alert(4)</script>")], overlays=[overlay]))
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "lt;img src=x onerror=alert(1)" in page           # the layer name, as an HTML entity (then JSON-escaped)
    # overlay properties travel as JSON text (the page shows them with textContent)
    assert "<script>alert(3)" not in page
    assert payload(page)["overlays"][0]["features"][0]["properties"] == {"name": "<script>alert(3)</script>"}


def test_overlays_from_dicts_and_bad_files(tmp_path):
    shape = {"type": "Polygon", "coordinates": [[[39, 35], [40, 35], [40, 36], [39, 35]]]}
    page = render(make_map(sample_events(), overlays=[shape]))
    assert json.dumps("Overlay 1") in page
    bad = tmp_path / "bad.geojson"
    bad.write_text("{not json")
    with pytest.raises(ValueError, match="bad.geojson"):
        make_map(sample_events(), overlays=[bad])


def view_bounds(page: str):
    return json.loads(re.findall(r"\.fitBounds\(\s*(\[\[[-0-9., \[\]]*\]\])", page)[-1])


def test_view_frames_the_euphrates_valley_for_syria_and_iraq():
    page = render(make_map([event(0)]))                      # one event in Raqqa
    (south, west), (north, east) = view_bounds(page)
    assert south < 33.5 and north > 36.5 and west < 38.1 and east > 43.5
    page = render(make_map([event(0, latitude=48.85, longitude=2.35, location="Paris")]))
    (south, west), (north, east) = view_bounds(page)
    assert 48 < south < 48.85 < north < 49.5 and 1.5 < west < 2.35 < east < 3


def test_an_event_flagged_far_from_its_article_does_not_set_the_view():
    from geoevents.events.record import FAR_FROM_ARTICLE

    outlier = event(1, latitude=40.31, longitude=-76.59, location="Palmyra", place_check=FAR_FROM_ARTICLE)
    page = render(make_map([event(0), outlier]))
    (south, west), (north, east) = view_bounds(page)
    assert west > 30 and south > 30                          # the Euphrates valley, not the Atlantic
    assert len(payload(page)["events"]) == 2                 # still drawn


def test_all_event_types_have_a_style_and_the_legend_is_data():
    events = [event(i, event_type=t, sub_event_type=subs[0]) for i, (t, subs) in enumerate(EVENT_TYPES.items())]
    data = payload(render(make_map(events)))
    assert data["types"] == list(EVENT_TYPES)
    assert len({(s["color"], s["shape"]) for s in data["styles"].values()}) == len(EVENT_TYPES)


def test_page_hooks_for_browser_tests_are_present():
    page = render(make_map(sample_events()))
    for hook in ("window.geoevents = api", "visibleCount", "setDateRange", "geoevents-date-", "data-geoevents-count"):
        assert hook in page, hook


def synthetic(n: int) -> list[Event]:
    types = list(EVENT_TYPES.items())
    return [event(i, event_type=types[i % 6][0], sub_event_type=types[i % 6][1][0],
                  latitude=33 + (i % 997) / 250, longitude=38 + (i % 991) / 200,
                  event_date=f"2017-{1 + i % 12:02d}-{1 + i % 28:02d}", fatalities=i % 7,
                  location=f"Town {i % 500}", notes=f"Coalition aircraft struck positions near Town {i % 500} "
                                                      f"on day {i // 3}, killing several fighters, officials said.")
            for i in range(n)]


def test_bytes_per_event_at_10k(tmp_path, record_property):
    events = synthetic(10_000)
    small, big = tmp_path / "one.html", tmp_path / "ten-k.html"
    make_map(events[:1]).save(str(small))
    started = time.perf_counter()
    make_map(events).save(str(big))
    seconds = time.perf_counter() - started
    per_event = (big.stat().st_size - small.stat().st_size) / (len(events) - 1)
    record_property("bytes_per_event", round(per_event, 1))
    record_property("build_seconds_10k", round(seconds, 2))
    print(f"\n10,000 events: {per_event:.0f} bytes/event, {seconds:.2f} s")
    assert per_event < 250        # 100,000 events -> under 25 MB (folium Markers: ~970 bytes each)


def run_cli(args, cache_dir):
    env = {**os.environ, "GEOEVENTS_CACHE_DIR": str(cache_dir), "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "geoevents.cli", *args], capture_output=True, text=True,
                          env=env, timeout=600)


def test_map_help(tmp_path):
    result = run_cli(["map", "--help"], tmp_path)
    assert result.returncode == 0 and "--overlay" in result.stdout and "--cdn" in result.stdout


def test_cli_maps_an_events_geojson(tmp_path):
    events_file = tmp_path / "events.geojson"
    write_events(sample_events(), events_file)
    overlay = tmp_path / "front.geojson"
    overlay.write_text(json.dumps({"type": "LineString", "coordinates": [[39.0, 35.9], [40.1, 35.3]]}))
    out = tmp_path / "events.html"
    result = run_cli(["map", str(events_file), "-o", str(out), "--overlay", str(overlay), "--title", "Test", "-q"],
                     tmp_path)
    assert result.returncode == 0, result.stderr
    page = out.read_text(encoding="utf-8")
    assert len(payload(page)["events"]) == 3 and json.dumps("front") in page
    assert "<title>Test</title>" in page


def test_cli_errors_are_one_line(tmp_path):
    for args in (["map", str(tmp_path / "nope.geojson"), "-o", str(tmp_path / "m.html")],
                 ["map", "--examples", "-o", str(tmp_path / "m.png")],
                 ["map", "-o", str(tmp_path / "m.html")]):
        result = run_cli([*args, "-q"], tmp_path)
        assert result.returncode == 2, args
        assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr, result.stderr


def test_cli_maps_the_example_articles(cache_dir, gazetteer, tmp_path):
    out = tmp_path / "euphrates.html"
    result = run_cli(["map", "--examples", "-o", str(out), "-q"], cache_dir)
    assert result.returncode == 0, result.stderr
    data = payload(out.read_text(encoding="utf-8"))
    assert len(data["events"]) >= 5
    locations = {data["strings"][row[data["columns"]["loc"]]] for row in data["events"]}
    assert locations & {"Deir ez-Zor", "Raqqa", "Al Mayadin", "Mayadin", "Albu Kamal"}
    assert data["places"]                                     # places mentioned that were not event sites


# --- large maps: clustered when built -----------------------------------------------------------------

def scattered(n: int, seed: int = 3) -> list[Event]:
    """``n`` events scattered over Syria and Iraq, a few stacked on one spot, dates over a year."""
    import random

    rng = random.Random(seed)
    types = list(EVENT_TYPES.items())
    out = []
    for i in range(n):
        kind, subs = types[i % len(types)]
        stacked = i % 17 == 0
        out.append(event(i, event_type=kind, sub_event_type=subs[0],
                         latitude=35.5 if stacked else round(rng.uniform(32.0, 37.5), 5),
                         longitude=40.0 if stacked else round(rng.uniform(36.0, 46.0), 5),
                         event_date=f"2017-{1 + i % 12:02d}-{1 + i % 28:02d}", fatalities=i % 9,
                         location=f"Town {i % 40}", notes=f"Report {i}."))
    return out


def grid_clusters(events, **zooms):
    from geoevents.maps.grid import cluster_grid

    return cluster_grid([e.latitude for e in events], [e.longitude for e in events],
                        min_zoom=zooms.get("min_zoom", 2), max_zoom=zooms.get("max_zoom", 17))


def test_every_event_is_in_exactly_one_cluster_at_every_zoom():
    events = scattered(2000)
    clusters = grid_clusters(events)
    assert len(clusters) == len(events)
    for zoom in range(2, 18):
        members = clusters.members(zoom)
        rows = sorted(int(r) for m in members for r in m)
        assert rows == list(range(len(events))), zoom
        assert clusters.counts(zoom).sum() == len(events)
        assert [len(m) for m in members] == clusters.counts(zoom).tolist()
    assert len(clusters.starts[2]) < len(clusters.starts[9]) < len(clusters.starts[17])


def test_clusters_are_the_grid_cells_and_nest_across_zooms():
    from geoevents.maps.grid import cells_per_side, mercator_unit

    events = scattered(1500)
    clusters = grid_clusters(events)
    x, y = mercator_unit([e.latitude for e in events], [e.longitude for e in events])
    for zoom in (2, 6, 11, 17):
        side = cells_per_side(zoom)
        cell_of = {i: (int(x[i] * side), int(y[i] * side)) for i in range(len(events))}
        by_cell: dict = {}
        for i, cell in cell_of.items():
            by_cell.setdefault(cell, set()).add(i)
        assert {frozenset(int(r) for r in m) for m in clusters.members(zoom)} == {frozenset(s) for s in by_cell.values()}
    for zoom in range(2, 17):   # each cluster lies inside one cluster of the zoom below
        parent = {int(r): k for k, m in enumerate(clusters.members(zoom)) for r in m}
        for m in clusters.members(zoom + 1):
            assert len({parent[int(r)] for r in m}) == 1


def test_cluster_centroids_are_the_means_of_their_members():
    events = scattered(1200)
    clusters = grid_clusters(events)
    for zoom in (3, 8, 14):
        lat, lon = clusters.centroids(zoom)
        for k, members in enumerate(clusters.members(zoom)):
            assert lat[k] == pytest.approx(sum(events[r].latitude for r in members) / len(members), abs=1e-9)
            assert lon[k] == pytest.approx(sum(events[r].longitude for r in members) / len(members), abs=1e-9)
    stacked = [k for k, c in enumerate(clusters.counts(17)) if c > 1]
    assert stacked and clusters.centroids(17)[0][stacked[0]] == pytest.approx(35.5)


def test_clustering_is_deterministic_and_ignores_input_order():
    import random

    events = scattered(800)
    first, again = grid_clusters(events), grid_clusters(events)
    for zoom in range(2, 18):
        assert first.starts[zoom].tolist() == again.starts[zoom].tolist()
    assert first.order.tolist() == again.order.tolist()
    shuffled = events[:]
    random.Random(1).shuffle(shuffled)
    other = grid_clusters(shuffled)
    for zoom in (4, 10, 17):
        ids = lambda cl, evs: {frozenset(evs[int(r)].event_id for r in m) for m in cl.members(zoom)}   # noqa: E731
        assert ids(first, events) == ids(other, shuffled)


def test_cluster_grid_rejects_points_without_coordinates():
    from geoevents.maps.grid import cluster_grid

    with pytest.raises(ValueError, match="finite"):
        cluster_grid([35.0, float("nan")], [40.0, 41.0], min_zoom=2, max_zoom=5)
    with pytest.raises(ValueError, match="zooms"):
        cluster_grid([35.0], [40.0], min_zoom=6, max_zoom=5)


def grid_columns(page: str) -> dict:
    """The large map's packed block, unpacked into numpy arrays and decoded text columns."""
    import base64
    import gzip

    import numpy as np

    grid = payload(page)["grid"]
    block = gzip.decompress(base64.b64decode(grid["packed"]))
    parts = {key: np.frombuffer(block, dtype=np.dtype(kind).newbyteorder("<"), count=size // np.dtype(kind).itemsize,
                                offset=offset) for key, (offset, size, kind) in grid["layout"].items()}
    n = grid["n"]

    def text(name):
        offsets, data = parts[f"text.{name}.offsets"], parts[f"text.{name}.data"].tobytes()
        values = [data[offsets[j]:offsets[j + 1]].decode("utf-8") for j in range(len(offsets) - 1)]
        if f"text.{name}.codes" in parts:
            return [values[c - 1] if c else None for c in parts[f"text.{name}.codes"]]
        valid = np.unpackbits(parts[f"text.{name}.valid"], bitorder="little")[:n] if f"text.{name}.valid" in parts \
            else np.ones(n, dtype=bool)
        return [v if ok else None for v, ok in zip(values, valid)]

    out = {key: parts[key] for key in ("lat", "lon", "day", "type", "tp", "gp", "fat")}
    out.update({key: text(key) for key in ("sub", "a1", "a2", "loc", "src", "url", "notes", "id")})
    out["starts"] = {int(k.split(".")[1]): np.flatnonzero(np.unpackbits(v, bitorder="little")[:n])
                     for k, v in parts.items() if k.startswith("starts.")}
    return out


def test_a_large_map_carries_its_clusters_and_events_packed():
    events = scattered(600) + [event(9999, latitude=None, longitude=None)]   # no place: not drawn
    page = render(make_map(events, cluster_in_browser_up_to=100))
    data = payload(page)
    assert "events" not in data and data["grid"]["n"] == 600
    assert "markerclusterjs: inlined" not in page and "geoeventsGrid" in page   # no MarkerCluster library
    cols = grid_columns(page)
    by_id = {e.event_id: e for e in events}
    assert sorted(cols["id"]) == sorted(e.event_id for e in events[:600])
    for k in range(0, 600, 37):   # each position decodes back to its event
        e = by_id[cols["id"][k]]
        assert (cols["lat"][k] / 1e5, cols["lon"][k] / 1e5) == (e.latitude, e.longitude)
        assert cols["notes"][k] == e.notes and cols["loc"][k] == e.location and cols["a2"][k] == e.actor2
        assert list(EVENT_TYPES)[cols["type"][k]] == e.event_type and cols["fat"][k] == e.fatalities
        assert cols["day"][k] == (dt.date.fromisoformat(e.event_date) - dt.date(1970, 1, 1)).days
    clusters = grid_clusters(events[:600])
    for zoom in (2, 9, 17):
        assert cols["starts"][zoom].tolist() == clusters.starts[zoom].tolist()
    small = payload(render(make_map(events)))          # under the limit: today's page, clustered in the browser
    assert len(small["events"]) == 600 and "grid" not in small


def test_hostile_text_in_a_large_map_stays_text():
    events = [event(i, notes=HOSTILE_NOTES + f" {i}", actor1=HOSTILE_NOTES, location="</script><script>alert(5)",
                    latitude=35 + i / 100, source_url="javascript:alert(1)") for i in range(40)]
    page = render(make_map(events, cluster_in_browser_up_to=10, title="</title><script>alert(2)</script>"))
    assert "<script>alert" not in page and "<img src=x" not in page and "javascript:alert" not in page
    cols = grid_columns(page)
    assert set(cols["a1"]) == {HOSTILE_NOTES} and set(cols["loc"]) == {"</script><script>alert(5)"}
    assert sorted(cols["notes"]) == sorted(HOSTILE_NOTES + f" {i}" for i in range(40))


def test_region_labels_are_worked_out_once_and_kept_in_the_cache(tmp_path, monkeypatch):
    from geoevents.maps import basemap

    labels = (("SY", "Deir ez-Zor", 35.336, 40.141),)
    monkeypatch.setenv("GEOEVENTS_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(basemap, "_region_labels", lambda: labels)
    basemap._regions.cache_clear()
    try:
        assert basemap._regions() == labels
        [cached] = tmp_path.glob("map-region-labels-*.json")

        def must_not_run():
            raise AssertionError("region labels worked out again despite the cache")

        monkeypatch.setattr(basemap, "_region_labels", must_not_run)
        basemap._regions.cache_clear()
        assert basemap._regions() == labels                        # read back from the cache
        cached.write_text("not json", encoding="utf-8")             # a damaged cache is rebuilt
        monkeypatch.setattr(basemap, "_region_labels", lambda: labels)
        basemap._regions.cache_clear()
        assert basemap._regions() == labels
        assert json.loads(cached.read_text(encoding="utf-8")) == [list(labels[0])]
    finally:
        basemap._regions.cache_clear()
