"""Toponym recognition and context-aware resolution: find the place names in an article and pick the right place for each.

Recognition combines spaCy NER with gazetteer matching, because a small NER model tags
conflict-zone towns as ORG or PERSON ("Raqqa", "Mayadin") and misses others outright.
Resolution ranks each name's gazetteer candidates with the evidence in the rest of the
article: the countries and regions it names (demonyms too), "Mayadin, Syria" and
"Alexandria, La." patterns, "X province" forms, and how close the candidates lie to the
article's other places and to the other names' candidates.
"""
from __future__ import annotations

import html
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from geopy.location import Location
from spacy.tokens import Span

from .gazetteer.geocoder import Gazetteer, haversine_km
from .gazetteer.normalize import ARABIC_ARTICLES, fold
from .gazetteer.wordlists import COMMON_WORDS
from .nlp import has_ner, load_pipeline
from .places_context import (
    ACTOR_NOUNS,
    ADMIN_SUFFIXES,
    AGENT_PASSIVES,
    AGENT_STATES,
    LAND_NOUNS,
    LOCATIVE_HEAD_WORDS,
    LOCATIVE_OBJECT_VERBS,
    LOCATIVE_PREPOSITIONS,
    NON_PLACE_WORDS,
    OPPONENT_HEADS,
    PLACE_NOUNS,
    PLACE_PREDICATES,
    REGION_ADJECTIVES,
    SPORTS_WORDS,
    STATE_GIFTS,
    container_of,
    demonym_country,
    demonym_region,
    region_abbreviations,
)

MAX_NAME_TOKENS = 6
_NAME_PARTICLES = frozenset("al el ez az ad ar as ash at ad-d de del".split())
CANDIDATES_PER_NAME = 25
# A candidate's score: how well its name matched, plus its prior importance, plus evidence.
W_IMPORTANCE = 1.0  # the gazetteer's prior: countries, big cities and populous regions first
W_COUNTRY_NAME = 0.15  # a country named by its own name ("Mexico" the country, not Mexico City)
W_ADMIN_FORM = 0.30  # "Orange County", "Deir ez-Zor province": the name says it is a region
W_COUNTRY = 0.30  # share of the article's country evidence pointing at the candidate's country
W_ADMIN1 = 0.20  # the article names the candidate's province / state
W_CONTAINER = 0.60  # "Mayadin, Syria" / "Alexandria, La.": the name is followed by its container
W_PROXIMITY = 0.20  # the candidate lies near the article's other places
PROXIMITY_KM = 250.0
# Shares of the article's other local places count one imaginary place elsewhere, so a
# lone "Houston, Texas" in a trade story does not make "China" a Texas town.
LOCAL_PSEUDO_COUNT = 1
W_CONJUNCT = 0.3  # the names listed with it ("England and Wales") were read as places of the candidate's kind
W_COHERENCE = 0.5  # the article's other names have candidates near this one (see _coherence)
COHERENCE_KM = 100.0
W_LOCAL_COUNTRY = 0.3  # share of the article's other local places (towns, regions) in the candidate's country
W_REGION_SHARE = 0.5  # share of the article's other local places in the candidate's province / state
# How much a candidate's name match is worth. Unlike the bare gazetteer, the geoparser has
# context to rescue an English alternate ("Palmyra" for Tadmur), so a place's own name
# ("New York" the state, not the city also called so) counts for more here.
MATCH_WEIGHTS = {"name": 1.0, "alternate": 0.9, "id": 0.98, "transliteration": 0.8, "fuzzy": 0.7, "part": 0.6}
# Words that head the name of an organisation or a building named after a place: "University
# of California", "Bank of England", "Norwich City", "Iowa House" are scored at the place.
_GENERIC_HEADS = frozenset(
    "university college school bank city house center centre hospital airport stadium quarter peninsula "
    "county council club fc police department district state government valley river "
    # institutions' words that some village is also called: "US Federal Reserve", "Islamic Republic"
    "federal reserve national republic islamic summit congress academy institute federation royal".split()
)
# Without a cue such as "in" or "near", a name the NER did not call a place must be this
# important (a country, a curated place, a city of about 300,000) to count as one.
IMPORTANT_PLACE = 0.7
IMPORTANT_PLACE_WITHOUT_NER = 0.5
CONFIDENCE_TEMPERATURE = 0.1


@dataclass(slots=True)
class Toponym:
    """A place name found in a text and the place it was resolved to (``place`` is None for no match)."""

    text: str
    start: int
    end: int
    label: str  # the NER label (GPE, LOC, FAC ...), GAZ when only the gazetteer found it, ROAD for "the M4"
    place: Location | None = None
    confidence: float = 0.0
    metonymic: bool = False  # "Washington said", "Moscow denied": a government, not an event place
    # The lower-case word after the name that says what kind of place it is: "province" in
    # "Idlib province". Evidence for resolution, not part of the name, as in news corpora and ACLED.
    feature_word: str | None = None
    candidates: list[Location] = field(default_factory=list, repr=False)

    @property
    def admin_form(self) -> bool:
        """Whether the text names an admin area by its type: "Idlib province", "Rapides Parish"."""
        return bool(ADMIN_SUFFIXES.search(self.text)) or \
            self.feature_word is not None and bool(ADMIN_SUFFIXES.search(" " + self.feature_word))

    @property
    def latitude(self) -> float | None:
        return self.place.latitude if self.place else None

    @property
    def longitude(self) -> float | None:
        return self.place.longitude if self.place else None

    @property
    def geonameid(self) -> int | None:
        return self.place.raw["geonameid"] if self.place else None

    def __repr__(self) -> str:
        where = (f"{self.place.address} ({self.place.latitude:.4f}, {self.place.longitude:.4f})"
                 if self.place else "no match")
        flag = ", metonymic" if self.metonymic else ""
        return f"<Toponym {self.text!r} [{self.start}:{self.end}] {self.label}{flag} -> {where}, confidence {self.confidence:.2f}>"

    def _repr_html_(self) -> str:
        """A small table for Jupyter: the name as found and the place it was resolved to."""
        raw = self.place.raw if self.place else {}
        rows = [("name", f"{self.text!r} at [{self.start}:{self.end}], {self.label}"
                         f"{' (metonymic: a government or people, not a place)' if self.metonymic else ''}")]
        if self.place:
            rows += [("place", self.place.address),
                     ("coordinates", f"{self.place.latitude:.5f}, {self.place.longitude:.5f}"),
                     ("feature", f"{raw.get('feature_class', '')}.{raw.get('feature_code', '')}"),
                     ("geonameid", str(raw.get("geonameid", "")))]
        else:
            rows.append(("place", "no match"))
        n = len(self.candidates)
        rows.append(("confidence", f"{self.confidence:.2f} ({n} gazetteer candidate{'' if n == 1 else 's'})"))
        body = "".join(f"<tr><th style='text-align:left'>{html.escape(k)}</th>"
                       f"<td style='text-align:left'>{html.escape(v)}</td></tr>" for k, v in rows)
        return f"<table class='geoevents-toponym'>{body}</table>"

    def to_dict(self) -> dict:
        raw = self.place.raw if self.place else {}
        return {
            "text": self.text, "start": self.start, "end": self.end, "label": self.label,
            "metonymic": self.metonymic, "feature_word": self.feature_word, "confidence": round(self.confidence, 4),
            "place": {"address": self.place.address, **raw} if self.place else None,
        }


class Geoparser:
    """A spaCy pipeline and a gazetteer, loaded once, that geoparse texts in batches."""

    def __init__(self, gazetteer: Gazetteer | None = None, model: str | None = None, nlp=None):
        self.gazetteer = gazetteer or Gazetteer()
        self.nlp = nlp or load_pipeline(model)

    # -- public ----------------------------------------------------------------------------

    def geoparse(self, text: str) -> list[Toponym]:
        return self.geoparse_many([text])[0]

    def geoparse_many(self, texts: Iterable[str], batch_size: int = 32, n_process: int = 1) -> list[list[Toponym]]:
        return [self.toponyms(doc) for doc in self.nlp.pipe(_as_texts(texts), batch_size=batch_size,
                                                             n_process=n_process)]

    def resolve_spans_many(self, items: Sequence[tuple[str, Sequence[tuple[int, int]]]],
                           batch_size: int = 32) -> list[list[Toponym]]:
        """Resolve given spans (gold toponyms) in their texts: resolution without recognition."""
        docs = self.nlp.pipe((text for text, _ in items), batch_size=batch_size)
        out = []
        for doc, (_, spans) in zip(docs, items):
            found = self._recognise(doc)
            text = doc.text
            given = [Toponym(text[s:e], s, e, "GOLD") for s, e in spans]
            context = [t for t in found if not any(t.start < g.end and g.start < t.end for g in given)]
            self._resolve(doc, given + context)
            out.append(given)
        return out

    def toponyms(self, doc) -> list[Toponym]:
        found = self._recognise(doc)
        self._resolve(doc, found)
        return found

    # -- recognition -----------------------------------------------------------------------

    def recognise(self, doc) -> list[Toponym]:
        """The place names in a parsed doc, unresolved (``place`` is None): recognition alone."""
        return self._recognise(doc)

    def _recognise(self, doc) -> list[Toponym]:
        found: list[Toponym] = []
        taken = [False] * len(doc)
        if has_ner(self.nlp):
            for ent in (part for whole in doc.ents for part in _entity_parts(whole)):
                span = _trim(ent)
                if span is None or span.text.islower():
                    continue  # "red states", "para": a place's name has a capital
                span = self._extend_right(span)
                if ent.label_ in ("GPE", "LOC", "FAC") and self._ner_place(span, ent.label_):
                    found.append(self._toponym(span, ent.label_))
                elif ent.label_ == "NORP" and _demonym_of_place(span):
                    # "the Syrian border", "Turkish territory": a demonym naming the country's land.
                    found.append(self._toponym(span, ent.label_))
                elif ent.label_ in ("ORG", "PERSON", "NORP", "WORK_OF_ART", "PRODUCT", "EVENT") and \
                        self._misread_place(span, ent.label_):
                    found.append(self._toponym(span, ent.label_))
                elif ent.label_ in ("ORG", "FAC", "EVENT") and _used_as_place(span):
                    found.append(Toponym(span.text, span.start_char, span.end_char, ent.label_))
                else:
                    continue
                for i in range(span.start, span.end):
                    taken[i] = True
            # Other entities keep the gazetteer scan away from their tokens ("Ryan Dillon", "CNN").
            for ent in doc.ents:
                if ent.label_ not in ("DATE", "TIME", "CARDINAL", "ORDINAL", "QUANTITY", "PERCENT", "MONEY"):
                    for i in range(ent.start, ent.end):
                        taken[i] = True
        found.extend(self._gazetteer_scan(doc, taken))
        found = [t for t in found if not _named_thing_or_person(doc.char_span(t.start, t.end, alignment_mode="expand"))]
        found.sort(key=lambda t: t.start)
        return _roads(doc.text, self._datelines(doc, self._join_compounds(doc, found)))

    def _extend_right(self, span):
        """What NER cut short: "Deir" + "ez-Zor", when the gazetteer knows the longer name."""
        doc = span.doc
        for extra in (3, 2, 1):
            end = span.end + extra
            if end > len(doc) or any(t.is_punct and t.text != "-" or t.is_space or t.ent_iob_ == "B"
                                     for t in doc[span.end:end]) or doc[end - 1].text == "-":
                continue
            if not all("-" in t.text or t.text[:1].isupper() or t.lower_ in _NAME_PARTICLES
                       for t in doc[span.end:end]):
                continue
            longer = doc[span.start:end]
            if self._known_as_whole(longer.text):
                return longer
        return span

    def _join_compounds(self, doc, found: list[Toponym]) -> list[Toponym]:
        """Join what NER splits: "Old City" + "of" + "Mosul"; "Boa" + "Vista"; "Washington" + ", D.C."; "Rapides" + "Parish"."""
        text = doc.text
        out: list[Toponym] = []
        for t in found:
            if out and text[out[-1].end:t.start] in _JOINING_GAPS:
                joined = text[out[-1].start:t.end]
                if self._known_as_whole(joined):
                    # Its role is read afresh: the halves' parses ("Boa" alone) say little.
                    span = doc.char_span(out[-1].start, t.end)
                    out[-1] = self._toponym(span, out[-1].label) if span is not None else \
                        Toponym(joined, out[-1].start, t.end, out[-1].label, metonymic=out[-1].metonymic)
                    continue
            out.append(t)
        for t in out:
            after = _ADMIN_WORD_AFTER.match(text, t.end)
            if after and not ADMIN_SUFFIXES.search(t.text):
                t.text, t.end = text[t.start:after.end()], after.end()
        return out

    def _toponym(self, span, label: str) -> Toponym:
        best = self._best(span.text)
        is_country = best is not None and best.raw["feature_code"].startswith("PCL")
        return Toponym(span.text, span.start_char, span.end_char, label, metonymic=_is_metonymic(span, is_country))

    def _ner_place(self, span, label: str) -> bool:
        """Whether a GPE / LOC / FAC entity is a place name worth keeping."""
        if _person_name_part(span):
            return False  # "Modi" after "Narendra Modi", tagged GPE
        if _not_a_place_name(span.text):
            return False  # "Dr", "MoD": a title or an acronym tagged GPE
        if region_abbreviations(span.text):
            return True  # "N.B.", "NSW": a state or province, which _candidates reads
        if _PLACE_HEAD.search(span.text) or _BUILDING_HEAD.search(span.text) or _PLACE_OPENER.match(span.text):
            return True  # "Royal Street", "Glenrock Lagoon", "Lake Manassas": a place even when no gazetteer knows it
        if self._known(span.text):
            return True
        # An unknown name is kept only with a cue that it is a place ("fighting in Ghouta").
        return label != "FAC" and _locative_cue(span) and not span.text.isupper()

    def _best(self, name: str) -> Location | None:
        """The gazetteer's best place for this name, spelled exactly, or None."""
        best = self.gazetteer.candidates(name, limit=1, fuzzy=False)
        return best[0] if best else None

    def _known(self, name: str) -> bool:
        return self._best(name) is not None

    def _important(self, name: str) -> bool:
        """Whether the gazetteer's best place of this very name is a country or a big city."""
        best = self._best(name)
        return best is not None and best.raw["match"] in ("name", "alternate") and best.raw["importance"] >= IMPORTANT_PLACE

    def _known_as_whole(self, name: str) -> bool:
        """Whether the gazetteer has this very name (not only a place inside it)."""
        best = self._best(name)
        return best is not None and best.raw["match"] in ("name", "alternate", "id")

    def _datelines(self, doc, found: list[Toponym]) -> list[Toponym]:
        """The place a story was filed from ("MOSUL, Iraq (AP) —", "ST. LOUIS –"): always literal.

        NER misses all-caps names or buries them in the byline's ORG, and a dateline's place
        reads like the subject of the first sentence; here both are put right.
        """
        text = doc.text
        out = list(found)
        for m in _dateline_matches(text):
            if (_weak_dateline(m) or m.re is _BARE_DATELINE) and not self._important(m.group("place")):
                continue
            region = m.groupdict().get("region")
            parts = _dateline_places(m)
            if region and (region_abbreviations(region) or self._known_as_whole(region)):
                parts.append((region, m.start("region")))
            for k, (name, start) in enumerate(parts):
                end = start + len(name)
                # A state's code after the town is a place, though "OK" or "IN" is a word elsewhere.
                if not (k and region_abbreviations(name)) and (
                        fold(name) in COMMON_WORDS or fold(name) in NON_PLACE_WORDS or not self._known_as_whole(name)):
                    break
                out = [t for t in out if t.end <= start or t.start >= end]
                out.append(Toponym(name, start, end, "GAZ"))
        out.sort(key=lambda t: t.start)
        return out

    def _misread_place(self, span, label: str) -> bool:
        """An ORG/PERSON/NORP span that is really a place: "strikes in Raqqa" tagged ORG."""
        if span.text.isupper() and len(span.text) <= 5:
            # "ISIS", "SDF" are organisations; "to the UAE" is a country, "in the EU" a continent's union.
            best = self._gazetteer_place(span)
            return best is not None and best.raw["feature_code"].startswith(("PCL", "CONT", "RGN")) and \
                _locative_cue(span)
        if label == "NORP" and _group_word(span.text):
            # Demonyms are country evidence; "Kurds", "Shiite" are groups of people. But "Tunis",
            # shaped like "Sunnis", is a city's own name after "in".
            best = self._gazetteer_place(span)
            return demonym_country(span.text) is None and best is not None and best.raw["match"] == "name" \
                and _locative_cue(span)
        if _not_a_place_name(span.text):
            return False
        if (_STREET_HEAD.search(span.text) or _BUILDING_HEAD.search(span.text)
                or label != "PERSON" and _PLACE_HEAD.search(span.text)) and span.text[:1].isupper():
            # "Royal Street", "Badush Prison", "Woodman Point": tagged ORG or PERSON, named like a
            # place. Not "John Hill": a surname may be a landform.
            return True
        best = self._gazetteer_place(span)
        if best is None:
            return False
        if _locative_cue(span):
            return True
        if label == "PERSON" and (len(span) > 1 or _named_as_person_again(span)):
            return False  # "Ryan Dillon", "Lavdrim Muhaxheri"; "Levi" again and again
        return best.raw["importance"] >= IMPORTANT_PLACE

    def _gazetteer_scan(self, doc, taken: list[bool]) -> list[Toponym]:
        """Capitalised names no entity covers, matched against the gazetteer, longest first."""
        found = []
        i = 0
        n = len(doc)
        while i < n:
            token = doc[i]
            if taken[i] or not _can_start_name(token):
                i += 1
                continue
            match = None
            for j in range(min(n, i + MAX_NAME_TOKENS), i, -1):
                if any(taken[i:j]) or not _can_end_name(doc[j - 1]):
                    continue
                span = doc[i:j]
                if self._scan_accepts(span):
                    match = span
                    break
            if match is None:
                i += 1
                continue
            found.append(self._toponym(match, "GAZ"))
            for k in range(match.start, match.end):
                taken[k] = True
            i = match.end
        return found

    def _scan_accepts(self, span) -> bool:
        text = span.text
        key = fold(text)
        if key in COMMON_WORDS or len(key) < 3 or _not_a_place_name(text):
            return False
        if span.start == span.sent.start and len(span) == 1 and span[0].pos_ not in ("PROPN", ""):
            return False  # a capitalised ordinary word opening a sentence
        if _inside_longer_name(span):
            return False
        best = self._gazetteer_place(span)
        if best is None:
            return False
        # Without NER the scan is the only recogniser, so it trusts the gazetteer further.
        threshold = IMPORTANT_PLACE if has_ner(self.nlp) else IMPORTANT_PLACE_WITHOUT_NER
        return _locative_cue(span) or best.raw["importance"] >= threshold

    def _gazetteer_place(self, span) -> Location | None:
        """The gazetteer's best place for a span that NER did not call a place, if it may be one.

        Not for part of a person's name ("Dillon said", after "Ryan Dillon"), nor for a single
        word that only a transliteration key matches.
        """
        if _person_name_part(span):
            return None
        best = self._best(span.text)
        if best is None or best.raw["match"] == "transliteration" and len(span) == 1 and \
                not _without_article(best.raw["name"]) == fold(span.text):
            return None  # but "Qamishli" for "Al Qāmishlī" is only the article short
        return best

    # -- resolution ------------------------------------------------------------------------

    def _resolve(self, doc, toponyms: list[Toponym]) -> None:
        text = doc.text  # spaCy rebuilds Doc.text on every access
        for t in toponyms:
            word = _FEATURE_WORD_AFTER.match(text, t.end)
            t.feature_word = word.group(1) if word else None
            t.candidates = self._candidates(t)
        evidence = _Evidence.collect(doc, toponyms, self.gazetteer)
        datelines = {start for m in _dateline_matches(text) for _, start in _dateline_places(m)}
        for t in toponyms:
            if t.start in datelines and any(c.raw["feature_class"] == "P" for c in t.candidates):
                # A story is filed from a town: "WASHINGTON (AP) —" is the capital, not a county.
                t.candidates = [c for c in t.candidates if c.raw["feature_class"] == "P"]
            if _after_the(text, t) and any(c.raw["feature_class"] in _AREA_CLASSES for c in t.candidates):
                # Seas, regions and rivers take "the", towns and counties seldom do: "the Atlantic"
                # is neither Atlantic, Iowa nor Atlantic County.
                t.candidates = [c for c in t.candidates if c.raw["feature_class"] in _AREA_CLASSES or
                                c.raw["feature_code"].startswith("PCL")]
        # Two passes: the first picks with the article's countries and regions and how well
        # each candidate fits the other names' candidates; the second also rewards candidates
        # near the first pass's picks for the other names.
        coherence = _coherence(toponyms)
        picks = [self._pick(t, evidence, coherence=coherence[id(t)])[0] for t in toponyms]
        kinds = _conjunct_kinds(doc, toponyms, picks)
        local = [(fold(t.text), p) for t, p in zip(toponyms, picks)
                 if p is not None and not p.raw["feature_code"].startswith(("PCL", "CONT"))]
        for t in toponyms:
            # Each name is judged against the picks for the article's other names, never its own:
            # three mentions of "Paris" must not vote each other into France.
            name = fold(t.text)
            others = [p for other, p in local if other != name]
            regions = Counter((p.raw["country_code"], p.raw["admin1"]) for p in others if p.raw["admin1"])
            countries = Counter(p.raw["country_code"] for p in others)
            t.place, t.confidence = self._pick(t, evidence, [(p.latitude, p.longitude) for p in others],
                                               _RegionShare(regions, len(others)), coherence[id(t)],
                                               countries, len(others), kinds.get(id(t)))
            if t.place is not None and t.place.raw["match"] == "fuzzy":
                # A guessed spelling ("Resafa" ~ Resen) stands only in a country the article is about.
                cc = t.place.raw["country_code"]
                if not (countries[cc] or evidence.country_share(cc, exclude=t) > 0):
                    t.place, t.confidence = None, 0.0

    def _candidates(self, t: Toponym) -> list[Location]:
        name = t.text
        if t.label == "ROAD":
            return []  # numbered roads are not in the gazetteer, and "M4" is no town
        country = demonym_country(name)
        if country:
            # "Iraqi", "British": as a toponym, a demonym stands for its country ("English": England).
            region = demonym_region(name)
            place = self.gazetteer.country(country)
            regional = self._the_one(region, "ADM1", country=country, feature_class="A") if region else []
            return regional or ([place] if place else [])
        regions = region_abbreviations(name)
        if regions:
            # "W.Va.", "B.C.", "NSW": abbreviations name states and provinces, nothing else;
            # "WA" may be Washington or Western Australia, which the article's countries decide.
            return [place for code, region in regions
                    for place in self._the_one(region, "ADM1", country=code, feature_class="A")]
        region = REGION_ADJECTIVES.get(fold(name))
        if region:
            return self._the_one(*region)
        suffix = ADMIN_SUFFIXES.search(name)
        found = self.gazetteer.candidates(name, limit=CANDIDATES_PER_NAME, fuzzy=False)
        countries = {c.raw["country_code"] for c in found if _names_country(c)}
        if countries and not t.admin_form:
            # "Mexico" is the country: neither Mexico City, known also as "Mexico", nor the
            # State of Mexico within it, which news calls "Mexico state".
            found = [c for c in found if _names_country(c) or not (
                c.raw["feature_class"] == "P" and c.raw["match"] == "alternate"
                or c.raw["feature_class"] == "A" and c.raw["country_code"] in countries)]
        if t.admin_form and not any(c.raw["feature_class"] == "A" for c in found):
            bare = name[: suffix.start()].strip() if suffix else name
            found = self.gazetteer.candidates(bare, feature_class="A", limit=CANDIDATES_PER_NAME, fuzzy=False) or found
        if t.admin_form and any(c.raw["feature_class"] == "A" and not _names_country(c) for c in found):
            found = [c for c in found if not _names_country(c)]  # "Mexico state" is no country
        if not found and _STREET_HEAD.search(name):
            return []  # "Baghdad Street" lies in Mosul, not in Baghdad: no guess from its parts
        if not found:
            found = self._part_candidates(name)
            if _BUILDING_HEAD.search(name) or t.label in _NOT_PLACE_LABELS:
                # "Mosul University Hospital" stands in Mosul, "Colorado State University" in Colorado;
                # "Karl Bremer Hospital" not in a village called Karl, nor "Cornell University" in Cornell.
                found = [c for c in found if c.raw["importance"] >= IMPORTANT_PLACE_WITHOUT_NER]
        if not found and len(fold(name)) >= 5:
            found = self.gazetteer.candidates(name, limit=5, fuzzy=True)
        return found

    def _the_one(self, name: str, feature_code: str, **filters) -> list[Location]:
        """The single place a word stands for: the first ``feature_code`` entry called ``name``."""
        found = self.gazetteer.candidates(name, limit=3, fuzzy=False, **filters)
        return [c for c in found if c.raw["feature_code"] == feature_code][:1]

    def _part_candidates(self, name: str) -> list[Location]:
        """Candidates for the place named inside an unknown name.

        "University of California", "Robinson College Cambridge", "US Federal Reserve",
        "Mexican Senate": the longest part that names a place, and among parts of one length
        the one naming the most important place, so "Nazi Germany" is Germany and not a
        village that shares a spelling with "Nazi". A country's adjective stands for the
        country, except in an embassy or a building, which stands where it stands.
        """
        words = name.split()
        if len(words) < 2:
            return []
        adjectives_count = not (_BUILDING_HEAD.search(name) or _MISSION_HEAD.search(name))
        for size in range(len(words) - 1, 0, -1):
            best: list[Location] = []
            for i in range(len(words) - size + 1):
                if words[i + size - 1].endswith(_POSSESSIVES):
                    continue  # a patron or an owner: "St Mary's Chapel" is no town called St Mary's
                found = self._part_lookup(" ".join(words[i:i + size]), adjectives_count)
                if found and (not best or _part_strength(found) > _part_strength(best)):
                    best = found
            if best:
                for place in best:
                    place.raw["match"] = "part"
                return best
        return []

    def _part_lookup(self, part: str, adjectives_count: bool) -> list[Location]:
        key = fold(part)
        # "US" and "UK" are common words in lower case only.
        initials = part.isupper() and len(key) >= 2
        if not initials and (key in COMMON_WORDS or len(key) < 3) or key in _GENERIC_HEADS:
            return []
        if adjectives_count:
            region = REGION_ADJECTIVES.get(key)
            if region:
                return self._the_one(*region)
            country = demonym_country(part)
            if country:
                place = self.gazetteer.country(country)
                return [place] if place else []
        # A part of an unknown name is a guess already: its spelling must match exactly.
        return [c for c in self.gazetteer.candidates(part, limit=CANDIDATES_PER_NAME, fuzzy=False)
                if c.raw["match"] in ("name", "alternate", "id")]

    def _pick(self, t: Toponym, evidence: "_Evidence", anchors=None, region_share: "_RegionShare | None" = None,
              coherence: list[float] | None = None, local_countries: Counter | None = None,
              n_local: int = 0, conjunct_kinds: set | None = None) -> tuple[Location | None, float]:
        """The best candidate for a name and the confidence in it (its share of a softmax over candidates)."""
        if not t.candidates:
            return None, 0.0
        container = evidence.containers.get(t.start)
        # "Deir ez-Zor province" says it is a region; so does "Fife" in "Knockhill, Fife".
        admin_form = t.admin_form or t.start in evidence.container_names
        # A name that is a country's own name ("China", "Mexico") means the country unless the
        # text places a town of that name: "China, Texas", Texas named, or the article's other
        # places near it. That the article is about the United States never makes China a Texas town.
        names_country = any(_names_country(c) for c in t.candidates)
        scores = []
        for k, c in enumerate(t.candidates):
            raw = c.raw
            s = MATCH_WEIGHTS.get(raw["match"], 0.9) + W_IMPORTANCE * raw["importance"]
            if _names_country(c):
                s += W_COUNTRY_NAME
            if admin_form and raw["feature_class"] == "A":
                s += W_ADMIN_FORM
            country_level = not (names_country and raw["feature_class"] == "P")
            if country_level:
                s += W_COUNTRY * evidence.country_share(raw["country_code"], exclude=t)
            if raw["admin1"] and (raw["country_code"], raw["admin1"]) in evidence.admin1s:
                s += W_ADMIN1
            if container and raw["country_code"] == container[0] and container[1] in (None, raw["admin1"]):
                s += W_CONTAINER
            if anchors:
                nearest = min(haversine_km(c.latitude, c.longitude, lat, lon) for lat, lon in anchors)
                s += W_PROXIMITY * math.exp(-nearest / PROXIMITY_KM)
            if region_share is not None and raw["admin1"]:
                s += W_REGION_SHARE * region_share.of(raw["country_code"], raw["admin1"])
            if coherence:
                s += W_COHERENCE * coherence[k]
            if conjunct_kinds and _kind(c) in conjunct_kinds:
                s += W_CONJUNCT
            if n_local and country_level:
                s += W_LOCAL_COUNTRY * local_countries[raw["country_code"]] / (n_local + LOCAL_PSEUDO_COUNT)
            scores.append(s)
        best = max(range(len(scores)), key=scores.__getitem__)
        top = scores[best]
        weights = [math.exp((s - top) / CONFIDENCE_TEMPERATURE) for s in scores]
        share = 1.0 / sum(weights)
        confidence = share * min(1.0, MATCH_WEIGHTS.get(t.candidates[best].raw["match"], 0.9))
        return t.candidates[best], confidence


def _kind(place: Location) -> str | None:
    """Country or state / province: the kinds of place a list keeps to. Towns do not count,
    as a town is the usual misreading of a state ("California or Washington")."""
    code = place.raw["feature_code"]
    if code.startswith("PCL"):
        return "country"
    return "region" if code == "ADM1" else None


def _conjunct_kinds(doc, toponyms: list[Toponym], picks: list[Location | None]) -> dict[int, set[str]]:
    """For each name, the kinds of place the names coordinated with it were read as.

    "England and Wales" and "states such as California or Washington" list places of one
    kind, so Wales is the region rather than a village in England.
    """
    if not doc.has_annotation("DEP"):
        return {}
    owner: dict[int, int] = {}
    spans = []
    for i, t in enumerate(toponyms):
        span = doc.char_span(t.start, t.end, alignment_mode="expand")
        spans.append(span)
        if span is not None:
            owner.update((token.i, i) for token in span)
    kinds: dict[int, set[str]] = {}
    for i, (t, span) in enumerate(zip(toponyms, spans)):
        if span is None:
            continue
        for token in span.root.conjuncts:
            j = owner.get(token.i)
            if j is None or j == i or picks[j] is None or fold(toponyms[j].text) == fold(t.text):
                continue
            kind = _kind(picks[j])
            if kind:
                kinds.setdefault(id(t), set()).add(kind)
    return kinds


def _names_country(candidate: Location) -> bool:
    """The candidate is a country called by one of its own names ("Mexico", "Holland")."""
    return candidate.raw["feature_code"].startswith("PCL") and candidate.raw["match"] in ("name", "alternate", "id")


def _part_strength(found: list[Location]) -> float:
    """How strongly a part of a name names a place: its best candidate's match and importance."""
    return max(MATCH_WEIGHTS.get(c.raw["match"], 0.9) + c.raw["importance"] for c in found)


def _coherence(toponyms: list[Toponym]) -> dict[int, list[float]]:
    """For every candidate, how well the article's other names can be placed near it.

    For each other name, the best of its candidates counts, weighted by that candidate's
    importance and by closeness (exp(-km / COHERENCE_KM)); the mean over the other names is
    the candidate's coherence in [0, 1]. Athens and Henderson County in one article are
    then Athens, Texas and Henderson County, Texas, a few kilometres apart, rather than
    Athens, Greece. Countries and continents neither give nor get support.
    """
    import numpy as np

    rows = []  # (toponym index, candidate index, name group, lat, lon, weight)
    groups: dict[str, int] = {}
    for i, t in enumerate(toponyms):
        group = groups.setdefault(fold(t.text), len(groups))
        for k, c in enumerate(t.candidates):
            if not c.raw["feature_code"].startswith(("PCL", "CONT")):
                rows.append((i, k, group, c.latitude, c.longitude, c.raw["importance"]))
    out = {id(t): [0.0] * len(t.candidates) for t in toponyms}
    # Only names with local candidates take part (a country-only name gives no support).
    present = {g: n for n, g in enumerate(sorted({r[2] for r in rows}))}
    n_groups = len(present)
    if n_groups < 2:
        return out
    data = np.array([r[3:] for r in rows], dtype=float)
    group_of = np.array([present[r[2]] for r in rows])
    lat, lon = np.radians(data[:, 0]), np.radians(data[:, 1])
    dlat = lat[:, None] - lat[None, :]
    dlon = lon[:, None] - lon[None, :]
    a = np.sin(dlat / 2) ** 2 + np.cos(lat)[:, None] * np.cos(lat)[None, :] * np.sin(dlon / 2) ** 2
    km = 2 * 6371.0088 * np.arcsin(np.sqrt(np.clip(a, 0, 1)))
    support = np.exp(-km / COHERENCE_KM) * data[None, :, 2]
    # Best support from each name group, for every candidate.
    best = np.zeros((len(rows), n_groups))
    for g in range(n_groups):
        cols = group_of == g
        best[:, g] = support[:, cols].max(axis=1)
    best[np.arange(len(rows)), group_of] = 0.0  # a name never supports itself
    scores = best.sum(axis=1) / (n_groups - 1)
    for (i, k, *_), value in zip(rows, scores):
        out[id(toponyms[i])][k] = float(value)
    return out


@dataclass(slots=True)
class _RegionShare:
    """Share of the article's other local places that lie in a given province or state."""

    counts: Counter
    total: int

    def of(self, country_code: str, admin1: str) -> float:
        return self.counts[(country_code, admin1)] / (self.total + LOCAL_PSEUDO_COUNT) if self.total else 0.0


@dataclass
class _Evidence:
    """What the whole article says about where it is: countries, regions, "X, Y" containers."""

    countries: Counter
    admin1s: set
    containers: dict  # toponym start -> (country code, admin-1 name or None) written after it
    container_names: set  # starts of the toponyms that are such containers ("Fife" in "Knockhill, Fife")
    # name -> the country votes of all its mentions: a name never votes for itself, nor do
    # its other mentions, so three "Georgia"s in a US article do not make each other a country.
    own_votes: dict

    def country_share(self, country_code: str, exclude: Toponym) -> float:
        own = self.own_votes.get(fold(exclude.text), Counter())
        total = sum(self.countries.values()) - sum(own.values())
        if total <= 0:
            return 0.0
        return (self.countries[country_code] - own[country_code]) / total

    @classmethod
    def collect(cls, doc, toponyms: list[Toponym], gazetteer: Gazetteer) -> "_Evidence":
        countries: Counter = Counter()
        admin1s: set = set()
        own_votes: dict = {}
        for t in toponyms:
            if not t.candidates or t.metonymic and t.label != "GOLD":
                continue
            top = t.candidates[0].raw
            if top["feature_code"].startswith("PCL"):
                weight = 1.0
            elif top["feature_code"] == "ADM1" and top["score"] >= 0.7:
                weight = 0.5  # a province or state: half a vote for its country
                admin1s.add((top["country_code"], top["name"]))
                admin1s.add((top["country_code"], top["admin1"]))
            else:
                continue
            countries[top["country_code"]] += weight
            own_votes.setdefault(fold(t.text), Counter())[top["country_code"]] += weight
        if has_ner_doc(doc):
            for ent in doc.ents:
                if ent.label_ == "NORP" and (code := demonym_country(ent.text)):
                    countries[code] += 0.5
        containers = {}
        container_names = set()
        text = doc.text  # spaCy rebuilds Doc.text on every access
        ends = {t.start: t.end for t in toponyms}
        for t in toponyms:
            container = container_of(text, t.end, gazetteer)
            after = ends.get(t.end + 2)
            # "Stops in Miami, New York and Boston" is a list, not a town and its state.
            if container and not (after is not None and _LIST_GOES_ON.match(text, after)):
                containers[t.start] = container
                if after is not None:
                    container_names.add(t.end + 2)
        return cls(countries, admin1s, containers, container_names, own_votes)


def _dateline_matches(text: str):
    """The datelines in a text, as matches of _CAPS_DATELINE or _LINE_DATELINE."""
    for m in [*_CAPS_DATELINE.finditer(text), *_LINE_DATELINE.finditer(text), *_BARE_DATELINE.finditer(text)]:
        if m.re is _BARE_DATELINE:
            yield m  # its pattern asks for the line's start already
            continue
        before = text[max(0, m.start() - 2):m.start()]
        at_line_start = m.start() == 0 or before[-1:] == "\n" or before in (". ", ": ")
        # A mixed-case name at a line's start needs its agency ("Hanoi (VNA) –") or a colon
        # ("Muscat: ...", see _weak_dateline); an all-caps one needs the agency or the line's start.
        if m.group("agency") or m.re is _CAPS_DATELINE and at_line_start or _weak_dateline(m):
            yield m


def _weak_dateline(m) -> bool:
    """"Muscat: The festival opened": a dateline only if the place is important, since
    headlines open the same way ("Abbas: No peace without Jerusalem")."""
    return m.re is _LINE_DATELINE and not m.group("agency") and m.group(0).endswith(":")


def _dateline_places(m) -> list[tuple[str, int]]:
    """(name, start) of each place a dateline names: "BAGHDAD/AMMAN" is two."""
    out, start = [], m.start("place")
    for name in m.group("place").split("/"):
        out.append((name, start))
        start += len(name) + 1
    return out


def _after_the(text: str, t: Toponym) -> bool:
    """The name is written after "the" ("the Atlantic"), and is not the start of a longer
    name there ("the Washington Post")."""
    return text[max(0, t.start - 4):t.start].lower() == "the " and not _NAME_GOES_ON.match(text, t.end)


def _named_thing_or_person(span) -> bool:
    """A name NER did not call a place, set beside a word for something other than a place.

    "three hurricanes: Harvey, Irma and Maria", "floor plans Jamison and Norbury", "his wife,
    Julia". "Its capital, Raqqa" and "an adjacent park (Washington Square)" stay places.
    """
    if span is None:
        return False
    root = span.root
    while root.dep_ == "conj" and root.head is not root:
        root = root.head
    # "girlfriend Olivia", "daughters North and Chicago", "his wife, Georgia": a relative, even
    # when NER calls the name a place.
    before = span.doc[span.start - 1] if span.start else None
    if before is not None and before.lemma_.lower() in _KIN_NOUNS or \
            any(c.dep_ == "compound" and c.lemma_.lower() in _KIN_NOUNS for c in root.children) or \
            root.dep_ == "appos" and root.head.lemma_.lower() in _KIN_NOUNS:
        return True
    if span.root.ent_type_ in ("GPE", "LOC", "FAC"):
        return False
    return root.dep_ == "appos" and root.head.pos_ == "NOUN" and root.head.lemma_.lower() not in PLACE_NOUNS


_KIN_NOUNS = frozenset(
    "wife husband girlfriend boyfriend fiancee fiance daughter son brother sister mother father mom dad "
    "aunt uncle cousin nephew niece grandson granddaughter grandmother grandfather widow baby".split())


def _inside_longer_name(span) -> bool:
    """A word of a longer capitalised name the gazetteer does not know: "Border Patrol", "Think
    Tank", "Research Director", "Hang Seng". "North Caucasus", "Downtown Greer" and a sentence's
    opening "The" or "A" do not count, nor title-case headlines, where every word is capitalised."""
    doc = span.doc
    sent = span.sent
    before = doc[span.start - 1] if span.start > sent.start else None
    after = doc[span.end] if span.end < sent.end else None
    neighbours = [t for t in (before, after) if t is not None and t.is_alpha and t.text[:1].isupper()
                  and t.lower_ not in _NAME_OPENERS and not (t.i == sent.start and t.lower_ in ("the", "a", "an"))]
    if not neighbours:
        return False
    words = [t for t in sent if t.is_alpha]
    return sum(t.text[:1].isupper() for t in words) <= 0.6 * len(words)


def _roads(text: str, found: list[Toponym]) -> list[Toponym]:
    """Add the numbered roads a text names as places: "on the A120", "the M4 highway", "Route 66".

    A bare code ("A40", "M5", "I-95") counts only after "the" or a preposition of place, before
    a word for a road, or in a list with another road; "an A1 grade" or "the M5 model" do not.
    """
    out = list(found)
    last_end = None
    for m in _ROAD.finditer(text):
        start, end = m.span()
        before = text[max(0, start - 12):start].lower()
        named = m.group("named") is not None
        listed = last_end is not None and _ROAD_LIST_GAP.fullmatch(text, last_end, start) is not None
        cued = _ROAD_BEFORE.search(before) or _ROAD_AFTER.match(text, end) or listed
        if (named or cued) and not any(t.start < end and start < t.end for t in out):
            out.append(Toponym(m.group(0), start, end, "ROAD"))
            last_end = end
    out.sort(key=lambda t: t.start)
    return out


def has_ner_doc(doc) -> bool:
    return doc.has_annotation("ENT_IOB")


def _as_texts(texts: Iterable[str]) -> Iterable[str]:
    for text in texts:
        yield text if isinstance(text, str) else ""


_LEADING = {"the", "The"}
_POSSESSIVES = ("'s", "’s")
# Verbs and nouns after which a country is its land ("entered Syria", "airstrikes on Syria").
_LAND_HEADS = LOCATIVE_OBJECT_VERBS | LOCATIVE_HEAD_WORDS


def _entity_parts(ent) -> list:
    """An entity cut where NER ran names together: "Thruxton, Hampshire" is two places, and
    "Easter in Erbil" (read as one ORG) is a feast and a place."""
    if ent.label_ in ("GPE", "LOC", "FAC"):
        cuts = [t.i for t in ent if t.text == ","]
    else:
        cuts = [t.i for t in ent if t.lower_ in ("in", "at", "near") and t.is_lower and t.i > ent.start]
    if not cuts:
        return [ent]
    starts = [ent.start, *(cut + 1 for cut in cuts)]
    ends = [*cuts, ent.end]
    return [Span(ent.doc, lo, hi, label=ent.label_) for lo, hi in zip(starts, ends) if hi > lo]


def _trim(span):
    """Drop a leading "the", a trailing possessive and line breaks ("the Old City of Mosul", "Syria's", "Raqqa\\n").

    An owner and lower-case directions before the name go too: "Derry's Altnagelvin
    Hospital" names the hospital, "north west London" names London; but "St Mary's Chapel"
    is one name. Lower-case words after the name are not part of it: "Idlib province" names
    Idlib ("province" is read as evidence), "Mill Road and" is NER's slip. An abbreviation
    keeps its full stop.
    """
    start, end = span.start, span.end
    doc = span.doc
    for i in range(start, end - 1):
        if doc[i].text in _POSSESSIVES and not _bare_head(doc[i + 1:end]):
            start = i + 1
    while start < end and (doc[start].text in _LEADING or doc[start].is_punct or doc[start].is_space
                           or doc[start].lower_ in _DIRECTIONS and doc[start].is_lower and end - start > 1):
        start += 1
    while end > start and (doc[end - 1].text in (*_POSSESSIVES, "'") or doc[end - 1].is_punct or doc[end - 1].is_space
                           or doc[end - 1].is_lower and doc[end - 1].is_alpha and end - start > 1):
        end -= 1
    if start >= end:
        return None
    if end < len(doc) and doc[end].text == "." and not doc[end - 1].whitespace_ and _abbreviation(doc[end - 1].text):
        end += 1  # an abbreviation's own full stop, which the tokenizer gave the sentence: "Vt.", "D.C."
    return doc[start:end]


def _abbreviation(word: str) -> bool:
    """A short word that wants a full stop: "U.S", "W.Va", "Vt" (but not "Ohio", which AP writes whole)."""
    if len(word.replace(".", "")) > 4:
        return False
    return "." in word or any(fold(region) != fold(word) for _, region in region_abbreviations(word + "."))


def _bare_head(span) -> bool:
    """A lone common noun such as "Chapel" or "Village": what is left of a name cut at its owner."""
    return len(span) == 1 and (fold(span.text) in COMMON_WORDS or bool(
        _BUILDING_HEAD.search(" " + span.text) or _PLACE_HEAD.search(" " + span.text)))


# The last word of a place name that no gazetteer may list: streets, squares, estates, lagoons.
_PLACE_HEAD = re.compile(
    r"\s(Street|St\.|Avenue|Ave\.|Road|Rd\.|Boulevard|Square|Bridge|Lane|Highway|Estate|Lagoon|Point|Fields|"
    r"Beach|Harbour|Harbor|Bay|Island|Islands|Lake|River|Creek|Mountain|Mountains|Valley|Plain|Plains|Desert|"
    r"Camp|Crossing|Checkpoint|Airport|Airbase|Dam|Canal|Park|Forest|Hill|Hills|Peninsula|Strait|Gulf|Sea|Area)"
    r"(?: North| South| East| West)?$")  # "Eglinton Avenue West"

# The first word of a place name that no gazetteer may list: "Lake Manassas", "Cape Peron".
_PLACE_OPENER = re.compile(r"(Lake|Cape|Mount|Mt\.|Fort|Port|Isle|Gulf of|Sea of|Strait of|Bay of|Wadi|Jebel|Jabal) [A-Z]")

# Streets and squares: places in their own right, never located by the place they are named after.
_STREET_HEAD = re.compile(
    r"\s(Street|St\.|Avenue|Ave\.|Road|Rd\.|Boulevard|Square|Lane|Estate|Drive|Place)(?: North| South| East| West)?$")

# Buildings and sites where things happen: "al-Shifa Hospital", "Meydan Racecourse", "Badush
# Prison". NER often calls them ORG or PERSON. Schools, universities and centres are left out:
# they are named for what they do as often as for where they stand.
_BUILDING_HEAD = re.compile(
    r"\s(Hospital|Clinic|Mosque|Church|Cathedral|Basilica|Chapel|Temple|Shrine|Synagogue|Stadium|Arena|"
    r"Racecourse|Hotel|Inn|Prison|Jail|Barracks|Palace|Tower|Theatre|Theater|Museum|Market|Bazaar|"
    r"Cemetery|Graveyard|Refinery|Oilfield|Campus|Library|Hall|Courthouse|Mall|Farm|Farms|Plantation)$")

# Lower-case directions NER keeps before a name: "north west London", "eastern Syria".
_DIRECTIONS = frozenset("north south east west northern southern eastern western central northeast northwest "
                        "southeast southwest north-east north-west south-east south-west northeastern "
                        "northwestern southeastern southwestern".split())

# Capitalised words that open a place's name without being part of any other: "North Caucasus".
_NAME_OPENERS = _DIRECTIONS | {"downtown", "greater", "upper", "lower", "old", "new", "metro", "metropolitan",
                               "in", "at", "from", "to", "of", "near"}

# Numbered roads: "Route 66", "Highway 1", or a bare code such as "A120", "M4", "N7", "I-95".
_ROAD = re.compile(r"\b(?:(?P<named>(?:(?:State|County|U\.S\.|US)\s+)?(?:Route|Highway|Interstate|Hwy\.?)\s+\d{1,4}\b)"
                   r"|(?:I-\d{1,3}|[AMN]\d{1,4}|[AMN]-\d{1,4}))(?![\w-])(?!\s*(?:million|billion|trillion|bn|m|k)\b)")
_ROAD_BEFORE = re.compile(r"(?:\bthe|\bon|\bvia|\balong|\boff|\bnear|\bat|\bfrom|\bto|\bonto)\s+(?:the\s+)?$")
_ROAD_LIST_GAP = re.compile(r",? (?:and |or )?")  # "the A436, A40 and A429"
_ROAD_AFTER = re.compile(r"\s+(?:highway|motorway|road|expressway|freeway|junction|interchange|corridor|northbound|southbound|eastbound|westbound)\b", re.IGNORECASE)
_AREA_CLASSES = ("H", "L", "T")  # GeoNames classes of waters, regions and mountains
# A capitalised word after a name: the name is part of a longer one ("the Washington Post").
_NAME_GOES_ON = re.compile(r"[’']?s?\s+[A-Z0-9]")
# More names after a name: the names are a list ("Miami, New York and Boston").
_LIST_GOES_ON = re.compile(r",? (?:and |or |& )?[A-Z]")

# NER labels of names that are not places themselves, though used as one ("at Cornell University").
_NOT_PLACE_LABELS = frozenset(("ORG", "PERSON", "EVENT", "FAC", "NORP", "PRODUCT", "WORK_OF_ART"))

# Missions abroad stand in the host country, not in the country their adjective names.
_MISSION_HEAD = re.compile(r"\s(Embassy|Consulate|High Commission|Mission)$")

# What may stand between two halves of one place name that NER split ("Trinidad and Tobago").
_JOINING_GAPS = (" of ", " of the ", " ", ", ", " and ", " & ", "-")

# A dateline: a place (or two: "BAGHDAD/AMMAN"), perhaps its state or country, perhaps a date
# and the agency, then a dash: "MOSUL, Iraq (AP) —", "ST. LOUIS –", "DAMASCUS, Sept. 6, 2017 -",
# and at the very start of a line "Hanoi (VNA) –".
# articles._DATELINE is the stricter form with a full date, read for publication dates.
_DATELINE_REST = (r"(?:, (?P<region>[A-Z][\w.]*(?: [A-Z][\w.]*)?))?(?:, [A-Z][a-z]+\.? \d{1,2}(?:, \d{4})?)?"
                  r"(?P<agency> \([A-Z][A-Za-z0-9]{1,12}\))?(?: ?(?:[—–-]+|:)(?=[\s(A-Z])|(?<=\))(?=\s))")
_CAPS_DATELINE = re.compile(r"\b(?P<place>[A-Z][A-Z'’.]*(?:[ /-][A-Z][A-Z'’.]*){0,3})" + _DATELINE_REST)
# A capitalised place alone opening the text or a line, then its first sentence: "LONDON Pope
# Francis said...", "OKLAHOMA CITY The Latest on...". Read only for an important place, and
# never for a short acronym ("US Forces said...", "NATO Allies met").
_BARE_DATELINE = re.compile(r"(?:\A|(?<=\n))(?P<place>[A-Z][A-Z'’.]{3,}(?: [A-Z][A-Z'’.]+){0,3}) (?=[A-Z][a-z])")
_LINE_DATELINE = re.compile(r"(?:\A|(?<=\n))(?P<place>[A-Z][\w'’.]*(?:[ -][A-Z][\w'’.]*){0,3})" + _DATELINE_REST)

_ADMIN_WORD_AFTER = re.compile(r" (Province|Governorate|District|County|Parish|Region|Oblast|Prefecture)\b")

# Lower-case words after a name that say what kind of place it names: "Idlib province", "the
# Hajin village", "the Tanf area". Read as evidence; the name is the capitalised part.
_FEATURE_WORD_AFTER = re.compile(
    r" (province|governorate|district|county|parish|region|state|oblast|prefecture|department|municipality|"
    r"city|town|village|neighbou?rhood|suburb|area|countryside)\b")

# "-based" after a name, or after its state: "a Raqqa-based group", "a Denison, Iowa-based firm".
_BASED_IN = re.compile(r"(?:,\s*[A-Z][\w.]*(?:\s[A-Z][\w.]*)?)?-based\b")

# Lower-case words inside an institution's name: "Palais des Nations", "Bank of England".
_NAME_LINKS = frozenset("of the de des du la le and for".split())


def _without_article(name: str) -> str:
    """The folded name without a leading Arabic article: "Al Qāmishlī" -> "qamishli"."""
    words = fold(name).split()
    return " ".join(words[1:] if len(words) > 1 and words[0] in ARABIC_ARTICLES else words)


def _used_as_place(span) -> bool:
    """An organisation, building or event named as where something is: "arrested at Kendale
    Lakes Elementary School", "a briefing at the Palais des Nations", "at the OAS"."""
    root = span.root
    text = span.text
    return root.dep_ == "pobj" and root.head.lower_ in ("at", "inside", "outside", "into") and \
        all(w[:1].isupper() or w in _NAME_LINKS for w in text.split()) and \
        not _not_a_place_name(text) and not any(ch.isdigit() for ch in text)


def _dotted_state(name: str) -> bool:
    """A dotted AP abbreviation of a US state ("W.Va.", "Md.")."""
    return "." in name and any(code == "US" for code, _ in region_abbreviations(name))


def _not_a_place_name(text: str) -> bool:
    """A title, an organisation the gazetteer mistakes for a place, or a mixed-case acronym."""
    return fold(text) in NON_PLACE_WORDS or _acronym_like(text)


def _acronym_like(text: str) -> bool:
    """"MoD", "PoP", "HAPs", "NGOs": a short acronym in mixed case, never a place name."""
    return len(text) <= 5 and " " not in text and any(
        a.islower() and b.isupper() or a.isupper() and b.isupper() and text.endswith("s") for a, b in zip(text, text[1:]))


def _can_start_name(token) -> bool:
    text = token.text
    return text[:1].isupper() and token.is_alpha | ("-" in text) and not token.like_num


def _can_end_name(token) -> bool:
    text = token.text
    return text[:1].isupper() or (text[-1:].isalpha() and "-" in text and text.split("-")[-1][:1].isupper())


def _locative_cue(span) -> bool:
    """A preposition of place before the name ("in Raqqa", "near Mayadin", "the city of Hajin")."""
    doc = span.doc
    i = span.start - 1
    while i >= 0 and doc[i].lower_ in ("the", "city", "town", "village", "province", "of", "district", "northern",
                                        "southern", "eastern", "western", "central", "outskirts", "border"):
        if doc[i].lower_ == "of" and i + 1 < span.start and doc[i + 1].lower_ in ("city", "town", "village",
                                                                                   "province", "district"):
            return True
        i -= 1
    if i >= 0 and doc[i].lower_ in LOCATIVE_PREPOSITIONS:
        return True
    # A name followed by its state or country: "Tacoma, Washington", "Hajin, Deir ez-Zor", "Severn, Md.".
    if span.end + 1 < len(doc) and doc[span.end].text == "," and (
            doc[span.end + 1].ent_type_ in ("GPE", "LOC") and doc[span.end + 1].ent_iob_ == "B"
            or _dotted_state(doc[span.end + 1].text)):
        return True
    # One place in a list of places: "Al Qaim and Rawa", "Hajin, Susah and Baghuz".
    if span.start >= 2 and doc[span.start - 1].lower_ in ("and", "or", ",") and doc[span.start - 2].ent_type_ in (
            "GPE", "LOC", "FAC", "ORG", "PERSON") and doc[span.start - 2].text[:1].isupper():
        return True
    # The place a force takes, shells or enters: "recaptured Mayadin", "shelled Hajin".
    if span.root.dep_ in ("dobj", "nsubjpass") and span.root.head.lemma_.lower() in LOCATIVE_OBJECT_VERBS and \
            span.root.head.pos_ == "VERB":
        return True
    if span.start > 0 and doc[span.start - 1].lower_ == "of" and span.start > 1 and \
            doc[span.start - 2].lower_ in ("city", "town", "village", "province", "outskirts", "north", "south",
                                           "east", "west", "northeast", "northwest", "southeast", "southwest"):
        return True
    return False


# Endings of words for peoples, faiths and movements ("Kurdish", "Sunnis", "Alawite", "Islamist").
_GROUP_ENDINGS = ("ish", "ian", "ians", "ese", "ite", "ites", "ist", "ists", "ic", "ni", "nis", "ds", "an", "ans")


def _group_word(text: str) -> bool:
    """A NORP span that names people, not land: a demonym, or shaped like one. "Aleppo", tagged NORP, is not."""
    last = text.split()[-1].lower()
    return bool(demonym_country(text)) or last.endswith(_GROUP_ENDINGS)


def _person_name_parts(doc) -> set[str]:
    """Tokens of the multi-word person names in a document ("Ryan", "Dillon" from "Ryan Dillon")."""
    parts = doc.user_data.get("geoevents_person_parts")
    if parts is None:
        parts = {tok.text for ent in doc.ents if ent.label_ == "PERSON" and len(ent) > 1 for tok in ent
                 if tok.text[:1].isupper()}
        doc.user_data["geoevents_person_parts"] = parts
    return parts


# Prepositions that place rather than relate: "in Clifton", not "to Bolton" or "against Jones".
_SPATIAL_PREPOSITIONS = frozenset("in at near into inside outside around across throughout from".split())


def _person_name_part(span) -> bool:
    """A word of a person's name elsewhere in the text, and not written as a place here.

    "Dillon said", after "Ryan Dillon", is the man; "in Clifton" is the town, though NER
    read the shop "Clifton Baker Fuel" as a person. Not "in Modi's cabinet": an owner is a person.
    """
    if span.text not in _person_name_parts(span.doc):
        return False
    doc = span.doc
    i = span.start - 1
    if i >= 0 and doc[i].lower_ == "the":
        i -= 1
    after = doc[span.end].text if span.end < len(doc) else ""
    return not (i >= 0 and doc[i].lower_ in _SPATIAL_PREPOSITIONS and span.root.dep_ == "pobj"
                and after not in (*_POSSESSIVES, "'", "’"))


def _named_as_person_again(span) -> bool:
    """NER calls this name a person more than once in the document and never a place."""
    labels = [ent.label_ for ent in span.doc.ents if ent.text == span.text]
    return labels.count("PERSON") > 1 and not {"GPE", "LOC", "FAC"} & set(labels)


def _demonym_of_place(span) -> bool:
    """"Syrian" in "the Syrian border": a demonym whose head noun is land, not people."""
    return bool(demonym_country(span.text)) and span.root.head.lemma_.lower() in LAND_NOUNS and \
        span.root.head.i == span.end


def _is_metonymic(span, is_country: bool) -> bool:
    """A place standing for its government, team or people rather than for a location.

    "Washington said", "Russia has expelled" (the subject of an action); "U.S. officials",
    "Beijing's tactics" (a modifier or owner of what is not land); and, for countries,
    "sanctions against Russia", "recognise Kosovo" (the object of what is done to a state).
    In a list ("Bulgaria, Malta and Portugal voted") every member shares the first one's role.
    Datelines ("MOSUL, Iraq —") are literal; Geoparser._datelines sees to them.
    """
    if _BASED_IN.match(span.doc.text, span.end_char):
        return False  # "the Tulsa, Oklahoma-based company": where it is, whatever it does
    root = span.root
    while root.dep_ == "conj" and root.head is not root:
        root = root.head
    head = root.head
    head_word = head.lemma_.lower().rstrip(".")  # "Gov." and "Rep." are titles too
    if root.dep_ in ("compound", "amod", "nmod", "poss"):
        # A noun-noun chain is judged by its last noun: "the Delft police station" names a
        # station, "the Rome police captain" a man.
        while head.dep_ == "compound" and head.head.pos_ in ("NOUN", "PROPN") and head.head.i > head.i:
            head = head.head
        head_word = head.lemma_.lower().rstrip(".")
        # "Notre Dame's Arike Ogunbowale": a person's team, school or home town, not a location.
        # "Cambridge Analytica", "Manila Archbishop Luis Tagle": part of a company's or a person's name.
        return head_word in ACTOR_NOUNS or root.dep_ == "poss" and head.ent_type_ == "PERSON" or \
            root.dep_ == "compound" and head.pos_ == "PROPN" and head.ent_type_ in ("PERSON", "ORG") and \
            not _PLACE_HEAD.search(" " + head.text)
    if root.dep_ == "nsubj":
        if head_word == "be":
            # "Russia is concerned", "Europe was a reliable ally"; but "Raqqa is a city".
            return any(c.dep_ == "acomp" and c.lemma_.lower() in AGENT_STATES or
                       c.dep_ == "attr" and c.lemma_.lower() in ACTOR_NOUNS for c in head.children)
        return head.pos_ in ("VERB", "AUX") and head_word not in PLACE_PREDICATES
    if root.dep_ == "nsubjpass":
        return head_word in AGENT_PASSIVES  # "Moscow is accused of every sin"
    if root.dep_ == "pobj" and head.lower_ == "of" and head.head.pos_ in ("NOUN", "PROPN"):
        # "the Prime Minister of the UAE", "the people of Mosul" (but "the outskirts of Mosul")
        return head.head.lemma_.lower() in ACTOR_NOUNS
    if root.dep_ == "pobj" and head.dep_ == "agent":
        return True  # "the position taken by Trinidad and Tobago": whoever acts is no location
    if _opponent(root) and any(w.lower_ in SPORTS_WORDS for w in root.sent):
        return True  # "25 points against Louisville", "a loss to San Antonio": a team
    if not is_country:
        return False
    if root.dep_ == "pobj" and head.lower_ == "from":
        return head.head.lemma_.lower() in STATE_GIFTS
    if root.dep_ == "pobj":
        return head.lower_ in ("against", "with", "by", "between", "towards", "toward", "for", "on") and \
            head.head.lemma_.lower() not in _LAND_HEADS
    if root.dep_ in ("dobj", "dative"):
        return head_word not in _LAND_HEADS
    return False


def _opponent(root) -> bool:
    """The name is whom one plays: "against X", "a loss to X", "a series with X", "beat X"."""
    head = root.head
    if root.dep_ == "pobj":
        return head.lower_ == "against" or head.lower_ in ("to", "over", "with") and \
            head.head.lemma_.lower() in OPPONENT_HEADS
    return root.dep_ == "dobj" and head.lemma_.lower() in OPPONENT_HEADS


_default: Geoparser | None = None


def default_geoparser(model: str | None = None) -> Geoparser:
    """The process-wide geoparser (models and gazetteer loaded once per process)."""
    global _default
    if _default is None or (model and _default.nlp.meta.get("name") not in (model, model.replace("en_", ""))):
        _default = Geoparser(model=model)
    return _default


def geoparse(text: str, model: str | None = None) -> list[Toponym]:
    """Find the place names in ``text`` and resolve each in the context of the whole text."""
    return default_geoparser(model).geoparse(text)


def geoparse_many(texts: Iterable[str], batch_size: int = 32, n_process: int = 1,
                  model: str | None = None) -> list[list[Toponym]]:
    """``geoparse`` over many texts, batched through spaCy's ``nlp.pipe``; one list per text."""
    return default_geoparser(model).geoparse_many(texts, batch_size=batch_size, n_process=n_process)

