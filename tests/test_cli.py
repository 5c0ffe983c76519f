"""The geoevents command as a user runs it: help everywhere, JSON on stdout, one-line errors."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "geoevents" / "examples"

COMMANDS = [[], ["gazetteer"], ["gazetteer", "build"], ["gazetteer", "lookup"], ["gazetteer", "info"],
            ["geoparse"], ["parse"], ["map"], ["eval"], ["eval", "toponyms"], ["eval", "event-locations"]]


def run(args, cache_dir, stdin=None):
    env = {**os.environ, "GEOEVENTS_CACHE_DIR": str(cache_dir), "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "geoevents.cli", *args], capture_output=True, text=True,
                          env=env, input=stdin, timeout=600)


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "geoevents")
def test_every_command_has_help(command, tmp_path):
    result = run([*command, "--help"], tmp_path)
    assert result.returncode == 0
    assert "usage: geoevents" in result.stdout


def test_lookup_prints_json(cache_dir, gazetteer):
    result = run(["gazetteer", "lookup", "Dayr az Zawr", "--json", "-q"], cache_dir)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["query"] == "Dayr az Zawr"
    assert data["results"][0]["geonameid"] == 170794
    assert run(["gazetteer", "lookup", "Thursday", "--json", "-q"], cache_dir).returncode == 1


def test_lookup_table_and_country_hint(cache_dir, gazetteer):
    result = run(["gazetteer", "lookup", "Alexandria", "--country", "US", "-n", "2", "-q"], cache_dir)
    assert result.returncode == 0
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 2 and all("United States" in line for line in lines)


def test_info_json(cache_dir, gazetteer):
    data = json.loads(run(["gazetteer", "info", "--json", "-q"], cache_dir).stdout)
    assert data["counts"]["places"] > 280_000 and data["size_bytes"] > 0


def test_build_with_a_bad_file_is_one_line_naming_it(cache_dir, gazetteer, tmp_path):
    bad = tmp_path / "cities500.zip"
    bad.write_text("not a zip")
    result = run(["gazetteer", "build", "--geonames", str(bad), "-q"], cache_dir)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "cities500.zip" in result.stderr
    assert "Traceback" not in result.stderr
    missing = run(["gazetteer", "build", "--places-csv", str(tmp_path / "nope.csv"), "-q"], cache_dir)
    assert missing.returncode == 2 and "nope.csv: no such file" in missing.stderr


def test_geoparse_json_on_an_example_article(cache_dir, gazetteer):
    article = EXAMPLES / "euphrates-strikes-2017-07.txt"
    result = run(["geoparse", str(article), "--json", "-q"], cache_dir)
    assert result.returncode == 0, result.stderr
    toponyms = json.loads(result.stdout)["files"][0]["toponyms"]
    names = {t["text"]: t for t in toponyms}
    assert names["Abu Kamal"]["place"]["geonameid"] == 174448
    assert names["Old City of Mosul"]["place"]["country_code"] == "IQ"


def test_geoparse_reads_stdin_and_reports_bad_files(cache_dir, gazetteer, tmp_path):
    result = run(["geoparse", "-", "-q"], cache_dir, stdin="Clashes broke out in Hajin on Friday.")
    assert result.returncode == 0 and "Hajin" in result.stdout
    binary = tmp_path / "scan.txt"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    bad = run(["geoparse", str(binary), "-q"], cache_dir)
    assert bad.returncode == 2 and "scan.txt: not UTF-8" in bad.stderr and "Traceback" not in bad.stderr


GWN_STYLE = """<?xml version="1.0" ?>
<articles>
  <article file="0">
    <title>Strikes</title>
    <link>none</link>
    <text>{text}</text>
    <toponyms>
      <toponym><extractedName>Mayadin</extractedName><normalisedName>Mayadin</normalisedName>
        <type>Literal</type><modifierType/><nonLocational/><start>{start}</start><end>{end}</end>
        <geonamesID>173480</geonamesID><latitude>35.01982</latitude><longitude>40.45154</longitude></toponym>
    </toponyms>
  </article>
</articles>
"""


@pytest.mark.parametrize("mode", ["resolve", "end2end"])
def test_eval_toponyms_json_keys(cache_dir, gazetteer, tmp_path, mode):
    text = "Coalition aircraft struck a depot in Mayadin on Tuesday."
    start = text.index("Mayadin")
    corpus = tmp_path / "mini.xml"
    corpus.write_text(GWN_STYLE.format(text=text, start=start, end=start + 7))
    result = run(["eval", "toponyms", str(corpus), "--mode", mode, "--json", "-q"], cache_dir)
    assert result.returncode == 0, result.stderr
    scores = json.loads(result.stdout)
    for key in ("n", "acc161", "auc", "mean_km", "median_km", "exact_id", "precision", "recall", "f1"):
        assert key in scores
    assert scores["n"] == 1 and scores["acc161"] == 1.0 and scores["exact_id"] == 1.0
    if mode == "end2end":
        assert scores["recall"] == 1.0
    else:
        assert scores["precision"] is None


def test_eval_on_a_file_that_is_not_a_corpus(cache_dir, tmp_path):
    bad = tmp_path / "notes.xml"
    bad.write_text("<notes><note>hello</note></notes>")
    result = run(["eval", "toponyms", str(bad), "-q"], cache_dir)
    assert result.returncode == 2 and "notes.xml" in result.stderr and "Traceback" not in result.stderr


def test_geoparse_examples(cache_dir, gazetteer):
    result = run(["geoparse", "--examples", "-q"], cache_dir)
    assert result.returncode == 0, result.stderr
    # "Deir ez-Zor province": the name is Deir ez-Zor, the word after it says it is the province.
    assert "Abu Kamal" in result.stdout and "Deir ez-Zor (province)" in result.stdout
    assert run(["geoparse", "-q"], cache_dir).returncode == 2


def test_parse_examples_is_the_quick_start_and_twice_adds_nothing(cache_dir, gazetteer, tmp_path):
    store = tmp_path / "events.gpkg"
    first = run(["parse", "--examples", "-o", str(store), "--json", "-q"], cache_dir)
    assert first.returncode == 0, first.stderr
    summary = json.loads(first.stdout)
    assert summary["articles"] == len(list(EXAMPLES.glob("*.txt")))
    assert summary["events"] > 0 and summary["added"] > 0
    again = json.loads(run(["parse", "--examples", "-o", str(store), "--json", "-q"], cache_dir).stdout)
    assert again["added"] == 0 and again["merged"] == 0 and again["unchanged"] == again["events"]

    import pyogrio

    info = pyogrio.read_info(store, layer="events")
    assert info["geometry_type"] == "Point" and info["crs"] == "EPSG:4326"
    assert info["features"] == summary["added"]


def test_parse_skips_bad_rows_reports_them_and_goes_on(cache_dir, gazetteer, tmp_path):
    articles = tmp_path / "articles.jsonl"
    articles.write_text(
        '{"id": "a1", "text": "Coalition jets struck Islamic State positions in Mayadin on Tuesday.", '
        '"published": "2017-07-11", "source": "Example Wire"}\n'
        '{"id": "a2", "text": \n'
        '{"id": "a3", "text": ""}\n', encoding="utf-8")
    out = tmp_path / "events.geojson"
    result = run(["parse", str(articles), "-o", str(out), "-q"], cache_dir)
    assert result.returncode == 1  # some input was skipped
    assert "articles.jsonl:2" in result.stderr and "articles.jsonl:3" in result.stderr
    assert "Traceback" not in result.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    strikes = [f for f in data["features"] if f["properties"]["sub_event_type"] == "Air/drone strike"]
    assert strikes and strikes[0]["properties"]["event_date"] == "2017-07-11"
    assert strikes[0]["properties"]["source"] == "Example Wire"


def test_parse_published_for_all_and_stdin(cache_dir, gazetteer):
    result = run(["parse", "-", "--published", "2017-07-14", "--json", "-q"], cache_dir,
                 stdin="Coalition aircraft struck an Islamic State command post near Mayadin on Thursday.")
    assert result.returncode == 0, result.stderr
    records = json.loads(result.stdout)["records"]
    assert records and records[0]["event_date"] == "2017-07-13" and records[0]["geo_precision"] == 2


@pytest.mark.parametrize("args, message", [
    (["parse", "--examples", "-o", "events.xyz"], "unknown output format"),
    (["parse", "--examples", "--published", "someday"], "--published"),
    (["parse"], "give one or more articles"),
])
def test_parse_errors_are_one_line(cache_dir, args, message):
    result = run([*args, "-q"], cache_dir)
    assert result.returncode == 2
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_parse_refuses_a_file_that_is_not_a_store(cache_dir, gazetteer, tmp_path):
    bogus = tmp_path / "notes.gpkg"
    bogus.write_text("not a geopackage", encoding="utf-8")
    result = run(["parse", "--examples", "-o", str(bogus), "-q"], cache_dir)
    assert result.returncode == 2 and "notes.gpkg" in result.stderr
    assert bogus.read_text(encoding="utf-8") == "not a geopackage"
