"""Toponym recognition: the place names in a parsed text, before any is resolved.

spaCy NER finds most names, but a small model tags conflict-zone towns as ORG or PERSON
("Raqqa", "Mayadin") and misses others outright; so entities of every label are checked
against the gazetteer and the words around them, and capitalised words no entity covers
are matched against the gazetteer. Names are cut to the name itself ("Idlib" in "Idlib
province"), joined where NER split them ("Old City" + "of Mosul"), and datelines and
numbered roads ("the M4") are added. Each name's metonymy is read here too.
"""
from __future__ import annotations

import re

from spacy.tokens import Span

from .. import lexicon
from ..gazetteer.demonyms import demonym_country
from ..gazetteer.geocoder import Gazetteer
from ..gazetteer.names import COMMON_WORDS, fold
from ..gazetteer.place import Place
from ..nlp import doc_text
from ..text.datelines import bare_dateline, dateline_matches, dateline_places, weak_dateline
from .metonymy import LOCATIVE_OBJECT_VERBS, is_metonymic
from .names import (
    ADMIN_SUFFIXES,
    ADMIN_WORD_AFTER,
    BUILDING_HEAD,
    DIRECTIONS,
    LAND_NOUNS,
    NAME_LINKS,
    NAME_OPENERS,
    NON_PLACE_WORDS,
    PLACE_HEAD,
    PLACE_NOUNS,
    PLACE_OPENER,
    POSSESSIVE_MARKS,
    POSSESSIVES,
    SETTLEMENT_WORDS,
    STREET_HEAD,
    abbreviation,
    can_end_name,
    can_start_name,
    dotted_state,
    group_word,
    not_a_place_name,
    region_abbreviations,
    without_article,
)
from .toponym import Toponym

MAX_NAME_TOKENS = 6
_NAME_PARTICLES = lexicon.words("name_particles")
# Without a cue such as "in" or "near", a name the NER did not call a place must be this
# important (a country, a curated place, a city of about 300,000) to count as one.
IMPORTANT_PLACE = 0.7
IMPORTANT_PLACE_WITHOUT_NER = 0.5
LOCATIVE_PREPOSITIONS = lexicon.words("locative_prepositions")
# Prepositions that place rather than relate: "in Clifton", not "to Bolton" or "against Jones".
_SPATIAL_PREPOSITIONS = lexicon.words("spatial_prepositions")
_KIN_NOUNS = lexicon.words("kin_nouns")
_LEADING = {"the", "The"}
# What may stand between two halves of one place name that NER split ("Trinidad and Tobago").
_JOINING_GAPS = (" of ", " of the ", " ", ", ", " and ", " & ", "-")


class Recogniser:
    """Finds the place names in parsed docs, with a gazetteer to tell places from other names."""

    def __init__(self, gazetteer: Gazetteer, ner: bool = True):
        self.gazetteer = gazetteer
        self.ner = ner  # whether the pipeline tags entities; without NER the gazetteer scan trusts the gazetteer further

    def recognise(self, doc) -> list[Toponym]:
        """The place names in a parsed doc, in text order, unresolved (``resolved`` is None)."""
        found: list[Toponym] = []
        taken = [False] * len(doc)
        if self.ner:
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
                elif ent.label_ in ("ORG", "PERSON", "NORP", "WORK_OF_ART", "PRODUCT", "EVENT") and \
                        settlement_named(span):
                    found.append(self._toponym(span, ent.label_))
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
        return _roads(doc_text(doc), self._datelines(doc, self._join_compounds(doc, found)))

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
        text = doc_text(doc)
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
            after = ADMIN_WORD_AFTER.match(text, t.end)
            if after and not ADMIN_SUFFIXES.search(t.text):
                t.text, t.end = text[t.start:after.end()], after.end()
        return out

    def _toponym(self, span, label: str) -> Toponym:
        best = self._best(span.text)
        is_country = best is not None and best.is_country
        return Toponym(span.text, span.start_char, span.end_char, label, metonymic=is_metonymic(span, is_country))

    def _ner_place(self, span, label: str) -> bool:
        """Whether a GPE / LOC / FAC entity is a place name worth keeping."""
        if _person_name_part(span):
            return False  # "Modi" after "Narendra Modi", tagged GPE
        if not_a_place_name(span.text):
            return False  # "Dr", "MoD": a title or an acronym tagged GPE
        if region_abbreviations(span.text):
            return True  # "N.B.", "NSW": a state or province, which _candidates reads
        if PLACE_HEAD.search(span.text) or BUILDING_HEAD.search(span.text) or PLACE_OPENER.match(span.text):
            return True  # "Royal Street", "Glenrock Lagoon", "Lake Manassas": a place even when no gazetteer knows it
        if self._known(span.text):
            return True
        # An unknown name is kept only with a cue that it is a place ("fighting in Ghouta").
        return label != "FAC" and _locative_cue(span) and not span.text.isupper()

    def _best(self, name: str) -> Place | None:
        """The gazetteer's best place for this name, spelled exactly, or None."""
        best = self.gazetteer.places(name, limit=1, fuzzy=False)
        return best[0] if best else None

    def _known(self, name: str) -> bool:
        return self._best(name) is not None

    def _important(self, name: str) -> bool:
        """Whether the gazetteer's best place of this very name is a country or a big city."""
        best = self._best(name)
        return best is not None and best.match in ("name", "alternate") and best.importance >= IMPORTANT_PLACE

    def _known_as_whole(self, name: str) -> bool:
        """Whether the gazetteer has this very name (not only a place inside it)."""
        best = self._best(name)
        return best is not None and best.match in ("name", "alternate", "id")

    def _datelines(self, doc, found: list[Toponym]) -> list[Toponym]:
        """The place a story was filed from ("MOSUL, Iraq (AP) —", "ST. LOUIS –"): always literal.

        NER misses all-caps names or buries them in the byline's ORG, and a dateline's place
        reads like the subject of the first sentence; here both are put right.
        """
        text = doc_text(doc)
        out = list(found)
        for m in dateline_matches(text):
            if (weak_dateline(m) or bare_dateline(m)) and not self._important(m.group("place")):
                continue
            region = m.groupdict().get("region")
            parts = dateline_places(m)
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
            return best is not None and (best.is_country or best.feature_code in ("CONT", "RGN")) and \
                _locative_cue(span)
        if label == "NORP" and group_word(span.text):
            # Demonyms are country evidence; "Kurds", "Shiite" are groups of people. But "Tunis",
            # shaped like "Sunnis", is a city's own name after "in".
            best = self._gazetteer_place(span)
            return demonym_country(span.text) is None and best is not None and best.match == "name" \
                and _locative_cue(span)
        if not_a_place_name(span.text):
            return False
        if (STREET_HEAD.search(span.text) or BUILDING_HEAD.search(span.text)
                or label != "PERSON" and PLACE_HEAD.search(span.text)) and span.text[:1].isupper():
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
        return best.importance >= IMPORTANT_PLACE

    def _gazetteer_scan(self, doc, taken: list[bool]) -> list[Toponym]:
        """Capitalised names no entity covers, matched against the gazetteer, longest first."""
        found = []
        i = 0
        n = len(doc)
        while i < n:
            token = doc[i]
            if taken[i] or not can_start_name(token):
                i += 1
                continue
            match = None
            for j in range(min(n, i + MAX_NAME_TOKENS), i, -1):
                if any(taken[i:j]) or not can_end_name(doc[j - 1]):
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
        if key in COMMON_WORDS or len(key) < 3 or not_a_place_name(text):
            return False
        if span.start == span.sent.start and len(span) == 1 and span[0].pos_ not in ("PROPN", ""):
            return False  # a capitalised ordinary word opening a sentence
        if _inside_longer_name(span):
            return False
        best = self._gazetteer_place(span)
        if best is None:
            return settlement_named(span)  # "Kafr Hamra village": a village no gazetteer knows
        # Without NER the scan is the only recogniser, so it trusts the gazetteer further.
        threshold = IMPORTANT_PLACE if self.ner else IMPORTANT_PLACE_WITHOUT_NER
        return _locative_cue(span) or best.importance >= threshold

    def _gazetteer_place(self, span) -> Place | None:
        """The gazetteer's best place for a span that NER did not call a place, if it may be one.

        Not for part of a person's name ("Dillon said", after "Ryan Dillon"), nor for a single
        word that only a transliteration key matches.
        """
        if _person_name_part(span):
            return None
        best = self._best(span.text)
        if best is None or best.match == "transliteration" and len(span) == 1 and \
                not without_article(best.name) == fold(span.text):
            return None  # but "Qamishli" for "Al Qāmishlī" is only the article short
        return best


def settlement_named(span) -> bool:
    """A name the text calls a settlement: "Kafr Hamra village", "the village of Umm al-Kouf",
    "Qaramokh, a village near Kobani". A place, whether or not any gazetteer knows it."""
    doc = span.doc
    if not 0 < len(span) <= 4 or not span[0].text[:1].isupper() or \
            not all(t.text[:1].isupper() or t.lower_ in _NAME_PARTICLES or t.text == "-" for t in span):
        return False
    after = [t.lower_ for t in doc[span.end:span.end + 3]]
    before = [t.lower_ for t in doc[max(0, span.start - 2):span.start]]
    return (after[:1] and after[0] in SETTLEMENT_WORDS and doc[span.end].text.islower()) or \
        (len(before) == 2 and before[0] in SETTLEMENT_WORDS and before[1] == "of") or \
        (len(after) == 3 and after[0] == "," and after[1] in ("a", "the") and after[2] in SETTLEMENT_WORDS)


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


def _inside_longer_name(span) -> bool:
    """A word of a longer capitalised name the gazetteer does not know: "Border Patrol", "Think
    Tank", "Research Director", "Hang Seng". "North Caucasus", "Downtown Greer" and a sentence's
    opening "The" or "A" do not count, nor title-case headlines, where every word is capitalised."""
    doc = span.doc
    sent = span.sent
    before = doc[span.start - 1] if span.start > sent.start else None
    after = doc[span.end] if span.end < sent.end else None
    neighbours = [t for t in (before, after) if t is not None and t.is_alpha and t.text[:1].isupper()
                  and t.lower_ not in NAME_OPENERS and not (t.i == sent.start and t.lower_ in ("the", "a", "an"))]
    if not neighbours:
        return False
    words = [t for t in sent if t.is_alpha]
    return sum(t.text[:1].isupper() for t in words) <= 0.6 * len(words)


# Numbered roads: "Route 66", "Highway 1", or a bare code such as "A120", "M4", "N7", "I-95".
_ROAD = re.compile(r"\b(?:(?P<named>(?:(?:State|County|U\.S\.|US)\s+)?(?:Route|Highway|Interstate|Hwy\.?)\s+\d{1,4}\b)"
                   r"|(?:I-\d{1,3}|[AMN]\d{1,4}|[AMN]-\d{1,4}))(?![\w-])(?!\s*(?:million|billion|trillion|bn|m|k)\b)")

_ROAD_BEFORE = re.compile(r"(?:\bthe|\bon|\bvia|\balong|\boff|\bnear|\bat|\bfrom|\bto|\bonto)\s+(?:the\s+)?$")
_ROAD_LIST_GAP = re.compile(r",? (?:and |or )?")  # "the A436, A40 and A429"
_ROAD_AFTER = re.compile(r"\s+(?:highway|motorway|road|expressway|freeway|junction|interchange|corridor|northbound|southbound|eastbound|westbound)\b", re.IGNORECASE)


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
        if doc[i].text in POSSESSIVES and not _bare_head(doc[i + 1:end]):
            start = i + 1
    while start < end and (doc[start].text in _LEADING or doc[start].is_punct or doc[start].is_space
                           or doc[start].lower_ in DIRECTIONS and doc[start].is_lower and end - start > 1):
        start += 1
    while end > start and (doc[end - 1].text in (*POSSESSIVES, "'") or doc[end - 1].is_punct or doc[end - 1].is_space
                           or doc[end - 1].is_lower and doc[end - 1].is_alpha and end - start > 1):
        end -= 1
    if start >= end:
        return None
    if end < len(doc) and doc[end].text == "." and not doc[end - 1].whitespace_ and abbreviation(doc[end - 1].text):
        end += 1  # an abbreviation's own full stop, which the tokenizer gave the sentence: "Vt.", "D.C."
    return doc[start:end]


def _bare_head(span) -> bool:
    """A lone common noun such as "Chapel" or "Village": what is left of a name cut at its owner."""
    return len(span) == 1 and (fold(span.text) in COMMON_WORDS or bool(
        BUILDING_HEAD.search(" " + span.text) or PLACE_HEAD.search(" " + span.text)))


def _used_as_place(span) -> bool:
    """An organisation, building or event named as where something is: "arrested at Kendale
    Lakes Elementary School", "a briefing at the Palais des Nations", "at the OAS"."""
    root = span.root
    text = span.text
    return root.dep_ == "pobj" and root.head.lower_ in ("at", "inside", "outside", "into") and \
        all(w[:1].isupper() or w in NAME_LINKS for w in text.split()) and \
        not not_a_place_name(text) and not any(ch.isdigit() for ch in text)


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
            or dotted_state(doc[span.end + 1].text)):
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


def _person_name_parts(doc) -> set[str]:
    """Tokens of the multi-word person names in a document ("Ryan", "Dillon" from "Ryan Dillon")."""
    parts = doc.user_data.get("geoevents_person_parts")
    if parts is None:
        parts = {tok.text for ent in doc.ents if ent.label_ == "PERSON" and len(ent) > 1 for tok in ent
                 if tok.text[:1].isupper()}
        doc.user_data["geoevents_person_parts"] = parts
    return parts


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
                and after not in POSSESSIVE_MARKS)


def _named_as_person_again(span) -> bool:
    """NER calls this name a person more than once in the document and never a place."""
    labels = [ent.label_ for ent in span.doc.ents if ent.text == span.text]
    return labels.count("PERSON") > 1 and not {"GPE", "LOC", "FAC"} & set(labels)


def _demonym_of_place(span) -> bool:
    """"Syrian" in "the Syrian border": a demonym whose head noun is land, not people."""
    return bool(demonym_country(span.text)) and span.root.head.lemma_.lower() in LAND_NOUNS and \
        span.root.head.i == span.end
