"""The names a sentence offers as an event's place, and the features the event-place model weighs them by.

Candidates are generated liberally: the geoparser's toponyms, every named entity (small
NER models tag conflict-zone villages as PERSON, ORG or PRODUCT) and every run of
capitalised words ("the town of Tal Rifaat", "Hajin, Susah and Baghuz"), each trimmed to
the name as news data annotate it: without "the", lower-case heads or direction words
("Sukkari" in "the Sukkari district", "Baghdad" in "western Baghdad"), with capitalised
ones ("Aleppo Governorate", "West Bank", "Tabqa Military Airport").

Features are generic: the dependency path from the trigger (labels, prepositions, clauses
and other verbs crossed), the preposition governing the name or the place noun it hangs
from ("the town of X", "X province", "north of X"), lists, word order and distance, how
many places lie nearer, the NER label, what the gazetteer knows of the name (feature
class, country or town, importance), nested places ("the Sukkari district of Aleppo",
"Mayadin, Syria"), the trigger's form (passive, negated, a verb of saying) and kind (a
killing, a capture, an ACLED sub-event type, from the project's word lists), the kind of word a
name hangs from ("the hospital in X") and pairs of these (the preposition with the trigger's
kind, the gazetteer's class with the path...). Feature names are dependency and NER labels, POS
tags, closed-class words and the names of the project's word lists only.
"""
from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass, field

from .. import lexicon
from ..gazetteer.demonyms import demonym_country
from ..geoparsing.metonymy import LOCATIVE_OBJECT_VERBS
from ..geoparsing.names import DIRECTIONS, PLACE_NOUNS

# Entity labels that never name a place.
_NUMERIC_LABELS = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "QUANTITY", "PERCENT", "MONEY"})
# Lower-case particles inside Arabic, Romance, Germanic... names: "Jabal al-Zawiya", "Foz do Iguacu".
_PARTICLES = lexicon.words("name_particles")
_HYPHENS = frozenset({"-", "‑", "–", "’", "'"})
# Weekdays and months, capitalised but never places.
_CALENDAR = frozenset(name.lower() for name in (*calendar.day_name, *calendar.month_name) if name)
# Compass words and the other words that qualify an area: "western Baghdad", "rural Damascus".
_DIRECTIONS = DIRECTIONS | lexicon.words("area_modifiers")
_PREPOSITIONS = lexicon.words("prepositions")
_PUNCTUATION = frozenset(', . ; : ( ) - "'.split())
# Words a feature may name as themselves: prepositions, determiners, conjunctions, punctuation,
# and the generic place and direction words above. Anything else is reduced to its POS tag.
_CLOSED = _PREPOSITIONS | _DIRECTIONS | PLACE_NOUNS | _PUNCTUATION | lexicon.words("function_words") | \
    lexicon.words("saying_words")
# Nouns a name hangs from while still naming the event's place: "the Hama province", "north of Raqqa".
_AREA_NOUNS = PLACE_NOUNS | _DIRECTIONS | lexicon.words("area_parts")
# Verbs of saying: their own place is seldom the place of what is reported.
SPEECH_VERBS = lexicon.words("speech_verbs")
# Saying and judging: a place inside what is said, alleged or charged is that event's place,
# never the trigger's ("He was convicted of plotting to bomb a match in Elbasan").
_FRAMING_VERBS = SPEECH_VERBS | lexicon.words("judging_verbs")
_CLAUSAL = frozenset({"ccomp", "xcomp", "pcomp", "advcl"})
# Words that may stand between two names of nested places: "Sfireh in eastern Aleppo",
# "the Baghdad neighborhood, Karrada", "Marjah of Helmand".
_CONNECTORS = _AREA_NOUNS | frozenset(
    "in near at of outside inside around on close to the a an , 's ’s - -- ( )".split())
_CLAUSE_LABELS = frozenset({"ccomp", "advcl", "relcl", "xcomp", "acl", "parataxis", "conj", "csubj", "pcomp"})


@dataclass(slots=True)
class Candidate:
    """A name that may be where the event happened: tokens ``start:end`` of the doc."""

    start: int
    end: int
    start_char: int
    end_char: int
    ner: str = ""  # label of the entity with exactly these bounds once trimmed, "" for none
    ner_part: str = ""  # label of an entity overlapping it with other bounds
    toponym: str = ""  # the geoparser's label when it recognised this name, "" otherwise
    toponym_part: bool = False  # the geoparser recognised an overlapping name
    metonymic: bool = False
    run: bool = False  # a whole run of capitalised words
    list_head: int = -1  # the token heading the list ("A, B and C") the name belongs to
    reported: bool = False  # where a reported, alleged or charged event happened, not the trigger's
    features: list[str] = field(default_factory=list, repr=False)
    score: float = 0.0

    @property
    def span(self) -> tuple[int, int]:
        return self.start_char, self.end_char


def _is_name_token(tok) -> bool:
    text = tok.text
    if not text[:1].isupper() or tok.lower_ in _CALENDAR:
        return False
    return not (tok.is_stop and tok.pos_ != "PROPN")


def _particle_start(doc, i: int, hi: int) -> bool:
    """ "al-Bab": a lower-case article joined by a hyphen to a capitalised word."""
    return doc[i].lower_ in _PARTICLES and i + 2 < hi and doc[i + 1].text in _HYPHENS and \
        not doc[i].whitespace_ and doc[i + 2].text[:1].isupper()


def name_runs(doc, lo: int = 0, hi: int | None = None) -> list[tuple[int, int]]:
    """Token ranges of runs of capitalised words, joined by hyphens, particles and "of"."""
    hi = len(doc) if hi is None else hi
    runs = []
    i = lo
    while i < hi:
        if not (_is_name_token(doc[i]) or _particle_start(doc, i, hi)):
            i += 1
            continue
        j = i + 1
        while j < hi:
            tok = doc[j]
            if _is_name_token(tok):
                j += 1
            elif tok.text in _HYPHENS and not tok.whitespace_ and not doc[j - 1].whitespace_ and \
                    j + 1 < hi and doc[j + 1].text[:1].isalpha():
                j += 2
            elif _particle_start(doc, j, hi):
                j += 1  # "Deir el-Balah": the hyphen and the name after it come next
            elif (tok.lower_ in _PARTICLES or tok.lower_ == "of") and j + 1 < hi and \
                    (_is_name_token(doc[j + 1]) or _particle_start(doc, j + 1, hi)):
                j += 1
            else:
                break
        runs.append((i, min(j, hi)))
        i = j
    return runs


def _trim(doc, start: int, end: int) -> tuple[int, int] | None:
    """The name inside tokens start:end, as annotated: no "the", lower-case heads or direction words."""
    while start < end and not (doc[start].text[:1].isupper() or _particle_start(doc, start, end)):
        start += 1
    while end > start and not (doc[end - 1].text[:1].isupper() or doc[end - 1].text[:1].isdigit()
                               and end - 1 > start):
        end -= 1
    return (start, end) if start < end else None


def find_candidates(doc, lo: int, hi: int, toponyms: Sequence = ()) -> list[Candidate]:
    """Candidate names among tokens ``lo:hi``: toponyms, named entities and capitalised runs, trimmed."""
    found: dict[tuple[int, int], Candidate] = {}

    def add(start: int, end: int) -> Candidate | None:
        bounds = _trim(doc, start, end)
        if bounds is None:
            return None
        s, e = bounds
        cand = found.get(bounds)
        if cand is None:
            cand = found[bounds] = Candidate(s, e, doc[s].idx, doc[e - 1].idx + len(doc[e - 1]))
        return cand

    lo_char = doc[lo].idx if lo < len(doc) else 0
    hi_char = doc[hi - 1].idx + len(doc[hi - 1]) if hi > 0 else 0
    tops = []
    for t in toponyms:
        if t.start >= lo_char and t.end <= hi_char:
            span = doc.char_span(t.start, t.end, alignment_mode="expand")
            if span is not None:
                tops.append((span.start, span.end, t))
                cand = add(span.start, span.end)
                if cand is not None:
                    cand.toponym = t.label
                    cand.metonymic = cand.metonymic or bool(getattr(t, "metonymic", False))
    ents = [ent for ent in doc.ents if ent.start >= lo and ent.end <= hi and ent.label_ not in _NUMERIC_LABELS]
    for ent in ents:
        cand = add(ent.start, ent.end)
        if cand is not None:
            cand.ner = ent.label_
    for s, e in name_runs(doc, lo, hi):
        cand = add(s, e)
        if cand is not None:
            cand.run = True
    cands = sorted(found.values(), key=lambda c: (c.start, c.end))
    for cand in cands:
        cand.list_head = _list_head(doc[cand.start:cand.end].root).i
        for ent in ents:
            if ent.start < cand.end and cand.start < ent.end and ent.label_ != cand.ner:
                cand.ner_part = cand.ner_part or ent.label_
        if not cand.toponym:
            for s, e, t in tops:
                if s < cand.end and cand.start < e:
                    cand.toponym_part = True
                    cand.metonymic = cand.metonymic or bool(getattr(t, "metonymic", False))
    _surface_lists(doc, cands)
    return cands


# Words that join the last member of a list: "Hajin, Susah and Baghuz".
_LIST_JOINS = frozenset({"and", "or"})


def _surface_lists(doc, cands: Sequence[Candidate]) -> None:
    """Give names joined only by commas and a last "and"/"or" (perhaps with a repeated preposition
    or a direction word) one ``list_head``, whatever the parse says: "in southern Kandahar and
    eastern Khost provinces", "in Hajin, Susah and in Baghuz". Feeds the list rule of
    ``EventPlaceModel.choose`` only; a list without "and"/"or" ("Mayadin, Syria") is no list."""
    outer = [c for c in cands if not any(o is not c and o.start <= c.start and c.end <= o.end for o in cands)]
    chain: list[Candidate] = []
    for cand in [*outer, None]:
        if chain and cand is not None:
            between = [t.lower_ for t in doc[chain[-1].end:cand.start] if not t.is_space]
            words = [w for w in between if w != "," and w not in _DIRECTIONS]
            if len(between) <= 4 and len(words) <= 2 and \
                    (not words or words[0] in _LIST_JOINS and all(w in _PREPOSITIONS for w in words[1:])):
                chain.append(cand)
                if not words:
                    continue  # a comma: the list may go on
                _merge_list(cands, chain)
                chain = []
                continue
        chain = [cand] if cand is not None else []


def _merge_list(cands: Sequence[Candidate], members: Sequence[Candidate]) -> None:
    heads = {c.list_head for c in members}
    first = min(heads)
    for c in cands:
        if c.list_head in heads:
            c.list_head = first


def _word(tok) -> str:
    """A closed-class word as itself, anything else as its coarse POS tag."""
    if tok is None:
        return "NONE"
    low = tok.lower_
    return low if low in _CLOSED else tok.pos_ or "X"


def _lower_words(*names: str) -> frozenset[str]:
    return frozenset(w.lower() for name in names for w in lexicon.words(name))


# Kinds of event word, from the project's own lists: annotators place a killing, a capture
# or a march by different habits, so the model learns each kind's use of places apart.
_KILL_WORDS = lexicon.words("kill_words")
_TAKING_VERBS = lexicon.words("taking_verbs")
_TRIGGER_TYPES = lexicon.mapping("trigger_types")
# Kinds of head word a name may hang from: "the hospital in X", "fighters from X", "civilians in X".
_HEAD_CLASSES = (
    ("institution", _lower_words("institution_heads", "building_heads")),
    ("place", _lower_words("place_heads", "street_heads")),
    ("force", _lower_words("military_nouns", "police_nouns", "group_heads")),
    ("people", _lower_words("civilian_nouns", "protester_nouns")),
    ("actor", _lower_words("actor_nouns")),
)


def _event_kind(tok) -> str | None:
    """What kind of event a word reports: kill, take, its ACLED sub-event type (lower case: feature
    names carry no capitalised word), or None."""
    lemma, low = tok.lemma_.lower(), tok.lower_
    if lemma in _KILL_WORDS or low in _KILL_WORDS:
        return "kill"
    if lemma in _TAKING_VERBS:
        return "take"
    kind = _TRIGGER_TYPES.get(lemma) or _TRIGGER_TYPES.get(low)
    return kind.lower() if kind else None


def _trigger_class(trigger) -> str:
    """The kind of event word: kill, take, an ACLED sub-event type, locative, or other."""
    kind = _event_kind(trigger)
    if kind:
        return kind
    return "locative" if trigger.lemma_.lower() in LOCATIVE_OBJECT_VERBS else "other"


def _head_class(tok) -> str:
    """A closed-class word as itself, else the kind of word from the lists above (any event
    word but a killing or a taking as "event"), else its POS tag."""
    low, lemma = tok.lower_, tok.lemma_.lower()
    if low in _CLOSED:
        return low
    for name, words in _HEAD_CLASSES:
        if low in words or lemma in words:
            return name
    kind = _event_kind(tok)
    if kind:
        return kind if kind in ("kill", "take") else "event"
    return tok.pos_


def _attachment_features(root, anchor) -> list[str]:
    """What kind of word a name hangs from ("the hospital in X": institution) and the prepositions it governs."""
    if anchor.dep_ == "pobj":
        out = [f"prep_attach={_word(anchor.head)}|{_head_class(anchor.head.head)}"]
    else:
        out = [f"dep={anchor.dep_}|hclass={_head_class(anchor.head)}"]
    out += [f"own_prep={_word(child)}" for child in root.children if child.dep_ == "prep"]
    return out


# Feature families whose pairs the model weighs together: a preposition means one thing for
# a town the gazetteer knows below the trigger, another for an unknown name in another clause.
_CONJOINED = ("gov_prep", "ner", "top", "gaz_code", "dep", "via", "up", "down", "side", "closer_places",
              "nearer_places", "trigger_pos", "n_places", "below_trigger", "in_list", "trigger_class")


def _conjunctions(features: Sequence[str], trig: Sequence[str]) -> list[str]:
    """Pairs of the first value of each family in ``_CONJOINED``, and the trigger's kind with the
    preposition governing the name, as features of their own."""
    first: dict[str, str] = {}
    for name in features:
        family = name.split("=", 1)[0]
        if family in _CONJOINED and family not in first and "|" not in name:
            first[family] = name
    values = [first[family] for family in _CONJOINED if family in first]
    out = [f"{a}&{b}" for k, a in enumerate(values) for b in values[k + 1:]]
    kind = next(t for t in trig if t.startswith("trigger_class="))
    prep = first.get("gov_prep", "gov_prep=none")
    out += [f"{kind}&{prep}", f"{kind}&{'below' if 'below_trigger' in first else 'notbelow'}"]
    if "trigger_passive" in trig:
        out.append(f"{kind}&passive&{prep}")
    return out


def _chain(tok) -> list:
    out = [tok]
    while tok.head.i != tok.i and len(out) < 60:
        tok = tok.head
        out.append(tok)
    return out


def _path(trigger, node) -> tuple[list[str], list[str], tuple[int, int]] | None:
    """The dependency path from the trigger to node: labels up to the common ancestor, labels down
    from it, and how many other verbs it passes on the way up and on the way down (other events'
    words: "convicted of plotting to bomb a match in Elbasan")."""
    up = _chain(trigger)
    down = _chain(node)
    where = {t.i: k for k, t in enumerate(up)}
    for k, t in enumerate(down):
        if t.i in where:
            top = where[t.i]
            ups = [_label(x) for x in up[:top]]
            downs = [_label(x) for x in reversed(down[:k])]
            verbs_up = sum(1 for x in up[1:top + 1] if x.pos_ == "VERB")
            verbs_down = sum(1 for x in down[1:k] if x.pos_ == "VERB")
            return ups, downs, (verbs_up, verbs_down)
    return None


def _label(tok) -> str:
    if tok.dep_ == "prep" or tok.dep_ == "agent":
        return f"{tok.dep_}:{_word(tok)}"
    return tok.dep_


def _list_head(tok):
    """The first member of a list a token belongs to ("Hajin, Susah and Baghuz" -> Hajin)."""
    while tok.dep_ == "conj" and tok.head.i != tok.i:
        tok = tok.head
    return tok


def _bucket(value: float, edges: Sequence[float]) -> int:
    for k, edge in enumerate(edges):
        if value <= edge:
            return k
    return len(edges)


class PlaceFacts:
    """What the gazetteer says of a name, cached: (feature class, feature code, importance, match) or None."""

    def __init__(self, gazetteer, size: int = 50_000):
        self.gazetteer = gazetteer
        self.cache: dict[str, tuple | None] = {}
        self.size = size

    def __call__(self, name: str):
        if name in self.cache:
            return self.cache[name]
        facts = None
        if self.gazetteer is not None:
            found = self.gazetteer.places(name, limit=1, fuzzy=False)
            if found:
                place = found[0]
                facts = (place.feature_class or "", place.feature_code or "", float(place.importance or 0.0),
                         place.match or "")
        if len(self.cache) >= self.size:
            self.cache.clear()
        self.cache[name] = facts
        return facts


def _anchor(tok) -> tuple:
    """The node that carries a name's role in the clause, and how it was reached.

    "the Hama province" -> province (compound); "the town of Tal Rifaat" -> town (of);
    "north of Kabul" -> north (of); a list member -> the list's first member.
    """
    steps = []
    node = _list_head(tok)
    for _ in range(4):
        head = node.head
        if head.i == node.i:
            break
        if node.dep_ in ("compound", "nmod", "amod", "npadvmod") and head.lower_ in _AREA_NOUNS:
            steps.append("compound")
        elif node.dep_ == "pobj" and head.lower_ == "of" and head.head.i != head.i and \
                head.head.lower_ in _AREA_NOUNS:
            steps.append("of")
            head = head.head
        else:
            break
        node = _list_head(head)
    return node, steps


def _trigger_features(trigger) -> list[str]:
    lemma = trigger.lemma_.lower()
    f = [f"trigger_pos={trigger.pos_}", f"trigger_tag={trigger.tag_}", f"trigger_dep={trigger.dep_}"]
    for child in trigger.children:
        if child.dep_ == "auxpass":
            f.append("trigger_passive")
        elif child.dep_ == "neg":
            f.append("trigger_negated")
        elif child.dep_ == "aux" and child.tag_ == "MD":
            f.append("trigger_modal")
        elif child.dep_ == "aux" and child.lemma_ == "have":
            f.append("trigger_perfect")
    if lemma in LOCATIVE_OBJECT_VERBS:
        f.append("trigger_locative_object")
    if lemma in SPEECH_VERBS:
        f.append("trigger_speech")
    f.append(f"trigger_class={_trigger_class(trigger)}")
    return f


def _placey(cand: Candidate, place) -> bool:
    """Whether a candidate looks like a place at all (before asking whether it is the event's)."""
    return place is not None or cand.ner in ("GPE", "LOC", "FAC") or bool(cand.toponym)


def sentence_features(doc, trigger, cands: Sequence[Candidate], facts, lo: int = 0,
                      hi: int | None = None) -> tuple[list[str], list[list[str]]]:
    """Features of "the sentence does not say where" and of every candidate, for one trigger token.

    ``lo:hi`` are the sentence's tokens (default: from ``lo`` to the end of the doc).
    Returns (none_features, [candidate features]).
    """
    hi = len(doc) if hi is None else hi
    triggers = [trigger]
    if trigger.dep_ == "conj" and trigger.head.pos_ in ("VERB", "AUX"):
        triggers.append(_list_head(trigger))  # "shot and killed": the places attach to "shot"
    trig = _trigger_features(trigger)
    places = [facts(doc[c.start:c.end].text) for c in cands]
    placey = [_placey(c, p) for c, p in zip(cands, places)]
    anchors = [_anchor(doc[c.start:c.end].root) for c in cands]
    paths = []
    for anchor, _ in anchors:
        options = [p for p in (_path(t, anchor) for t in triggers) if p is not None]
        paths.append(min(options, key=lambda p: len(p[0]) + len(p[1])) if options else None)
    lengths = [99 if p is None else len(p[0]) + len(p[1]) for p in paths]
    if trigger.lemma_.lower() in _FRAMING_VERBS:
        for cand, path in zip(cands, paths):
            cand.reported = path is not None and not path[0] and \
                any(label.split(":")[0] in _CLAUSAL for label in path[1])
    groups = overlap_groups(cands)
    n_placey = len([g for g in groups if any(placey[cands.index(c)] for c in g)])
    n_places = f"n_places={min(n_placey, 4)}"
    importance = [(p[2] if p is not None else 0.0) for p in places]
    links = _links(doc, cands, anchors)
    ranked = sorted({round(importance[k], 3) for k in range(len(cands)) if placey[k]})
    out = []
    for k, cand in enumerate(cands):
        f = _candidate_features(doc, trigger, cand, cands, places[k], anchors[k], paths[k], anchors)
        for j, relation in links[k]:
            if not placey[j]:
                continue
            f.append(f"link={relation}")
            bigger = "bigger" if importance[k] > importance[j] else "smaller" if importance[k] < importance[j] \
                else "same"
            f.append(f"link={relation}|{bigger}")
        if placey[k] and len(ranked) > 1:
            f.append("importance=" + ("top" if round(importance[k], 3) == ranked[-1] else
                                      "bottom" if round(importance[k], 3) == ranked[0] else "middle"))
        if n_placey == 1 and placey[k]:
            f.append("only_place")
        if placey[k]:
            nearer = sum(1 for j, other in enumerate(cands) if placey[j] and not _overlaps(cand, other) and
                         _gap(other, trigger) < _gap(cand, trigger))
            f.append(f"nearer_places={min(nearer, 2)}")
        closer = sum(1 for j, other in enumerate(cands) if placey[j] and lengths[j] < lengths[k] and
                     not (other.start < cand.end and cand.start < other.end))
        f.append(f"closer_places={min(closer, 3)}")
        f.append(n_places)
        if cand.start == lo:
            f.append("sent_start")
        f += trig
        if paths[k] is not None and lengths[k] <= 3:
            key = ">".join(paths[k][0]) + "|" + ">".join(paths[k][1])
            f += [f"path={key}|{t}" for t in trig if t in ("trigger_locative_object", "trigger_passive",
                                                          "trigger_speech")]
        f += _attachment_features(doc[cand.start:cand.end].root, anchors[k][0])
        f += _conjunctions(f, trig)
        out.append(f)
    none = ["NONE", "NONE|" + n_places] + ["NONE|" + t for t in trig]
    n_tokens = hi - lo
    none.append(f"NONE|length={_bucket(n_tokens, (10, 20, 30, 45))}")
    none.append(f"NONE|trigger_at={_bucket((trigger.i - lo) / max(n_tokens, 1), (0.2, 0.4, 0.6, 0.8))}")
    for child in trigger.children:
        if child.dep_ == "prep":
            objects = [o for o in child.children if o.dep_ == "pobj"]
            named = any(c.start <= o.i < c.end for o in objects for c in cands)
            none.append(f"NONE|trigger_prep={_word(child)}|{'named' if named else 'common'}")
    if not cands:
        none.append("NONE|no_candidates")
    return none, out


def _links(doc, cands: Sequence[Candidate], anchors) -> list[list[tuple[int, str]]]:
    """For each candidate, the (other candidate, relation) pairs that tie it to another name.

    Relations, from the candidate's side: "in" (it is the object of a preposition attached
    to the other, so the other lies inside it: "Mosul" in "Jumhuri Hospital in Mosul"),
    "holds" (the converse, the hospital's side), "anchor_of"/"anchor_compound" (both hang
    from one place noun: "the Damascus suburb of Douma"), "after_comma"/"before_comma"
    ("Mayadin, Syria"), "surface_before_X"/"surface_after_X" (only a preposition X, commas
    and place words between them: "Sfireh in eastern Aleppo", whatever the parse says).
    """
    out: list[list[tuple[int, str]]] = [[] for _ in cands]
    owner = {}
    for k, c in enumerate(cands):
        for i in range(c.start, c.end):
            owner.setdefault(i, []).append(k)
    for k, c in enumerate(cands):
        anchor, steps = anchors[k]
        if anchor.dep_ == "pobj":
            for j in owner.get(anchor.head.head.i, []):
                if j != k and not _overlaps(c, cands[j]):
                    out[k].append((j, "in"))
                    out[j].append((k, "holds"))
        if steps:
            for j, (other, other_steps) in enumerate(anchors):
                if j != k and other.i == anchor.i and not _overlaps(c, cands[j]):
                    out[k].append((j, f"anchor_{steps[-1]}"))
        for j in range(k + 1, len(cands)):
            other = cands[j]
            if other.start < c.end or other.start - c.end > 6:
                continue
            between = [t.lower_ for t in doc[c.end:other.start]]
            if all(w in _CONNECTORS for w in between):
                kind = next((w for w in between if w in _PREPOSITIONS), "comma" if "," in between else "next")
                out[k].append((j, f"surface_before_{kind}"))
                out[j].append((k, f"surface_after_{kind}"))
        if c.start >= 2 and doc[c.start - 1].text == ",":
            for j in owner.get(c.start - 2, []):
                if j != k and not _overlaps(c, cands[j]):
                    out[k].append((j, "after_comma"))
                    out[j].append((k, "before_comma"))
    return out


def _gap(cand: Candidate, token) -> int:
    """Tokens between a candidate and a token (0 when it contains it)."""
    return max(cand.start - token.i, token.i - cand.end + 1, 0)


def _overlaps(a: Candidate, b: Candidate) -> bool:
    return a.start < b.end and b.start < a.end


def _candidate_features(doc, trigger, cand: Candidate, cands: Sequence[Candidate], place, anchor_steps, path,
                        anchors) -> list[str]:
    f = []
    span = doc[cand.start:cand.end]
    root = span.root
    text = span.text
    n = len(span)
    anchor, steps = anchor_steps
    # -- what kind of name
    f.append(f"ner={cand.ner or 'none'}")
    if cand.ner_part:
        f.append(f"ner_part={cand.ner_part}")
    f.append(f"top={cand.toponym or ('part' if cand.toponym_part else 'none')}")
    if cand.metonymic:
        f.append("metonymic")
    if cand.run:
        f.append("run")
    f.append(f"ntok={min(n, 5)}")
    if text.isupper() and len(text) > 1:
        f.append("allcaps")
    if any(t.lower_ == "of" for t in span):
        f.append("has_of")
    if any(t.text in _HYPHENS for t in span):
        f.append("has_hyphen")
    if span[0].lower_ in _DIRECTIONS:
        f.append("starts_direction")
    if span[-1].lower_ in PLACE_NOUNS and n > 1:
        f.append("ends_place_noun")
        f.append(f"ends_place_noun={span[-1].lower_}")
    f.append(f"root_pos={root.pos_}")
    if demonym_country(text):
        f.append("demonym")
    if place is None:
        f.append("gaz=none")
    else:
        fclass, fcode, importance, match = place
        f.append(f"gaz_fc={fclass}")
        code = "PCL" if fcode.startswith("PCL") else fcode if fcode in (
            "ADM1", "ADM2", "ADM3", "PPLC", "PPLA", "PPLA2", "PPL", "CONT", "RGN", "ISL", "STRM") else "other"
        f.append(f"gaz_code={code}")
        f.append(f"gaz_imp={_bucket(importance, (0.1, 0.2, 0.35, 0.5, 0.7, 0.85))}")
        f.append(f"gaz_match={match}")
        f.append(f"gaz_code={code}|ner={cand.ner or 'none'}")
    # -- words around it
    before = doc[cand.start - 1] if cand.start > 0 else None
    before2 = doc[cand.start - 2] if cand.start > 1 else None
    after = doc[cand.end] if cand.end < len(doc) else None
    after2 = doc[cand.end + 1] if cand.end + 1 < len(doc) else None
    w1, w2, a1, a2 = _word(before), _word(before2), _word(after), _word(after2)
    f += [f"prev1={w1}", f"prev2={w2}|{w1}", f"next1={a1}", f"next2={a1}|{a2}"]
    if w1 == "of" and before2 is not None and before2.lower_ in PLACE_NOUNS:
        f.append("cue=noun_of")
    if after is not None and after.lower_ in PLACE_NOUNS:
        f.append("cue=noun_after")
    if w1 in _DIRECTIONS:
        f.append("cue=direction_before")
    # -- its place in the sentence
    head = _list_head(root)
    members = sum(1 for c in cands if _list_head(doc[c.start:c.end].root).i == head.i)
    if head.i != root.i or any(c.dep_ == "conj" for c in root.children):
        f.append("in_list")
        f.append(f"list_size={min(members, 4)}")
    f.append(f"via={'>'.join(steps) or 'self'}")
    if steps:
        f.append(f"via_noun={_word(anchor)}")
        sharing = [k for k, (a, _) in enumerate(anchors) if a.i == anchor.i and cands[k] is not cand and
                   not (cands[k].start < cand.end and cand.start < cands[k].end)]
        if sharing:
            f.append(f"shares_anchor|via={'>'.join(steps)}")
    f.append(f"dep={anchor.dep_}")
    f.append(f"dep={anchor.dep_}|head={_word(anchor.head)}")
    if root.dep_ != anchor.dep_:
        f.append(f"name_dep={root.dep_}")
    prep = anchor.head if anchor.dep_ == "pobj" else None
    if prep is not None:
        f.append(f"gov_prep={_word(prep)}")
        f.append(f"gov_prep={_word(prep)}|attach={prep.head.pos_}")
        if prep.head.i == trigger.i:
            f.append(f"gov_prep={_word(prep)}|on_trigger")
        owner = next((c for c in cands if c is not cand and c.start <= prep.head.i < c.end), None)
        if owner is not None:
            f.append("prep_of_other_candidate")
            f.append(f"prep_of_other_candidate|{_word(prep)}")
    if anchor.dep_ in ("compound", "amod", "poss", "nmod"):
        f.append(f"modifier|{anchor.head.pos_}")
    # "Mayadin, Syria": a name after a comma that follows another candidate
    other_before = next((c for c in cands if c.end == cand.start - 1), None)
    if other_before is not None and before is not None and before.text == ",":
        f.append("after_comma_candidate")
        if place is not None:
            f.append(f"after_comma_candidate|gaz_code={'PCL' if place[1].startswith('PCL') else place[1][:4]}")
        if root.dep_ != "conj":
            f.append("after_comma_candidate|not_list")
    if any(c.start == cand.end + 1 for c in cands) and after is not None and after.text == ",":
        f.append("before_comma_candidate")
    # -- relation to the trigger
    where = "inside" if cand.start <= trigger.i < cand.end else "before" if cand.end <= trigger.i else "after"
    f.append(f"side={where}")
    distance = cand.start - trigger.i if where == "after" else trigger.i - cand.end + 1
    f.append(f"dist={_bucket(max(distance, 0), (1, 2, 3, 5, 8, 12, 20))}")
    f.append(f"side={where}|dist={_bucket(max(distance, 0), (2, 5, 10))}")
    if path is None:
        f.append("path=none")
    else:
        ups, downs, (verbs_up, verbs_down) = path
        f.append(f"verbs_on_path={min(verbs_up, 2)}|{min(verbs_down, 2)}")
        f.append(f"up={min(len(ups), 4)}")
        f.append(f"down={min(len(downs), 5)}")
        f.append("up=" + ">".join(ups[:3]))
        f.append("down=" + ">".join(downs[-3:]))
        f.append("down_from=" + ">".join(downs[:2]))
        if len(ups) + len(downs) <= 5:
            f.append("path=" + ">".join(ups) + "|" + ">".join(downs))
        for label in set(ups):
            if label in _CLAUSE_LABELS:
                f.append(f"up_crosses={label}")
        for label in set(downs):
            if label in _CLAUSE_LABELS:
                f.append(f"down_crosses={label}")
        if not ups:
            f.append("below_trigger")
            if prep is not None:
                f.append(f"below_trigger|gov_prep={_word(prep)}")
        if prep is not None:
            f.append(f"gov_prep={_word(prep)}|up={min(len(ups), 3)}")
    return f


def overlap_groups(cands: Sequence[Candidate]) -> list[list[Candidate]]:
    """Candidates (sorted by start) grouped into runs of overlapping spans."""
    groups: list[list[Candidate]] = []
    end = -1
    for c in sorted(cands, key=lambda c: (c.start, c.end)):
        if groups and c.start < end:
            groups[-1].append(c)
            end = max(end, c.end)
        else:
            groups.append([c])
            end = c.end
    return groups
