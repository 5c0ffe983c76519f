"""The learned event-type model: what it reads of a sentence, and what extraction does with its answer."""
from __future__ import annotations

import pytest

from geoevents.events import EventExtractor
from geoevents.events.classify import LABELS, NONE, EventTypeModel, default_model, label_options, sentence_features
from geoevents.events.record import EVENT_TYPE_OF
from geoevents.linear import linear_score, softmax
from geoevents.nlp import load_pipeline


def test_the_shipped_model_covers_every_sub_type_and_no_event():
    model = default_model()
    assert set(LABELS) == set(EVENT_TYPE_OF) | {NONE}
    labels = {key.rpartition("|")[2] for key in model.weights}
    assert labels == set(LABELS)


def test_probabilities_are_the_softmax_of_the_label_conjoined_scores():
    nlp = load_pipeline()
    sent = next(nlp("Helicopters dropped barrel bombs on the town, killing four.").sents)
    features = sentence_features(sent, [])
    assert features["no_rule"] == 1.0 and "w=bomb" in features and "d=drop>bomb" in features
    model = default_model()
    p = model.probabilities(features)
    expected = softmax([linear_score(model.weights, option) for option in label_options(features)])
    assert list(p.values()) == pytest.approx(expected) and sum(p.values()) == pytest.approx(1.0)
    toy = EventTypeModel({"w=bomb|Air/drone strike": 3.0, "bias|NONE": 1.0})
    assert max(toy.probabilities(features).items(), key=lambda kv: kv[1])[0] == "Air/drone strike"


@pytest.mark.parametrize("text", [
    "The foreign minister condemned the attack on Raqqa.",
    "A gas cylinder explosion in a Baghdad restaurant killed three people.",
    "Thousands attended the funeral of soldiers killed in Hama last week.",
    "A fire at a textile factory in Aleppo killed four workers.",
])
def test_sentences_that_report_no_conflict_event_give_none(extractor, text):
    assert extractor.extract(text, published="2018-03-01") == []


@pytest.mark.parametrize("text, sub_types", [
    ("Troops seized a cache of rifles and explosives in a raid near Mosul.", ["Disrupted weapons use"]),
    ("Police defused a bomb planted near a school in Kirkuk.", ["Disrupted weapons use"]),
    # No trigger word the rules know: the model finds the event and anchors it.
    ("Villagers beat a suspected thief to death in Kano.", ["Mob violence"]),
    ("Turkish troops set up a new observation post near Atarib.", ["Headquarters or base established"]),
])
def test_the_model_types_what_the_sentence_as_a_whole_reports(extractor, text, sub_types):
    assert [e.sub_event_type for e in extractor.extract(text, published="2018-03-01")] == sub_types


def test_the_rules_stand_when_the_model_is_not_sure(extractor):
    # "Dozens were killed in the fighting": a battle's toll, which the rules give the battle.
    text = ("Syrian government forces recaptured Mayadin on Saturday. Dozens of militants were killed "
            "in the fighting for the town.")
    [event] = extractor.extract(text, published="2017-10-16")
    assert event.sub_event_type == "Government regains territory" and event.fatalities == 12


@pytest.mark.parametrize("text, n_events", [
    ("The army advanced on Palmyra on Sunday.", 1),
    ("The army will not stop its advance on Palmyra.", 0),   # future and negated
    ("Will the army advance on Palmyra?", 0),                # a question
    ("If the talks fail, the army advances on Palmyra.", 0),  # a condition
])
def test_an_event_the_model_adds_must_be_told_as_fact(extractor, text, n_events):
    # A model that reads every sentence as a clash: only the test of fact the rules apply to their
    # own words stands between it and an event.
    sure_of_clashes = EventExtractor(extractor.geoparser, extractor.place_finder,
                                     type_model=EventTypeModel({"bias|Armed clash": 10.0}))
    assert len(sure_of_clashes.extract(text, published="2018-03-01")) == n_events


def test_a_sentence_the_model_reads_as_an_event_gets_one_without_a_rule_word(extractor):
    # Neither "barrel bombs" without a verb nor "more" is a trigger the rules know.
    [event] = extractor.extract("More barrel bombs on Daraya.", published="2016-05-02")
    assert event.event_type == "Explosions/Remote violence" and event.location.startswith("Dar")
