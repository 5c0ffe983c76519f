"""Events as a GeoDataFrame: the one frame every format is written from and read into.

Columns ``EVENT_FIELDS`` in ACLED order with canonical dtypes (a real date type for
``event_date``, nullable integers), then ``coord_check``, then any columns an analyst
added; a point ``geometry`` in EPSG:4326.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import MISSING, fields

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import shapely

from ..events.record import EVENT_FIELDS, Event
from .checks import COORD_CHECK, coordinate_checks, warn_misplaced

CRS = "EPSG:4326"

# pandas 3 has a native string dtype ("str", missing = NaN); on pandas 2 its nearest is "string".
TEXT_DTYPE = "str" if int(pd.__version__.split(".")[0]) >= 3 else "string"

# A real date type (no time of day): GDAL writes it as a GeoPackage DATE field and as
# "YYYY-MM-DD" in GeoJSON when the frame goes through Arrow; datetime64 would become DATETIME.
DATE_DTYPE = pd.ArrowDtype(pa.date32())
INT_FIELDS = ("time_precision", "geo_precision", "geonameid",
              "inter1", "inter2", "interaction")                  # nullable Int64
FLOAT_FIELDS = ("latitude", "longitude", "confidence")              # float64, NaN = unknown
COUNT_FIELDS = ("fatalities",)                                      # int64, never null
DATE_FIELDS = ("event_date",)
TEXT_FIELDS = tuple(f for f in EVENT_FIELDS
                    if f not in INT_FIELDS + FLOAT_FIELDS + COUNT_FIELDS + DATE_FIELDS)

# Event fields that are plain values, not Optional: what a missing value reads back as.
_DEFAULTS = {f.name: f.default for f in fields(Event) if f.default is not MISSING}
_NOT_NULL = {"fatalities": 0, "confidence": 0.0, "notes": "", "trigger": ""}


def events_frame(events) -> gpd.GeoDataFrame:
    """A GeoDataFrame of events: ``EVENT_FIELDS`` columns in order, point geometry, EPSG:4326.

    ``events`` is an iterable of ``Event`` or of dicts with event fields (missing keys take the
    Event defaults, unknown keys are ignored), or a (Geo)DataFrame with such columns. Events with
    no coordinates get a null geometry. ``event_date`` is a ``date32[pyarrow]`` column (a
    calendar date, ``.dt.year`` works; ``.astype("datetime64[s]")`` gives pandas timestamps).
    """
    if isinstance(events, pd.DataFrame):
        return coerce_frame(events)
    rows = [_event_row(e) for e in events]
    columns = {name: [row[name] for row in rows] for name in EVENT_FIELDS}
    return coerce_frame(pd.DataFrame(columns, columns=list(EVENT_FIELDS)))


def _event_row(event) -> dict:
    if isinstance(event, Event):
        return {name: getattr(event, name) for name in EVENT_FIELDS}   # to_dict's deep copy is 20x slower
    if isinstance(event, Mapping):
        return {name: event.get(name, _DEFAULTS.get(name)) for name in EVENT_FIELDS}
    raise TypeError(f"expected an Event or a dict, got {type(event).__name__}")


def coerce_frame(df: pd.DataFrame, *, prefer_geometry: bool = False) -> gpd.GeoDataFrame:
    """``df`` with every event column in its canonical dtype and the geometry rebuilt from the coordinates.

    Accepts what any of our readers gives back (strings from CSV, Arrow types, datetime64
    dates). Columns that are not event fields are kept, after the event fields. Coordinates come
    from ``latitude``/``longitude``, falling back to the geometry where they are missing; with
    ``prefer_geometry`` the geometry wins wherever it is set (a point moved by hand in QGIS).
    """
    n = len(df)
    geometry_name = df.active_geometry_name if isinstance(df, gpd.GeoDataFrame) else None
    out: dict[str, pd.Series] = {}
    for name in EVENT_FIELDS:
        col = df[name].reset_index(drop=True) if name in df.columns else pd.Series([None] * n, dtype=object)
        out[name] = _coerce_column(name, col)

    lat, lon = out["latitude"].to_numpy(copy=True), out["longitude"].to_numpy(copy=True)
    if geometry_name is not None and n:
        geoms = df.geometry.reset_index(drop=True)
        points = geoms.notna().to_numpy() & ~geoms.is_empty.to_numpy() & (geoms.geom_type == "Point").to_numpy()
        take = points if prefer_geometry else points & (np.isnan(lat) | np.isnan(lon))
        if take.any():
            lon[take] = shapely.get_x(geoms.values[take])
            lat[take] = shapely.get_y(geoms.values[take])
            out["latitude"], out["longitude"] = pd.Series(lat), pd.Series(lon)
    has_point = ~(np.isnan(lat) | np.isnan(lon))
    points = np.full(n, None, dtype=object)
    if has_point.any():
        points[has_point] = shapely.points(lon[has_point], lat[has_point])

    out[COORD_CHECK] = pd.Series(coordinate_checks(lat, lon, out["iso3"], out["country"]), dtype=TEXT_DTYPE)
    extras = [c for c in df.columns if c not in EVENT_FIELDS and c not in (geometry_name, "geometry", COORD_CHECK)]
    for name in extras:
        out[name] = df[name].reset_index(drop=True)
    return gpd.GeoDataFrame(out, geometry=gpd.GeoSeries(points, crs=CRS), crs=CRS)


def _coerce_column(name: str, col: pd.Series) -> pd.Series:
    if name in TEXT_FIELDS:
        if col.dtype == TEXT_DTYPE:
            return col
        obj = col.astype(object)
        return obj.where(obj.notna(), None).astype(TEXT_DTYPE)
    if name in DATE_FIELDS:
        if col.dtype == DATE_DTYPE:
            return col
        if pd.api.types.is_datetime64_any_dtype(col.dtype):
            col = col.dt.date
        return pd.Series(pd.array([_to_date(v) for v in col.tolist()], dtype=DATE_DTYPE))
    numbers = pd.to_numeric(_nulls_to_none(col))
    if name in INT_FIELDS:
        return numbers.astype("Int64")
    if name in COUNT_FIELDS:
        return numbers.fillna(0).astype("int64")
    return numbers.astype("float64")


def _nulls_to_none(col: pd.Series) -> pd.Series:
    if col.dtype == object:
        return col.where(col.notna() & (col != ""), None)
    if pd.api.types.is_string_dtype(col.dtype):
        col = col.astype(object)
        return col.where(col.notna() & (col != ""), None)
    return col


def _to_date(value) -> dt.date | None:
    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, np.datetime64):
        return None if np.isnat(value) else pd.Timestamp(value).date()
    text = str(value).strip()
    if not text:
        return None
    try:
        if len(text) > 10 and text[10] not in "T ":   # a date, or the date of an ISO date-time
            raise ValueError
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        raise ValueError(f"event_date {value!r} is not an ISO date (YYYY-MM-DD)") from None


def flag_misplaced(events) -> gpd.GeoDataFrame:
    """``events_frame(events)``, logging a warning for each event whose point is not in its country.

    The frame's ``coord_check`` column says which ("outside country", "swapped lat/lon?").
    """
    frame = events_frame(events)
    warn_misplaced(frame)
    return frame


def frame_records(frame: pd.DataFrame) -> list[dict]:
    """The event fields of each row as plain Python values (None for missing, ISO date strings)."""
    columns: dict[str, list] = {}
    for name in EVENT_FIELDS:
        col = frame[name]
        if name in DATE_FIELDS:
            values = [None if v is None or v is pd.NA else v.isoformat() for v in col.tolist()]
        else:
            obj = col.astype(object)
            values = obj.where(obj.notna(), None).tolist()
        if name in _NOT_NULL:
            default = _NOT_NULL[name]
            values = [default if v is None else v for v in values]
        columns[name] = values
    return [dict(zip(EVENT_FIELDS, row)) for row in zip(*(columns[name] for name in EVENT_FIELDS))]


def frame_events(frame: pd.DataFrame) -> list[Event]:
    return [Event(**record) for record in frame_records(frame)]


def as_events(events) -> list[Event]:
    """Events from what ``events_frame`` accepts, with ``event_date`` an ISO string or None."""
    if isinstance(events, pd.DataFrame):
        return frame_events(coerce_frame(events))
    out = []
    for event in events:
        if not isinstance(event, Event):
            event = Event(**_event_row(event))
        if event.event_date is not None:
            day = _to_date(event.event_date)
            iso = day.isoformat() if day else None
            if iso != event.event_date:
                event = dataclasses.replace(event, event_date=iso)
        out.append(event)
    return out
