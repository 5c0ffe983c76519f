"""Corpus-scale runs on Dask: the same events as one process, bad articles and failed partitions reported, outputs."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

distributed = pytest.importorskip("distributed")
import cloudpickle  # noqa: E402  (comes with distributed)

from geoevents.text import ReadReport, read_articles  # noqa: E402
from geoevents import example_articles  # noqa: E402
from geoevents.parallel import (  # noqa: E402
    WORKER_ENV,
    OutputError,
    ParallelError,
    PartitionFailure,
    RunProgress,
    default_partition_bytes,
    local_cluster,
    parse_corpus,
    read_partitions,
)
from geoevents.text.partitions import (  # noqa: E402
    Partition,
    count_lines,
    list_inputs,
    read_partition,
    settle,
    split_listing,
)

REPO = Path(__file__).resolve().parents[1]
# Functions below run on the workers, which cannot import this test module: send them by value.
cloudpickle.register_pickle_by_value(sys.modules[__name__])

# Short articles written for these tests; line 4 is not JSON.
OWN_ARTICLES = [
    {"id": "own-1", "published": "2017-07-11", "source": "Test Wire", "desk": "north",
     "text": "Coalition aircraft struck Islamic State positions near Mayadin on Tuesday, killing nine fighters, "
             "a monitoring group said."},
    {"id": "own-2", "published": "2017-08-05", "source": "Test Wire",
     "text": "Syrian government troops recaptured the town of Sukhnah from Islamic State militants on Saturday "
             "after two days of fighting."},
    {"id": "own-3", "published": "2017-07-18",
     "text": "Gunmen opened fire on a police checkpoint in Tikrit late on Monday, killing two officers, "
             "a security source said."},
    None,
    {"id": "own-5", "published": "2017-09-20",
     "text": "Artillery shells hit residential districts of Deir ez-Zor city on Wednesday, wounding five "
             "civilians.\n\nResidents of Hajin said Kurdish-led fighters clashed with militants on the "
             "outskirts of the town overnight."},
    {"id": "own-6", "published": "2017-10-02",
     "text": "The city council of Mosul met on Sunday to discuss plans for rebuilding schools and clinics."},
]


def _write_corpus(path: Path, rows: list) -> Path:
    lines = ['{"id": "broken", "text": ' if row is None else json.dumps(row) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> list[str]:
    folder = tmp_path_factory.mktemp("corpus")
    return [*map(str, example_articles()), str(_write_corpus(folder / "own.jsonl", OWN_ARTICLES))]


@pytest.fixture(scope="module")
def client(cache_dir, gazetteer):
    """Two single-threaded worker processes, as `--scheduler local` starts them on two cores."""
    env = {**WORKER_ENV, "GEOEVENTS_CACHE_DIR": str(cache_dir)}
    with local_cluster(2, env=env) as cluster, distributed.Client(cluster) as dask_client:
        yield dask_client


def single_process(extractor, paths) -> tuple[list, list[str]]:
    report = ReadReport()
    events = [e for _, found in extractor.extract_many(read_articles(paths, report=report), report=report)
              for e in found]
    return events, report.lines()


def records(events) -> list:
    return [(e.to_dict(), e.extra) for e in events]


def planned(paths, partitions: int, workers: int = 2) -> list[Partition]:
    """The partitions parse_corpus makes of ``paths`` (lines counted here, as the workers count them)."""
    listing = list_inputs(paths)
    plan = split_listing(listing, default_partition_bytes(listing.total_bytes, workers, partitions))
    counts = {i: count_lines(p) for i, p in enumerate(plan) if isinstance(p, Partition) and p.is_range}
    return [p for p in settle(plan, counts) if isinstance(p, Partition)]


def frame_records(path) -> list:
    """An output's events as comparable rows (NaN-free)."""
    frame = read_partitions(path).drop(columns="geometry")
    return frame.astype(object).where(frame.notna(), None).to_dict("records")


def _loaded_extractors() -> list[int]:
    from geoevents import parallel

    return [id(e) for e in parallel._extractors.values()]


def test_same_events_with_and_without_dask(client, extractor, corpus, cache_dir):
    expected, expected_skips = single_process(extractor, corpus)
    assert len(expected) > 10 and any(e.article_id == "own-2" for e in expected)
    loaded = None
    for partitions in (None, 3, 7):
        report, seen = ReadReport(), []
        result = parse_corpus(corpus, client, partitions=partitions, cache_dir=cache_dir, report=report,
                              progress=seen.append)
        assert records(result.events) == records(expected)
        assert report.lines() == expected_skips == [s.line() for s in result.skipped]
        assert len(expected_skips) == 1 and expected_skips[0].startswith(f"{corpus[-1]}:4: skipped: invalid JSON")
        assert result.articles == 3 + 5 and not result.failed and not result.ok
        # progress: once before any partition, then once per partition, across all workers
        assert all(isinstance(state, RunProgress) for state in seen) and len(seen) == result.partitions + 1
        last = seen[-1]
        assert (last.partitions_done, last.articles, last.events) == (result.partitions, 8, len(expected))
        assert last.eta_seconds == 0 and last.articles_per_second > 0
        # spaCy and the gazetteer were loaded once per worker, and kept from one run to the next.
        now = client.run(_loaded_extractors)
        assert len(now) == 2 and all(len(ids) == 1 for ids in now.values()) and now == (loaded or now)
        loaded = now
    assert result.partitions == len(planned(corpus, 7))


def test_partitions_cover_the_corpus_in_order_balanced_and_stable(corpus):
    articles = [a.id for a in read_articles(corpus, report=lambda _: None)]
    split = planned(corpus, 3)
    assert split == planned(corpus, 3)
    assert [a.id for p in split for a in read_partition(p, report=lambda _: None)] == articles
    # The long example articles do not all share one partition.
    sizes = [p.size for p in split]
    assert len(split) >= 2 and max(sizes) < 0.7 * sum(sizes)


# -- failures injected on the workers (and, for comparison, in this process) ---------------------

def _break_article(article_id: str) -> None:
    """Make extracting one article raise, as a bug on an odd article would."""
    from geoevents.events import EventExtractor

    original = getattr(EventExtractor.events, "_original", EventExtractor.events)

    def events(self, doc, article, toponyms=None):
        if article.id == article_id:
            raise RuntimeError(f"injected failure on {article_id}")
        return original(self, doc, article, toponyms)

    events._original = original
    EventExtractor.events = events


def _break_partition(article_id: str, attempts: str) -> None:
    """Make any partition holding ``article_id`` fail as a whole, counting attempts in a file."""
    from geoevents.events import EventExtractor

    original = getattr(EventExtractor.extract_many, "_original", EventExtractor.extract_many)

    def extract_many(self, articles, batch_size=16, report=None):
        articles = list(articles)
        if any(a.id == article_id for a in articles):
            with open(attempts, "a", encoding="utf-8") as f:
                f.write("attempt\n")
            raise RuntimeError("injected partition failure\nsecond line of the message")
        return original(self, articles, batch_size, report)

    extract_many._original = original
    EventExtractor.extract_many = extract_many


def _repair() -> None:
    from geoevents.events import EventExtractor

    for name in ("events", "extract_many"):
        method = getattr(EventExtractor, name)
        setattr(EventExtractor, name, getattr(method, "_original", method))


@pytest.fixture
def repaired(client):
    yield
    client.run(_repair)
    _repair()


def test_a_bad_article_is_skipped_and_reported_as_in_one_process(client, extractor, corpus, cache_dir, repaired):
    _break_article("own-3")
    client.run(_break_article, "own-3")
    expected, expected_skips = single_process(extractor, corpus)
    report = ReadReport()
    result = parse_corpus(corpus, client, partitions=3, cache_dir=cache_dir, report=report)
    assert records(result.events) == records(expected)
    assert report.lines() == expected_skips
    own = corpus[-1]
    assert f"{own}:3: skipped: extraction failed: RuntimeError: injected failure on own-3" in report.lines()
    assert not any(e.article_id == "own-3" for e in result.events) and result.articles == 7


def test_a_failing_partition_is_retried_then_reported_by_name(client, extractor, corpus, cache_dir, repaired,
                                                               tmp_path):
    expected, _ = single_process(extractor, corpus)
    articles = list(read_articles(corpus, report=lambda _: None))
    split = planned(corpus, 3)
    doomed = len(split) - 1
    ids = [a.id for a in read_partition(split[doomed], report=lambda _: None)]
    assert len(ids) > 1 and doomed >= 1
    attempts = tmp_path / "attempts.txt"
    client.run(_break_partition, ids[-1], str(attempts))
    report = ReadReport()
    out = tmp_path / "events.parquet"
    result = parse_corpus(corpus, client, partitions=3, output=out, cache_dir=cache_dir, report=report, retries=1)

    assert attempts.read_text().count("attempt") == 2   # the first try and one retry
    [failure] = result.failed
    assert isinstance(failure, PartitionFailure) and failure.index == doomed and not result.ok
    assert failure.line() == (f"partition {doomed} ({split[doomed].where()}): failed after "
                              "1 retry: RuntimeError: injected partition failure")
    assert corpus[-1] in failure.line() and failure.line() in report.lines()
    # Nothing else is lost: every other article's events are there, in order, and written.
    kept = [e for e in expected if e.article_id not in ids]
    assert len(kept) < len(expected) and records(result.events) == records(kept)
    assert result.articles == len(articles) - len(ids)
    assert sorted(p.name for p in out.iterdir()) == [
        "_geoevents-run.jsonl", *(f"part-{i:05d}.parquet" for i in range(doomed))]
    assert len(read_partitions(out)) == len(kept) == result.counts["written"]

    # Once the fault is mended, the same call parses the failed partition alone and completes the output.
    client.run(_repair)
    again = parse_corpus(corpus, client, partitions=3, output=out, cache_dir=cache_dir, report=ReadReport())
    assert again.resumed == doomed and again.articles == len(articles) and not again.failed
    assert records(again.events) == records([e for e in expected if e.article_id in ids])
    assert [r["event_id"] for r in frame_records(out)] == [e.event_id for e in expected]


# -- outputs --------------------------------------------------------------------------------------

def _run_cli(args, cache_dir, **env):
    full_env = {**os.environ, "GEOEVENTS_CACHE_DIR": str(cache_dir), "PYTHONPATH": str(REPO), **env}
    return subprocess.run([sys.executable, "-m", "geoevents.cli", *args], capture_output=True, text=True,
                          env=full_env, timeout=300)


def test_cli_writes_partitioned_geoparquet(client, extractor, corpus, cache_dir, tmp_path):
    import geopandas
    import pyarrow.dataset

    clean = [*corpus[:-1], str(_write_corpus(tmp_path / "clean.jsonl", [r for r in OWN_ARTICLES if r]))]
    expected, _ = single_process(extractor, clean)
    out = tmp_path / "out.parquet"
    out.write_bytes(b"an older single-file output")   # replaced, never mixed with
    result = _run_cli(["parse", *clean, "--scheduler", client.scheduler.address, "--partitions", "3",
                       "-o", str(out), "--json", "-q"], cache_dir)
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["events"] == len(expected) == summary["written"]
    assert summary["partitions"] == len(planned(clean, 3)) and summary["failed_partitions"] == 0
    assert summary["skipped"] == 0
    n = len(planned(clean, 3))
    assert sorted(p.name for p in out.iterdir()) == ["_geoevents-run.jsonl",
                                                      *(f"part-0000{i}.parquet" for i in range(n))]

    frame = geopandas.read_parquet(out)   # the folder as one GeoParquet dataset
    assert len(frame) == len(expected) and frame.crs.to_epsg() == 4326
    assert len(pyarrow.dataset.dataset(out).to_table()) == len(expected)
    assert list(read_partitions(out)["event_id"]) == [e.event_id for e in expected]
    assert not list(tmp_path.glob(".out.parquet*")) and not list(tmp_path.glob("out.parquet.*"))   # no temporary left
    # the folder is an events file like any other: 'geoevents map' draws it
    page = tmp_path / "corpus.html"
    drawn = _run_cli(["map", str(out), "-o", str(page), "-q"], cache_dir)
    assert drawn.returncode == 0, drawn.stderr
    assert page.stat().st_size > 100_000


def test_merging_into_the_store_equals_one_process(client, extractor, corpus, cache_dir, tmp_path):
    from geoevents.io import EventStore

    expected, _ = single_process(extractor, corpus)
    reference = EventStore(tmp_path / "one-process.gpkg")
    added = reference.append(expected).added
    store = tmp_path / "dask.gpkg"
    result = parse_corpus(corpus, client, partitions=4, output=store, cache_dir=cache_dir, report=ReadReport())
    merging = ("added", "merged", "unchanged")
    assert {k: result.counts[k] for k in merging} == {"added": added, "merged": len(expected) - added, "unchanged": 0}
    assert list(EventStore(store).frame()["event_id"]) == list(reference.frame()["event_id"])
    again = parse_corpus(corpus, client, partitions=2, output=store, cache_dir=cache_dir, report=ReadReport())
    assert {k: again.counts[k] for k in merging} == {"added": 0, "merged": 0, "unchanged": len(expected)}


def test_a_folder_that_is_not_our_output_is_refused_before_any_work(client, corpus, cache_dir, tmp_path):
    out = tmp_path / "data.parquet"
    out.mkdir()
    (out / "notes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(OutputError, match="notes.txt"):
        parse_corpus(corpus, client, output=out, cache_dir=cache_dir)
    assert (out / "notes.txt").read_text(encoding="utf-8") == "keep me"
    with pytest.raises(OutputError, match="unknown output format"):
        parse_corpus(corpus, client, output=tmp_path / "events.xlsx", cache_dir=cache_dir)


# -- errors are one line -------------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_an_unreachable_scheduler_is_one_line(corpus, cache_dir, gazetteer):
    address = f"tcp://127.0.0.1:{_free_port()}"
    with pytest.raises(ParallelError, match=f"cannot reach the Dask scheduler at {address}") as caught:
        parse_corpus(corpus, address, cache_dir=cache_dir, connect_timeout=1)
    assert "\n" not in str(caught.value)
    result = _run_cli(["parse", "--examples", "--scheduler", address, "-q"], cache_dir,
                      DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT="1s")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    [line] = result.stderr.strip().splitlines()
    assert line.startswith(f"geoevents: error: cannot reach the Dask scheduler at {address}: ")


def test_without_dask_the_error_says_what_to_install(cache_dir):
    code = ("import sys; sys.modules['distributed'] = None; from geoevents.cli import main; "
            "sys.exit(main(['parse', '--examples', '--scheduler', 'local', '-q']))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                            env={**os.environ, "GEOEVENTS_CACHE_DIR": str(cache_dir), "PYTHONPATH": str(REPO)})
    assert result.returncode == 2
    assert result.stderr.strip() == ("geoevents: error: dask.distributed is not installed "
                                     "(pip install 'geoevents[parallel]')")
    bad = _run_cli(["parse", "--examples", "--partitions", "2", "-q"], cache_dir)
    assert bad.returncode == 2 and "--partitions needs --scheduler" in bad.stderr


# -- streaming partitions, resuming, compressed input ---------------------------------------------

def _news_rows(n: int, prefix: str) -> list[dict]:
    """Short wire stories written for these tests, varied so partitions differ in what they hold."""
    towns = ["Mayadin", "Tikrit", "Mosul", "Raqqa", "Hajin", "Sukhnah", "Deir ez-Zor", "Kirkuk"]
    rows = []
    for i in range(n):
        town = towns[i % len(towns)]
        rows.append({"id": f"{prefix}-{i}", "published": f"2017-0{1 + i % 9}-1{i % 10}",
                     "text": f"Gunmen attacked a checkpoint near {town} on Monday, killing {2 + i % 5} soldiers, "
                             f"officials said. Report {i}."})
    return rows


@pytest.fixture(scope="module")
def news_corpus(tmp_path_factory) -> list[str]:
    """A JSON Lines file big enough to be cut into byte ranges, a bad line inside, and a folder of .txt files."""
    folder = tmp_path_factory.mktemp("news")
    rows: list = _news_rows(24, "wire")
    rows[9] = None
    big = _write_corpus(folder / "wire.jsonl", rows)
    texts = folder / "texts"
    texts.mkdir()
    for i, row in enumerate(_news_rows(6, "txt")):
        (texts / f"story-{i}.txt").write_text(row["text"], encoding="utf-8")
    return [str(big), str(texts)]


def test_the_client_reads_no_article_text(client, extractor, news_corpus, cache_dir, monkeypatch):
    """The client only lists and stats the inputs: workers open the files, count ranges and read them."""
    import builtins
    import io

    expected, expected_skips = single_process(extractor, news_corpus)
    roots = [str(Path(p).resolve().parent) for p in news_corpus]
    opened: list[str] = []
    real_open = builtins.open

    def watching_open(file, *args, **kwargs):
        if isinstance(file, (str, os.PathLike)) and any(str(Path(file).resolve()).startswith(r) for r in roots):
            opened.append(str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", watching_open)
    monkeypatch.setattr(io, "open", watching_open)
    report = ReadReport()
    result = parse_corpus(news_corpus, client, partitions=6, cache_dir=cache_dir, report=report)
    monkeypatch.undo()
    assert opened == []
    assert records(result.events) == records(expected) and report.lines() == expected_skips
    # the JSON Lines file was cut into byte ranges, and the bad line is named by its number in the whole file
    assert any(p.is_range for p in planned(news_corpus, 6))
    assert expected_skips == [f"{news_corpus[0]}:10: skipped: invalid JSON: Expecting value at column 25"]


class _Interrupt:
    """Ctrl-C after ``after`` partitions parsed by this run."""

    def __init__(self, after: int):
        self.after = after
        self.first: int | None = None

    def __call__(self, state: RunProgress) -> None:
        if self.first is None:
            self.first = state.partitions_done   # the partitions taken up from an earlier run
        elif state.partitions_done - self.first >= self.after:
            raise KeyboardInterrupt


def test_an_interrupted_run_resumes_where_it_stopped(client, extractor, news_corpus, cache_dir, tmp_path):
    expected, expected_skips = single_process(extractor, news_corpus)
    out = tmp_path / "events.parquet"
    with pytest.raises(KeyboardInterrupt):
        parse_corpus(news_corpus, client, partitions=6, output=out, cache_dir=cache_dir, report=ReadReport(),
                     progress=_Interrupt(2))
    partial = tmp_path / "events.parquet.partial"
    assert not out.exists() and partial.is_dir()   # only a finished run looks finished
    saved = sorted(p.name for p in partial.glob("part-*.parquet"))
    assert len(saved) >= 2

    report = ReadReport()
    result = parse_corpus(news_corpus, client, partitions=6, output=out, cache_dir=cache_dir, report=report,
                          keep_events=False)
    assert result.resumed == len(saved) and result.partitions > result.resumed and not partial.exists()
    assert result.articles == 23 + 6 and result.n_events == len(expected) and result.events == []
    assert report.lines() == expected_skips   # the skips of the saved partitions are told again, in order
    assert [r["event_id"] for r in frame_records(out)] == [e.event_id for e in expected]
    # the same as one uninterrupted run
    whole = tmp_path / "whole.parquet"
    parse_corpus(news_corpus, client, partitions=6, output=whole, cache_dir=cache_dir, report=ReadReport())
    assert frame_records(out) == frame_records(whole)

    # run again: nothing is left to do; restart parses everything again
    again = parse_corpus(news_corpus, client, partitions=6, output=out, cache_dir=cache_dir, report=ReadReport())
    assert again.resumed == again.partitions and again.events == [] and again.n_events == len(expected)
    fresh = parse_corpus(news_corpus, client, partitions=6, output=out, cache_dir=cache_dir, report=ReadReport(),
                         restart=True)
    assert fresh.resumed == 0 and records(fresh.events) == records(expected)
    assert frame_records(out) == frame_records(whole)

    # a changed input is parsed again: its partitions' sizes and times no longer match
    changed = tmp_path / "changed.jsonl"
    _write_corpus(changed, _news_rows(24, "wire"))
    os.utime(changed, ns=(1, 1))
    inputs = [str(changed), news_corpus[1]]
    parse_corpus(inputs, client, partitions=6, output=out, cache_dir=cache_dir, report=ReadReport())
    _write_corpus(changed, _news_rows(24, "wirx"))   # the same size, a new modification time
    redone = parse_corpus(inputs, client, partitions=6, output=out, cache_dir=cache_dir, report=ReadReport())
    assert redone.resumed == 1 and any(e.article_id == "wirx-0" for e in redone.events)   # the .txt group stays


def test_an_interrupted_store_run_resumes(client, extractor, news_corpus, cache_dir, tmp_path, monkeypatch):
    from geoevents.io import EventStore
    from geoevents.io import sinks

    expected, _ = single_process(extractor, news_corpus)
    reference = EventStore(tmp_path / "one-process.gpkg")
    reference.append(expected)
    monkeypatch.setattr(sinks, "STORE_EVERY", 1)   # append every partition, so the record has something to say
    store = tmp_path / "dask.gpkg"
    with pytest.raises(KeyboardInterrupt):
        parse_corpus(news_corpus, client, partitions=6, output=store, cache_dir=cache_dir, report=ReadReport(),
                     progress=_Interrupt(3))
    record = tmp_path / "dask.gpkg.run.jsonl"
    assert record.is_file()
    result = parse_corpus(news_corpus, client, partitions=6, output=store, cache_dir=cache_dir, report=ReadReport())
    assert 0 < result.resumed < result.partitions and result.n_events == len(expected)
    assert list(EventStore(store).frame()["event_id"]) == list(reference.frame()["event_id"])


def test_gzip_json_lines_on_dask_as_in_one_process(client, extractor, tmp_path, cache_dir):
    import gzip

    folder = tmp_path / "archive"
    folder.mkdir()
    for day in range(3):
        with gzip.open(folder / f"day-{day}.jsonl.gz", "wt", encoding="utf-8") as f:
            for row in _news_rows(4, f"day{day}"):
                f.write(json.dumps(row) + "\n")
    (folder / "day-9.jsonl.gz").write_bytes(gzip.compress(b'{"text": "Shelling hit Raqqa."}\n')[:-10])
    expected, expected_skips = single_process(extractor, [str(folder)])
    assert len({e.article_id for e in expected}) > 6
    [cut_short] = expected_skips
    assert cut_short.startswith(f"{folder / 'day-9.jsonl.gz'}:") and cut_short.endswith(
        "skipped: cannot decompress: Compressed file ended before the end-of-stream marker was reached; "
        "rest of file not read")
    report = ReadReport()
    out = tmp_path / "archive.geojson"   # written whole at the end
    result = parse_corpus([str(folder)], client, partitions=3, output=out, cache_dir=cache_dir, report=report)
    assert records(result.events) == records(expected) and report.lines() == expected_skips
    from geoevents.io import read_events

    assert [e.event_id for e in read_events(out)] == [e.event_id for e in expected] and result.resumed == 0


def test_cli_resumes_and_restarts(client, news_corpus, cache_dir, tmp_path):
    out = tmp_path / "news.parquet"
    args = ["parse", *news_corpus, "--scheduler", client.scheduler.address, "--partitions", "4", "-o", str(out),
            "--json", "-q"]
    first = _run_cli(args, cache_dir)
    assert first.returncode == 1, first.stderr   # the bad line is reported
    summary = json.loads(first.stdout)
    assert summary["resumed_partitions"] == 0 and summary["articles"] == 29
    second = json.loads(_run_cli(args, cache_dir).stdout)
    assert second["resumed_partitions"] == second["partitions"] and second["events"] == summary["events"]
    third = json.loads(_run_cli([*args, "--restart"], cache_dir).stdout)
    assert third["resumed_partitions"] == 0 and third["events"] == summary["events"]
    piped = _run_cli(["parse", "-", "--scheduler", client.scheduler.address, "-q"], cache_dir)
    assert piped.returncode == 2 and "standard input ('-') cannot be split" in piped.stderr
    alone = _run_cli(["parse", *news_corpus, "--restart", "-q"], cache_dir)
    assert alone.returncode == 2 and "--restart needs --scheduler" in alone.stderr
