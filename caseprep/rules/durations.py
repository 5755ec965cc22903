"""ISO 8601 calendar durations (P3Y, P6M, P2Y6M, P30D, P2W) for limitation periods."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

_PATTERN = re.compile(r"^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$")


@dataclass(frozen=True)
class Period:
    years: int = 0
    months: int = 0
    days: int = 0

    def add_to(self, start: dt.date) -> dt.date:
        """`start` + this period; a month end is clamped (2024-01-31 + P1M = 2024-02-29)."""
        month_index = start.month - 1 + self.months + 12 * self.years
        year = start.year + month_index // 12
        month = month_index % 12 + 1
        day = min(start.day, calendar.monthrange(year, month)[1])
        return dt.date(year, month, day) + dt.timedelta(days=self.days)


def period_parts(text: object) -> tuple[int, int, int, int] | None:
    """(years, months, weeks, days) of a date-only ISO 8601 duration as written, or None.

    The one reading of a duration: the engine's `parse_period` and the pages that put a
    period in words (weeks stay weeks there) both use it."""
    match = _PATTERN.match(text) if isinstance(text, str) and text != "P" else None
    if match is None:
        return None
    years, months, weeks, days = (int(g) if g else 0 for g in match.groups())
    return years, months, weeks, days


def parse_period(text: object) -> Period:
    """Parse a date-only ISO 8601 duration; ValueError names what is wrong."""
    if not isinstance(text, str):
        raise ValueError(f"expected an ISO 8601 duration such as P3Y or P6M, got {text!r}")
    parts = period_parts(text)
    if parts is None:
        raise ValueError(
            f"{text!r} is not an ISO 8601 duration of years/months/weeks/days (e.g. P3Y, P6M, P30D)"
        )
    years, months, weeks, days = parts
    return Period(years, months, days + 7 * weeks)
