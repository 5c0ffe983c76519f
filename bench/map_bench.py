"""How the HTML map scales: build time, file size and time to interactive in headless Chromium.

    python bench/map_bench.py [--events 100000] [--out /tmp/map-bench] [--json]

Synthetic events (6 types, 25 sub-types, places spread over Syria and Iraq, two years of dates,
hostile-free text of realistic length) go through ``geoevents.make_map`` and ``Map.save``; the
page is then opened from ``file://`` in the Debian ``chromium`` package driven by Playwright,
network cut off, and timed from the start of navigation until ``window.geoevents`` is ready
(``visibleCount()`` callable: the first view drawn), then one ``setDateRange`` over half the
range (until the call returns, the view redrawn). Maps of more than 5,000 events are clustered
when built (``geoevents/maps/grid.py``). Targets (issue 18): 100,000 events interactive <= 2 s,
date filter <= 0.5 s; 250,000 events build <= 15 s, HTML <= 40 MB, interactive <= 3 s. The
machine's load average is printed with the timings: other work on it slows every figure.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from geoevents.events.record import EVENT_TYPES, Event  # noqa: E402

CHROMIUM = os.environ.get("GEOEVENTS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]
READY = ("() => !!(window.geoevents && window.geoevents.ready !== false "
         "&& typeof window.geoevents.visibleCount === 'function')")
PLACES = [("Abu Kamal", 34.452, 40.919, "SYR", "Syria"), ("Mayadin", 35.021, 40.453, "SYR", "Syria"),
          ("Raqqa", 35.953, 39.008, "SYR", "Syria"), ("Deir ez-Zor", 35.336, 40.141, "SYR", "Syria"),
          ("Aleppo", 36.202, 37.158, "SYR", "Syria"), ("Idlib", 35.931, 36.633, "SYR", "Syria"),
          ("Homs", 34.731, 36.709, "SYR", "Syria"), ("Al Qaim", 34.369, 41.094, "IRQ", "Iraq"),
          ("Mosul", 36.335, 43.119, "IRQ", "Iraq"), ("Tal Afar", 36.377, 42.449, "IRQ", "Iraq"),
          ("Hawija", 35.328, 43.763, "IRQ", "Iraq"), ("Ramadi", 33.420, 43.300, "IRQ", "Iraq"),
          ("Fallujah", 33.350, 43.783, "IRQ", "Iraq"), ("Baghdad", 33.315, 44.366, "IRQ", "Iraq")]
ACTORS = ["Islamic State (Syria)", "Military Forces of Syria (2000-2024)", "QSD: Syrian Democratic Forces",
          "Global Coalition Against Daesh", "Military Forces of Iraq (2014-2018)", "Popular Mobilization Forces", "Civilians (Syria)", None]


def synthetic_events(n: int, seed: int = 5) -> list[Event]:
    rng = random.Random(seed)
    pairs = [(kind, sub) for kind, subs in EVENT_TYPES.items() for sub in subs]
    start = dt.date(2016, 1, 1)
    events = []
    for i in range(n):
        kind, sub = rng.choice(pairs)
        place, lat, lon, iso3, country = rng.choice(PLACES)
        day = (start + dt.timedelta(days=rng.randrange(730))).isoformat()
        fatalities = rng.choice((0, 0, 0, 1, 2, 3, 5, 12, 40))
        events.append(Event(
            event_id=f"GE{i:014X}", event_date=day, time_precision=rng.choice((1, 1, 2, 3)), event_type=kind,
            sub_event_type=sub, actor1=rng.choice(ACTORS[:-1]), actor2=rng.choice(ACTORS), location=place,
            latitude=round(lat + rng.uniform(-0.3, 0.3), 5), longitude=round(lon + rng.uniform(-0.3, 0.3), 5),
            geo_precision=rng.choice((1, 1, 2, 3)), country=country, iso3=iso3, fatalities=fatalities,
            source="Example Wire", source_url=f"https://example.org/news/{i // 3}",
            notes=f"On {day}, {sub.lower()} reported near {place}; {fatalities} killed.",
            confidence=round(rng.uniform(0.4, 0.95), 2), trigger="strike", article_id=f"a{i // 3}",
            published=day))
    return events


def open_in_chromium(path: Path) -> dict:
    from playwright.sync_api import sync_playwright

    out: dict = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        context = browser.new_context(viewport={"width": 1200, "height": 800})
        context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(("file:", "data:", "blob:"))
                      else route.abort())
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        t0 = time.perf_counter()
        page.goto(path.resolve().as_uri(), wait_until="load", timeout=120_000)
        out["load_event_s"] = round(time.perf_counter() - t0, 2)
        page.wait_for_function(READY, timeout=120_000, polling=50)
        out["interactive_s"] = round(time.perf_counter() - t0, 2)
        out["visible"] = page.evaluate("() => window.geoevents.visibleCount()")
        out["page_timings_ms"] = page.evaluate(
            "() => Object.fromEntries(Object.entries(window.geoevents.timings).map(([k, v]) => [k, Math.round(v)]))")
        t1 = time.perf_counter()
        out["visible_after_half_range"] = page.evaluate(
            "() => { window.geoevents.setDateRange('2017-01-01', '2017-12-31'); return window.geoevents.visibleCount(); }")
        out["set_date_range_s"] = round(time.perf_counter() - t1, 2)
        out["js_heap_mb"] = round(page.evaluate("() => performance.memory ? performance.memory.usedJSHeapSize : 0")
                                  / 1e6, 1)
        out["page_errors"] = errors
        browser.close()
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--out", type=Path, default=Path("/tmp/map-bench"))
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    from geoevents.io.frame import events_frame
    from geoevents.maps import make_map

    args.out.mkdir(parents=True, exist_ok=True)
    load_start = [round(v, 2) for v in os.getloadavg()]   # 1, 5, 15 minutes
    events = synthetic_events(args.events)
    path = args.out / f"map-{args.events}.html"
    t0, cpu0 = time.perf_counter(), time.process_time()
    m = make_map(events)
    t1 = time.perf_counter()
    m.save(str(path))
    t2, cpu2 = time.perf_counter(), time.process_time()
    # the share of the events' GeoDataFrame (geoevents.io), built from the Event objects
    t3, cpu3 = time.perf_counter(), time.process_time()
    events_frame(events)
    frame_s, frame_cpu_s = time.perf_counter() - t3, time.process_time() - cpu3
    size = path.stat().st_size
    empty = args.out / "map-0.html"
    make_map(events[:1]).save(str(empty))
    result = {"events": args.events, "load_average_start": load_start, "make_map_s": round(t1 - t0, 2),
              "save_s": round(t2 - t1, 2), "build_total_s": round(t2 - t0, 2),
              "build_cpu_s": round(cpu2 - cpu0, 2), "of_which_events_frame_s": round(frame_s, 2),
              "of_which_events_frame_cpu_s": round(frame_cpu_s, 2), "html_mb": round(size / 1e6, 2),
              "bytes_per_event": round((size - empty.stat().st_size) / max(args.events - 1, 1), 1)}
    if os.access(CHROMIUM, os.X_OK):
        result.update(open_in_chromium(path))
    else:
        result["browser"] = f"skipped: no Chromium at {CHROMIUM}"
    result["load_average_end"] = [round(v, 2) for v in os.getloadavg()]
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key:>26}: {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
