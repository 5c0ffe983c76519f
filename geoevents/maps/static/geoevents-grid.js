/* geoevents map, large maps: draws only what is in view, from clusters computed when the map was built.
 *
 * The payload's "grid" holds one gzip block (base64): the events as typed columns in the grid's
 * Z-order, per zoom level one bit per event ("a cluster starts here", geoevents/maps/grid.py),
 * and the text columns as UTF-8 bytes with offsets; "layout" says where each part lies. The members of
 * each cluster are one run of consecutive events, so with running sums over the events that pass
 * the filters (date range, type layers on) a cluster's count and mean position cost two
 * subtractions; clusters cut by the edge of the drawn area count only their members inside it.
 * At every zoom a cluster of one is drawn as its event's marker, with the event's popup. Cells
 * whose clusters would overlap on screen (their events near a shared edge) are drawn as one.
 *
 * Article text is hostile: it only reaches the page through textContent / text nodes (the popup
 * and tooltip builders shared with geoevents-map.js).
 */
(function () {
  "use strict";

  var NO_DAY = -2147483648;   // the day column's "undated"
  var COORD_SCALE = 1e5;      // coordinates travel as integers of 1e-5 degree
  var EDGE = 1e-9;            // degrees: rounding room when a cell's box is compared with the view
  var LIST_MAX = 20;          // a stack's popup shows this many events, then says how many more
  var MERGE_PX = 44;          // clusters of neighbouring cells closer than this on screen are drawn as one

  function bytesOf(b64) {
    var s = atob(b64), out = new Uint8Array(s.length);
    for (var i = 0; i < s.length; i++) { out[i] = s.charCodeAt(i); }
    return out;
  }

  var ARRAYS = {int32: Int32Array, uint8: Uint8Array, uint16: Uint16Array, uint32: Uint32Array};

  // A part of the unpacked block, as the typed array the layout names (null when absent).
  function parts(buffer, layout) {
    return function (key) {
      var p = layout[key], Kind = p && ARRAYS[p[2]];
      return p ? new Kind(buffer, p[0], p[1] / Kind.BYTES_PER_ELEMENT) : null;
    };
  }

  // A text column, decoded one value at a time when asked: either one value per event (a missing
  // one flagged in .valid), or a table of values and one code per event (0: none).
  function textColumn(part, name) {
    var offsets = part(name + ".offsets"), chars = part(name + ".data"), codes = part(name + ".codes");
    var valid = part(name + ".valid"), decoder = new TextDecoder();
    function at(j) { return decoder.decode(chars.subarray(offsets[j], offsets[j + 1])); }
    if (codes) {
      var table = new Array(offsets.length - 1);
      return function (i) {
        var c = codes[i];
        if (c === 0) { return null; }
        if (table[c - 1] === undefined) { table[c - 1] = at(c - 1); }
        return table[c - 1];
      };
    }
    return function (i) { return valid && !((valid[i >> 3] >> (i & 7)) & 1) ? null : at(i); };
  }

  function unitX(lon) { return (lon + 180) / 360; }

  function unitY(lat) {
    var phi = Math.max(-85.05112878, Math.min(85.05112878, lat)) * Math.PI / 180;
    return 0.5 - Math.log(Math.tan(Math.PI / 4 + phi / 2)) / (2 * Math.PI);
  }

  function latOfUnitY(y) { return Math.atan(Math.sinh(Math.PI * (1 - 2 * y))) * 180 / Math.PI; }

  // Unpacks the block (the browser's own gzip, off the main thread), then draws; window.geoevents
  // appears when the first view is drawn.
  window.geoeventsGrid = function (opts, data, ui, t0, timings) {
    if (typeof DecompressionStream === "undefined") {
      console.error("geoevents: this browser cannot unpack the map's events (no DecompressionStream)");
      return null;
    }
    var stream = new Blob([bytesOf(data.grid.packed)]).stream().pipeThrough(new DecompressionStream("gzip"));
    new Response(stream).arrayBuffer().then(function (buffer) {
      timings.unpack = performance.now() - t0;
      drawGrid(opts, data, ui, t0, timings, buffer);
    }).catch(function (err) {
      console.error("geoevents: the map's events could not be read (" + err + ")");
    });
    return null;
  };

  function drawGrid(opts, data, ui, t0, timings, buffer) {
    var g = data.grid, n = g.n, map = opts.map, heat = opts.heat, groups = opts.groups, part = parts(buffer, g.layout);
    var latE5 = part("lat"), lonE5 = part("lon"), day = part("day");
    var type = part("type"), tp = part("tp"), gp = part("gp"), fat = part("fat");
    var lat = new Float64Array(n), lon = new Float64Array(n);
    var minDay = null, maxDay = null;
    for (var i = 0; i < n; i++) {
      lat[i] = latE5[i] / COORD_SCALE; lon[i] = lonE5[i] / COORD_SCALE;
      var d = day[i];
      if (d !== NO_DAY) {
        if (minDay === null || d < minDay) { minDay = d; }
        if (maxDay === null || d > maxDay) { maxDay = d; }
      }
    }
    var text = {};
    ["sub", "a1", "a2", "loc", "src", "url", "notes", "id"].forEach(function (key) { text[key] = textColumn(part, "text." + key); });
    timings.decode = performance.now() - t0;

    // One event as the popups and window.geoevents.events see it (index: its place in Z-order).
    function event(k) {
      var d = day[k] === NO_DAY ? null : day[k];
      return {
        index: k, id: text.id(k), latitude: lat[k], longitude: lon[k], day: d, event_date: ui.isoDay(d),
        time_precision: tp[k] || null, type: type[k], event_type: data.types[type[k]],
        sub_event_type: text.sub(k), actor1: text.a1(k), actor2: text.a2(k), location: text.loc(k),
        geo_precision: gp[k] || null, fatalities: fat[k], source: text.src(k), source_url: text.url(k),
        notes: text.notes(k)
      };
    }
    var decoded = null;

    // The filters: which events pass, and running sums of count and coordinates over them.
    var range = {from: minDay, to: maxDay};
    var pass = new Uint8Array(n), cum = new Int32Array(n + 1);
    var cumLat = new Float64Array(n + 1), cumLon = new Float64Array(n + 1);   // integers, so exact
    function refilter() {
      var whole = range.from === minDay && range.to === maxDay;   // undated events: only unfiltered
      var on = groups.map(function (group) { return map.hasLayer(group); });
      var c = 0, sumLat = 0, sumLon = 0, inRange = 0;
      for (var k = 0; k < n; k++) {
        var dk = day[k], ok = dk === NO_DAY ? whole : dk >= range.from && dk <= range.to;
        if (ok) { inRange++; ok = on[type[k]]; }
        pass[k] = ok ? 1 : 0;
        if (ok) { c++; sumLat += latE5[k]; sumLon += lonE5[k]; }
        cum[k + 1] = c; cumLat[k + 1] = sumLat; cumLon[k + 1] = sumLon;
      }
      api.inRangeCount = inRange;
      panel.count(inRange + " of " + n + " events");
      heatStale = true;
      feedHeat();
    }

    // Cluster starts per zoom, unpacked from the bit masks on first use.
    var levels = {};
    function startsAt(z) {
      if (levels[z]) { return levels[z]; }
      var bits = part("starts." + z), count = 0, k;
      for (k = 0; k < n; k++) { count += (bits[k >> 3] >> (k & 7)) & 1; }
      var starts = new Int32Array(count + 1), j = 0;
      for (k = 0; k < n; k++) { if ((bits[k >> 3] >> (k & 7)) & 1) { starts[j++] = k; } }
      starts[count] = n;
      levels[z] = starts;
      return starts;
    }

    // The drawn area: the view and a margin around it (so short pans show drawn events), on the
    // main copy of the world.
    var padding = 0.25, box = null;
    function drawBounds() {
      var b = map.getBounds().pad(padding);
      return {south: Math.max(-90, b.getSouth()), west: Math.max(-180, b.getWest()),
              north: Math.min(90, b.getNorth()), east: Math.min(180, b.getEast())};
    }
    function inBox(k, b) { return lat[k] >= b.south && lat[k] <= b.north && lon[k] >= b.west && lon[k] <= b.east; }

    // A drawn item's events that pass the filters (and lie in the drawn area, where it cut a cell).
    function membersOf(item) {
      var out = [];
      item.cells.forEach(function (cell) {
        for (var k = cell.start; k < cell.end; k++) {
          if (pass[k] && (!cell.box || inBox(k, cell.box))) { out.push(k); }
        }
      });
      return out;
    }

    // The first passing event at or after position s (the running count steps up there).
    function firstPassing(s, e) {
      var lo = s, hi = e - 1, base = cum[s];
      while (lo < hi) {
        var mid = (lo + hi) >> 1;
        if (cum[mid + 1] > base) { hi = mid; } else { lo = mid + 1; }
      }
      return lo;
    }

    // What zoom z shows inside b: one item per cluster with passing events.
    function itemsAt(z, b) {
      var starts = startsAt(z), cells = starts.length - 1, side = g.cellsAtZoom0 * Math.pow(2, z);
      var cellLon = 360 / side, items = [];
      for (var c = 0; c < cells; c++) {
        var s = starts[c], e = starts[c + 1];
        if (cum[e] === cum[s]) { continue; }
        var la = lat[s], lo = lon[s];
        // A cell spans at most cellLon degrees of latitude too (Mercator cells are square on screen).
        if (la < b.south - cellLon || la > b.north + cellLon || lo < b.west - cellLon || lo > b.east + cellLon) {
          continue;
        }
        var fx = unitX(lo) * side, fy = unitY(la) * side;
        var cx = Math.min(side - 1, Math.max(0, Math.floor(fx))), cy = Math.min(side - 1, Math.max(0, Math.floor(fy)));
        var sure = fx - cx > 1e-6 && cx + 1 - fx > 1e-6 && fy - cy > 1e-6 && cy + 1 - fy > 1e-6;
        var west = cx / side * 360 - 180, east = (cx + 1) / side * 360 - 180;
        var north = latOfUnitY(cy / side), south = latOfUnitY((cy + 1) / side);
        if (sure && (east + EDGE < b.west || west - EDGE > b.east || north + EDGE < b.south || south - EDGE > b.north)) {
          continue;
        }
        var inside = sure && west - EDGE >= b.west && east + EDGE <= b.east && south - EDGE >= b.south &&
                     north + EDGE <= b.north;
        var count, sumLat, sumLon, single = -1;
        if (inside) {
          count = cum[e] - cum[s]; sumLat = cumLat[e] - cumLat[s]; sumLon = cumLon[e] - cumLon[s];
          if (count === 1) { single = firstPassing(s, e); }
        } else {
          count = 0; sumLat = 0; sumLon = 0;
          for (var k = s; k < e; k++) {
            if (pass[k] && inBox(k, b)) { count++; sumLat += latE5[k]; sumLon += lonE5[k]; single = k; }
          }
          if (!count) { continue; }
        }
        items.push({zoom: z, cells: [{start: s, end: e, box: inside ? null : b}], count: count,
                    single: count === 1 ? single : -1, key: (count === 1 ? "e" + single : "c" + z + "/" + s),
                    lat: sumLat / count / COORD_SCALE, lon: sumLon / count / COORD_SCALE});
      }
      return items;
    }

    // Items closer than MERGE_PX on screen become one, largest first, at their events' mean.
    function mergeClose(items, z) {
      var order = items.slice().sort(function (a, b) { return b.count - a.count; });
      var points = order.map(function (it) { return map.project([it.lat, it.lon], z); });
      var taken = new Uint8Array(order.length), out = [];
      for (var i = 0; i < order.length; i++) {
        if (taken[i]) { continue; }
        var group = order[i], near = [];
        for (var j = i + 1; j < order.length; j++) {
          if (!taken[j] && points[i].distanceTo(points[j]) < MERGE_PX) { taken[j] = 1; near.push(order[j]); }
        }
        if (near.length) {
          var all = [group].concat(near), count = 0, sumLat = 0, sumLon = 0;
          all.forEach(function (it) { count += it.count; sumLat += it.lat * it.count; sumLon += it.lon * it.count; });
          group = {zoom: z, count: count, single: -1, lat: sumLat / count, lon: sumLon / count,
                   cells: [].concat.apply([], all.map(function (it) { return it.cells; })),
                   key: all.map(function (it) { return it.key; }).sort().join("+")};
        }
        out.push(group);
      }
      return out;
    }

    var icon = ui.eventIcons(data), layer = L.layerGroup().addTo(map), drawn = new Map(), drawnItems = [];

    function clusterIcon(count) {
      var size = count < 100 ? "small" : count < 1000 ? "medium" : "large";
      var px = 24 + 5 * String(count).length;   // room for the digits: 34 px for 2, 54 px for 6
      var label = ui.el("span", null, String(count));
      return L.divIcon({className: "geoevents-cluster geoevents-cluster-" + size, html: label,
                        iconSize: [px, px], iconAnchor: [px / 2, px / 2]});
    }

    function eventMarker(k) {
      var m = L.marker([lat[k], lon[k]], {icon: icon(type[k], fat[k]), keyboard: false});
      m.geoeventsIndex = k;
      // bound on first use: most drawn markers are never clicked
      m.on("click", function () {
        if (!m.getPopup()) { m.bindPopup(ui.popupContent(event(k)), {maxWidth: 360}); }
        m.openPopup();
      });
      m.on("mouseover", function () {
        if (m.getTooltip()) { return; }
        var ev = event(k);
        m.bindTooltip(document.createTextNode((ev.location || "unnamed place") + ", " + (ev.event_date || "date unknown")),
                      {direction: "top", offset: [0, -8]});
        m.openTooltip();
      });
      return m;
    }

    function clusterSummary(members) {
      var perType = data.types.map(function () { return 0; }), first = null, last = null;
      members.forEach(function (k) {
        perType[type[k]]++;
        if (day[k] !== NO_DAY) {
          first = first === null || day[k] < first ? day[k] : first;
          last = last === null || day[k] > last ? day[k] : last;
        }
      });
      var parts = [];
      perType.forEach(function (c, t) { if (c) { parts.push(c + " " + data.types[t]); } });
      return members.length + " events: " + parts.join(", ") +
        (first === null ? "" : "; " + ui.isoDay(first) + (last !== first ? " to " + ui.isoDay(last) : ""));
    }

    // Events too close to split at the closest zoom: their popups one under the other.
    function listPopup(latlng, members) {
      var box = ui.el("div", "geoevents-popup-list");
      box.appendChild(ui.el("div", "geoevents-popup-type", members.length + " events here"));
      members.slice(0, LIST_MAX).forEach(function (k) { box.appendChild(ui.popupContent(event(k))); });
      if (members.length > LIST_MAX) {
        box.appendChild(ui.el("div", "geoevents-popup-more", "and " + (members.length - LIST_MAX) +
                              " more: narrow the dates or the types to see them"));
      }
      L.popup({maxWidth: 380, maxHeight: 360}).setLatLng(latlng).setContent(box).openOn(map);
    }

    function clusterMarker(item) {
      var m = L.marker([item.lat, item.lon], {icon: clusterIcon(item.count), keyboard: false});
      m.geoeventsItem = item;
      m.on("click", function () {
        var it = m.geoeventsItem, members = membersOf(it);
        var s = 90, w = 180, nn = -90, e = -180;
        members.forEach(function (k) {
          s = Math.min(s, lat[k]); nn = Math.max(nn, lat[k]); w = Math.min(w, lon[k]); e = Math.max(e, lon[k]);
        });
        if (it.zoom >= g.maxZoom || (nn - s < 1e-7 && e - w < 1e-7)) { listPopup(m.getLatLng(), members); return; }
        var bounds = L.latLngBounds([s, w], [nn, e]);
        var target = Math.max(it.zoom + 1, map.getBoundsZoom(bounds, false, L.point(80, 80)));
        map.setView(bounds.getCenter(), Math.min(g.maxZoom, target));
      });
      m.on("mouseover", function () {
        m.unbindTooltip();
        m.bindTooltip(document.createTextNode(clusterSummary(membersOf(m.geoeventsItem))),
                      {direction: "top", offset: [0, -16]});
        m.openTooltip();
      });
      return m;
    }

    // Redraw: keep the markers that stay (same event, or same cluster with the same members).
    function redraw() {
      var z = Math.min(g.maxZoom, Math.max(g.minZoom, Math.round(map.getZoom())));
      box = drawBounds();
      drawnItems = mergeClose(itemsAt(z, box), z);
      var next = new Map();
      drawnItems.forEach(function (item) {
        var key = item.single >= 0 ? item.key : item.key + "/" + item.count + "/" + item.lat + "/" + item.lon;
        var m = drawn.get(key);
        if (!m) {
          m = item.single >= 0 ? eventMarker(item.single) : clusterMarker(item);
          layer.addLayer(m);
        }
        if (m.geoeventsItem) { m.geoeventsItem = item; }
        next.set(key, m);
      });
      drawn.forEach(function (m, key) { if (!next.has(key)) { layer.removeLayer(m); } });
      drawn = next;
    }

    // The heat map follows the filters; its points are built only while it is on.
    var heatStale = true;
    function feedHeat() {
      if (!heat || !heatStale || !map.hasLayer(heat)) { return; }
      var points = [];
      for (var k = 0; k < n; k++) { if (pass[k]) { points.push([lat[k], lon[k], 1 + Math.min(fat[k], 50)]); } }
      heat.setLatLngs(points);
      heatStale = false;
    }

    function onLayerToggle(e) {
      if (e.layer === heat) { feedHeat(); return; }
      if (groups.indexOf(e.layer) >= 0) { refilter(); redraw(); }
    }
    map.on("overlayadd overlayremove", onLayerToggle);
    map.on("moveend", redraw);

    var panel = ui.datePanel(map, data.title, minDay, maxDay, function (from, to) {
      range.from = from; range.to = to;
      refilter(); redraw();
    });
    ui.addLegend(map, data);
    ui.addOrientationLayers(map, opts, data);

    var api = {
      mode: "grid", map: map, groups: groups, heat: heat, cluster: null, types: data.types, timings: timings,
      inRangeCount: 0, eventCount: n, zooms: [g.minZoom, g.maxZoom],
      event: event,
      // events now drawn or drawable: in the date range and of a type whose layer is on
      visibleCount: function () { return cum[n]; },
      setDateRange: function (from, to) {
        panel.setRange(from === null || from === undefined ? null : ui.dayOf(from),
                       to === null || to === undefined ? null : ui.dayOf(to));
        return api.visibleCount();
      },
      loading: function () { return false; },
      dateRange: function () { return minDay === null ? null : [ui.isoDay(range.from), ui.isoDay(range.to)]; },
      popupContent: function (k) { return ui.popupContent(event(k)); },
      // what is drawn now: {lat, lon, count, index (the event of a single marker, else -1), zoom}
      drawn: function () {
        return drawnItems.map(function (it) {
          return {lat: it.lat, lon: it.lon, count: it.count, index: it.single, zoom: it.zoom};
        });
      },
      drawnLayers: function () { return Array.from(drawn.values()); },
      markerOf: function (k) { return drawn.get("e" + k) || null; },
      // the drawn layer that shows event k: its own marker or the cluster it is counted in
      layerOf: function (k) {
        var found = null;
        drawn.forEach(function (m) { if (!found && (m.geoeventsIndex === k || (m.geoeventsItem && membersOf(m.geoeventsItem).indexOf(k) >= 0))) { found = m; } });
        return found;
      },
      drawBounds: function () { return [box.south, box.west, box.north, box.east]; },
      setViewPadding: function (p) { padding = p; redraw(); },
      clusterCount: function (z) { return startsAt(z).length - 1; },
      ready: false
    };
    Object.defineProperty(api, "events", {enumerable: true, get: function () {
      if (!decoded) {
        decoded = new Array(n);
        for (var k = 0; k < n; k++) { decoded[k] = event(k); }
      }
      return decoded;
    }});
    Object.defineProperty(api, "markers", {enumerable: true, get: function () { return api.drawnLayers(); }});
    window.geoevents = api;
    if (data.title) { document.title = data.title; }
    map.getContainer().setAttribute("data-geoevents-count", String(n));
    refilter();
    redraw();
    timings.markers = timings.firstDraw = performance.now() - t0;
    timings.total = timings.firstDraw;
    api.ready = true;
    return api;
  }
}());
