"""Who did what to whom: find the armed groups, forces, civilians and crowds a sentence names, under ACLED's name each.

Named groups come from ``lexicon/actors.tsv`` (ISIS, ISIL, IS, Islamic State and Daesh are all
"Islamic State (Syria)" in Syria). State forces named by a demonym ("Iraqi troops", "Russian
warplanes") become ACLED's "Military Forces of Iraq", dated with the government of the event's
day ("Military Forces of Iraq (2014-2018)"); the people an event hits become "Civilians (Syria)";
a generic "the group" or "militants" becomes the article's main armed group, because news
names a group once and then refers back to it. Each actor has ACLED's type code (``inter_code``).
"""
from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from .. import lexicon
from ..gazetteer.demonyms import demonym_country
from ..gazetteer.packages import country_name
from ..nlp import blank_tokenizer
from .detect import AIR, EXCESSIVE, INTERVENTION, SHELLING
from .record import EVENT_TYPE_OF

COUNTRY = "{country}"  # filled with the event's country when the event is built

STATE, COALITION, NONSTATE, CIVILIANS, PROTESTERS, RIOTERS, UNIDENTIFIED = (
    "state", "coalition", "nonstate", "civilians", "protesters", "rioters", "unidentified")
EXTERNAL = "external"  # a coalition, or a state's forces outside their own country

# ACLED's names for people and for an armed group nobody names, in the event's country.
CIVILIANS_NAME = f"Civilians ({COUNTRY})"
PROTESTERS_NAME = f"Protesters ({COUNTRY})"
RIOTERS_NAME = f"Rioters ({COUNTRY})"
UNIDENTIFIED_NAME = f"Unidentified Armed Group ({COUNTRY})"
_STATE_PREFIXES = ("Military Forces of ", "Police Forces of ")
_DEFINITE = lexicon.words("definite_countries")

# "<demonym> <modifier>* <noun>": "Iraqi federal police", "Syrian government forces", "Russian warplanes".
_FORCE_MODIFIERS = lexicon.words("force_modifiers")
_MILITARY_NOUNS = lexicon.words("military_nouns")
_POLICE_NOUNS = lexicon.words("police_nouns")
# Words that refer back to the article's armed group, or name one without saying which.
_GENERIC_ARMED = lexicon.words("generic_armed")
_GENERIC_GROUP_HEADS = lexicon.words("group_heads")
_GUNMEN = lexicon.words("gunmen")
_CIVILIAN_NOUNS = lexicon.words("civilian_nouns")
_PROTESTER_NOUNS = lexicon.words("protester_nouns")
_RIOTER_NOUNS = lexicon.words("rioter_nouns")


@dataclass(frozen=True, slots=True)
class ActorMention:
    """An actor named in a sentence: ``name`` may hold ``{country}``, filled once the event's country is known."""

    name: str
    kind: str
    air: bool  # the actor flies air strikes (coalition, state air forces)
    start: int  # token indices in the doc
    end: int
    generic: bool = False  # "militants", "the group": a reference, not a name


@dataclass(frozen=True, slots=True)
class _Alias:
    tokens: tuple[str, ...]
    name: str
    kind: str
    air: bool
    exact_case: bool


@lru_cache(maxsize=1)
def _aliases() -> dict[str, list[_Alias]]:
    """Aliases by their first word (lower case), longest first."""
    table: dict[str, list[_Alias]] = {}
    for alias, name, kind, air in lexicon.rows("actors"):
        words = tuple(_alias_words(alias))
        exact = alias.isupper()
        table.setdefault(words[0].lower(), []).append(
            _Alias(words if exact else tuple(w.lower() for w in words), name, kind, air == "1", exact))
    for entries in table.values():
        entries.sort(key=lambda a: -len(a.tokens))
    return table


def _alias_words(alias: str) -> list[str]:
    # Tokenised the way spaCy's English tokenizer splits these names ("US-led" -> "US", "-", "led").
    return [t.text for t in blank_tokenizer()(alias)]


def find_actors(span) -> list[ActorMention]:
    """Every actor mention in a sentence (a spaCy Span or Doc), left to right, longest match first."""
    aliases = _aliases()
    tokens = list(span)
    found: list[ActorMention] = []
    i = 0
    while i < len(tokens):
        mention = _named(tokens, i, aliases) or _demonym_force(tokens, i) or _generic(tokens, i)
        if mention is None:
            i += 1
            continue
        found.append(mention)
        i += mention.end - mention.start
    return found


def _named(tokens, i: int, aliases) -> ActorMention | None:
    tok = tokens[i]
    for alias in aliases.get(tok.lower_, ()):
        n = len(alias.tokens)
        window = tokens[i:i + n]
        if len(window) < n:
            continue
        words = tuple(t.text for t in window) if alias.exact_case else tuple(t.lower_ for t in window)
        if words != alias.tokens:
            continue
        if alias.exact_case and _shouting(tok):
            continue  # "IS" in an all-caps headline is the verb
        if alias.tokens == ("coalition",) and i > 0 and tokens[i - 1].lower_ in ("ruling", "governing", "opposition"):
            continue  # a political coalition, not the military one
        if alias.tokens == ("coalition",) and _led_by_another_state(tokens, i):
            continue  # "the Saudi-led coalition" in Yemen is not the coalition against the Islamic State
        return ActorMention(alias.name, alias.kind, alias.air, tok.i, tok.i + n)
    return None


def _led_by_another_state(tokens, i: int) -> bool:
    """ "<demonym>-led coalition" with a state other than the United States."""
    if i < 3 or tokens[i - 1].lower_ != "led" or tokens[i - 2].text != "-":
        return False
    code = demonym_country(tokens[i - 3].text)
    return code is not None and code != "US"


def _shouting(tok) -> bool:
    sent = tok.sent if tok.doc.has_annotation("SENT_START") else tok.doc
    letters = [c for c in sent.text if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) > 0.6 * len(letters)


def _demonym_force(tokens, i: int) -> ActorMention | None:
    tok = tokens[i]
    code = demonym_country(tok.text) if tok.text[:1].isupper() else None
    government = tok.lower_ in ("government", "pro-government", "regime", "state", "security") and code is None
    if code is None and not government:
        return None
    j = i + 1
    while j < len(tokens) and tokens[j].lower_ in _FORCE_MODIFIERS:
        j += 1
    if j >= len(tokens):
        return None
    noun = tokens[j].lower_
    country = _with_article(country_name(code)) if code else COUNTRY
    if noun in _MILITARY_NOUNS or (j > i + 1 and tokens[j - 1].lower_ == "army"):
        # A state's forces fly air strikes; "government forces" of an unknown state are not assumed to.
        return ActorMention(f"Military Forces of {country}", STATE, code is not None, tok.i, tokens[j].i + 1)
    if noun in _POLICE_NOUNS:
        return ActorMention(f"Police Forces of {country}", STATE, False, tok.i, tokens[j].i + 1)
    return None


def _with_article(country: str) -> str:
    """ "United States" -> "the United States", as in ACLED's "Military Forces of the United States"."""
    if country.startswith("The "):
        return "the " + country[4:]
    return f"the {country}" if country in _DEFINITE else country


def _generic(tokens, i: int) -> ActorMention | None:
    tok = tokens[i]
    word = tok.lower_
    if word in _GENERIC_ARMED or (word in _GENERIC_GROUP_HEADS and i > 0 and tokens[i - 1].lower_ in
                                  ("the", "terror", "militant", "jihadist", "extremist")):
        return ActorMention("", NONSTATE, False, tok.i, tok.i + 1, generic=True)
    if word in _GUNMEN:
        return ActorMention(UNIDENTIFIED_NAME, UNIDENTIFIED, False, tok.i, tok.i + 1)
    if word in _CIVILIAN_NOUNS or (word == "people" and tok.i > 0 and (tok.nbor(-1).like_num or tok.nbor(-1).lower_ in
                                                                       ("several", "dozens", "many", "hundreds"))):
        return ActorMention(CIVILIANS_NAME, CIVILIANS, False, tok.i, tok.i + 1)
    if word in _PROTESTER_NOUNS:
        return ActorMention(PROTESTERS_NAME, PROTESTERS, False, tok.i, tok.i + 1)
    if word in _RIOTER_NOUNS:
        return ActorMention(RIOTERS_NAME, RIOTERS, False, tok.i, tok.i + 1)
    if word in _POLICE_NOUNS:
        return ActorMention(f"Police Forces of {COUNTRY}", STATE, False, tok.i, tok.i + 1)
    return None


# Groups news calls "militants", "jihadists" or "terrorists"; an allied militia (SDF, Peshmerga) it rarely does.
_MILITANT_GROUPS = lexicon.words("militant_groups")


def main_armed_group(mentions: list[ActorMention]) -> str | None:
    """The non-state armed group "the group" or "militants" refers back to: the militant group an
    article names most, else the non-state group it names most."""
    named = [m.name for m in mentions if m.kind == NONSTATE and not m.generic]
    counts = Counter(n for n in named if n in _MILITANT_GROUPS) or Counter(named)
    return counts.most_common(1)[0][0] if counts else None


def main_air_actor(mentions: list[ActorMention]) -> str | None:
    """The one air force an article names, who flew the strikes a sentence does not attribute; None when
    it names several (Russian and Syrian jets) or none: then nobody is guessed."""
    names = {m.name for m in mentions if m.air and COUNTRY not in m.name}
    return names.pop() if len(names) == 1 else None


def fill_country(name: str | None, country: str | None) -> str | None:
    """ "Civilians ({country})" -> "Civilians (Syria)", or "Civilians" when the country is unknown."""
    if not name or COUNTRY not in name:
        return name
    if country:
        return name.replace(f" of {COUNTRY}", f" of {_with_article(country)}").replace(COUNTRY, country)
    return name.replace(f" ({COUNTRY})", "").replace(f" of {COUNTRY}", "")


# -- ACLED's ruling periods and actor types ------------------------------------------------

@lru_cache(maxsize=1)
def _periods() -> dict[str, list[tuple[dt.date, dt.date | None]]]:
    table: dict[str, list[tuple[dt.date, dt.date | None]]] = {}
    for country, start, *until in lexicon.rows("state_periods"):
        end = dt.date.fromisoformat(until[0]) if until and until[0] else None
        table.setdefault(country, []).append((dt.date.fromisoformat(start), end))
    return table


def state_country(name: str | None) -> str | None:
    """The country whose forces ``name`` are ("Military Forces of the United States (2017-2021)" ->
    "United States"); "" for state forces of an unknown country, None for any other actor."""
    if not name:
        return None
    for prefix in _STATE_PREFIXES:
        if name.startswith(prefix):
            return _plain(_without_parenthesis(name[len(prefix):]))
    return "" if name in ("Military Forces", "Police Forces") else None


def dated_name(name: str | None, day: dt.date | None) -> str | None:
    """A state's forces with the ruling period of the event's day, as ACLED names them:
    "Military Forces of Syria" on 2017-07-11 -> "Military Forces of Syria (2000-2024)".
    Unchanged for other actors, an unknown day, or a country without periods in ``state_periods.tsv``."""
    country = state_country(name)
    if not country or day is None or name.endswith(")"):
        return name
    for start, end in _periods().get(country, ()):
        if start <= day and (end is None or day < end):
            return f"{name} ({start.year}-{end.year if end else ''})"
    return name


@lru_cache(maxsize=1)
def _kinds() -> dict[str, str]:
    """Actor kinds by name without its country part: "Islamic State" -> nonstate."""
    kinds = {_without_parenthesis(name): kind for _alias, name, kind, _air in lexicon.rows("actors")}
    kinds.update({_without_parenthesis(CIVILIANS_NAME): CIVILIANS, _without_parenthesis(PROTESTERS_NAME): PROTESTERS,
                  _without_parenthesis(RIOTERS_NAME): RIOTERS, _without_parenthesis(UNIDENTIFIED_NAME): UNIDENTIFIED})
    return kinds


def _without_parenthesis(name: str) -> str:
    """ "Islamic State (Syria)" -> "Islamic State", "Syria (2000-2024)" -> "Syria"."""
    return re.sub(r" \([^)]*\)$", "", name)


def _plain(country: str) -> str:
    """ "the United States" -> "United States"."""
    return country[4:] if country.lower().startswith("the ") else country


_INTER = {kind: int(code) for kind, code in lexicon.rows("inter_codes")}


def inter_code(name: str | None, country: str | None) -> int | None:
    """ACLED's type code of an actor in an event in ``country``: 1 state forces, 2 rebel groups,
    3 political militias, 5 rioters, 6 protesters, 7 civilians, 8 external forces (a coalition, or a
    state's forces outside their own country); None for no actor or one of unknown type."""
    if not name:
        return None
    home = state_country(name)
    kind = STATE if home is not None else _kinds().get(_without_parenthesis(name))
    if kind == COALITION or (kind == STATE and home and country and home != _plain(country)):
        kind = EXTERNAL
    return _INTER.get(kind)


def interaction_code(inter1: int | None, inter2: int | None) -> int | None:
    """ACLED's interaction: both codes as one number, the lower first (12, 37, 88); a sole actor's
    code times ten (10, 60); None when actor1's type is unknown."""
    if inter1 is None:
        return None
    if inter2 is None:
        return inter1 * 10
    low, high = sorted((inter1, inter2))
    return low * 10 + high


def acled_codes(actor1: str | None, actor2: str | None, country: str | None) -> dict[str, int | None]:
    """``inter1``, ``inter2`` and ``interaction`` of an event's (filled) actors in ``country``."""
    inter1, inter2 = inter_code(actor1, country), inter_code(actor2, country)
    return {"inter1": inter1, "inter2": inter2, "interaction": interaction_code(inter1, inter2)}


# -- who did it to whom, for one event ---------------------------------------------------

_ACTOR1_DEPS = frozenset({"nsubj", "agent", "compound", "poss", "amod", "nmod", "csubj"})
_ACTOR2_DEPS = frozenset({"dobj", "nsubjpass", "obj", "attr", "dative"})
_ACTOR2_PREPS = frozenset({"against", "on", "with", "at", "targeting", "from"})


def event_actors(sent, trigger, mentions: list[ActorMention], sub_type: str, main_group: str | None,
                 air_actor: str | None) -> tuple[str | None, str | None]:
    """actor1 (who did it) and actor2 (to whom) for the event at ``trigger``.

    ``main_group`` is the armed group the article's "the group" and "militants" refer back to;
    ``air_actor`` the one air force it names, if it names exactly one.
    """
    first: list[str] = []
    second: list[str] = []
    weak_first: list[str] = []
    for m in mentions:
        name = _name_of(m, main_group)
        if not name:
            continue
        role = _role(sent.doc, m, trigger)
        if role == 1:
            first.append(name)
        elif role == 2:
            second.append(name)
        elif m.kind == CIVILIANS:
            second.append(name)  # the people an event hits are never its author
        elif m.start < trigger.i:
            weak_first.append(name)
        elif not sent.doc.has_annotation("DEP"):
            second.append(name)
    if sent.doc.has_annotation("DEP") and sub_type == AIR:
        for child in trigger.children:  # "Russian airstrikes": the demonym names the air force
            if child.dep_ == "amod" and (code := demonym_country(child.text)):
                first.insert(0, f"Military Forces of {_with_article(country_name(code))}")
    actor1 = (first or weak_first or [None])[0]
    if actor1 is None and sub_type in (AIR, SHELLING) and air_actor:  # the only air force named
        actor1 = air_actor
    actor2 = next((n for n in second if n != actor1), None)
    # Air and artillery strikes by a state or the coalition hit the article's armed group.
    if actor2 is None and sub_type in (AIR, SHELLING) and main_group and actor1 and \
            main_group != actor1 and not actor1.startswith("Unidentified"):
        actor2 = main_group
    if actor1 and actor1.startswith("Civilians") and actor2 and not actor2.startswith("Civilians"):
        actor1, actor2 = actor2, actor1  # civilians are what violence is done to
    return _coded_by_type(sub_type, actor1, actor2)


def _coded_by_type(sub_type: str, actor1: str | None, actor2: str | None) -> tuple[str | None, str | None]:
    """The actors ACLED's event type fixes (codebook): a protest's actor1 is always the protesters, a
    riot's the rioters, and violence against civilians has the civilians as actor2. The other actor
    named stays: police who intervene in a protest, the perpetrator of an attack."""
    event_type = EVENT_TYPE_OF.get(sub_type)
    crowd = {"Protests": PROTESTERS_NAME, "Riots": RIOTERS_NAME}.get(event_type)
    if crowd:
        other = next((n for n in (actor1, actor2) if n and n not in (PROTESTERS_NAME, RIOTERS_NAME)), None)
        # Only a protest someone intervened in has a second actor; a peaceful one's target is no actor.
        if event_type == "Protests" and sub_type not in (INTERVENTION, EXCESSIVE):
            other = None
        return crowd, other
    if event_type == "Violence against civilians":
        return next((n for n in (actor1, actor2) if n and n != CIVILIANS_NAME), None), CIVILIANS_NAME
    return actor1, actor2


def _name_of(m: ActorMention, main_group: str | None) -> str | None:
    if m.generic:
        return main_group or UNIDENTIFIED_NAME
    return m.name


def _role(doc, m: ActorMention, trigger) -> int:
    """1 when the mention is the trigger's agent, 2 its target, 0 when the parse does not say."""
    if not doc.has_annotation("DEP"):
        return 1 if m.end <= trigger.i else 2
    head = doc[m.start:m.end].root
    node = head
    # spaCy makes a new Token object on every access: compare positions, never identities.
    while node.head.i != node.i and node.head.i != trigger.i and node.i != trigger.i:
        node = node.head
    if node.head.i == trigger.i and node.i != trigger.i:
        if node.dep_ in _ACTOR1_DEPS:
            return 1
        if node.dep_ in _ACTOR2_DEPS:
            return 2
        if node.dep_ == "prep":
            return 1 if node.lower_ == "by" else 2 if node.lower_ in _ACTOR2_PREPS else 0
        if node.dep_ == "acl":
            return 2
        return 0
    # The mention governs the trigger: "the coalition said it killed", "ISIS fighters killed in strikes".
    if any(a.i == head.i for a in trigger.ancestors):
        return 1 if trigger.dep_ in ("relcl", "ccomp") else 2 if trigger.dep_ == "acl" and trigger.tag_ == "VBN" \
            else 0
    return 0
