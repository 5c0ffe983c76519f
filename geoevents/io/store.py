"""The GeoPackage event store: one ``events`` point layer that grows run after run, reports of one event merged.

The store is an ordinary GeoPackage 1.2 written by GDAL, so QGIS opens it as is: a point layer
``events`` (EPSG:4326, the ``EVENT_FIELDS`` columns, a DATE field for ``event_date``), an
attributes table ``event_sources`` with one row per article report of each event, and an
attributes table ``articles`` with one row per article parsed into it: a hash of its text and
the geoevents version and gazetteer that produced its events. An article parsed again with
another text, version or gazetteer has its earlier reports replaced by the new ones.

Appending is one all-or-nothing step under a lock (``FILE.lock``, removed when done): read the
store, merge, write a complete new GeoPackage beside it (a copy of the old one with the two
tables rewritten, so anything else an analyst keeps in the file, such as QGIS styles,
survives), fsync, and rename it over the old one. A crash at any point leaves either the old
store or the new one, never a mix.
"""
from __future__ import annotations

import contextlib
import dataclasses
import datetime
import hashlib
import math
import os
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyogrio
import pyogrio.errors

from .. import __version__
from ..distance import great_circle_km
from ..errors import one_line
from ..events.merge import LIST_SEPARATOR, Report, join_lists, lowest_fatalities, merge_events, report_of, same_event, split_list
from ..events.record import EVENT_FIELDS, Event
from .atomic import atomic_path, remove_quietly
from .frame import DATE_FIELDS, TEXT_DTYPE, as_events, coerce_frame, events_frame, frame_events

if TYPE_CHECKING:
    from ..text import Article

try:  # POSIX
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None
    import msvcrt

EVENTS_LAYER = "events"
SOURCES_LAYER = "event_sources"
ARTICLES_LAYER = "articles"

# One row per article report: ``event_id`` is the stored event it belongs to, ``report_id`` the
# id the extractor gave it (equal to event_id for the first report).
SOURCE_FIELDS = ("event_id", "report_id", "article_id", "source", "source_url", "notes", "published", "fatalities")
# One row per article parsed into the store: what produced its reports. ``gazetteer`` is a digest
# of the gazetteer index's build record; ``events`` how many events the article gave.
ARTICLE_FIELDS = ("article_id", "text_sha256", "geoevents_version", "gazetteer", "parsed_at", "events")

# GeoPackage 1.2, not GDAL's default 1.4: the GDAL of QGIS 3.22 (Debian stable) opens 1.4 files
# with a warning that they "may only be partially supported".
GPKG_VERSION = "1.2"
GPKG_USER_VERSION = 10200   # PRAGMA user_version of a GeoPackage 1.2


class StoreError(Exception):
    """A file that cannot be used as an event store; the message is one line naming it."""


@dataclass(frozen=True)
class AppendResult:
    """What one ``EventStore.append`` did with the events it was given (they add up to their number)."""

    added: int = 0       # new events
    merged: int = 0      # new reports of an event already stored (or given earlier in the same call)
    unchanged: int = 0   # reports the store already had (same event_id, or an unchanged article's)
    # With ``articles`` given: stored events that lost their last report to a re-parsed article,
    # and the articles new to the store, parsed again with a change, and parsed again unchanged.
    removed: int = 0
    articles_added: int = 0
    articles_replaced: int = 0
    articles_unchanged: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.added or self.merged or self.removed or self.articles_added or self.articles_replaced)


class EventStore:
    """The events of a GeoPackage file, with duplicate-merging ``append``.

    ``EventStore(path)`` does not create anything; the first ``append`` does. A file that exists
    but is not a geoevents GeoPackage raises ``StoreError``.
    """

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        self._layers()   # refuse a wrong file now, not after an hour of parsing

    def __repr__(self) -> str:
        return f"EventStore({str(self.path)!r})"

    def __len__(self) -> int:
        if EVENTS_LAYER not in self._layers():
            return 0
        return int(pyogrio.read_info(self.path, layer=EVENTS_LAYER, force_feature_count=True)["features"])

    # -- reading --------------------------------------------------------------------------

    def frame(self) -> gpd.GeoDataFrame:
        """The stored events as ``events_frame`` gives them (plus any columns an analyst added)."""
        return self._read_events(self._layers())

    def events(self) -> list[Event]:
        return frame_events(self.frame())

    def sources(self) -> pd.DataFrame:
        """The ``event_sources`` table: one row per article report of each stored event."""
        layers = self._layers()
        return self._read_sources(layers, self._read_events(layers))

    def articles(self) -> pd.DataFrame:
        """The ``articles`` table: one row per article parsed into the store, and what produced its events."""
        return self._read_articles(self._layers())

    # -- writing --------------------------------------------------------------------------

    def append(self, events: Iterable[Event | dict] | pd.DataFrame, articles: Iterable[Article] | None = None,
               *, gazetteer: str | None = None) -> AppendResult:
        """Add events, merging reports of the same event; one atomic write, nothing written if nothing changed.

        Same ``event_id`` as a stored report: unchanged. Same event_type and sub_event_type,
        same event_date and places within 10 km as a stored event (or one given earlier in this
        call): merged into the nearest such event (sources listed, lowest non-zero fatalities),
        unless one article gave the two different place names (then they are two events).
        Otherwise: added. Events with no date or no coordinates are never merged.

        ``articles`` are the articles the events were extracted from (all of them, also those
        that gave no event), ``gazetteer`` the ``gazetteer_fingerprint`` (``gazetteer.index``) of the index used. An
        article stored before with the same text, geoevents version and gazetteer is unchanged
        and its events are not looked at; any other article stored before is replaced: its
        earlier reports are removed (an event left with no report goes, one with others left
        is recomputed from them) before its new events are merged in.
        """
        new = as_events(events)
        parsed = _article_rows(articles, gazetteer, new) if articles is not None else {}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._lock():
            self._refuse_if_open_for_writing()
            self._remove_stale_temporaries()
            layers = self._layers()
            existing = self._read_events(layers)
            sources = self._read_sources(layers, existing)
            known = self._read_articles(layers)
            status = _article_status(parsed, known, sources)
            unchanged_ids = {a for a, state in status.items() if state == "unchanged"}
            fresh = [e for e in new if e.article_id not in unchanged_ids]
            replaced = {a for a, state in status.items() if state == "replaced"}
            if not fresh and len(unchanged_ids) == len(status) and EVENTS_LAYER in layers:
                return AppendResult(unchanged=len(new), articles_unchanged=len(status))   # nothing to do
            existing, sources, removed = _remove_reports(existing, sources, replaced)
            plan = _merge_plan(existing, sources, fresh)
            counts = Counter(status.values())
            result = AppendResult(added=plan.result.added, merged=plan.result.merged,
                                  unchanged=plan.result.unchanged + len(new) - len(fresh), removed=removed,
                                  articles_added=counts["added"], articles_replaced=counts["replaced"],
                                  articles_unchanged=counts["unchanged"])
            if result.changed or EVENTS_LAYER not in layers:   # an empty store is still a store QGIS opens
                written = {a: row for a, row in parsed.items() if a not in unchanged_ids}
                self._write(plan.frame(existing), plan.sources(sources),
                            _updated_articles(known, written) if written else None)
        return result

    # -- internals ------------------------------------------------------------------------

    def _layers(self) -> list[str]:
        """The file's layer names ([] for no file or an empty one); StoreError for anything not ours."""
        path = self.path
        if not path.exists():
            return []
        if path.is_dir():
            raise StoreError(f"{path}: not a geoevents GeoPackage (it is a directory)")
        with open(path, "rb") as f:
            header = f.read(100)
        if not header:
            return []   # an empty file (e.g. just created by `touch`) holds nothing to lose
        if not header.startswith(b"SQLite format 3\x00"):
            raise StoreError(f"{path}: not a geoevents GeoPackage (not an SQLite/GeoPackage file)")
        if header[68:72] not in (b"GPKG", b"GP10", b"GP11"):
            raise StoreError(f"{path}: not a geoevents GeoPackage (an SQLite database that is not a GeoPackage)")
        try:
            names = [str(name) for name, _ in pyogrio.list_layers(path)]
        except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
            raise StoreError(f"{path}: not a geoevents GeoPackage ({one_line(exc)})") from None
        if EVENTS_LAYER not in names:
            if names:
                raise StoreError(f"{path}: not a geoevents GeoPackage (no '{EVENTS_LAYER}' layer; "
                                 f"it has {', '.join(names[:5])}{', ...' if len(names) > 5 else ''})")
            return []
        info = pyogrio.read_info(path, layer=EVENTS_LAYER)
        if "event_id" not in list(info["fields"]):
            raise StoreError(f"{path}: not a geoevents GeoPackage (layer '{EVENTS_LAYER}' has no event_id field)")
        if info["geometry_type"] not in ("Point", "Unknown"):
            raise StoreError(f"{path}: not a geoevents GeoPackage (layer '{EVENTS_LAYER}' holds "
                             f"{info['geometry_type']} geometries, not points)")
        return names

    def _read_events(self, layers: list[str]) -> gpd.GeoDataFrame:
        if EVENTS_LAYER not in layers:
            return events_frame([])
        df = pyogrio.read_dataframe(self.path, layer=EVENTS_LAYER, use_arrow=True,
                                    arrow_to_pandas_kwargs={"types_mapper": _arrow_types})
        # The geometry wins over latitude/longitude: an analyst may have moved a point in QGIS.
        return coerce_frame(df, prefer_geometry=True)

    def _read_sources(self, layers: list[str], existing: gpd.GeoDataFrame) -> pd.DataFrame:
        if SOURCES_LAYER in layers:
            df = pyogrio.read_dataframe(self.path, layer=SOURCES_LAYER, read_geometry=False, use_arrow=True,
                                        arrow_to_pandas_kwargs={"types_mapper": _arrow_types})
            return _sources_frame(pd.DataFrame(df))
        # A store written without the table: each event is its own single report.
        df = pd.DataFrame({name: existing[name] for name in SOURCE_FIELDS if name in existing.columns})
        df["report_id"] = existing["event_id"]
        return _sources_frame(df)

    def _read_articles(self, layers: list[str]) -> pd.DataFrame:
        """The ``articles`` table; empty for a store written before it existed (its articles are unknown)."""
        if ARTICLES_LAYER not in layers:
            return _articles_frame(pd.DataFrame(columns=list(ARTICLE_FIELDS)))
        df = pyogrio.read_dataframe(self.path, layer=ARTICLES_LAYER, read_geometry=False, use_arrow=True,
                                    arrow_to_pandas_kwargs={"types_mapper": _arrow_types})
        return _articles_frame(pd.DataFrame(df))

    def _write(self, frame: gpd.GeoDataFrame, sources: pd.DataFrame, articles: pd.DataFrame | None = None) -> None:
        old = self.path if self.path.exists() and self.path.stat().st_size else None
        with atomic_path(self.path, copy_from=old) as tmp:
            if old is not None:
                _declare_gpkg_1_2(tmp)
            write_events_layer(frame, tmp)
            write_sources_table(sources, tmp)
            if articles is not None:   # else the copy keeps the table as it was, or has none
                write_articles_table(articles, tmp)

    @contextlib.contextmanager
    def _lock(self) -> Iterator[None]:
        """An exclusive lock on ``FILE.lock`` for the read-merge-write, so concurrent runs queue.

        The lock file is removed when the append is done. One left by a killed run does not block
        the next: the kernel drops a dead process's lock, only the empty file stays.
        """
        lock_path = self.path.with_name(self.path.name + ".lock")
        while True:
            f = open(lock_path, "a+b")
            try:
                if fcntl is not None:
                    fcntl.flock(f.fileno(), fcntl.LOCK_EX)
                else:  # pragma: no cover
                    msvcrt.locking(f.fileno(), msvcrt.LK_LOCK, 1)
            except BaseException:
                f.close()
                raise
            # The run before us may have removed the file while we waited: a lock on it guards nothing.
            if _is_file_at(f, lock_path):
                break
            f.close()
        try:
            yield
            # Removed while still held, so a run waiting on it sees it gone and retries (POSIX only:
            # Windows cannot remove an open file).
            if fcntl is not None:
                remove_quietly(lock_path)
        finally:
            if fcntl is not None:
                fcntl.flock(f.fileno(), fcntl.LOCK_UN)
            else:  # pragma: no cover
                f.seek(0)
                msvcrt.locking(f.fileno(), msvcrt.LK_UNLCK, 1)
            f.close()

    def _refuse_if_open_for_writing(self) -> None:
        # A program editing the file in SQLite's WAL mode (QGIS does when editing) keeps writing
        # to FILE-wal; renaming a new file over FILE under it would pair our file with its log.
        wal = Path(f"{self.path}-wal")
        if wal.exists():
            raise StoreError(f"{self.path}: open for writing in another program ({wal.name} exists); "
                             "close it there (in QGIS: stop editing the layer) and run again")

    def _remove_stale_temporaries(self) -> None:
        # Left by a run killed mid-write; safe to remove while we hold the lock.
        for stale in self.path.parent.glob(f".{self.path.name}.*.tmp{self.path.suffix}*"):
            remove_quietly(stale)


def _is_file_at(f, path: Path) -> bool:
    """Whether the open file ``f`` is the file now at ``path``."""
    try:
        return os.path.samestat(os.fstat(f.fileno()), os.stat(path))
    except FileNotFoundError:
        return False


def _arrow_types(arrow_type: pa.DataType):
    """Keep Arrow's dates and nullable integers; let strings become pandas' own string dtype."""
    if pa.types.is_string(arrow_type) or pa.types.is_large_string(arrow_type):
        return None
    return pd.ArrowDtype(arrow_type)


def write_events_layer(frame: gpd.GeoDataFrame, path: Path) -> None:
    """(Re)write the ``events`` point layer of the GeoPackage at ``path`` through GDAL."""
    # Through Arrow so the date32 event_date becomes a GeoPackage DATE field (datetime64 would
    # become DATETIME, python dates TEXT); Int64 columns become INTEGER, with NULLs.
    pyogrio.write_dataframe(
        frame, path, layer=EVENTS_LAYER, driver="GPKG", use_arrow=True, geometry_type="Point",
        dataset_options={"VERSION": GPKG_VERSION},
        layer_options={"IDENTIFIER": "geoevents events",
                       "DESCRIPTION": "Dated, geolocated conflict events (ACLED fields), one row per event"},
    )


def write_sources_table(sources: pd.DataFrame, path: Path) -> None:
    """(Re)write the ``event_sources`` attributes table of the GeoPackage at ``path`` through GDAL."""
    _write_attributes_table(sources, path, SOURCES_LAYER, "geoevents event sources",
                            "One row per article report of each event in the events layer")


def write_articles_table(articles: pd.DataFrame, path: Path) -> None:
    """(Re)write the ``articles`` attributes table of the GeoPackage at ``path`` through GDAL."""
    _write_attributes_table(articles, path, ARTICLES_LAYER, "geoevents articles",
                            "One row per article parsed into the store: a hash of its text and the geoevents "
                            "version and gazetteer that produced its events")


def _write_attributes_table(table: pd.DataFrame, path: Path, layer: str, identifier: str, description: str) -> None:
    pyogrio.write_dataframe(
        table, path, layer=layer, driver="GPKG", use_arrow=True, dataset_options={"VERSION": GPKG_VERSION},
        layer_options={"IDENTIFIER": identifier, "DESCRIPTION": description},
    )


def _declare_gpkg_1_2(path: Path) -> None:
    """Mark a copy of a newer store GeoPackage 1.2 before its tables are rewritten.

    ``VERSION`` only applies when GDAL creates a file; on an existing one GDAL follows the
    file's version, and for 1.4 writes R-tree triggers that 1.2 readers do not know.
    """
    with contextlib.closing(sqlite3.connect(path)) as db:
        if db.execute("PRAGMA user_version").fetchone()[0] > GPKG_USER_VERSION:
            db.execute(f"PRAGMA user_version = {GPKG_USER_VERSION}")


def _sources_frame(df: pd.DataFrame) -> pd.DataFrame:
    return _typed_table(df, SOURCE_FIELDS, counts=("fatalities",))


def _typed_table(df: pd.DataFrame, names: tuple[str, ...], counts: tuple[str, ...] = (),
                 times: tuple[str, ...] = ()) -> pd.DataFrame:
    """``df``'s columns ``names`` (missing ones empty) as text, non-null integer ``counts`` and UTC ``times``."""
    out = {}
    for name in names:
        col = df[name].reset_index(drop=True) if name in df.columns else pd.Series([None] * len(df), dtype=object)
        if name in counts:
            out[name] = pd.to_numeric(col).fillna(0).astype("int64")
        elif name in times:   # a GeoPackage DATETIME
            out[name] = pd.to_datetime(col, utc=True).astype("datetime64[ms, UTC]")
        else:
            obj = col.astype(object)
            out[name] = obj.where(obj.notna(), None).astype(TEXT_DTYPE)
    return pd.DataFrame(out, columns=list(names))


def _source_row(event_id: str, report: Event) -> dict:
    return {"event_id": event_id, "report_id": report.event_id, "article_id": report.article_id,
            "source": report.source, "source_url": report.source_url, "notes": report.notes,
            "published": report.published, "fatalities": report.fatalities}


def _plain(col: pd.Series) -> list:
    obj = col.astype(object)
    return obj.where(obj.notna(), None).tolist()


def _plain_row(row: dict) -> dict:
    """A table row with pandas' missing values (NA, NaN) as None."""
    return {key: None if value is pd.NA or (isinstance(value, float) and math.isnan(value)) else value
            for key, value in row.items()}


def _mergeable_key(event_type, sub_event_type, event_date, lat, lon):
    """Where an event the store may merge is indexed; None for one with no date or no point, which never merges."""
    if event_date is None or lat is None or lon is None or math.isnan(lat) or math.isnan(lon):
        return None
    return (event_type, sub_event_type, event_date)


# -- articles parsed again ------------------------------------------------------------------------

def text_sha256(text: str) -> str:
    """The hash that tells one version of an article's text from another."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _article_rows(articles: Iterable[Article], gazetteer: str | None, events: list[Event]) -> dict[str, dict]:
    """The ``articles`` row of each article given, by id (a repeated id: the last one)."""
    per_article = Counter(event.article_id for event in events)
    parsed_at = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    rows = {}
    for article in articles:
        rows[article.id] = {"article_id": article.id, "text_sha256": text_sha256(article.text),
                            "geoevents_version": __version__, "gazetteer": gazetteer, "parsed_at": parsed_at,
                            "events": per_article[article.id]}
    return rows


def _article_status(parsed: dict[str, dict], known: pd.DataFrame, sources: pd.DataFrame) -> dict[str, str]:
    """"unchanged", "replaced" or "added" for each article given.

    Unchanged needs the same text, version and a known gazetteer equal to the stored one. An
    article the table does not list but the reports name (a store written before the table
    existed) is replaced: what produced those reports is unknown.
    """
    compared = ["article_id", "text_sha256", "geoevents_version", "gazetteer"]
    mine = known.loc[known["article_id"].isin(list(parsed)), compared]
    stored = {row["article_id"]: _plain_row(row) for row in mine.to_dict("records")}
    reported = _reported_articles(sources, parsed.keys() - stored.keys())
    status = {}
    for article_id, row in parsed.items():
        before = stored.get(article_id)
        if before is not None and row["gazetteer"] is not None and all(
                before[name] == row[name] for name in ("text_sha256", "geoevents_version", "gazetteer")):
            status[article_id] = "unchanged"
        elif before is not None or article_id in reported:
            status[article_id] = "replaced"
        else:
            status[article_id] = "added"
    return status


def _reports_of(sources: pd.DataFrame, article_ids: set[str]) -> np.ndarray:
    """Which ``event_sources`` rows are reports of one of ``article_ids`` (a report appended already
    merged lists several)."""
    column = sources["article_id"]
    mask = column.isin(list(article_ids)).to_numpy(dtype=bool, copy=True)
    listed = column.str.contains(LIST_SEPARATOR, regex=False, na=False).to_numpy(dtype=bool)
    for row in np.flatnonzero(listed & ~mask):
        mask[row] = any(a in article_ids for a in split_list(column.iat[row]))
    return mask


def _reported_articles(sources: pd.DataFrame, wanted) -> set[str]:
    wanted = set(wanted)
    if not wanted or not len(sources):
        return set()
    values = sources["article_id"][_reports_of(sources, wanted)].tolist()
    return {a for value in values for a in split_list(value) if a in wanted}


def _remove_reports(existing: gpd.GeoDataFrame, sources: pd.DataFrame, article_ids: set[str]
                    ) -> tuple[gpd.GeoDataFrame, pd.DataFrame, int]:
    """The store without the reports of ``article_ids``, and how many events went with their last report.

    An event that keeps other reports is recomputed from them as far as ``event_sources`` holds
    them: sources, URLs and article ids listed again, the lowest non-zero fatalities; if its
    first report went, the next one's id, notes and publication date become the event's. Its
    place, date and actors stay (every report of it was within 10 km and on an agreeing date).
    """
    if not article_ids or not len(sources):
        return existing, sources, 0
    gone = _reports_of(sources, article_ids)
    if not gone.any():
        return existing, sources, 0
    touched = set(sources["event_id"][gone].tolist())
    sources = sources[~gone].reset_index(drop=True)
    left: dict[str, list[dict]] = defaultdict(list)
    for row in sources[sources["event_id"].isin(touched)].to_dict("records"):
        left[row["event_id"]].append(_plain_row(row))
    event_ids = existing["event_id"].tolist()
    keep = np.array([eid not in touched or eid in left for eid in event_ids], dtype=bool)
    slots = [slot for slot, eid in enumerate(event_ids) if eid in left]
    rekeyed: dict[str, str] = {}
    updated = []
    for slot, event in zip(slots, frame_events(existing.iloc[slots])):
        reports = left[event.event_id]
        first = next((r for r in reports if r["report_id"] == event.event_id), None)
        changes = {}
        if first is None:   # the report the event was made from is gone: the next one leads
            first = reports[0]
            rekeyed[event.event_id] = first["report_id"]
            changes = {"event_id": first["report_id"], "notes": first["notes"] or "", "published": first["published"]}
        updated.append(dataclasses.replace(
            event, **changes,
            source=join_lists(*(r["source"] for r in reports)),
            source_url=join_lists(*(r["source_url"] for r in reports)),
            article_id=join_lists(*(r["article_id"] for r in reports)),
            fatalities=lowest_fatalities(*(r["fatalities"] for r in reports))))
    if rekeyed:
        sources["event_id"] = sources["event_id"].replace(rekeyed)
    existing = _replace_rows(existing, dict(zip(slots, updated)), [])
    kept = existing.iloc[np.flatnonzero(keep)].reset_index(drop=True)
    return kept, sources, int((~keep).sum())


def _updated_articles(known: pd.DataFrame, rows: dict[str, dict]) -> pd.DataFrame:
    """The ``articles`` table with ``rows`` replacing the stored rows of their articles, new ones at the end."""
    kept = known[~known["article_id"].isin(list(rows))]
    new = _articles_frame(pd.DataFrame(list(rows.values()), columns=list(ARTICLE_FIELDS)))
    return pd.concat([kept, new], ignore_index=True) if len(kept) else new


def _articles_frame(df: pd.DataFrame) -> pd.DataFrame:
    return _typed_table(df, ARTICLE_FIELDS, counts=("events",), times=("parsed_at",))


class _MergePlan:
    """Pass 1 decides, for each new event, unchanged / added / merged into slot N, from columns only.

    Slots 0..n-1 are the stored events, n.. the events added by this call. Pass 2 (``frame``)
    converts only the stored rows that receive a merge into Events, so appending to a large
    store costs one columnar read and write, not a Python object per stored event.
    """

    def __init__(self, existing: gpd.GeoDataFrame, sources: pd.DataFrame):
        self.n = len(existing)
        self.lat = existing["latitude"].to_numpy()
        self.lon = existing["longitude"].to_numpy()
        self.article_ids = _plain(existing["article_id"])
        self.locations = _plain(existing["location"])
        self.known_reports = set(existing["event_id"].tolist()) | set(sources["report_id"].dropna().tolist())
        self.index: dict[tuple, list[int]] = defaultdict(list)
        dates = [None if d is None or d is pd.NA else d.isoformat() for d in existing[DATE_FIELDS[0]].tolist()]
        for slot, key in enumerate(zip(existing["event_type"].tolist(), existing["sub_event_type"].tolist(),
                                       dates, self.lat.tolist(), self.lon.tolist())):
            key = _mergeable_key(*key)
            if key is not None:
                self.index[key].append(slot)
        self.added: list[Event] = []
        self.merges: list[tuple[int, Event]] = []         # (target slot, report), in order
        self.places: dict[int, dict[str, set]] = {}       # slot -> article -> place names it gave the event
        self.unchanged = 0

    def _coords(self, slot: int) -> tuple[float, float]:
        if slot < self.n:
            return float(self.lat[slot]), float(self.lon[slot])
        event = self.added[slot - self.n]
        return event.latitude, event.longitude

    def _places(self, slot: int) -> dict[str, set]:
        if slot not in self.places:
            if slot < self.n:
                articles, location = self.article_ids[slot], self.locations[slot]
            else:
                articles, location = self.added[slot - self.n].article_id, self.added[slot - self.n].location
            self.places[slot] = {article: {location} for article in split_list(articles)}
        return self.places[slot]

    def _match(self, event: Event) -> int | None:
        key = _mergeable_key(event.event_type, event.sub_event_type, event.event_date, event.latitude, event.longitude)
        if key is None:
            return None
        articles = split_list(event.article_id)
        report = report_of(event)
        best, best_km = None, math.inf
        for slot in self.index.get(key, ()):
            places = self._places(slot)
            if any(a in places and event.location not in places[a] for a in articles):
                continue   # one article naming two places: two events, not two reports of one
            lat, lon = self._coords(slot)
            if not same_event(report, Report(event.sub_event_type, lat, lon, event.event_date)):
                continue
            km = great_circle_km(lat, lon, event.latitude, event.longitude)
            if km <= best_km:   # the nearest of the stored events it may be
                best, best_km = slot, km
        return best

    def add(self, event: Event) -> None:
        if event.event_id in self.known_reports:
            self.unchanged += 1
            return
        self.known_reports.add(event.event_id)
        slot = self._match(event)
        if slot is None:
            self.added.append(event)
            key = _mergeable_key(event.event_type, event.sub_event_type, event.event_date,
                                 event.latitude, event.longitude)
            if key is not None:
                self.index[key].append(self.n + len(self.added) - 1)
        else:
            self.merges.append((slot, event))
            places = self._places(slot)
            for article in split_list(event.article_id):
                places.setdefault(article, set()).add(event.location)

    @property
    def result(self) -> AppendResult:
        return AppendResult(added=len(self.added), merged=len(self.merges), unchanged=self.unchanged)

    def _resolve(self, existing: gpd.GeoDataFrame) -> tuple[dict[int, Event], list[Event], list[dict]]:
        """The merged stored events by slot, the final added events, and the new source rows."""
        targets = sorted({slot for slot, _ in self.merges if slot < self.n})
        stored = dict(zip(targets, frame_events(existing.iloc[targets]))) if targets else {}
        added = list(self.added)
        rows = [_source_row(event.event_id, event) for event in added]
        for slot, report in self.merges:
            if slot < self.n:
                target = stored[slot]
                stored[slot] = merge_events(target, report)
            else:
                target = added[slot - self.n]
                added[slot - self.n] = merge_events(target, report)
            rows.append(_source_row(target.event_id, report))
        return stored, added, rows

    def frame(self, existing: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
        stored, added, self._rows = self._resolve(existing)
        return _replace_rows(existing, stored, added)

    def sources(self, sources: pd.DataFrame) -> pd.DataFrame:
        new = _sources_frame(pd.DataFrame(self._rows, columns=list(SOURCE_FIELDS)))
        return pd.concat([sources, new], ignore_index=True) if len(sources) else new


def _merge_plan(existing: gpd.GeoDataFrame, sources: pd.DataFrame, new: list[Event]) -> _MergePlan:
    plan = _MergePlan(existing, sources)
    for event in new:
        plan.add(event)
    return plan


def _replace_rows(existing: gpd.GeoDataFrame, stored: dict[int, Event], added: list[Event]) -> gpd.GeoDataFrame:
    """``existing`` with the rows at the slots of ``stored`` replaced by those events, and ``added`` at the end.

    Only the replaced rows go through Event objects; columns an analyst added keep their values.
    """
    if not stored:
        return _concat([existing, events_frame(added)])
    n = len(existing)
    slots = np.array(sorted(stored), dtype=int)
    updated = events_frame([stored[slot] for slot in slots])
    extras = [c for c in existing.columns if c not in EVENT_FIELDS and c != existing.geometry.name]
    for name in extras:
        updated[name] = existing[name].iloc[slots].to_numpy()
    keep = np.ones(n, dtype=bool)
    keep[slots] = False
    order = np.concatenate([np.flatnonzero(keep), slots, np.arange(n, n + len(added))])
    combined = _concat([existing.iloc[np.flatnonzero(keep)], updated, events_frame(added)])
    return combined.iloc[np.argsort(order, kind="stable")].reset_index(drop=True)


def _concat(frames: list[gpd.GeoDataFrame]) -> gpd.GeoDataFrame:
    frames = [f for f in frames if len(f)] or frames[:1]
    if len(frames) == 1:
        return frames[0].reset_index(drop=True)
    return gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), geometry="geometry", crs=frames[0].crs)
