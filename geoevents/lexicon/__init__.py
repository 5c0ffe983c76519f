"""Word lists and small tables, one data file each beside this module, read by one loader.

A ``NAME.txt`` file holds one entry a line (a word or a phrase, as the code compares it);
a ``NAME.tsv`` file one row a line, columns separated by tabs. Lines starting with ``#``
say what the list is for and are skipped, as are blank lines. Each list exists once: code
that needs a list reads it here, and a new word goes into the file, not into the code.
"""
from __future__ import annotations

from functools import cache
from importlib import resources

__all__ = ["mapping", "rows", "words"]


def _lines(filename: str) -> list[str]:
    text = resources.files(__name__).joinpath(filename).read_text(encoding="utf-8")
    return [line.rstrip("\r") for line in text.split("\n") if line.strip() and not line.startswith("#")]


@cache
def words(name: str) -> frozenset[str]:
    """The entries of ``lexicon/NAME.txt``."""
    return frozenset(line.strip() for line in _lines(f"{name}.txt"))


@cache
def rows(name: str) -> tuple[tuple[str, ...], ...]:
    """The rows of ``lexicon/NAME.tsv``, each a tuple of its tab-separated cells (stripped)."""
    return tuple(tuple(cell.strip() for cell in line.split("\t")) for line in _lines(f"{name}.tsv"))


@cache
def mapping(name: str) -> dict[str, str]:
    """``lexicon/NAME.tsv`` as a dict from its first column to its second (later rows win)."""
    return {row[0]: row[1] for row in rows(name)}
