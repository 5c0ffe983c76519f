"""The embedded SQLite gazetteer index: where it lives, when it is stale, how it is built.

The index is built once into the user's cache directory and rebuilt when its sources
change (a package upgrade, an edited curated TSV, a user dump that was added or changed).
A build writes a temporary file and renames it into place under a file lock, so two
processes starting at once build it once, and a build that is killed or fails on a
corrupt user file leaves the previous index untouched. ``rebuild`` reads new or changed
user files whole before it starts, so a bad one is refused in seconds, not after the build.
"""
from __future__ import annotations

import json
import os
import sqlite3
import time
import warnings
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

from .imports import RowTally, read_admin1_codes, read_alternate_names, read_geonames, read_places_csv
from .names import COMMON_WORDS, fold, is_latin_name, looks_like_code, skeleton
from .ranking import KIND_ALTERNATE, KIND_NAME, KIND_SKELETON, importance
from .records import GazetteerSourceError, PlaceRecord
from .packages import load_cities500
from .sources import packaged_fingerprint, read_packaged_sources

SCHEMA_VERSION = 2
INDEX_NAME = f"gazetteer-v{SCHEMA_VERSION}.sqlite"
SOURCES_NAME = "sources.json"
SKELETON_PREFIX = "~"  # skeleton keys share the names table with folded keys, kept apart by this prefix


USER_SOURCE_KINDS = ("geonames", "alternate_names", "admin1_codes", "places_csv")

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
    parts = [f"schema={SCHEMA_VERSION}", packaged_fingerprint(), *(s.signature() for s in sources)]
    return "|".join(parts)


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

    User files are read whole before the build starts: a missing or corrupt one, or one
    with more than 1 % malformed rows, raises ``GazetteerSourceError`` and neither the
    index nor the list of sources changes. The malformed rows of a file that passes are
    skipped; the index's ``counts["skipped_rows"]`` says how many, per file.
    """
    cache_dir = cache_dir or default_cache_dir()
    cache_dir.mkdir(parents=True, exist_ok=True)
    current = [] if reset else _available(registered_sources(cache_dir))
    merged = list({s.path: s for s in [*current, *add]}.values())
    path = cache_dir / INDEX_NAME
    # The files the current index was built from, unchanged since, were read whole then.
    built_from = set(read_meta(path).get("fingerprint", "").split("|"))
    for source in merged:
        _check_source(source, built_from, progress)
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
CREATE TABLE staged_names (key TEXT, geonameid INTEGER, kind INTEGER);
CREATE TABLE admin_names (code TEXT PRIMARY KEY, name TEXT) WITHOUT ROWID;
"""

_FINISH = f"""
-- The columns a lookup ranks and filters by ride along with each name, so ranking needs
-- no join; only the places returned are read from the places table.
CREATE TABLE names (key TEXT, geonameid INTEGER, kind INTEGER, importance REAL, country_code TEXT,
                    feature_class TEXT, PRIMARY KEY (key, geonameid)) WITHOUT ROWID;
INSERT INTO names
    SELECT s.key, s.geonameid, MIN(s.kind), p.importance, p.country_code, p.feature_class
    FROM staged_names s JOIN places p USING (geonameid)
    GROUP BY s.key, s.geonameid ORDER BY s.key, s.geonameid;
DROP TABLE staged_names;
-- Misspellings are matched against the names of places worth guessing at, not every hamlet.
CREATE TABLE fuzzy_keys (key TEXT PRIMARY KEY) WITHOUT ROWID;
INSERT INTO fuzzy_keys
    SELECT DISTINCT n.key FROM names n JOIN places p USING (geonameid)
    WHERE n.kind != {KIND_SKELETON} AND length(n.key) >= 4
      AND (p.population >= 1000 OR p.feature_class != 'P' OR p.source != 'cities500');
CREATE VIRTUAL TABLE places_rtree USING rtree (geonameid, min_lat, max_lat, min_lon, max_lon);
INSERT INTO places_rtree SELECT geonameid, latitude, latitude, longitude, longitude FROM places;
"""


class _IndexWriter:
    """Streams places and names into a fresh database."""

    BATCH = 20_000

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self._places: list[tuple] = []
        self._names: list[tuple] = []
        self.counts: dict[str, int] = {}

    def add_places(self, places: Iterable[PlaceRecord]) -> None:
        for place in places:
            self._places.append(
                (place.geonameid, place.name, place.latitude, place.longitude, place.feature_class,
                 place.feature_code, place.country_code, place.admin1, place.admin2, place.population,
                 place.source, importance(place.feature_class, place.feature_code, place.population, place.source))
            )
            self.counts[place.source.split(":")[0]] = self.counts.get(place.source.split(":")[0], 0) + 1
            self._add_name(place.geonameid, place.name, KIND_NAME)
            for alternate in place.alternate_names:
                self._add_name(place.geonameid, alternate, KIND_ALTERNATE)
            if len(self._places) >= self.BATCH:
                self.flush()

    def add_alternate(self, geonameid: int, name: str, trusted: bool = False) -> None:
        """Another name for a place; ``trusted`` (curated) names skip the code and common-word guards."""
        self._add_name(geonameid, name, KIND_NAME if trusted else KIND_ALTERNATE)
        if len(self._names) >= self.BATCH * 5:
            self.flush()

    def _add_name(self, geonameid: int, name: str, kind: int) -> None:
        if not name or not is_latin_name(name):
            return
        if kind == KIND_ALTERNATE and looks_like_code(name):
            return  # "OSM" is Mosul's airport code, not a way news names Mosul
        key = fold(name)
        if not key or (kind == KIND_ALTERNATE and (key in COMMON_WORDS or len(key) < 3)):
            return
        self._names.append((key, geonameid, kind))
        skel = skeleton(name)
        if len(skel) >= 3:
            self._names.append((SKELETON_PREFIX + skel, geonameid, KIND_SKELETON))

    def add_admin_names(self, names: dict[str, str]) -> None:
        self.conn.executemany("INSERT OR REPLACE INTO admin_names VALUES (?, ?)", names.items())

    def flush(self) -> None:
        self.conn.executemany("INSERT OR REPLACE INTO places VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", self._places)
        self.conn.executemany("INSERT INTO staged_names VALUES (?,?,?)", self._names)
        self._places.clear()
        self._names.clear()


def build_index(path: Path, sources: list[UserSource], fingerprint: str, progress: Progress | None = None) -> dict:
    """Build the whole index into a temporary file beside ``path`` and rename it into place."""
    say = progress or (lambda _stage: None)
    started = time.perf_counter()
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    try:
        conn = sqlite3.connect(tmp)
        conn.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + _SCHEMA)
        writer = _IndexWriter(conn)
        say("reading packaged sources (GeoNames cities500, countries, subdivisions, curated)")
        packaged = read_packaged_sources()
        writer.add_admin_names(packaged.admin_names)
        say("indexing packaged places")
        writer.add_places(packaged.places)
        for geonameid, alias in packaged.extra_aliases:
            writer.add_alternate(geonameid, alias, trusted=True)
        skipped_rows = {}
        for source in sources:
            say(f"importing {source.kind} {os.path.basename(source.path)}")
            skipped = _import_user_source(writer, source).summary()
            if skipped:
                skipped_rows[source.path] = skipped
        writer.flush()
        say("sorting names and building the spatial index")
        conn.executescript(_FINISH)
        counts = {
            "places": conn.execute("SELECT count(*) FROM places").fetchone()[0],
            "names": conn.execute("SELECT count(*) FROM names").fetchone()[0],
            "by_source": dict(conn.execute("SELECT source, count(*) FROM places GROUP BY source")),
            "skipped_rows": skipped_rows,
        }
        meta = {
            "province_town_shares": json.dumps(province_town_shares(conn)),
            "fingerprint": fingerprint,
            "schema": str(SCHEMA_VERSION),
            "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "build_seconds": f"{time.perf_counter() - started:.1f}",
            "counts": json.dumps(counts),
            "user_sources": json.dumps([asdict(s) for s in sources]),
        }
        conn.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
        conn.commit()
        say("compacting")
        conn.execute("VACUUM")
        conn.close()
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    finally:
        load_cities500.cache_clear()  # half a gigabyte a long-running process should not keep
    return counts


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


def _check_source(source: UserSource, built_from: set[str], progress: Progress | None) -> None:
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
    # A tally of our own keeps the reader quiet: the build reports what it skips.
    for _ in _READERS[source.kind](source.path, RowTally(Path(source.path))):
        pass


def _import_user_source(writer: _IndexWriter, source: UserSource) -> RowTally:
    tally = RowTally(Path(source.path))
    rows = _READERS[source.kind](source.path, tally)
    if source.kind in ("geonames", "places_csv"):
        writer.add_places(rows)
    elif source.kind == "alternate_names":
        for row in rows:
            writer.add_alternate(row.geonameid, row.name)
    else:
        writer.add_admin_names({f"{r.country_code}.{r.admin1}": r.name for r in rows})
    return tally
