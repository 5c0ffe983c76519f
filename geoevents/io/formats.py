"""The files analysts open: GeoPackage (the event store), GeoJSON, CSV and GeoParquet, written and read in pairs.

Every format goes through one frame (``events_frame``): the ACLED columns in order, then
``coord_check``, and a point geometry in EPSG:4326. GDAL (through pyogrio) writes GeoJSON
and GeoPackage; a ``.gpkg`` path is the event store (``store.EventStore``), appended to
rather than overwritten. Other files are written to a temporary file beside the target and
renamed into place, so a crash never leaves half a file.
"""
from __future__ import annotations

import logging
import os
import re
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyarrow as pa
import pyogrio

from ..errors import one_line
from ..events.record import Event
from .atomic import atomic_path
from .frame import coerce_frame, flag_misplaced, frame_events
from .store import EventStore, StoreError

log = logging.getLogger(__name__)
FORMATS = {".gpkg": "GPKG", ".geojson": "GeoJSON", ".csv": "CSV", ".parquet": "Parquet"}


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


def read_events(path: str | os.PathLike) -> list[Event]:
    """The events in a file written by ``write_events`` (any of the four formats)."""
    return frame_events(read_frame(path))


def read_frame(path: str | os.PathLike) -> gpd.GeoDataFrame:
    """The events in a ``.gpkg`` / ``.geojson`` / ``.csv`` / ``.parquet`` file, as ``events_frame`` gives them."""
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
        raise StoreError(f"{path}: cannot read events ({one_line(exc)})") from None
    if "event_id" not in df.columns and (len(df) or any(c != "geometry" for c in df.columns)):
        raise StoreError(f"{path}: not a geoevents events file (no event_id column)")
    try:
        return coerce_frame(df)
    except (ValueError, TypeError) as exc:
        raise StoreError(f"{path}: cannot read events ({one_line(exc)})") from None


# A partitioned GeoParquet output (``geoevents parse --scheduler``): one file per partition.
PART_NAME = "part-{:05d}.parquet"
PART_FILE = re.compile(r"part-\d{5,}\.parquet")


def _read_parquet_parts(folder: Path) -> gpd.GeoDataFrame:
    """A partitioned GeoParquet output: its part-NNNNN.parquet files in order."""
    parts = sorted(p for p in folder.iterdir() if PART_FILE.fullmatch(p.name))
    if not parts:
        raise StoreError(f"{folder}: a folder with no part-*.parquet files")
    frames = [read_frame(part) for part in parts]
    return frames[0] if len(frames) == 1 else coerce_frame(pd.concat(frames, ignore_index=True))
