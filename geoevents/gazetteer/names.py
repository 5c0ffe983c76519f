"""Place-name keys: fold a name as news writes it into the keys the index is searched by.

Two keys per name:

* ``fold(name)`` — case, diacritics, apostrophes and ayn/hamza marks, hyphens and
  punctuation folded away: "Deir ez-Zor" -> "deir ez zor", "Tall ‘Afar" -> "tall afar".
* ``skeleton(name)`` — a deliberately lossy key that also forgives the usual ways
  English-language news transliterates Arabic names: the article and its assimilated
  forms (al-, ar-, ez-, Albu/Abu), Deir/Dayr, Zor/Zawr/Zour, ee/i, ou/u, q/k, doubled
  letters, Tal/Tall/Tell and a final -ah or -eh.  "Dayr az Zawr", "Deir Ezzor" and "Deir ez-Zor"
  all become "dirzor".  A match on the skeleton is weaker evidence than a fold match and
  is scored lower.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from unidecode import unidecode

from .. import lexicon
from ..text.clean import plain

# Marks that transliterations use for ayn and hamza, and apostrophes: dropped without a
# space so "Qā’im" folds to "qaim" and "Tall ‘Afar" to "tall afar".
_GLOTTAL_MARKS = "'’‘ʿʾʼ`´ʻʽ′"
_DROP_MARKS = str.maketrans("", "", _GLOTTAL_MARKS)

# The Arabic definite article as English news spells it, including the forms assimilated
# to the following sun letter ("ar-Raqqa", "ez-Zor", "ash-Sham").
ARABIC_ARTICLES = lexicon.words("arabic_articles")
# Whole-word spelling variants that a character rule cannot capture safely: Deir/Dayr, Zor/Zawr.
_WORD_VARIANTS = {variant: key for key, variant in lexicon.rows("transliteration_variants")}
# Ordinary words that are never a place on their own, whatever GeoNames lists as a name.
COMMON_WORDS = lexicon.words("common_words")
# An article fused to a word after a doubled sun letter: "Ezzor" -> "zor", "Arraqqa" -> "raqqa".
_FUSED_ARTICLE = re.compile(r"^[ae]([tdrsznl])\1(?=[a-z]{2})")
_CHAR_VARIANTS = (("ou", "u"), ("oo", "u"), ("ee", "i"), ("q", "k"), ("ph", "f"), ("dh", "d"))
# Each character the same one follows: a run keeps its last. (No group to copy per match: Python 3.11
# copies it in Python code.)
_DOUBLED = re.compile(r"(.)(?=\1)")
# fold's work on a plain ASCII name in one pass: lower case kept, upper case lowered, glottal marks
# dropped, anything else a space (runs of spaces are then collapsed by split and join).
_ASCII_FOLD = str.maketrans({chr(c): (None if chr(c) in _GLOTTAL_MARKS else chr(c).lower()
                                      if chr(c).isascii() and chr(c).isalnum() else " ") for c in range(128)})


@lru_cache(maxsize=200_000)
def fold(name: str) -> str:
    """Lower-case ASCII key with diacritics, glottal marks and punctuation folded away."""
    if name.isascii() and name.isprintable() and "&" not in name:
        # Most gazetteer names: nothing for the web cleaner, NFKC or unidecode to change.
        return " ".join(name.translate(_ASCII_FOLD).split())
    # Web characters first, as in article text: "Deir&nbsp;ez‑Zor" is "Deir ez-Zor".
    text = unicodedata.normalize("NFKC", plain(name))
    return " ".join(text.translate(_ROMANISED).split())


class _Romanised(dict):
    """What ``fold`` makes of each character of a cleaned name, filled in as characters come: glottal
    marks dropped, the rest in unidecode's ASCII (it strips diacritics and maps ß, ø, ł, ı ... that NFKD
    alone would keep), then folded as in an ASCII name. unidecode maps every character on its own and
    always to ASCII, so one ``str.translate`` with this does its work without its Python loop."""

    def __missing__(self, code: int) -> str:
        self[code] = value = unidecode(chr(code).translate(_DROP_MARKS)).translate(_ASCII_FOLD)
        return value


_ROMANISED = _Romanised()


@lru_cache(maxsize=200_000)
def skeleton(name: str) -> str:
    """Transliteration-insensitive key; "" when nothing of the name is left."""
    return key_skeleton(fold(name))


@lru_cache(maxsize=200_000)
def key_skeleton(key: str) -> str:
    """``skeleton`` of a name from its ``fold`` key (all the skeleton depends on)."""
    return key_skeletons([key])[0]


# key_skeletons' rules as patterns over many keys, one a line, words split by single spaces.
_WORD_START = r"(?<![^ \n])"
_WORD_END = r"(?![^ \n])"
_ARTICLE_BEFORE_WORD = re.compile(_WORD_START + f"(?:{'|'.join(sorted(ARABIC_ARTICLES, key=len, reverse=True))})"
                                  + r" (?=[^ \n])")
_FUSED_ARTICLE_INNER = re.compile("(?<= )" + _FUSED_ARTICLE.pattern.lstrip("^"))
# Albu/Abu fused to a word: its "a" first, then that a word starts there, so the search skips to the a's.
_FUSED_ALBU_WORD = re.compile(r"a(?<![^ \n]a)(?:lbu|bu)(?=[a-z]{3})")
_VARIANT_WORD = re.compile(_WORD_START + f"(?:{'|'.join(sorted(_WORD_VARIANTS, key=len, reverse=True))})" + _WORD_END)
_FEMININE_END = re.compile(r"[ae]h(?<=[^\n]{5})$", re.MULTILINE)  # the letters first: the search skips to them


def key_skeletons(keys: list[str]) -> list[str]:
    """``key_skeleton`` of each of many ``fold`` keys, each rule applied to all of them at once
    (a bulk import makes millions)."""
    if not keys:
        return []
    text = "\n".join(keys)
    if " " in text:  # (the rules a one-word key cannot meet are skipped: a lookup makes one key)
        # Drop articles that stand before another word ("al mayadin", "deir ez zor").
        text = _ARTICLE_BEFORE_WORD.sub("", text)
        # A fused article after the first word ("deir ezzor").
        text = _FUSED_ARTICLE_INNER.sub(r"\1", text)
    # Albu/Abu, whole-word variants (Deir/Dayr).
    if "bu" in text:
        text = _FUSED_ALBU_WORD.sub("bu", text)
    text = _VARIANT_WORD.sub(lambda m: _WORD_VARIANTS[m.group()], text)
    text = text.replace(" ", "")
    for old, new in _CHAR_VARIANTS:
        text = text.replace(old, new)
    text = _DOUBLED.sub("", text)
    # The feminine ending of keys over four letters: Jablah, Jableh and Jabla are one name.
    text = _FEMININE_END.sub("a", text)
    return text.split("\n")


def is_latin_name(name: str) -> bool:
    """True when the name is written in Latin script (with or without diacritics).

    Only such names are indexed: unidecode of Arabic, Cyrillic or CJK names gives
    romanisations nobody writes in English news, and they collide with ordinary words.
    """
    if name.isascii():
        return name.lower() != name.upper()  # an ASCII letter is all that changes case
    return bool(_LATIN_TEXT.match(name)) and any(c.isalpha() for c in name)


# Latin letters with their extensions and combining marks, modifier letters (ʿ ʾ) and punctuation.
_LATIN_TEXT = re.compile("^[\u0000-\u036f\u1e00-\u1eff\u2000-\u206f\u2c60-\u2c7f\ua720-\ua7ff]*$")


_CODE_LIKE = re.compile(r"^[A-Z0-9]{2,4}$")


def looks_like_code(name: str) -> bool:
    """Airport, ICAO and postal-style codes that GeoNames lists among alternate names (OSM, DEZ, ORBM)."""
    name = name.strip()
    return 1 < len(name) < 5 and _CODE_LIKE.match(name) is not None  # the length first: names by the million
