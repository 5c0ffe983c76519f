"""Reading articles: every input format, publication dates, and bad input reported and skipped."""
from __future__ import annotations

import csv
import io
import json
import string
import tempfile
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geoevents.text import (
    MAX_ARTICLE_CHARS,
    Article,
    ReadReport,
    Skipped,
    article_from_text,
    parse_published,
    published_from_dateline,
    read_articles,
)
from geoevents.text import text_key

STRIKE = (
    "Coalition aircraft struck a bridge over the Euphrates near Mayadin, Syria, "
    "on Sunday, cutting a supply route, local activists said."
)
SHELLING = "Artillery shelled the eastern edge of Mayadin overnight; two civilians were wounded."
WIRE = (
    "Strikes cut Euphrates bridge\n"
    "\n"
    "MAYADIN/BEIRUT, July 11, 2017 - Aircraft hit the last bridge out of Mayadin on Tuesday,\n"
    "residents said, leaving families on the east bank with no way across.\n"
)


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def jsonl(*rows: object) -> str:
    return "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows)


def read(inputs, **kwargs) -> tuple[list[Article], ReadReport]:
    report = ReadReport()
    return list(read_articles(inputs, report=report, **kwargs)), report


# --- formats ----------------------------------------------------------------------------


def test_txt_file_is_one_article_with_stem_id_and_title(tmp_path):
    path = write(tmp_path / "mayadin-bridge.txt", WIRE)
    [article], report = read(path)
    assert report.count == 0
    assert article.id == "mayadin-bridge"
    assert article.title == "Strikes cut Euphrates bridge"
    assert article.text == WIRE  # the whole file, title included, so offsets match the file
    assert article.origin == str(path)
    assert article.metadata == {}


def test_txt_title_needs_a_blank_line_and_a_short_first_line(tmp_path):
    no_blank = write(tmp_path / "a.txt", "Strikes near Mayadin\nAircraft hit the bridge.\n")
    long_first = write(tmp_path / "b.txt", "x" * 201 + "\n\n" + STRIKE)
    dateline_first = write(tmp_path / "c.txt", "MAYADIN, July 10, 2017 - Aircraft struck.\n\nMore.")
    titles = [a.title for a in read([no_blank, long_first, dateline_first])[0]]
    assert titles == [None, None, None]


def test_txt_crlf_is_normalised(tmp_path):
    path = write(tmp_path / "a.txt", b"Strikes near Mayadin\r\n\r\nAircraft hit the bridge.\r\n")
    [article], _ = read(path)
    assert article.title == "Strikes near Mayadin"
    assert "\r" not in article.text


def test_jsonl_fields_and_metadata(tmp_path):
    path = write(tmp_path / "news.jsonl", jsonl(
        {"id": "a1", "title": "Bridge hit", "text": STRIKE, "url": "https://example.org/a1",
         "source": "Example Wire", "published": "2017-07-10", "lang": "en", "tags": ["syria"]},
        {"text": SHELLING, "published": None},
    ))
    (first, second), report = read(path)
    assert report.count == 0
    assert (first.id, first.title, first.url, first.source) == (
        "a1", "Bridge hit", "https://example.org/a1", "Example Wire")
    assert first.published == date(2017, 7, 10)
    assert first.metadata == {"lang": "en", "tags": ["syria"]}
    assert first.origin == f"{path}:1"
    assert second.id == "news:2"  # no id: file stem and line
    assert second.published is None and second.title is None


def test_ndjson_and_numeric_id(tmp_path):
    path = write(tmp_path / "feed.ndjson", jsonl({"id": 7, "text": STRIKE}))
    [article], _ = read(path)
    assert article.id == "7"


def test_json_array_gives_line_of_each_element(tmp_path):
    rows = [{"text": STRIKE}, {"id": "s2", "text": SHELLING}]
    path = write(tmp_path / "batch.json", json.dumps(rows, indent=2))
    articles, report = read(path)
    assert report.count == 0
    assert [a.id for a in articles] == ["batch:2", "s2"]
    assert articles[0].origin == f"{path}:2"


def test_json_with_one_object_per_line_and_single_object(tmp_path):
    lines = write(tmp_path / "lines.json", jsonl({"text": STRIKE}, {"text": SHELLING}))
    single = write(tmp_path / "one.json", json.dumps({"id": "x", "text": STRIKE}, indent=2))
    articles, report = read([lines, single])
    assert report.count == 0
    assert [a.id for a in articles] == ["lines:1", "lines:2", "x"]


def test_csv_fields_metadata_and_long_field(tmp_path):
    long_text = STRIKE + " " + "The road to Deir ez-Zor was closed. " * 5000  # > csv default limit
    content = io.StringIO()
    writer = csv.writer(content)
    writer.writerow(["ID", "Title", "text", "published", "desk"])
    writer.writerow(["c1", "Bridge hit", STRIKE, "10 July 2017", "Middle East"])
    writer.writerow(["", "", long_text, "", "Middle East"])
    writer.writerow(["c3", "", "Line one\nline two near Mayadin", "July 12, 2017", ""])
    path = write(tmp_path / "desk.csv", content.getvalue())
    (first, second, third), report = read(path)
    assert report.count == 0
    assert (first.id, first.title, first.published) == ("c1", "Bridge hit", date(2017, 7, 10))
    assert first.metadata == {"desk": "Middle East"}
    assert second.id == "desk:3" and second.text == long_text and second.title is None
    assert third.text == "Line one\nline two near Mayadin"
    assert third.published == date(2017, 7, 12)


def test_folder_is_read_recursively_in_name_order_skipping_hidden_and_other_files(tmp_path):
    root = tmp_path / "news"
    write(root / "b.txt", SHELLING)
    write(root / "a" / "z.jsonl", jsonl({"id": "z1", "text": STRIKE}))
    write(root / "a" / "c.csv", f'id,text\nc1,"{STRIKE}"\n')
    write(root / "c.json", json.dumps([{"id": "j1", "text": STRIKE}]))
    write(root / ".hidden.txt", STRIKE)
    write(root / ".git" / "x.txt", STRIKE)
    write(root / "notes.md", STRIKE)
    write(root / "README", STRIKE)
    articles, report = read(root)
    assert report.count == 0
    assert [a.id for a in articles] == ["c1", "z1", "b", "j1"]
    assert articles[0].origin == str(root / "a" / "c.csv") + ":2"
    assert articles[2].origin == str(root / "b.txt")


def test_list_of_inputs_keeps_order_and_duplicates(tmp_path):
    a = write(tmp_path / "a.txt", STRIKE)
    b = write(tmp_path / "b.jsonl", jsonl({"id": "a", "text": SHELLING}))
    articles, _ = read([str(a), b, a])
    assert [a.id for a in articles] == ["a", "a", "a"]


def test_stdin_json_lines():
    stream = io.StringIO("\n" + jsonl({"id": "s1", "text": STRIKE}, {"text": SHELLING}))
    articles, report = read("-", stdin=stream)
    assert report.count == 0
    assert [a.id for a in articles] == ["s1", "stdin:3"]
    assert articles[1].origin == "<stdin>:3"


def test_stdin_plain_text_is_one_article():
    [article], _ = read(["-"], stdin=io.StringIO(WIRE))
    assert article.text == WIRE
    assert article.id == text_key(WIRE)
    assert article.origin == "<stdin>"
    assert article.published == date(2017, 7, 11)  # from its dateline


def test_stdin_bytes_are_decoded_as_utf8():
    data = "\ufeff" + jsonl({"text": "Strikes near al-Mayādīn"})
    [article], _ = read("-", stdin=io.BytesIO(data.encode("utf-8")))
    assert article.text == "Strikes near al-Mayādīn"


def test_empty_stdin_is_reported():
    articles, report = read("-", stdin=io.StringIO("  \n\n"))
    assert articles == [] and report.skipped == [Skipped("<stdin>", "no input on stdin")]


# --- publication dates ------------------------------------------------------------------


def test_published_argument_applies_to_all_and_field_wins(tmp_path):
    path = write(tmp_path / "news.jsonl", jsonl(
        {"text": STRIKE, "published": "2017-07-10T08:30:00Z"},
        {"text": SHELLING},
        {"text": SHELLING, "published": ""},
    ))
    txt = write(tmp_path / "wire.txt", WIRE)  # the argument beats its dateline
    articles, _ = read([path, txt], published="2017-07-14")
    assert [a.published for a in articles] == [
        date(2017, 7, 10), date(2017, 7, 14), date(2017, 7, 14), date(2017, 7, 14)]


@pytest.mark.parametrize("value", [date(2017, 7, 14), datetime(2017, 7, 14, 23, 0), "14 July 2017"])
def test_published_argument_types(tmp_path, value):
    [article], _ = read(write(tmp_path / "a.txt", STRIKE), published=value)
    assert article.published == date(2017, 7, 14)


def test_bad_published_argument_raises_at_once(tmp_path):
    with pytest.raises(ValueError, match="ambiguous"):
        read_articles(tmp_path, published="10/07/2017")


def test_published_from_dateline_of_txt(tmp_path):
    [article], _ = read(write(tmp_path / "wire.txt", WIRE))
    assert article.published == date(2017, 7, 11)


@pytest.mark.parametrize("text, expected", [
    ("BAGHDAD/AMMAN, July 11, 2017 - Aircraft struck Mayadin.", date(2017, 7, 11)),
    ("MAYADIN, Syria, 10 July 2017 (Reuters) — Shelling resumed.", date(2017, 7, 10)),
    ("Title\n\nDEIR EZ-ZOR, Sept. 3, 2017 -- Troops advanced.", date(2017, 9, 3)),
    ("Aircraft struck Mayadin on July 10, 2017 - officials said.", None),
    ("On July 10, 2017 - aircraft struck Mayadin.", None),
    ("BEIRUT, July 11 (Reuters) - No year in this dateline.", None),
    ("MAYADIN, February 30, 2017 - Not a real date.", None),
    ("x" * 400 + "\nMAYADIN, July 10, 2017 - Too far down to be a dateline.", None),
])
def test_published_from_dateline(text, expected):
    assert published_from_dateline(text) == expected


@pytest.mark.parametrize("value, expected", [
    ("2017-07-10", date(2017, 7, 10)),
    ("2017-07-10T23:30:00-05:00", date(2017, 7, 10)),  # the date as written, not UTC
    ("2017-07-10T08:00:00Z", date(2017, 7, 10)),
    ("10 July 2017", date(2017, 7, 10)),
    ("July 10, 2017", date(2017, 7, 10)),
    ("Mon, 10 Jul 2017 12:00:00 GMT", date(2017, 7, 10)),
    ("13/07/2017", date(2017, 7, 13)),
    ("2017/07/10", date(2017, 7, 10)),
    ("  ", None),
    (None, None),
])
def test_parse_published(value, expected):
    assert parse_published(value) == expected


@pytest.mark.parametrize("value, message", [
    ("10/07/2017", "ambiguous"),
    ("garbage", "cannot read"),
    ("3 days ago", "cannot read"),
    ("July 2017", "cannot read"),
    ("31 February 2017", "not a valid date"),
    (2017, "not a date"),
])
def test_parse_published_refuses(value, message):
    with pytest.raises(ValueError, match=message):
        parse_published(value)


# --- bad input is reported, the rest is read ---------------------------------------------


def test_bad_jsonl_rows_are_reported_with_line_and_the_rest_read(tmp_path):
    path = write(tmp_path / "news.jsonl", jsonl(
        {"id": "ok1", "text": STRIKE},
        '{"id": "broken" "text": "x"}',
        {"id": "no-text"},
        [1, 2, 3],
        {"id": "blank", "text": "   \n"},
        {"id": "bad-date", "text": STRIKE, "published": "10/07/2017"},
        {"id": "number-text", "text": 42},
        {"id": "ok2", "text": SHELLING},
    ))
    articles, report = read(path)
    assert [a.id for a in articles] == ["ok1", "ok2"]
    assert [s.origin for s in report.skipped] == [f"{path}:{n}" for n in range(2, 8)]
    reasons = [s.reason for s in report.skipped]
    assert reasons[0].startswith("invalid JSON: Expecting ',' delimiter")
    assert reasons[1] == "no 'text' field"
    assert reasons[2] == "not a JSON object (got an array)"
    assert reasons[3].startswith("empty article")
    assert reasons[4].startswith("bad published date:") and "ambiguous" in reasons[4]
    assert reasons[5].startswith("'text' must be a string")
    assert report.lines()[0] == f"{path}:2: skipped: {reasons[0]}"


def test_enormous_article_is_skipped(tmp_path):
    huge = "Mayadin " * (MAX_ARTICLE_CHARS // 8 + 1)
    txt = write(tmp_path / "huge.txt", huge)
    lines = write(tmp_path / "huge.jsonl", jsonl({"text": huge}, {"id": "ok", "text": STRIKE}))
    articles, report = read([txt, lines])
    assert [a.id for a in articles] == ["ok"]
    assert [s.origin for s in report.skipped] == [str(txt), f"{lines}:1"]
    assert all("too long" in s.reason for s in report.skipped)


def test_undecodable_files_and_lines(tmp_path):
    latin1 = write(tmp_path / "latin1.txt", "Frappes près de Mayadin".encode("latin-1"))
    mixed = write(tmp_path / "mixed.jsonl",
                  jsonl({"id": "ok1", "text": STRIKE}).encode()
                  + b'{"text": "caf\xe9"}\n'
                  + jsonl({"id": "ok2", "text": SHELLING}).encode())
    csv_file = write(tmp_path / "mixed.csv", b"id,text\nr1,caf\xe9\nr2,Shelling near Mayadin\n")
    articles, report = read([latin1, mixed, csv_file])
    assert [a.id for a in articles] == ["ok1", "ok2", "r2"]
    assert [s.origin for s in report.skipped] == [str(latin1), f"{mixed}:2", f"{csv_file}:2"]
    assert all("not UTF-8" in s.reason for s in report.skipped)


def test_utf8_bom_is_accepted_everywhere(tmp_path):
    bom = b"\xef\xbb\xbf"
    txt = write(tmp_path / "a.txt", bom + STRIKE.encode())
    lines = write(tmp_path / "b.jsonl", bom + jsonl({"id": "b", "text": STRIKE}).encode())
    array = write(tmp_path / "c.json", bom + json.dumps([{"id": "c", "text": STRIKE}]).encode())
    table = write(tmp_path / "d.csv", bom + f'id,text\nd,"{STRIKE}"\n'.encode())
    articles, report = read([txt, lines, array, table])
    assert report.count == 0
    assert [a.id for a in articles] == ["a", "b", "c", "d"]
    assert all(a.text == STRIKE for a in articles)


def test_missing_path_unsupported_file_and_unreadable_file(tmp_path):
    good = write(tmp_path / "good.txt", STRIKE)
    other = write(tmp_path / "notes.md", STRIKE)
    blank = write(tmp_path / "blank.txt", "  \n\n")
    folder_as_file = tmp_path / "good.txt" / "x.jsonl"  # a path through a file
    articles, report = read([tmp_path / "missing.jsonl", other, blank, folder_as_file, good])
    assert [a.id for a in articles] == ["good"]
    assert [s.origin for s in report.skipped] == [
        str(tmp_path / "missing.jsonl"), str(other), str(blank), str(folder_as_file)]
    assert report.skipped[0].reason == "no such file or folder"
    assert "unsupported file type" in report.skipped[1].reason
    assert report.skipped[2].reason.startswith("empty article")


def test_unreadable_file_is_reported_and_the_rest_read(tmp_path, monkeypatch):
    locked = write(tmp_path / "locked.txt", STRIKE)
    good = write(tmp_path / "good.txt", SHELLING)
    real_read_bytes = Path.read_bytes

    def read_bytes(self):  # chmod 000 cannot lock out root, so refuse the read here
        if self.name == "locked.txt":
            raise PermissionError(13, "Permission denied", str(self))
        return real_read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    articles, report = read([locked, good])
    assert [a.id for a in articles] == ["good"]
    assert report.skipped == [Skipped(str(locked), "cannot read: Permission denied")]


def test_bad_json_array_reports_line_and_keeps_earlier_elements(tmp_path):
    path = write(tmp_path / "batch.json", '[\n{"id": "a", "text": "Strike near Mayadin"},\n{"id": oops}\n]')
    articles, report = read(path)
    assert [a.id for a in articles] == ["a"]
    assert report.skipped[0].origin == f"{path}:3"
    assert report.skipped[0].reason.startswith("invalid JSON")


def test_csv_without_text_column_and_ragged_row(tmp_path):
    no_text = write(tmp_path / "a.csv", "id,body\n1,Strike near Mayadin\n")
    ragged = write(tmp_path / "b.csv", "id,text\nr1,Strike near Mayadin,extra\nr2,Shelling\n")
    articles, report = read([no_text, ragged])
    assert [a.id for a in articles] == ["r2"]
    assert [s.origin for s in report.skipped] == [f"{no_text}:1", f"{ragged}:2"]
    assert "no 'text' column" in report.skipped[0].reason


def test_without_report_problems_are_logged(tmp_path, caplog):
    articles = list(read_articles(tmp_path / "missing.txt"))
    assert articles == []
    assert "missing.txt: skipped: no such file or folder" in caplog.text


# --- ids and helpers ----------------------------------------------------------------------


def test_ids_are_stable_across_reads(tmp_path):
    write(tmp_path / "n" / "a.jsonl", jsonl({"text": STRIKE}, {"text": SHELLING}))
    write(tmp_path / "n" / "b.csv", f'text\n"{SHELLING}"\n')
    write(tmp_path / "n" / "c.json", json.dumps([{"text": STRIKE}]))
    first = [a.id for a in read(tmp_path / "n")[0]]
    second = [a.id for a in read(tmp_path / "n")[0]]
    assert first == second == ["a:1", "a:2", "b:2", "c:1"]
    plain = [read("-", stdin=io.StringIO(STRIKE))[0][0].id for _ in range(2)]
    assert plain[0] == plain[1]


def test_article_from_text():
    article = article_from_text(STRIKE, published="2017-07-10", source="Example Wire")
    assert article.id == text_key(STRIKE)
    assert article.published == date(2017, 7, 10)
    assert article.source == "Example Wire"
    assert article_from_text(STRIKE, id="given").id == "given"


# --- robustness properties ------------------------------------------------------------------

_FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_FAST
@given(st.binary(max_size=300) | st.text(max_size=300).map(str.encode))
def test_any_bytes_in_any_format_never_raise(data):
    with tempfile.TemporaryDirectory() as tmp:
        paths = [write(Path(tmp) / f"x.{suffix}", data) for suffix in ("txt", "jsonl", "json", "csv")]
        report = ReadReport()
        for article in read_articles(paths, report=report):
            assert article.text.strip() and len(article.text) <= MAX_ARTICLE_CHARS
        list(read_articles("-", report=report, stdin=io.BytesIO(data)))


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False)
    | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=8,
)
_row = st.fixed_dictionaries({}, optional={
    "id": _json, "text": st.text(max_size=40) | _json, "title": _json, "url": _json,
    "published": st.sampled_from(["2017-07-10", "10 July 2017", "10/07/2017", ""]) | _json,
}) | _json


@_FAST
@given(st.lists(_row, max_size=6), st.booleans())
def test_arbitrary_json_lines_each_give_one_article_or_one_skip(rows, ascii_only):
    lines = [json.dumps(r, ensure_ascii=ascii_only) for r in rows]
    with tempfile.TemporaryDirectory() as tmp:
        path = write(Path(tmp) / "rows.jsonl", "\n".join(lines) + "\n")
        report = ReadReport()
        articles = list(read_articles(path, report=report))
    assert len(articles) + report.count == len(lines)
    assert all(isinstance(a.id, str) and a.text.strip() for a in articles)


@_FAST
@given(st.text(alphabet=string.ascii_letters + string.digits + " ,/-—.()\n", max_size=120))
def test_dateline_never_raises(text):
    result = published_from_dateline(text)
    assert result is None or isinstance(result, date)


# -- compressed JSON Lines, and reading a corpus in partitions -------------------------------------

def test_gzip_json_lines_read_streaming_like_plain_ones(tmp_path):
    import gzip

    rows = [{"id": "g1", "text": STRIKE, "published": "2017-07-09"}, {"text": SHELLING}]
    plain = tmp_path / "plain" / "wire.jsonl"
    plain.parent.mkdir()
    plain.write_text("".join(json.dumps(r) + "\n" for r in rows) + "not json\n", encoding="utf-8")
    packed = tmp_path / "packed" / "wire.jsonl.gz"
    packed.parent.mkdir()
    packed.write_bytes(gzip.compress(plain.read_bytes()))
    report_plain, report_packed = ReadReport(), ReadReport()
    expected = list(read_articles(plain, report=report_plain))
    got = list(read_articles(packed.parent, report=report_packed))   # found in a folder too
    assert [(a.id, a.text, a.published) for a in got] == [(a.id, a.text, a.published) for a in expected]
    assert got[1].id == "wire:2" and got[1].origin == f"{packed}:2"   # ids from the name without .jsonl.gz
    assert [s.reason for s in report_packed.skipped] == [s.reason for s in report_plain.skipped]

    cut = tmp_path / "cut.jsonl.gz"
    cut.write_bytes(packed.read_bytes()[:-12])   # a download that stopped short
    not_gzip = tmp_path / "plain.jsonl.gz"
    not_gzip.write_bytes(plain.read_bytes())
    report = ReadReport()
    assert len(list(read_articles([cut, not_gzip], report=report))) >= 1
    assert report.lines()[0].startswith(f"{cut}:") and "cannot decompress" in report.lines()[0]
    assert report.lines()[-1].startswith(f"{not_gzip}:1: skipped: cannot decompress: Not a gzipped file")


def _read_in_partitions(inputs, partition_bytes: int) -> tuple[list, list[str]]:
    from geoevents.text.partitions import Partition, count_lines, list_inputs, read_partition, settle, split_listing

    plan = split_listing(list_inputs(inputs), partition_bytes)
    plan = settle(plan, {i: count_lines(p) for i, p in enumerate(plan) if isinstance(p, Partition) and p.is_range})
    report, articles = ReadReport(), []
    for item in plan:
        if isinstance(item, Partition):
            articles += read_partition(item, report=report)
        else:
            report(item)
    return articles, report.lines()


def _as_read(articles) -> list:
    return [(a.id, a.text, a.title, a.published, a.metadata, a.origin) for a in articles]


def test_partitions_read_what_read_articles_reads(tmp_path):
    from geoevents.text.partitions import Partition, list_inputs, split_listing

    folder = tmp_path / "corpus"
    (folder / "texts").mkdir(parents=True)
    lines = [json.dumps({"text": f"{STRIKE} ({i})"}) for i in range(40)]
    lines[7], lines[20] = "{broken", ""
    (folder / "a.jsonl").write_text("\n".join(lines), encoding="utf-8")   # no newline at the end
    flat, quoted = io.StringIO(), io.StringIO()
    csv.writer(flat).writerows([["id", "text"], *([f"f{i}", f"{SHELLING} {i}"] for i in range(30))])
    csv.writer(quoted).writerows([["id", "text"], *([f"q{i}", f"{WIRE} {i}"] for i in range(30))])
    (folder / "b-flat.csv").write_text(flat.getvalue(), encoding="utf-8")
    (folder / "c-quoted.csv").write_text(quoted.getvalue(), encoding="utf-8")   # line breaks inside quotes
    for i in range(5):
        (folder / "texts" / f"{i}.txt").write_text(WIRE, encoding="utf-8")
    expected_report = ReadReport()
    expected = _as_read(read_articles([folder, tmp_path / "missing.txt"], report=expected_report))
    for partition_bytes in (300, 2_000, 10**9):
        articles, lines_reported = _read_in_partitions([folder, tmp_path / "missing.txt"], partition_bytes)
        assert _as_read(articles) == expected and lines_reported == expected_report.lines()
    assert f"{folder / 'a.jsonl'}:8: skipped: invalid JSON" in " ".join(expected_report.lines())

    # Cut from sizes alone: the JSON Lines and the one-line-per-record CSV in byte ranges; the CSV with
    # quoted line breaks is cut too, but its ranges find that out and it is read whole.
    plan = [p for p in split_listing(list_inputs(folder), 300) if isinstance(p, Partition)]
    ranged = {p.files[0].name for p in plan if p.is_range}
    assert ranged == {str(folder / n) for n in ("a.jsonl", "b-flat.csv", "c-quoted.csv")}
    from geoevents.text.partitions import count_lines, settle

    settled = settle(plan, {i: count_lines(p) for i, p in enumerate(plan) if p.is_range})
    assert {p.files[0].name for p in settled if p.is_range} == {str(folder / n) for n in ("a.jsonl", "b-flat.csv")}
    assert [p.where() for p in settled if not p.is_range][0] == str(folder / "c-quoted.csv")


_CSV_TEXT = st.text(alphabet=st.sampled_from(list("ab ,\"\n\r\u00e9") + ["\u2028"]), min_size=1, max_size=30)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.tuples(st.booleans(), _CSV_TEXT), max_size=25),
       partition_bytes=st.integers(min_value=1, max_value=400), as_csv=st.booleans())
def test_any_cut_reads_the_same_articles(rows, partition_bytes, as_csv):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / ("rows.csv" if as_csv else "rows.jsonl")
        if as_csv:
            out = io.StringIO()
            writer = csv.writer(out)
            writer.writerow(["id", "text"])
            for good, text in rows:
                writer.writerow(["x" if good else "", text] if good else [text])
            path.write_text(out.getvalue(), encoding="utf-8", newline="")
        else:
            path.write_text("".join((json.dumps({"text": text}) if good else text.replace("\n", " ")) + "\n"
                                    for good, text in rows), encoding="utf-8")
        report = ReadReport()
        expected = _as_read(read_articles(path, report=report))
        articles, lines_reported = _read_in_partitions(path, partition_bytes)
        assert _as_read(articles) == expected and lines_reported == report.lines()


def test_partitions_are_planned_from_names_and_sizes_alone(tmp_path, monkeypatch):
    import builtins

    from geoevents.text.partitions import list_inputs, split_listing

    (tmp_path / "texts").mkdir()
    for i in range(12):
        (tmp_path / "texts" / f"{i:02d}.txt").write_text(f"{WIRE} {i}", encoding="utf-8")
    (tmp_path / "wire.jsonl").write_text("".join(json.dumps({"text": STRIKE}) + "\n" for _ in range(50)),
                                         encoding="utf-8")

    def no_reading(*args, **kwargs):
        raise AssertionError(f"opened {args[0]}")

    monkeypatch.setattr(builtins, "open", no_reading)
    monkeypatch.setattr(io, "open", no_reading)
    listing = list_inputs([tmp_path / "texts", tmp_path / "wire.jsonl", tmp_path / "missing.jsonl"])
    plan = split_listing(listing, 1_000)
    monkeypatch.undo()
    assert [item.where() if hasattr(item, "where") else item.line() for item in plan][-1] == (
        f"{tmp_path / 'missing.jsonl'}: skipped: no such file or folder")
    assert sum(len(p.files) for p in plan if hasattr(p, "files") and not p.is_range) == 12
    assert len([p for p in plan if hasattr(p, "is_range") and p.is_range]) == -(-listing.items[12].size // 1_000)
