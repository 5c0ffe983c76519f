"""Demonyms and region adjectives: the country or region a word such as "Iraqi", "Texan" or "Latin American" names."""
from __future__ import annotations

from functools import lru_cache

from .. import lexicon
from .names import fold
from .packages import countryinfo_records
from .sources import curated_dir

# Adjectives that stand for a continent or a world region when a text uses them as a place
# ("European airlines", "Latin American migrants"): the name and feature code they stand for.
REGION_ADJECTIVES = {adjective: (place, code) for adjective, place, code in lexicon.rows("region_adjectives")}


@lru_cache(maxsize=1)
def _demonyms() -> dict[str, tuple[str, str | None]]:
    """Demonym -> (ISO2, admin-1 name or None), from countryinfo's data and the project's curated list."""
    table: dict[str, tuple[str, str | None]] = {}
    population: dict[str, int] = {}
    for row in countryinfo_records():
        code, word = row.get("ISO", {}).get("alpha2"), row.get("demonym")
        if not (word and code):
            continue
        # "Norwegian" is also Svalbard's demonym, "Indian" the Indian Ocean Territory's:
        # a shared demonym means the most populous of its countries.
        people = row.get("population") if isinstance(row.get("population"), int) else 0
        key = fold(word)
        if key not in table or people > population[key]:
            table[key], population[key] = (code, None), people
    path = curated_dir() / "demonyms.tsv"
    if path.is_file():
        for line in path.read_text(encoding="utf-8").splitlines():
            if line and not line.startswith("#") and "\t" in line:
                word, code, *region = line.split("\t")
                table[fold(word)] = (code.strip(), region[0].strip() if region and region[0].strip() else None)
    return table


def _demonym(word: str) -> tuple[str, str | None] | None:
    key = fold(word)
    table = _demonyms()
    if key in table:
        return table[key]
    if key.endswith("s") and key[:-1] in table:
        return table[key[:-1]]
    return None


def demonym_country(word: str) -> str | None:
    """ISO2 for a demonym or country adjective ("Iraqi", "Syrians", "Kosovar"), else None."""
    found = _demonym(word)
    return found[0] if found else None


def demonym_region(word: str) -> str | None:
    """The admin-1 region a demonym names within its country ("English": England), else None."""
    found = _demonym(word)
    return found[1] if found else None


def is_adjective_of_place(word: str) -> bool:
    """A demonym or an adjective of a world region: "Iraqi", "Turkish", "European", "Latin American"."""
    return demonym_country(word) is not None or fold(word) in REGION_ADJECTIVES
