"""Layered, self-contained HTML maps of events (folium + the project's own JS/CSS).

``make_map(events_or_frame, *, places=None, overlays=(), title=None, cdn=False)`` returns a
``folium.Map`` (renders inline in Jupyter; ``.save(path)`` writes one HTML file that works
offline: every script and stylesheet is inlined from installed packages unless ``cdn=True``).

Layers, in one LayerControl: one layer per ACLED event type, all sharing one MarkerCluster
(FeatureGroupSubGroup); "Heat map (weight 1 + fatalities)" (off at first); "Places mentioned,
not event sites"; "Euphrates and Tigris (approximate course)"; each user GeoJSON overlay;
"Country outlines (offline base)"; "Country names"; "OpenStreetMap (online)" tiles.

Hooks for browser tests (stable; change them only together with the tests):

- ``window.geoevents`` once the page has loaded; wait for ``geoevents.ready === true`` (large
  maps cluster their first load in chunks so the page stays responsive; ``loading()`` is true
  meanwhile, and a filter asked for then runs when it ends):
  ``events`` (decoded events: ``id, event_date, event_type, sub_event_type, actor1, actor2,
  location, latitude, longitude, fatalities, source, source_url, notes, ...``),
  ``visibleCount()`` (events now in the cluster: within the date range and of a type whose
  layer is on), ``inRangeCount`` (events within the date range, whatever the layers),
  ``setDateRange(from, to)`` (ISO dates or null for open ends; returns ``visibleCount()``),
  ``dateRange()`` (``[from, to]`` ISO), ``types``, ``groups`` (one Leaflet sub-group per type,
  same order), ``cluster``, ``heat``, ``map``, ``markers``, ``popupContent(i)`` (the popup DOM node
  of event ``i``), ``timings`` (ms from the start of the build: ``parse``, ``markers``, ``total``).
- The slider inputs: ``<input type=range id="geoevents-date-from">`` and
  ``id="geoevents-date-to"`` (values: days since 1970-01-01); ``.geoevents-count`` shows
  "N of M events". Undated events are shown only while the full range is selected.
- The map container carries ``data-geoevents-count`` = number of events drawn (with coordinates).
- The payload is a ``<script type="application/json" id="geoevents-data-...">`` block.

Large maps (more than ``CLUSTER_IN_BROWSER_UP_TO`` events, or the ``cluster_in_browser_up_to``
argument) are clustered when built (``grid.py``) and drawn by ``static/geoevents-grid.js``; their
``window.geoevents`` has ``mode === "grid"``, the same ``visibleCount()``, ``setDateRange``,
``dateRange()``, ``inRangeCount``, ``types``, ``groups`` (plain layers that switch a type on and
off), ``heat``, ``map``, ``popupContent(i)``, ``timings``, and ``events`` (decoded on first use, in
the grid's order), plus ``eventCount``, ``event(i)``, ``drawn()`` (what is drawn now: ``{lat, lon,
count, index, zoom}``, ``index`` the event of a single marker, else -1), ``drawnLayers()``,
``markerOf(i)`` (event ``i``'s marker when drawn on its own), ``drawBounds()`` (``[south, west,
north, east]`` of the drawn area: the view and a margin), ``setViewPadding(p)`` (that margin, a
fraction of the view; 0 draws exactly the view), ``clusterCount(zoom)`` and ``zooms`` (``[min,
max]``). Clusters are ``.geoevents-cluster`` markers whose text is their count.
"""
from __future__ import annotations

from .build import (CLUSTER_IN_BROWSER_UP_TO, LAYER_COUNTRIES, LAYER_HEAT, LAYER_OUTLINES, LAYER_PLACES,
                    LAYER_REGIONS, LAYER_RIVERS, TYPE_STYLES, make_map)
from .grid import GridClusters, cluster_grid

__all__ = ["make_map", "TYPE_STYLES", "LAYER_HEAT", "LAYER_PLACES", "LAYER_RIVERS", "LAYER_OUTLINES",
           "LAYER_COUNTRIES", "LAYER_REGIONS", "CLUSTER_IN_BROWSER_UP_TO", "cluster_grid", "GridClusters"]
