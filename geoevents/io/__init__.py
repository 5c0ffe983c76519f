"""Events out and back in: the GeoDataFrame, the file formats, the GeoPackage store, atomic writes, the writers runs use."""
from .formats import FORMATS, read_events, read_frame, write_events
from .frame import CRS, events_frame
from .store import AppendResult, EventStore, StoreError

__all__ = ["CRS", "FORMATS", "AppendResult", "EventStore", "StoreError", "events_frame", "read_events", "read_frame",
           "write_events"]
