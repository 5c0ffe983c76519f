"""Word lists the gazetteer guards itself with (ordinary words that are not places)."""
from __future__ import annotations

from pathlib import Path


def _read_words(name: str) -> frozenset[str]:
    text = (Path(__file__).parent / name).read_text(encoding="utf-8")
    return frozenset(w for line in text.splitlines() if not line.startswith("#") for w in line.split())


COMMON_WORDS = _read_words("common_words.txt")
