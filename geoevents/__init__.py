"""geoevents: offline geoparsing of conflict news into dated, geolocated events, maps and GIS files.

The public API is re-exported here and imported lazily, so ``import geoevents`` stays
fast and a notebook only pays for spaCy or folium when it uses them.
"""
from __future__ import annotations

from importlib import import_module

__version__ = "0.1.0"

_EXPORTS = {
    "Gazetteer": "geoevents.gazetteer",
    "GazetteerSourceError": "geoevents.gazetteer",
    "Geoparser": "geoevents.geoparsing",
    "Toponym": "geoevents.geoparsing",
    "geoparse": "geoevents.geoparsing",
    "geoparse_many": "geoevents.geoparsing",
    "Event": "geoevents.events",
    "EventExtractor": "geoevents.events",
    "extract_events": "geoevents.events",
    "Article": "geoevents.text",
    "ReadReport": "geoevents.text",
    "read_articles": "geoevents.text",
    "example_articles": "geoevents.text",
    "parse_corpus": "geoevents.parallel",
    "events_frame": "geoevents.io",
    "write_events": "geoevents.io",
    "read_events": "geoevents.io",
    "EventStore": "geoevents.io",
    "make_map": "geoevents.maps",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        value = getattr(import_module(_EXPORTS[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'geoevents' has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + __all__)
