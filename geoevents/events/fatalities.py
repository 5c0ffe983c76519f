"""How many people an event killed, as ACLED counts: the lowest figure reported, vague words as fixed numbers.

"killed 12 members", "at least 22 fighters were killed", "the death toll rose to thirty",
"dozens of civilians died". Wounded and injured are not fatalities; a year, an age or a
distance is not a count, nor is a denied one ("no one was killed"). Where sources differ
("8 killed according to the army, 5 according to medics") the lowest figure counts.
0 means no fatality is reported.
"""
from __future__ import annotations

import re

from .. import lexicon

_UNITS = {word: int(value) for word, value in lexicon.rows("number_words") if int(value) < 20}
_TENS = {word: int(value) for word, value in lexicon.rows("number_words") if int(value) >= 20}
# ACLED's conventions for counts given in words: "several" 3, "dozens" 12, "hundreds" 100.
VAGUE_COUNTS = {word: int(count) for word, count in lexicon.rows("vague_counts")}
_KILL_WORDS = lexicon.words("kill_words")
_NOT_PEOPLE = lexicon.words("units")
# Words allowed between a count and the kill word: "12 ISIS members were killed".
_MAX_GAP = 6
_STOP = lexicon.words("count_stops")
_QUALIFIERS = lexicon.words("count_qualifiers")
_NEGATIONS = lexicon.words("count_negations")
_NEGATED_LINKS = lexicon.words("negated_links")
_INJURY = lexicon.words("injury_words")
_SAYING = lexicon.words("saying_words")


def count_value(words: list[str]) -> int | None:
    """The number a count phrase says: "12", "1,200", "twenty-two", "a dozen", "several", "hundreds"."""
    if not words:
        return None
    w = words[0].lower()
    digits = w.replace(",", "")
    if digits.isdigit():
        return int(digits)
    if w in VAGUE_COUNTS:
        return VAGUE_COUNTS[w]
    if w == "a" and len(words) > 1 and words[1].lower() in ("dozen", "handful", "few", "number", "hundred"):
        return {"dozen": 12, "handful": 3, "few": 3, "number": 3, "hundred": 100}[words[1].lower()]
    total = _word_number(w)
    if total is None:
        return None
    if len(words) > 1 and words[1].lower() in ("hundred", "thousand"):
        total *= 100 if words[1].lower() == "hundred" else 1000
    return total


def _word_number(w: str) -> int | None:
    if w in _UNITS:
        return _UNITS[w]
    if w in _TENS:
        return _TENS[w]
    m = re.fullmatch(r"([a-z]+)-([a-z]+)", w)
    if m and m.group(1) in _TENS and m.group(2) in _UNITS and _UNITS[m.group(2)] < 10:
        return _TENS[m.group(1)] + _UNITS[m.group(2)]
    return None


def _is_count(tok) -> bool:
    w = tok.lower_
    if w.replace(",", "").isdigit():
        return not (len(w) == 4 and 1900 <= int(w) <= 2100)  # a year, not a count
    return w in VAGUE_COUNTS or _word_number(w) is not None or w in ("a",) and tok.i + 1 < len(tok.doc) and \
        tok.nbor(1).lower_ in ("dozen", "handful")


def _count_at(tok) -> int | None:
    doc = tok.doc
    words = [doc[j].text for j in range(tok.i, min(len(doc), tok.i + 2))]
    return count_value(words)


def fatalities(span) -> int:
    """Fatalities a sentence reports (a spaCy Span or Doc): the lowest figure, 0 when none."""
    tokens = list(span)
    figures: list[int] = []
    for k, tok in enumerate(tokens):
        if not _is_count(tok) or _not_people(tokens, k) or _negated(tokens, k):
            continue
        value = _count_at(tok)
        if value is None:
            continue
        if _kill_after(tokens, k) or _kill_before(tokens, k) or _death_toll_before(tokens, k):
            if k >= 2 and tokens[k - 1].lower_ in ("and", "to", "or", "-") and _is_count(tokens[k - 2]):
                value = min(value, _count_at(tokens[k - 2]) or value)  # "between 10 and 15": the lowest
            figures.append(value)
        elif figures and _another_estimate(tokens, k):
            figures.append(value)
    if figures:
        return min(figures)
    return 1 if _one_named_victim(tokens) else 0


# Singular people: "a boy was killed", "a soldier died" reports one death.
_ONE_PERSON = lexicon.words("one_person")


def _one_named_victim(tokens) -> bool:
    for k, tok in enumerate(tokens):
        if tok.lower_ not in _ONE_PERSON:
            continue
        before = [t.lower_ for t in tokens[max(0, k - 6):k]]  # "a 12-year-old boy"
        if not any(w in ("a", "an", "one") for w in before) or _negated(tokens, k):
            continue  # "not a single soldier was killed" reports none
        after = [t.lower_ for t in tokens[k + 1:k + 4]]
        if any(w in ("killed", "died", "dead", "slain", "executed", "beheaded") for w in after):
            return True
    return False


def _not_people(tokens, k: int) -> bool:
    nxt = tokens[k + 1].lower_ if k + 1 < len(tokens) else ""
    prev = tokens[k - 1].text if k > 0 else ""
    after_hyphen = tokens[k + 2].lower_ if nxt == "-" and k + 2 < len(tokens) else ""
    return nxt in _NOT_PEOPLE or after_hyphen in _NOT_PEOPLE or prev in ("$", "€", "£")


def _negated(tokens, k: int) -> bool:
    """ "no one was killed", "none of the 5 guards died", "neither of the two drivers": a denied count."""
    j = k - 1
    while j >= 0 and tokens[j].lower_ in _NEGATED_LINKS:
        j -= 1
    return j >= 0 and tokens[j].lower_ in _NEGATIONS


def _another_estimate(tokens, k: int) -> bool:
    """A bare count after a death toll is another source's figure for it: "8 were killed according to
    the army, 5 according to medics", "the army said 15 died, but residents said only 4"."""
    nxt = tokens[k + 1] if k + 1 < len(tokens) else None
    if nxt is not None and not (nxt.is_punct or nxt.lower_ == "according"):
        return False  # "4 soldiers", "4 wounded": a count of its own
    after = [t.lower_ for t in tokens[k + 1:k + 3]]
    if "according" in after:
        return True
    j = k - 1
    while j >= 0 and tokens[j].lower_ in _QUALIFIERS:
        j -= 1
    return j >= 0 and tokens[j].lower_ in _SAYING


def _kill_after(tokens, k: int) -> bool:
    """ "12 members of the group were killed", "five people died", "eight dead"."""
    for j in range(k + 1, min(len(tokens), k + 1 + _MAX_GAP)):
        w = tokens[j].lower_
        if w in _KILL_WORDS:
            return True
        if w in _STOP or _is_count(tokens[j]) and tokens[j].lower_ not in ("dozen", "of"):
            return False
        if tokens[j].pos_ == "VERB" and w not in ("were", "was", "been", "have", "had", "reportedly"):
            return False
    return False


def _kill_before(tokens, k: int) -> bool:
    """ "killed 12 members", "killing at least eight people"."""
    j = k - 1
    while j >= 0 and tokens[j].lower_ in _QUALIFIERS:
        j -= 1
    return j >= 0 and j >= k - 4 and tokens[j].lower_ in ("killed", "killing", "kills", "kill", "executed",
                                                         "massacred", "leaving", "left")  \
        and (tokens[j].lower_ not in ("leaving", "left") or _kill_after(tokens, k))


def _death_toll_before(tokens, k: int) -> bool:
    """ "the death toll rose to 30", "a toll of 12 dead"; not a toll of the hurt ("the death and injury
    toll rose to 45", "the toll rose to 30 wounded")."""
    before = [t.lower_ for t in tokens[max(0, k - 6):k]]
    after = [t.lower_ for t in tokens[k + 1:k + 3]]
    return "toll" in before and not any(w in _INJURY for w in before + after)
