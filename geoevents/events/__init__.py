"""Events from articles: the record (ACLED's fields), detection and typing, actors, fatalities, dates, place, extraction, merging."""
from .extract import EventExtractor, default_extractor, extract_events
from .record import EVENT_FIELDS, EVENT_TYPES, Event

__all__ = ["EVENT_FIELDS", "EVENT_TYPES", "Event", "EventExtractor", "default_extractor", "extract_events"]
