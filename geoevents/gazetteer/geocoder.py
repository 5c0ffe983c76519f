"""``Gazetteer``: the offline gazetteer as a geopy geocoder over the SQLite index."""
from __future__ import annotations

import json
import sqlite3
import threading
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from geopy.geocoders.base import DEFAULT_SENTINEL, Geocoder
from geopy.location import Location
from geopy.point import Point

from ..distance import great_circle_km
from .index import (SKELETON_PREFIX, Progress, country_places, ensure_index, latitude_band, province_town_shares,
                    read_meta)
from .names import COMMON_WORDS, fold, looks_like_code, skeleton
from .place import Place
from .ranking import (FUZZY_DISCOUNT, KIND_NAME, MATCH_LABELS,
                      MATCH_SCORES, match_score)

FUZZY_MIN_LENGTH = 5
MMAP_BYTES = 2 << 30  # SQLite's usual build caps the map at 2 GB

# Parts of towns, abandoned and historical places: not what "the nearest town" means.
_NOT_TOWNS = frozenset({"PPLX", "PPLH", "PPLQ", "PPLW"})

_NAME_QUERY = "SELECT geonameid, kind, importance, country_code, feature_class FROM names"
# ``_lookup``'s first few places, ranked by SQLite: each key's rows are stored best first (the score
# is ``match_score`` of the row), so a key's first ``limit`` rows hold all its places that can rank
# among the first ``limit``; of those, the best row of each place, best first and, between equal
# scores, the higher geonameid first, as Python's sort orders them.
_KEY_FIRSTS = """SELECT * FROM (SELECT score, geonameid, kind, country_code, feature_class FROM names
    WHERE key = ?{n}{only_names} ORDER BY score DESC, geonameid DESC LIMIT ?1)"""
_TOP_QUERY = """SELECT MAX(score) AS best, geonameid, kind, country_code, feature_class FROM ({firsts})
    GROUP BY geonameid ORDER BY best DESC, geonameid DESC LIMIT ?1"""
_COLUMNS = "p.geonameid, p.name, p.latitude, p.longitude, p.feature_class, p.feature_code, " \
           "p.country_code, p.admin1, p.admin2, p.population, p.source, p.importance"


@dataclass(slots=True)
class _Row:
    geonameid: int
    name: str
    latitude: float
    longitude: float
    feature_class: str
    feature_code: str
    country_code: str
    admin1: str
    admin2: str
    population: int
    source: str
    importance: float


class _FuzzyIndex:
    """Misspelling fallback over the names of notable places, bucketed by first letter and length.

    Similarity is optimal-string-alignment distance, so a swapped pair of letters
    ("Palmrya") costs one edit like a dropped or doubled one.
    """

    def __init__(self, keys: Sequence[str]):
        self.buckets: dict[tuple[str, int], list[str]] = defaultdict(list)
        for key in keys:
            self.buckets[(key[0], len(key))].append(key)

    @staticmethod
    def max_edits(key: str) -> int:
        return 1 if len(key) < 9 else 2

    def search(self, key: str, limit: int = 5) -> list[tuple[str, float]]:
        """Up to ``limit`` (name key, similarity in [0, 1]) pairs within the allowed edits."""
        from rapidfuzz import process
        from rapidfuzz.distance import OSA

        edits = self.max_edits(key)
        n = len(key)
        hits = []
        for size in range(n - edits, n + edits + 1):
            bucket = self.buckets.get((key[0], size))
            if bucket:
                hits += process.extract(key, bucket, scorer=OSA.distance, score_cutoff=edits, limit=limit)
        hits.sort(key=lambda hit: hit[1])
        return [(match, 1.0 - distance / max(n, len(match))) for match, distance, _ in hits[:limit]]


class Gazetteer(Geocoder):
    """The offline gazetteer: a geopy ``Geocoder`` answering from the local SQLite index.

    ``Gazetteer()`` opens (building on first use) the default index in the user cache
    directory; ``Gazetteer(path)`` opens a given index file.  ``fallback`` may be any geopy
    geocoder, or a callable such as ``RateLimiter(Nominatim(...).geocode)``, asked only when
    the local index has nothing; it is off by default and never needed offline.
    """

    def __init__(
        self,
        path: str | Path | None = None,
        *,
        cache_dir: str | Path | None = None,
        fuzzy: bool = True,
        fallback=None,
        progress: Progress | None = None,
    ):
        super().__init__()
        self.path = Path(path) if path else ensure_index(Path(cache_dir) if cache_dir else None, progress)
        self.fuzzy = fuzzy
        self.fallback = fallback
        self._local = threading.local()
        self._lock = threading.Lock()
        self._fuzzy_index: _FuzzyIndex | None = None
        self._admin_names: dict[str, str] | None = None
        self._country_entries: dict[str, dict] | None = None
        self._country_codes: dict[str, str] | None = None
        self._namesake_shares: dict[str, float] | None = None
        # News repeats its places: names and place rows are cached per gazetteer.
        self._lookup = lru_cache(maxsize=50_000)(self._lookup_uncached)
        self._row = lru_cache(maxsize=50_000)(self._row_uncached)
        self._top = lru_cache(maxsize=50_000)(self._top_uncached)

    # geopy calls this with the keyword arguments of ``Geocoder.__init__``; nothing here goes online.
    def __repr__(self) -> str:
        return f"Gazetteer({str(self.path)!r})"

    def __getstate__(self):
        # Dask and multiprocessing ship the gazetteer by path; each process opens its own connection.
        return {"path": self.path, "fuzzy": self.fuzzy, "fallback": self.fallback}

    def __setstate__(self, state):
        self.__init__(state["path"], fuzzy=state["fuzzy"], fallback=state["fallback"])

    @property
    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
            # Read the index through a memory map: a lookup on a full-dump index touches pages all
            # over a file of gigabytes, and mapped pages cost no read call or copy (address space only).
            conn.execute(f"PRAGMA mmap_size={MMAP_BYTES}")
            self._local.conn = conn
        return conn

    # -- geopy interface -------------------------------------------------------------------

    def geocode(
        self,
        query: str,
        exactly_one: bool = True,
        country: str | Sequence[str] | None = None,
        feature_class: str | Sequence[str] | None = None,
        limit: int | None = None,
        fuzzy: bool | None = None,
        timeout=DEFAULT_SENTINEL,
    ) -> Location | list[Location] | None:
        """The best place for a name (or a ranked list), ``None`` when nothing fits.

        ``country`` (ISO2, ISO3 or name, or a list) and ``feature_class`` (GeoNames class
        letters such as "P", "A", "H") restrict the answer.
        """
        found = self.candidates(query, country=country, feature_class=feature_class,
                                limit=1 if exactly_one else (limit or 10), fuzzy=fuzzy)
        if not found and self.fallback is not None and isinstance(query, str) and query.strip():
            ask = getattr(self.fallback, "geocode", self.fallback)  # a geocoder, or geopy's RateLimiter
            return ask(query, exactly_one=exactly_one)
        if not found:
            return None
        return found[0] if exactly_one else found

    def reverse(self, query, exactly_one: bool = True, feature_class: str | Sequence[str] | None = "P",
                limit: int = 5, timeout=DEFAULT_SENTINEL) -> Location | list[Location] | None:
        """The nearest place(s) to a point: towns by default (``feature_class=None`` for any kind of place)."""
        point = Point(query)
        classes = _as_set(feature_class)
        for radius in (0.05, 0.25, 1.0, 4.0, 16.0, 90.0, 360.0):
            south, north = point.latitude - radius, point.latitude + radius
            bands = ",".join(map(str, range(latitude_band(max(south, -90.0)), latitude_band(min(north, 90.0)) + 1)))
            rows = self._conn.execute(
                f"SELECT {_COLUMNS} FROM places_grid g JOIN places p USING (geonameid) WHERE g.band IN ({bands}) "
                "AND g.longitude BETWEEN ? AND ? AND g.latitude BETWEEN ? AND ?",
                (point.longitude - radius, point.longitude + radius, south, north),
            ).fetchall()
            places = [_Row(*r) for r in rows if not classes or (r[4] in classes and r[5] not in _NOT_TOWNS)]
            if len(places) >= (1 if exactly_one else limit):
                break
        if not places:
            return None
        ranked = sorted(places, key=lambda r: great_circle_km(point.latitude, point.longitude, r.latitude, r.longitude))
        located = [
            self._place(r, 1.0 - min(1.0, great_circle_km(point.latitude, point.longitude, r.latitude, r.longitude) / 100),
                        "reverse").location()
            for r in ranked[: 1 if exactly_one else limit]
        ]
        return located[0] if exactly_one else located

    # -- what the geoparser uses -------------------------------------------------------------

    def candidates(
        self,
        name: str,
        country: str | Sequence[str] | None = None,
        feature_class: str | Sequence[str] | None = None,
        limit: int | None = 20,
        fuzzy: bool | None = None,
    ) -> list[Location]:
        """Ranked places a name may refer to, best first; ``[]`` for unknown or ordinary words."""
        return [place.location() for place in self.places(name, country, feature_class, limit, fuzzy)]

    def places(
        self,
        name: str,
        country: str | Sequence[str] | None = None,
        feature_class: str | Sequence[str] | None = None,
        limit: int | None = 20,
        fuzzy: bool | None = None,
    ) -> list[Place]:
        """``candidates`` as ``Place`` values, what the geoparser and event extraction read."""
        if not isinstance(name, str):
            return []
        use_fuzzy = self.fuzzy if fuzzy is None else fuzzy
        if limit is not None and not country and not feature_class:
            found = self._top(name.strip(), use_fuzzy, limit)
        else:
            found = self._lookup(name.strip(), use_fuzzy)
        if country or feature_class:
            countries = self._country_filter(country)
            classes = _as_set(feature_class)
            found = [hit for hit in found
                     if (not countries or hit[3] in countries) and (not classes or hit[4] in classes)]
        return [self._place(self._row(geonameid), score, how) for score, geonameid, how, _, _ in found[:limit]]

    def get(self, geonameid: int) -> Location | None:
        """The place with this GeoNames id, or None."""
        place = self.place(geonameid)
        return place.location() if place else None

    def place(self, geonameid: int) -> Place | None:
        """``get`` as a ``Place`` value."""
        row = self._row(geonameid)
        return self._place(row, 1.0, "id") if row else None

    def country(self, country_code: str) -> Location | None:
        """The country itself (its GeoNames entry) for an ISO2 code."""
        place = self.country_place(country_code)
        return place.location() if place else None

    def country_place(self, country_code: str) -> Place | None:
        """``country`` as a ``Place`` value."""
        geonameid = self._country_places()["ids"].get(country_code)
        return self.place(geonameid) if geonameid is not None else None

    def provinces_named_for_towns(self, country_code: str) -> float:
        """Share of a country's provinces (admin-1) that bear the name of one of their towns.

        Most of Syria's governorates are named after their capital (Raqqa, Aleppo, Idlib), hardly
        any US state is (New York): where many are, a name that is both means the town.
        """
        with self._lock:
            if self._namesake_shares is None:
                stored = self._conn.execute("SELECT value FROM meta WHERE key = 'province_town_shares'").fetchone()
                self._namesake_shares = json.loads(stored[0]) if stored else province_town_shares(self._conn)
        return self._namesake_shares.get(country_code, 0.0)

    def info(self) -> dict:
        """Where the index is, how big, what went into it."""
        import json

        meta = read_meta(self.path)
        return {
            "path": str(self.path),
            "size_bytes": self.path.stat().st_size,
            "built_at": meta.get("built_at"),
            "build_seconds": float(meta.get("build_seconds", "nan")),
            "counts": json.loads(meta.get("counts", "{}")),
            "user_sources": json.loads(meta.get("user_sources", "[]")),
        }

    # -- internals ---------------------------------------------------------------------------

    def _name_match(self, name: str) -> tuple[tuple[str, ...], bool] | None:
        """The keys that find a name's rows in ``names``, and whether only places' own names count
        (then no misspelling is guessed at either); None for names that are never looked up."""
        key = fold(name)
        if len(key) < 2 or key in COMMON_WORDS or key.isdigit():
            return None
        if looks_like_code(name):
            # "OSM", "DEZ": airport-style codes only match a place's own name or a curated
            # short form ("US", "UAE"), never an alternate, a transliteration or a guess.
            return (key,), True
        return (key, SKELETON_PREFIX + skeleton(name)), False

    def _top_uncached(self, name: str, use_fuzzy: bool, limit: int) -> list[tuple[float, int, str, str, str]]:
        """The first ``limit`` entries of ``_lookup``, ranked by SQLite from the first rows of each key:
        a name shared by thousands of places in a full GeoNames dump ("Mill Creek") reads ``limit``."""
        match = self._name_match(name)
        if match is None:
            return []
        keys, only_names = match
        only = f" AND kind = {KIND_NAME}" if only_names else ""
        firsts = " UNION ALL ".join(_KEY_FIRSTS.format(n=n, only_names=only) for n in range(2, len(keys) + 2))
        rows = self._conn.execute(_TOP_QUERY.format(firsts=firsts), (limit, *keys)).fetchall()
        if not rows and use_fuzzy and not only_names:
            return self._lookup(name, use_fuzzy)[:limit]
        return [(score, geonameid, MATCH_LABELS[kind], country_code, fclass)
                for score, geonameid, kind, country_code, fclass in rows]

    def _lookup_uncached(self, name: str, use_fuzzy: bool) -> list[tuple[float, int, str, str, str]]:
        """(score, geonameid, how it matched, country code, feature class), best first."""
        match = self._name_match(name)
        if match is None:
            return []
        keys, only_names = match
        use_fuzzy = use_fuzzy and not only_names
        where = f" WHERE key IN ({', '.join('?' * len(keys))})" + (f" AND kind = {KIND_NAME}" if only_names else "")
        rows = self._conn.execute(_NAME_QUERY + where, keys).fetchall()
        best: dict[int, tuple[float, int, str, str, str]] = {}

        def keep(rows, scale: float = 1.0, how: str | None = None) -> None:
            # One entry per place: the best way any of its names matched.
            for geonameid, kind, place_importance, country_code, fclass in rows:
                score = match_score(MATCH_SCORES[kind] * scale, place_importance)
                if geonameid not in best or best[geonameid][0] < score:
                    best[geonameid] = (score, geonameid, how or MATCH_LABELS[kind], country_code, fclass)

        keep(rows)
        if not best and use_fuzzy and len(keys[0]) >= FUZZY_MIN_LENGTH:
            for match, similarity in self._fuzzy().search(keys[0]):
                keep(self._conn.execute(_NAME_QUERY + " WHERE key = ?", (match,)), FUZZY_DISCOUNT * similarity, "fuzzy")
        return sorted(best.values(), reverse=True)

    def clear_caches(self) -> None:
        """Forget the names and places looked up so far (benchmarks time cold lookups)."""
        for cached in (self._lookup, self._top, self._row):
            cached.cache_clear()

    def _row_uncached(self, geonameid: int) -> _Row | None:
        row = self._conn.execute(f"SELECT {_COLUMNS} FROM places p WHERE geonameid = ?", (geonameid,)).fetchone()
        return _Row(*row) if row else None

    def _fuzzy(self) -> _FuzzyIndex:
        with self._lock:
            if self._fuzzy_index is None:
                keys = [k for (k,) in self._conn.execute("SELECT key FROM fuzzy_keys")]
                self._fuzzy_index = _FuzzyIndex(keys)
        return self._fuzzy_index

    def _admin_name(self, code: str) -> str:
        if self._admin_names is None:
            self._admin_names = dict(self._conn.execute("SELECT code, name FROM admin_names"))
        return self._admin_names.get(code, "")

    def _countries(self) -> dict[str, str]:
        return self._country_places()["names"]

    def _country_places(self) -> dict[str, dict]:
        with self._lock:
            if self._country_entries is None:
                stored = self._conn.execute("SELECT value FROM meta WHERE key = 'country_places'").fetchone()
                # An index built before builds stored them: find them now.
                self._country_entries = json.loads(stored[0]) if stored else country_places(self._conn)
        return self._country_entries

    def _country_filter(self, country) -> set[str]:
        if not country:
            return set()
        values = [country] if isinstance(country, str) else list(country)
        return {code for value in values if (code := self.country_code(value))}

    def country_code(self, value: str) -> str | None:
        """ISO2 code for an ISO2/ISO3 code or a country name ("SY", "SYR", "Syria")."""
        if self._country_codes is None:
            from .packages import load_countries

            codes: dict[str, str] = {}
            for iso2, row in load_countries().items():
                codes[iso2.lower()] = iso2
                codes[row["iso3"].lower()] = iso2
                codes[fold(row["name"])] = iso2
            self._country_codes = codes
        key = fold(value)
        if key in self._country_codes:
            return self._country_codes[key]
        found = self.places(value, feature_class="A", limit=1, fuzzy=False)
        if found and found[0].is_country:
            return found[0].country_code
        return None

    def _place(self, row: _Row, score: float, how: str) -> Place:
        admin1 = self._admin_name(f"{row.country_code}.{row.admin1}") if row.admin1 else ""
        admin2 = self._admin_name(f"{row.country_code}.{row.admin1}.{row.admin2}") if row.admin2 else ""
        country = self._countries().get(row.country_code, row.country_code)
        parts = [row.name]
        for part in (admin2, admin1, country):
            if part and part != parts[-1] and not row.feature_code.startswith("PCL"):
                parts.append(part)
        return Place(row.geonameid, row.name, row.latitude, row.longitude, row.feature_class, row.feature_code,
                     row.country_code, admin1, admin2, row.population, row.source, round(row.importance, 4),
                     round(score, 4), how, ", ".join(parts))


def _as_set(value: str | Sequence[str] | None) -> set[str]:
    if not value:
        return set()
    return {value} if isinstance(value, str) else set(value)
