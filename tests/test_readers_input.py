"""Reader input regressions: datelines date JSON/CSV rows, runaway CSV quotes lose no row, JSON errors give the real column."""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from geoevents.text import Article, ReadReport, read_articles

MOSUL_WIRE = ("MOSUL, Iraq, July 10, 2017 (Reuters) - Iraqi troops cleared the last streets of "
              "the old city of Mosul on Monday, officers said.")
RAQQA_WIRE = "RAQQA, Syria, 6 June 2017 (AP) — Kurdish-led fighters entered the eastern edge of Raqqa."


def write(path: Path, content: str) -> Path:
    path.write_text(content, encoding="utf-8", newline="")
    return path


def jsonl(*rows: dict) -> str:
    return "".join(json.dumps(row) + "\n" for row in rows)


def read(inputs, **kwargs) -> tuple[list[Article], ReadReport]:
    report = ReadReport()
    return list(read_articles(inputs, report=report, **kwargs)), report


# --- 1. a JSON or CSV article without a published date takes its dateline's ----------------------

def test_jsonl_json_and_csv_rows_take_published_from_their_dateline(tmp_path):
    lines = write(tmp_path / "wire.jsonl", jsonl(
        {"id": "m1", "text": MOSUL_WIRE},
        {"id": "m2", "text": MOSUL_WIRE, "published": "2017-07-11"},  # the row's own date wins
        {"id": "m3", "text": "Shelling hit Mosul on July 10, 2017 - no dateline here."},
    ))
    array = write(tmp_path / "wire.json", json.dumps([{"id": "r1", "text": RAQQA_WIRE}]))
    table = write(tmp_path / "wire.csv", f'id,text\nr2,"{RAQQA_WIRE}"\n')
    articles, report = read([lines, array, table])
    assert report.count == 0
    assert [(a.id, a.published) for a in articles] == [
        ("m1", date(2017, 7, 10)), ("m2", date(2017, 7, 11)), ("m3", None),
        ("r1", date(2017, 6, 6)), ("r2", date(2017, 6, 6))]


def test_the_published_argument_beats_a_rows_dateline_as_for_text_files(tmp_path):
    lines = write(tmp_path / "wire.jsonl", jsonl({"text": MOSUL_WIRE}))
    text = write(tmp_path / "wire.txt", MOSUL_WIRE)
    articles, _ = read([lines, text], published="2017-07-14")
    assert [a.published for a in articles] == [date(2017, 7, 14), date(2017, 7, 14)]


def test_two_jsonl_reports_of_one_event_merge_in_the_store(gazetteer, tmp_path):
    from geoevents.events import EventExtractor
    from geoevents.geoparsing import Geoparser
    from geoevents.io.store import EventStore

    reports = write(tmp_path / "mosul.jsonl", jsonl(
        {"id": "wire-1", "source": "Reuters", "text":
            "MOSUL, Iraq, July 10, 2017 (Reuters) - Coalition aircraft struck an Islamic State "
            "command post in Mosul on Sunday, residents said."},
        {"id": "wire-2", "source": "AP", "text":
            "MOSUL, Iraq, July 10, 2017 (AP) - Coalition jets bombed an Islamic State command "
            "post in Mosul on Sunday, a local official said."},
    ))
    articles, report = read(reports)
    assert report.count == 0 and [a.published for a in articles] == [date(2017, 7, 10)] * 2
    extractor = EventExtractor(Geoparser(gazetteer))
    found = [e for _, events in extractor.extract_many(articles) for e in events]
    assert {e.sub_event_type for e in found} == {"Air/drone strike"}
    assert {e.event_date for e in found} == {"2017-07-09"}
    store = EventStore(tmp_path / "events.gpkg")
    result = store.append(found)
    assert (result.added, result.merged) == (1, len(found) - 1)
    [event] = store.events()
    assert event.source == "Reuters; AP" and event.article_id == "wire-1; wire-2"


# --- 2. a CSV quote never closed loses one row, reported, not the rows after it --------------------

def test_csv_unterminated_quote_reports_its_row_and_reads_the_next_rows(tmp_path):
    path = write(tmp_path / "rows.csv", (
        "id,text\n"
        "1,Airstrikes hit Deir ez-Zor\n"
        '2,"Shelling hit Raqqa overnight\n'  # the quote is never closed
        "3,Clashes broke out in Mosul\n"
        "4,A car bomb exploded in Raqqa\n"))
    articles, report = read(path)
    assert [(a.id, a.text) for a in articles] == [
        ("1", "Airstrikes hit Deir ez-Zor"), ("3", "Clashes broke out in Mosul"),
        ("4", "A car bomb exploded in Raqqa")]
    [skipped] = report.skipped
    assert skipped.origin == f"{path}:3"
    assert "quote" in skipped.reason and "never closed" in skipped.reason


def test_csv_quote_closed_by_a_later_rows_quote_loses_only_its_own_row(tmp_path):
    path = write(tmp_path / "rows.csv", (
        "id,text\n"
        '1,"Shelling hit Raqqa\n'           # runs on until the quote that opens row 3's text
        "2,Airstrikes hit Deir ez-Zor\n"
        '3,"Clashes in Mosul, officials said"\n'
        "4,A car bomb exploded in Raqqa\n"))
    articles, report = read(path)
    assert [a.id for a in articles] == ["2", "3", "4"]
    assert articles[1].text == "Clashes in Mosul, officials said"
    assert [s.origin for s in report.skipped] == [f"{path}:2"]


def test_csv_quoted_text_over_several_lines_is_still_one_article(tmp_path):
    path = write(tmp_path / "rows.csv", (
        "id,text\r\n"
        '1,"Airstrikes hit Deir ez-Zor.\r\n\r\n""We heard the jets,"" a resident said."\r\n'
        "2,Clashes broke out in Mosul\r\n"))
    articles, report = read(path)
    assert report.count == 0
    assert [a.id for a in articles] == ["1", "2"]
    assert articles[0].text == 'Airstrikes hit Deir ez-Zor.\r\n\r\n"We heard the jets," a resident said.'


# --- 3. a JSON syntax error at the end of a line gives that line and column ------------------------

@pytest.mark.parametrize("line, column", [
    ('{"id": "m2", "text": "Shelling hit Raqqa"', 42),   # no closing brace
    ('{"id": "m2", "text":', 21),                         # no value
    ('{"id": "m2", "text": "Shelling hit Raqqa",  ', 43),  # trailing comma, then spaces
])
def test_jsonl_error_at_the_end_of_a_line_gives_its_column(tmp_path, line, column):
    path = write(tmp_path / "wire.jsonl", jsonl({"id": "m1", "text": MOSUL_WIRE}) + line + "\r\n"
                 + jsonl({"id": "m3", "text": RAQQA_WIRE}))
    articles, report = read(path)
    assert [a.id for a in articles] == ["m1", "m3"]
    [skipped] = report.skipped
    assert skipped.origin == f"{path}:2"
    assert skipped.reason.endswith(f"at column {column}")


@pytest.mark.parametrize("lines, line, reason", [
    (['  {"id": "a", "text": "Airstrikes hit Deir ez-Zor"},', '  {"id": "b", "text": "Shelling hit Raqqa"',  # no }
      '  {"id": "c", "text": "Clashes in Mosul"}'], 3, "at column 43;"),
    (['  {"id": "a", "text": "Airstrikes hit Deir ez-Zor"}', '  {"id": "b", "text": "Shelling hit Raqqa"}'],  # no ,
     2, "invalid JSON: Expecting ',' delimiter at column 52; rest of file not read"),
])
def test_json_array_error_at_the_end_of_a_line_gives_that_line_and_column(tmp_path, lines, line, reason):
    path = write(tmp_path / "batch.json", "[\n" + "\n".join(lines) + "\n]\n")
    articles, report = read(path)
    assert [a.id for a in articles] == ["a"]
    [skipped] = report.skipped
    assert skipped.origin == f"{path}:{line}"
    assert reason in skipped.reason


def test_json_error_in_the_middle_of_a_line_keeps_its_place(tmp_path):
    path = write(tmp_path / "batch.json", '[\n{"id": "a", "text": oops}\n]\n')
    _, report = read(path)
    assert report.skipped[0].origin == f"{path}:2"
    assert "Expecting value at column 21;" in report.skipped[0].reason
