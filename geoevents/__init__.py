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
    "Event": "geoevents.schema",
    "EventExtractor": "geoevents.events",
    "extract_events": "geoevents.events",
    "Article": "geoevents.articles",
    "read_articles": "geoevents.articles",
    "example_articles": "geoevents.articles",
    "parse_corpus": "geoevents.parallel",
    "events_frame": "geoevents.export",
    "write_events": "geoevents.export",
    "read_events": "geoevents.export",
    "EventStore": "geoevents.store",
    "make_map": "geoevents.maps",
}

# The geoparser is light to import (spaCy itself loads on first use), so it is bound eagerly.
from .geoparser import Geoparser, Toponym, geoparse, geoparse_many  # noqa: E402, F401

__all__ = sorted([*_EXPORTS, "Geoparser", "Toponym", "geoparse", "geoparse_many"])


def __getattr__(name: str):
    if name in _EXPORTS:
        value = getattr(import_module(_EXPORTS[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'geoevents' has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + __all__)
