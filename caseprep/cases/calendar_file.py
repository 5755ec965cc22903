"""The case's deadlines as an iCalendar file (RFC 5545) she can import into her phone.

A phone calendar can be seen by others (a partner, a parent, a synced account), so by default
every event has the same neutral title and no description: nothing about the case, the law or
caseprep. She may choose titles that say what is due. UIDs are derived from the case's data
key, so importing a newer file updates the same events instead of duplicating them, and the
UIDs say nothing to someone without the key.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections.abc import Iterable

from icalendar import Alarm, Calendar, Event

from caseprep.cases.timeline import Entry

PRODID = "-//Reminders//EN"  # neutral: names no application
REMIND_DAYS_BEFORE = 7


def deadlines_ics(entries: Iterable[Entry], data_key: bytes, neutral_title: str,
                  detailed: bool = False, now: dt.datetime | None = None) -> bytes:
    """An .ics file with one all-day event per upcoming deadline, with a reminder a week
    before. `neutral_title` (e.g. "Reminder" in her language) is used unless `detailed`."""
    stamp = now or dt.datetime.now(dt.UTC)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    for entry in entries:
        if entry.source != "deadline" or entry.passed:
            continue
        day = entry.when if isinstance(entry.when, dt.date) else None
        if day is None:
            continue
        title = f"{entry.title} ({entry.detail})" if detailed and entry.detail else (
            entry.title if detailed else neutral_title)
        event = Event()
        event.add("uid", _uid(data_key, entry))
        event.add("dtstamp", stamp)
        event.add("dtstart", day)
        event.add("dtend", day + dt.timedelta(days=1))
        event.add("summary", title)
        event.add("transp", "TRANSPARENT")
        event.add("class", "PRIVATE")
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", title)
        alarm.add("trigger", dt.timedelta(days=-REMIND_DAYS_BEFORE))
        event.add_component(alarm)
        calendar.add_component(event)
    data: bytes = calendar.to_ical()
    return data


def _uid(data_key: bytes, entry: Entry) -> str:
    digest = hmac.new(data_key, f"deadline:{entry.ref}".encode(), hashlib.sha256).hexdigest()
    return f"{digest[:32]}@reminder.invalid"
