"""Calendar words and publication dates: month names, and the date a user or a feed gives an article."""
from __future__ import annotations

import calendar
import re
from datetime import date, datetime

__all__ = ["DMY_PATTERN", "MDY_PATTERN", "MONTH_NUMBERS", "MONTH_PATTERN", "date_from_match", "parse_published"]

# Month names and the abbreviations news writes ("Sept."), lower case, to their numbers.
MONTH_NUMBERS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
MONTH_NUMBERS.update({abbreviation: MONTH_NUMBERS[full] for full in list(MONTH_NUMBERS)
                      for abbreviation in (full[:3], "sept" if full == "september" else full[:3])})

# A month as news writes it, in any case: "July", "Jul.", "Sept."
MONTH_PATTERN = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
# "July 10, 2017" and "10 July 2017", the two forms news and wire services write; read by date_from_match.
MDY_PATTERN = rf"(?P<m1>{MONTH_PATTERN})\s+(?P<d1>\d{{1,2}}),?\s+(?P<y1>\d{{4}})"
DMY_PATTERN = rf"(?P<d2>\d{{1,2}})\s+(?P<m2>{MONTH_PATTERN}),?\s+(?P<y2>\d{{4}})"
_WEEKDAY = r"(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*\.?,?\s+)?"
_WORDY_DATE = re.compile(rf"{_WEEKDAY}(?:{MDY_PATTERN}|{DMY_PATTERN})", re.IGNORECASE)
_NUMERIC_DATE = re.compile(r"(\d{1,4})([/.\-])(\d{1,2})\2(\d{1,4})")
_YEAR = re.compile(r"(?<!\d)\d{4}(?!\d)")
_MONTH_WORD = re.compile(rf"(?<![A-Za-z]){MONTH_PATTERN}(?![A-Za-z])", re.IGNORECASE)
_DATEPARSER_SETTINGS = {
    "STRICT_PARSING": True,
    "PREFER_DAY_OF_MONTH": "first",
    "RETURN_AS_TIMEZONE_AWARE": False,
}


def date_from_match(match: re.Match) -> date:
    """The date a match of MDY_PATTERN or DMY_PATTERN holds (ValueError for "February 30")."""
    g = match.groupdict()
    if g.get("m1"):
        month, day, year = g["m1"], g["d1"], g["y1"]
    else:
        month, day, year = g["m2"], g["d2"], g["y2"]
    return date(int(year), MONTH_NUMBERS[month.rstrip(".").lower()], int(day))


def _short(value: object, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def parse_published(value: date | datetime | str | None) -> date | None:
    """The publication date in ``value``, or None when it is None or blank.

    Reads ISO 8601 dates and datetimes (``Z`` and offsets allowed: the date is taken as
    written, not converted to UTC), "10 July 2017", "July 10, 2017", RFC 2822 and other
    forms naming the month. Raises ValueError, with a message naming the value, for
    anything else: garbage, a date without a full year, relative dates ("3 days ago") and
    ambiguous numeric dates such as 10/07/2017 (10 July or October 7?).
    """
    if value is None:
        return None
    if isinstance(value, datetime):  # before date: datetime is a date subclass
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        # ValueError, not TypeError: a JSON number in a "published" field is bad input, not a bug.
        raise ValueError(f"{_short(value)} is not a date (expected text such as 2017-07-10)")  # noqa: TRY004
    text = value.strip()
    if not text:
        return None
    if len(text) > 100:
        raise ValueError(f"{_short(text)} is too long to be a date")
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    try:
        return datetime.fromisoformat(text).date()
    except ValueError:
        pass
    hint = "use ISO 8601, e.g. 2017-07-10"
    numeric = _NUMERIC_DATE.fullmatch(text)
    if numeric:
        return _numeric_date(text, numeric, hint)
    if not _YEAR.search(text):
        raise ValueError(f"cannot read {_short(text)} as a date: no four-digit year; {hint}")
    wordy = _WORDY_DATE.fullmatch(text)
    if wordy:
        try:
            return date_from_match(wordy)
        except ValueError as exc:
            raise ValueError(f"{_short(text)} is not a valid date ({exc})") from None
    # Only forms that name the month go to dateparser: day/month order is then unambiguous,
    # and relative phrases ("3 days ago 2017") cannot slip through as today's date.
    if _MONTH_WORD.search(text):
        parsed = _dateparser_date(text)
        if parsed is not None:
            return parsed
    raise ValueError(f"cannot read {_short(text)} as a date; {hint}")


def _numeric_date(text: str, match: re.Match, hint: str) -> date:
    a, _, b, c = match.groups()
    if len(a) == 4:  # 2017/07/10: year first is only ever year-month-day
        year, month, day = int(a), int(b), int(c)
    elif len(c) != 4:
        raise ValueError(f"{_short(text)} has no four-digit year; {hint}")
    else:
        first, second, year = int(a), int(b), int(c)
        if first <= 12 and second <= 12 and first != second:
            raise ValueError(f"{_short(text)} is ambiguous (day/month or month/day?); {hint}")
        day, month = (second, first) if second > 12 else (first, second)
    try:
        return date(year, month, day)
    except ValueError as exc:
        raise ValueError(f"{_short(text)} is not a valid date ({exc})") from None


def _dateparser_date(text: str) -> date | None:
    import dateparser  # deferred: only unusual date forms need it

    try:
        parsed = dateparser.parse(text, languages=["en"], settings=_DATEPARSER_SETTINGS)
    except Exception:  # noqa: BLE001 -- dateparser can fail in many ways on odd text; it is only a fallback
        return None
    if parsed is None:
        return None
    # Trust it only when the year and day it found are written in the text.
    numbers = {int(n) for n in re.findall(r"\d+", text)}
    if parsed.year not in numbers or parsed.day not in numbers:
        return None
    return parsed.date()
