"""Text as the web writes it, made plain before NLP, with a map back to the original.

Scraped and pasted news is full of characters a reader never sees or reads as ordinary:
non-breaking, narrow and full-width spaces, soft hyphens, zero-width spaces and joiners,
direction marks, non-breaking hyphens, dashes inside a name, HTML entities (``&nbsp;``).
To a tokenizer and a gazetteer they make "Deir ez-Zor" a different string. ``clean_text``
rewrites them once, into the string every later step reads, and keeps for each character
of that string the span of the original it came from, so the spans, names and sentences
geoevents reports point into, and quote, the text the user gave.

``fold`` (the gazetteer's name keys) cleans names with the same table, so a name written
with any of these characters finds the same places as the plain one.
"""
from __future__ import annotations

import html
import re
import unicodedata
from array import array
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["CleanText", "clean_text", "plain"]

_LETTER_DASHES = "\u2012\u2013\u2212\ufe63\uff0d"  # figure and en dashes, minus: a hyphen between letters
_HYPHENS = "\u2010\u2011"  # hyphen, non-breaking hyphen: always a hyphen
_LINE_BREAKS = "\u2028\u2029\u0085\x0b\x0c"
_KEEP_CONTROLS = "\t\n\r"

# An HTML entity left in scraped text: named, decimal or hexadecimal.
_ENTITY = r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});"


@lru_cache(maxsize=4096)
def _replacement(char: str) -> str:
    """What one character becomes: itself, nothing, a space, a hyphen, a line break or its plain form."""
    if char in _HYPHENS:
        return "-"
    if char in _LINE_BREAKS:
        return "\n"
    category = unicodedata.category(char)
    if category == "Cf":  # soft hyphen, zero-width space and joiners, direction marks, BOM: invisible
        return ""
    if category == "Cc":
        return char if char in _KEEP_CONTROLS else ""
    if category == "Zs":  # every space is a space
        return " "
    if 0xFF01 <= ord(char) <= 0xFF5E:  # full-width ASCII forms: "Ｍｏｓｕｌ"
        return unicodedata.normalize("NFKC", char)
    return char


@lru_cache(maxsize=1)
def _special():
    """What ``clean_text`` rewrites: an entity, any character below U+10000 that ``_replacement``
    changes, or a dash between letters. Built on first use, not at import (a scan of 65,536 characters)."""
    changes = _replacement.__wrapped__  # (not through its cache: 65,536 characters would churn it)
    chars = [chr(i) for i in range(0x10000) if not 0xD800 <= i <= 0xDFFF and changes(chr(i)) != chr(i)]
    return re.compile(f"{_ENTITY}|[{''.join(map(re.escape, chars))}]|(?<=[^\\W\\d_])[{_LETTER_DASHES}](?=[^\\W\\d_])")


def _plain_unit(unit: str) -> str:
    if unit[0] == "&":
        unit = html.unescape(unit)
        if unit[0] == "&":  # not an entity after all ("&nosuch;"): left as written
            return unit
        return "".join(_replacement(c) for c in unit)
    if unit in _LETTER_DASHES:
        return "-"
    return _replacement(unit)


@dataclass(frozen=True, slots=True)
class CleanText:
    """A cleaned text and, for each of its characters, the span of the original it came from."""

    text: str
    original: str
    # None when nothing changed; else per character of ``text``: where it starts and ends in ``original``.
    starts: array | None = None
    ends: array | None = None
    shift: int = 0  # with no change: where ``text`` starts in ``original`` (a piece of a long text)

    @property
    def changed(self) -> bool:
        """Whether offsets into ``text`` differ from those into ``original``."""
        return self.starts is not None or self.shift != 0

    def pieces(self, texts: list[str]) -> list[CleanText]:
        """This text cut into consecutive pieces (``texts`` join into ``text``), each mapped to the whole original."""
        if len(texts) == 1:
            return [self]
        out, at = [], 0
        for text in texts:
            if self.starts is None:
                out.append(CleanText(text, self.original, shift=self.shift + at))
            else:
                out.append(CleanText(text, self.original, self.starts[at:at + len(text)], self.ends[at:at + len(text)]))
            at += len(text)
        return out

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """The original span of the clean span [start, end)."""
        if self.starts is None:
            return start + self.shift, end + self.shift
        n = len(self.text)
        if start >= n:
            return (self.ends[-1], self.ends[-1]) if n else (0, 0)
        if end <= start:
            o = self.starts[start]
            return o, o
        return self.starts[start], self.ends[min(end, n) - 1]

    def to_clean(self, start: int, end: int) -> tuple[int, int]:
        """The clean span covering the original span [start, end) (gold spans from a corpus)."""
        if self.starts is None:
            return start - self.shift, end - self.shift
        first = bisect_right(self.ends, start)  # the first clean character that ends after ``start``
        return first, max(first, bisect_left(self.starts, end))

    def quote(self, start: int, end: int) -> str:
        """The original text of the clean span [start, end)."""
        s, e = self.to_original(start, end)
        return self.original[s:e]


def clean_text(text: str) -> CleanText:
    """``text`` with web characters made plain (see the module doc), and the map back to it."""
    special = _special()
    if not special.search(text):
        return CleanText(text, text)
    parts: list[str] = []
    starts, ends = array("q"), array("q")
    done = 0
    for match in special.finditer(text):
        s, e = match.span()
        if s > done:
            parts.append(text[done:s])
            starts.extend(range(done, s))
            ends.extend(range(done + 1, s + 1))
        plain_unit = _plain_unit(match.group())
        parts.append(plain_unit)
        starts.extend([s] * len(plain_unit))
        ends.extend([e] * len(plain_unit))
        done = e
    if done < len(text):
        parts.append(text[done:])
        starts.extend(range(done, len(text)))
        ends.extend(range(done + 1, len(text) + 1))
    return CleanText("".join(parts), text, starts, ends)


def plain(text: str) -> str:
    """The cleaned string alone: for names, keys and short strings."""
    return clean_text(text).text
