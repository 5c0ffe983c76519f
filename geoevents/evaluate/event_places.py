"""Score "where did this event happen": sentences with one event trigger and the gold places of that event.

The file format is one JSON object a line, ``{"text", "spans": [{"start", "end", "label":
"VERB" | "LOCATION"}]}``: the trigger and the place(s) where that event happened, none when
the sentence does not say.
"""
from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from ..nlp import blank_tokenizer
from .metrics import Span, _prf, match_spans
from .toponyms import CorpusError

log = logging.getLogger(__name__)
Progress = Callable[[int], object]


class EventLocationError(CorpusError):
    """An event-location JSONL file is missing or has a line that is not a valid example."""


@dataclass(frozen=True, slots=True)
class EventLocationExample:
    """One gold sentence: the trigger's and the event places' character offsets in ``text``."""

    text: str
    verb: tuple[int, int]
    locations: frozenset[tuple[int, int]]
    source: str = ""


def _location_chars(doc, start: int, end: int) -> tuple[tuple[int, int], str]:
    """A LOCATION span's character offsets and how they were read: "char", "token" or "kept"."""
    span = doc.char_span(start, end)
    if span is not None and any(c.isupper() for c in span.text):
        return (start, end), "char"
    if 0 <= start <= end < len(doc):
        tokens = doc[start:end + 1]
        return (tokens.start_char, tokens.end_char), "token"
    return (start, end), "kept"


def read_event_locations(path: str | Path, counts: dict | None = None) -> list[EventLocationExample]:
    """Read an event-location JSONL file: ``{"text", "spans": [{"start", "end", "label"}], "source"}``.

    Each line holds one sentence with a ``VERB`` span (the event trigger, character
    offsets) and zero or more ``LOCATION`` spans (where that event happened). Blank lines
    are skipped; any other line that is not such an object raises EventLocationError
    naming ``file:line`` and the problem.

    Some public releases of this data (rows from AP, Xinhua, Atrocities, wiki) give
    LOCATION offsets as spaCy *token* indices with an inclusive end ("start 5, end 5" =
    the sixth token). A LOCATION span is read as characters when its offsets align with
    token boundaries of the text (spaCy's English tokenizer) and the text they cover has
    an uppercase letter; otherwise, when ``0 <= start <= end < number of tokens``, as the
    tokens ``start..end`` (converted to their character offsets); otherwise it is kept as
    given. On the 9,686-sentence development file this converts 897 of 6,103 spans and
    keeps 10 that fit neither reading (a few dozen converted ones are off by a token or
    two where the original tokenizer split hyphens differently).

    ``verb`` is the first VERB span (two sentences of that file carry two). ``counts``,
    when given, is filled with ``sentences, locations, char, token, kept, extra_verbs``.
    """
    path = Path(path)
    tally = dict.fromkeys(("sentences", "locations", "char", "token", "kept", "extra_verbs"), 0)
    try:
        handle = path.open(encoding="utf-8")
    except OSError as exc:
        raise EventLocationError(path, f"cannot read ({exc.strerror or exc})") from None
    tokenizer = blank_tokenizer()
    out: list[EventLocationExample] = []
    with handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                out.append(_event_location_example(json.loads(line), tokenizer, tally))
            except (ValueError, KeyError, TypeError) as exc:
                problem = f"not JSON ({exc.msg})" if isinstance(exc, json.JSONDecodeError) else str(exc)
                raise EventLocationError(f"{path}:{number}", problem) from None
    if not out:
        raise EventLocationError(path, "no examples")
    if tally["token"] or tally["kept"]:
        log.info("%s: read %d LOCATION spans as token indices, kept %d that fit no reading",
                 path, tally["token"], tally["kept"])
    if counts is not None:
        counts.update(tally)
    return out


def _event_location_example(row, tokenizer, tally: dict) -> EventLocationExample:
    if not isinstance(row, dict):
        raise ValueError("not a JSON object")
    text = row.get("text")
    spans = row.get("spans")
    if not isinstance(text, str) or not isinstance(spans, list):
        raise ValueError('needs "text" (a string) and "spans" (a list)')
    verbs, places = [], []
    for span in spans:
        if not isinstance(span, dict) or not {"start", "end", "label"} <= span.keys():
            raise ValueError('every span needs "start", "end" and "label"')
        start, end = int(span["start"]), int(span["end"])
        if span["label"] == "VERB":
            if not 0 <= start < end <= len(text):
                raise ValueError(f"VERB span {start}-{end} lies outside the text")
            verbs.append((start, end))
        elif span["label"] == "LOCATION":
            places.append((start, end))
        else:
            raise ValueError(f"unknown span label {span['label']!r} (expected VERB or LOCATION)")
    if not verbs:
        raise ValueError("no VERB span")
    locations = set()
    if places:
        doc = tokenizer(text)
        for start, end in places:
            chars, how = _location_chars(doc, start, end)
            tally[how] += 1
            locations.add(chars)
    tally["sentences"] += 1
    tally["locations"] += len(places)
    tally["extra_verbs"] += len(verbs) - 1
    return EventLocationExample(text, verbs[0], frozenset(locations), str(row.get("source") or ""))


def score_event_locations(gold: Sequence, predicted: Sequence[Iterable[Span]]) -> dict:
    """Score predicted event places against gold, sentence by sentence.

    ``gold`` holds EventLocationExamples (or span collections); ``predicted`` one
    collection of (start, end) spans per sentence. Returns:

    * ``n``: sentences; ``accuracy``: share whose predicted span set equals the gold set
      exactly (an empty prediction for a sentence that names no place is correct);
    * ``precision, recall, f1``: exact spans, micro-averaged over all sentences;
    * ``precision_overlap, recall_overlap, f1_overlap``: a predicted span counts when it
      shares a character with a gold span (each gold span matched once, see match_spans);
    * ``empty_accuracy``: accuracy on the sentences whose gold is empty (said nothing
      where); ``located_accuracy``: on the others; ``n_empty``; ``n_gold_spans``,
      ``n_predicted_spans``.
    """
    if len(gold) != len(predicted):
        raise ValueError(f"{len(predicted)} predictions for {len(gold)} sentences")
    right = right_empty = n_empty = exact = overlap = n_gold = n_pred = 0
    for g, p in zip(gold, predicted):
        gold_set = set(g.locations if isinstance(g, EventLocationExample) else map(tuple, g))
        pred_set = {tuple(s) for s in p}
        same = gold_set == pred_set
        right += same
        if not gold_set:
            n_empty += 1
            right_empty += same
        exact += len(gold_set & pred_set)
        overlap += len(match_spans(sorted(gold_set), sorted(pred_set)))
        n_gold += len(gold_set)
        n_pred += len(pred_set)
    n = len(gold)
    p, r, f = _prf(exact, n_gold, n_pred)
    po, ro, fo = _prf(overlap, n_gold, n_pred)
    return dict(
        n=n, accuracy=right / n if n else None, precision=p, recall=r, f1=f,
        precision_overlap=po, recall_overlap=ro, f1_overlap=fo,
        empty_accuracy=right_empty / n_empty if n_empty else None,
        located_accuracy=(right - right_empty) / (n - n_empty) if n > n_empty else None,
        n_empty=n_empty, n_gold_spans=n_gold, n_predicted_spans=n_pred,
    )


def evaluate_event_locations(
    path: str | Path | Sequence[EventLocationExample],
    finder=None,
    batch_size: int = 64,
    progress: Progress | None = None,
    limit: int | None = None,
) -> dict:
    """Run an event-place finder over an event-location file and score it (score_event_locations).

    ``path`` is a JSONL file (read_event_locations) or already-read examples; ``limit``
    keeps the first so many. ``finder`` defaults to ``geoevents.events.place.EventPlaceFinder()``;
    anything with ``locations_for_texts(items, batch_size)`` taking ``(text, (verb start,
    verb end))`` pairs and returning one span list per pair works. The texts go through
    the finder's spaCy pipeline in batches of ``batch_size``; ``progress`` gets the number
    of sentences done after each batch. Each sentence is given whole (as the Doc), as the
    data are single sentences that spaCy may split.
    """
    examples = read_event_locations(path) if isinstance(path, (str, Path)) else list(path)
    if limit is not None:
        examples = examples[:limit]
    if finder is None:
        from ..events.place import EventPlaceFinder

        finder = EventPlaceFinder()
    predicted: list[list[Span]] = []
    for lo in range(0, len(examples), batch_size):
        batch = examples[lo:lo + batch_size]
        predicted += finder.locations_for_texts([(e.text, e.verb) for e in batch], batch_size=batch_size)
        if progress is not None:
            progress(lo + len(batch))
    return score_event_locations(examples, predicted)
