"""When an event happened: time expressions resolved against the article's date.

A news sentence places its event relative to the day it was written ("on Wednesday",
"yesterday", "last month", "in March") or absolutely ("on 2 April 2025", "in 2014",
"since 1964"). :func:`parse_time` reads one such expression; :func:`resolve` turns it into
a date, its precision and whether the event is **background**: placed explicitly in an
earlier year ("a free-trade agreement signed in 2014", "since 1964") or more than
:data:`BACKGROUND_DAYS` before the article. Background events keep their stated date
(the first day of the period) and are left out of the monthly relations index.

Rules (past tense is the default in news; ``future`` for intended events):

====================== =====================================================================
expression             date
====================== =====================================================================
today, tonight         the article date
yesterday              the day before
on Wednesday           the latest Wednesday on or before the article date (the next one after
                       it when ``future``); a weekday equal to the article's weekday is the
                       article date
last/this/next week    seven days before / the article date / seven days after (precision week)
last/this/next month   first day of the previous / same / next month (precision month)
last/this/next year    1 January of that year (precision year)
N days/weeks ago       the article date minus N days or weeks
in March, March 5      that month (and day) of the article's year, or of the year before when
                       that would fall after the article date (past) / the year after (future)
in 2014, since 1964    1 January of that year (precision year)
2 April 2025           that day
====================== =====================================================================
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass

__all__ = ["BACKGROUND_DAYS", "MONTHS", "TimeRef", "parse_date_text", "parse_time", "resolve"]

#: An event stated to have happened more than this many days before the article is background.
BACKGROUND_DAYS = 365

MONTHS = {m: i for i, m in enumerate(
    ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december"), start=1)}
MONTHS.update({m[:3]: i for m, i in list(MONTHS.items())})
MONTHS.update({"sept": 9})
_WEEKDAYS = {d: i for i, d in enumerate(("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))}
_MONTH = r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_PATTERNS = [
    re.compile(rf"\b{_DAY}\s+{_MONTH}(?:,?\s+{_YEAR})?\b"),
    re.compile(rf"\b{_MONTH}\s+{_DAY}(?:,?\s+{_YEAR})?\b"),
    re.compile(rf"\b{_MONTH}\s+{_YEAR}\b"),
    re.compile(rf"\b{_MONTH}\b"),
    re.compile(rf"\b{_YEAR}\b"),
]


@dataclass(frozen=True)
class TimeRef:
    """A parsed time expression (fields that the text does not give are ``None``)."""

    year: int | None = None
    month: int | None = None
    day: int | None = None
    weekday: int | None = None
    offset_days: int | None = None
    relative: str | None = None  # "last", "this", "next"
    unit: str | None = None  # "week", "month", "year"
    since: bool = False


def parse_time(text: str) -> TimeRef | None:
    """Read one time expression ("on Wednesday", "last month", "in March 2024", "since 1964",
    "three days ago"); ``None`` when the text holds none."""
    low = " ".join(text.lower().split())
    since = bool(re.match(r"since\b", low))
    if re.search(r"\b(?:today|tonight|this morning|this afternoon|this evening)\b", low):
        return TimeRef(offset_days=0)
    if re.search(r"\byesterday\b", low):
        return TimeRef(offset_days=-1)
    ago = re.search(r"\b(\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten)\s+(day|week|month|year)s?\s+ago\b", low)
    if ago:
        words = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                 "eight": 8, "nine": 9, "ten": 10}
        n = int(ago[1]) if ago[1].isdigit() else words[ago[1]]
        days = {"day": 1, "week": 7, "month": 30, "year": 365}[ago[2]] * n
        return TimeRef(offset_days=-days, unit=None if ago[2] in ("day", "week") else ago[2])
    rel = re.search(r"\b(last|this|next|past|previous|coming)\s+(week|month|year)\b", low)
    if rel:
        kind = {"past": "last", "previous": "last", "coming": "next"}.get(rel[1], rel[1])
        return TimeRef(relative=kind, unit=rel[2])
    for pattern in _PATTERNS:
        m = pattern.search(low)
        if m:
            groups = m.groupdict()
            month = MONTHS.get((groups.get("month") or "").rstrip(".")[:4]) or MONTHS.get((groups.get("month") or "")[:3])
            day = int(groups["day"]) if groups.get("day") else None
            year = int(groups["year"]) if groups.get("year") else None
            if groups.get("month") == "may" and day is None and year is None and not re.search(r"\b(?:in|of|since|by|until)\s+may\b", low):
                continue  # "may" the modal
            if day is not None and not 1 <= day <= 31:
                day = None
            return TimeRef(year=year, month=month if groups.get("month") else None, day=day, since=since)
    wd = re.search(r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", low)
    if wd:
        return TimeRef(weekday=_WEEKDAYS[wd[1]])
    return None


def resolve(ref: TimeRef, article: _dt.date, *, future: bool = False) -> tuple[_dt.date, str, bool]:
    """Date, precision (``day``, ``week``, ``month``, ``year``) and background flag of ``ref``
    for an article dated ``article``."""
    precision = "day"
    if ref.offset_days is not None:
        day = article + _dt.timedelta(days=ref.offset_days)
        precision = ref.unit or "day"
    elif ref.weekday is not None:
        delta = (article.weekday() - ref.weekday) % 7
        day = article - _dt.timedelta(days=delta) if not future else article + _dt.timedelta(days=(ref.weekday - article.weekday()) % 7)
    elif ref.relative is not None:
        step = {"last": -1, "this": 0, "next": 1}[ref.relative]
        if ref.unit == "week":
            day, precision = article + _dt.timedelta(days=7 * step), "week"
        elif ref.unit == "month":
            index = article.year * 12 + article.month - 1 + step
            day, precision = _dt.date(index // 12, index % 12 + 1, 1), "month"
        else:
            day, precision = _dt.date(article.year + step, 1, 1), "year"
    elif ref.month is not None:
        year = ref.year if ref.year is not None else article.year
        day = _safe(year, ref.month, ref.day or 1)
        precision = "day" if ref.day else "month"
        if ref.year is None:
            if not future and day > article:
                day = _safe(year - 1, ref.month, ref.day or 1)
            elif future and day < article.replace(day=1):
                day = _safe(year + 1, ref.month, ref.day or 1)
    elif ref.year is not None:
        day, precision = _dt.date(ref.year, 1, 1), "year"
    else:
        return article, "day", False
    background = (
        (precision == "year" and day.year < article.year)
        or ref.since
        or (article - day).days > BACKGROUND_DAYS
    )
    return day, precision, background


def _safe(year: int, month: int, day: int) -> _dt.date:
    try:
        return _dt.date(year, month, day)
    except ValueError:
        return _dt.date(year, month, 1)


def parse_date_text(text: str, *, reference: _dt.date | None = None) -> _dt.date | None:
    """A calendar date written out in any common form: ``2025-04-03``, ``2025/04/03``,
    ``3 April 2025``, ``April 3, 2025``, ``Apr 3 2025``, ``Thu, 03 Apr 2025 08:00:00 GMT``,
    ``03.04.2025`` (day first); a month and day without a year ("April 3") take the year of
    ``reference`` (or the year before, when that would fall after it). ``None`` when the
    text is not a date."""
    low = " ".join(text.lower().replace(",", " ").split())
    m = re.match(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})", low)
    if m:
        return _valid(int(m[1]), int(m[2]), int(m[3]))
    m = re.match(r"(\d{1,2})[./-](\d{1,2})[./-](\d{4})\b", low)
    if m:
        return _valid(int(m[3]), int(m[2]), int(m[1]))
    low = re.sub(r"^(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?\s+", "", low)
    for pattern in _PATTERNS[:2]:
        m = pattern.match(low)
        if m:
            month = MONTHS.get(m["month"].rstrip(".")[:4]) or MONTHS.get(m["month"][:3])
            if month is None:
                return None
            if m["year"]:
                return _valid(int(m["year"]), month, int(m["day"]))
            if reference is None:
                return None
            day = _valid(reference.year, month, int(m["day"]))
            if day is not None and day > reference:
                day = _valid(reference.year - 1, month, int(m["day"]))
            return day
    return None


def _valid(year: int, month: int, day: int) -> _dt.date | None:
    try:
        return _dt.date(year, month, day)
    except ValueError:
        return None
