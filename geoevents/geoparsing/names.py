"""What place names look like in news text: the words that head, open or follow them, abbreviations, and what is no place name."""
from __future__ import annotations

import re
from collections.abc import Iterable

from .. import lexicon
from ..gazetteer.demonyms import demonym_country
from ..gazetteer.names import ARABIC_ARTICLES, fold

POSSESSIVES = ("'s", "’s")
# A possessive ending, or the bare apostrophe of one ("Idlib's", "Abbas'").
POSSESSIVE_MARKS = frozenset({*POSSESSIVES, "'", "’"})
DIRECTIONS = lexicon.words("directions")
# Capitalised words that open a place's name without being part of any other: "North Caucasus".
NAME_OPENERS = DIRECTIONS | lexicon.words("name_openers")
# Lower-case words inside an institution's name: "Palais des Nations", "Bank of England".
NAME_LINKS = lexicon.words("name_links")
# NER labels of names that are not places themselves, though used as one ("at Cornell University").
NOT_PLACE_LABELS = frozenset(("ORG", "PERSON", "EVENT", "FAC", "NORP", "PRODUCT", "WORK_OF_ART"))
# Nouns for a country's land: "the Syrian border", "Turkish territory".
LAND_NOUNS = lexicon.words("land_nouns")
# Words that name a settlement, so the name beside them is a place though no gazetteer knows it.
SETTLEMENT_WORDS = lexicon.words("settlement_words")
# Common nouns a place name may stand beside: "its capital, Raqqa", "the village, Hajin".
PLACE_NOUNS = LAND_NOUNS | lexicon.words("place_nouns")
# Capitalised words and names the gazetteer knows as places but news uses otherwise.
NON_PLACE_WORDS = lexicon.words("non_place_words")


def any_of(words: Iterable[str]) -> str:
    """A regex alternation of the words, escaped, longest first."""
    return "|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w)))


_COMPASS_SUFFIX = r"(?: North| South| East| West)?"
# The last word of a place name that no gazetteer may list ("Eglinton Avenue West" too).
PLACE_HEAD = re.compile(rf"\s({any_of(lexicon.words('place_heads'))}){_COMPASS_SUFFIX}$")
# Streets and squares: places in their own right, never located by the place they are named after.
STREET_HEAD = re.compile(rf"\s({any_of(lexicon.words('street_heads'))}){_COMPASS_SUFFIX}$")
# Buildings and sites where things happen: "al-Shifa Hospital", "Badush Prison". NER often calls them ORG or PERSON.
BUILDING_HEAD = re.compile(rf"\s({any_of(lexicon.words('building_heads'))})$")
# Missions abroad stand in the host country, not in the country their adjective names.
MISSION_HEAD = re.compile(rf"\s({any_of(lexicon.words('mission_heads'))})$")
# The first word of a place name that no gazetteer may list: "Lake Manassas", "Cape Peron".
PLACE_OPENER = re.compile(rf"({any_of(lexicon.words('place_openers'))}) [A-Z]")

ADMIN_WORDS = lexicon.words("admin_words")
# "Deir ez-Zor province", "Rapides Parish": the name of an admin region with its type.
ADMIN_SUFFIXES = re.compile(rf"\s+({any_of(ADMIN_WORDS)})$", re.IGNORECASE)
# The capitalised type word NER leaves out of a name: "Raqqa" + " Province". Not "State",
# "Department" or "Municipality": "the State Department", "Aleppo Municipality" are bodies.
ADMIN_WORD_AFTER = re.compile(
    rf" ({any_of(w.title() for w in ADMIN_WORDS - {'state', 'department', 'municipality'})})\b")
# Lower-case words after a name that say what kind of place it names: "Idlib province", "the
# Hajin village", "the Tanf area". Read as evidence; the name is the capitalised part.
FEATURE_WORD_AFTER = re.compile(rf" ({any_of(ADMIN_WORDS | lexicon.words('locality_words'))})\b")

# State and province abbreviations, by folded form: "la" -> [("US", "Louisiana")], "wa" -> Washington and Western Australia.
_ABBREVIATIONS: dict[str, list[tuple[str, str]]] = {}
for _country, _abbreviation, _region in lexicon.rows("region_abbreviations"):
    _ABBREVIATIONS.setdefault(_abbreviation, []).append((_country, _region))


def region_abbreviations(text: str) -> list[tuple[str, str]]:
    """(country code, admin-1 name) of every state or province an abbreviation may stand for.

    Dotted forms ("N.J.", "B.C.", "Calif.") and capitals of at most three letters ("NJ",
    "NSW", "WA": Washington or Western Australia) count; "Mass", "Ind" or "on" do not.
    """
    key = fold(text)
    dotted = "." in text
    capitals = text.isupper() and len(key.replace(" ", "")) <= 3
    if not (dotted or capitals):
        return []
    return list(_ABBREVIATIONS.get(key, ()))


def us_state_abbreviation(key: str) -> str | None:
    """The US state a folded abbreviation names without its dots ("calif" -> California), else None."""
    return next((region for country, region in _ABBREVIATIONS.get(key, ()) if country == "US"), None)


def abbreviation(word: str) -> bool:
    """A short word that wants a full stop: "U.S", "W.Va", "Vt" (but not "Ohio", which AP writes whole)."""
    if len(word.replace(".", "")) > 4:
        return False
    return "." in word or any(fold(region) != fold(word) for _, region in region_abbreviations(word + "."))


def dotted_state(name: str) -> bool:
    """A dotted AP abbreviation of a US state ("W.Va.", "Md.")."""
    return "." in name and any(code == "US" for code, _ in region_abbreviations(name))


def without_article(name: str) -> str:
    """The folded name without a leading Arabic article: "Al Qāmishlī" -> "qamishli"."""
    words = fold(name).split()
    return " ".join(words[1:] if len(words) > 1 and words[0] in ARABIC_ARTICLES else words)


def not_a_place_name(text: str) -> bool:
    """A title, an organisation the gazetteer mistakes for a place, or a mixed-case acronym."""
    return fold(text) in NON_PLACE_WORDS or acronym_like(text)


def acronym_like(text: str) -> bool:
    """"MoD", "PoP", "HAPs", "NGOs": a short acronym in mixed case, never a place name."""
    return len(text) <= 5 and " " not in text and any(
        a.islower() and b.isupper() or a.isupper() and b.isupper() and text.endswith("s") for a, b in zip(text, text[1:]))


def can_start_name(token) -> bool:
    text = token.text
    return text[:1].isupper() and token.is_alpha | ("-" in text) and not token.like_num


def can_end_name(token) -> bool:
    text = token.text
    return text[:1].isupper() or (text[-1:].isalpha() and "-" in text and text.split("-")[-1][:1].isupper())


# Endings of words for peoples, faiths and movements ("Kurdish", "Sunnis", "Alawite", "Islamist").
_GROUP_ENDINGS = ("ish", "ian", "ians", "ese", "ite", "ites", "ist", "ists", "ic", "ni", "nis", "ds", "an", "ans")


def group_word(text: str) -> bool:
    """A NORP span that names people, not land: a demonym, or shaped like one. "Aleppo", tagged NORP, is not."""
    last = text.split()[-1].lower()
    return bool(demonym_country(text)) or last.endswith(_GROUP_ENDINGS)
