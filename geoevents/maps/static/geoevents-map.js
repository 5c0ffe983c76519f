/* geoevents map: draws the events of one compact JSON payload as light markers in per-type
 * sub-groups of one MarkerCluster, feeds the heat layer, and adds the date-range slider, the
 * legend, the places and orientation layers, and the window.geoevents API the browser tests use.
 * A large map's payload has a "grid" instead of "events": geoevents-grid.js draws it, with the
 * date panel, legend, popups and orientation layers defined here.
 *
 * Everything that comes from articles (notes, actors, places, sources, URLs) is hostile: it is
 * only ever put into the page with textContent / createTextNode, and a link is made only for
 * http(s) URLs. Markup built here from strings comes solely from the fixed style table below.
 */
(function () {
  "use strict";

  var SHAPES = {
    circle: '<circle cx="12" cy="12" r="9"/>',
    triangle: '<polygon points="12,2 22,21 2,21"/>',
    diamond: '<polygon points="12,1 23,12 12,23 1,12"/>',
    square: '<rect x="3" y="3" width="18" height="18"/>',
    invtriangle: '<polygon points="2,3 22,3 12,22"/>',
    pentagon: '<polygon points="12,1 23,9 19,22 5,22 1,9"/>',
    star: '<polygon points="12,1 15,9 23,9 17,14 19,23 12,18 5,23 7,14 1,9 9,9"/>'
  };
  var TIME_PRECISION = {1: "day", 2: "about a week", 3: "about a month"};
  var GEO_PRECISION = {1: "the town itself", 2: "near a town, or part of a region", 3: "a region or larger"};
  var DAY_MS = 86400000;

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  function isoDay(day) {
    return day === null ? null : new Date(day * DAY_MS).toISOString().slice(0, 10);
  }

  function dayOf(value) {
    if (typeof value === "number") { return value; }
    var t = Date.parse(String(value).slice(0, 10) + "T00:00:00Z");
    return isNaN(t) ? null : Math.round(t / DAY_MS);
  }

  // Only web links become <a href>; "javascript:", "data:" and the rest stay plain text.
  function safeHref(url) {
    url = String(url || "").trim();
    return /^https?:\/\/[^\s]+$/i.test(url) ? url : null;
  }

  function iconSize(fatalities) {
    return Math.min(34, Math.round(14 + 4 * Math.log2(1 + (fatalities || 0))));
  }

  function svg(shape, color, size) {
    return '<svg xmlns="http://www.w3.org/2000/svg" width="' + size + '" height="' + size +
      '" viewBox="0 0 24 24"><g fill="' + color + '" fill-opacity="0.85" stroke="#222" stroke-width="1.3">' +
      SHAPES[shape] + "</g></svg>";
  }

  function popupContent(ev) {
    var box = el("div", "geoevents-popup");
    box.appendChild(el("div", "geoevents-popup-type",
      ev.event_type + (ev.sub_event_type ? " / " + ev.sub_event_type : "")));
    var table = el("table");
    function row(label, value) {
      var tr = el("tr");
      tr.appendChild(el("th", null, label));
      var td = el("td");
      if (value instanceof Node) { td.appendChild(value); } else { td.textContent = value; }
      tr.appendChild(td);
      table.appendChild(tr);
    }
    row("Date", ev.event_date ? ev.event_date + " (" + (TIME_PRECISION[ev.time_precision] || "precision unknown") + ")"
                              : "unknown");
    row("Actors", (ev.actor1 || "unknown") + (ev.actor2 ? " vs " + ev.actor2 : ""));
    row("Fatalities", ev.fatalities);
    row("Place", (ev.location || "unnamed place") +
        (ev.geo_precision ? " (" + GEO_PRECISION[ev.geo_precision] + ")" : "") +
        " " + ev.latitude.toFixed(4) + ", " + ev.longitude.toFixed(4));
    if (ev.source || ev.source_url) {
      var names = ev.source ? ev.source.split("; ") : [], urls = ev.source_url ? ev.source_url.split("; ") : [];
      var cell = el("span");
      for (var k = 0; k < Math.max(names.length, urls.length); k++) {
        if (k) { cell.appendChild(document.createTextNode("; ")); }
        var name = names[k] || urls[k], href = safeHref(urls[k]);
        if (href) {
          var a = el("a", null, name);
          a.href = href; a.target = "_blank"; a.rel = "noopener noreferrer";
          cell.appendChild(a);
        } else {
          cell.appendChild(document.createTextNode(name + (urls[k] && names[k] ? " (" + urls[k] + ")" : "")));
        }
      }
      row("Source", cell);
    }
    box.appendChild(table);
    if (ev.notes) { box.appendChild(el("blockquote", "geoevents-popup-notes", ev.notes)); }
    if (ev.id) { box.appendChild(el("div", "geoevents-popup-id", ev.id)); }
    return box;
  }

  // icon(type index, fatalities): the event's marker icon, one shared icon per type and size.
  function eventIcons(data) {
    var cache = {};
    return function (type, fatalities) {
      var size = iconSize(fatalities), key = type + "/" + size;
      if (!cache[key]) {
        var st = data.styles[data.types[type]];
        cache[key] = L.divIcon({html: svg(st.shape, st.color, size), className: "geoevents-marker",
                                iconSize: [size, size], iconAnchor: [size / 2, size / 2]});
      }
      return cache[key];
    };
  }

  // The date panel: two range inputs (days since 1970), from and to, and the event counter;
  // onRange(from, to) runs whenever the range changes.
  function datePanel(map, title, minDay, maxDay, onRange) {
    var counter = null, fromInput = null, toInput = null, fromLabel = null, toLabel = null;
    var panel = L.control({position: "bottomleft"});
    panel.onAdd = function () {
      var box = el("div", "geoevents-panel leaflet-bar");
      if (title) { box.appendChild(el("div", "geoevents-title", title)); }
      if (minDay !== null) {
        [["from", "From"], ["to", "To"]].forEach(function (p) {
          var line = el("label", "geoevents-range");
          line.appendChild(el("span", "geoevents-range-name", p[1]));
          var input = el("input");
          input.type = "range"; input.id = "geoevents-date-" + p[0];
          input.min = minDay; input.max = maxDay; input.step = 1;
          input.value = p[0] === "from" ? minDay : maxDay;
          var label = el("span", "geoevents-range-date", isoDay(+input.value));
          line.appendChild(input); line.appendChild(label);
          box.appendChild(line);
          if (p[0] === "from") { fromInput = input; fromLabel = label; } else { toInput = input; toLabel = label; }
        });
        var onInput = function (e) {
          var a = +fromInput.value, b = +toInput.value;
          if (a > b) { if (e.target === fromInput) { toInput.value = a; } else { fromInput.value = b; } }
          setRange(+fromInput.value, +toInput.value);
        };
        fromInput.addEventListener("input", onInput);
        toInput.addEventListener("input", onInput);
      }
      counter = el("div", "geoevents-count");
      box.appendChild(counter);
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      return box;
    };
    panel.addTo(map);

    function setRange(from, to) {
      if (minDay === null) { return; }
      from = Math.max(minDay, from === null ? minDay : from);
      to = Math.min(maxDay, to === null ? maxDay : to);
      if (from > to) { var t = from; from = to; to = t; }
      fromInput.value = from; toInput.value = to;
      fromLabel.textContent = isoDay(from); toLabel.textContent = isoDay(to);
      onRange(from, to);
    }

    return {
      setRange: setRange,
      count: function (text) { if (counter) { counter.textContent = text; } }
    };
  }

  // Legend: shapes and colours by type (fixed table), size by fatalities.
  function addLegend(map, data) {
    var styles = data.styles;
    var legend = L.control({position: "bottomright"});
    legend.onAdd = function () {
      var box = el("div", "geoevents-legend leaflet-bar");
      box.appendChild(el("div", "geoevents-legend-title", "Event types"));
      data.types.forEach(function (type) {
        var line = el("div", "geoevents-legend-row"), swatch = el("span", "geoevents-legend-swatch");
        swatch.innerHTML = svg(styles[type].shape, styles[type].color, 16);  // fixed table, not input
        line.appendChild(swatch); line.appendChild(el("span", null, type));
        box.appendChild(line);
      });
      var sizes = el("div", "geoevents-legend-row geoevents-legend-sizes");
      [0, 10, 100].forEach(function (f) {
        var s = el("span", "geoevents-legend-swatch");
        s.innerHTML = svg("circle", "#bbb", iconSize(f));
        sizes.appendChild(s); sizes.appendChild(el("span", null, f + " "));
      });
      box.appendChild(sizes);
      box.appendChild(el("div", "geoevents-legend-note", "size: fatalities"));
      L.DomEvent.disableClickPropagation(box);
      return box;
    };
    legend.addTo(map);
  }

  // Orientation layers: country outlines and names, overlays, region names, places mentioned.
  function addOrientationLayers(map, opts, data) {
    if (opts.outlines && data.outlines) {
      L.geoJSON(data.outlines, {interactive: false,
        style: {color: "#6b6b6b", weight: 1, fillColor: "#efe9dc", fillOpacity: 0.25}}).addTo(opts.outlines);
    }
    if (opts.countries) {
      data.countries.forEach(function (c) {
        L.marker([c[1], c[2]], {interactive: false, keyboard: false,
          icon: L.divIcon({className: "geoevents-country", html: el("span", null, c[0]), iconSize: null})
        }).addTo(opts.countries);
      });
    }
    // User overlays (--overlay): properties in a popup as text, the name-like one as the tooltip.
    (opts.overlays || []).forEach(function (group, k) {
      var fc = data.overlays && data.overlays[k];
      if (!fc) { return; }
      L.geoJSON(fc, {
        style: {color: "#2a9d8f", weight: 2, fillOpacity: 0.1},
        pointToLayer: function (f, latlng) {
          return L.circleMarker(latlng, {radius: 5, color: "#2a9d8f", weight: 2, fillOpacity: 0.5});
        },
        onEachFeature: function (f, layer) {
          var props = f.properties || {}, keys = Object.keys(props);
          if (!keys.length) { return; }
          var table = el("table", "geoevents-overlay-props");
          keys.forEach(function (key) {
            var tr = el("tr");
            tr.appendChild(el("th", null, key));
            tr.appendChild(el("td", null, props[key]));
            table.appendChild(tr);
          });
          var box = el("div", "geoevents-popup");
          box.appendChild(table);
          layer.bindPopup(box, {maxWidth: 360});
          var label = props.name || props.NAME || props.Name || props.title || props.label;
          if (label) { layer.bindTooltip(document.createTextNode(label), {sticky: true}); }
        }
      }).addTo(group);
    });

    // Region names only from zoom 6: at country scale they would bury the events.
    if (opts.regions && data.regions) {
      data.regions.forEach(function (r) {
        L.marker([r[1], r[2]], {interactive: false, keyboard: false,
          icon: L.divIcon({className: "geoevents-region", html: el("span", null, r[0]), iconSize: null})
        }).addTo(opts.regions);
      });
      var zoomClass = function () {
        L.DomUtil[map.getZoom() < 6 ? "addClass" : "removeClass"](map.getContainer(), "geoevents-zoomed-out");
      };
      map.on("zoomend", zoomClass);
      zoomClass();
    }
    if (opts.places) {
      data.places.forEach(function (p) {
        L.circleMarker([p[1], p[2]], {radius: 4, color: "#333", weight: 1, fillColor: "#fff", fillOpacity: 0.9})
          .bindTooltip(document.createTextNode(p[0] + " (mentioned, no event here)"))
          .addTo(opts.places);
      });
    }
  }

  window.geoeventsBuild = function (opts) {
    var t0 = performance.now();
    var data = JSON.parse(document.getElementById(opts.dataId).textContent);
    // ms: startedAt since the page began loading, the others since startedAt
    var timings = {startedAt: t0, parse: performance.now() - t0};
    if (data.grid) {   // a large map: clusters computed when it was built (geoevents-grid.js)
      return window.geoeventsGrid(opts, data, {
        el: el, isoDay: isoDay, dayOf: dayOf, popupContent: popupContent, eventIcons: eventIcons,
        datePanel: datePanel, addLegend: addLegend, addOrientationLayers: addOrientationLayers
      }, t0, timings);
    }
    var map = opts.map, cluster = opts.cluster, groups = opts.groups, heat = opts.heat;
    var S = data.strings, C = data.columns, rows = data.events;
    function str(i) { return i === null || i < 0 ? null : S[i]; }

    // Decoded events (what window.geoevents.events exposes), one marker each.
    var events = new Array(rows.length), markers = new Array(rows.length);
    var icon = eventIcons(data);
    var minDay = null, maxDay = null, undated = 0;
    for (var i = 0; i < rows.length; i++) {
      var r = rows[i];
      var ev = {
        index: i, id: str(r[C.id]), latitude: r[C.lat], longitude: r[C.lon], day: r[C.day],
        event_date: isoDay(r[C.day]), time_precision: r[C.tp], type: r[C.type],
        event_type: data.types[r[C.type]], sub_event_type: str(r[C.sub]),
        actor1: str(r[C.a1]), actor2: str(r[C.a2]), location: str(r[C.loc]), geo_precision: r[C.gp],
        fatalities: r[C.fat], source: str(r[C.src]), source_url: str(r[C.url]), notes: str(r[C.notes])
      };
      events[i] = ev;
      if (ev.day === null) { undated++; } else {
        minDay = minDay === null ? ev.day : Math.min(minDay, ev.day);
        maxDay = maxDay === null ? ev.day : Math.max(maxDay, ev.day);
      }
      var m = L.marker([ev.latitude, ev.longitude], {icon: icon(ev.type, ev.fatalities), keyboard: false});
      m.geoeventsIndex = i;
      markers[i] = m;
    }

    timings.markers = performance.now() - t0;

    // Popups and tooltips are bound on first use: 100,000 pre-bound popups would cost seconds.
    cluster.on("click", function (e) {
      var m = e.layer;
      if (m.geoeventsIndex === undefined) { return; }
      if (!m.getPopup()) { m.bindPopup(popupContent(events[m.geoeventsIndex]), {maxWidth: 360}); }
      m.openPopup();
    });
    cluster.on("mouseover", function (e) {
      var m = e.layer;
      if (m.geoeventsIndex === undefined || m.getTooltip()) { return; }
      var ev = events[m.geoeventsIndex];
      m.bindTooltip(document.createTextNode((ev.location || "unnamed place") + ", " + (ev.event_date || "date unknown")),
                    {direction: "top", offset: [0, -8]});
      m.openTooltip();
    });

    // Date filter: markers enter and leave their type's sub-group (and so the cluster) in bulk.
    var shown = new Array(rows.length);
    var range = {from: minDay, to: maxDay};
    function inRange(ev) {
      if (ev.day === null) { return range.from === minDay && range.to === maxDay; }  // undated: only unfiltered
      return ev.day >= range.from && ev.day <= range.to;
    }
    // The first load is clustered in chunks (MarkerCluster's chunkedLoading) so the page stays
    // responsive while 100,000 markers load; a filter asked for meanwhile runs when loading ends.
    var loading = false, pending = false, forceRebuild = false;
    cluster.options.chunkedLoading = true;
    cluster.options.chunkInterval = 200;
    cluster.options.chunkDelay = 10;   // the default 50 ms pause per chunk idles a third of a 100k load
    cluster.options.chunkProgress = function (done, total) {
      if (done < total || !loading) { return; }
      loading = false;
      if (pending) { pending = false; apply(); return; }
      api.ready = true;
    };
    // MarkerCluster.removeLayers is very slow for thousands of markers; clearing the cluster and
    // adding back, in one chunked bulk call, the markers of every sub-group on the map is fast.
    function addToCluster(layers) {
      loading = true; api.ready = false;
      cluster.addLayers(layers);
      // chunkProgress reports the end of chunked loads; a plain (synchronous) add is done now
      if (!cluster.options.chunkedLoading) { cluster.options.chunkProgress(layers.length, layers.length); }
    }
    function rebuild() {
      var keep = [];
      for (var g = 0; g < groups.length; g++) {
        if (!groups[g]._map) { continue; }
        var layers = groups[g]._layers;
        for (var id in layers) { keep.push(layers[id]); }
      }
      cluster.clearLayers();
      if (keep.length) { addToCluster(keep); }
    }
    cluster.rebuildFromSubGroups = function () {
      if (loading) { pending = forceRebuild = true; return; }
      rebuild();
    };
    cluster.addFromSubGroup = function (layers) {
      if (loading) { pending = forceRebuild = true; return; }
      if (layers.length) { addToCluster(layers); }
    };
    function apply() {
      if (loading) { pending = true; return; }
      var add = groups.map(function () { return []; }), remove = groups.map(function () { return []; });
      var points = [], inWindow = 0;
      for (var j = 0; j < events.length; j++) {
        var ev = events[j], want = inRange(ev);
        if (want) { inWindow++; points.push([ev.latitude, ev.longitude, 1 + Math.min(ev.fatalities, 50)]); }
        if (want !== shown[j]) { (want ? add : remove)[ev.type].push(markers[j]); shown[j] = want; }
      }
      // Additions to sub-groups on the map go to the cluster in ONE bulk call (much faster at 100k).
      var bulkAdd = [], nRemove = 0;
      for (var q = 0; q < groups.length; q++) { nRemove += remove[q].length; }
      if (nRemove > 1000 || forceRebuild) {
        forceRebuild = false;   // many removals: rebuild the cluster (see rebuildFromSubGroups)
        for (var h = 0; h < groups.length; h++) {
          for (var x = 0; x < remove[h].length; x++) { delete groups[h]._layers[L.stamp(remove[h][x])]; }
          for (var y = 0; y < add[h].length; y++) { groups[h]._layers[L.stamp(add[h][y])] = add[h][y]; }
        }
        rebuild();
        finish(points, inWindow);
        return;
      }
      for (var g = 0; g < groups.length; g++) {
        if (remove[g].length) { groups[g].removeLayers(remove[g]); }
        if (!add[g].length) { continue; }
        if (groups[g]._map && groups[g].getParentGroup && groups[g].getParentGroup() === cluster) {
          for (var k = 0; k < add[g].length; k++) { groups[g]._layers[L.stamp(add[g][k])] = add[g][k]; }
          bulkAdd = bulkAdd.concat(add[g]);
        } else {
          groups[g].addLayers(add[g]);
        }
      }
      if (bulkAdd.length) { addToCluster(bulkAdd); }
      finish(points, inWindow);
    }
    function finish(points, inWindow) {
      if (heat) { heat.setLatLngs(points); }
      api.inRangeCount = inWindow;
      panel.count(inWindow + " of " + events.length + " events");
    }

    var panel = datePanel(map, data.title, minDay, maxDay, function (from, to) {
      range.from = from; range.to = to;
      apply();
    });
    addLegend(map, data);
    addOrientationLayers(map, opts, data);

    var api = {
      map: map, cluster: cluster, groups: groups, heat: heat, markers: markers, events: events,
      types: data.types, inRangeCount: 0, timings: timings,
      // events now drawn: in the date range and of a type whose layer is on
      visibleCount: function () { return cluster.getLayers().length; },
      setDateRange: function (from, to) {
        panel.setRange(from === null || from === undefined ? null : dayOf(from),
                 to === null || to === undefined ? null : dayOf(to));
        return api.visibleCount();
      },
      loading: function () { return loading; },
      dateRange: function () { return minDay === null ? null : [isoDay(range.from), isoDay(range.to)]; },
      popupContent: function (i) { return popupContent(events[i]); },
      ready: false
    };
    window.geoevents = api;
    if (data.title) { document.title = data.title; }
    map.getContainer().setAttribute("data-geoevents-count", String(events.length));
    var whenLoaded = cluster.options.chunkProgress;
    cluster.options.chunkProgress = function (done, total) {
      whenLoaded(done, total);
      if (done >= total && timings.total === undefined) { timings.total = performance.now() - t0; }
    };
    apply();
    // Only the first load is chunked: later chunked adds (after removals) crawl in MarkerCluster 1.4.
    cluster.options.chunkedLoading = false;
    if (!loading) { api.ready = true; timings.total = timings.total || performance.now() - t0; }
    timings.firstChunk = performance.now() - t0;   // ms until the page is responsive again
    return api;
  };
}());
