"""The event record: its fields, ACLED's event taxonomy and precision codes, and stable event ids.

Every module that makes, stores or draws events speaks this vocabulary, so it lives apart
from the code that extracts events. Field names follow ACLED where ACLED has one, so
analysts' existing tools read our output unchanged.
"""
from __future__ import annotations

import hashlib
import html
from dataclasses import asdict, dataclass, field, fields

# ACLED's 6 event types and 25 sub-event types (ACLED codebook, 2023 edition).
EVENT_TYPES: dict[str, tuple[str, ...]] = {
    "Battles": (
        "Armed clash",
        "Government regains territory",
        "Non-state actor overtakes territory",
    ),
    "Explosions/Remote violence": (
        "Chemical weapon",
        "Air/drone strike",
        "Suicide bomb",
        "Shelling/artillery/missile attack",
        "Remote explosive/landmine/IED",
        "Grenade",
    ),
    "Violence against civilians": (
        "Sexual violence",
        "Attack",
        "Abduction/forced disappearance",
    ),
    "Protests": (
        "Peaceful protest",
        "Protest with intervention",
        "Excessive force against protesters",
    ),
    "Riots": (
        "Violent demonstration",
        "Mob violence",
    ),
    "Strategic developments": (
        "Agreement",
        "Arrests",
        "Change to group/activity",
        "Disrupted weapons use",
        "Headquarters or base established",
        "Looting/property destruction",
        "Non-violent transfer of territory",
        "Other",
    ),
}
EVENT_TYPE_OF: dict[str, str] = {sub: kind for kind, subs in EVENT_TYPES.items() for sub in subs}

# ACLED's precision codes.
TIME_PRECISION = {1: "day", 2: "about a week", 3: "about a month"}
GEO_PRECISION = {1: "the town itself", 2: "near a town, or part of a region", 3: "a region or larger"}

# Column order of every table we write: ACLED's names first, then ours.
EVENT_FIELDS: tuple[str, ...] = (
    "event_id", "event_date", "time_precision", "event_type", "sub_event_type",
    "actor1", "actor2", "location", "latitude", "longitude", "geo_precision",
    "country", "iso3", "admin1", "admin2", "fatalities", "source", "source_url", "notes",
    "geonameid", "confidence", "trigger", "article_id", "published", "place_check",
    "inter1", "inter2", "interaction",
)
# ``place_check`` values: why an analyst should look at an event's place (None: nothing to say).
FAR_FROM_ARTICLE = "far from the article's other places"
PLACE_NOT_FOUND = "named place not found"  # ``location`` is the name as written; the point is a place near it


def is_valid_type_pair(event_type: str, sub_event_type: str) -> bool:
    return EVENT_TYPE_OF.get(sub_event_type) == event_type


@dataclass(slots=True)
class Event:
    """One event: what happened (type, actors, fatalities), where and when, and the sentence saying so.

    ``event_date`` is an ISO date string or None (unknown: no publication date and no
    explicit date in the text). ``latitude``/``longitude`` are None when no place could be
    found at all. ``source`` and ``source_url`` list every article that reported the event,
    joined with "; " as ACLED does.
    """

    event_id: str
    event_date: str | None
    time_precision: int | None
    event_type: str
    sub_event_type: str
    actor1: str | None = None
    actor2: str | None = None
    location: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    geo_precision: int | None = None
    country: str | None = None
    iso3: str | None = None
    admin1: str | None = None
    admin2: str | None = None
    fatalities: int = 0
    source: str | None = None
    source_url: str | None = None
    notes: str = ""
    geonameid: int | None = None
    confidence: float = 0.0
    trigger: str = ""
    article_id: str | None = None
    published: str | None = None
    place_check: str | None = None  # FAR_FROM_ARTICLE, PLACE_NOT_FOUND, or None
    # ACLED's actor type codes (1 state forces ... 8 external forces) and their pair, e.g. 12 or 10 for a sole actor.
    inter1: int | None = None
    inter2: int | None = None
    interaction: int | None = None
    extra: dict = field(default_factory=dict, repr=False)  # the article's unknown metadata fields

    def __repr__(self) -> str:
        # One line with what an analyst scans for first; the full record is to_dict() / events_frame().
        parts = [f"{self._when()} {self.sub_event_type} ({self.event_type}) {self._where()}"]
        if self.actor1 or self.actor2:
            parts.append(f"{self.actor1 or '?'} vs {self.actor2}" if self.actor2 else self.actor1)
        if self.fatalities:
            parts.append(f"{self.fatalities} killed")
        parts.append(self.event_id)
        return f"<Event {' · '.join(parts)}>"

    def _when(self) -> str:
        if not self.event_date:
            return "undated"
        # "~" marks a date only known to the week or month (ACLED time_precision 2-3).
        return self.event_date if (self.time_precision or 1) == 1 else f"~{self.event_date}"

    def _where(self) -> str:
        place = self.location or "unknown place"
        if self.iso3 or self.country:
            place += f", {self.iso3 or self.country}"
        prep = {2: "near", 3: "in"}.get(self.geo_precision or 1, "at")
        coords = (f" ({self.latitude:.4f}, {self.longitude:.4f})"
                  if self.latitude is not None and self.longitude is not None else " (no coordinates)")
        return f"{prep} {place}{coords}"

    def _repr_html_(self) -> str:
        """A small table for Jupyter: the essentials and the sentence the event was read from."""
        def precision(value, names):
            return f" ({names[value]})" if value in names else ""

        coords = (f"{self.latitude:.5f}, {self.longitude:.5f}"
                  if self.latitude is not None and self.longitude is not None else "none")
        rows = [
            ("date", f"{self.event_date or 'unknown'}{precision(self.time_precision, TIME_PRECISION)}"),
            ("type", f"{self.event_type} / {self.sub_event_type}"),
            ("actors", f"{self.actor1 or '?'} vs {self.actor2 or '?'}"),
            ("location", ", ".join(dict.fromkeys(p for p in (self.location, self.admin1, self.country) if p))
             or "unknown"),
            ("coordinates", f"{coords}{precision(self.geo_precision, GEO_PRECISION)}"
                            f"{f' — {self.place_check}' if self.place_check else ''}"),
            ("fatalities", str(self.fatalities)),
            ("source", self.source_url or self.source or self.article_id or ""),
            ("notes", self.notes),
            ("event id", f"{self.event_id} (confidence {self.confidence or 0:.2f}, trigger {self.trigger!r})"),
        ]
        body = "".join(f"<tr><th style='text-align:left'>{html.escape(k)}</th>"
                       f"<td style='text-align:left'>{html.escape(str(v))}</td></tr>" for k, v in rows)
        return f"<table class='geoevents-event'>{body}</table>"

    def to_dict(self) -> dict:
        """The record as ACLED-ordered plain values (no ``extra``)."""
        d = asdict(self)
        d.pop("extra")
        return {name: d[name] for name in EVENT_FIELDS}

    @classmethod
    def from_dict(cls, d: dict) -> Event:
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in d.items() if k in known})


def make_event_id(article_key: str, sentence_start: int, sub_event_type: str, trigger: str,
                  location_key: str | int | None) -> str:
    """A short id that is the same every run for the same article, sentence, event and place.

    ``article_key`` is the article's id, or a hash of its text when it has none, so re-reading
    the same file gives the same ids.
    """
    payload = "\x1f".join(str(p) for p in (article_key, sentence_start, sub_event_type, trigger.lower(),
                                            location_key or ""))
    return "GE" + hashlib.sha1(payload.encode("utf-8")).hexdigest()[:14].upper()
