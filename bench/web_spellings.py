"""How many web spellings of Euphrates-valley places leave their event where the plain spelling puts it.

Each place name is written as scraped news writes it: its spaces and hyphens replaced by a
non-breaking, narrow or full-width space, an ``&nbsp;`` entity, a non-breaking hyphen or an
en dash; a soft hyphen, zero-width space or joiner inside it; a direction mark beside it.
One event sentence per spelling; the event must land within 25 km of the plain spelling's.

    python bench/web_spellings.py [--cache-dir DIR] [--verbose]
"""
from __future__ import annotations

import argparse

from geoevents.distance import great_circle_km
from geoevents.events import EventExtractor
from geoevents.gazetteer import Gazetteer
from geoevents.geoparsing import Geoparser

PLACES = ("Deir ez-Zor", "Abu Kamal", "Mayadin", "Raqqa", "Al Qaim")
SENTENCE = "Coalition aircraft struck {} on Monday, killing six people, a monitoring group said."
SPACES = {"no-break space": "\u00a0", "narrow no-break space": "\u202f", "full-width space": "\u3000",
          "&nbsp;": "&nbsp;"}
DASHES = {"non-breaking hyphen": "\u2011", "en dash": "\u2013"}
INSIDE = {"soft hyphen": "\u00ad", "zero-width space": "\u200b", "zero-width joiner": "\u200d"}
BESIDE = {"left-to-right mark before": ("\u200e", ""), "right-to-left mark after": ("", "\u200f")}


def spellings(name: str) -> list[tuple[str, str]]:
    """(what was done, the spelling) for every web spelling of ``name``."""
    out = []
    for i, char in enumerate(name):
        if char in " -":
            swaps = SPACES if char == " " else {**SPACES, **DASHES}
            out += [(f"{what} for {char!r}", name[:i] + mark + name[i + 1:]) for what, mark in swaps.items()]
    middle = len(name) // 2
    out += [(f"{what} inside", name[:middle] + mark + name[middle:]) for what, mark in INSIDE.items()]
    out += [(what, before + name + after) for what, (before, after) in BESIDE.items()]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache-dir", default=None, help="gazetteer cache (default: the user cache)")
    parser.add_argument("--verbose", action="store_true", help="print every spelling, not only the misses")
    args = parser.parse_args()
    extractor = EventExtractor(Geoparser(Gazetteer(cache_dir=args.cache_dir)))
    landed = total = 0
    for name in PLACES:
        [plain] = extractor.extract(SENTENCE.format(name), published="2017-10-02")
        for what, spelling in spellings(name):
            events = extractor.extract(SENTENCE.format(spelling), published="2017-10-02")
            km = min((great_circle_km(plain.latitude, plain.longitude, e.latitude, e.longitude)
                      for e in events if e.latitude is not None), default=float("inf"))
            total += 1
            landed += km <= 25
            if args.verbose or km > 25:
                where = ", ".join(f"{e.location} ({e.country})" for e in events) or "no event"
                print(f"{'ok  ' if km <= 25 else 'MISS'} {name:12} {what:40} -> {where}")
    print(f"{landed} of {total} web spellings land within 25 km of the plain spelling's event")


if __name__ == "__main__":
    main()
