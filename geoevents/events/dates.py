"""Event dates and their precision: find the date expressions in a news sentence and resolve them ACLED's way.

``DateResolver(published, article_text)`` is made once per article; ``find(sentence)`` returns
every date expression in a sentence, resolved, and ``event_date(sentence, anchor)`` picks the
one that dates the event whose trigger word sits at ``anchor``.

Precision follows the ACLED codebook ("Time precision codes", acleddata.com/methodology/acled-codebook):

- 1: the source gives the actual day ("July 10, 2017", "on Thursday", "yesterday", "two days ago").
- 2: the event happened sometime in a week or a similar period such as a weekend; the date
  is the middle of that period ("last week" is the Thursday of the previous Monday-Sunday
  week; ACLED says Wednesday or Thursday).
- 3: only the month is known, or a span of two or three weeks; the date is the month's
  midpoint, the 15th. When the text says the beginning or the end of the month ("early
  July", "late last month") the first or the last day is used, as the codebook says.
  ACLED codes nothing vaguer, so spans longer than about three months are ignored.

Where the codebook is silent, this module chooses, and says so here:

- A period that is still running at publication ("this week", "this month", "in July 2017"
  in an article of July 13, 2017) only has its elapsed part known, so the date is the middle
  of [period start, publication date]; an event cannot postdate its report.
- Rolling windows ("in recent days", "over the past few days", "in the past three weeks",
  "in recent months") are dated at the middle of the window ending on the publication day:
  vague day counts mean a week, vague week counts three weeks, vague month counts three
  months. Up to 10 days is precision 2, longer is 3.
- A weekend is dated on its Saturday (the midpoint of a two-day period, rounded down).
- A weekday ("on Thursday", "Thursday's attack") is the most recent such day strictly
  before publication, or the publication day itself when it is that weekday, because news
  reports the past. "last Thursday" never means the publication day; "next Thursday" is
  resolved forward but ``event_date`` ignores dates after publication.
- A day and month without a year ("July 10") takes the publication year, or the previous
  year when that would put it more than 62 days after publication. Without a publication
  date it takes the latest year written with a month in ``article_text`` (the story is
  about its newest dates; older years are background), else it stays unknown.
- "the day before", "three days earlier", "the next day" count from the last day-precise
  date stated earlier in the same sentence (not from another such count); with none,
  backward ones count from publication and forward ones are unknown. "N days ago" always
  counts from publication.
- ``event_date`` passes over expressions dated after publication: a reported event cannot
  postdate its report, so those are plans ("talks are due next Monday").
- Without a publication date, every expression that needs one resolves to an unknown date
  (``date=None``): never guessed.
- Years alone ("since 2014"), times of day ("around noon"), durations ("nine months of
  fighting"), numeric day/month forms ("10/7", ambiguous) are not event dates.
- Month names must be capitalised and need a day number, a year, or a preposition or
  modifier next to them ("in May", "early March"), so "may be" and "troops march" are not
  dates. Weekdays must be written in full ("Sat" is never Saturday).
"""
from __future__ import annotations

import calendar
import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

from .. import lexicon
from ..text.dates import MONTH_NUMBERS

__all__ = ["PUBLICATION_DEFAULT_PRECISION", "DateResolver", "EventDate"]

# A sentence that names no date is dated on publication at week precision: the text says
# nothing, so all we know is that the event is recent news around the publication date.
PUBLICATION_DEFAULT_PRECISION = 2

# A day and month with no year is read in the previous year when the publication year would
# put it further than this after publication ("December 28" in a January article).
_LARGEST_FUTURE_GAP = datetime.timedelta(days=62)

# Rolling windows longer than this are vaguer than ACLED codes; shorter than the week limit
# they are week precision.
_LONGEST_WINDOW_DAYS = 100
_LONGEST_WEEK_WINDOW_DAYS = 10


@dataclass(frozen=True, slots=True)
class EventDate:
    """A resolved date expression: the date, its ACLED time precision, and the text it came from."""

    date: datetime.date | None  # None: unknown (stated as unknown, never guessed)
    precision: int | None  # ACLED time_precision 1 day, 2 about a week, 3 about a month; None with date None
    expression: str | None  # the words that gave it; None for the publication-date default
    start: int | None = None  # character offsets of the expression in the sentence
    end: int | None = None


# --- the patterns -------------------------------------------------------------------------

_FULL_MONTHS = list(calendar.month_name)[1:]
_MONTH_ABBREVIATIONS = ["Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec"]
_WEEKDAYS = list(calendar.day_name)

_WEEKDAY_NUMBERS = {name.lower(): number for number, name in enumerate(_WEEKDAYS)}

# Counts of days, weeks and months written as words: "three days ago", "a week earlier".
_COUNT_WORDS = [word for word, value in lexicon.rows("number_words") if 1 <= int(value) <= 12]
_NUMBER_WORDS = {"a": 1, "an": 1, **{word: int(value) for word, value in lexicon.rows("number_words")
                                     if 1 <= int(value) <= 12}}
_VAGUE_NUMBERS = ("couple", "few", "several")  # "a couple of", "a few", "several"


def _capitalised_forms(words: list[str]) -> str:
    """Title-case and upper-case forms only, longest first: lower-case "may" and "march" are verbs."""
    forms = {form for word in words for form in (word, word.upper())}
    return "|".join(sorted(forms, key=len, reverse=True))


_FULL_MONTH = rf"(?:{_capitalised_forms(_FULL_MONTHS)})\b"
_MONTH = rf"(?:{_FULL_MONTH}|(?:{_capitalised_forms(_MONTH_ABBREVIATIONS)})(?:\.|\b))"
_WEEKDAY = rf"(?:{_capitalised_forms(_WEEKDAYS)})\b"
_DAY_NUMBER = r"3[01]|[12][0-9]|0?[1-9]"
# no digit after the day, and no "10:30" or "10.5": those are times and numbers
_DAY_END = r"(?:st|nd|rd|th)?(?![0-9]|[:.][0-9])"
_YEAR = r"(?:19|20)[0-9]{2}(?![0-9])"
_MODIFIER = r"(?i:early|late|mid|(?:the\s+)?(?:beginning|start|end|middle)\s+of)"
_NUMBER = rf"(?i:a\s+couple\s+of|couple\s+of|a\s+few|few|several|an?|{'|'.join(_COUNT_WORDS)}|[0-9]{{1,3}})"
_NOT_FOLLOWED_BY_WORD = r"(?!\s+[^\W\d_])"  # "the day before," is anaphoric; "the day before the vote" is not

# Each alternative is one named group whose resolver has the same name; at one position the
# first alternative that matches wins, so the longer explicit forms come first.
_ALTERNATIVES = {
    "iso": r"""(?:\b(?i:on)\s+)?(?<![0-9-])(?P<iso_y>(?:19|20)[0-9]{2})-(?P<iso_m>0[1-9]|1[0-2])
              -(?P<iso_d>3[01]|[12][0-9]|0[1-9])(?![0-9])""",
    "month_day": rf"""(?:\b(?i:on|by|since|until|from)\s+)?(?:\b{_WEEKDAY},?\s+)?
              \b(?P<md_m>{_MONTH})\s+(?P<md_d>{_DAY_NUMBER}){_DAY_END}(?:,?\s+(?P<md_y>{_YEAR}))?""",
    "day_month": rf"""(?:\b(?i:on|by|since|until|from)\s+)?(?:\b{_WEEKDAY},?\s+)?(?:(?i:the)\s+)?
              (?<![0-9.,])\b(?P<dm_d>{_DAY_NUMBER})(?:st|nd|rd|th)?(?:\s+(?i:of))?\s+
              \b(?P<dm_m>{_MONTH})(?:,?\s+(?P<dm_y>{_YEAR}))?""",
    "month_year": rf"""(?:\b(?i:in|during|since|until|by|from|throughout|through)\s+)?
              (?:\b(?P<my_mod>{_MODIFIER})(?:-|\s+))?\b(?P<my_m>{_MONTH})\s+(?P<my_y>{_YEAR})""",
    "bare_month": rf"""(?:\b(?P<bm_rel>(?i:last|this|next))\s+
               |\b(?i:in|during|since|until|by|from|throughout|through)\s+(?:(?P<bm_mod1>{_MODIFIER})(?:-|\s+))?
               |\b(?P<bm_mod2>{_MODIFIER})(?:-|\s+))
              \b(?P<bm_m>{_FULL_MONTH})(?!\s*[0-9])""",
    "day_word": r"""(?i:\b(?:the\s+day\s+before\s+yesterday|earlier\s+today|today|tonight
              |this\s+(?:morning|afternoon|evening)|yesterday|last\s+night)\b(?:['’]s)?)""",
    "offset": rf"""(?i:\b(?P<off_n>{_NUMBER})\s+(?P<off_u>day|week|month)s?\s+
              (?P<off_dir>ago|earlier|later|before{_NOT_FOLLOWED_BY_WORD}|after{_NOT_FOLLOWED_BY_WORD})\b)""",
    "anaphoric_day": rf"""(?i:\bthe\s+(?:(?P<ana_back>previous\s+day|day\s+earlier|day\s+before{_NOT_FOLLOWED_BY_WORD})
              |following\s+day|next\s+day|day\s+after{_NOT_FOLLOWED_BY_WORD})\b)""",
    "period": r"""(?i:(?:\b(?:in|over|during|within|at|on|from|since|until|throughout)\s+)?
              (?:\b(?P<per_mod>earlier|early|later|late|mid|(?:the\s+)?(?:beginning|start|end|middle)\s+of)(?:-|\s+))?
              \b(?P<per_rel>this|last|the\s+previous|the\s+past|the\s+last|the)\s+
              (?P<per_unit>weekend|week|month)(?:['’]s)?\b)""",
    "window": rf"""(?i:(?:\b(?:in|over|during|within|for|throughout)\s+)?
              (?:\bthe\s+(?:past|last|previous)\s+(?:(?P<win_n>{_NUMBER})\s+)?|\brecent\s+)
              (?P<win_u>days|weeks|months)\b)""",
    "weekday": rf"""(?:\b(?P<wd_rel>(?i:on|last|this|next|past|early|late))\s+)?\b(?P<wd_name>{_WEEKDAY})
              (?:['’]s\b|\s+(?i:morning|afternoon|evening|night)\b)?""",
}
# Every expression starts at a word that is a digit, a capital (month and weekday names) or
# one of these lower-case words; saying so up front spares the engine trying all the
# alternatives at every character, which makes finding several times faster. A new
# alternative that starts with another lower-case word must add it here.
_FIRST_WORDS = sorted(
    [
        "a", "an", "at", "beginning", "by", "couple", "during", "earlier", "early", "end", "few", "for",
        "from", "in", "last", "late", "later", "mid", "middle", "next", "on", "over", "past", "recent",
        "several", "since", "start", "the", "this", "through", "throughout", "today", "tonight", "until",
        "within", "yesterday", *_NUMBER_WORDS,
    ],
    key=len, reverse=True,
)
_DATE_EXPRESSION = re.compile(
    rf"\b(?=[0-9A-Z]|(?:{'|'.join(_FIRST_WORDS)})\b)(?:"
    + "|".join(f"(?P<{name}>{pattern})" for name, pattern in _ALTERNATIVES.items())
    + ")",
    re.VERBOSE,
)


# --- calendar arithmetic ------------------------------------------------------------------

def _days(count: int) -> datetime.timedelta:
    return datetime.timedelta(days=count)


def _middle(first: datetime.date, last: datetime.date) -> datetime.date:
    return first + _days((last - first).days // 2)


def _month_last_day(first: datetime.date) -> datetime.date:
    return first.replace(day=calendar.monthrange(first.year, first.month)[1])


def _shift_months(day: datetime.date, months: int) -> datetime.date:
    """The first day of the month ``months`` away from ``day``'s month."""
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def _monday(day: datetime.date) -> datetime.date:
    return day - _days(day.weekday())


def _modifier_word(text: str | None) -> str | None:
    """The key word of a modifier: "the beginning of" gives "beginning", "mid" gives "mid"."""
    if not text:
        return None
    words = text.lower().split()
    return words[1] if words[0] == "the" else words[0]


def _month_period_date(first: datetime.date, last: datetime.date, modifier: str | None,
                       published: datetime.date | None) -> datetime.date:
    """ACLED's date for an event known to the month: first or last day when stated, else the midpoint."""
    if published is not None and first <= published < last:
        last = published  # the month was still running: only its elapsed part is known
        whole_month = False
    else:
        whole_month = first.day == 1 and last == _month_last_day(first)
    if modifier in ("early", "beginning", "start"):
        return first
    if modifier in ("late", "end"):
        return last
    if modifier == "earlier":
        return _middle(first, max(first, last - _days(1)))
    if modifier in ("mid", "middle"):
        return min(first.replace(day=15), last)
    return first.replace(day=15) if whole_month else _middle(first, last)


_DAYS_BEFORE_PUBLICATION = {
    "today": 0, "tonight": 0, "earlier today": 0, "this morning": 0, "this afternoon": 0,
    "this evening": 0, "yesterday": 1, "last night": 1, "the day before yesterday": 2,
}
# Vague counts ("in recent days", "the past few weeks") in days: a week, three weeks, three months.
_VAGUE_WINDOW_DAYS = {"days": 6, "weeks": 21, "months": 90}
_WINDOW_UNIT_DAYS = {"days": 1, "weeks": 7, "months": 30}

_Resolved = tuple[datetime.date | None, int | None] | None  # None: not a date after all, drop the match
_UNKNOWN: _Resolved = (None, None)


class DateResolver:
    """Resolves the date expressions of one article's sentences against its publication date.

    Made once per article: the year fallback for dates written without one is read from
    ``article_text`` here, not per sentence.
    """

    def __init__(self, published: datetime.date | None, article_text: str | None = None):
        if isinstance(published, datetime.datetime):
            published = published.date()  # a timestamp's day is what dating needs
        self.published = published
        self.article_year = self._latest_written_year(article_text) if published is None else None

    @staticmethod
    def _latest_written_year(text: str | None) -> int | None:
        """The latest year written next to a month in the text: the story's own year, past its background."""
        if not text:
            return None
        years = [
            int(year)
            for match in _DATE_EXPRESSION.finditer(text)
            for year in (match.group("iso_y"), match.group("md_y"), match.group("dm_y"), match.group("my_y"))
            if year
        ]
        return max(years, default=None)

    def find(self, sentence: str) -> list[EventDate]:
        """Every date expression in the sentence, resolved, in text order (date None when unresolvable)."""
        found: list[EventDate] = []
        last_exact_day: datetime.date | None = None  # what "the day before" counts from
        for match in _DATE_EXPRESSION.finditer(sentence):
            resolve = self._RESOLVERS[match.lastgroup]
            try:
                resolved = resolve(self, match, last_exact_day)
            except (ValueError, OverflowError):
                continue  # "February 30", or arithmetic past the calendar's ends: not a date
            if resolved is None:
                continue
            day, precision = resolved
            found.append(EventDate(day, precision if day is not None else None,
                                   match.group(), match.start(), match.end()))
            counted_from_another = match.lastgroup == "anaphoric_day" or (
                match.lastgroup == "offset" and match["off_dir"].lower() != "ago")
            if day is not None and precision == 1 and not counted_from_another:
                last_exact_day = day  # "the day before" counts from a stated day, not from another count
        return found

    def event_date(self, sentence: str, anchor: int | None = None) -> EventDate:
        """The date of the event whose trigger is at character ``anchor``: the nearest date expression.

        Distance ties go to the more precise expression, then the earlier one; with no anchor
        the most precise, earliest expression wins. Dates after publication are plans, not
        events, and are passed over. A sentence with no date is dated on publication at
        precision 2; with no publication date either, the date is unknown.
        """
        candidates = self.find(sentence)
        if self.published is not None:
            candidates = [found for found in candidates if found.date is None or found.date <= self.published]
        if not candidates:
            return self.publication_default()

        def precision_rank(found: EventDate) -> int:
            return found.precision if found.precision is not None else 4  # unknown ranks last on ties

        if anchor is None:
            return min(candidates, key=lambda found: (precision_rank(found), found.start))

        def distance(found: EventDate) -> int:
            if found.start <= anchor < found.end:
                return 0
            return found.start - anchor if anchor < found.start else anchor - found.end + 1

        return min(candidates, key=lambda found: (distance(found), precision_rank(found), found.start))

    def publication_default(self) -> EventDate:
        """The date of an event whose sentence names none: recent news, so the publication week."""
        if self.published is None:
            return EventDate(None, None, None)
        return EventDate(self.published, PUBLICATION_DEFAULT_PRECISION, None)

    # --- one resolver per pattern: (date, precision), _UNKNOWN, or None to drop the match ---

    def _date_without_year(self, month: int, day: int) -> datetime.date | None:
        if self.published is None:
            return datetime.date(self.article_year, month, day) if self.article_year else None
        candidate = datetime.date(self.published.year, month, day)
        if candidate - self.published > _LARGEST_FUTURE_GAP:
            candidate = datetime.date(self.published.year - 1, month, day)
        return candidate

    def _resolve_iso(self, match: re.Match, _last_exact_day) -> _Resolved:
        return datetime.date(int(match["iso_y"]), int(match["iso_m"]), int(match["iso_d"])), 1

    def _resolve_calendar_day(self, month_name: str, day: str, year: str | None) -> _Resolved:
        month = MONTH_NUMBERS[month_name.rstrip(".").lower()]
        if year:
            return datetime.date(int(year), month, int(day)), 1
        resolved = self._date_without_year(month, int(day))
        return (resolved, 1) if resolved else _UNKNOWN

    def _resolve_month_day(self, match: re.Match, _last_exact_day) -> _Resolved:
        return self._resolve_calendar_day(match["md_m"], match["md_d"], match["md_y"])

    def _resolve_day_month(self, match: re.Match, _last_exact_day) -> _Resolved:
        return self._resolve_calendar_day(match["dm_m"], match["dm_d"], match["dm_y"])

    def _resolve_month_year(self, match: re.Match, _last_exact_day) -> _Resolved:
        first = datetime.date(int(match["my_y"]), MONTH_NUMBERS[match["my_m"].rstrip(".").lower()], 1)
        return _month_period_date(first, _month_last_day(first), _modifier_word(match["my_mod"]),
                                  self.published), 3

    def _resolve_bare_month(self, match: re.Match, _last_exact_day) -> _Resolved:
        month = MONTH_NUMBERS[match["bm_m"].lower()]
        modifier = _modifier_word(match["bm_mod1"] or match["bm_mod2"])
        relation = (match["bm_rel"] or "").lower()
        published = self.published
        if published is None:
            if relation or not self.article_year:
                return _UNKNOWN
            first = datetime.date(self.article_year, month, 1)
            return _month_period_date(first, _month_last_day(first), modifier, None), 3
        if relation == "last":  # the latest such month before the current one
            year = published.year if month < published.month else published.year - 1
        elif relation == "next":
            year = published.year if month > published.month else published.year + 1
        else:
            year = published.year
        first = datetime.date(year, month, 1)
        resolved = _month_period_date(first, _month_last_day(first), modifier, published)
        if not relation and resolved - published > _LARGEST_FUTURE_GAP:
            first = datetime.date(year - 1, month, 1)
            resolved = _month_period_date(first, _month_last_day(first), modifier, published)
        return resolved, 3

    def _resolve_day_word(self, match: re.Match, _last_exact_day) -> _Resolved:
        if self.published is None:
            return _UNKNOWN
        words = " ".join(match.group().lower().replace("’", "'").removesuffix("'s").split())
        return self.published - _days(_DAYS_BEFORE_PUBLICATION[words]), 1

    def _resolve_offset(self, match: re.Match, last_exact_day) -> _Resolved:
        number = " ".join(match["off_n"].lower().split())
        unit = match["off_u"].lower()
        direction = match["off_dir"].lower()
        vague = any(word in number for word in _VAGUE_NUMBERS)
        if direction == "ago":
            base = self.published
        else:
            base = last_exact_day or (self.published if direction in ("earlier", "before") else None)
        if base is None:
            return _UNKNOWN
        sign = 1 if direction in ("later", "after") else -1
        if unit == "month":
            if vague:
                return None  # "a few months ago": vaguer than ACLED codes
            count = int(number) if number.isdigit() else _NUMBER_WORDS[number]
            return _shift_months(base, sign * count).replace(day=15), 3
        if vague:  # "a few days ago" is a span two to six days back; "a few weeks" two to six weeks
            return base + _days(sign * (4 if unit == "day" else 28)), (2 if unit == "day" else 3)
        count = int(number) if number.isdigit() else _NUMBER_WORDS[number]
        return base + _days(sign * count * (1 if unit == "day" else 7)), (1 if unit == "day" else 2)

    def _resolve_anaphoric_day(self, match: re.Match, last_exact_day) -> _Resolved:
        if match["ana_back"]:
            base = last_exact_day or self.published
            return (base - _days(1), 1) if base else _UNKNOWN
        return (last_exact_day + _days(1), 1) if last_exact_day else _UNKNOWN

    def _resolve_period(self, match: re.Match, _last_exact_day) -> _Resolved:
        modifier = _modifier_word(match["per_mod"])
        relation = " ".join(match["per_rel"].lower().split())
        unit = match["per_unit"].lower()
        published = self.published
        if modifier == "later" or (relation == "the" and unit != "weekend"):
            return None  # "later this week" is a plan; "the week" names no particular week
        if published is None:
            return _UNKNOWN
        if unit == "weekend":
            saturday = published - _days((published.weekday() - 5) % 7)
            if relation == "last" and published.weekday() >= 5:
                saturday -= _days(7)  # on a weekend, "last weekend" is the one before
            return saturday, 2
        if unit == "week":
            if relation == "this":
                first, last = _monday(published), published
            elif relation in ("last", "the previous"):
                first = _monday(published) - _days(7)
                last = first + _days(6)
            else:  # "the past week": the seven days before publication
                first, last = published - _days(7), published - _days(1)
            if modifier in ("early", "beginning", "start"):
                last = min(last, first + _days(2))
            elif modifier in ("late", "end"):
                first = max(first, last - _days(3))
            elif modifier == "earlier":
                last = max(first, min(last, published - _days(1)))
            return _middle(first, last), 2
        if relation == "this":
            first = published.replace(day=1)
            last = _month_last_day(first)
        elif relation in ("last", "the previous"):
            first = _shift_months(published, -1)
            last = _month_last_day(first)
        else:  # "the past month": the thirty days before publication
            first, last = published - _days(30), published - _days(1)
            return _middle(first, last), 3
        return _month_period_date(first, last, modifier, published), 3

    def _resolve_window(self, match: re.Match, _last_exact_day) -> _Resolved:
        unit = match["win_u"].lower()
        number = " ".join((match["win_n"] or "few").lower().split())
        if any(word in number for word in _VAGUE_NUMBERS):
            length = _VAGUE_WINDOW_DAYS[unit]
        else:
            length = (int(number) if number.isdigit() else _NUMBER_WORDS[number]) * _WINDOW_UNIT_DAYS[unit]
        if length > _LONGEST_WINDOW_DAYS:
            return None  # "the past nine months": vaguer than ACLED codes
        if self.published is None:
            return _UNKNOWN
        precision = 2 if length <= _LONGEST_WEEK_WINDOW_DAYS else 3
        return _middle(self.published - _days(length), self.published), precision

    def _resolve_weekday(self, match: re.Match, _last_exact_day) -> _Resolved:
        if self.published is None:
            return _UNKNOWN
        weekday = _WEEKDAY_NUMBERS[match["wd_name"].lower()]
        relation = (match["wd_rel"] or "").lower()
        if relation == "next":
            return self.published + _days((weekday - self.published.weekday()) % 7 or 7), 1
        days_back = (self.published.weekday() - weekday) % 7
        if relation in ("last", "past") and days_back == 0:
            days_back = 7
        return self.published - _days(days_back), 1

    _RESOLVERS: ClassVar[dict[str, Callable[[DateResolver, re.Match, datetime.date | None], _Resolved]]] = {
        "iso": _resolve_iso,
        "month_day": _resolve_month_day,
        "day_month": _resolve_day_month,
        "month_year": _resolve_month_year,
        "bare_month": _resolve_bare_month,
        "day_word": _resolve_day_word,
        "offset": _resolve_offset,
        "anaphoric_day": _resolve_anaphoric_day,
        "period": _resolve_period,
        "window": _resolve_window,
        "weekday": _resolve_weekday,
    }
