"""Event store speed: append 1,000 events (half of them new reports of stored events) into a store of N;
re-parse 1,000 of its articles (their events replaced), then the same again (unchanged).

python bench/store_bench.py [N]     # N stored events first (default 50,000)
"""

import datetime as dt
import random
import sys
import tempfile
import time
from pathlib import Path

from geoevents.events.record import EVENT_TYPES, Event
from geoevents.io import EventStore

PAIRS = [(k, s) for k, subs in EVENT_TYPES.items() for s in subs]


def make(i, rng, article):
    kind, sub = rng.choice(PAIRS)
    return Event(
        f"GE{i:014X}",
        (dt.date(2015, 1, 1) + dt.timedelta(days=rng.randrange(1500))).isoformat(),
        1,
        kind,
        sub,
        "Actor A",
        "Actor B",
        f"Place {i % 5000}",
        rng.uniform(32, 37.5),
        rng.uniform(36, 45),
        1,
        "Syria",
        "SYR",
        "Deir ez-Zor",
        None,
        rng.randrange(20),
        "Source",
        f"https://example.org/{article}",
        "A sentence of about this length describing what happened, where, and to whom. "
        * 2,
        rng.randrange(10**6),
        rng.random(),
        "strike",
        f"art{article}",
        "2017-07-01",
    )


n = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
rng = random.Random(1)
with tempfile.TemporaryDirectory() as d:
    path = Path(d) / "events.gpkg"
    base = [make(i, rng, i // 3) for i in range(n)]
    t = time.perf_counter()
    EventStore(path).append(base)
    print(
        f"initial append of {n:,}: {time.perf_counter() - t:.2f} s, {path.stat().st_size / 1e6:.1f} MB"
    )
    new = [make(n + i, rng, 10**6 + i) for i in range(500)]
    dup = []
    for j, e in enumerate(
        rng.sample(base, 500)
    ):  # same event from another article, ~1 km off
        dup.append(
            Event(
                **{
                    **e.to_dict(),
                    "event_id": f"GX{j:014X}",
                    "article_id": f"other{j}",
                    "source": "Other",
                    "latitude": e.latitude + 0.005,
                    "fatalities": 3,
                }
            )
        )
    for k in range(3):
        t = time.perf_counter()
        r = EventStore(path).append(new + dup if k == 0 else new)
        el = time.perf_counter() - t
        print(f"append 1,000 into {n:,}: {el:.2f} s -> {r}")
    t = time.perf_counter()
    evs = EventStore(path).events()
    print(f"events() of {len(evs):,}: {time.perf_counter() - t:.2f} s")

    # Re-parse: 1,000 stored articles parsed again with another gazetteer (their ~3,000 events
    # replaced by moved ones), then the same again (all unchanged, nothing written).
    from geoevents.text import Article

    chosen = {f"art{k}" for k in rng.sample(range(n // 3), 1000)}
    articles = [Article(a, f"the text of {a}") for a in sorted(chosen)]
    again = [Event(**{**e.to_dict(), "event_id": "GR" + e.event_id[2:], "latitude": e.latitude + 0.2})
             for e in base if e.article_id in chosen]
    for gazetteer in ("bench-gazetteer", "bench-gazetteer"):
        t = time.perf_counter()
        r = EventStore(path).append(again, articles, gazetteer=gazetteer)
        print(f"re-parse of 1,000 articles ({len(again):,} events) into {len(EventStore(path)):,}: "
              f"{time.perf_counter() - t:.2f} s -> {r}")
