"""Tests for the gold-corpus readers, metrics and runners in geoevents.evaluate."""
from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pytest

from geoevents.distance import great_circle_km
from geoevents.evaluate import (
    MAX_ERROR_KM,
        CorpusError,
    EventLocationError,
    EventLocationExample,
    GoldArticle,
    GoldToponym,
    Prediction,
    error_auc,
    evaluate_end2end,
    evaluate_end2end_many,
    evaluate_event_locations,
    evaluate_resolution,
    evaluate_resolution_many,
    format_table,
    match_spans,
    read_corpus,
    read_event_locations,
    recognition_scores,
    recognition_targets,
    resolution_scores,
    resolution_targets,
    score_event_locations,
)

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"

GWN_TEXT = (
    "Shelling near Manbij killed two people, Syrian officials said on Monday. "
    "Damascus blamed the rebels. Fighting also reached Tal Afar in Iraq, "
    "where the Al Nour Street market was closed."
)
LGL_TEXT = (
    "Families left Raqqa for Deir ez-Zor as the Euphrates rose. "
    "Officials in Baghdad promised aid."
)


def _gwn_toponym(text, name, type_, gid="", lat=None, lon=None, start=None):
    start = text.index(name) if start is None else start
    resolved = "" if lat is None else (
        f"<geonamesID>{gid}</geonamesID><latitude>{lat}</latitude>"
        f"<longitude>{lon}</longitude>")
    return (
        f"<toponym><extractedName>{name}</extractedName><normalisedName/>"
        f"<type>{type_}</type><modifierType/><nonLocational>No</nonLocational>"
        f"<start>{start}</start><end>{start + len(name)}</end>{resolved}</toponym>"
    )


def _write_gwn(path: Path) -> Path:
    t = GWN_TEXT
    toponyms = "".join([
        _gwn_toponym(t, "Manbij", "Literal", 166365, 36.5281, 37.9549),
        _gwn_toponym(t, "Syrian", "Non_Literal_Modifier", 163843, 35.0, 38.0),
        _gwn_toponym(t, "officials", "Non_Lit_Expression"),
        _gwn_toponym(t, "Damascus", "Metonymic", 170654, 33.5102, 36.2913),
        _gwn_toponym(t, "Tal Afar", "Mixed", 98245, 36.3767, 42.4497),
        _gwn_toponym(t, "Iraq", "Literal", 99237, 33.0, 44.0),
        # Coordinates without a GeoNames id: recognised, but not scored for resolution.
        _gwn_toponym(t, "Al Nour Street", "Literal", "", 36.37, 42.45),
        # Offsets that miss the name, as a few real GWN spans do: dropped.
        _gwn_toponym(t, "Iraq", "Literal", 99237, 33.0, 44.0, start=-40),
    ])
    path.write_text(
        '<?xml version="1.0" ?>\n<articles>'
        f'<article file="7"><title>Shelling in the north</title><link>http://x.test/1</link>'
        f"<text>{t}</text><toponyms>{toponyms}</toponyms></article>"
        '<article file="8"><title>Quiet day</title><link>http://x.test/2</link>'
        "<text>Nothing happened.</text><toponyms/></article>"
        "</articles>",
        encoding="utf-8",
    )
    return path


def _lgl_toponym(text, name, gid=None, lat=None, lon=None, fcode="PPL"):
    start = text.index(name)
    gaz = "" if gid is None else (
        f'<gaztag geonameid="{gid}"><name>{name}</name><fclass>P</fclass>'
        f"<fcode>{fcode}</fcode><lat>{lat}</lat><lon>{lon}</lon>"
        f'<country geonameid="1">Somewhere</country></gaztag>')
    return (f"<toponym><start>{start}</start><end>{start + len(name)}</end>"
            f"<phrase>{name}</phrase>{gaz}</toponym>")


def _write_lgl(path: Path) -> Path:
    t = LGL_TEXT
    toponyms = "".join([
        _lgl_toponym(t, "Raqqa", 163345, 35.9528, 39.0079),
        _lgl_toponym(t, "Deir ez-Zor", 170794, 35.3359, 40.1408),
        _lgl_toponym(t, "Euphrates"),
        _lgl_toponym(t, "Baghdad", 98182, 33.3406, 44.4009, fcode="PPLC"),
    ])
    path.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<articles>'
        '<article docid="501"><feedid>1</feedid><title>Flood</title><domain>x.test</domain>'
        "<url>http://x.test/flood</url><dltime>2017-10-01 10:00:00</dltime>"
        f'<text><![CDATA[{t}]]></text><toponyms count="4">{toponyms}</toponyms></article>'
        "</articles>",
        encoding="utf-8",
    )
    return path


@pytest.fixture
def gwn(tmp_path):
    # Named like the other corpus to prove detection looks at structure, not the name.
    return read_corpus(_write_gwn(tmp_path / "lgl.xml"))


@pytest.fixture
def lgl(tmp_path):
    return read_corpus(_write_lgl(tmp_path / "gwn.xml"))


# --------------------------------------------------------------------------- reading


def test_gold_spans_shifted_by_a_few_characters_are_realigned_and_counted(tmp_path):
    # As in corpora whose offsets are off by a character or two: each span is moved to the
    # nearest occurrence of its name, not dropped; a name nowhere near its offsets is dropped.
    t = LGL_TEXT
    at = t.index("Deir ez-Zor")
    shifted = (f"<toponym><start>{at + 2}</start><end>{at + 13}</end><phrase>Deir ez-Zor</phrase></toponym>"
               f"<toponym><start>{t.index('Raqqa') - 1}</start><end>{t.index('Raqqa') + 4}</end>"
               "<phrase>Raqqa</phrase></toponym>"
               "<toponym><start>0</start><end>5</end><phrase>Aleppo</phrase></toponym>")
    path = tmp_path / "shifted.xml"
    path.write_text('<?xml version="1.0" encoding="utf-8"?>\n<articles><article docid="9"><title>t</title>'
                    f"<url>http://x.test/s</url><text><![CDATA[{t}]]></text><toponyms>{shifted}</toponyms>"
                    "</article></articles>", encoding="utf-8")
    counts = {}
    article = read_corpus(path, counts=counts)[0]
    assert [(g.text, t[g.start:g.end]) for g in article.toponyms] == [("Deir ez-Zor", "Deir ez-Zor"), ("Raqqa", "Raqqa")]
    assert article.toponyms[0].start == at
    assert counts == {"toponyms": 2, "realigned": 2, "dropped": 1}


def test_gwn_reader_detects_format_and_reads_fields(gwn):
    assert [a.id for a in gwn] == ["7", "8"]
    article = gwn[0]
    assert article.format == "gwn" and article.title == "Shelling in the north"
    assert article.text == GWN_TEXT
    assert len(article.toponyms) == 7  # the misplaced eighth span is dropped
    for top in article.toponyms:
        assert article.text[top.start:top.end] == top.text
    manbij = article.toponyms[0]
    assert manbij == GoldToponym(
        start=GWN_TEXT.index("Manbij"), end=GWN_TEXT.index("Manbij") + 6, text="Manbij",
        type="Literal", geonameid=166365, latitude=36.5281, longitude=37.9549)
    officials = article.toponyms[2]
    assert (officials.geonameid, officials.latitude, officials.longitude) == (None, None, None)
    street = article.toponyms[-1]
    assert street.geonameid is None and street.latitude == 36.37
    assert gwn[1].toponyms == []


def test_lgl_reader_detects_format_and_reads_fields(lgl):
    (article,) = lgl
    assert article.format == "lgl" and article.id == "501" and article.text == LGL_TEXT
    assert [t.text for t in article.toponyms] == ["Raqqa", "Deir ez-Zor", "Euphrates", "Baghdad"]
    for top in article.toponyms:
        assert article.text[top.start:top.end] == top.text
        assert top.type == "Literal"
    baghdad = article.toponyms[3]
    assert (baghdad.geonameid, baghdad.latitude, baghdad.longitude, baghdad.feature_code) == (
        98182, 33.3406, 44.4009, "PPLC")
    euphrates = article.toponyms[2]
    assert (euphrates.geonameid, euphrates.latitude, euphrates.feature_code) == (None, None, None)


def test_target_selection(gwn, lgl):
    article = gwn[0]
    # GWN resolution: coordinates and a GeoNames id, whatever the type.
    assert [t.text for t in resolution_targets(article)] == [
        "Manbij", "Syrian", "Damascus", "Tal Afar", "Iraq"]
    # GWN recognition: literal types only, with or without coordinates.
    assert [t.text for t in recognition_targets(article)] == [
        "Manbij", "Tal Afar", "Iraq", "Al Nour Street"]
    assert [t.text for t in resolution_targets(lgl[0])] == ["Raqqa", "Deir ez-Zor", "Baghdad"]
    assert len(recognition_targets(lgl[0])) == 4
    # A hand-built article follows the LGL rules: every toponym counts.
    mosul = GoldToponym(0, 5, "Mosul", "Metonymic", None, 36.3, 43.1)
    built = GoldArticle("x", "", "Mosul", [mosul])
    assert len(resolution_targets(built)) == len(recognition_targets(built)) == 1


@pytest.mark.parametrize("content, problem", [
    ("<articles><article><text>Mosul", "not well-formed XML"),
    ("<html><body>Mosul</body></html>", "root element is <html>"),
    ("<articles></articles>", "no <article>"),
    ("<articles><article file='1'><title/><toponyms><toponym><extractedName>Mosul"
     "</extractedName><type>Literal</type><start>0</start><end>5</end></toponym>"
     "</toponyms></article></articles>", "has no <text>"),
    ("<articles><article docid='1'><text>Mosul</text><toponyms><toponym><start>zero</start>"
     "<end>5</end><phrase>Mosul</phrase></toponym></toponyms></article></articles>",
     "bad toponym"),
    ("<articles><article><text>Mosul</text><toponyms><toponym><name>Mosul</name>"
     "</toponym></toponyms></article></articles>", "neither"),
])
def test_malformed_file_raises_corpus_error_naming_file(tmp_path, content, problem):
    path = tmp_path / "broken-corpus.xml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CorpusError) as err:
        read_corpus(path)
    message = str(err.value)
    assert "broken-corpus.xml" in message and problem in message and "\n" not in message


def test_missing_file_raises_corpus_error(tmp_path):
    with pytest.raises(CorpusError, match="absent.xml"):
        read_corpus(tmp_path / "absent.xml")


# --------------------------------------------------------------------------- metrics


def test_great_circle_km():
    one_degree = 6371.0088 * math.pi / 180
    assert great_circle_km(35.0, 40.0, 36.0, 40.0) == pytest.approx(one_degree)
    assert great_circle_km(0, 0, 0, 180) == pytest.approx(6371.0088 * math.pi)
    assert great_circle_km(36.34, 43.13, 36.34, 43.13) == 0
    assert great_circle_km(33.5, 36.3, 36.2, 37.2) == pytest.approx(
        great_circle_km(36.2, 37.2, 33.5, 36.3))


def test_auc_of_known_error_list():
    # ln(e + 1) = ln(20039) / 2 puts e halfway up the scale: curve (0, 0, 0.5) over
    # x = (0, 0.5, 1) has area 0.5 * 0.5 * 0.5 = 0.125.
    half = math.sqrt(MAX_ERROR_KM) - 1
    assert error_auc([half, 0.0, 0.0]) == pytest.approx(0.125)
    assert error_auc([0.0, 0.0]) == 0
    # Errors past the ceiling are clipped to 20039 km.
    assert error_auc([0.0, 50000.0]) == pytest.approx(0.5 * math.log(20040) / math.log(20039))


def test_resolution_scores_by_hand():
    scores = resolution_scores([100.0, None, 161.0, 0.0, 161.5],
                               [True, False, None, True, False])
    assert scores["n"] == 5
    assert scores["acc161"] == pytest.approx(3 / 5)  # 0, 100 and 161 km are hits
    assert scores["median_km"] == pytest.approx(161.0)
    assert scores["mean_km"] == pytest.approx((100 + 20039 + 161 + 0 + 161.5) / 5)
    assert scores["exact_id"] == pytest.approx(2 / 4)
    assert scores["auc"] == pytest.approx(error_auc([100, 20039, 161, 0, 161.5]))
    assert set(scores) == {"n", "acc161", "auc", "mean_km", "median_km", "exact_id"}


def test_resolution_scores_edge_cases():
    perfect = resolution_scores([0.0, 0.0, 0.0], [True, True, True])
    assert (perfect["acc161"], perfect["auc"], perfect["exact_id"]) == (1.0, 0.0, 1.0)
    empty = resolution_scores([], [])
    assert empty["n"] == 0 and empty["auc"] is None and empty["exact_id"] is None
    assert resolution_scores([5.0], [None])["exact_id"] is None


def test_match_spans_exact_first_then_overlap():
    gold = [(0, 5), (10, 16)]
    predicted = [(10, 16), (1, 3), (2, 4)]
    assert match_spans(gold, predicted) == [(0, 1), (1, 0)]
    # A predicted span overlapping two gold spans takes the one it covers most.
    assert match_spans([(0, 4), (5, 12)], [(3, 10)]) == [(1, 0)]
    assert match_spans([(0, 4)], [(4, 8)]) == []


def test_recognition_scores_constructed_case():
    gold = [(0, 0, 5), (0, 10, 16), (0, 20, 25), (1, 0, 4)]
    predicted = [
        (0, 0, 5),    # exact
        (0, 10, 14),  # overlaps gold (10, 16)
        (0, 11, 16),  # overlaps the same gold span again: a false positive
        (0, 30, 35),  # no gold there
        (1, 0, 4),    # exact
        (2, 0, 3),    # article without gold
        (1, 0, 4),    # repeated span counts once
    ]
    s = recognition_scores(gold, predicted)
    assert (s["precision"], s["recall"]) == pytest.approx((2 / 6, 2 / 4))
    assert s["f1"] == pytest.approx(0.4)
    assert (s["precision_overlap"], s["recall_overlap"]) == pytest.approx((3 / 6, 3 / 4))
    assert s["f1_overlap"] == pytest.approx(0.6)
    nothing = recognition_scores(gold, [])
    assert nothing["precision"] == nothing["recall"] == nothing["f1"] == 0.0


# --------------------------------------------------------------------------- runners

RUNNER_KEYS = {"n", "acc161", "auc", "mean_km", "median_km", "exact_id",
               "precision", "recall", "f1"}


def _gold_answer(article, spans):
    by_span = {(t.start, t.end): t for t in article.toponyms}
    return [Prediction(by_span[s].latitude, by_span[s].longitude, by_span[s].geonameid)
            for s in spans]


def test_evaluate_resolution_oracle_and_progress(gwn, lgl):
    corpus = gwn + lgl
    texts = {a.text: a for a in corpus}
    done = []
    scores = evaluate_resolution(corpus, lambda text, spans: _gold_answer(texts[text], spans),
                                 progress=done.append)
    assert set(scores) == RUNNER_KEYS
    assert scores["n"] == 8 and scores["acc161"] == 1.0 and scores["auc"] == 0.0
    assert scores["exact_id"] == 1.0 and scores["precision"] is None
    assert done == [1, 2, 3]


def test_evaluate_resolution_many_batches_and_unresolved(gwn):
    calls = []

    def resolve_many(jobs):
        calls.append(len(jobs))
        # First span a few km off with a wrong id, the rest unresolved.
        return [[Prediction(36.55, 37.95, 1)] + [None] * (len(spans) - 1) for _, spans in jobs]

    scores = evaluate_resolution_many(gwn, resolve_many)
    assert calls == [1]  # one call for the corpus; the article without targets is skipped
    assert scores["n"] == 5 and scores["acc161"] == pytest.approx(1 / 5)
    assert scores["median_km"] == MAX_ERROR_KM and scores["exact_id"] == 0.0
    with pytest.raises(ValueError, match="2 predictions for 5 spans"):
        evaluate_resolution_many(gwn, lambda jobs: [[None, None] for _ in jobs])


def test_evaluate_end2end(gwn):
    article = gwn[0]
    t = article.text

    def span(name):
        return t.index(name), t.index(name) + len(name)

    def geoparse(text):
        if text != t:
            return []
        return [
            (*span("Manbij"), 36.5281, 37.9549, 166365),   # exact, right place
            (span("Tal Afar")[0], span("Tal Afar")[0] + 3, 30.0, 40.0, None),  # "Tal": overlap
            (*span("Damascus"), None, None, None),         # not a recognition target
            (*span("Iraq"), 33.0, 44.0, 99237),            # exact
        ]

    done = []
    scores = evaluate_end2end(gwn, geoparse, progress=done.append)
    assert done == [1, 2]
    assert set(scores) == RUNNER_KEYS | {"precision_overlap", "recall_overlap", "f1_overlap",
                                         "precision_names", "recall_names", "f1_names"}
    # Recognition targets: Manbij, Tal Afar, Iraq, Al Nour Street.
    assert (scores["precision"], scores["recall"]) == pytest.approx((2 / 4, 2 / 4))
    assert (scores["precision_overlap"], scores["recall_overlap"]) == pytest.approx((3 / 4, 3 / 4))
    # Resolution on matched targets: Manbij 0 km, Tal Afar far off, Damascus unresolved, Iraq 0.
    assert scores["n"] == 4 and scores["acc161"] == pytest.approx(2 / 4)
    assert scores["exact_id"] == pytest.approx(2 / 4)
    batched = evaluate_end2end_many(gwn, lambda texts: [geoparse(x) for x in texts])
    assert batched == scores


def test_names_only_scores_leave_demonyms_out_of_both_sides(tmp_path):
    # GeoWebNews counts "Turkish" in "the Turkish market" as a literal modifier; geoevents
    # reads demonyms as evidence. The *_names scores leave such gold spans out, and a
    # prediction of one neither helps nor hurts there.
    text = "Trade on the Turkish market grew while shelling hit Mosul and Iraqi towns."
    toponyms = "".join([
        _gwn_toponym(text, "Turkish", "Literal_Modifier", 298795, 39.0, 35.0),
        _gwn_toponym(text, "Mosul", "Literal", 99072, 36.335, 43.1189),
        _gwn_toponym(text, "Iraqi", "Literal_Modifier", 99237, 33.0, 44.0),
    ])
    path = tmp_path / "gwn.xml"
    path.write_text(f'<?xml version="1.0" ?>\n<articles><article file="1"><title>t</title><link>http://x.test</link>'
                    f"<text>{text}</text><toponyms>{toponyms}</toponyms></article></articles>", encoding="utf-8")
    corpus = read_corpus(path)

    def geoparse(found):
        return lambda t: [(t.index(n), t.index(n) + len(n), None, None, None) for n in found]

    only_mosul = evaluate_end2end(corpus, geoparse(["Mosul"]))
    assert only_mosul["recall"] == pytest.approx(1 / 3) and only_mosul["recall_names"] == 1.0
    assert only_mosul["precision_names"] == 1.0 and only_mosul["f1_names"] == 1.0
    with_iraqi = evaluate_end2end(corpus, geoparse(["Mosul", "Iraqi"]))
    assert with_iraqi["recall"] == pytest.approx(2 / 3) and with_iraqi["f1_names"] == 1.0


def test_metonymic_predictions_count_only_where_the_corpus_annotates_them(gwn, lgl):
    # GeoWebNews scores literal toponyms: a prediction flagged metonymic is dropped before
    # scoring. LGL annotates every place name, so there the flag changes nothing.
    def flagged(article, names):
        t = article.text
        return [(t.index(n), t.index(n) + len(n), None, None, None, True) for n in names]

    gwn_scores = evaluate_end2end(gwn, lambda text: flagged(gwn[0], ["Manbij"]) if text == gwn[0].text else [])
    assert gwn_scores["precision"] is None or gwn_scores["precision"] == 0.0
    assert gwn_scores["recall"] == 0.0
    lgl_scores = evaluate_end2end(lgl, lambda text: flagged(lgl[0], ["Raqqa"]))
    assert lgl_scores["precision"] == 1.0 and lgl_scores["recall"] == pytest.approx(1 / 4)


def test_format_table():
    table = format_table({"n": 3, "acc161": 0.5, "auc": 0.25, "mean_km": 1234.5,
                          "median_km": 12.0, "exact_id": None, "precision": None,
                          "recall": None, "f1": None})
    lines = table.splitlines()
    assert len(lines) == 9
    assert "accuracy@161 km" in lines[1] and "50.0%" in lines[1]
    assert "1,234.5" in lines[3] and lines[5].rstrip().endswith("-")


# --------------------------------------------------------------------------- real corpora


@pytest.mark.parametrize("name, articles, toponyms, resolvable, recognisable", [
    ("GWN.xml", 200, 6607, 2399, 1456),  # 5 of the 6,612 GWN spans have broken offsets
    ("LGL.xml", 588, 5088, 4462, 5088),
])
def test_real_corpora(name, articles, toponyms, resolvable, recognisable):
    path = SHARED_DATA / "geoparsing" / name
    if not path.exists():
        pytest.skip(f"{path} not present")
    corpus = read_corpus(path)
    assert len(corpus) == articles
    assert sum(len(a.toponyms) for a in corpus) == toponyms
    assert sum(len(resolution_targets(a)) for a in corpus) == resolvable
    assert sum(len(recognition_targets(a)) for a in corpus) == recognisable
    for article in corpus:
        for top in article.toponyms:
            assert article.text[top.start:top.end] == top.text, (article.id, top)


# --------------------------------------------------------------------------- event locations


def _event_line(text, verb, *locations, source="test"):
    spans = [{"start": verb[0], "end": verb[1], "label": "VERB"}]
    spans += [{"start": s, "end": e, "label": "LOCATION"} for s, e in locations]
    return json.dumps({"text": text, "spans": spans, "source": source})


def test_event_location_reader_converts_token_offsets(tmp_path):
    by_chars = "Shelling hit Mayadin and Raqqa on Monday."
    by_tokens = "In the northern town of Tal Rifaat, rebels clashed with troops."
    spaced = " Fighting broke out in Dagestan on Monday."
    path = tmp_path / "events.jsonl"
    path.write_text("\n".join([
        _event_line(by_chars, (9, 12), (13, 20), (25, 30)),
        # tokens 5..6 inclusive: "Tal Rifaat"
        _event_line(by_tokens, (43, 50), (5, 6)),
        # a leading space is a token of its own: token 5 is "Dagestan"
        _event_line(spaced, (10, 15), (5, 5)),
        "",
        # fits neither reading: kept as given
        _event_line("Nothing happened.", (8, 16), (40, 90)),
        _event_line("It rained.", (3, 9)),
    ]) + "\n", encoding="utf-8")
    counts = {}
    examples = read_event_locations(path, counts=counts)
    assert [e.source for e in examples] == ["test"] * 5
    first, second, third, fourth, fifth = examples
    assert first.verb == (9, 12) and first.locations == {(13, 20), (25, 30)}
    assert [by_tokens[s:e] for s, e in second.locations] == ["Tal Rifaat"]
    assert [spaced[s:e] for s, e in third.locations] == ["Dagestan"]
    assert fourth.locations == {(40, 90)} and fifth.locations == frozenset()
    assert counts == dict(sentences=5, locations=5, char=2, token=2, kept=1, extra_verbs=0)


@pytest.mark.parametrize("line, problem", [
    ("{not json", "not JSON"),
    ('{"text": "Hi.", "spans": []}', "no VERB span"),
    ('{"text": "Hi.", "spans": [{"start": 0, "end": 2, "label": "PLACE"}]}', "unknown span label"),
    ('{"text": "Hi.", "spans": [{"start": 0, "end": 9, "label": "VERB"}]}', "outside the text"),
    ('["a list"]', "not a JSON object"),
])
def test_event_location_reader_names_file_and_line(tmp_path, line, problem):
    path = tmp_path / "bad.jsonl"
    path.write_text(_event_line("Jets struck Raqqa.", (5, 11)) + "\n" + line + "\n", encoding="utf-8")
    with pytest.raises(EventLocationError, match=re.escape(f"{path}:2: ") + ".*" + problem):
        read_event_locations(path)


def test_event_location_reader_missing_file(tmp_path):
    with pytest.raises(EventLocationError, match="cannot read"):
        read_event_locations(tmp_path / "absent.jsonl")


def test_event_location_scores():
    def ex(*spans):
        return EventLocationExample("text", (0, 1), frozenset(spans))

    gold = [ex((0, 5)), ex(), ex((0, 5), (10, 15)), ex(), ex((20, 25))]
    predicted = [
        [(0, 5)],              # right
        [],                    # right: says nowhere, nothing predicted
        [(0, 5)],              # one of two: wrong
        [(3, 8)],              # a place where gold has none: wrong
        [(20, 24)],            # overlapping but not exact: wrong
    ]
    s = score_event_locations(gold, predicted)
    assert s["n"] == 5 and s["accuracy"] == pytest.approx(2 / 5)
    assert s["precision"] == pytest.approx(2 / 4) and s["recall"] == pytest.approx(2 / 4)
    assert s["f1"] == pytest.approx(0.5)
    assert s["precision_overlap"] == pytest.approx(3 / 4) and s["recall_overlap"] == pytest.approx(3 / 4)
    assert s["empty_accuracy"] == pytest.approx(1 / 2) and s["located_accuracy"] == pytest.approx(1 / 3)
    assert (s["n_empty"], s["n_gold_spans"], s["n_predicted_spans"]) == (2, 4, 4)
    # plain span collections work as gold too
    assert score_event_locations([[(0, 5)], []], [[(0, 5)], []])["accuracy"] == 1.0
    with pytest.raises(ValueError):
        score_event_locations(gold, predicted[:2])


def test_evaluate_event_locations_runs_a_finder_in_batches(tmp_path):
    text = "Jets struck Raqqa on Monday."
    path = tmp_path / "events.jsonl"
    path.write_text("\n".join([_event_line(text, (5, 11), (12, 17))] * 5) + "\n", encoding="utf-8")

    class Finder:
        def __init__(self):
            self.calls = []

        def locations_for_texts(self, items, batch_size=64):
            self.calls.append(len(items))
            return [[(12, 17)] for _ in items]

    done = []
    finder = Finder()
    scores = evaluate_event_locations(path, finder, batch_size=2, progress=done.append)
    assert scores["accuracy"] == 1.0 and scores["n"] == 5
    assert finder.calls == [2, 2, 1] and done == [2, 4, 5]
    assert evaluate_event_locations(path, Finder(), limit=3)["n"] == 3
