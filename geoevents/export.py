"""Events as a GeoDataFrame, and the GeoJSON / CSV / GeoParquet / GeoPackage files analysts open.

Every format goes through one frame type (``events_frame``): columns ``EVENT_FIELDS`` in ACLED
order plus a point ``geometry`` in EPSG:4326. GDAL (through pyogrio) writes GeoJSON and
GeoPackage; a ``.gpkg`` path is the event store (``geoevents.store``), appended to rather
than overwritten. Other files are written to a temporary file beside the target and renamed
into place, so a crash never leaves half a file.

Every frame also carries ``coord_check`` (after the ACLED columns): whether the event's point lies
in its country (``iso3``, else ``country``), compared with the country's border from the
``countryinfo`` package's data (Natural Earth outlines) plus ``BORDER_MARGIN_KM``. A swapped
latitude/longitude loads in QGIS without complaint, so it is flagged here instead, and
``write_events`` logs a warning naming each flagged event. The column is derived: it is
recomputed from the coordinates whenever a frame is built or read, never trusted from a file.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import glob
import importlib.util
import json
import logging
import math
import os
import re
import tempfile
from collections.abc import Mapping
from dataclasses import MISSING, fields
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyogrio
import shapely

from .gazetteer.geocoder import EARTH_RADIUS_KM
from .schema import EVENT_FIELDS, Event

__all__ = ["BORDER_MARGIN_KM", "COORD_CHECK", "COORD_CHECK_VALUES", "CRS", "FORMATS", "coordinate_checks",
           "events_frame", "flag_misplaced", "read_events", "read_frame", "write_events"]

log = logging.getLogger(__name__)

CRS = "EPSG:4326"
FORMATS = {".gpkg": "GPKG", ".geojson": "GeoJSON", ".csv": "CSV", ".parquet": "Parquet"}

# pandas 3 has a native string dtype ("str", missing = NaN); on pandas 2 its nearest is "string".
TEXT_DTYPE = "str" if int(pd.__version__.split(".")[0]) >= 3 else "string"
# A real date type (no time of day): GDAL writes it as a GeoPackage DATE field and as
# "YYYY-MM-DD" in GeoJSON when the frame goes through Arrow; datetime64 would become DATETIME.
DATE_DTYPE = pd.ArrowDtype(pa.date32())

INT_FIELDS = ("time_precision", "geo_precision", "geonameid")      # nullable Int64
FLOAT_FIELDS = ("latitude", "longitude", "confidence")              # float64, NaN = unknown
COUNT_FIELDS = ("fatalities",)                                      # int64, never null
DATE_FIELDS = ("event_date",)
TEXT_FIELDS = tuple(f for f in EVENT_FIELDS
                    if f not in INT_FIELDS + FLOAT_FIELDS + COUNT_FIELDS + DATE_FIELDS)

# Event fields that are plain values, not Optional: what a missing value reads back as.
_DEFAULTS = {f.name: f.default for f in fields(Event) if f.default is not MISSING}
_NOT_NULL = {"fatalities": 0, "confidence": 0.0, "notes": "", "trigger": ""}

# The derived column every frame and every file carries after the ACLED columns, and its values.
COORD_CHECK = "coord_check"
COORD_OK = "ok"                          # inside the country, or within the margin of its border
COORD_OUTSIDE = "outside country"        # neither the point nor its swap is in the country
COORD_SWAPPED = "swapped lat/lon?"       # the point is not in the country but (lon, lat) read as (lat, lon) is
COORD_UNKNOWN = "unknown country"        # no iso3/country, or one we have no border for: not checked
COORD_NONE = "no coordinates"
COORD_CHECK_VALUES = (COORD_OK, COORD_OUTSIDE, COORD_SWAPPED, COORD_UNKNOWN, COORD_NONE)
# Border towns geocoded to the town's centre, and the outlines' simplification (Natural Earth
# 1:110m, a few km off along coasts and rivers), must not be flagged.
BORDER_MARGIN_KM = 25.0


# ---------------------------------------------------------------------------------------------
# The frame

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


# ---------------------------------------------------------------------------------------------
# Is the point in its country?

def coordinate_checks(lat, lon, iso3, country) -> np.ndarray:
    """One ``COORD_CHECK_VALUES`` string per event: is (lat, lon) within ``BORDER_MARGIN_KM`` of its country?

    ``lat``/``lon`` are float arrays (NaN = no coordinates); the country is found by ``iso3``,
    else by the ``country`` name (English name or an alternative spelling in ``countryinfo``).
    Vectorised per country, so 100,000 events take a fraction of a second.
    """
    lat = np.asarray(lat, dtype="float64")
    lon = np.asarray(lon, dtype="float64")
    n = len(lat)
    result = np.full(n, COORD_NONE, dtype=object)
    has_point = ~(np.isnan(lat) | np.isnan(lon))
    if not has_point.any():
        return result
    borders, names = _country_borders()
    iso3 = _plain_strings(iso3, n)
    country = _plain_strings(country, n)
    codes = np.full(n, None, dtype=object)
    for i in np.flatnonzero(has_point):
        code = (iso3[i] or "").strip().upper()
        if code not in borders:
            code = names.get(_name_key(country[i])) if country[i] else None
        codes[i] = code
    result[has_point & (codes == None)] = COORD_UNKNOWN   # noqa: E711 (element-wise)
    for code in set(codes[has_point]) - {None}:
        rows = np.flatnonzero(has_point & (codes == code))
        border = borders[code]
        near = _near(border, lon[rows], lat[rows])
        result[rows[near]] = COORD_OK
        rest = rows[~near]
        if len(rest):
            swapped = _near(border, lat[rest], lon[rest])
            result[rest[swapped]] = COORD_SWAPPED
            result[rest[~swapped]] = COORD_OUTSIDE
    return result


def flag_misplaced(events) -> gpd.GeoDataFrame:
    """``events_frame(events)``, logging a warning for each event whose point is not in its country.

    The frame's ``coord_check`` column says which ("outside country", "swapped lat/lon?").
    """
    frame = events_frame(events)
    _warn_misplaced(frame)
    return frame


_MAX_WARNINGS = 20


def _warn_misplaced(frame: pd.DataFrame) -> None:
    checks = frame[COORD_CHECK].astype(object)
    bad = np.flatnonzero(checks.isin([COORD_OUTSIDE, COORD_SWAPPED]).to_numpy())
    for i in bad[:_MAX_WARNINGS]:
        row = frame.iloc[i]
        where = row["iso3"] if isinstance(row["iso3"], str) else row["country"]
        log.warning("event %s: %s at lat %s, lon %s is %s (%s), written as given",
                    row["event_id"], row["location"], row["latitude"], row["longitude"],
                    "outside its country" if checks.iloc[i] == COORD_OUTSIDE
                    else "outside its country, inside it with lat/lon swapped", where)
    if len(bad) > _MAX_WARNINGS:
        log.warning("... and %d more events outside their country (see the %s column)",
                    len(bad) - _MAX_WARNINGS, COORD_CHECK)


def _plain_strings(values, n: int) -> list:
    if values is None:
        return [None] * n
    obj = pd.Series(values, dtype=object) if not isinstance(values, pd.Series) else values.astype(object)
    return [v if isinstance(v, str) and v else None for v in obj.tolist()]


def _name_key(name: str) -> str:
    return " ".join(name.casefold().replace("-", " ").split())


def _near(border, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Which points (x = lon, y = lat) lie in ``border`` or within ``BORDER_MARGIN_KM`` of it."""
    valid = (np.abs(y) <= 90) & (np.abs(x) <= 180)
    inside = np.zeros(len(x), dtype=bool)
    inside[valid] = shapely.contains_xy(border, x[valid], y[valid])
    check = valid & ~inside
    if check.any():   # only points within the margin of the border's bounding box can be near it
        xmin, ymin, xmax, ymax = shapely.bounds(border)
        dlat = BORDER_MARGIN_KM / 110.5
        dlon = dlat / np.maximum(np.cos(np.radians(np.minimum(np.abs(y), 89.0))), 0.01)
        check &= (y >= ymin - dlat) & (y <= ymax + dlat) & (x >= xmin - dlon) & (x <= xmax + dlon)
    check = np.flatnonzero(check)
    if len(check):
        # The nearest border point in degrees is close enough to the nearest in km at this scale.
        lines = shapely.shortest_line(shapely.points(x[check], y[check]), border)
        ends = shapely.get_coordinates(lines).reshape(-1, 4)
        inside[check] = _haversine_km(ends[:, 1], ends[:, 0], ends[:, 3], ends[:, 2]) <= BORDER_MARGIN_KM
    return inside


def _haversine_km(lat1, lon1, lat2, lon2):
    p1, p2 = np.radians(lat1), np.radians(lat2)
    a = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(np.radians(lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(a)))


@functools.lru_cache(maxsize=1)
def _country_borders() -> tuple[dict, dict[str, str]]:
    """ISO3 -> prepared border (multi)polygon, and name/alternative spelling/ISO2 -> ISO3.

    Read from the JSON files the ``countryinfo`` package ships (the package is not imported);
    countries it has no outline for (about 80 small islands and territories) are "unknown".
    """
    spec = importlib.util.find_spec("countryinfo")
    if spec is None or not spec.submodule_search_locations:
        return {}, {}
    base = list(spec.submodule_search_locations)[0]
    borders: dict = {}
    names: dict[str, str] = {}
    for path in sorted(glob.glob(os.path.join(base, "data", "*.json"))):
        try:
            with open(path, encoding="utf-8") as f:
                record = json.load(f)
            iso = record.get("ISO") or {}
            code = str(iso.get("alpha3") or "").upper()
            features = (record.get("geoJSON") or {}).get("features") or []
            if len(code) != 3 or not features or code in borders:
                continue
            geoms = [shapely.geometry.shape(ft["geometry"]) for ft in features if ft.get("geometry")]
            border = shapely.make_valid(shapely.union_all(geoms)) if geoms else None
        except (OSError, ValueError, KeyError, TypeError, AttributeError, shapely.errors.ShapelyError):
            continue
        if border is None or border.is_empty:
            continue
        shapely.prepare(border)
        borders[code] = border
        for name in [record.get("name"), *(record.get("altSpellings") or []), iso.get("alpha2"), code]:
            if isinstance(name, str) and name.strip():
                names.setdefault(_name_key(name), code)
    return borders, names


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


# ---------------------------------------------------------------------------------------------
# Writing

def output_format(path: str | os.PathLike, format: str | None = None) -> str:
    """The file suffix that decides the format (``.gpkg``, ``.geojson``, ``.csv``, ``.parquet``)."""
    suffix = ("." + format.lstrip(".")).lower() if format else Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise ValueError(f"{path}: unknown output format '{suffix}' (use .gpkg, .geojson, .csv or .parquet)")
    return suffix


def write_events(events, path: str | os.PathLike, format: str | None = None) -> Path:
    """Write events to ``path``, the format chosen by its suffix (or ``format``); returns the path.

    ``.gpkg`` appends into the GeoPackage event store (duplicates merged, see ``EventStore``);
    ``.geojson`` (RFC 7946), ``.csv`` (ACLED columns, UTF-8) and ``.parquet`` (GeoParquet)
    replace the file atomically. Every format has the ACLED columns in order, then
    ``coord_check``; events whose point is not in their country are logged as warnings.
    """
    path = Path(path)
    suffix = output_format(path, format)
    if not isinstance(events, pd.DataFrame):
        events = list(events)   # a generator is read twice below
    frame = flag_misplaced(events)   # written as given, but never silently
    if suffix == ".gpkg":
        from .store import EventStore

        EventStore(path).append(events)
        return path
    writer = {".geojson": _write_geojson, ".csv": _write_csv, ".parquet": _write_parquet}[suffix]
    with atomic_path(path) as tmp:
        writer(frame, tmp, layer=path.stem)
    return path


_GEOJSON_ID = "__geoevents_feature_id"


def _write_geojson(frame: gpd.GeoDataFrame, tmp: Path, layer: str) -> None:
    # RFC 7946: lon/lat WGS 84, no "crs" member, 6 decimals (~0.1 m). Through Arrow so
    # event_date stays a date ("YYYY-MM-DD", which GDAL/QGIS read as a Date field) and every
    # property keeps one JSON type (nulls for missing values). The feature "id" is the event_id
    # as a string, written from a copy so event_id stays among the properties too.
    frame = frame.copy()
    frame[_GEOJSON_ID] = frame["event_id"]
    pyogrio.write_dataframe(frame, tmp, layer=layer, driver="GeoJSON", use_arrow=True, geometry_type="Point",
                            layer_options={"RFC7946": "YES", "COORDINATE_PRECISION": "6",
                                           "ID_FIELD": _GEOJSON_ID, "ID_TYPE": "String"})


def _write_csv(frame: gpd.GeoDataFrame, tmp: Path, layer: str) -> None:
    pd.DataFrame(frame.drop(columns=frame.geometry.name)).to_csv(tmp, index=False, encoding="utf-8", lineterminator="\n")


def _write_parquet(frame: gpd.GeoDataFrame, tmp: Path, layer: str) -> None:
    frame.to_parquet(tmp, index=False)


class atomic_path:
    """``with atomic_path(target) as tmp:`` write ``tmp``; on success it replaces ``target``, durably.

    The temporary file lives in the target's directory (``os.replace`` is atomic only within
    one file system) and keeps the target's suffix, which GDAL drivers look at. On any error
    the temporary file is removed and the target is untouched.
    """

    def __init__(self, target: Path, *, copy_from: Path | None = None):
        self.target = Path(target)
        self.copy_from = copy_from

    def __enter__(self) -> Path:
        directory = self.target.parent
        fd, name = tempfile.mkstemp(dir=directory, prefix=f".{self.target.name}.", suffix=f".tmp{self.target.suffix}")
        os.close(fd)
        self.tmp = Path(name)
        if self.copy_from is not None:
            with open(self.copy_from, "rb") as src, open(self.tmp, "wb") as dst:
                while chunk := src.read(1 << 20):
                    dst.write(chunk)
        else:
            os.unlink(self.tmp)   # writers (GDAL especially) want to create the file themselves
        return self.tmp

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is not None:
            remove_quietly(self.tmp)
            for side in ("-journal", "-wal", "-shm"):
                remove_quietly(Path(f"{self.tmp}{side}"))
            return
        try:
            fsync_file(self.tmp)
            os.chmod(self.tmp, _target_mode(self.target))
            os.replace(self.tmp, self.target)
        except BaseException:
            remove_quietly(self.tmp)
            raise
        fsync_dir(self.target.parent)


def _target_mode(target: Path) -> int:
    """The replaced file's permissions, or what a plain ``open()`` would give a new file (mkstemp gives 0600)."""
    try:
        return target.stat().st_mode & 0o7777
    except FileNotFoundError:
        return 0o666 & ~_UMASK


_UMASK = os.umask(0o022)   # reading the umask means setting it; done once, at import
os.umask(_UMASK)


def fsync_file(path: Path) -> None:
    with open(path, "rb+") as f:
        os.fsync(f.fileno())


def fsync_dir(directory: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def remove_quietly(path: Path) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


# ---------------------------------------------------------------------------------------------
# Reading

def read_events(path: str | os.PathLike) -> list[Event]:
    """The events in a file written by ``write_events`` (any of the four formats)."""
    return frame_events(read_frame(path))


def read_frame(path: str | os.PathLike) -> gpd.GeoDataFrame:
    """The events in a ``.gpkg`` / ``.geojson`` / ``.csv`` / ``.parquet`` file, as ``events_frame`` gives them."""
    from .store import EventStore, StoreError

    path = Path(path)
    suffix = output_format(path)
    if suffix == ".parquet" and path.is_dir():
        return _read_parquet_parts(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such file")
    if suffix == ".gpkg":
        return EventStore(path).frame()
    try:
        if suffix == ".geojson":
            # DATE_AS_STRING: GDAL would otherwise guess dates in text fields such as "published".
            df = pyogrio.read_dataframe(path, use_arrow=True, DATE_AS_STRING="YES")
            if "id" in df.columns and "event_id" in df.columns:
                df = df.drop(columns="id")   # GDAL's field for the feature id, a copy of event_id
        elif suffix == ".csv":
            df = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8")
        else:
            df = gpd.read_parquet(path)
    except (OSError, ValueError, pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, pa.ArrowException) as exc:
        raise StoreError(f"{path}: cannot read events ({_one_line(exc)})") from None
    if "event_id" not in df.columns and (len(df) or any(c != "geometry" for c in df.columns)):
        raise StoreError(f"{path}: not a geoevents events file (no event_id column)")
    try:
        return coerce_frame(df)
    except (ValueError, TypeError) as exc:
        raise StoreError(f"{path}: cannot read events ({_one_line(exc)})") from None


# A partitioned GeoParquet output (``geoevents parse --scheduler``): one file per partition.
PART_NAME = "part-{:05d}.parquet"
PART_FILE = re.compile(r"part-\d{5,}\.parquet")


def _read_parquet_parts(folder: Path) -> gpd.GeoDataFrame:
    """A partitioned GeoParquet output: its part-NNNNN.parquet files in order."""
    from .store import StoreError

    parts = sorted(p for p in folder.iterdir() if PART_FILE.fullmatch(p.name))
    if not parts:
        raise StoreError(f"{folder}: a folder with no part-*.parquet files")
    frames = [read_frame(part) for part in parts]
    return frames[0] if len(frames) == 1 else coerce_frame(pd.concat(frames, ignore_index=True))


def _one_line(exc: BaseException, *, named: bool = False) -> str:
    """The first line of an exception's message (its class name when empty); ``named`` prefixes the class."""
    lines = str(exc).strip().splitlines()
    name = type(exc).__name__
    if not lines or not lines[0]:
        return name
    return f"{name}: {lines[0]}" if named else lines[0]
