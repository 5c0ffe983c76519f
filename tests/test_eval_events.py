"""The UCDP GED event harness (eval events) and the CASE 2021 task 2 typing harness (eval event-types).

The fixture files are written here, in our own words, in the two formats: nothing is copied
from the real data under ../shared.
"""
from __future__ import annotations

import json
from dataclasses import replace
from types import SimpleNamespace
from datetime import date

import pytest

from geoevents.evaluate import (
    CASE_SUBTYPES,
    NO_EVENT,
    UCDP_TYPES_OF,
    CaseError,
    UCDPError,
    evaluate_event_types,
    evaluate_ucdp,
    format_event_types_table,
    format_ucdp_table,
    read_case_snippets,
    read_ucdp,
    ucdp_types,
)
from geoevents.events.record import EVENT_TYPE_OF, EVENT_TYPES, Event
from test_cli import run

UCDP_HEADER = ("id,date_start,date_end,date_prec,where_prec,where_coordinates,adm_1,adm_2,latitude,longitude,"
               "type_of_violence,side_a,side_b,deaths_a,deaths_b,deaths_civilians,deaths_unknown,best,low,high,"
               "event_clarity,source_office,source_date,source_headline")


def _ucdp_row(id, start, end, date_prec, where_prec, lat, lon, violence, best, low, high, source_date, headline):
    return (f'{id},{start},{end},{date_prec},{where_prec},somewhere,,,{lat},{lon},{violence},A,B,0,0,0,{best},'
            f'{best},{low},{high},1,Newsroom,{source_date},"{headline}"')


ABU_KAMAL = (34.4506, 40.9186)
PALMYRA = (34.5601, 38.2676)
DEIR_EZZOR_PROVINCE = (35.1500, 40.3000)

# A: an air strike on Abu Kamal, exact place and day; B: a latitude that is not a number;
# C: a province-level clash (where_prec 4); D: one-sided violence near Palmyra; E: two
# headlines and two source dates (one with HTML entities), no event; F: no headline;
# G: a date known only to the week (date_prec 2).
UCDP_ROWS = [
    _ucdp_row(1, "2017-06-10", "2017-06-10", 1, 1, *ABU_KAMAL, 1, 4, 3, 5, "2017-06-10",
              "Warplanes struck Abu Kamal, killing 4 people"),
    _ucdp_row(2, "2017-06-11", "2017-06-11", 1, 1, "north", 40.9, 1, 2, 2, 2, "2017-06-11",
              "Shells fell on a village east of the river"),
    _ucdp_row(3, "2017-02-10", "2017-02-10", 1, 4, *DEIR_EZZOR_PROVINCE, 2, 3, 2, 6, "2017-02-11",
              "Clashes continue between the factions in the countryside of Deir Ezzor"),
    _ucdp_row(4, "2016-05-03", "2016-05-03", 1, 1, *PALMYRA, 3, 1, 1, 1, "2016-05-08",
              "Gunmen shot dead a shepherd near Palmyra"),
    _ucdp_row(5, "2017-03-01", "2017-03-02", 1, 1, 33.51, 36.29, 1, 2, 1, 3, "2017-03-01;2017-03-02",
              "Talks resumed in Geneva;Ceasefire &#8220;holds&#8221; in the south"),
    _ucdp_row(6, "2017-04-01", "2017-04-01", 1, 1, 36.2, 37.1, 1, 2, 2, 2, "2017-04-01", " "),
    _ucdp_row(7, "2017-05-01", "2017-05-07", 2, 1, 35.93, 36.63, 1, 2, 2, 2, "2017-05-08",
              "Shelling hit Idlib last week"),
]


@pytest.fixture
def ucdp_file(tmp_path):
    path = tmp_path / "ged.csv"
    path.write_text("\n".join([UCDP_HEADER, *UCDP_ROWS]) + "\n", encoding="utf-8")
    return path


def _event(sub_type, lat=None, lon=None, day=None, dead=0):
    return Event(event_id="E", event_date=day, time_precision=1 if day else None, event_type=EVENT_TYPE_OF[sub_type],
                 sub_event_type=sub_type, latitude=lat, longitude=lon, fatalities=dead)


class StubExtractor:
    """Events looked up by the article's text; records what it was given."""

    def __init__(self, answers: dict):
        self.answers = answers
        self.seen: list = []
        self.batches: list[int] = []

    def extract_many(self, articles, batch_size=16, report=None):
        articles = list(articles)
        for lo in range(0, len(articles), batch_size):
            batch = articles[lo:lo + batch_size]
            self.batches.append(len(batch))
            for article in batch:
                self.seen.append((article.text, article.published))
                if article.text == "FAIL":
                    report(article)
                    continue
                yield article, self.answers.get(article.text, [])


UCDP_ANSWERS = {
    # A: a far, undated shelling first (as if the text said so); the air strike is the best match.
    "Warplanes struck Abu Kamal, killing 4 people": [
        _event("Shelling/artillery/missile attack", 33.51, 36.29),
        _event("Air/drone strike", 34.4523, 40.9185, "2017-06-10", 4),
    ],
    # C: about 33 km from the province point, dated a day after the event: dated, not located.
    "Clashes continue between the factions in the countryside of Deir Ezzor": [
        _event("Armed clash", 35.40, 40.10, "2017-02-11"),
    ],
    # D: at Palmyra but dated five days late, and typed as a battle (UCDP: one-sided).
    "Gunmen shot dead a shepherd near Palmyra": [_event("Armed clash", 34.5580, 38.2800, "2016-05-08", 1)],
}


def test_read_ucdp_skips_and_counts_bad_rows(ucdp_file):
    counts: dict = {}
    rows = read_ucdp(ucdp_file, counts=counts)
    assert [r.id for r in rows] == ["1", "3", "4", "5", "7"]
    assert counts == dict(rows=7, filtered_out=0, skipped=2, skip_reasons={"bad coordinates": 1, "no headline": 1})
    first = rows[0]
    assert (first.date_start, first.where_prec, first.type_of_violence, first.low, first.high) == \
        (date(2017, 6, 10), 1, 1, 3, 5)
    # Two headlines and two dates: two articles, each on its own date; entities decoded before splitting.
    assert rows[3].texts == (("Talks resumed in Geneva", date(2017, 3, 1)),
                             ("Ceasefire \u201cholds\u201d in the south", date(2017, 3, 2)))
    rows = read_ucdp(ucdp_file, where_prec=1, date_prec=1, counts=counts)
    assert [r.id for r in rows] == ["1", "4", "5"]
    assert counts["filtered_out"] == 2 and counts["skipped"] == 2


def test_ucdp_low_above_high_is_read_as_a_range(tmp_path):
    path = tmp_path / "swapped.csv"
    path.write_text("\n".join([UCDP_HEADER, _ucdp_row(9, "2017-01-01", "2017-01-01", 1, 1, 35.0, 38.0, 1, 8, 8, 7,
                                                      "2017-01-01", "Eight killed in clashes")]), encoding="utf-8")
    [row] = read_ucdp(path)
    assert (row.low, row.high) == (7, 8)


def test_ucdp_scores_from_a_stub_extractor(ucdp_file):
    stub = StubExtractor(UCDP_ANSWERS)
    done: list[int] = []
    scores = evaluate_ucdp(ucdp_file, stub, date_prec=1, batch_size=2, progress=done.append)
    # Rows A, C, D, E scored (G filtered out by date_prec, B and F skipped).
    assert (scores["n"], scores["skipped"], scores["filtered_out"], scores["failed"]) == (4, 2, 1, 0)
    assert {m: scores[m] for m in ("events", "located", "dated", "both", "type", "deaths")} == \
        dict(events=0.75, located=0.5, dated=0.5, both=0.25, type=0.5, deaths=0.5)
    assert scores["counts"] == dict(events=3, located=2, dated=2, both=1, type=2, deaths=2, with_place=3)
    assert scores["with_place"] == 0.75 and scores["named_place"] is None   # the stub gives no toponyms
    assert scores["events_per_row"] == 1.0
    assert scores["by_where_prec"]["1"] == dict(n=3, events=2 / 3, located=2 / 3, dated=1 / 3, both=1 / 3,
                                                type=1 / 3, deaths=2 / 3)
    assert scores["by_where_prec"]["4"] == dict(n=1, events=1.0, located=0.0, dated=1.0, both=0.0, type=1.0,
                                                deaths=0.0)
    assert list(scores["by_type_of_violence"]) == ["1", "2", "3"]
    assert scores["by_type_of_violence"]["3"]["type"] == 0.0
    assert scores["filters"] == dict(where_prec=None, date_prec=1, limit=None)
    # Five articles (row E gives two), in batches of two; each with its publication date.
    assert stub.batches == [2, 2, 1]
    assert ("Ceasefire \u201cholds\u201d in the south", date(2017, 3, 2)) in stub.seen
    assert done[-1] == 4 and done == sorted(done)
    table = format_ucdp_table(scores)
    assert "located and dated (one event)" in table and "25.0%" in table
    assert "skipped: bad coordinates: 1" in table


class AnalysingStub(StubExtractor):
    """Also yields the places its 'geoparser' resolved in each headline, looked up by the text."""

    def __init__(self, answers: dict, places: dict):
        super().__init__(answers)
        self.places = places

    def analyse_many(self, articles, batch_size=16, report=None):
        for article, events in self.extract_many(articles, batch_size, report):
            toponyms = [SimpleNamespace(resolved=SimpleNamespace(latitude=lat, longitude=lon))
                        for lat, lon in self.places.get(article.text, [])]
            yield article, events, [*toponyms, SimpleNamespace(resolved=None)]   # and a name it did not resolve


def test_ucdp_bounds_located_by_the_places_headlines_name(ucdp_file):
    places = {
        "Warplanes struck Abu Kamal, killing 4 people": [ABU_KAMAL],
        # the province's own point, 33 km from where UCDP placed the clash: named, not near
        "Clashes continue between the factions in the countryside of Deir Ezzor": [(35.40, 40.10)],
    }
    scores = evaluate_ucdp(ucdp_file, AnalysingStub(UCDP_ANSWERS, places), date_prec=1)
    assert scores["n"] == 4
    assert (scores["named_place"], scores["named_near"]) == (0.5, 0.25)
    assert (scores["counts"]["named_place"], scores["counts"]["named_near"]) == (2, 1)
    assert scores["located"] == 0.5   # row D's stub event lies at Palmyra although its headline named no place
    assert "(bounds located)" in format_ucdp_table(scores)


def test_ucdp_limit_and_failed_headlines(ucdp_file):
    stub = StubExtractor({**UCDP_ANSWERS, "Gunmen shot dead a shepherd near Palmyra": []})
    scores = evaluate_ucdp(ucdp_file, stub, where_prec=1, date_prec=1, limit=2)
    assert scores["n"] == 2 and scores["events"] == 0.5 and scores["deaths"] == 0.5
    assert scores["filters"]["limit"] == 2
    rows = read_ucdp(ucdp_file)
    scores = evaluate_ucdp([replace(rows[0], texts=(("FAIL", None),))], StubExtractor({}))
    assert (scores["n"], scores["failed"], scores["events"]) == (1, 1, 0.0)


def test_ucdp_type_mapping_is_one_table_over_acled_types():
    assert UCDP_TYPES_OF.keys() == EVENT_TYPES.keys()
    assert ucdp_types("Battles") == ucdp_types("Explosions/Remote violence") == {1, 2}
    assert ucdp_types("Violence against civilians") == {3}
    assert ucdp_types("Protests") == ucdp_types("Strategic developments") == ucdp_types("nonsense") == set()


@pytest.mark.parametrize("content, problem", [
    ("id,latitude,longitude\n1,2,3\n", "not a UCDP GED file: no date_start"),
    ("", "not a UCDP GED file"),
])
def test_ucdp_reader_errors_name_the_file(tmp_path, content, problem):
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(UCDPError, match=problem) as caught:
        read_ucdp(path)
    assert str(path) in str(caught.value)
    with pytest.raises(UCDPError, match="cannot read"):
        read_ucdp(tmp_path / "missing.csv")


CASE_LINES = [
    "id\tEventSnippet\tSubType",
    "1\tJets bombed a market in Maarat al-Numan on Tuesday, killing nine people.\tAIR_STRIKE",
    "2\tHundreds of teachers protested peacefully in Beirut on Sunday, demanding unpaid wages.\tPEACE_PROTEST",
    "3\tRebels and army troops fought for hours outside Daraa.\tARMED_CLASH",
    "4\tHeavy rains flooded dozens of homes in the Nile delta, and two people drowned.\tNATURAL_DISASTER",
    "5\tThe foreign ministers met in Oslo to discuss trade.\tDIPLO",
    "6\ta row that lost its label",
    "7\tA lorry overturned on the coast road.\tTRAFFIC_ACCIDENT",
    "",
]


@pytest.fixture
def case_file(tmp_path):
    path = tmp_path / "case.tsv"
    path.write_text("\n".join(CASE_LINES), encoding="utf-8")
    return path


def test_read_case_snippets_skips_and_counts(case_file):
    counts: dict = {}
    snippets = read_case_snippets(case_file, counts=counts)
    assert [s.code for s in snippets] == ["AIR_STRIKE", "PEACE_PROTEST", "ARMED_CLASH", "NATURAL_DISASTER", "DIPLO"]
    assert snippets[0].sub_event_type == "Air/drone strike" and snippets[3].sub_event_type is None
    assert counts == dict(rows=7, skipped=2, skip_reasons={"2 tab-separated fields, not 3": 1, "unknown SubType": 1},
                          unknown_codes={"TRAFFIC_ACCIDENT": 1})


def test_case_codes_map_one_to_one_onto_the_25_acled_sub_types():
    mapped = [sub for sub in CASE_SUBTYPES.values() if sub is not None]
    assert len(mapped) == 25 and set(mapped) == set(EVENT_TYPE_OF)
    assert {c for c, sub in CASE_SUBTYPES.items() if sub is None} == \
        {"NATURAL_DISASTER", "MAN_MADE_DISASTER", "ORG_CRIME", "DIPLO", "ATTRIB"}


def test_event_type_scores_from_a_stub_extractor(case_file):
    stub = StubExtractor({
        "Jets bombed a market in Maarat al-Numan on Tuesday, killing nine people.": [_event("Air/drone strike")],
        # The first event in the text is the prediction: a battle, but the wrong sub-type.
        "Rebels and army troops fought for hours outside Daraa.": [_event("Government regains territory"),
                                                                    _event("Armed clash")],
        "The foreign ministers met in Oslo to discuss trade.": [_event("Armed clash")],
    })
    scores = evaluate_event_types(case_file, stub, batch_size=4)
    assert (scores["n"], scores["skipped"], scores["conflict"], scores["non_conflict"]) == (5, 2, 3, 2)
    assert scores["accuracy"] == pytest.approx(1 / 3)
    assert scores["event_type_accuracy"] == pytest.approx(2 / 3)
    # Classes: air strike (F1 1), protest (0), clash (0: missed, and falsely given for DIPLO), regains (0).
    assert (scores["macro_f1"], scores["macro_f1_classes"]) == (0.25, 4)
    assert scores["no_event"] == pytest.approx(1 / 3) and scores["quiet"] == 0.5
    assert scores["confusions"] == [
        dict(gold="Armed clash", predicted="Government regains territory", n=1),
        dict(gold="DIPLO", predicted="Armed clash", n=1),
        dict(gold="Peaceful protest", predicted=NO_EVENT, n=1),
    ]
    per_class = scores["per_class"]
    assert per_class["AIR_STRIKE"] == dict(sub_event_type="Air/drone strike", n=1, correct=1, f1=1.0, wrong=None,
                                           wrong_n=0)
    assert per_class["PEACE_PROTEST"]["wrong"] == NO_EVENT
    assert (per_class["NATURAL_DISASTER"]["correct"], per_class["DIPLO"]["correct"]) == (1, 0)
    assert scores["unknown_codes"] == {"TRAFFIC_ACCIDENT": 1}
    assert [text for text, _ in stub.seen][0].startswith("Jets bombed") and {p for _, p in stub.seen} == {None}
    table = format_event_types_table(scores)
    assert "DIPLO (no event)" in table and "Armed clash (1)" in table and "0.250" in table


@pytest.mark.parametrize("content, problem", [
    ("", "empty file"),
    ("id\tSnippet\n1\tsomething\n", "no EventSnippet or SubType column"),
    ("id\tEventSnippet\tSubType\n1\tx\tNOT_A_CODE\n", "no usable snippet"),
])
def test_case_reader_errors(tmp_path, content, problem):
    path = tmp_path / "bad.tsv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CaseError, match=problem):
        read_case_snippets(path)


def test_every_code_of_the_case_dev_file_maps(shared_data):
    path = shared_data / "events" / "case2021_task2_dev.tsv"
    if not path.is_file():
        pytest.skip("no CASE 2021 task 2 file")
    counts: dict = {}
    snippets = read_case_snippets(path, counts=counts)
    assert counts["skipped"] == 0 and counts["unknown_codes"] == {}
    assert {CASE_SUBTYPES[s.code] for s in snippets} - {None} == set(EVENT_TYPE_OF)


# -- the command, end to end with the real extractor ---------------------------------------------

def test_cli_eval_events(ucdp_file, cache_dir, gazetteer):
    result = run(["eval", "events", str(ucdp_file), "--where-prec", "1", "--date-prec", "1", "--json", "-q"],
                 cache_dir)
    assert result.returncode == 0, result.stderr
    scores = json.loads(result.stdout)
    assert (scores["n"], scores["skipped"], scores["filtered_out"]) == (3, 2, 2)
    assert list(scores["by_where_prec"]) == ["1"]
    assert scores["filters"] == dict(where_prec=1, date_prec=1, limit=None, year=None)
    other_year = run(["eval", "events", str(ucdp_file), "--year", "1999", "-q"], cache_dir)
    assert other_year.returncode == 2 and "no rows of 1999" in other_year.stderr
    assert scores["skip_reasons"] == {"bad coordinates": 1, "no headline": 1}
    # The Abu Kamal air strike alone: found at the town, on the day, a state-based kind of event, 4 dead.
    result = run(["eval", "events", str(ucdp_file), "--limit", "1", "-q"], cache_dir)
    assert result.returncode == 0, result.stderr
    lines = dict(line.rsplit(None, 1) for line in result.stdout.splitlines()[:8])
    assert {key.strip(): value for key, value in lines.items()} == {
        "rows scored": "1", "rows skipped (bad)": "2", "rows giving an event": "100.0%",
        "located (within 25 km)": "100.0%", "dated (within a day)": "100.0%",
        "located and dated (one event)": "100.0%", "type of violence agrees": "100.0%",
        "deaths within low..high": "100.0%"}


def test_cli_eval_event_types(case_file, cache_dir, gazetteer):
    result = run(["eval", "event-types", str(case_file), "--json", "-q"], cache_dir)
    assert result.returncode == 0, result.stderr
    scores = json.loads(result.stdout)
    assert (scores["n"], scores["skipped"], scores["conflict"], scores["non_conflict"]) == (5, 2, 3, 2)
    per_class = scores["per_class"]
    assert per_class["AIR_STRIKE"]["correct"] == 1 and per_class["PEACE_PROTEST"]["correct"] == 1
    assert scores["quiet"] == 1.0   # the flood and the ministers' meeting give no conflict event
    assert scores["unknown_codes"] == {"TRAFFIC_ACCIDENT": 1}


def test_cli_eval_errors_are_one_line(tmp_path):
    missing = run(["eval", "events", str(tmp_path / "none.csv"), "-q"], tmp_path)
    assert missing.returncode == 2 and missing.stderr.startswith("geoevents: error:") and "Traceback" not in missing.stderr
    assert "none.csv" in missing.stderr
    empty = tmp_path / "empty.tsv"
    empty.write_text("id\tEventSnippet\tSubType\n", encoding="utf-8")
    result = run(["eval", "event-types", str(empty), "-q"], tmp_path)
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1
    filtered = tmp_path / "ged.csv"
    filtered.write_text("\n".join([UCDP_HEADER, *UCDP_ROWS]), encoding="utf-8")
    result = run(["eval", "events", str(filtered), "--where-prec", "6", "-q"], tmp_path)
    assert result.returncode == 2 and "no rows to score (7 read, 7 filtered out, 0 skipped)" in result.stderr
    for command in (["eval", "events"], ["eval", "event-types"]):
        assert run([*command, "--help"], tmp_path).returncode == 0
