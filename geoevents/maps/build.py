"""``make_map``: events (and the places their articles mention) as a layered folium map.

folium gives the structure: the map, the OpenStreetMap tile layer, one MarkerCluster shared
by a FeatureGroupSubGroup per ACLED event type, the heat map, the orientation layers and the
LayerControl. The events themselves travel as ONE compact JSON payload (a string table plus
one short array per event) that the project's own ``static/geoevents-map.js`` turns into
markers: about 5x smaller than folium Markers, and it lets the date slider filter them.

Maps of more than ``CLUSTER_IN_BROWSER_UP_TO`` events are clustered here instead (``grid.py``):
the payload carries typed columns and the clusters of every zoom, and ``static/geoevents-grid.js``
draws only the clusters and events in view; MarkerCluster is not used.
"""
from __future__ import annotations

import base64
import gzip
import html
import json
import os
from collections.abc import Mapping
from pathlib import Path

import folium
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from branca.element import MacroElement
from folium.plugins import FeatureGroupSubGroup, HeatMap, MarkerCluster

from ..events.record import EVENT_TYPES, FAR_FROM_ARTICLE
from ..gazetteer.packages import load_countries
from ..io.frame import events_frame
from . import assets
from .basemap import countries_near, regions_near, river_courses
from .grid import CELL_PX, TILE_PX, cluster_grid

# Colour and marker shape per ACLED event type (the legend is drawn from this table).
TYPE_STYLES = {
    "Battles": {"color": "#d62728", "shape": "circle"},
    "Explosions/Remote violence": {"color": "#ff7f0e", "shape": "star"},
    "Violence against civilians": {"color": "#9467bd", "shape": "diamond"},
    "Protests": {"color": "#1f77b4", "shape": "square"},
    "Riots": {"color": "#8c564b", "shape": "invtriangle"},
    "Strategic developments": {"color": "#7f7f7f", "shape": "pentagon"},
}
OTHER_STYLE = {"color": "#17becf", "shape": "triangle"}

# Syria and Iraq: when every event lies here, the view frames the Euphrates valley.
SYRIA_IRAQ = (29.0, 35.0, 38.0, 49.0)   # south, west, north, east
# Set on the map itself: with no tile layer MarkerCluster needs the map's max zoom. MarkerCluster
# clusters every marker at every zoom in between, so the range is what the events need: street
# level at most, and no zoom below the one that shows the whole world.
MAX_ZOOM = 17
MIN_ZOOM = 2
# Up to this many events MarkerCluster clusters them in the browser (animated clusters, stacks
# spiderfied): every marker is clustered within about half a second of the page opening. Past it
# that time grows with the events (2 s at 20,000, 5 s at 100,000), so larger maps are clustered
# when built and the page draws only what is in view.
CLUSTER_IN_BROWSER_UP_TO = 5000

LAYER_HEAT = "Heat map (weight 1 + fatalities)"
LAYER_PLACES = "Places mentioned, not event sites"
LAYER_RIVERS = "Euphrates and Tigris (approximate course)"
LAYER_OUTLINES = "Country outlines (offline base)"
LAYER_COUNTRIES = "Country names"
LAYER_REGIONS = "Region names (governorates, provinces)"

# Columns of one event row in the payload (positions are what the JS reads).
COLUMNS = ("lat", "lon", "day", "tp", "type", "sub", "a1", "a2", "loc", "gp", "fat", "src", "url", "notes", "id")
_TEXT_COLUMNS = {"sub": "sub_event_type", "a1": "actor1", "a2": "actor2", "loc": "location",
                 "src": "source", "url": "source_url", "notes": "notes", "id": "event_id"}


class EventMap(folium.Map):
    """A folium Map that inlines its JS/CSS assets when rendered (unless built with ``cdn=True``)."""

    def __init__(self, *args, cdn: bool = False, page_title: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.cdn = cdn
        self.page_title = page_title

    def render(self, **kwargs):
        super().render(**kwargs)   # every element has now put its CDN links into the header
        figure = self.get_root()
        assets.inline_assets(figure, cdn=self.cdn)
        if self.page_title and hasattr(figure, "title"):
            figure.title = html.escape(self.page_title)


class _EventLayer(MacroElement):
    """The payload (a JSON <script> block, not executed), the project's JS/CSS, and the call that draws it.

    Rendered by hand: branca's MacroElement re-parses each rendered part as a Jinja template,
    and article text containing ``{{`` must never reach Jinja.
    """

    def __init__(self, payload: str, *, cluster, groups, heat, places, outlines, countries, regions, overlays,
                 grid: bool = False):
        super().__init__()
        self._name = "GeoeventsLayer"
        self.payload = payload
        self.grid = grid
        self.data_id = f"geoevents-data-{self.get_name()}"
        self.layers = {"cluster": cluster.get_name() if cluster is not None else "null", "heat": heat.get_name(),
                       "places": places.get_name() if places is not None else "null",
                       "outlines": outlines.get_name(), "countries": countries.get_name(),
                       "regions": regions.get_name()}
        self.groups = [g.get_name() for g in groups]
        self.overlays = [g.get_name() for g in overlays]

    def render(self, **kwargs):
        figure = self.get_root()
        css = assets.static_text("geoevents-map.css").replace("</style", "<\\/style")
        scripts = ("geoevents-map.js", "geoevents-grid.js") if self.grid else ("geoevents-map.js",)
        js = "\n".join(assets.static_text(name) for name in scripts).replace("</script", "<\\/script")
        figure.header.add_child(assets.RawHTML(f"<style>{css}</style>\n<script>{js}</script>"),
                                name="geoevents_map_assets")
        figure.html.add_child(assets.RawHTML(
            f'<script type="application/json" id="{self.data_id}">{self.payload}</script>'), name=self.get_name())
        layers = ", ".join(f"{key}: {name}" for key, name in self.layers.items())
        figure.script.add_child(assets.RawHTML(
            f"geoeventsBuild({{dataId: {json.dumps(self.data_id)}, map: {self._parent.get_name()}, "
            f"groups: [{', '.join(self.groups)}], overlays: [{', '.join(self.overlays)}], {layers}}});"), name=self.get_name())


def make_map(events_or_frame, *, places=None, overlays=(), title: str | None = None,
             cdn: bool = False, cluster_in_browser_up_to: int = CLUSTER_IN_BROWSER_UP_TO) -> folium.Map:
    """A layered folium map of events; ``.save("map.html")`` writes one self-contained file.

    ``events_or_frame``: Event objects, dicts of event fields, or a (Geo)DataFrame from
    ``events_frame``/``read_events``; events with no coordinates are skipped. ``places``:
    places mentioned that were not event sites, as (name, lat, lon) tuples, dicts with
    name/latitude/longitude, or geoparser ``Toponym``s (unresolved ones are skipped).
    ``overlays``: GeoJSON files (paths) or GeoJSON dicts, each drawn as its own layer.
    ``title``: shown on the map and as the page title. ``cdn``: link Leaflet and the plugins
    from their CDNs instead of inlining them (a small file that needs a network).
    ``cluster_in_browser_up_to``: maps with more events are clustered when built, per zoom level,
    and the page draws only what is in view (see ``CLUSTER_IN_BROWSER_UP_TO``).
    """
    frame = events_frame(events_or_frame if isinstance(events_or_frame, pd.DataFrame) else list(events_or_frame))
    placed = (frame["latitude"].notna() & frame["longitude"].notna()).to_numpy()
    if not placed.all():   # a copy of a quarter-million rows costs, so only when some are unplaced
        frame = frame[placed].reset_index(drop=True)
    types = _types_in(frame)
    place_rows = _place_rows(places)

    lat = frame["latitude"].to_numpy(dtype=float)
    lon = frame["longitude"].to_numpy(dtype=float)
    # The view fits the events, leaving out those placed far from their article's other places (one
    # namesake in Pennsylvania must not open a Syria map at world zoom); the places mentioned (a
    # Washington press briefing) only when there are no events.
    trusted = (frame["place_check"].astype(object) != FAR_FROM_ARTICLE).to_numpy()
    view_lat, view_lon = (lat[trusted], lon[trusted]) if trusted.any() else (lat, lon)
    points_lat = view_lat if len(view_lat) else np.array([p[1] for p in place_rows], dtype=float)
    points_lon = view_lon if len(view_lon) else np.array([p[2] for p in place_rows], dtype=float)
    bounds = _view_bounds(view_lat, view_lon, points_lat, points_lon)

    fmap = EventMap(location=[(bounds[0] + bounds[2]) / 2, (bounds[1] + bounds[3]) / 2], zoom_start=6,
                    tiles=None, max_zoom=MAX_ZOOM, min_zoom=MIN_ZOOM, cdn=cdn, page_title=title or "geoevents map")
    folium.TileLayer("OpenStreetMap", name="OpenStreetMap (online)", max_zoom=MAX_ZOOM, min_zoom=MIN_ZOOM).add_to(fmap)

    outlines_geojson, country_labels = countries_near(bounds)
    outlines = folium.FeatureGroup(name=LAYER_OUTLINES, show=True).add_to(fmap)

    rivers = folium.FeatureGroup(name=LAYER_RIVERS, show=True).add_to(fmap)
    for river, course in river_courses().items():
        folium.PolyLine(course, color="#3b7dd8", weight=3, opacity=0.7,
                        tooltip=f"{river} (approximate course)").add_to(rivers)

    # User overlays: the JS draws them (their properties are shown as text, never as HTML).
    overlay_groups, overlay_data = [], []
    for i, overlay in enumerate(overlays or ()):
        data, name = _read_overlay(overlay, i)
        overlay_groups.append(folium.FeatureGroup(name=layer_label(name), show=True).add_to(fmap))
        overlay_data.append(_clean_overlay(data))

    grid = len(frame) > cluster_in_browser_up_to
    if grid:   # the layers only switch types on and off: the page draws the events itself
        cluster = None
        groups = [folium.FeatureGroup(name=layer_label(t), show=True).add_to(fmap) for t in types]
    else:
        cluster = MarkerCluster(control=False, options={"showCoverageOnHover": False,
                                                        "maxClusterRadius": 45}).add_to(fmap)
        groups = [FeatureGroupSubGroup(cluster, name=layer_label(t), show=True).add_to(fmap) for t in types]
    # One placeholder point: the JS sets the real (date-filtered) points.
    heat = HeatMap([[bounds[0], bounds[1], 0]], name=LAYER_HEAT, show=False, radius=18, blur=14,
                   min_opacity=0.3, max_zoom=MAX_ZOOM).add_to(fmap)
    places_group = folium.FeatureGroup(name=LAYER_PLACES, show=True).add_to(fmap) if place_rows else None
    countries = folium.FeatureGroup(name=LAYER_COUNTRIES, show=True).add_to(fmap)
    regions = folium.FeatureGroup(name=LAYER_REGIONS, show=True).add_to(fmap)
    region_labels = regions_near(bounds, _iso2_codes(frame))

    payload = encode_payload(frame, types, place_rows, outlines_geojson, country_labels, title, region_labels,
                             overlay_data, grid=grid)
    _EventLayer(payload, cluster=cluster, groups=groups, heat=heat, places=places_group, outlines=outlines,
                countries=countries, regions=regions, overlays=overlay_groups, grid=grid).add_to(fmap)
    # collapsed: an open control would cover the events in the top-right corner of the view
    folium.LayerControl(collapsed=True).add_to(fmap)
    fmap.fit_bounds([[bounds[0], bounds[1]], [bounds[2], bounds[3]]])
    return fmap


def layer_label(name: str) -> str:
    """A layer name for the LayerControl, which sets names as HTML (and folium re-reads them as Jinja)."""
    return html.escape(name).replace("{", "&#123;").replace("}", "&#125;")


def _types_in(frame: pd.DataFrame) -> list[str]:
    present = set(frame["event_type"].dropna().astype(str).unique())
    ordered = [t for t in EVENT_TYPES if t in present]
    return ordered + sorted(present - set(ordered))


def _iso2_codes(frame: pd.DataFrame) -> set[str]:
    """ISO2 codes of the events' countries (from ``iso3``), for the region names."""
    by_iso3 = {c["iso3"]: code for code, c in load_countries().items()}
    return {by_iso3[v] for v in frame["iso3"].dropna().astype(str).unique() if v in by_iso3}


def _view_bounds(lat, lon, all_lat, all_lon) -> tuple[float, float, float, float]:
    """(south, west, north, east) to show: the events; the Euphrates valley when they lie in Syria/Iraq."""
    if not len(all_lat):
        return 33.0, 38.0, 37.0, 44.0
    south, west, north, east = float(all_lat.min()), float(all_lon.min()), float(all_lat.max()), float(all_lon.max())
    s, w, n, e = SYRIA_IRAQ
    if len(lat) and lat.min() >= s and lat.max() <= n and lon.min() >= w and lon.max() <= e:
        # the middle Euphrates, Jarabulus to Fallujah, widened to keep every event in view
        valley = [p for p in river_courses()["Euphrates"] if 33.2 <= p[0] <= 36.9 and p[1] <= 44.0]
        south = min(south, *(p[0] for p in valley))
        north = max(north, *(p[0] for p in valley))
        west = min(west, *(p[1] for p in valley))
        east = max(east, *(p[1] for p in valley))
    pad = 0.05 if (north - south) + (east - west) > 0.5 else 0.25
    return south - pad, west - pad, north + pad, east + pad


def _place_rows(places) -> list[tuple[str, float, float]]:
    rows = []
    for p in places or ():
        if isinstance(p, Mapping):
            name, lat, lon = p.get("name") or p.get("text"), p.get("latitude", p.get("lat")), p.get("longitude", p.get("lon"))
        elif hasattr(p, "latitude") and hasattr(p, "text"):      # a geoparser Toponym
            name, lat, lon = (p.place.address if getattr(p, "place", None) else None) or p.text, p.latitude, p.longitude
            name = p.text if p.text else name
        else:
            name, lat, lon = p
        if lat is None or lon is None or not np.isfinite(lat) or not np.isfinite(lon):
            continue
        rows.append((str(name), round(float(lat), 5), round(float(lon), 5)))
    return sorted(set(rows))


def _read_overlay(overlay, i: int) -> tuple[dict, str]:
    if isinstance(overlay, Mapping):
        return dict(overlay), str(overlay.get("name") or f"Overlay {i + 1}")
    path = Path(os.fspath(overlay))
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ValueError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise ValueError(f"{path}: not a GeoJSON file ({type(exc).__name__}: {exc})".splitlines()[0]) from None
    if not isinstance(data, dict) or data.get("type") not in (
            "FeatureCollection", "Feature", "Point", "MultiPoint", "LineString", "MultiLineString",
            "Polygon", "MultiPolygon", "GeometryCollection"):
        raise ValueError(f"{path}: not a GeoJSON file (no GeoJSON 'type')")
    return data, path.stem


# An overlay feature keeps at most this many properties, as plain strings of this length.
OVERLAY_PROPERTIES = 20
OVERLAY_VALUE_CHARS = 200


def _clean_overlay(data: dict) -> dict:
    """The overlay's shapes, and each feature's properties as short strings (the page shows them as text)."""
    kind = data.get("type")
    if kind == "FeatureCollection":
        features = data.get("features") or []
    elif kind == "Feature":
        features = [data]
    else:
        features = [{"type": "Feature", "geometry": data}]
    out = []
    for f in features:
        if not (isinstance(f, Mapping) and isinstance(f.get("geometry"), Mapping)):
            continue
        props = f.get("properties") if isinstance(f.get("properties"), Mapping) else {}
        text = {str(k)[:60]: _property_text(v) for k, v in list(props.items())[:OVERLAY_PROPERTIES] if v is not None}
        out.append({"type": "Feature", "properties": text, "geometry": _clean_geometry(f["geometry"])})
    return {"type": "FeatureCollection", "features": out}


def _property_text(value) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return text[:OVERLAY_VALUE_CHARS]


def _clean_geometry(geometry: Mapping) -> dict:
    if geometry.get("type") == "GeometryCollection":
        return {"type": "GeometryCollection",
                "geometries": [_clean_geometry(g) for g in geometry.get("geometries", []) if isinstance(g, Mapping)]}
    return {"type": str(geometry.get("type")) if geometry.get("type") in _GEOMETRY_TYPES else "Point",
            "coordinates": _numbers(geometry.get("coordinates", []))}


_GEOMETRY_TYPES = {"Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon"}


def _numbers(value):
    if isinstance(value, (list, tuple)):
        return [_numbers(v) for v in value]
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else 0.0


def encode_payload(frame: pd.DataFrame, types: list[str], place_rows, outlines, country_labels,
                   title: str | None, region_labels=(), overlays=(), grid: bool = False) -> str:
    """The events as compact JSON, safe to sit inside a <script> element.

    Text values go into one string table (actors, places, sources repeat a lot) and each
    event is a short array of numbers; dates are days since 1970. With ``grid`` the events
    travel as typed columns with their clusters per zoom instead (``grid_payload``).
    """
    payload = {
        "title": title,
        "types": types,
        "styles": {t: TYPE_STYLES.get(t, OTHER_STYLE) for t in types},
        **(grid_payload(frame, types) if grid else _row_payload(frame, types)),
        "places": [list(p) for p in place_rows],
        "countries": country_labels,
        "regions": list(region_labels),
        "overlays": list(overlays),
        "outlines": outlines,
    }
    return script_safe_json(payload)


def _row_payload(frame: pd.DataFrame, types: list[str]) -> dict:
    """A small map's events: a string table and one short array per event."""
    strings: dict[str, int] = {}

    def codes(column: str) -> list:
        values, uniques = pd.factorize(frame[column].astype(object), use_na_sentinel=True)
        table = np.array([strings.setdefault(str(u), len(strings)) for u in uniques] + [-1], dtype=np.int64)
        return table[values].tolist()   # -1 (NA) indexes the trailing -1

    n = len(frame)
    type_index = {t: i for i, t in enumerate(types)}
    cols: dict[str, list] = {
        "lat": np.round(frame["latitude"].to_numpy(dtype=float), 5).tolist(),
        "lon": np.round(frame["longitude"].to_numpy(dtype=float), 5).tolist(),
        "day": _days(frame["event_date"]),
        "tp": _small_ints(frame["time_precision"]),
        "type": [type_index[t] for t in frame["event_type"].astype(object).tolist()],
        "gp": _small_ints(frame["geo_precision"]),
        "fat": frame["fatalities"].astype("int64").tolist(),
    }
    for key, column in _TEXT_COLUMNS.items():
        cols[key] = codes(column) if n else []
    rows = [list(r) for r in zip(*(cols[c] for c in COLUMNS))]
    return {"columns": {c: i for i, c in enumerate(COLUMNS)}, "strings": list(strings), "events": rows}


# The day column's value for an undated event in a grid payload (the smallest int32).
NO_DAY = np.iinfo(np.int32).min


def grid_payload(frame: pd.DataFrame, types: list[str]) -> dict:
    """A large map's events, in the grid's order, with the grid's clusters per zoom.

    Everything travels as one gzip-compressed block (base64) of typed little-endian arrays,
    each starting at a multiple of 4 bytes; ``layout`` names each part's ``[offset, bytes,
    type]``. Coordinates are integers of 1e-5 degree, clustered as the page reads them; dates
    are days since 1970 (``NO_DAY`` when unknown); precisions 0 when unknown. ``starts.Z``:
    per zoom, one bit per event (little-endian within each byte), set where a cluster begins.
    Text travels as Arrow lays it out (``_text_parts``), so no string becomes a Python object.
    """
    lat_e5 = np.round(frame["latitude"].to_numpy(dtype=float) * 1e5).astype(np.int32)
    lon_e5 = np.round(frame["longitude"].to_numpy(dtype=float) * 1e5).astype(np.int32)
    clusters = cluster_grid(lat_e5 / 1e5, lon_e5 / 1e5, min_zoom=MIN_ZOOM, max_zoom=MAX_ZOOM)
    order = clusters.order
    if len(types) > 255:
        raise ValueError(f"{len(types)} event types: a map draws at most 255")
    type_codes = pd.Categorical(frame["event_type"].astype(object), categories=types).codes.astype(np.uint8)
    days = pa.array(frame["event_date"].array).cast(pa.int32()) if len(frame) else pa.array([], pa.int32())
    days = days.fill_null(int(NO_DAY)).to_numpy(zero_copy_only=False).astype(np.int32)
    columns = {
        "lat": lat_e5, "lon": lon_e5, "day": days, "type": type_codes,
        "tp": _precision_codes(frame["time_precision"]), "gp": _precision_codes(frame["geo_precision"]),
        "fat": np.clip(frame["fatalities"].to_numpy(dtype=np.int64), 0, np.iinfo(np.int32).max).astype(np.int32),
    }
    parts: dict[str, np.ndarray] = {key: values[order] for key, values in columns.items()}
    for key, column in _TEXT_COLUMNS.items():
        parts.update(_text_parts(f"text.{key}", frame[column], order))
    for zoom, flags in clusters.first_cell_bits().items():
        parts[f"starts.{zoom}"] = np.packbits(flags, bitorder="little")
    block, layout = bytearray(), {}
    for key, values in parts.items():
        block += b"\0" * (-len(block) % 4)
        data = values.astype(values.dtype.newbyteorder("<")).tobytes()
        layout[key] = [len(block), len(data), values.dtype.name]
        block += data
    packed = base64.b64encode(gzip.compress(bytes(block), compresslevel=GZIP_LEVEL, mtime=0)).decode("ascii")
    return {"grid": {"n": len(frame), "minZoom": MIN_ZOOM, "maxZoom": MAX_ZOOM, "cellsAtZoom0": TILE_PX // CELL_PX,
                     "layout": layout, "packed": packed}}


# gzip's fastest level: on event columns 10-20 % larger than level 6 at a sixth of the time.
GZIP_LEVEL = 1


def _precision_codes(column: pd.Series) -> np.ndarray:
    return pd.to_numeric(column, errors="coerce").fillna(0).clip(0, 255).to_numpy(dtype=np.uint8)


def _text_parts(name: str, column: pd.Series, order: np.ndarray) -> dict[str, np.ndarray]:
    """A text column in the grid's order: UTF-8 bytes (``.data``) and where each value starts (``.offsets``).

    Values that repeat (actors, places, sources) are stored once, with one code per event
    (``.codes``, 0 = none); mostly distinct ones (notes, ids) once per event, with a bit per
    event (``.valid``) when some are missing.
    """
    values = pa.array(column.array, type=pa.string(), from_pandas=True)
    encoded = pc.dictionary_encode(values)
    parts = {}
    if len(encoded.dictionary) > len(values) // 2:
        values = values.take(pa.array(order))
        if values.null_count:
            parts[f"{name}.valid"] = np.packbits(values.is_valid().to_numpy(zero_copy_only=False), bitorder="little")
        strings = values.fill_null("")
    else:
        codes = encoded.indices.fill_null(-1).to_numpy()[order].astype(np.int64) + 1
        width = np.uint8 if len(encoded.dictionary) < 2 ** 8 else np.uint16 if len(encoded.dictionary) < 2 ** 16 else np.uint32
        parts[f"{name}.codes"] = codes.astype(width)
        strings = encoded.dictionary
    strings = pa.concat_arrays([strings]) if strings.offset else strings   # a fresh array: offsets from 0
    _, offsets, data = strings.buffers()
    offsets = np.frombuffer(offsets, dtype=np.int32)[:len(strings) + 1] if offsets is not None else np.zeros(1, np.int32)
    parts[f"{name}.offsets"] = offsets
    parts[f"{name}.data"] = np.frombuffer(data, dtype=np.uint8)[:offsets[-1]] if data is not None else np.zeros(0, np.uint8)
    return parts


def script_safe_json(value) -> str:
    """JSON that cannot end or alter the <script> element it sits in (``</script>``, ``<!--``, U+2028/9)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return (text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _days(column: pd.Series) -> list:
    days = pa.array(column.array).cast(pa.int32()) if len(column) else pa.array([], pa.int32())
    return days.to_pylist()


def _small_ints(column: pd.Series) -> list:
    return [None if v is pd.NA or v is None else int(v) for v in column.astype(object).tolist()]
