"""Parsing articles again into the store: unchanged ones are left alone, changed ones replace their earlier events."""
from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import zipfile

import pyogrio
import pytest
from test_cli import run
from test_gazetteer_index import geoname_row
from test_outputs_input import _assert_qgis_322_store
from test_store import ABU_KAMAL, MOSUL, NEAR_ABU_KAMAL, RAQQA, strike

from geoevents.gazetteer.index import INDEX_NAME, UserSource, gazetteer_fingerprint, rebuild
from geoevents.io import AppendResult, EventStore
from geoevents.io import store as store_module
from geoevents.io.sinks import open_sink
from geoevents.io.store import text_sha256
from geoevents.text import Article

REUTERS = Article("a1", "Russian jets struck Abu Kamal on Thursday, killing three.")
AP = Article("a2", "Air strikes hit Al Bukamal on Thursday; five people died, AP reports.")


@pytest.fixture
def path(tmp_path):
    return tmp_path / "events.gpkg"


def _rows(path) -> dict:
    """Every row of the store's three tables, without the parse times."""
    store = EventStore(path)
    articles = store.articles().drop(columns="parsed_at")
    return {"events": store.frame().drop(columns="geometry").astype(object).values.tolist(),
            "sources": store.sources().astype(object).values.tolist(),
            "articles": articles.astype(object).values.tolist()}


# --- the same articles, the same gazetteer and version ------------------------------------------

def test_the_same_articles_again_are_unchanged_and_nothing_is_written(path):
    events = [strike("GE1", "a1", "Reuters", fatalities=3), strike("GE2", "a2", "AP", NEAR_ABU_KAMAL, fatalities=5)]
    first = EventStore(path).append(events, [REUTERS, AP], gazetteer="g1")
    assert first == AppendResult(added=1, merged=1, articles_added=2)
    before = path.read_bytes()
    again = EventStore(path).append(events, [REUTERS, AP], gazetteer="g1")
    assert again == AppendResult(unchanged=2, articles_unchanged=2)
    assert path.read_bytes() == before
    table = EventStore(path).articles()
    assert table["article_id"].tolist() == ["a1", "a2"]
    assert table["text_sha256"].tolist() == [text_sha256(REUTERS.text), text_sha256(AP.text)]
    assert set(table["gazetteer"]) == {"g1"} and table["events"].tolist() == [1, 1]
    assert table["geoevents_version"].notna().all() and table["parsed_at"].notna().all()


def test_an_unknown_gazetteer_is_never_the_same_gazetteer(path):
    events = [strike("GE1", "a1", "Reuters")]
    EventStore(path).append(events, [REUTERS])
    assert EventStore(path).append(events, [REUTERS]).articles_replaced == 1
    assert len(EventStore(path)) == 1


def test_the_store_with_its_articles_table_is_still_what_qgis_opens(path):
    EventStore(path).append([strike("GE1", "a1", "Reuters")], [REUTERS], gazetteer="g1")
    EventStore(path).append([strike("GE3", "a1", "Reuters", MOSUL, "Mosul")], [REUTERS], gazetteer="g2")
    _assert_qgis_322_store(path)
    assert dict(pyogrio.list_layers(path)) == {"events": "Point", "event_sources": None, "articles": None}
    with sqlite3.connect(path) as db:
        kinds = dict(db.execute("SELECT table_name, data_type FROM gpkg_contents"))
        columns = {name: kind for _, name, kind, *_ in db.execute("PRAGMA table_info(articles)")}
    assert kinds["articles"] == "attributes" and columns["parsed_at"] == "DATETIME"


# --- an article parsed again with a change ------------------------------------------------------

def test_a_new_gazetteer_replaces_the_article_events_without_near_duplicates(path):
    unknown = strike("GE1", "a1", "Reuters", (35.088, 40.301), "Qarqafiyah", geonameid=None,
                     place_check="named place not found", geo_precision=3)
    EventStore(path).append([unknown], [REUTERS], gazetteer="before")
    found = strike("GE9", "a1", "Reuters", (35.3012, 40.7004), "Qarqafiyah", geonameid=9_990_101)
    result = EventStore(path).append([found], [REUTERS], gazetteer="after")
    assert result == AppendResult(added=1, removed=1, articles_replaced=1)
    [event] = EventStore(path).events()
    assert (event.event_id, event.geonameid, event.place_check) == ("GE9", 9_990_101, None)
    assert EventStore(path).sources()["report_id"].tolist() == ["GE9"]
    assert EventStore(path).articles()["gazetteer"].tolist() == ["after"]


def test_a_changed_text_under_the_same_id_replaces_the_old_version(path):
    EventStore(path).append([strike("GE1", "a1", "Reuters", fatalities=3)], [REUTERS], gazetteer="g1")
    corrected = Article("a1", REUTERS.text.replace("Abu Kamal", "Mosul"))
    result = EventStore(path).append([strike("GE2", "a1", "Reuters", MOSUL, "Mosul")], [corrected], gazetteer="g1")
    assert result == AppendResult(added=1, removed=1, articles_replaced=1)
    assert [e.location for e in EventStore(path).events()] == ["Mosul"]
    assert EventStore(path).articles()["text_sha256"].tolist() == [text_sha256(corrected.text)]


def test_an_article_that_now_gives_no_event_takes_its_old_events_away(path):
    EventStore(path).append([strike("GE1", "a1", "Reuters"), strike("GE2", "a1", "Reuters", RAQQA, "Raqqa")],
                            [REUTERS], gazetteer="g1")
    result = EventStore(path).append([], [REUTERS], gazetteer="g2")
    assert result == AppendResult(removed=2, articles_replaced=1)
    assert len(EventStore(path)) == 0 and len(EventStore(path).sources()) == 0
    assert EventStore(path).articles()["events"].tolist() == [0]
    # and it is recorded: the same again changes nothing
    assert EventStore(path).append([], [REUTERS], gazetteer="g2") == AppendResult(articles_unchanged=1)


def test_an_event_shared_by_two_articles_keeps_the_other_report(path):
    first = strike("GE1", "a1", "Reuters", fatalities=3)
    second = strike("GE2", "a2", "AP", NEAR_ABU_KAMAL, "Al Bukamal", fatalities=5)
    EventStore(path).append([first, second], [REUTERS, AP], gazetteer="g1")
    [merged] = EventStore(path).events()
    assert (merged.source, merged.fatalities) == ("Reuters; AP", 3)

    # the second article re-parsed, gives the same report under a new id: one event, still two reports
    again = strike("GE2b", "a2", "AP", NEAR_ABU_KAMAL, "Al Bukamal", fatalities=5)
    assert EventStore(path).append([again], [AP], gazetteer="g2") == AppendResult(merged=1, articles_replaced=1)
    [event] = EventStore(path).events()
    assert (event.event_id, event.source, event.article_id) == ("GE1", "Reuters; AP", "a1; a2")
    assert EventStore(path).sources()["report_id"].tolist() == ["GE1", "GE2b"]

    # the first article re-parsed with nothing: the event is now the second article's, recomputed from it
    assert EventStore(path).append([], [REUTERS], gazetteer="g2") == AppendResult(articles_replaced=1)
    [event] = EventStore(path).events()
    assert (event.event_id, event.source, event.source_url, event.article_id, event.fatalities, event.notes) == (
        "GE2b", "AP", "https://example.org/a2", "a2", 5, again.notes)
    assert EventStore(path).sources()[["event_id", "report_id"]].values.tolist() == [["GE2b", "GE2b"]]
    # the first article's report comes back as a new report of that event, not beside it
    assert EventStore(path).append([first], [REUTERS], gazetteer="g3") == AppendResult(merged=1, articles_replaced=1)
    [event] = EventStore(path).events()
    assert (event.source, event.fatalities) == ("AP; Reuters", 3)


def test_a_store_written_before_the_articles_table_is_migrated(path):
    # what the previous version wrote: events and event_sources, no articles table
    EventStore(path).append([strike("GE1", "a1", "Reuters", (35.088, 40.301), "Qarqafiyah"),
                             strike("GE2", "a2", "AP", MOSUL, "Mosul")])
    assert "articles" not in dict(pyogrio.list_layers(path))
    result = EventStore(path).append([strike("GE9", "a1", "Reuters", (35.3012, 40.7004), "Qarqafiyah")],
                                     [REUTERS, Article("a3", "Nothing happened today.")], gazetteer="g1")
    assert result == AppendResult(added=1, removed=1, articles_added=1, articles_replaced=1)
    assert [e.event_id for e in EventStore(path).events()] == ["GE2", "GE9"]   # a2 was not parsed: kept
    assert EventStore(path).articles()["article_id"].tolist() == ["a1", "a3"]
    _assert_qgis_322_store(path)


def test_a_report_appended_already_merged_belongs_to_each_article_it_lists(path):
    EventStore(path).append([strike("GE1", "x; a1", "Reuters"), strike("GE2", "a10", "AP", MOSUL, "Mosul")])
    assert EventStore(path).append([], [REUTERS], gazetteer="g1") == AppendResult(removed=1, articles_replaced=1)
    assert [e.event_id for e in EventStore(path).events()] == ["GE2"]   # a10 is not a1


def test_a_crash_while_writing_the_articles_table_leaves_the_store_as_it_was(path, monkeypatch):
    EventStore(path).append([strike("GE1", "a1", "Reuters")], [REUTERS], gazetteer="g1")
    before = _rows(path)

    def crash(articles, tmp):
        raise OSError("disk full")

    monkeypatch.setattr(store_module, "write_articles_table", crash)
    with pytest.raises(OSError, match="disk full"):
        EventStore(path).append([strike("GE2", "a1", "Reuters", MOSUL, "Mosul")], [REUTERS], gazetteer="g2")
    monkeypatch.undo()
    assert _rows(path) == before


# --- the writer of `parse -o FILE.gpkg` ---------------------------------------------------------

def test_the_store_writer_records_every_article_and_a_second_version_in_one_run(path):
    sink = open_sink(path, gazetteer="g1")
    sink.add([strike("GE1", "a1", "Reuters")], REUTERS)
    sink.add([], Article("quiet", "Markets were calm."))
    sink.add([strike("GE2", "a1", "Reuters", MOSUL, "Mosul")], Article("a1", "Jets struck Mosul."))   # same id
    sink.close()
    assert sink.counts == {"added": 2, "merged": 0, "unchanged": 0, "removed": 1,
                           "articles_added": 2, "articles_replaced": 1, "articles_unchanged": 0}
    assert [e.location for e in EventStore(path).events()] == ["Mosul"]
    assert sorted(EventStore(path).articles()["article_id"]) == ["a1", "quiet"]


def test_a_writer_given_no_articles_merges_as_before(path):
    sink = open_sink(path)
    sink.add([strike("GE1", "a1", "Reuters"), strike("GE2", "a2", "AP", ABU_KAMAL)])
    sink.close()
    assert sink.counts == {"added": 1, "merged": 1, "unchanged": 0}
    assert "articles" not in dict(pyogrio.list_layers(path))


# --- end to end: a village the gazetteer learns -------------------------------------------------

VILLAGE_ARTICLES = [
    {"id": "village-1", "published": "2017-10-12", "source": "Example Wire",
     "text": "Russian warplanes struck the village of Qarqafiyah in Deir ez-Zor province on Tuesday, "
             "killing five civilians, activists said."},
    {"id": "mayadin-1", "published": "2017-07-11", "source": "Example Wire",
     "text": "Coalition jets struck Islamic State positions in Mayadin on Tuesday."},
]


@pytest.fixture(scope="module")
def village_cache(tmp_path_factory, gazetteer):
    """A gazetteer cache that knows a made-up village, Qarqafiyah, from a user GeoNames dump."""
    folder = tmp_path_factory.mktemp("village")
    dump = folder / "SY.zip"
    with zipfile.ZipFile(dump, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("SY.txt", geoname_row(9_990_101, "Qarqafiyah", 35.3012, 40.7004, pop=800))
    cache = folder / "cache"
    cache.mkdir()
    shutil.copy(gazetteer.path, cache / INDEX_NAME)   # the session's index: no first build
    rebuild(cache, add=[UserSource(str(dump), "geonames")])   # what `gazetteer build --geonames` does
    return cache


def _parse(articles, store, cache, *flags) -> subprocess.CompletedProcess:
    result = run(["parse", str(articles), "-o", str(store), "-q", *flags], cache)
    assert result.returncode == 0, result.stderr
    return result


def test_parse_again_after_a_gazetteer_import_replaces_the_events(tmp_path, cache_dir, gazetteer, village_cache):
    articles = tmp_path / "articles.jsonl"
    articles.write_text("".join(json.dumps(a) + "\n" for a in VILLAGE_ARTICLES), encoding="utf-8")
    store = tmp_path / "events.gpkg"

    first = json.loads(_parse(articles, store, cache_dir, "--json").stdout)
    assert (first["articles_added"], first["articles_replaced"], first["articles_unchanged"]) == (2, 0, 0)
    [before] = [e for e in EventStore(store).events() if e.article_id == "village-1"]
    assert before.location == "Qarqafiyah" and before.place_check == "named place not found"
    n_before, written = len(EventStore(store)), store.read_bytes()
    assert EventStore(store).articles()["gazetteer"].tolist() == [gazetteer_fingerprint(gazetteer.path)] * 2

    line = _parse(articles, store, cache_dir).stderr.strip().splitlines()[-1]   # the same gazetteer again
    assert "(articles: 0 added, 0 replaced, 2 unchanged; events: added 0, merged 0" in line
    assert store.read_bytes() == written

    line = _parse(articles, store, village_cache).stderr.strip().splitlines()[-1]   # the village now known
    assert "(articles: 0 added, 2 replaced, 0 unchanged; events: added 2, merged 0" in line, line
    assert line.endswith("removed 2)")
    events = EventStore(store).events()
    [after] = [e for e in events if e.article_id == "village-1"]
    assert (after.geonameid, after.place_check) == (9_990_101, None)
    assert (after.latitude, after.longitude) == pytest.approx((35.3012, 40.7004))
    assert len(events) == n_before                                    # replaced, not joined by near-duplicates
    assert not any(e.place_check == "named place not found" for e in events)
    assert set(EventStore(store).sources()["report_id"]) == {e.event_id for e in events}
    fingerprint = gazetteer_fingerprint(village_cache / INDEX_NAME)
    assert fingerprint != gazetteer_fingerprint(gazetteer.path)
    assert EventStore(store).articles()["gazetteer"].tolist() == [fingerprint] * 2
    _assert_qgis_322_store(store)

    # a new version of one article that reports no event any more: its event goes, the other stays
    calm = [VILLAGE_ARTICLES[0], {**VILLAGE_ARTICLES[1], "text": "Markets in Mayadin were calm on Tuesday."}]
    articles.write_text("".join(json.dumps(a) + "\n" for a in calm), encoding="utf-8")
    line = _parse(articles, store, village_cache).stderr.strip().splitlines()[-1]
    assert "(articles: 0 added, 1 replaced, 1 unchanged; events: added 0, merged 0, already stored 1, removed 1)" in line
    assert [e.event_id for e in EventStore(store).events()] == [after.event_id]
    assert EventStore(store).articles().set_index("article_id")["events"].to_dict() == {"village-1": 1, "mayadin-1": 0}
