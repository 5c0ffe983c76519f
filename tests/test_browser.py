"""The HTML map in a real browser: headless Chromium (the Debian ``chromium`` package) driven by Playwright.

The page is saved with ``make_map(events).save(path)`` and opened from ``file://`` with the
network cut off (every request that is not ``file:``/``data:``/``blob:`` is recorded and
aborted). It must load with no JavaScript error, ask the network for nothing but map tiles,
draw one marker (or a cluster's share) per placed event, let the LayerControl and the date
slider change what is visible, and execute nothing from hostile article text.

The map's page contract (``geoevents.maps``): a global ``window.geoevents`` with ``events`` (an
array), ``visibleCount()`` (events currently shown) and ``setDateRange(fromIsoDate,
toIsoDate)`` (inclusive); range inputs ``#geoevents-date-from`` / ``#geoevents-date-to``; a
LayerControl with one overlay per ACLED event type.

Skipped, with the reason, when Playwright for Python, the Chromium executable
(``$GEOEVENTS_CHROMIUM``, default ``/usr/bin/chromium``) or ``geoevents.maps`` is missing.
Never run ``playwright install``: the tests use the system Chromium. A screenshot of the map is
saved to ``tests/artifacts/map.png`` for a person to look at.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import re
from pathlib import Path

import pytest

from geoevents.events.record import EVENT_TYPES, Event

CHROMIUM = os.environ.get("GEOEVENTS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
# Map tiles (z/x/y.png and friends) are the only network requests the page may attempt.
TILE_URL = re.compile(r"/\d+/\d+/\d+(@2x)?\.(png|jpe?g|webp|pbf)(\?.*)?$", re.IGNORECASE)
LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:")
READY = ("() => !!(window.geoevents && window.geoevents.ready !== false "
         "&& typeof window.geoevents.visibleCount === 'function')")

sync_api = pytest.importorskip(
    "playwright.sync_api",
    reason="Playwright for Python is not installed (pip install playwright; the browser is the Debian "
           "chromium package, never `playwright install`)")
if not os.access(CHROMIUM, os.X_OK):
    pytest.skip(f"no Chromium executable at {CHROMIUM} (apt-get install chromium, or set GEOEVENTS_CHROMIUM)",
                allow_module_level=True)
try:
    from geoevents.maps import make_map
except ImportError as exc:   # pragma: no cover - until the maps module lands
    pytest.skip(f"geoevents.maps is not importable ({exc})", allow_module_level=True)


# --- events ---------------------------------------------------------------------------------------

PLACES = [  # (location, lat, lon, iso3, country, admin1)
    ("Abu Kamal", 34.45226, 40.91854, "SYR", "Syria", "Deir ez-Zor"),
    ("Mayadin", 35.0207, 40.4527, "SYR", "Syria", "Deir ez-Zor"),
    ("Raqqa", 35.9528, 39.0079, "SYR", "Syria", "Raqqa"),
    ("Deir ez-Zor", 35.3359, 40.1408, "SYR", "Syria", "Deir ez-Zor"),
    ("Al Qaim", 34.3686, 41.0944, "IRQ", "Iraq", "Al Anbar"),
    ("Mosul", 36.335, 43.119, "IRQ", "Iraq", "Nineveh"),
    ("Tal Afar", 36.3768, 42.4485, "IRQ", "Iraq", "Nineveh"),
    ("Hawija", 35.3282, 43.7625, "IRQ", "Iraq", "Kirkuk"),
]
KINDS = [(kind, subs[0]) for kind, subs in EVENT_TYPES.items()][:4]   # Battles, Explosions, Violence, Protests
FIRST_DAY = dt.date(2017, 10, 1)
DAYS = 20


def make_events(n: int = 48) -> list[Event]:
    """``n`` events over 4 types, 8 places and 20 days, plus one with no place (never drawn)."""
    events = []
    for i in range(n):
        kind, sub = KINDS[i % len(KINDS)]
        place, lat, lon, iso3, country, admin1 = PLACES[i % len(PLACES)]
        day = FIRST_DAY + dt.timedelta(days=(i * 7) % DAYS)
        events.append(Event(
            event_id=f"GE{i:014d}", event_date=day.isoformat(), time_precision=1 + i % 3,
            event_type=kind, sub_event_type=sub, actor1="Islamic State", actor2="Civilians (Syria)" if i % 2 else None,
            location=place, latitude=lat + (i % 5) * 0.01, longitude=lon + (i % 7) * 0.01, geo_precision=1 + i % 2,
            country=country, iso3=iso3, admin1=admin1, fatalities=i % 6, source="Example Wire",
            source_url=f"https://example.org/news/{i}", notes=f"Event {i} at {place}.", confidence=0.8,
            trigger="strike", article_id=f"a{i}", published=day.isoformat()))
    events.append(Event(event_id="GE99999999999999", event_date="2017-10-03", time_precision=1,
                        event_type="Battles", sub_event_type="Armed clash", location=None, notes="Nowhere."))
    return events


HOSTILE = [
    "<script>window.__pwned=1</script>",
    '<img src=x onerror="window.__pwned=1">',
    "javascript:window.__pwned=1",
    '"><svg onload="window.__pwned=1">',
    "</script><script>window.__pwned=1</script>",
    "' onmouseover='window.__pwned=1' x='",
    "{{constructor.constructor('window.__pwned=1')()}}",
    "`${window.__pwned=1}`",                     # folium puts popup HTML in a JS template literal
    "<a href='javascript:window.__pwned=1'>x</a>",
]


def hostile_events() -> list[Event]:
    events = make_events(8)
    out = []
    for i, (event, text) in enumerate(zip(events, HOSTILE * 2)):
        out.append(Event(**{**event.to_dict(), "notes": f"Strike {text} killed 3.", "actor1": text, "actor2": text,
                            "location": text, "admin1": text, "source": text,
                            "source_url": text if i % 2 == 0 else f"javascript:window.__pwned={i}",
                            "trigger": text, "sub_event_type": event.sub_event_type}))
    return out


def placed(events) -> list[Event]:
    return [e for e in events if e.latitude is not None and e.longitude is not None]


# --- the browser ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as pw:
        try:
            chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        except sync_api.Error as exc:
            pytest.skip(f"Chromium at {CHROMIUM} does not start under Playwright ({str(exc).splitlines()[0]})")
        yield chromium
        chromium.close()


class Page:
    """A page opened offline, with everything that went wrong on it recorded."""

    def __init__(self, browser, path: Path, timeout_ms: float = 20_000, serve: dict[str, Path] | None = None):
        self.errors: list[str] = []        # uncaught exceptions and console errors
        self.requests: list[str] = []      # every non-local request the page attempted
        self.served: list[str] = []        # requests answered from ``serve`` (file name -> local file)
        self.serve = serve or {}
        self.dialogs: list[str] = []       # alert / confirm / prompt
        self.context = browser.new_context(viewport={"width": 1200, "height": 800}, service_workers="block")
        self.context.route("**/*", self._route)
        page = self.page = self.context.new_page()
        page.on("pageerror", lambda exc: self.errors.append(f"pageerror: {exc}"))
        page.on("console", self._console)
        page.on("dialog", self._dialog)
        page.goto(path.resolve().as_uri(), wait_until="load", timeout=timeout_ms)
        page.wait_for_function(READY, timeout=timeout_ms)

    def _route(self, route):
        url = route.request.url
        name = url.split("?")[0].rsplit("/", 1)[-1]
        if url.startswith(LOCAL_SCHEMES):
            route.continue_()
        elif url.startswith("https://") and name in self.serve:
            self.served.append(url)
            route.fulfill(path=str(self.serve[name]))
        else:
            self.requests.append(url)
            route.abort("internetdisconnected")

    def _console(self, msg):
        if msg.type != "error":
            return
        url = (msg.location or {}).get("url", "")
        if msg.text.startswith("Failed to load resource") and TILE_URL.search(url or ""):
            return   # a tile the cut-off network could not deliver
        self.errors.append(f"console: {msg.text} ({url})")

    def _dialog(self, dialog):
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def js(self, expression: str, arg=None):
        return self.page.evaluate(expression, arg)

    def visible(self) -> int:
        return self.js("() => window.geoevents.visibleCount()")

    def drawn(self, expected: int, timeout_ms: int = 5_000) -> dict:
        """What the marker pane shows, once it adds up to ``expected`` (cluster animations end) or time runs out."""
        try:
            self.page.wait_for_function(f"() => {{ const d = ({DRAWN})(); return d.inClusters + d.markers === {int(expected)}; }}",
                                        timeout=timeout_ms)
        except sync_api.TimeoutError:
            pass
        return self.js(DRAWN)

    def settle(self, ms: int = 400) -> None:
        self.page.wait_for_timeout(ms)   # marker cluster animations, debounced slider handlers

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def open_map(browser, tmp_path):
    pages = []

    def open_(events, name="map.html", serve=None, **kwargs) -> Page:
        path = tmp_path / name
        make_map(events, **kwargs).save(str(path))
        page = Page(browser, path, serve=serve)
        pages.append(page)
        return page

    yield open_
    for page in pages:
        page.close()


def assert_clean(page: Page) -> None:
    assert page.errors == []
    assert [url for url in page.requests if not TILE_URL.search(url)] == []   # nothing but tiles asked for
    assert page.dialogs == []


def assert_nothing_ran(page: Page, popup_texts: list[str]) -> None:
    """Hostile text opened in popups ran nothing, added no handlers or elements, and shows as text."""
    page.settle(800)                                               # time for onerror / onload to fire
    page.page.mouse.move(600, 400)
    assert page.js("() => typeof window.__pwned") == "undefined"
    assert page.js(INJECTED) == []
    assert all("window.__pwned" in text for text in popup_texts)   # shown as text, not dropped or run
    assert_clean(page)


# JavaScript helpers, run in the page.
DRAWN = """() => {
  const pane = document.querySelector('.leaflet-marker-pane');
  if (!pane) return {clusters: 0, inClusters: 0, markers: 0};
  const clusters = [...pane.querySelectorAll('.marker-cluster, .geoevents-cluster')];   // MarkerCluster's, or a large map's
  const inClusters = clusters.reduce((n, el) => n + (parseInt(el.textContent.replace(/\\D/g, ''), 10) || 0), 0);
  const markers = pane.querySelectorAll(
    '.leaflet-marker-icon.leaflet-interactive:not(.marker-cluster):not(.geoevents-cluster)').length;   // not labels
  return {clusters: clusters.length, inClusters, markers};
}"""

SET_OVERLAY = """([name, checked]) => {
  const labels = [...document.querySelectorAll('.leaflet-control-layers-overlays label')];
  const label = labels.find(l => l.textContent.trim().startsWith(name))
             || labels.find(l => l.textContent.includes(name));
  if (!label) return 'no overlay labelled ' + name + ' among: ' + labels.map(l => l.textContent.trim()).join(' | ');
  const input = label.querySelector('input');
  if (input.checked !== checked) input.click();   // Leaflet's LayerControl listens for the click
  return input.checked === checked ? 'ok' : 'checkbox did not change';
}"""

MOVE_SLIDER = """([id, fraction]) => {
  const el = document.getElementById(id);
  if (!el) return 'no element #' + id;
  if (el.type === 'date') {
    const lo = Date.parse(el.min), hi = Date.parse(el.max);
    el.value = new Date(lo + (hi - lo) * fraction).toISOString().slice(0, 10);
  } else {
    const lo = parseFloat(el.min || '0'), hi = parseFloat(el.max || '100'), step = parseFloat(el.step) || 1;
    el.value = String(lo + Math.round((hi - lo) * fraction / step) * step);
  }
  el.dispatchEvent(new Event('input', {bubbles: true}));
  el.dispatchEvent(new Event('change', {bubbles: true}));
  return 'ok';
}"""

OPEN_ALL_POPUPS = """async () => {
  // Every marker's popup and tooltip, whether bound up front or on first click / hover: each marker
  // is brought into view, out of its cluster, then hovered and clicked (Leaflet events, propagated
  // to the groups that handle them), as a reader would.
  const maps = Object.values(window).filter(v => v instanceof L.Map);
  if (!maps.length) return {maps: 0, popups: 0, tooltips: 0, texts: []};
  const map = maps[0], seen = new Set(), layers = [];
  let popups = 0, tooltips = 0;
  const texts = [];
  map.on('popupopen', e => { popups += 1; const el = e.popup.getElement(); if (el) texts.push(el.textContent); });
  map.on('tooltipopen', () => { tooltips += 1; });
  const visit = layer => {
    if (!layer || seen.has(layer)) return;
    seen.add(layer); layers.push(layer);
    if (typeof layer.getLayers === 'function') layer.getLayers().forEach(visit);
  };
  map.eachLayer(visit);
  Object.values(window).filter(v => v instanceof L.Layer).forEach(visit);
  const clusters = layers.filter(layer => L.MarkerClusterGroup && layer instanceof L.MarkerClusterGroup);
  for (const layer of layers) {
    if (!(layer instanceof L.Marker || layer instanceof L.CircleMarker) || !layer.getLatLng) continue;
    const e = {latlng: layer.getLatLng(), originalEvent: new MouseEvent('click')};
    // Zoomed in on the marker, a cluster group draws it (or spiderfies the few at the same spot).
    const zoom = Number.isFinite(map.getMaxZoom()) ? map.getMaxZoom() : 18;
    map.closePopup();
    map.setView(e.latlng, zoom, {animate: false});
    await new Promise(r => setTimeout(r, 400));            // the cluster group's zoom animation
    const group = clusters.find(g => g.hasLayer(layer));
    if (group && !layer._map) {
      const parent = group.getVisibleParent(layer);
      if (parent && parent.spiderfy) { parent.spiderfy(); await new Promise(r => setTimeout(r, 400)); }
    }
    layer.fire('mouseover', e, true);
    layer.fire('click', e, true);
    if (layer.getPopup && layer.getPopup() && !layer.isPopupOpen()) {
      if (layer._map) layer.openPopup();
      else L.popup({autoPan: false}).setLatLng(e.latlng).setContent(layer.getPopup().getContent()).openOn(map);
    }
    await new Promise(r => setTimeout(r, 0));
  }
  return {maps: maps.length, popups, tooltips, texts};
}"""

INJECTED = """() => {
  const found = [];
  document.querySelectorAll('a[href]').forEach(a => {
    if (/^\\s*javascript:/i.test(a.getAttribute('href'))) found.push('javascript: link ' + a.outerHTML.slice(0, 80));
  });
  document.querySelectorAll('.leaflet-popup-content *, .leaflet-tooltip *, .leaflet-control *').forEach(el => {
    for (const attr of el.attributes) if (/^on/i.test(attr.name)) found.push('handler ' + el.outerHTML.slice(0, 80));
    if (['SCRIPT', 'IFRAME', 'OBJECT', 'EMBED'].includes(el.tagName)) found.push('element ' + el.outerHTML.slice(0, 80));
  });
  return found;
}"""


# --- the tests --------------------------------------------------------------------------------------

def test_page_loads_offline_without_errors_and_draws_every_event(open_map):
    events = make_events()
    page = open_map(events)
    page.settle(800)
    assert_clean(page)
    n = len(placed(events))
    assert page.js("() => Array.isArray(window.geoevents.events)")
    assert page.js("() => window.geoevents.events.length") in (n, len(events))
    assert page.visible() == n
    drawn = page.drawn(n)
    assert drawn["clusters"] + drawn["markers"] > 0, drawn       # clusters or markers in the marker pane
    assert drawn["inClusters"] + drawn["markers"] == n, drawn    # the map fits the events: all of them drawn
    assert page.js("() => document.querySelectorAll('.leaflet-control-layers').length") >= 1
    ARTIFACTS.mkdir(exist_ok=True)
    page.page.screenshot(path=str(ARTIFACTS / "map.png"))


def test_unchecking_an_event_type_layer_hides_its_events(open_map):
    events = make_events()
    page = open_map(events)
    total = page.visible()
    kind = "Battles"
    of_kind = sum(1 for e in placed(events) if e.event_type == kind)
    assert page.js(SET_OVERLAY, [kind, False]) == "ok"
    page.settle()
    assert page.visible() == total - of_kind
    drawn = page.drawn(total - of_kind)
    assert drawn["inClusters"] + drawn["markers"] == total - of_kind, drawn
    assert page.js(SET_OVERLAY, [kind, True]) == "ok"
    page.settle()
    assert page.visible() == total
    assert_clean(page)


def test_the_date_slider_filters_events(open_map):
    events = make_events()
    page = open_map(events)
    total = page.visible()
    assert page.js(MOVE_SLIDER, ["geoevents-date-from", 0.5]) == "ok"
    page.settle()
    later = page.visible()
    assert 0 < later < total
    assert page.js(MOVE_SLIDER, ["geoevents-date-to", 0.5]) == "ok"
    page.settle()
    assert page.visible() < later
    # the API the slider drives: an inclusive range of ISO dates
    day = FIRST_DAY + dt.timedelta(days=7)
    page.js("([a, b]) => window.geoevents.setDateRange(a, b)", [day.isoformat(), day.isoformat()])
    page.settle()
    assert page.visible() == sum(1 for e in placed(events) if e.event_date == day.isoformat())
    page.js("([a, b]) => window.geoevents.setDateRange(a, b)", ["2017-01-01", "2017-12-31"])
    page.settle()
    assert page.visible() == total
    # the slider and the layers work together
    assert page.js(SET_OVERLAY, ["Battles", False]) == "ok"
    page.js("([a, b]) => window.geoevents.setDateRange(a, b)", [day.isoformat(), day.isoformat()])
    page.settle()
    assert page.visible() == sum(1 for e in placed(events)
                                 if e.event_date == day.isoformat() and e.event_type != "Battles")
    assert_clean(page)


def test_hostile_text_executes_nothing(open_map):
    events = hostile_events()
    page = open_map(events, name="hostile.html")
    page.settle()
    assert page.visible() == len(placed(events))
    opened = page.js(OPEN_ALL_POPUPS)
    assert opened["maps"] == 1
    assert opened["popups"] >= len(placed(events))                # every event's popup was rendered
    assert_nothing_ran(page, opened["texts"])


def test_region_names_show_when_zoomed_in(open_map):
    page = open_map(make_events())
    labels = page.js("() => [...document.querySelectorAll('.geoevents-region')].map(e => e.textContent)")
    assert {"Deir ez-Zor", "Raqqa", "Nineveh"} <= set(labels)
    shown = "() => [...document.querySelectorAll('.geoevents-region')].filter(e => e.offsetParent).length"
    page.js("() => window.geoevents.map.setZoom(7, {animate: false})")
    page.settle()
    assert page.js(shown) > 0
    page.js("() => window.geoevents.map.setZoom(4, {animate: false})")
    page.settle()
    assert page.js(shown) == 0            # country scale: region names would bury the events
    assert_clean(page)


def installed_assets() -> dict[str, Path]:
    """What the --cdn page's links name (leaflet.js, MarkerCluster.css, images/layers.png ...) -> installed file."""
    from geoevents.maps import assets

    files = {}
    for folder in (assets._leaflet_dir(), assets._leaflet_dir() / "images", assets._markercluster_dir()):
        files.update({f.name: f for f in folder.iterdir() if f.is_file()})
    files["leaflet_heat.min.js"] = assets._folium_templates() / "leaflet_heat.min.js"
    return files


def test_cdn_mode_works_with_the_versions_it_links(open_map):
    # The CDN answers are the installed packages' files: the page links exactly those versions.
    events = make_events()
    page = open_map(events, name="cdn.html", cdn=True, serve=installed_assets())
    page.settle(800)
    assert_clean(page)
    assert any("leaflet.markercluster.js" in url for url in page.served)
    assert any(url.endswith("/leaflet.js") for url in page.served)
    assert page.visible() == len(placed(events))
    assert page.js(MOVE_SLIDER, ["geoevents-date-from", 0.5]) == "ok"
    page.settle()
    assert 0 < page.visible() < len(placed(events))


def test_overlay_properties_show_as_text(open_map, tmp_path):
    hostile = "<img src=x onerror=\"window.__pwned=1\">"
    overlay = tmp_path / "front line.geojson"
    overlay.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": hostile, "held_by": "SDF", "since": 2017},
         "geometry": {"type": "LineString", "coordinates": [[39.0, 35.9], [40.1, 35.3]]}},
        {"type": "Feature", "properties": {"name": "Checkpoint"}, "geometry": {"type": "Point", "coordinates": [40.4, 35.0]}},
    ]}), encoding="utf-8")
    page = open_map(make_events(8), name="overlay.html", overlays=[overlay])
    texts = page.js("""() => {
      const out = [];
      window.geoevents.map.eachLayer(layer => {
        if (layer.feature && layer.getPopup && layer.getPopup()) {
          layer.openPopup(layer.getCenter ? layer.getCenter() : layer.getLatLng());
          out.push(layer.getPopup().getElement().textContent);
        }
      });
      return out;
    }""")
    page.settle(500)
    assert len(texts) == 2
    assert any(hostile in t and "held_by" in t and "2017" in t for t in texts)   # shown as text
    assert page.js("() => typeof window.__pwned") == "undefined"
    assert page.js(INJECTED) == []
    assert page.js(SET_OVERLAY, ["front line", False]) == "ok"
    assert_clean(page)


# --- large maps: clustered when built, drawn by what is in view ---------------------------------------

LARGE = {"cluster_in_browser_up_to": 500}   # the large-map path at test sizes


def spread_events(n: int = 3000, seed: int = 11) -> list[Event]:
    """``n`` events over 4 types and 60 days, scattered over Syria and Iraq; every 25th on one spot."""
    import random

    rng = random.Random(seed)
    events = []
    for i in range(n):
        kind, sub = KINDS[i % len(KINDS)]
        lat, lon = (35.33590, 40.14080) if i % 25 == 0 else (round(rng.uniform(32.5, 37.0), 5), round(rng.uniform(36.5, 45.5), 5))
        day = (FIRST_DAY + dt.timedelta(days=rng.randrange(60))).isoformat()
        events.append(Event(
            event_id=f"GL{i:014d}", event_date=day, time_precision=1, event_type=kind, sub_event_type=sub,
            actor1="Islamic State", location=f"Place {i % 50}", latitude=lat, longitude=lon, geo_precision=1,
            country="Syria", iso3="SYR", fatalities=i % 4, source="Example Wire",
            source_url=f"https://example.org/large/{i}", notes=f"Large-map event {i}.", confidence=0.8,
            trigger="strike", article_id=f"l{i}", published=day))
    return events


def expected_in_view(page: Page, events, types_off=(), days=None) -> int:
    """Events whose point lies in the page's drawn area and that pass the filters, counted here in Python."""
    south, west, north, east = page.js("() => window.geoevents.drawBounds()")
    return sum(1 for e in placed(events)
               if e.event_type not in types_off and (days is None or days[0] <= e.event_date <= days[1])
               and south <= e.latitude <= north and west <= e.longitude <= east)


def check_drawn(page: Page, expected: int) -> dict:
    """The markers and clusters drawn add up to ``expected``, in the DOM and in the page's own list."""
    drawn = page.drawn(expected)
    assert drawn["inClusters"] + drawn["markers"] == expected, drawn
    items = page.js("() => window.geoevents.drawn()")
    south, west, north, east = page.js("() => window.geoevents.drawBounds()")
    assert sum(item["count"] for item in items) == expected
    assert len(items) == drawn["clusters"] + drawn["markers"]
    assert all(south <= it["lat"] <= north and west <= it["lon"] <= east for it in items)   # drawn where they are
    return drawn


def set_view(page: Page, lat: float, lon: float, zoom: int) -> None:
    page.js("([c, z]) => window.geoevents.map.setView(c, z, {animate: false})", [[lat, lon], zoom])
    page.settle(200)


def test_large_map_draws_what_is_in_view_and_it_adds_up(open_map):
    events = spread_events()
    page = open_map(events, name="large.html", **LARGE)
    assert_clean(page)
    assert page.js("() => window.geoevents.mode") == "grid"
    assert page.visible() == len(placed(events))
    assert page.js("() => +window.geoevents.map.getContainer().dataset.geoeventsCount") == len(placed(events))
    seen = {"clusters": 0, "markers": 0}
    for view in [None, (35.3, 40.1, 8), (34.0, 38.0, 10), (35.3359, 40.1408, 17), (33.0, 44.0, 12), (30.0, 20.0, 3)]:
        if view:
            set_view(page, *view)
        drawn = check_drawn(page, expected_in_view(page, events))
        seen = {k: seen[k] + drawn[k] for k in seen}
    assert seen["clusters"] and seen["markers"]          # both kinds were drawn somewhere
    # exactly the viewport: no margin around it
    set_view(page, 34.5, 40.0, 9)
    page.js("() => window.geoevents.setViewPadding(0)")
    view = page.js("() => { const b = window.geoevents.map.getBounds(); return [b.getSouth(), b.getWest(), b.getNorth(), b.getEast()]; }")
    assert page.js("() => window.geoevents.drawBounds()") == pytest.approx(view)
    check_drawn(page, expected_in_view(page, events))
    assert_clean(page)


def test_large_map_clicks_zoom_into_clusters_and_open_popups(open_map):
    events = spread_events()
    page = open_map(events, name="large-click.html", **LARGE)
    zoom = page.js("() => window.geoevents.map.getZoom()")
    box = page.page.locator(".geoevents-cluster").first.bounding_box()
    page.page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.settle(500)
    assert page.js("() => window.geoevents.map.getZoom()") > zoom            # a cluster opens by zooming in
    check_drawn(page, expected_in_view(page, events))
    set_view(page, 34.0, 38.0, 12)
    x, y = page.js("""() => {   // the event marker nearest the middle of the map (clear of the controls)
      const centre = (el) => { const r = el.getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; };
      const far = (el) => { const [x, y] = centre(el); return Math.hypot(x - 600, y - 400); };
      const markers = [...document.querySelectorAll('.geoevents-marker.leaflet-interactive')];
      return centre(markers.sort((a, b) => far(a) - far(b))[0]);
    }""")
    page.page.mouse.click(x, y)
    page.settle(300)
    text = page.js("() => document.querySelector('.leaflet-popup-content').textContent")
    assert re.search(r"Large-map event \d+\.", text) and "Islamic State" in text
    # the stack on one spot: at the closest zoom it stays a cluster, whose popup lists its events
    set_view(page, 35.3359, 40.1408, 17)
    stack = sum(1 for e in events if (e.latitude, e.longitude) == (35.3359, 40.1408))
    assert page.js("() => window.geoevents.drawn().filter(d => d.count > 1).map(d => d.count)") == [stack]
    page.js("() => window.geoevents.drawnLayers().find(l => l.geoeventsItem).fire('click')")
    page.settle(300)
    text = page.js("() => document.querySelector('.leaflet-popup-content').textContent")
    assert f"{stack} events here" in text and len(re.findall(r"Large-map event \d+\.", text)) == min(stack, 20)
    assert_clean(page)


def test_large_map_layer_toggles_slider_and_heat_follow_the_filters(open_map):
    events = spread_events()
    page = open_map(events, name="large-filters.html", **LARGE)
    total = len(placed(events))
    battles = sum(1 for e in placed(events) if e.event_type == "Battles")
    assert page.js(SET_OVERLAY, ["Battles", False]) == "ok"
    page.settle()
    assert page.visible() == total - battles
    check_drawn(page, expected_in_view(page, events, types_off={"Battles"}))
    assert page.js(MOVE_SLIDER, ["geoevents-date-from", 0.5]) == "ok"
    page.settle()
    days = page.js("() => window.geoevents.dateRange()")
    later = page.visible()
    assert 0 < later < total - battles
    assert later == sum(1 for e in placed(events) if e.event_type != "Battles" and days[0] <= e.event_date <= days[1])
    check_drawn(page, expected_in_view(page, events, types_off={"Battles"}, days=days))
    set_view(page, 34.5, 41.0, 10)                      # zoomed in, the filters still hold
    check_drawn(page, expected_in_view(page, events, types_off={"Battles"}, days=days))
    assert page.js(SET_OVERLAY, ["Battles", True]) == "ok"
    day = (FIRST_DAY + dt.timedelta(days=9)).isoformat()
    page.js("([a, b]) => window.geoevents.setDateRange(a, b)", [day, day])
    page.settle()
    assert page.visible() == sum(1 for e in placed(events) if e.event_date == day)
    check_drawn(page, expected_in_view(page, events, days=[day, day]))
    assert page.js(SET_OVERLAY, ["Heat map", True]) == "ok"
    page.settle()
    assert page.js("() => window.geoevents.heat._latlngs.length") == page.visible()
    page.js("() => window.geoevents.setDateRange(null, null)")
    assert page.js("() => window.geoevents.heat._latlngs.length") == total
    assert page.js("() => document.querySelector('.geoevents-count').textContent") == f"{total} of {total} events"
    assert_clean(page)


def test_large_map_clusters_are_the_ones_built_in_python(open_map):
    from geoevents.maps.grid import cluster_grid

    events = spread_events(1500)
    page = open_map(events, name="large-python.html", **LARGE)
    clusters = cluster_grid([e.latitude for e in events], [e.longitude for e in events], min_zoom=2, max_zoom=17)
    for zoom in (2, 7, 12, 17):
        assert page.js("z => window.geoevents.clusterCount(z)", zoom) == len(clusters.starts[zoom])


OPEN_GRID_POPUPS = """async () => {
  // Every event of a large map, brought into view at the closest zoom; its marker (or, when it
  // shares the spot with others, its cluster) is hovered and clicked.
  const g = window.geoevents, texts = [];
  let tooltips = 0;
  g.map.on('popupopen', e => texts.push(e.popup.getElement().textContent));
  g.map.on('tooltipopen', () => { tooltips += 1; });
  for (let i = 0; i < g.eventCount; i++) {
    const ev = g.event(i);
    g.map.closePopup();
    g.map.setView([ev.latitude, ev.longitude], g.zooms[1], {animate: false});
    await new Promise(r => setTimeout(r, 30));
    const layer = g.layerOf(i);
    if (!layer) return {error: 'event ' + i + ' is not drawn'};
    layer.fire('mouseover');
    layer.fire('click');
    await new Promise(r => setTimeout(r, 30));
  }
  return {texts, tooltips};
}"""


def test_large_map_hostile_text_executes_nothing(open_map):
    events = placed(hostile_events())
    stacked = [Event(**{**e.to_dict(), "event_id": f"GS{i:014d}", "latitude": 35.5, "longitude": 40.5})
               for i, e in enumerate(events)]
    page = open_map(events + stacked, name="large-hostile.html", cluster_in_browser_up_to=0,
                    title="</title><script>window.__pwned=1</script>")
    assert page.js("() => window.geoevents.mode") == "grid"
    assert page.visible() == len(events) * 2
    opened = page.js(OPEN_GRID_POPUPS)
    assert "error" not in opened, opened
    assert len(opened["texts"]) == len(events) * 2 and opened["tooltips"] >= len(events)
    assert any(f"{len(stacked)} events here" in t for t in opened["texts"])      # the stack's list popup
    assert_nothing_ran(page, opened["texts"])
