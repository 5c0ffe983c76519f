"""Score extracted events against the UCDP Georeferenced Event Dataset (GED): place, date, type, deaths.

Each GED row is one event coded by UCDP from news, with the headline(s) of its source
article(s). The harness runs the event extractor on ``source_headline`` (published on
``source_date``) and asks whether what it finds agrees with UCDP's coding of that row:

* **events**: the headline gave at least one event;
* **located**: some event lies within ``LOCATED_KM`` (25 km) of the row's latitude/longitude;
* **dated**: some event's date lies within one day of ``date_start``..``date_end``;
* **both**: one event is both located and dated;
* **type**: the UCDP type of violence implied by the best-matching event's ACLED event
  type (``UCDP_TYPES_OF``) contains the row's ``type_of_violence``;
* **deaths**: the best-matching event's fatalities lie within ``low``..``high``.

Two shares say how much of a miss is the headline's and how much the extractor's: rows
whose headline names a place the geoparser resolved (``named_place``), and rows whose
headline names a resolved place within 25 km of UCDP's point (``named_near``): no event can
be located where the headline names no place near it ("Clashes on many fronts of Aleppo"
coded at a village), so ``named_near`` bounds ``located`` from above.

The best-matching event of a row is the first of its events by: both located and dated,
then located, then dated, then nearest to the row's point, then earliest in the text.
A row that gave no event scores False on everything.

The file is read with UCDP's own column names (a GED CSV export: ``id, date_start,
date_end, date_prec, where_prec, latitude, longitude, type_of_violence, low, high,
source_date, source_headline`` are used, other columns ignored). UCDP joins the
headlines and dates of several source articles with ";" and writes some characters as
HTML entities (``&#8217;``); the entities are decoded, and when a row has as many
headlines as source dates each headline is read as its own article published on its own
date, otherwise the whole headline is read as one article published on the first date.
"""
from __future__ import annotations

import csv
import html
import io
import math
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from ..distance import great_circle_km
from ..events.record import EVENT_TYPES
from ..text import Article, parse_published
from .toponyms import CorpusError

Progress = Callable[[int], object]

LOCATED_KM = 25.0
DATE_SLACK = timedelta(days=1)
METRICS = ("events", "located", "dated", "both", "type", "deaths")

# UCDP's three types of violence (type_of_violence): 1 state-based conflict, 2 non-state
# conflict, 3 one-sided violence (an organised actor against civilians).
UCDP_VIOLENCE = {1: "state-based", 2: "non-state", 3: "one-sided"}

# The UCDP types of violence an ACLED event type implies: the one table the "type" score uses.
#
# ACLED types say *what* happened, UCDP types say *who fought whom*: whether a government
# is one of the sides (1) or not (2) is a matter of the actors, not of the event type, so
# UCDP types 1 and 2 cannot be told apart from ACLED types alone and both accept Battles
# and Explosions/Remote violence. One-sided violence (3) is ACLED's Violence against
# civilians. Protests, Riots and Strategic developments imply no UCDP type (UCDP codes
# only organised armed violence), so an event of those types never agrees. This is a
# coarse mapping: UCDP codes, for instance, a suicide bombing of a market as one-sided
# violence, which ACLED calls Explosions/Remote violence, and civilians killed by shelling
# in a battle as state-based deaths.
UCDP_TYPES_OF: dict[str, frozenset[int]] = {
    "Battles": frozenset({1, 2}),
    "Explosions/Remote violence": frozenset({1, 2}),
    "Violence against civilians": frozenset({3}),
    "Protests": frozenset(),
    "Riots": frozenset(),
    "Strategic developments": frozenset(),
}
assert UCDP_TYPES_OF.keys() == EVENT_TYPES.keys()

_REQUIRED = ("date_start", "date_end", "date_prec", "where_prec", "latitude", "longitude",
             "type_of_violence", "low", "high", "source_date", "source_headline")


class UCDPError(CorpusError):
    """A UCDP GED file is missing, unreadable, or lacks the GED columns the harness needs."""


@dataclass(frozen=True, slots=True)
class UCDPRow:
    """One GED event: what UCDP coded, and the headline(s) it was coded from.

    ``texts`` holds (headline, publication date) pairs, one article each (see the module
    docstring). ``line`` is the row's line in the file, for messages.
    """

    id: str
    texts: tuple[tuple[str, date | None], ...]
    date_start: date
    date_end: date
    date_prec: int
    where_prec: int
    latitude: float
    longitude: float
    type_of_violence: int
    low: int
    high: int
    line: int = 0


def ucdp_types(event_type: str) -> frozenset[int]:
    """The UCDP types of violence an ACLED event type implies (UCDP_TYPES_OF); empty for unknown types."""
    return UCDP_TYPES_OF.get(event_type, frozenset())


def read_ucdp(path: str | Path, where_prec: int | None = None, date_prec: int | None = None,
              counts: dict | None = None) -> list[UCDPRow]:
    """Read a UCDP GED CSV export, keeping the rows with the given ``where_prec``/``date_prec`` (None: all).

    Reading is lenient: a row with no headline, unreadable coordinates, dates, precision
    codes, type of violence or death counts is skipped and counted, never raised. Raises
    UCDPError only when the file cannot be read or its header lacks a needed column.
    When low, best and high are out of order (a few dozen GED rows have low > high) the
    deaths range runs from the least to the greatest of them. ``counts``, when given, is
    filled with ``rows`` (data rows in the file), ``filtered_out`` (good precision codes,
    other than asked), ``skipped`` and ``skip_reasons`` (reason: rows).
    """
    path = Path(path)
    try:
        content = path.read_bytes().decode("utf-8-sig", errors="replace").replace("\0", "")
    except OSError as exc:
        raise UCDPError(path, f"cannot read ({exc.strerror or exc})") from None
    reader = csv.DictReader(io.StringIO(content, newline=""))
    header = {(name or "").strip().lower() for name in reader.fieldnames or ()}
    missing = [name for name in _REQUIRED if name not in header]
    if missing:
        raise UCDPError(path, f"not a UCDP GED file: no {', '.join(missing)} column{'s' if len(missing) > 1 else ''}")
    reasons: Counter = Counter()
    rows: list[UCDPRow] = []
    n_rows = filtered = 0
    while True:
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:   # a field over the csv module's size limit: a bad row, not a bad file
            n_rows += 1
            reasons[f"unreadable CSV ({exc})"] += 1
            continue
        n_rows += 1
        record = {(k or "").strip().lower(): (v or "").strip() if isinstance(v, str) else "" for k, v in record.items()}
        try:
            row_where, row_date = _int(record, "where_prec"), _int(record, "date_prec")
            if (where_prec is not None and row_where != where_prec) or (date_prec is not None and row_date != date_prec):
                filtered += 1
                continue
            rows.append(_row(record, row_where, row_date, reader.line_num))
        except ValueError as exc:
            reasons[str(exc)] += 1
    if counts is not None:
        counts.update(rows=n_rows, filtered_out=filtered, skipped=sum(reasons.values()),
                      skip_reasons=dict(reasons.most_common()))
    return rows


def _int(record: dict, name: str) -> int:
    try:
        return int(float(record[name]))
    except (ValueError, OverflowError):
        raise ValueError(f"bad {name}") from None


def _date(text: str) -> date | None:
    try:
        return parse_published(text)
    except ValueError:
        return None


def _row(record: dict, where_prec: int, date_prec: int, line: int) -> UCDPRow:
    headline = " ".join(html.unescape(record["source_headline"]).split())
    if not headline.strip(" ;"):
        raise ValueError("no headline")
    try:
        lat, lon = float(record["latitude"]), float(record["longitude"])
    except ValueError:
        raise ValueError("bad coordinates") from None
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValueError("bad coordinates")
    start, end = _date(record["date_start"]), _date(record["date_end"])
    if start is None or end is None or end < start:
        raise ValueError("bad date_start/date_end")
    published = [_date(part) for part in record["source_date"].split(";")]
    first = next((d for d in published if d is not None), None)
    if first is None:
        raise ValueError("bad source_date")
    violence = _int(record, "type_of_violence")
    if violence not in UCDP_VIOLENCE:
        raise ValueError("bad type_of_violence")
    # A few dozen GED rows have low > high (or best outside low..high): the range spans all three.
    deaths = [_int(record, "low"), _int(record, "high")]
    if record.get("best"):
        try:
            deaths.append(_int(record, "best"))
        except ValueError:
            pass
    low, high = min(deaths), max(deaths)
    if low < 0:
        raise ValueError("bad low/high deaths")
    parts = headline.split(";")
    if len(parts) == len(published) > 1:
        texts = tuple((part.strip(), day or first) for part, day in zip(parts, published) if part.strip())
    else:
        texts = ((headline.strip(" ;"), first),)
    return UCDPRow(record.get("id", ""), texts, start, end, date_prec, where_prec, lat, lon, violence, low, high,
                   line)


def match_row(row: UCDPRow, events: Sequence) -> dict:
    """The six scores of one row (True/False each, see the module docstring) and the best-matching event.

    ``events`` are Event records (anything with ``latitude, longitude, event_date,
    event_type, fatalities``). Returns ``events, located, dated, both, type, deaths,
    with_place`` (some event has coordinates), ``km`` (the best event's distance, None
    when it has no place) and ``best`` (the event, None when there is none).
    """
    lo, hi = row.date_start - DATE_SLACK, row.date_end + DATE_SLACK
    best_key, best, best_km = None, None, None
    located = dated = both = with_place = False
    for order, event in enumerate(events):
        km = (great_circle_km(row.latitude, row.longitude, event.latitude, event.longitude)
              if event.latitude is not None and event.longitude is not None else None)
        day = _date(event.event_date) if isinstance(event.event_date, str) else event.event_date
        is_located = km is not None and km <= LOCATED_KM
        is_dated = day is not None and lo <= day <= hi
        located, dated, both = located or is_located, dated or is_dated, both or (is_located and is_dated)
        with_place = with_place or km is not None
        key = (is_located and is_dated, is_located, is_dated, -km if km is not None else -math.inf, -order)
        if best_key is None or key > best_key:
            best_key, best, best_km = key, event, km
    return dict(
        events=best is not None, located=located, dated=dated, both=both,
        type=best is not None and row.type_of_violence in ucdp_types(best.event_type),
        deaths=best is not None and row.low <= (best.fatalities or 0) <= row.high,
        with_place=with_place, km=best_km, best=best,
    )


def _shares(matches: list[dict]) -> dict:
    n = len(matches)
    return dict(n=n, **{m: (sum(x[m] for x in matches) / n if n else None) for m in METRICS})


def score_ucdp(rows: Sequence[UCDPRow], events: Sequence[Sequence], places: Sequence[Sequence] | None = None,
               ) -> dict:
    """Score the events found for each row (``events[i]`` for ``rows[i]``) against UCDP's coding.

    ``places[i]``, when given, are the places (anything with ``latitude, longitude``) the
    geoparser resolved in row i's headline. Returns the shares of rows (``n``) scoring
    ``events, located, dated, both, type, deaths`` (match_row), ``with_place`` (some event
    has coordinates), ``named_place`` and ``named_near`` (the headline names a resolved
    place; one within ``LOCATED_KM`` of the row's point: None unless ``places`` is given),
    ``events_per_row``, ``counts`` (the same as numbers of rows) and ``by_where_prec`` /
    ``by_type_of_violence``: ``n`` and the six shares per code.
    """
    if len(rows) != len(events) or (places is not None and len(places) != len(rows)):
        raise ValueError(f"{len(events)} event lists for {len(rows)} rows")
    matches = [match_row(row, found) for row, found in zip(rows, events)]
    n = len(rows)
    overall = _shares(matches)
    counts = {m: sum(x[m] for x in matches) for m in (*METRICS, "with_place")}
    if places is not None:
        counts["named_place"] = sum(bool(found) for found in places)
        counts["named_near"] = sum(
            any(great_circle_km(row.latitude, row.longitude, p.latitude, p.longitude) <= LOCATED_KM for p in found)
            for row, found in zip(rows, places))

    def grouped(key) -> dict:
        groups: dict[int, list[dict]] = {}
        for row, match in zip(rows, matches):
            groups.setdefault(key(row), []).append(match)
        return {str(code): _shares(groups[code]) for code in sorted(groups)}

    return dict(
        **overall,
        with_place=counts["with_place"] / n if n else None,
        named_place=counts["named_place"] / n if n and places is not None else None,
        named_near=counts["named_near"] / n if n and places is not None else None,
        events_per_row=sum(len(found) for found in events) / n if n else None,
        counts=counts,
        by_where_prec=grouped(lambda r: r.where_prec),
        by_type_of_violence=grouped(lambda r: r.type_of_violence),
    )


def evaluate_ucdp(
    path: str | Path | Sequence[UCDPRow],
    extractor=None,
    where_prec: int | None = None,
    date_prec: int | None = None,
    limit: int | None = None,
    batch_size: int = 64,
    progress: Progress | None = None,
) -> dict:
    """Run the event extractor over a UCDP GED file's headlines and score it (score_ucdp).

    ``path`` is a GED CSV (read_ucdp, with the ``where_prec``/``date_prec`` filters) or
    already-read rows; ``limit`` keeps the first so many rows after filtering. ``extractor``
    defaults to ``geoevents.events.EventExtractor()``; anything with ``extract_many(articles,
    batch_size=, report=)`` yielding (article, events) works, and one with ``analyse_many``
    (yielding toponyms too) also gives ``named_place`` and ``named_near``. The headlines go
    through it in batches of ``batch_size``; ``progress`` gets the number of rows done. Adds to the
    scores ``skipped`` (bad rows), ``filtered_out``, ``failed`` (headlines the extractor
    failed on: they count as giving no event), ``skip_reasons`` and the filters used.
    """
    counts: dict = dict(skipped=0, filtered_out=0, skip_reasons={})
    if isinstance(path, (str, Path)):
        rows = read_ucdp(path, where_prec=where_prec, date_prec=date_prec, counts=counts)
    else:
        rows = [r for r in path if (where_prec is None or r.where_prec == where_prec)
                and (date_prec is None or r.date_prec == date_prec)]
    if limit is not None:
        rows = rows[:limit]
    if extractor is None:
        from ..events import EventExtractor

        extractor = EventExtractor()
    origin = str(path) if isinstance(path, (str, Path)) else "ucdp"
    articles = (Article(id=f"{i}:{k}", text=text, published=day, origin=f"{origin}:{row.line or i + 1}")
                for i, row in enumerate(rows) for k, (text, day) in enumerate(row.texts))
    found: list[list] = [[] for _ in rows]
    named: list[list] = [[] for _ in rows]
    failed: list = []
    analyse = getattr(extractor, "analyse_many", None)
    results: Iterable = (analyse(articles, batch_size=batch_size, report=failed.append) if analyse is not None
                         else ((a, e, None) for a, e in extractor.extract_many(articles, batch_size=batch_size,
                                                                                report=failed.append)))
    for article, events, toponyms in results:
        i = int(article.id.split(":")[0])
        found[i].extend(events)
        named[i].extend(t.resolved for t in toponyms or () if getattr(t, "resolved", None) is not None)
        if progress is not None:
            progress(i)   # rows before this one are done
    if progress is not None:
        progress(len(rows))
    scores = score_ucdp(rows, found, named if analyse is not None else None)
    return dict(
        n=scores.pop("n"), skipped=counts["skipped"], **scores, failed=len(failed),
        filtered_out=counts["filtered_out"], skip_reasons=counts["skip_reasons"],
        filters=dict(where_prec=where_prec, date_prec=date_prec, limit=limit),
    )


_LABELS = {
    "n": "rows scored", "skipped": "rows skipped (bad)", "events": "rows giving an event",
    "located": f"located (within {LOCATED_KM:g} km)", "dated": "dated (within a day)",
    "both": "located and dated (one event)", "type": "type of violence agrees", "deaths": "deaths within low..high",
    "with_place": "rows giving a placed event", "named_place": "headline names a resolved place",
    "named_near": f"... one within {LOCATED_KM:g} km (bounds located)",
    "events_per_row": "events per row", "failed": "headlines the extractor failed on",
    "filtered_out": "rows filtered out",
}


def format_ucdp_table(scores: dict) -> str:
    """The scores as plain text: the overall shares, then one line per where_prec and type of violence."""
    lines = []
    width = max(map(len, _LABELS.values()))
    for key, label in _LABELS.items():
        value = scores.get(key)
        if value is None:
            text = "-"
        elif isinstance(value, float):
            text = f"{value:.2f}" if key == "events_per_row" else f"{value:.1%}"
        else:
            text = f"{value:,}"
        lines.append(f"{label:<{width}}  {text:>10}")
    for reason, count in scores.get("skip_reasons", {}).items():
        lines.append(f"  skipped: {reason}: {count}")
    for title, key, names in (("where_prec", "by_where_prec", {}),
                              ("type of violence", "by_type_of_violence", UCDP_VIOLENCE)):
        groups = scores.get(key) or {}
        if not groups:
            continue
        lines.append("")
        lines.append(f"{'by ' + title:<20} {'n':>6} " + " ".join(f"{m:>8}" for m in METRICS))
        for code, group in groups.items():
            name = f"{code} {names.get(int(code), '')}".strip()
            cells = " ".join(f"{'-' if group[m] is None else format(group[m], '.1%'):>8}" for m in METRICS)
            lines.append(f"{name:<20} {group['n']:>6} {cells}")
    return "\n".join(lines)
