"""The offline gazetteer: packaged and user sources, name keys, the SQLite index, a geopy geocoder."""
from .place import Place
from .records import GazetteerSourceError, PlaceRecord

__all__ = ["Gazetteer", "GazetteerSourceError", "Place", "PlaceRecord"]


def __getattr__(name: str):
    # Imported on first use so that the readers and name keys load without the index machinery.
    if name == "Gazetteer":
        from .geocoder import Gazetteer

        return Gazetteer
    raise AttributeError(f"module 'geoevents.gazetteer' has no attribute {name!r}")
