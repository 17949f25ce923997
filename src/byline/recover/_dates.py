"""Dates as archive pages write them: find them, tell a date line, parse to a day.

A cheap pattern finds candidates ("2 March 2023", "June 21, 2022", "Sat, Mar 16,
2019, 06:00", "11/04/2022", "2020-05-29"); parsing is exact, so "March 2022"
is a month, not a day, and never becomes today's day of March.  Numeric dates
are read day first unless the day-first reading is impossible.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
MONTH = (
    r"(?P<{g}>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
WEEKDAY = r"(?:Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun)(?:day|sday|nesday|rsday|urday)?\.?,?"
DAY = r"(?P<{g}>[0-3]?\d)(?:st|nd|rd|th)?"
YEAR = r"(?P<{g}>(?:1[89]|20)\d{{2}})"
TIME = r"(?:,?\s*(?:at\s+)?\d{1,2}[:.]\d{2}\s*(?:am|pm|a\.m\.|p\.m\.)?(?:\s*[A-Z]{2,4})?)"

DMY = rf"{DAY.format(g='d1')}\s+(?:of\s+)?{MONTH.format(g='m1')},?\s+{YEAR.format(g='y1')}"
MDY = rf"{MONTH.format(g='m2')}\s+{DAY.format(g='d2')},?\s+{YEAR.format(g='y2')}"
NUMERIC = r"(?P<n1>[0-3]?\d)[/.](?P<n2>[0-3]?\d)[/.](?P<n3>(?:19|20)\d{2})"
ISO = r"(?P<i1>(?:19|20)\d{2})[-/.](?P<i2>[01]?\d)[-/.](?P<i3>[0-3]?\d)"  # 2020-05-29, 2021/05/03
MONTH_YEAR = rf"{MONTH.format(g='m3')},?\s+{YEAR.format(g='y3')}"

ANY_DATE = re.compile(
    rf"(?<![\w/.-])(?:{DMY}|{MDY}|{ISO}|{NUMERIC}|{MONTH_YEAR})(?![\w/-])", re.IGNORECASE
)

DATE_PREFIX = (
    r"(?:(?:posted|published|updated|first published|last updated|dated?|on)\s*"
    r"(?:on|here|on this blog)?\s*[:,]?\s*)?"
)
DATE_LINE = re.compile(
    rf"^{DATE_PREFIX}(?:{WEEKDAY}\s*)?(?:{DMY}|{MDY}|{ISO}|{NUMERIC}|{MONTH_YEAR}){TIME}?\.?"
    r"(?:\s*[·|•–-]\s*\d+\s*min(?:ute)?s?\s+(?:read|listen))?$",  # "May 22, 2023 · 6 min read"
    re.IGNORECASE,
)


@dataclass(frozen=True)
class FoundDate:
    value: date | None  # None when only a month and year are given
    year: int
    month: int
    start: int
    end: int


def is_date_line(clean: str) -> bool:
    """True when the whole line is a date (with an optional weekday, time or "Posted")."""
    return len(clean) <= 60 and bool(DATE_LINE.match(clean))


def find_dates(text: str, day_first: bool = True) -> list[FoundDate]:
    """Every date written in ``text``, in order; month-only dates have ``value=None``."""
    found = []
    for match in ANY_DATE.finditer(text):
        parsed = _from_match(match, day_first)
        if parsed is not None:
            found.append(parsed)
    return found


def first_day(text: str, day_first: bool = True) -> date | None:
    """The first full date (day, month and year) written in ``text``."""
    for found in find_dates(text, day_first):
        if found.value is not None:
            return found.value
    return None


DAY_MONTH = re.compile(
    rf"(?<![\w/.-])(?:{DAY.format(g='d1')}\s+(?:of\s+)?{MONTH.format(g='m1')}|"
    rf"{MONTH.format(g='m2')}\s+{DAY.format(g='d2')})(?![\w/-])(?!,?\s+(?:19|20)\d{{2}})",
    re.IGNORECASE,
)
MAX_YEARLESS_GAP_DAYS = 62  # "on 3 May" in a post of 10 May 2019: the same spring, not 2018


def day_without_year(text: str, reference: date) -> date | None:
    """A day and month written without a year, read as the latest such day on or before
    ``reference`` (the post's own date) and no more than two months before it."""
    for match in DAY_MONTH.finditer(text):
        groups = match.groupdict()
        day = int(groups["d1"] or groups["d2"])
        month = _month(groups["m1"] or groups["m2"])
        for year in (reference.year, reference.year - 1):
            try:
                found = date(year, month, day)
            except ValueError:
                continue
            if found <= reference and (reference - found).days <= MAX_YEARLESS_GAP_DAYS:
                return found
    return None


def _from_match(match: re.Match[str], day_first: bool) -> FoundDate | None:
    groups = match.groupdict()
    try:
        if groups["y1"]:
            year, month, day = int(groups["y1"]), _month(groups["m1"]), int(groups["d1"])
        elif groups["y2"]:
            year, month, day = int(groups["y2"]), _month(groups["m2"]), int(groups["d2"])
        elif groups["i1"]:
            year, month, day = int(groups["i1"]), int(groups["i2"]), int(groups["i3"])
        elif groups["n3"]:
            first, second, year = int(groups["n1"]), int(groups["n2"]), int(groups["n3"])
            day, month = (first, second) if day_first else (second, first)
            if month > 12:
                day, month = month, day
        else:
            year, month = int(groups["y3"]), _month(groups["m3"])
            return FoundDate(None, year, month, match.start(), match.end())
        return FoundDate(date(year, month, day), year, month, match.start(), match.end())
    except ValueError:
        return None


def _month(name: str) -> int:
    return MONTHS[name[:3].lower()]
