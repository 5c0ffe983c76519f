"""The parts of event extraction on single sentences: trigger types, actors, fatalities."""
from __future__ import annotations

import pytest

from geoevents.events.actors import fill_country, find_actors
from geoevents.events.detect import find_triggers
from geoevents.events.fatalities import count_value, fatalities
from geoevents.nlp import load_pipeline
from geoevents.events.record import EVENT_TYPES, is_valid_type_pair


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline()


def sub_types(nlp, text: str) -> list[str]:
    doc = nlp(text)
    return [t.sub_event_type for sent in doc.sents for t in find_triggers(sent)]


def test_taxonomy_is_acleds():
    assert len(EVENT_TYPES) == 6
    assert sum(len(subs) for subs in EVENT_TYPES.values()) == 25
    assert is_valid_type_pair("Battles", "Armed clash")
    assert not is_valid_type_pair("Battles", "Air/drone strike")


@pytest.mark.parametrize("text, expected", [
    ("Coalition aircraft struck an Islamic State command post near Mayadin on Tuesday.", "Air/drone strike"),
    ("Russian warplanes carried out airstrikes on villages east of Deir ez-Zor.", "Air/drone strike"),
    ("Government artillery shelled rebel positions outside Daraa overnight.", "Shelling/artillery/missile attack"),
    ("A roadside bomb exploded next to an army patrol in Tikrit, killing two soldiers.",
     "Remote explosive/landmine/IED"),
    ("A suicide bomber blew himself up at a checkpoint in Baghdad.", "Suicide bomb"),
    ("Kurdish fighters clashed with Islamic State militants south of Hasakah.", "Armed clash"),
    ("Iraqi forces recaptured the town of Al Qaim from the militants on Friday.", "Government regains territory"),
    ("Gunmen abducted three aid workers on the road to Kidal.", "Abduction/forced disappearance"),
    ("Thousands of people protested in Basra against power cuts.", "Peaceful protest"),
    ("Police fired tear gas to disperse protesters in Basra.", "Protest with intervention"),
    ("The two sides agreed a ceasefire in Eastern Ghouta on Saturday.", "Agreement"),
    ("Security forces arrested five suspects in Kirkuk.", "Arrests"),
])
def test_trigger_types(nlp, text, expected):
    assert expected in sub_types(nlp, text)


@pytest.mark.parametrize("text", [
    "He was convicted of plotting to bomb a football match in Elbasan.",
    "The coalition will not stop targeting the group until the threat is removed.",
    "If the fighters stay in the valley, they are ripe for strikes.",
    "Families said they would not go back until the mines were cleared.",
    "Officials warned that militants could attack the dam.",
    "Did the strikes hit the town?",
])
def test_planned_threatened_and_hypothetical_events_are_no_events(nlp, text):
    assert sub_types(nlp, text) == []


def test_every_trigger_has_a_valid_type_pair(nlp):
    doc = nlp("Coalition jets struck Abu Kamal. Protesters rioted in Basra. Police arrested ten men in Erbil.")
    for sent in doc.sents:
        for trigger in find_triggers(sent):
            assert is_valid_type_pair(trigger.event_type, trigger.sub_event_type)


@pytest.mark.parametrize("text, expected", [
    ("The US-led coalition said its jets hit ISIS positions.",
     ["Global Coalition Against Daesh", "Islamic State ({country})"]),
    ("ISIL and Daesh are the same group as IS.",
     ["Islamic State ({country})", "Islamic State ({country})", "Islamic State ({country})"]),
    ("The U.S.-led coalition and the SDF pushed into the old city.",
     ["Global Coalition Against Daesh", "QSD: Syrian Democratic Forces"]),
    ("Syrian government forces and Iraqi federal police advanced.",
     ["Military Forces of Syria", "Police Forces of Iraq"]),
    ("Russian warplanes bombed the town.", ["Military Forces of Russia"]),
])
def test_actor_aliases_fold_into_one_name(nlp, text, expected):
    assert [m.name for m in find_actors(nlp(text)) if not m.generic] == expected


def test_is_in_capitals_only_and_not_in_a_shouting_headline(nlp):
    assert find_actors(nlp("It is what it is.")) == []
    assert [m.name for m in find_actors(nlp("WHAT IS NEXT FOR MOSUL"))] == []


def test_people_actors_take_the_events_country(nlp):
    names = [m.name for m in find_actors(nlp("Gunmen killed four civilians."))]
    assert [fill_country(n, "Iraq") for n in names] == ["Unidentified Armed Group (Iraq)", "Civilians (Iraq)"]
    assert [fill_country(n, None) for n in names] == ["Unidentified Armed Group", "Civilians"]


@pytest.mark.parametrize("words, value", [
    (["12"], 12), (["1,200"], 1200), (["twenty-two"], 22), (["a", "dozen"], 12), (["several"], 3),
    (["dozens"], 12), (["hundreds"], 100), (["three", "hundred"], 300), (["banana"], None),
])
def test_count_words(words, value):
    assert count_value(words) == value


@pytest.mark.parametrize("text, dead", [
    ("The coalition said it killed 12 members of the group.", 12),
    ("At least 22 fighters were killed in the clashes.", 22),
    ("Five people died and 20 were wounded when the shell hit the market.", 5),
    ("Dozens of civilians were killed in air strikes last week.", 12),
    ("Several militants were killed in the raid.", 3),
    ("Hundreds of people died in the siege.", 100),
    ("The death toll rose to thirty on Sunday.", 30),
    ("Between 10 and 15 soldiers were killed.", 10),
    ("Eight people were wounded in the blast.", 0),
    ("The strike hit a 2016 convoy route, 40 km from the city.", 0),
    ("Nobody was hurt.", 0),
    ("A 12-year-old boy was killed.", 1),
    ("A soldier died of his wounds.", 1),
])
def test_fatalities(nlp, text, dead):
    assert fatalities(nlp(text)) == dead
