"""The embedded SQLite gazetteer index: where it lives, when it is stale, how it is built.

The index is built once into the user's cache directory and rebuilt when its sources
change (a package upgrade, an edited curated TSV, a user dump that was added or changed).
A build writes a temporary file and renames it into place under a file lock, so two
processes starting at once build it once, and a build that is killed or fails on a
corrupt user file leaves the previous index untouched. ``rebuild`` reads new or changed
user files whole before it starts, so a bad one is refused in seconds, not after the build;
GeoNames tables big enough for the worker processes are checked by the build as it reads
them instead (a reading of its own would add minutes to a full-dump build).
"""
from __future__ import annotations

import gc
import hashlib
import json
import multiprocessing
import os
import re
import sqlite3
import time
import warnings
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

from .imports import (TAB_TABLES, RowTally, parse_tab_chunk, read_admin1_codes, read_alternate_names, read_geonames,
                      read_places_csv, tab_line_chunks)
from .names import COMMON_WORDS, fold, is_latin_name, key_skeletons, looks_like_code, skeleton
from .ranking import IMPORTANCE_WEIGHT, KIND_ALTERNATE, KIND_NAME, KIND_SKELETON, MATCH_SCORES, importance
from .records import GazetteerSourceError, PlaceRecord
from .sql_beside import run_beside
from .packages import load_cities500
from .sources import packaged_fingerprint, read_packaged_sources

SCHEMA_VERSION = 3  # 3: places_grid replaces the R*Tree; names in ranking order
INDEX_NAME_FORMAT = "gazetteer-v{}.sqlite"
INDEX_NAME = INDEX_NAME_FORMAT.format(SCHEMA_VERSION)
SOURCES_NAME = "sources.json"
SKELETON_PREFIX = "~"  # skeleton keys share the names table with folded keys, kept apart by this prefix


USER_SOURCE_KINDS = ("geonames", "alternate_names", "admin1_codes", "places_csv")

# GeoNames tables bigger than this are parsed and keyed by worker processes while this one
# writes the index; smaller ones are not worth starting them for.
PARALLEL_MIN_BYTES = 16 << 20
BUILD_WORKERS = max(1, min(4, os.cpu_count() or 1))
# SQLite page cache of a build (KiB): the sorts of the last step spill to temporary files beyond it.
BUILD_CACHE_KIB = 192 * 1024
# Of each of the two processes sorting the names at the end: each of its two sorts (grouping the
# names, then ordering them for lookups) takes up to about as much again, so the two processes
# stay well under a gigabyte together (at 128 MB the full-size build peaked at 1.1 GB).
SORT_CACHE_KIB = 64 * 1024

Progress = Callable[[str], None]


def default_cache_dir() -> Path:
    """``$GEOEVENTS_CACHE_DIR`` or the platform's user cache directory for geoevents."""
    env = os.environ.get("GEOEVENTS_CACHE_DIR")
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_cache_dir("geoevents"))


@dataclass(frozen=True)
class UserSource:
    """A gazetteer file the user added with ``geoevents gazetteer build --geonames/--places-csv``."""

    path: str
    kind: str

    def signature(self) -> str:
        stat = os.stat(self.path)
        return f"{self.kind}:{self.path}:{stat.st_size}:{stat.st_mtime_ns}"


def registered_sources(cache_dir: Path) -> list[UserSource]:
    path = cache_dir / SOURCES_NAME
    if not path.is_file():
        return []
    try:
        return [UserSource(**row) for row in json.loads(path.read_text())]
    except (ValueError, TypeError):
        warnings.warn(f"{path}: unreadable list of gazetteer sources, ignoring it", stacklevel=2)
        return []


def _write_registered_sources(cache_dir: Path, sources: list[UserSource]) -> None:
    path = cache_dir / SOURCES_NAME
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps([asdict(s) for s in sources], indent=1))
    os.replace(tmp, path)


def expected_fingerprint(sources: Iterable[UserSource]) -> str:
    # The names' order holds the ranking's weights: other weights, another index.
    ranking = f"ranking={sorted(MATCH_SCORES.items())}/{IMPORTANCE_WEIGHT!r}"
    parts = [f"schema={SCHEMA_VERSION}", ranking, packaged_fingerprint(), *(s.signature() for s in sources)]
    return "|".join(parts)


def gazetteer_fingerprint(index_path: str | os.PathLike) -> str | None:
    """A short digest of what the gazetteer index at ``index_path`` was built from; None for no build record.

    It changes whenever the index is rebuilt from other files (a country's dump added, a
    packaged source upgraded), so the store can tell which articles were parsed before that.
    """
    fingerprint = read_meta(Path(index_path)).get("fingerprint")
    return hashlib.sha256(fingerprint.encode("utf-8")).hexdigest()[:16] if fingerprint else None


def read_meta(path: Path) -> dict[str, str]:
    """The build record stored in an index; {} when the file is absent or not an index."""
    if not path.is_file():
        return {}
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
            return dict(conn.execute("SELECT key, value FROM meta"))
    except sqlite3.DatabaseError:
        return {}


def ensure_index(cache_dir: Path | None = None, progress: Progress | None = None) -> Path:
    """Path to an up-to-date index, building it first when missing or stale."""
    cache_dir = cache_dir or default_cache_dir()
    cache_dir.mkdir(parents=True, exist_ok=True)
    path = cache_dir / INDEX_NAME
    sources = _available(registered_sources(cache_dir))
    fingerprint = expected_fingerprint(sources)
    if read_meta(path).get("fingerprint") == fingerprint:
        return path
    with _build_lock(cache_dir):
        # Another process may have finished the same build while we waited for the lock.
        if read_meta(path).get("fingerprint") != fingerprint:
            build_index(path, sources, fingerprint, progress)
    return path


def rebuild(
    cache_dir: Path | None = None,
    add: Iterable[UserSource] = (),
    reset: bool = False,
    progress: Progress | None = None,
) -> Path:
    """Build the index now, registering extra user files; they stay part of later rebuilds.

    User files are read whole before the build starts (big GeoNames tables: while the build
    reads them): a missing or corrupt one, or one with more than 1 % malformed rows, raises
    ``GazetteerSourceError`` and neither the index nor the list of sources changes. The
    malformed rows of a file that passes are skipped; the index's ``counts["skipped_rows"]``
    says how many, per file.
    """
    cache_dir = cache_dir or default_cache_dir()
    cache_dir.mkdir(parents=True, exist_ok=True)
    current = [] if reset else _available(registered_sources(cache_dir))
    merged = list({s.path: s for s in [*current, *add]}.values())
    path = cache_dir / INDEX_NAME
    # The files the current index was built from, unchanged since, were read whole then.
    built_from = set(read_meta(path).get("fingerprint", "").split("|"))
    with _workers(merged) as pool:
        for source in merged:
            _check_source(source, built_from, progress, pool)
    with _build_lock(cache_dir):
        build_index(path, merged, expected_fingerprint(merged), progress)
        _write_registered_sources(cache_dir, merged)
    return path


def _available(sources: list[UserSource]) -> list[UserSource]:
    present = [s for s in sources if os.path.isfile(s.path)]
    for missing in set(sources) - set(present):
        warnings.warn(f"{missing.path}: gazetteer source no longer exists; building without it", stacklevel=3)
    return present


@contextmanager
def _build_lock(cache_dir: Path):
    try:
        import fcntl
    except ImportError:  # Windows: the atomic rename alone keeps the index whole
        yield
        return
    with open(cache_dir / "gazetteer.lock", "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE places (
    geonameid INTEGER PRIMARY KEY, name TEXT NOT NULL, latitude REAL NOT NULL, longitude REAL NOT NULL,
    feature_class TEXT, feature_code TEXT, country_code TEXT, admin1 TEXT, admin2 TEXT,
    population INTEGER, source TEXT, importance REAL);
CREATE TABLE admin_names (code TEXT PRIMARY KEY, name TEXT) WITHOUT ROWID;
CREATE TABLE stage.staged_names (key TEXT, geonameid INTEGER, kind INTEGER);
"""

# Misspellings are matched against the names of places worth guessing at, not every hamlet:
# of a GeoNames dump only towns of 1,000 people or more and provinces and districts (millions
# of hamlets, streams and hills would drown the intended place among namesakes one letter off).
_FUZZY_PLACE = """(p.population >= 1000 OR p.feature_code IN ('ADM1', 'ADM2')
      OR (p.source NOT LIKE 'geonames:%' AND (p.feature_class != 'P' OR p.source != 'cities500')))"""

# The last step sorts the staged names (and the places, for the spatial index) in two processes at
# once, a core each, into files of their own that are then copied into the index whole. Folded keys
# all sort before skeleton keys ("~..."), so the names split there into two halves sorted apart.
# The staged names live in a temporary database of their own: dropping them then leaves no free
# pages in the index, which would otherwise take a VACUUM (a full copy) to compact.
# The columns a lookup ranks and filters by ride along with each name, so ranking needs no join;
# only the places returned are read from the places table. A key's rows are in the order a lookup
# ranks them, ``match_score`` first (the same floating-point operations in the same order), so the
# best few places of a name shared by thousands ("Mill Creek") are its first few rows.
_NAMES_TABLE = """CREATE TABLE {db}names (key TEXT, score REAL, geonameid INTEGER, kind INTEGER, importance REAL,
    country_code TEXT, feature_class TEXT, PRIMARY KEY (key, score DESC, geonameid DESC)) WITHOUT ROWID;"""
_SORTED_NAMES = f"""INSERT INTO names
    SELECT key, (CASE kind WHEN {KIND_NAME} THEN {MATCH_SCORES[KIND_NAME]!r} WHEN {KIND_ALTERNATE}
                 THEN {MATCH_SCORES[KIND_ALTERNATE]!r} ELSE {MATCH_SCORES[KIND_SKELETON]!r} END
                 + {IMPORTANCE_WEIGHT!r} * importance) / {1 + IMPORTANCE_WEIGHT!r} AS score,
           geonameid, kind, importance, country_code, feature_class
    FROM (SELECT s.key, s.geonameid, MIN(s.kind) AS kind, p.importance, p.country_code, p.feature_class
          FROM stage.staged_names s JOIN idx.places p USING (geonameid) WHERE s.key {{keys}}
          GROUP BY s.key, s.geonameid)
    ORDER BY key, score DESC, geonameid DESC;"""
_FUZZY_TABLE = "CREATE TABLE {db}fuzzy_keys (key TEXT PRIMARY KEY) WITHOUT ROWID;"
_FUZZY_ROWS = f"""INSERT INTO fuzzy_keys
    SELECT DISTINCT s.key FROM stage.staged_names s JOIN idx.places p USING (geonameid)
    WHERE s.kind != {KIND_SKELETON} AND length(s.key) >= 4 AND {_FUZZY_PLACE}
    ORDER BY s.key;"""
# The spatial index: places by band of latitude (a tenth of a degree), then longitude, so a box's
# places are one short range of the index per band it spans. A B-tree is made by one sort, where
# an R*Tree grows one insertion at a time (minutes of a core for a full dump, for much the same reads).
GRID_BANDS_PER_DEGREE = 10
_GRID_TABLE = """CREATE TABLE {db}places_grid (band INTEGER, longitude REAL, latitude REAL, geonameid INTEGER,
    PRIMARY KEY (band, longitude, geonameid)) WITHOUT ROWID;"""
_GRID_ROWS = f"""INSERT INTO places_grid
    SELECT CAST((latitude + 90) * {GRID_BANDS_PER_DEGREE} AS INTEGER), longitude, latitude, geonameid
    FROM idx.places ORDER BY 1, 2, 4;"""
_FINISH_TABLES = {"names": _NAMES_TABLE, "fuzzy_keys": _FUZZY_TABLE, "places_grid": _GRID_TABLE}
# Each part: the tables it makes and what fills them; the names table comes first, in key order.
_FINISH_PARTS = [
    (("names", "fuzzy_keys"), _SORTED_NAMES.format(keys=f"< '{SKELETON_PREFIX}'") + _FUZZY_ROWS),
    (("names", "places_grid"), _SORTED_NAMES.format(keys=f">= '{SKELETON_PREFIX}'") + _GRID_ROWS),
]


def latitude_band(latitude: float) -> int:
    """The ``places_grid`` band of a latitude, as the index computes it."""
    return int((latitude + 90) * GRID_BANDS_PER_DEGREE)


def _folded_key(name: str, kind: int) -> str | None:
    """The folded key a name is indexed by; None for names the index leaves out (other scripts;
    codes and common words as alternates)."""
    if not name or not is_latin_name(name):
        return None
    if kind == KIND_ALTERNATE and looks_like_code(name):
        return None  # "OSM" is Mosul's airport code, not a way news names Mosul
    key = fold(name)
    if not key or (kind == KIND_ALTERNATE and (key in COMMON_WORDS or len(key) < 3)):
        return None
    return key


def _place_row(place: PlaceRecord) -> tuple:
    return (place.geonameid, place.name, place.latitude, place.longitude, place.feature_class, place.feature_code,
            place.country_code, place.admin1, place.admin2, place.population, place.source,
            importance(place.feature_class, place.feature_code, place.population, place.source))


def _place_name_rows(out: list[tuple], places: Iterable[PlaceRecord]) -> None:
    """Append the places' (key, geonameid, kind) rows: per place one per distinct key, with its strongest kind."""
    # The name comes first and alternates next, so a key's first kind is its strongest.
    _keyed_rows(out, ((p.geonameid, [(p.name, KIND_NAME), *((a, KIND_ALTERNATE) for a in p.alternate_names)])
                      for p in places))


def _name_rows(out: list[tuple], names: Iterable[tuple[int, str, int]]) -> None:
    """Append the (key, geonameid, kind) rows of (geonameid, name, kind) names, each on its own."""
    _keyed_rows(out, ((geonameid, ((name, kind),)) for geonameid, name, kind in names))


def _keyed_rows(out: list[tuple], named: Iterable[tuple[int, Iterable[tuple[str, int]]]]) -> None:
    """Append the rows of (geonameid, (name, kind) pairs strongest first) entries: per entry each distinct
    folded key with its first kind, each followed by its skeleton key unless the entry has that one already.

    The skeletons are made all at once (``key_skeletons``): a bulk import makes millions.
    """
    entries = []
    for geonameid, names in named:
        keys: dict[str, int] = {}
        for name, kind in names:
            key = _folded_key(name, kind)
            if key is not None and key not in keys:
                keys[key] = kind
        entries.append((geonameid, keys))
    distinct = list(dict.fromkeys(key for _, keys in entries for key in keys))
    skeletons = {key: SKELETON_PREFIX + skel if len(skel) >= 3 else ""
                 for key, skel in zip(distinct, key_skeletons(distinct))}
    for geonameid, keys in entries:
        skeletons_added: set[str] = set()
        for key, kind in keys.items():
            out.append((key, geonameid, kind))
            skel = skeletons[key]
            if skel and skel not in skeletons_added:
                skeletons_added.add(skel)
                out.append((skel, geonameid, KIND_SKELETON))


class _IndexWriter:
    """Streams places and names into a fresh database."""

    BATCH = 20_000

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self._places: list[tuple] = []
        self._names: list[tuple] = []

    def add_places(self, places: Iterable[PlaceRecord]) -> None:
        batch: list[PlaceRecord] = []
        for place in places:
            batch.append(place)
            if len(batch) >= self.BATCH:
                self._add_batch(batch)
                batch = []
        self._add_batch(batch)

    def _add_batch(self, places: list[PlaceRecord]) -> None:
        self._places.extend(_place_row(place) for place in places)
        _place_name_rows(self._names, places)
        self.flush()

    def add_rows(self, places: list[tuple], names: list[tuple]) -> None:
        """Place rows and name rows made elsewhere (``_keyed_chunk``), in file order."""
        self.flush()
        self._insert(places, names)

    def add_admin_names(self, names: dict[str, str]) -> None:
        self.conn.executemany("INSERT OR REPLACE INTO admin_names VALUES (?, ?)", names.items())

    def flush(self) -> None:
        self._insert(self._places, self._names)
        self._places.clear()
        self._names.clear()

    def _insert(self, places: list[tuple], names: list[tuple]) -> None:
        self.conn.executemany("INSERT OR REPLACE INTO places VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", places)
        self.conn.executemany("INSERT INTO staged_names VALUES (?,?,?)", names)


def build_index(path: Path, sources: list[UserSource], fingerprint: str, progress: Progress | None = None) -> dict:
    """Build the whole index into a temporary file beside ``path`` and rename it into place."""
    say = progress or (lambda _stage: None)
    started = time.perf_counter()
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    stage = path.with_name(f".{path.name}.{os.getpid()}.stage.tmp")
    parts = [path.with_name(f".{path.name}.{os.getpid()}.part{i}.tmp") for i in range(len(_FINISH_PARTS))]
    _remove_abandoned_builds(path)
    for leftover in (tmp, stage, *parts):
        leftover.unlink(missing_ok=True)
    try:
        conn = sqlite3.connect(tmp)
        conn.execute("ATTACH DATABASE ? AS stage", (str(stage),))
        # The file is renamed into place only once complete, so the build needs no journal or
        # syncing on the way; it is synced once before the rename.
        conn.executescript(f"""
            PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA stage.journal_mode=OFF;
            PRAGMA stage.synchronous=OFF; PRAGMA cache_size=-{BUILD_CACHE_KIB}; PRAGMA threads=2;
            """ + _SCHEMA)
        writer = _IndexWriter(conn)
        skipped_rows = {}
        with _collector_paused(), _workers(sources) as pool:
            say("indexing packaged places (GeoNames cities500, countries, subdivisions, curated)")
            for admin_names, places, names in _packaged_batches(in_child=pool is not None):
                writer.add_admin_names(admin_names)
                writer.add_rows(places, names)
            for source in sources:
                say(f"importing {source.kind} {os.path.basename(source.path)}")
                skipped = _import_user_source(writer, source, pool).summary()
                if skipped:
                    skipped_rows[source.path] = skipped
        writer.flush()
        conn.commit()
        conn.execute("DETACH DATABASE stage")
        conn.execute("PRAGMA shrink_memory")  # the import's page cache, while the sorts run beside
        _finish_beside(conn, tmp, stage, parts, say)
        stage.unlink()
        counts = {
            "places": conn.execute("SELECT count(*) FROM places").fetchone()[0],
            "names": conn.execute("SELECT count(*) FROM names").fetchone()[0],
            "by_source": dict(conn.execute("SELECT source, count(*) FROM places GROUP BY source")),
            "skipped_rows": skipped_rows,
        }
        meta = {
            "province_town_shares": json.dumps(province_town_shares(conn)),
            "country_places": json.dumps(country_places(conn)),
            "fingerprint": fingerprint,
            "schema": str(SCHEMA_VERSION),
            "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "build_seconds": f"{time.perf_counter() - started:.1f}",
            "counts": json.dumps(counts),
            "user_sources": json.dumps([asdict(s) for s in sources]),
        }
        conn.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
        conn.commit()
        conn.close()
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
        _remove_older_schemas(path)
    except BaseException:
        for leftover in (tmp, stage, *parts):
            leftover.unlink(missing_ok=True)
        raise
    return counts


def _finish_beside(conn: sqlite3.Connection, tmp: Path, stage: Path, parts: list[Path], say: Progress) -> None:
    """Sort the names, choose the fuzzy keys and make the spatial index in two processes at once,
    each into a file of its own (``parts``), then copy their tables into the index ``tmp``."""
    jobs = [(part, f"""PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-{SORT_CACHE_KIB};
                {"".join(_FINISH_TABLES[table].format(db="") for table in tables)} {rows}""")
            for part, (tables, rows) in zip(parts, _FINISH_PARTS)]
    say("sorting names and places")
    run_beside(jobs, [("idx", str(tmp)), ("stage", str(stage))], "sorting the names")
    say("copying the sorted tables into the index")
    conn.executescript("".join(table.format(db="main.") for table in _FINISH_TABLES.values()))
    for part, (tables, _) in zip(parts, _FINISH_PARTS):
        conn.execute("ATTACH DATABASE ? AS part", (str(part),))
        for table in tables:
            # Into an empty table of the same definition SQLite copies the records as they are;
            # the second half of the names, all of its keys after the first's, is appended in order.
            conn.execute(f"INSERT INTO main.{table} SELECT * FROM part.{table}")
        conn.commit()
        conn.execute("DETACH DATABASE part")
        part.unlink()


def _remove_abandoned_builds(path: Path) -> None:
    """Delete the temporary files of builds that were killed (their process is gone): gigabytes for a full dump."""
    pattern = re.compile(rf"\.{re.escape(path.name)}\.(\d+)\.(?:stage\.|part\d+\.)?tmp")
    for leftover in path.parent.iterdir():
        match = pattern.fullmatch(leftover.name)
        if match and int(match.group(1)) != os.getpid() and not _process_alive(int(match.group(1))):
            leftover.unlink(missing_ok=True)


def _remove_older_schemas(path: Path) -> None:
    """Delete the indexes of earlier schemas beside a new one: a full dump's is gigabytes, and an
    older geoevents still sharing the cache rebuilds its own."""
    for older in range(1, SCHEMA_VERSION):
        path.with_name(INDEX_NAME_FORMAT.format(older)).unlink(missing_ok=True)


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # another user's process: alive
    return True


def country_places(conn: sqlite3.Connection) -> dict[str, dict]:
    """Per ISO2 code, the country's name ("names") and its GeoNames entry ("ids"): stored with the build, as
    finding them takes a scan of every place (seconds on a full dump) that the first lookup would pay."""
    names = conn.execute("SELECT country_code, name FROM places WHERE feature_code = 'PCLI' AND source = 'countries'")
    # The 'countries' source's entry last, so it wins over a dump's.
    ids = conn.execute("SELECT country_code, geonameid FROM places WHERE feature_code LIKE 'PCL%' "
                       "ORDER BY source = 'countries'")
    return {"names": dict(names.fetchall()), "ids": dict(ids.fetchall())}


def province_town_shares(conn: sqlite3.Connection) -> dict[str, float]:
    """Per country, the share of its provinces (admin-1) named like one of their towns (Syria: most; the US: few)."""
    provinces = conn.execute("SELECT country_code, admin1, name FROM places "
                             "WHERE feature_code = 'ADM1' AND admin1 != ''").fetchall()
    wanted: dict[str, set] = defaultdict(set)  # a name key -> the provinces called so
    for country_code, code, name in provinces:
        for key in (fold(name), SKELETON_PREFIX + skeleton(name)):
            wanted[key].add((country_code, code))
    named_for_towns = set()
    keys = list(wanted)
    for lo in range(0, len(keys), 500):
        chunk = keys[lo:lo + 500]
        rows = conn.execute("SELECT n.key, p.country_code, p.admin1 FROM names n JOIN places p USING (geonameid) "
                            f"WHERE p.feature_class = 'P' AND n.key IN ({','.join('?' * len(chunk))})", chunk)
        named_for_towns.update((cc, code) for key, cc, code in rows if (cc, code) in wanted[key])
    totals = Counter(cc for cc, _, _ in provinces)
    towns = Counter(cc for cc, _ in named_for_towns)
    return {cc: round(towns[cc] / n, 4) for cc, n in totals.items()}


_READERS = {
    "geonames": read_geonames,
    "places_csv": read_places_csv,
    "alternate_names": read_alternate_names,
    "admin1_codes": read_admin1_codes,
}


def _check_source(source: UserSource, built_from: set[str], progress: Progress | None,
                  pool: ProcessPoolExecutor | None = None) -> None:
    """Read a user file whole, as the build will, so a wrong, corrupt or badly damaged file is
    refused before a long build rather than minutes into it; skip files in ``built_from``."""
    if source.kind not in _READERS:
        raise GazetteerSourceError(source.path, f"unknown gazetteer source kind {source.kind!r}")
    if not os.path.isfile(source.path):
        raise GazetteerSourceError(source.path, "no such file")
    if source.signature() in built_from:
        return
    if progress:
        progress(f"checking {source.kind} {os.path.basename(source.path)}")
    if source.kind in TAB_TABLES:
        if pool is None or os.path.getsize(source.path) < PARALLEL_MIN_BYTES:
            _tab_chunks(source, pool, keyed=False)
        else:
            # The build reads it in chunks and refuses it as this would; its head is read now, so
            # a wrong file is refused at once.
            _chunk_head(source)
        return
    # A tally of our own keeps the reader quiet: the build reports what it skips.
    for _ in _READERS[source.kind](source.path, RowTally(Path(source.path))):
        pass


def _import_user_source(writer: _IndexWriter, source: UserSource, pool: ProcessPoolExecutor | None) -> RowTally:
    if source.kind in TAB_TABLES:
        return _tab_chunks(source, pool, keyed=True, writer=writer)
    tally = RowTally(Path(source.path))
    rows = _READERS[source.kind](source.path, tally)
    if source.kind == "places_csv":
        writer.add_places(rows)
    else:
        writer.add_admin_names({f"{r.country_code}.{r.admin1}": r.name for r in rows})
    return tally


def _fork_context():
    """Workers are forked: "spawn" would re-run the caller's main script, which a library cannot
    ask to be guarded. None where fork is missing (Windows): the build then runs in one process."""
    return multiprocessing.get_context("fork") if "fork" in multiprocessing.get_all_start_methods() else None


@contextmanager
def _workers(sources: list[UserSource]) -> Iterator[ProcessPoolExecutor | None]:
    """Worker processes that parse and key big GeoNames tables; None when no source is big enough.

    They are started at once, while this process is still small: a fork copies its memory.
    """
    big = any(s.kind in TAB_TABLES and os.path.isfile(s.path) and os.path.getsize(s.path) >= PARALLEL_MIN_BYTES
              for s in sources)
    context = _fork_context()
    if not big or BUILD_WORKERS < 2 or context is None:
        yield None
        return
    pool = ProcessPoolExecutor(BUILD_WORKERS, mp_context=context)
    try:
        for started in [pool.submit(time.sleep, 0.1) for _ in range(BUILD_WORKERS)]:
            started.result()
        yield pool
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _packaged_batches(in_child: bool) -> Iterator[tuple[dict[str, str], list[tuple], list[tuple]]]:
    """The packaged sources as (admin names, place rows, name rows) batches, in index order.

    ``in_child``: read them in a child process that exits afterwards, so the half gigabyte
    the packages take to read is not held by the process that goes on to import a big dump.
    """
    if not in_child:
        yield from _packaged_rows()
        return
    receiver, sender = multiprocessing.Pipe(duplex=False)
    child = _fork_context().Process(target=_send_packaged_rows, args=(sender,), daemon=True)
    child.start()
    sender.close()
    try:
        while True:
            try:
                message = receiver.recv()
            except EOFError:
                raise RuntimeError("the process reading the packaged gazetteer sources died") from None
            if message[0] == "done":
                break
            if message[0] == "error":
                raise GazetteerSourceError(*message[1:])
            if message[0] == "crash":
                raise RuntimeError(f"reading the packaged gazetteer sources failed: {message[1]}")
            yield message[1:]
    finally:
        receiver.close()
        child.join(timeout=60)
        if child.is_alive():
            child.kill()


def _send_packaged_rows(sender) -> None:
    try:
        for batch in _packaged_rows():
            sender.send(("batch", *batch))
        sender.send(("done",))
    except GazetteerSourceError as exc:
        sender.send(("error", exc.path, exc.problem))
    except Exception as exc:  # noqa: BLE001 - reported by the parent as one line
        sender.send(("crash", f"{type(exc).__name__}: {exc}"))
    finally:
        sender.close()


def _packaged_rows() -> Iterator[tuple[dict[str, str], list[tuple], list[tuple]]]:
    try:
        packaged = read_packaged_sources()
        yield packaged.admin_names, [], []
        batch: list[PlaceRecord] = []
        for place in packaged.places:
            batch.append(place)
            if len(batch) >= _IndexWriter.BATCH:
                yield {}, [_place_row(p) for p in batch], _rows_of(_place_name_rows, batch)
                batch = []
        names = _rows_of(_place_name_rows, batch)
        # Curated: trusted, no code or common-word guard.
        _name_rows(names, ((geonameid, alias, KIND_NAME) for geonameid, alias in packaged.extra_aliases))
        yield {}, [_place_row(p) for p in batch], names
    finally:
        load_cities500.cache_clear()  # half a gigabyte a long-running process should not keep


def _rows_of(make: Callable[[list[tuple], Iterable], None], items: Iterable) -> list[tuple]:
    rows: list[tuple] = []
    make(rows, items)
    return rows


def _tab_chunks(source: UserSource, pool: ProcessPoolExecutor | None, keyed: bool,
                writer: _IndexWriter | None = None) -> RowTally:
    """Read a GeoNames table in chunks, parsed (and keyed, when ``keyed``) by the worker processes
    when there are some, and write each chunk's rows in file order; the file's tally, checked as
    the readers check it."""
    tally = RowTally(Path(source.path))
    for places, names, part, error in _chunk_results(source, pool, keyed):
        if error is not None:
            raise GazetteerSourceError(*error)
        tally.merge(part)
        if writer is not None:
            writer.add_rows(places, names)
    tally.check()
    return tally


def _chunk_head(source: UserSource) -> None:
    """Refuse a GeoNames table whose first chunk is not one (what its first row says)."""
    chunks = tab_line_chunks(source.path)
    try:
        first, block = next(chunks, (1, b""))
    finally:
        chunks.close()
    error = _keyed_chunk(source.kind, source.path, first, block, True, False)[3]
    if error is not None:
        raise GazetteerSourceError(*error)


def _chunk_results(source: UserSource, pool: ProcessPoolExecutor | None, keyed: bool) -> Iterator[tuple]:
    """``_keyed_chunk`` of each chunk of the file, in order; with workers, a few chunks in flight."""
    chunks = tab_line_chunks(source.path)
    jobs = ((source.kind, source.path, first, block, i == 0, keyed) for i, (first, block) in enumerate(chunks))
    if pool is None or os.path.getsize(source.path) < PARALLEL_MIN_BYTES:
        for job in jobs:
            yield _keyed_chunk(*job)
        return
    pending: deque = deque()
    try:
        for job in jobs:
            pending.append(pool.submit(_keyed_chunk, *job))
            if len(pending) > 2 * BUILD_WORKERS:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        for future in pending:
            future.cancel()


def _keyed_chunk(kind: str, path: str, first: int, block: bytes, at_start: bool,
                 keyed: bool) -> tuple[list[tuple], list[tuple], RowTally, tuple[str, str] | None]:
    """A chunk's place rows and name rows (both empty unless ``keyed``), its tally, and the
    (path, problem) of an error that refuses the file (exceptions do not cross processes whole)."""
    tally = RowTally(Path(path))
    with _collector_paused():
        try:
            records = parse_tab_chunk(kind, path, first, block, tally, at_start)
        except GazetteerSourceError as exc:
            return [], [], tally, (exc.path, exc.problem)
        places: list[tuple] = []
        names: list[tuple] = []
        if keyed and kind == "geonames":
            places = [_place_row(place) for place in records]
            _place_name_rows(names, records)
        elif keyed:
            _name_rows(names, ((row.geonameid, row.name, KIND_ALTERNATE) for row in records))
        return places, names, tally, None


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused: a build's millions of rows hold no reference cycles,
    yet the collector, set off by every few hundred new objects, would scan the growing lists of
    rows again and again (a third of a worker's time)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()
