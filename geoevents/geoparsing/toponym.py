"""``Toponym``: a place name found in a text, and the place it was resolved to."""
from __future__ import annotations

import html
from dataclasses import dataclass, field

from geopy.location import Location

from ..gazetteer.place import Place
from .names import ADMIN_SUFFIXES, ADMIN_WORDS


@dataclass(slots=True, init=False)
class Toponym:
    """A place name found in a text and the place it was resolved to (``resolved`` is None for no match).

    ``place`` gives the resolved place as a geopy ``Location``, the public face of gazetteer
    answers; code inside geoevents reads ``resolved``, a ``Place``. ``place=`` and
    ``candidates=`` may be given as Locations or Places.
    """

    text: str
    start: int
    end: int
    label: str  # the NER label (GPE, LOC, FAC ...), GAZ when only the gazetteer found it, ROAD for "the M4"
    resolved: Place | None
    confidence: float
    metonymic: bool  # "Washington said", "Moscow denied": a government, not an event place
    # The lower-case word after the name that says what kind of place it is: "province" in
    # "Idlib province". Evidence for resolution, not part of the name, as in news corpora and ACLED.
    feature_word: str | None
    candidates: list[Place] = field(repr=False)
    # Resolved far from the article's other places, in a country it gives no evidence for: an analyst should look.
    far_from_others: bool = False

    def __init__(self, text: str, start: int, end: int, label: str, place: Location | Place | None = None,
                 confidence: float = 0.0, metonymic: bool = False, feature_word: str | None = None,
                 candidates: list[Location | Place] | None = None):
        self.text, self.start, self.end, self.label = text, start, end, label
        self.resolved = _as_place(place)
        self.confidence, self.metonymic, self.feature_word = confidence, metonymic, feature_word
        self.candidates = [_as_place(c) for c in candidates or ()]
        self.far_from_others = False

    @property
    def place(self) -> Location | None:
        """The resolved place as a geopy ``Location`` (``raw`` as the gazetteer gives it), or None."""
        return self.resolved.location() if self.resolved is not None else None

    @property
    def admin_form(self) -> bool:
        """Whether the text names an admin area by its type: "Idlib province", "Rapides Parish"."""
        return bool(ADMIN_SUFFIXES.search(self.text)) or \
            self.feature_word is not None and bool(ADMIN_SUFFIXES.search(" " + self.feature_word))

    @property
    def admin_type(self) -> bool:
        """Whether the text names the kind of admin area outright: "Idlib province", "Rapides Parish".
        Not "region" or "district", which also name the area around or within a town ("the
        Charlotte region", "the Lancaster district")."""
        word = ADMIN_SUFFIXES.search(self.text)
        kind = word.group(1).lower() if word else (self.feature_word or "").lower()
        return kind in ADMIN_WORDS and kind not in ("region", "district")

    @property
    def latitude(self) -> float | None:
        return self.resolved.latitude if self.resolved else None

    @property
    def longitude(self) -> float | None:
        return self.resolved.longitude if self.resolved else None

    @property
    def geonameid(self) -> int | None:
        return self.resolved.geonameid if self.resolved else None

    def __repr__(self) -> str:
        place = self.resolved
        where = f"{place.address} ({place.latitude:.4f}, {place.longitude:.4f})" if place else "no match"
        flag = ", metonymic" if self.metonymic else ""
        return f"<Toponym {self.text!r} [{self.start}:{self.end}] {self.label}{flag} -> {where}, confidence {self.confidence:.2f}>"

    def _repr_html_(self) -> str:
        """A small table for Jupyter: the name as found and the place it was resolved to."""
        place = self.resolved
        rows = [("name", f"{self.text!r} at [{self.start}:{self.end}], {self.label}"
                         f"{' (metonymic: a government or people, not a place)' if self.metonymic else ''}")]
        if place:
            rows += [("place", place.address),
                     ("coordinates", f"{place.latitude:.5f}, {place.longitude:.5f}"),
                     ("feature", f"{place.feature_class}.{place.feature_code}"),
                     ("geonameid", str(place.geonameid))]
        else:
            rows.append(("place", "no match"))
        n = len(self.candidates)
        rows.append(("confidence", f"{self.confidence:.2f} ({n} gazetteer candidate{'' if n == 1 else 's'})"))
        body = "".join(f"<tr><th style='text-align:left'>{html.escape(k)}</th>"
                       f"<td style='text-align:left'>{html.escape(v)}</td></tr>" for k, v in rows)
        return f"<table class='geoevents-toponym'>{body}</table>"

    def to_dict(self) -> dict:
        place = self.resolved
        return {
            "text": self.text, "start": self.start, "end": self.end, "label": self.label,
            "metonymic": self.metonymic, "feature_word": self.feature_word, "confidence": round(self.confidence, 4),
            "far_from_others": self.far_from_others,
            "place": {"address": place.address, **place.raw} if place else None,
        }


def _as_place(place: Location | Place | None) -> Place | None:
    return Place.from_location(place) if isinstance(place, Location) else place
