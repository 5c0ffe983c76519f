"""Who did what to whom: find the armed groups, forces, civilians and crowds a sentence names, under one name each.

Named groups come from ``data/actors.tsv`` (ISIS, ISIL, IS, Islamic State and Daesh are all
"Islamic State"). State forces named by a demonym ("Iraqi troops", "Russian warplanes")
become ACLED's "Military Forces of Iraq"; the people an event hits become "Civilians (Syria)";
a generic "the group" or "militants" becomes the article's main armed group, because news
names a group once and then refers back to it.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .places_context import demonym_country

ACTORS_FILE = Path(__file__).parent / "data" / "actors.tsv"
COUNTRY = "{country}"  # filled with the event's country when the event is built

STATE, COALITION, NONSTATE, CIVILIANS, PROTESTERS, RIOTERS, UNIDENTIFIED = (
    "state", "coalition", "nonstate", "civilians", "protesters", "rioters", "unidentified")

# "<demonym> <modifier>* <noun>": "Iraqi federal police", "Syrian government forces", "Russian warplanes".
_FORCE_MODIFIERS = frozenset(
    ["federal", "government", "pro-government", "regime", "special", "security", "armed", "air", "counter-terrorism", "counterterrorism", "elite", "army", "military", "national", "naval", "ground", "border", "state"])
_MILITARY_NOUNS = frozenset(
    ["forces", "force", "troops", "army", "military", "soldiers", "soldier", "warplanes", "warplane", "jets", "jet", "aircraft", "planes", "helicopters", "drones", "navy", "artillery", "tanks", "units", "commandos", "marines", "paratroopers", "warships", "ships", "submarines", "bombers"])
_POLICE_NOUNS = frozenset(["police", "policemen", "gendarmes", "gendarmerie"])
# Words that refer back to the article's armed group, or name one without saying which.
_GENERIC_ARMED = frozenset(
    ["militants", "militant", "jihadists", "jihadist", "terrorists", "terrorist", "extremists", "insurgents", "insurgent"])
_GENERIC_GROUP_HEADS = frozenset({"group", "organisation", "organization", "militia"})
_GUNMEN = frozenset(["gunmen", "gunman", "assailants", "attackers"])
_CIVILIAN_NOUNS = frozenset(
    ["civilians", "civilian", "residents", "villagers", "worshippers", "children", "women", "students", "farmers", "shepherds", "passengers", "pilgrims", "journalists", "refugees", "families"])
_PROTESTER_NOUNS = frozenset(["protesters", "protestors", "demonstrators", "marchers"])
_RIOTER_NOUNS = frozenset(["rioters", "mob"])


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
    for line in ACTORS_FILE.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        alias, name, kind, air = line.split("\t")
        words = tuple(_alias_words(alias))
        exact = alias.isupper()
        table.setdefault(words[0].lower(), []).append(
            _Alias(words if exact else tuple(w.lower() for w in words), name, kind, air == "1", exact))
    for entries in table.values():
        entries.sort(key=lambda a: -len(a.tokens))
    return table


def _alias_words(alias: str) -> list[str]:
    # Tokenised the way spaCy's English tokenizer splits these names ("US-led" -> "US", "-", "led").
    return [t.text for t in _blank_tokenizer()(alias)]


@lru_cache(maxsize=1)
def _blank_tokenizer():
    import spacy

    return spacy.blank("en").tokenizer


@lru_cache(maxsize=512)
def country_name(iso2: str) -> str:
    from .gazetteer.sources import load_countries

    row = load_countries().get(iso2)
    return row["name"] if row else iso2


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
        return ActorMention(alias.name, alias.kind, alias.air, tok.i, tok.i + n)
    return None


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
    country = country_name(code) if code else COUNTRY
    if noun in _MILITARY_NOUNS or (j > i + 1 and tokens[j - 1].lower_ == "army"):
        # A state's forces fly air strikes; "government forces" of an unknown state are not assumed to.
        return ActorMention(f"Military Forces of {country}", STATE, code is not None, tok.i, tokens[j].i + 1)
    if noun in _POLICE_NOUNS:
        return ActorMention(f"Police Forces of {country}", STATE, False, tok.i, tokens[j].i + 1)
    return None


def _generic(tokens, i: int) -> ActorMention | None:
    tok = tokens[i]
    word = tok.lower_
    if word in _GENERIC_ARMED or (word in _GENERIC_GROUP_HEADS and i > 0 and tokens[i - 1].lower_ in
                                  ("the", "terror", "militant", "jihadist", "extremist")):
        return ActorMention("", NONSTATE, False, tok.i, tok.i + 1, generic=True)
    if word in _GUNMEN:
        return ActorMention(f"Unidentified Armed Group ({COUNTRY})", UNIDENTIFIED, False, tok.i, tok.i + 1)
    if word in _CIVILIAN_NOUNS or (word == "people" and tok.i > 0 and (tok.nbor(-1).like_num or tok.nbor(-1).lower_ in
                                                                       ("several", "dozens", "many", "hundreds"))):
        return ActorMention(f"Civilians ({COUNTRY})", CIVILIANS, False, tok.i, tok.i + 1)
    if word in _PROTESTER_NOUNS:
        return ActorMention(f"Protesters ({COUNTRY})", PROTESTERS, False, tok.i, tok.i + 1)
    if word in _RIOTER_NOUNS:
        return ActorMention(f"Rioters ({COUNTRY})", RIOTERS, False, tok.i, tok.i + 1)
    if word in _POLICE_NOUNS:
        return ActorMention(f"Police Forces of {COUNTRY}", STATE, False, tok.i, tok.i + 1)
    return None


# Groups news calls "militants", "jihadists" or "terrorists"; an allied militia (SDF, Peshmerga) it rarely does.
_MILITANT_GROUPS = frozenset({
    "Islamic State", "Jabhat al-Nusra", "Hayat Tahrir al-Sham", "Al Qaeda", "Al Qaeda in the Arabian Peninsula",
    "Al Shabaab", "Boko Haram", "Taliban"})


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
        return name.replace(COUNTRY, country)
    return name.replace(f" ({COUNTRY})", "").replace(f" of {COUNTRY}", "")
