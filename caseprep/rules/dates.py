"""Dates a person may know only roughly ("May 2021", "2021"), and windows of time a law covers.

A frightened person often remembers the month or the year, not the day. An approximate date
is kept as the text she gave ("2021-05", "2021") and read as the range of days it covers, so
a question it cannot decide (did the posting come before the law took effect on 19 May 2025?
"May 2025" does not say) stays unknown instead of being guessed.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from typing import Any

from babel.dates import format_date, format_skeleton

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")


class ApproxDate(str):
    """A month ("2021-05") or a year ("2021"); `earliest` and `latest` are the days it covers.

    A `str` so that it is stored, sent and shown as the text she gave.
    """

    earliest: dt.date
    latest: dt.date
    precision: str  # "month" or "year"

    def __new__(cls, text: str) -> ApproxDate:
        text = text.strip()
        month, year = _MONTH.match(text), _YEAR.match(text)
        if month:
            y, m = int(month.group(1)), int(month.group(2))
            if not 1 <= m <= 12 or y < 1900:
                raise ValueError("not a month: expected YYYY-MM, month 01-12, from 1900")
            first, last = dt.date(y, m, 1), dt.date(y, m, calendar.monthrange(y, m)[1])
            precision = "month"
        elif year and int(text) >= 1900:
            first, last = dt.date(int(text), 1, 1), dt.date(int(text), 12, 31)
            precision = "year"
        else:
            # The text is not repeated: it is an answer, and a caller may log the error.
            raise ValueError("not a month (YYYY-MM) or a year (YYYY) from 1900")
        self = super().__new__(cls, text)
        self.earliest, self.latest, self.precision = first, last, precision
        return self

    def __reduce__(self) -> tuple[type[ApproxDate], tuple[str]]:
        return (ApproxDate, (str(self),))


def bounds(value: dt.date | ApproxDate) -> tuple[dt.date, dt.date]:
    """The first and last day a date answer may mean (the same day twice for an exact date)."""
    if isinstance(value, ApproxDate):
        return value.earliest, value.latest
    return value, value


def is_date(value: object) -> bool:
    return isinstance(value, dt.date | ApproxDate)


def compare_at_least(have: Any, want: Any) -> bool | None:
    """`have >= want` for numbers and dates; None when an approximate date straddles `want`."""
    if isinstance(have, ApproxDate):
        if have.earliest >= want:
            return True
        return False if have.latest < want else None
    return bool(have >= want)


def compare_at_most(have: Any, want: Any) -> bool | None:
    """`have <= want`; None when an approximate date straddles `want`."""
    if isinstance(have, ApproxDate):
        if have.latest <= want:
            return True
        return False if have.earliest > want else None
    return bool(have <= want)


def within(value: dt.date | ApproxDate, start: dt.date | None,
           end: dt.date | None) -> bool | None:
    """Whether a date answer falls in [start, end] (either open); None if it may or may not."""
    first, last = bounds(value)
    if (start is not None and last < start) or (end is not None and first > end):
        return False
    if (start is None or first >= start) and (end is None or last <= end):
        return True
    return None


@functools.lru_cache(maxsize=4096, typed=True)
def spoken(value: dt.date | ApproxDate, lang: str) -> str:
    """A date answer in words for a reason: "19 May 2025", "May 2021", "2021".

    Cached: an assessment says the same few dates (laws' start days, her answers) in every
    reason, and Babel's formatting was a third of the time of a whole assessment."""
    locale = _locale(lang)
    if isinstance(value, ApproxDate):
        if value.precision == "year":
            return str(value.earliest.year)
        return format_skeleton("yMMMM", value.earliest, locale=locale)
    return format_date(value, format="long", locale=locale)


def _locale(lang: str) -> str:
    return {"zh_Hans": "zh_Hans_CN"}.get(lang, lang)
