"""Datelines, the place (and date) a wire story was filed from: "MAYADIN, Syria (AP) —", "BAGHDAD, July 11, 2017 -".

Two readings of the one convention, built from the same pieces:

* ``published_from_dateline`` takes a publication date from a dateline that opens a line
  with a full date ("BAGHDAD/AMMAN, July 11, 2017 -", "MAYADIN, Syria, 10 July 2017 (Reuters) —");
* ``dateline_matches`` finds the places of every dateline, dated or not ("ST. LOUIS –",
  "Hanoi (VNA) –", "Muscat: ...", "LONDON Pope Francis said ..."), which the geoparser reads
  as literal places, never as governments.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

from .dates import DMY_PATTERN, MDY_PATTERN, MONTH_PATTERN, date_from_match

__all__ = ["dateline_end", "dateline_matches", "dateline_places", "published_from_dateline", "weak_dateline"]

# How far into a text a dateline giving the publication date may start.
DATELINE_WINDOW = 300

# Upper-case letters, with the accented ones French and Spanish datelines use.
_UPPER = r"A-Z\u00C0-\u00D6\u00D8-\u00DE"
_CITY = rf"[{_UPPER}][{_UPPER}'’.\- ]{{0,38}}[{_UPPER}.]"
_DASH = r"(?:--?|–|—)"

# A dated dateline opening a line: an upper-case city (or CITY/CITY), an optional region
# ("Syria"), the full date, an optional agency "(Reuters)", then a dash.
DATELINE = re.compile(
    rf"^[ \t]*{_CITY}(?:\s*/\s*{_CITY})*"
    r"(?:,[ \t]+[A-Z][A-Za-z.'’\- ]{0,30}[A-Za-z.])?"
    rf",[ \t]+(?i:{MDY_PATTERN}|{DMY_PATTERN})"
    rf"[ \t]*(?:\([^()\n]{{1,40}}\)[ \t]*)?{_DASH}",
    re.MULTILINE,
)

# What follows a dateline's place: perhaps its state or country, perhaps a date (the year may
# be left out) and the agency, then a dash or a colon: "MOSUL, Iraq (AP) —", "DAMASCUS, Sept. 6, 2017 -".
_DATELINE_REST = (r"(?:, (?P<region>[A-Z][\w.]*(?: [A-Z][\w.]*)?))?"
                  rf"(?:, (?:{MONTH_PATTERN} \d{{1,2}}(?:, \d{{4}})?|\d{{1,2}} {MONTH_PATTERN}(?: \d{{4}})?))?"
                  r"(?P<agency> \([A-Z][A-Za-z0-9]{1,12}\))?(?: ?(?:[—–-]+|:)(?=[\s(A-Z])|(?<=\))(?=\s))")
# A place in capitals (or two: "BAGHDAD/AMMAN").
_CAPS_DATELINE = re.compile(r"\b(?P<place>[A-Z][A-Z'’.]*(?:[ /-][A-Z][A-Z'’.]*){0,3})" + _DATELINE_REST)
# A mixed-case place at the very start of a line: "Hanoi (VNA) –", "Muscat: ...".
_LINE_DATELINE = re.compile(r"(?:\A|(?<=\n))(?P<place>[A-Z][\w'’.]*(?:[ -][A-Z][\w'’.]*){0,3})" + _DATELINE_REST)
# A capitalised place alone opening the text or a line, then its first sentence: "LONDON Pope
# Francis said...", "OKLAHOMA CITY The Latest on...". Read only for an important place, and
# never for a short acronym ("US Forces said...", "NATO Allies met").
_BARE_DATELINE = re.compile(r"(?:\A|(?<=\n))(?P<place>[A-Z][A-Z'’.]{3,}(?: [A-Z][A-Z'’.]+){0,3}) (?=[A-Z][a-z])")


def dateline_end(text: str) -> int:
    """Where a dated wire dateline opening ``text`` ends ("BAGHDAD, July 11, 2017 -"), 0 when there is none."""
    match = DATELINE.match(text)
    return match.end() if match else 0


def published_from_dateline(text: str) -> date | None:
    """The date of a wire-story dateline opening a line in the first ~300 characters, or None.

    A sentence that merely mentions "on July 10, 2017" does not count.
    """
    for match in DATELINE.finditer(text, 0, DATELINE_WINDOW + 100):
        if match.start() >= DATELINE_WINDOW:
            break
        try:
            return date_from_match(match)
        except ValueError:  # "February 30": not a date, so not a dateline
            continue
    return None


def dateline_matches(text: str) -> Iterator[re.Match]:
    """The datelines in a text, as matches with a ``place`` group (and ``region``, ``agency`` where written)."""
    for m in [*_CAPS_DATELINE.finditer(text), *_LINE_DATELINE.finditer(text), *_BARE_DATELINE.finditer(text)]:
        if m.re is _BARE_DATELINE:
            yield m  # its pattern asks for the line's start already
            continue
        before = text[max(0, m.start() - 2):m.start()]
        at_line_start = m.start() == 0 or before[-1:] == "\n" or before in (". ", ": ")
        # A mixed-case name at a line's start needs its agency ("Hanoi (VNA) –") or a colon
        # ("Muscat: ...", see weak_dateline); an all-caps one needs the agency or the line's start.
        if m.group("agency") or m.re is _CAPS_DATELINE and at_line_start or weak_dateline(m):
            yield m


def weak_dateline(m: re.Match) -> bool:
    """"Muscat: The festival opened": a dateline only if the place is important, since
    headlines open the same way ("Abbas: No peace without Jerusalem")."""
    return m.re is _LINE_DATELINE and not m.group("agency") and m.group(0).endswith(":")


def bare_dateline(m: re.Match) -> bool:
    """A place in capitals alone before the story ("CAIRO President ..."): a dateline only if the place is important."""
    return m.re is _BARE_DATELINE


def dateline_places(m: re.Match) -> list[tuple[str, int]]:
    """(name, start) of each place a dateline names: "BAGHDAD/AMMAN" is two."""
    out, start = [], m.start("place")
    for name in m.group("place").split("/"):
        out.append((name, start))
        start += len(name) + 1
    return out
