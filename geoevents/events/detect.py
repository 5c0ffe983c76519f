"""What kind of event a sentence reports: trigger words classified into ACLED's event taxonomy.

A trigger is a word that reports an event ("struck", "clashes", "recaptured", "protest").
Its ACLED sub-event type comes from the word and its sentence: "strikes" with aircraft
around it is an air strike, with artillery a shelling; "captured" a town is territory,
"captured" a man an abduction or an arrest; "killed" is a strike, a clash or an attack on
civilians depending on what else the sentence says. Events that are only planned,
threatened, denied, conditional or in the future ("plotting to bomb", "will not stop
targeting", "if we know ... they are ripe for strikes") are no events.
"""
from __future__ import annotations

from dataclasses import dataclass

from .. import lexicon
from .record import EVENT_TYPE_OF

AIR, SHELLING, IED, SUICIDE, GRENADE, CHEMICAL = (
    "Air/drone strike", "Shelling/artillery/missile attack", "Remote explosive/landmine/IED", "Suicide bomb",
    "Grenade", "Chemical weapon")
CLASH, GOV_REGAINS, NONSTATE_TAKES = (
    "Armed clash", "Government regains territory", "Non-state actor overtakes territory")
ATTACK, SEXUAL, ABDUCTION = "Attack", "Sexual violence", "Abduction/forced disappearance"
PEACEFUL, INTERVENTION, EXCESSIVE = (
    "Peaceful protest", "Protest with intervention", "Excessive force against protesters")
VIOLENT_DEMO, MOB = "Violent demonstration", "Mob violence"
AGREEMENT, ARRESTS, CHANGE, DISRUPTED, HQ, LOOTING, TRANSFER = (
    "Agreement", "Arrests", "Change to group/activity", "Disrupted weapons use", "Headquarters or base established",
    "Looting/property destruction", "Non-violent transfer of territory")

# Words around a trigger that say how the violence was done.
AIR_WORDS = lexicon.words("air_words")
SHELLING_WORDS = lexicon.words("shelling_words")
EXPLOSIVE_WORDS = lexicon.words("explosive_words")
CIVILIAN_WORDS = lexicon.words("civilian_words")
ARMED_WORDS = lexicon.words("armed_words")
TERRITORY_WORDS = lexicon.words("territory_words")

# What a word reports when nothing else in the sentence narrows it.
_FIXED = lexicon.mapping("trigger_types")
# Words whose type depends on the sentence (resolved in _context_type).
_CONTEXTUAL = lexicon.words("contextual_triggers")
# Generic words absorbed by a more specific trigger in the same sentence ("strikes ... killed 12").
GENERIC_TYPES_OF = lexicon.words("generic_triggers")

_EXPLODED_WORDS = lexicon.words("exploded_words")
_ASPECT_VERBS = lexicon.words("aspect_verbs")
_MODALS = lexicon.words("modal_words")
_NEGATIONS = lexicon.words("negations")
# Heads under which an event is not (yet) real: "plotting to bomb", "vowed to retake", "ripe for strikes".
IRREALIS_HEADS = lexicon.words("irrealis_heads")


@dataclass(frozen=True, slots=True)
class Trigger:
    """A word reporting an event: its token index in the doc, ACLED sub-event type and whether it is generic."""

    index: int
    sub_event_type: str
    generic: bool = False

    @property
    def event_type(self) -> str:
        return EVENT_TYPE_OF[self.sub_event_type]


def find_triggers(sent, article_words: set[str] | frozenset[str] = frozenset()) -> list[Trigger]:
    """The event triggers of a sentence (a spaCy Span), realis only, one per word, in order.

    ``article_words`` (lower-case words of the whole article) lets "the raids" in a story about
    air strikes be air strikes too.
    """
    words = {t.lower_ for t in sent}
    if article_words & AIR_WORDS and words & {"raid", "raids", "strike", "strikes"}:
        words = words | {"air"}
    parsed = sent.doc.has_annotation("DEP")
    if _hypothetical(sent, parsed):
        return []
    found = []
    for tok in sent:
        if not tok.is_alpha and "-" not in tok.text:
            continue
        kind = _classify(tok, words)
        if kind is None:
            continue
        if _irrealis(tok, parsed):
            continue
        generic = _lemma(tok) in GENERIC_TYPES_OF or tok.lower_ in GENERIC_TYPES_OF
        if _lemma(tok) == "siege" and parsed and _lemma(tok.head) in ("break", "lift", "end"):
            # "broke the siege of Deir ez-Zor": the besieged side regained ground; the verb carries the actors
            found.append(Trigger(tok.head.i, GOV_REGAINS, False))
            continue
        if generic and tok.tag_ == "VBG" and tok.dep_ == "acl":
            continue  # "the coalition fighting ISIS": a description, not a report
        if kind == IED and tok.pos_ == "NOUN" and not words & _EXPLODED_WORDS:
            continue  # "building IEDs", "a bomb factory": no explosion reported
        found.append(Trigger(tok.i, kind, generic))
    return found


# Past forms the small model's lemmatizer leaves alone.
_IRREGULAR = lexicon.mapping("irregular_past")


def _lemma(tok) -> str:
    if tok.lower_ in _IRREGULAR:
        return _IRREGULAR[tok.lower_]
    lemma = tok.lemma_.lower() if tok.lemma_ else tok.lower_
    return lemma or tok.lower_


def _classify(tok, words: set[str]) -> str | None:
    lemma, word = _lemma(tok), tok.lower_
    pos = tok.pos_
    if pos in ("PROPN", "ADP", "DET", "PRON", "NUM") or tok.text[:1].isupper() and tok.i != tok.sent.start and \
            pos not in ("VERB", "NOUN", ""):
        return None
    prev = tok.nbor(-1).lower_ if tok.i > 0 else ""
    nxt = tok.nbor(1).lower_ if tok.i + 1 < len(tok.doc) else ""
    if word in _FIXED or lemma in _FIXED:
        kind = _FIXED.get(word) or _FIXED[lemma]
        return _refine_fixed(kind, tok, lemma, prev, nxt, words)
    if lemma in _CONTEXTUAL or word in _CONTEXTUAL:
        return _context_type(tok, lemma, word, prev, nxt, words)
    return None


def _refine_fixed(kind: str, tok, lemma: str, prev: str, nxt: str, words: set[str]) -> str | None:
    if kind == SHELLING and lemma == "shell" and tok.pos_ == "NOUN" and not words & {"fired", "hit", "landed", "fell"}:
        return None  # "a shell company", "shells" alone
    if kind in (PEACEFUL,):
        if lemma == "rally" and tok.pos_ == "VERB" and nxt in ("behind", "around", "support"):
            return None
        return _protest_type(words)
    if kind == ARRESTS and lemma == "detain" and words & {"kidnapped", "abducted"}:
        return ABDUCTION
    if kind == LOOTING and lemma == "torch" and words & {"protesters", "rioters", "demonstrators", "mob"}:
        return VIOLENT_DEMO
    if kind == TRANSFER and not words & TERRITORY_WORDS:
        return None  # "withdrew his candidacy"
    if kind == CLASH and lemma in ("storm",) and tok.pos_ != "VERB":
        return None  # a storm is weather
    if kind == CLASH and lemma == "offensive" and tok.pos_ == "ADJ":
        return None
    if kind in (AGREEMENT,) and words & {"violated", "violation", "violations", "breach"}:
        return None  # a violated ceasefire is reported with the violence itself
    return kind


def _context_type(tok, lemma: str, word: str, prev: str, nxt: str, words: set[str]) -> str | None:
    air = bool(words & AIR_WORDS)
    shelling = bool(words & SHELLING_WORDS)
    explosive = bool(words & EXPLOSIVE_WORDS)
    suicide = "suicide" in words
    if lemma == "chemical":
        return CHEMICAL if nxt in ("attack", "attacks", "weapon", "weapons", "strike", "strikes", "agent") else None
    if lemma == "suicide":
        return SUICIDE if nxt in ("bomber", "bombers", "bombing", "bombings", "attack", "attacks", "car", "vest",
                                  "blast", "attacker", "attackers", "truck") else None
    if lemma in ("missile", "rocket", "mortar", "artillery"):
        if tok.pos_ != "NOUN" or not words & {"fired", "hit", "struck", "landed", "attack", "attacks", "barrage",
                                                 "launched", "fire", "shelled", "killed", "strikes", "strike"}:
            return None
        if nxt in ("strike", "strikes", "attack", "attacks", "fire", "barrage", "shells", "rounds", "shelling") or \
                prev in ("fired", "launched"):
            return SHELLING
        return None  # the type word itself is context; the verb nearby is the trigger
    if lemma in ("strike", "raid"):
        if lemma == "strike" and (prev in ("hunger", "general", "labour", "labor", "workers") or nxt == "action"):
            return PEACEFUL
        if lemma == "strike" and tok.pos_ == "VERB" and not (air or shelling or explosive or words & ARMED_WORDS):
            return None  # "an earthquake struck", "a deal struck"
        if prev in ("drone", "air", "aerial", "coalition") or air:
            return AIR
        if shelling:
            return SHELLING
        if lemma == "raid":
            return CLASH if tok.pos_ in ("NOUN", "VERB") and words & ARMED_WORDS else None
        return AIR
    if lemma in ("bomb", "bombing"):
        if suicide:
            return SUICIDE
        if air and not words & {"roadside", "car", "planted", "detonated", "device", "ied"}:
            return AIR
        if prev == "barrel":
            return AIR
        return IED if lemma == "bomb" and tok.pos_ == "NOUN" or lemma == "bombing" else (AIR if air else None)
    if lemma in ("blast", "explosion", "explode", "detonate"):
        if suicide:
            return SUICIDE
        if words & {"grenade", "grenades"}:
            return GRENADE
        if air:
            return None  # the air strike's own trigger carries it
        return IED
    if lemma in ("capture", "seize", "overrun", "take", "fall"):
        return _territory_or_capture(tok, lemma, nxt, words)
    if lemma in ("agreement", "deal", "accord", "sign"):
        if words & {"ceasefire", "truce", "peace", "cease-fire", "evacuation", "surrender", "reconciliation"}:
            return AGREEMENT
        return None
    if lemma == "establish":
        return HQ if words & {"base", "bases", "headquarters", "outpost", "camp"} else None
    if lemma in ("destroy", "burn"):
        return LOOTING if words & {"homes", "houses", "shops", "property", "properties", "crops", "churches",
                                   "mosques"} and not (air or shelling) else None
    if lemma in ("kill", "attack", "shoot", "fire", "fight", "operation", "advance", "push"):
        return _violence_type(tok, lemma, word, nxt, words, air, shelling, explosive, suicide)
    return None


def _territory_or_capture(tok, lemma: str, nxt: str, words: set[str]) -> str | None:
    """ "captured the town" is territory; "captured two fighters" is an abduction or arrest."""
    if lemma == "take" and not (nxt in ("control", "over") or nxt in ("full", "total", "complete") and
                                tok.i + 2 < len(tok.doc) and tok.doc[tok.i + 2].lower_ == "control"):
        return None
    if lemma == "fall" and nxt not in ("to", "into"):
        return None
    objects = _object_words(tok)
    if objects & {"weapons", "weapon", "arms", "ammunition", "explosives", "drugs", "cache", "cargo"}:
        return DISRUPTED
    place_object = bool(objects & TERRITORY_WORDS) or _object_is_place(tok)
    if lemma in ("take", "fall", "overrun") or place_object:
        return NONSTATE_TAKES  # who took it decides (events.py turns it to GOV_REGAINS for state forces)
    if objects & (CIVILIAN_WORDS | ARMED_WORDS):
        return ABDUCTION
    return None


def _object_words(tok) -> set[str]:
    if not tok.doc.has_annotation("DEP"):
        return {t.lower_ for t in tok.doc[tok.i + 1:tok.i + 5]}
    out = set()
    for child in tok.children:
        if child.dep_ in ("dobj", "nsubjpass", "attr", "pobj", "prep", "obj"):
            out.update(t.lower_ for t in child.subtree)
    if tok.dep_ in ("amod", "acl", "relcl"):
        out.add(tok.head.lower_)
    return out


def _object_is_place(tok) -> bool:
    doc = tok.doc
    for child in tok.children if doc.has_annotation("DEP") else ():
        if child.dep_ in ("dobj", "nsubjpass") and child.ent_type_ in ("GPE", "LOC", "FAC"):
            return True
    if tok.dep_ == "ROOT" or not doc.has_annotation("DEP"):
        return any(t.ent_type_ in ("GPE", "LOC", "FAC") for t in doc[tok.i + 1:tok.i + 4])
    return False


def _violence_type(tok, lemma, word, nxt, words, air, shelling, explosive, suicide) -> str | None:
    if lemma == "fire" and not (tok.pos_ == "VERB" or word == "fire" and tok.i > 0 and tok.nbor(-1).lower_ == "open"
                                or tok.i > 0 and tok.nbor(-1).lower_ in ("opened", "opening", "exchanged", "heavy",
                                                                          "gunfire")):
        return None  # "a fire broke out"
    if lemma in ("operation", "advance", "push"):
        if not words & ARMED_WORDS and not words & {"military", "offensive", "coalition", "isis", "isil", "daesh",
                                                    "sdf", "army"}:
            return None
        return CLASH if lemma != "push" or nxt in ("into", "toward", "towards") else None
    if suicide:
        return SUICIDE
    if air:
        return AIR
    if shelling:
        return SHELLING
    if explosive:
        return IED
    victims = _object_words(tok) | _passive_subject_words(tok)
    if words & {"protesters", "demonstrators", "protestors"} and lemma in ("kill", "shoot", "fire"):
        return _protest_type(words)  # tear gas is an intervention, live fire excessive force
    if victims & ARMED_WORDS or lemma == "fight":
        return CLASH
    if victims & CIVILIAN_WORDS:
        return ATTACK
    if lemma == "attack" and words & ARMED_WORDS:
        return CLASH
    return ATTACK


def _passive_subject_words(tok) -> set[str]:
    if not tok.doc.has_annotation("DEP"):
        return {t.lower_ for t in tok.doc[max(0, tok.i - 5):tok.i]}
    return {t.lower_ for child in tok.children if child.dep_ in ("nsubjpass", "nsubj") for t in child.subtree}


def _protest_type(words: set[str]) -> str:
    if words & {"killed", "shot", "live", "ammunition"} and words & {"protesters", "demonstrators", "protestors",
                                                                     "protest", "protests"}:
        return EXCESSIVE
    if words & {"tear", "dispersed", "disperse", "cannon", "cannons", "rubber", "batons", "arrested"}:
        return INTERVENTION
    if words & {"rioters", "torched", "stones", "rocks", "smashed", "looted", "violent"}:
        return VIOLENT_DEMO
    return PEACEFUL


def reported_as_fact(sent, index: int) -> bool:
    """Whether the word at ``index`` of a sentence tells of something that happened: not in a
    question or an "if" clause, not planned, threatened, negated or future (``_irrealis``)."""
    parsed = sent.doc.has_annotation("DEP")
    return not _hypothetical(sent, parsed) and not _irrealis(sent.doc[index], parsed)


def event_clauses(sent, places: list[tuple[int, int]], triggers: list[Trigger] = ()) -> list:
    """The parts of a sentence (spaCy Spans) that each report events at places of their own.

    Headlines and summaries join reports from different places in one sentence: "Clashes in
    the Eastern Ghouta and strikes on the Idlib countryside" tells of two events, one at each
    place, as a coder would code them. A sentence splits where a conjunction joins its main
    clause to another clause or phrase ("conj" of the root), and only between parts that each
    name a place (``places``: character spans in the doc): "shelled and stormed the town" shares
    one place and stays one report. Where the parse joined two such reports as one noun phrase
    ("Explosion in Idlib and clashes in Deir Ezzor city"), it also splits after a conjunction or
    comma with an event word (``triggers``) and a place on each side, the event word opening
    the right side as a new report begins ("struck Abu Kamal and Mayadin, killing 12" and
    "leaders and fighters have moved since operations in Raqqa began" stay whole).
    Questions and conditionals stay whole, so that their conditions cover every part.
    """
    doc = sent.doc
    if not doc.has_annotation("DEP") or _hypothetical(sent, True):
        return [sent]
    root, heads, pending = sent.root, [], [sent.root]
    while pending:
        for child in pending.pop().children:
            if child.dep_ == "conj" and sent.start <= child.i < sent.end:
                heads.append(child)
                pending.append(child)
    # A clause begins after a conjunction or comma, and after the main clause's word.
    cuts = sorted(tok.i + 1 for tok in sent[:-1] if _joins(tok))
    parse_cuts = {cut for cut in map(_clause_start, heads) if cut > root.i} & set(cuts)
    events = sorted(t.index for t in triggers)

    def place_at(a: int, b: int) -> int | None:
        """The token index of the first place named in tokens a..b, None when none is."""
        lo, hi = doc[a].idx, doc[b - 1].idx + len(doc[b - 1])
        first = min((start for start, end in places if lo <= start and end <= hi), default=None)
        return None if first is None else doc.char_span(first, first + 1, alignment_mode="expand").start

    def event_at(a: int, b: int) -> int | None:
        return next((i for i in events if a <= i < b), None)

    bounds, kept, start = [*cuts, sent.end], [], sent.start
    for k, cut in enumerate(cuts):
        if cut in parse_cuts:
            end = min((c for c in parse_cuts if c > cut), default=sent.end)
            split = place_at(start, cut) is not None and place_at(cut, end) is not None
        else:
            end = bounds[k + 1]
            left_place, right_place = place_at(start, cut), place_at(cut, end)
            left_event, right_event = event_at(start, cut), event_at(cut, end)
            split = None not in (left_place, right_place, left_event, right_event) and right_event < right_place \
                and not any(_predicate(tok) for tok in doc[cut:right_event])
        if split:
            kept.append(doc[start:cut])
            start = cut
    return [*kept, doc[start:sent.end]] if kept else [sent]


def _predicate(tok) -> bool:
    """A verb that heads a clause, not one describing a noun ("renewed air raids")."""
    return tok.pos_ in ("VERB", "AUX") and tok.dep_ not in ("amod", "compound")


def _joins(tok) -> bool:
    """A conjunction or a comma or semicolon: where a joined clause may begin after it."""
    return tok.dep_ == "cc" or tok.text in (",", ";")


def _clause_start(head) -> int:
    """Where the clause of a conjoined head begins: its leftmost word, or earlier, just after the
    conjunction or comma before it when the parse hung the clause's subject elsewhere ("and
    air raids on Saraqib killed five" with "raids" joined to an earlier noun)."""
    start = head.left_edge.i
    for tok in reversed(head.doc[head.sent.start:head.i]):
        if _joins(tok):
            return min(start, tok.i + 1)
        if _predicate(tok):
            return start  # another clause lies between: the conjunction before it is not this clause's
    return start


def _hypothetical(sent, parsed: bool) -> bool:
    return sent.text.rstrip().endswith("?") or (parsed and _conditional(sent))


def _conditional(sent) -> bool:
    """ "If we know ..., they are ripe for strikes": a main clause under an "if" is hypothetical."""
    root = sent.root
    return any(child.dep_ == "advcl" and any(g.dep_ == "mark" and g.lower_ in ("if", "unless") for g in child.children)
               for child in root.children)


def _irrealis(tok, parsed: bool) -> bool:
    """Planned, threatened, negated, future or hypothetical: "plotting to bomb", "will not stop targeting"."""
    if not parsed:
        window = {t.lower_ for t in tok.doc[max(0, tok.i - 3):tok.i]}
        return bool(window & (_MODALS | _NEGATIONS | {"to", "plot", "plan", "plotting", "planning"}))
    node = tok
    for _ in range(6):
        if any(c.dep_ in ("aux", "auxpass", "neg") and (c.lower_ in _MODALS or c.lower_ in _NEGATIONS)
               for c in node.children):
            return True
        if node.i != tok.i and (_lemma(node) in IRREALIS_HEADS or node.lower_ in IRREALIS_HEADS):
            return True
        if node.tag_ == "VB" and any(c.dep_ == "aux" and c.lower_ == "to" for c in node.children) and \
                _lemma(node.head) not in _ASPECT_VERBS:
            return True  # "to liberate Raqqa": a purpose, not a report ("continues to be" is still real)
        if node.dep_ == "ROOT" or node.head.i == node.i:
            break
        if node.dep_ in ("conj", "appos") and node.i == tok.i:
            node = node.head
            continue
        if node.dep_ not in ("xcomp", "ccomp", "pcomp", "pobj", "dobj", "prep", "nsubj", "nsubjpass", "acl", "advcl",
                             "compound", "amod", "attr", "acomp", "conj", "relcl"):
            break
        node = node.head
    return False
