"""The learned toponym ranker: its weights ship, its features describe places and articles, and it decides in context."""
from __future__ import annotations

import json
import math
import re
from importlib import resources

import pytest

from geoevents.geoparsing import Geoparser
from geoevents.geoparsing.rank import WEIGHTS_FILE, Ranker, candidate_features, kind_of
from geoevents.linear import fit_choices, softmax


@pytest.fixture(scope="module")
def parser(gazetteer):
    return Geoparser(gazetteer)


def test_the_shipped_weights_load_and_say_how_they_were_trained():
    data = json.loads(resources.files("geoevents").joinpath("data", WEIGHTS_FILE).read_text(encoding="utf-8"))
    assert "bench/train_ranker.py" in data["about"]
    ranker = Ranker.load()
    assert ranker.first and ranker.second
    # Feature names are kinds of evidence, never words of the corpora the weights were learned from.
    for name in [*ranker.first, *ranker.second]:
        assert re.fullmatch(r"[a-z_]+(?:@[0-9]+km|[=><]+[a-z0-9_.+]+)?(?:\|[A-Za-z_]+)*", name), name


def test_confidences_are_the_model_probabilities(parser):
    found = parser.geoparse("Shelling hit Hajin and Susah, east of Deir ez-Zor, Syria, on Monday.")
    named = {t.text: t for t in found}
    assert {"Hajin", "Susah", "Deir ez-Zor", "Syria"} <= set(named)
    for t in found:
        if t.candidates:
            assert 0 < t.confidence <= 1
    assert named["Hajin"].resolved.country_code == "SY"


def test_a_country_named_by_its_own_name_is_the_country(parser):
    # "Malta" is a country, whatever towns in Brazil or Montana are called so.
    found = {t.text: t for t in parser.geoparse("Migrants rescued off Malta were taken to Italy and Spain.")}
    assert found["Malta"].resolved.is_country and found["Malta"].resolved.country_code == "MT"


def test_the_article_decides_between_namesakes(parser):
    texts = {
        "Flooding closed roads around Athens, Texas, and in Henderson County on Sunday.": "US",
        "Protesters marched in Athens and Thessaloniki against the new pension law.": "GR",
    }
    for text, country in texts.items():
        athens = next(t for t in parser.geoparse(text) if t.text == "Athens")
        assert athens.resolved.country_code == country, text


def test_kinds_of_place():
    from geoevents.gazetteer.place import Place

    def place(fclass, code):
        return Place(1, "x", 0.0, 0.0, fclass, code, "SY")

    assert kind_of(place("A", "PCLI")) == "country"
    assert kind_of(place("A", "ADM1")) == "province"
    assert kind_of(place("P", "PPLC")) == "capital"
    assert kind_of(place("P", "PPLA2")) == "admin_seat"
    assert kind_of(place("H", "STM")) == "water"


def test_a_conditional_logit_learns_which_option_is_gold():
    # Options described by features: the gold one always has "near", a decoy "far".
    choices = [([{"near": 1.0, "size": 0.2}, {"far": 1.0, "size": 0.9}], [1.0, 0.0]) for _ in range(30)]
    weights = fit_choices(choices, l2=0.1, iterations=300)
    assert weights["near"] > weights.get("far", 0.0)
    p = softmax([sum(weights.get(k, 0) * v for k, v in f.items()) for f in choices[0][0]])
    assert p[0] > 0.9 and math.isclose(sum(p), 1.0)


def test_features_cover_every_candidate(parser, gazetteer):
    text = "Protesters marched in Athens, the capital of Greece."
    doc = parser.nlp(text)
    toponyms = parser.recognise(doc)
    evidence = parser.prepare(doc, toponyms)
    athens = next(t for t in toponyms if t.text == "Athens")
    features = candidate_features(athens, evidence)
    assert len(features) == len(athens.candidates) > 1
    assert all(f"kind={kind_of(c)}" in f for c, f in zip(athens.candidates, features))
    greek = [f for c, f in zip(athens.candidates, features) if c.country_code == "GR"]
    assert greek and all("country_share|name" in f for f in greek)   # "Greece" names the country


def test_a_province_named_after_its_town_is_the_town_unless_the_text_says_province(parser):
    towns = {t.text: t for t in parser.geoparse("Fighting went on in Raqqa and Aleppo on Monday.")}
    assert towns["Raqqa"].resolved.feature_class == "P" and towns["Aleppo"].resolved.feature_class == "P"
    provinces = {t.text: t for t in parser.geoparse("Shelling hit villages in Raqqa province and Aleppo governorate.")}
    assert provinces["Raqqa"].resolved.feature_code == "ADM1" and provinces["Aleppo"].resolved.feature_code == "ADM1"
