"""When two reports are one event, and how an event's record takes in another report: one policy for extraction and the store.

Within an article (a sentence repeating what an earlier one reported) and across articles
(the event store), two reports are one event when they have the same ACLED sub-event type,
their places lie within ``SAME_EVENT_KM`` of each other and their dates agree. Folding one
report into the other keeps the lowest non-zero death toll (ACLED codes the most
conservative figure) and lists every source.
"""
from __future__ import annotations

import dataclasses
import datetime
from dataclasses import dataclass

from ..distance import great_circle_km
from .record import Event

# Two reports of one event place it within this distance: a town and the village beside it,
# not two towns of one valley.
SAME_EVENT_KM = 10.0
# ACLED joins several sources this way; URLs never contain a space.
LIST_SEPARATOR = "; "


@dataclass(frozen=True, slots=True)
class Report:
    """What the same-event rule reads of a report: its type, its point and its date."""

    sub_event_type: str
    latitude: float | None
    longitude: float | None
    date: datetime.date | str | None
    stated: bool = True  # the date comes from the report's own words, not a default


def report_of(event: Event) -> Report:
    """What the same-event rule reads of a finished event record."""
    return Report(event.sub_event_type, event.latitude, event.longitude, event.event_date)


def same_event(a: Report, b: Report) -> bool:
    """The same sub-event type, places within ``SAME_EVENT_KM`` (or neither placed), and dates that agree:
    the same day, or one of the two not stated by its text (unknown, or the publication-date default)."""
    if a.sub_event_type != b.sub_event_type:
        return False
    if (a.latitude is None) != (b.latitude is None):
        return False
    if a.latitude is not None and great_circle_km(a.latitude, a.longitude, b.latitude, b.longitude) > SAME_EVENT_KM:
        return False
    return dates_agree(a, b)


def dates_agree(a: Report, b: Report) -> bool:
    """The same day, or one of the two dates not stated by its text (unknown, or the publication-date default)."""
    return a.date == b.date or not (a.stated and b.stated) or a.date is None or b.date is None


def lowest_fatalities(*counts: int) -> int:
    """The lowest non-zero figure (reports disagree; ACLED codes the most conservative one), 0 if all are 0."""
    nonzero = [int(c) for c in counts if c]
    return min(nonzero) if nonzero else 0


def split_list(value: str | None) -> list[str]:
    """The items of an ACLED-style "a; b" list."""
    return [part.strip() for part in value.split(LIST_SEPARATOR) if part.strip()] if value else []


def join_lists(*values: str | None) -> str | None:
    """Distinct items of several "a; b" lists, in first-seen order, joined again (None when empty)."""
    items = list(dict.fromkeys(item for value in values for item in split_list(value)))
    return LIST_SEPARATOR.join(items) if items else None


def merge_events(first: Event, other: Event) -> Event:
    """``first`` with ``other``'s report folded in: sources, URLs and article ids listed, lowest non-zero fatalities.

    The first event's id, date, place and notes are kept. Actors come from ``other`` only when
    ``first`` names none; the time precision is the finer of the two; confidence the higher.
    """
    precisions = [p for p in (first.time_precision, other.time_precision) if p is not None]
    # The actors and ACLED's codes for them come together, from the report that names them.
    actors_from = first if first.actor1 else other
    return dataclasses.replace(
        first,
        source=join_lists(first.source, other.source),
        source_url=join_lists(first.source_url, other.source_url),
        article_id=join_lists(first.article_id, other.article_id),
        fatalities=lowest_fatalities(first.fatalities, other.fatalities),
        actor1=actors_from.actor1, actor2=actors_from.actor2,
        inter1=actors_from.inter1, inter2=actors_from.inter2, interaction=actors_from.interaction,
        time_precision=min(precisions) if precisions else None,
        confidence=max(first.confidence or 0.0, other.confidence or 0.0),
    )
