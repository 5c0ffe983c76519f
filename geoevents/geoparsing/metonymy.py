"""Metonymy: whether a place name stands for its government, people or team rather than for a location.

"Washington said", "U.S. officials", "sanctions against Russia", "25 points against
Louisville" name a state, a people or a team; "strikes on Raqqa", "the Syria border", "a
Mosul hospital" name where something is. Read off the dependency parse of the name's sentence.
"""
from __future__ import annotations

import re

from .. import lexicon
from ..nlp import doc_text
from .names import PLACE_HEAD

ACTOR_NOUNS = lexicon.words("actor_nouns")
AGENT_PASSIVES = lexicon.words("agent_passives")
AGENT_STATES = lexicon.words("agent_states")
LOCATIVE_OBJECT_VERBS = lexicon.words("locative_object_verbs")
OPPONENT_HEADS = lexicon.words("opponent_heads")
PLACE_PREDICATES = lexicon.words("place_predicates")
SPORTS_WORDS = lexicon.words("sports_words")
STATE_GIFTS = lexicon.words("state_gifts")
# Verbs and nouns after which a country is its land ("entered Syria", "airstrikes on Syria").
_LAND_HEADS = LOCATIVE_OBJECT_VERBS | lexicon.words("locative_head_words")

# "-based" after a name, or after its state: "a Raqqa-based group", "a Denison, Iowa-based firm".
_BASED_IN = re.compile(r"(?:,\s*[A-Z][\w.]*(?:\s[A-Z][\w.]*)?)?-based\b")


def is_metonymic(span, is_country: bool) -> bool:
    """A place standing for its government, team or people rather than for a location.

    "Washington said", "Russia has expelled" (the subject of an action); "U.S. officials",
    "Beijing's tactics" (a modifier or owner of what is not land); and, for countries,
    "sanctions against Russia", "recognise Kosovo" (the object of what is done to a state).
    In a list ("Bulgaria, Malta and Portugal voted") every member shares the first one's role.
    Datelines ("MOSUL, Iraq —") are literal; the recogniser sees to them.
    """
    if _BASED_IN.match(doc_text(span.doc), span.end_char):
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
            not PLACE_HEAD.search(" " + head.text)
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
