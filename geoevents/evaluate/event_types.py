"""Score event typing against the CASE 2021 task 2 format: one snippet, one event sub-type.

The file is tab-separated with a header naming the columns ``id``, ``EventSnippet`` and
``SubType`` (without a header those are taken to be the first three columns). Task 2's
classes are ACLED's 25 sub-event types under their own codes (``CASE_SUBTYPES`` maps
them one-to-one) plus five classes that are not conflict events (natural and man-made
disasters, organised crime, diplomacy, attribution of responsibility), for which the
right answer is no event at all.

The prediction for a snippet is the sub-event type of the first event the extractor finds
in it (in the order of the text), or ``NO_EVENT``. The file is for measuring only: never
train on it, or copy its text anywhere.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..events.record import EVENT_TYPE_OF
from ..text import Article
from .toponyms import CorpusError

Progress = Callable[[int], object]

NO_EVENT = "no event"

# CASE 2021 task 2 codes -> ACLED sub-event types; None: not a conflict event (must give none).
CASE_SUBTYPES: dict[str, str | None] = {
    # Battles
    "ARMED_CLASH": "Armed clash",
    "GOV_REGAINS_TERIT": "Government regains territory",
    "NON_STATE_ACTOR_OVERTAKES_TER": "Non-state actor overtakes territory",
    # Explosions/Remote violence
    "CHEM_WEAP": "Chemical weapon",
    "AIR_STRIKE": "Air/drone strike",
    "SUIC_BOMB": "Suicide bomb",
    "ART_MISS_ATTACK": "Shelling/artillery/missile attack",
    "REM_EXPLOS": "Remote explosive/landmine/IED",
    "GRENADE": "Grenade",
    # Violence against civilians
    "SEX_VIOL": "Sexual violence",
    "ATTACK": "Attack",
    "ABDUCT_DISSAP": "Abduction/forced disappearance",
    # Protests
    "PEACE_PROTEST": "Peaceful protest",
    "PROTEST_WITH_INTER": "Protest with intervention",
    "FORCE_AGAINST_PROTEST": "Excessive force against protesters",
    # Riots
    "VIOL_DEMONSTR": "Violent demonstration",
    "MOB_VIOL": "Mob violence",
    # Strategic developments
    "AGREEMENT": "Agreement",
    "ARREST": "Arrests",
    "CHANGE_TO_GROUP_ACT": "Change to group/activity",
    "DISR_WEAP": "Disrupted weapons use",
    "HQ_ESTABLISHED": "Headquarters or base established",
    "PROPERTY_DISTRUCT": "Looting/property destruction",
    "NON_VIOL_TERRIT_TRANSFER": "Non-violent transfer of territory",
    "OTHER": "Other",
    # Not conflict events
    "NATURAL_DISASTER": None,
    "MAN_MADE_DISASTER": None,
    "ORG_CRIME": None,
    "DIPLO": None,
    "ATTRIB": None,
}
_MAPPED = [sub for sub in CASE_SUBTYPES.values() if sub is not None]
assert sorted(_MAPPED) == sorted(EVENT_TYPE_OF) and len(set(_MAPPED)) == len(_MAPPED), "one code per sub-type"
NON_CONFLICT = frozenset(code for code, sub in CASE_SUBTYPES.items() if sub is None)

_COLUMNS = {"id": ("id",), "text": ("eventsnippet", "snippet", "text"), "code": ("subtype", "label")}


class CaseError(CorpusError):
    """A CASE task 2 file is missing, unreadable, or has no usable snippet."""


@dataclass(frozen=True, slots=True)
class CaseSnippet:
    """One gold snippet: its text and CASE code (a key of CASE_SUBTYPES)."""

    id: str
    text: str
    code: str
    line: int = 0

    @property
    def sub_event_type(self) -> str | None:
        """The ACLED sub-event type of the gold code; None for a non-conflict class."""
        return CASE_SUBTYPES[self.code]


def read_case_snippets(path: str | Path, counts: dict | None = None) -> list[CaseSnippet]:
    """Read a CASE 2021 task 2 TSV (id, EventSnippet, SubType), skipping and counting bad rows.

    A row is skipped when it has the wrong number of fields, an empty snippet or a SubType
    that is not a CASE code; blank lines are ignored. Raises CaseError when the file cannot
    be read, its header lacks the snippet or SubType column, or no row is usable.
    ``counts``, when given, is filled with ``rows``, ``skipped``, ``skip_reasons`` and
    ``unknown_codes`` (the SubType values not in CASE_SUBTYPES, with their rows).
    """
    path = Path(path)
    try:
        content = path.read_bytes().decode("utf-8-sig", errors="replace").replace("\0", "")
    except OSError as exc:
        raise CaseError(path, f"cannot read ({exc.strerror or exc})") from None
    lines = [(number, line.rstrip("\r")) for number, line in enumerate(content.split("\n"), start=1) if line.strip()]
    if not lines:
        raise CaseError(path, "empty file")
    first = [f.strip().lower() for f in lines[0][1].split("\t")]
    if any(name in first for names in _COLUMNS.values() for name in names):
        where = {key: next((first.index(n) for n in names if n in first), None) for key, names in _COLUMNS.items()}
        if where["text"] is None or where["code"] is None:
            raise CaseError(path, "no EventSnippet or SubType column in the header")
        width, lines = len(first), lines[1:]
    else:
        where, width = {"id": 0, "text": 1, "code": 2}, 3
    reasons: Counter = Counter()
    unknown: Counter = Counter()
    out: list[CaseSnippet] = []
    for number, line in lines:
        fields = line.split("\t")
        if len(fields) != width:
            reasons[f"{len(fields)} tab-separated fields, not {width}"] += 1
            continue
        text, code = fields[where["text"]].strip(), fields[where["code"]].strip().upper()
        if not text:
            reasons["empty snippet"] += 1
        elif code not in CASE_SUBTYPES:
            reasons["unknown SubType"] += 1
            unknown[code] += 1
        else:
            ident = fields[where["id"]].strip() if where["id"] is not None else str(number)
            out.append(CaseSnippet(ident, text, code, number))
    if not out:
        raise CaseError(path, "no usable snippet (id, EventSnippet, SubType separated by tabs)")
    if counts is not None:
        counts.update(rows=len(out) + sum(reasons.values()), skipped=sum(reasons.values()),
                      skip_reasons=dict(reasons.most_common()), unknown_codes=dict(unknown.most_common()))
    return out


def score_event_types(snippets: Sequence[CaseSnippet], predicted: Sequence[str]) -> dict:
    """Score one predicted sub-event type (or NO_EVENT) per snippet against the gold codes.

    * ``accuracy``: top-1 sub-type accuracy over the conflict snippets (gold code maps to
      an ACLED sub-type); ``event_type_accuracy``: the same for ACLED's six event types;
    * ``macro_f1``: F1 per sub-type averaged over the sub-types that occur in the gold or
      the predictions (``macro_f1_classes`` of them; all 25 on the CASE dev file). Every
      snippet counts, so an event predicted for a non-conflict snippet is a false positive
      of its sub-type; NO_EVENT is never a sub-type (a false negative only);
    * ``no_event``: share of conflict snippets giving no event; ``quiet``: share of
      non-conflict snippets giving no event (higher is better);
    * ``per_class``: per CASE code, ``sub_event_type, n, correct`` (no event for the
      non-conflict codes), ``f1`` and the most common wrong prediction ``wrong`` (with
      ``wrong_n``); ``confusions``: the 10 commonest (gold, predicted) pairs that differ,
      gold named by its ACLED sub-type or its CASE code when it has none.
    """
    if len(snippets) != len(predicted):
        raise ValueError(f"{len(predicted)} predictions for {len(snippets)} snippets")
    pairs = [(s.code, s.sub_event_type, p) for s, p in zip(snippets, predicted)]
    conflict = [(g, p) for _, g, p in pairs if g is not None]
    quiet = [p == NO_EVENT for _, g, p in pairs if g is None]
    classes = sorted({g for g, _ in conflict} | {p for *_, p in pairs if p in EVENT_TYPE_OF})
    f1: dict[str, float] = {}
    for c in classes:
        tp = sum(g == c and p == c for _, g, p in pairs)
        fp = sum(g != c and p == c for _, g, p in pairs)
        fn = sum(g == c and p != c for _, g, p in pairs)
        f1[c] = 2 * tp / (2 * tp + fp + fn)
    per_class: dict[str, dict] = {}
    for code in sorted({c for c, *_ in pairs}, key=lambda c: (CASE_SUBTYPES[c] is None, c)):
        gold = CASE_SUBTYPES[code] or NO_EVENT
        preds = [p for c, _, p in pairs if c == code]
        wrong = Counter(p for p in preds if p != gold).most_common(1)
        per_class[code] = dict(sub_event_type=CASE_SUBTYPES[code], n=len(preds), correct=preds.count(gold),
                               f1=f1.get(gold), wrong=wrong[0][0] if wrong else None,
                               wrong_n=wrong[0][1] if wrong else 0)
    confusions = Counter(((g or code), p) for code, g, p in pairs if p != (g or NO_EVENT))
    top = sorted(confusions.items(), key=lambda kv: (-kv[1], kv[0]))[:10]
    n_conflict = len(conflict)
    return dict(
        n=len(pairs), conflict=n_conflict, non_conflict=len(quiet),
        accuracy=sum(g == p for g, p in conflict) / n_conflict if n_conflict else None,
        event_type_accuracy=(sum(EVENT_TYPE_OF[g] == EVENT_TYPE_OF.get(p) for g, p in conflict) / n_conflict
                             if n_conflict else None),
        macro_f1=sum(f1.values()) / len(f1) if f1 else None,
        macro_f1_classes=len(f1),
        no_event=sum(p == NO_EVENT for _, p in conflict) / n_conflict if n_conflict else None,
        quiet=sum(quiet) / len(quiet) if quiet else None,
        confusions=[dict(gold=g, predicted=p, n=k) for (g, p), k in top],
        per_class=per_class,
    )


def predict_sub_type(events: Sequence) -> str:
    """The prediction for a snippet: its first event's sub-event type, or NO_EVENT."""
    return events[0].sub_event_type if events else NO_EVENT


def evaluate_event_types(
    path: str | Path | Sequence[CaseSnippet],
    extractor=None,
    limit: int | None = None,
    batch_size: int = 32,
    progress: Progress | None = None,
) -> dict:
    """Run the event extractor over CASE task 2 snippets and score its typing (score_event_types).

    ``path`` is a TSV (read_case_snippets) or already-read snippets; ``limit`` keeps the
    first so many. ``extractor`` defaults to ``geoevents.events.EventExtractor()``; anything
    with ``extract_many(articles, batch_size=, report=)`` yielding (article, events) works.
    Snippets carry no publication date. ``progress`` gets the number of snippets done.
    Adds ``skipped`` (bad rows), ``skip_reasons``, ``unknown_codes`` and ``failed``
    (snippets the extractor failed on: they count as giving no event).
    """
    counts: dict = dict(skipped=0, skip_reasons={}, unknown_codes={})
    snippets = read_case_snippets(path, counts=counts) if isinstance(path, (str, Path)) else list(path)
    if limit is not None:
        snippets = snippets[:limit]
    if extractor is None:
        from ..events import EventExtractor

        extractor = EventExtractor()
    origin = str(path) if isinstance(path, (str, Path)) else "case"
    articles = (Article(id=str(i), text=s.text, published=None, origin=f"{origin}:{s.line or i + 1}")
                for i, s in enumerate(snippets))
    predicted = [NO_EVENT] * len(snippets)
    failed: list = []
    for article, events in extractor.extract_many(articles, batch_size=batch_size, report=failed.append):
        i = int(article.id)
        predicted[i] = predict_sub_type(events)
        if progress is not None:
            progress(i + 1)
    if progress is not None:
        progress(len(snippets))
    scores = score_event_types(snippets, predicted)
    return dict(n=scores.pop("n"), skipped=counts["skipped"], **scores, failed=len(failed),
                skip_reasons=counts["skip_reasons"], unknown_codes=counts["unknown_codes"])


_LABELS = {
    "n": "snippets scored", "skipped": "rows skipped (bad)", "conflict": "conflict snippets",
    "non_conflict": "non-conflict snippets", "accuracy": "sub-type accuracy (top-1)",
    "event_type_accuracy": "event type accuracy", "macro_f1": "macro-F1 over sub-types",
    "no_event": "conflict snippets giving no event", "quiet": "non-conflict snippets quiet",
    "failed": "snippets the extractor failed on",
}


def format_event_types_table(scores: dict) -> str:
    """The scores as plain text: the summary, then n / correct / commonest wrong prediction per class."""
    width = max(map(len, _LABELS.values()))
    lines = []
    for key, label in _LABELS.items():
        value = scores.get(key)
        text = "-" if value is None else f"{value:.1%}" if isinstance(value, float) else f"{value:,}"
        if key == "macro_f1" and value is not None:
            text = f"{value:.3f}"
        lines.append(f"{label:<{width}}  {text:>10}")
    for reason, count in scores.get("skip_reasons", {}).items():
        lines.append(f"  skipped: {reason}: {count}")
    per_class = scores.get("per_class") or {}
    if per_class:
        name_width = max(len(f"{c} ({v['sub_event_type'] or NO_EVENT})") for c, v in per_class.items())
        lines += ["", f"{'class':<{name_width}}  {'n':>4} {'right':>5}  most common wrong prediction"]
        for code, row in per_class.items():
            name = f"{code} ({row['sub_event_type'] or NO_EVENT})"
            wrong = f"{row['wrong']} ({row['wrong_n']})" if row["wrong"] else "-"
            lines.append(f"{name:<{name_width}}  {row['n']:>4} {row['correct']:>5}  {wrong}")
    return "\n".join(lines)
