"""The case timeline and its calendar file, on the shipped cn rules and the motivating case."""

from __future__ import annotations

import datetime as dt

import pytest
from icalendar import Calendar

from caseprep.cases import timeline
from caseprep.cases.calendar_file import PRODID, deadlines_ics
from caseprep.rules import assess, load_jurisdictions
from caseprep.rules.catalog import load_catalog
from caseprep.rules.dates import ApproxDate

TODAY = dt.date(2025, 6, 1)
LABELS = {kind: kind.replace("_", " ") for kind in timeline.EVENT_TYPES}
FACTS = {"content.kinds": ["everyday_photo"], "content.is_obscene": False,
         "content.insulting_or_false_text": True, "harm.contact_info_shared": True,
         "incident.made_on": ApproxDate("2024"), "incident.posted_on": dt.date(2025, 4, 20),
         "incident.first_known": dt.date(2025, 4, 22), "perpetrator.identified": True}


def _words(posted, captured):
    return f"{posted} posted, {captured} saved"


@pytest.fixture(scope="module")
def entries():
    cn = load_jurisdictions()["cn"]
    assessment = assess(cn, FACTS, lang="en", today=TODAY).to_dict()
    evidence = [{"posted_at": "2025-04-20T21:03:00", "captured_at": "2025-04-22T08:00:00"},
                {"posted_at": "2025-04-20T21:04:00"}, {"posted_at": None}]
    events = [timeline.clean_event({"type": "police_report", "on": "2025-05-06",
                                    "reference": "No. 123", "note": "gave screenshots"})]
    return timeline.build(FACTS, load_catalog(), evidence, events, [assessment], "en", TODAY,
                          LABELS, _words)


def test_entries_come_in_date_order_from_all_four_sources(entries):
    assert [e.sort_key for e in entries] == sorted(e.sort_key for e in entries)
    assert {e.source for e in entries} == {"fact", "evidence", "event", "deadline"}
    # A rough date (a year) sorts by its first day and is said as the year.
    made = next(e for e in entries if e.ref == "incident.made_on")
    assert entries.index(made) == 0 and made.spoken("en") == "2024"


def test_evidence_is_one_entry_per_day(entries):
    days = [(e.when, e.title) for e in entries if e.source == "evidence"]
    assert days == [(dt.date(2025, 4, 20), "2 posted, 0 saved"),
                    (dt.date(2025, 4, 22), "0 posted, 1 saved")]


def test_added_event_keeps_reference_and_note(entries):
    event = next(e for e in entries if e.source == "event")
    assert (event.when, event.title, event.detail) == (
        dt.date(2025, 5, 6), "police report", "No. 123 · gave screenshots")


def test_deadlines_of_open_routes_are_on_the_timeline(entries):
    deadlines = [e for e in entries if e.source == "deadline"]
    # The PSAPL's six months from the posting (20 April 2025) fall on 20 October 2025.
    discovery = [e for e in deadlines if e.ref.endswith("/discovery_period")]
    assert discovery and {e.when for e in discovery} == {dt.date(2025, 10, 20)}
    assert not any(e.passed for e in discovery)
    # One entry per route and deadline, never twice.
    assert len({e.ref for e in deadlines}) == len(deadlines)


@pytest.mark.parametrize("raw", [
    {"type": "party", "on": "2025-01-01"},
    {"type": "other", "on": "01/05/2025"},
    {"type": "other", "on": "2025-01-01", "note": "x" * (timeline.NOTE_MAX + 1)},
])
def test_bad_events_are_refused(raw):
    with pytest.raises(timeline.InvalidEvent):
        timeline.clean_event(raw)


def test_calendar_has_neutral_titles_by_default_and_validates(entries):
    key = b"k" * 32
    body = deadlines_ics(entries, key, "Reminder")
    calendar = Calendar.from_ical(body)
    events = calendar.walk("VEVENT")
    upcoming = [e for e in entries if e.source == "deadline" and not e.passed]
    assert len(events) == len(upcoming) > 0
    assert calendar["PRODID"] == PRODID and str(calendar["VERSION"]) == "2.0"
    for event in events:
        assert str(event["SUMMARY"]) == "Reminder"
        assert "DESCRIPTION" not in event
        assert event.walk("VALARM")[0]["TRIGGER"].dt == dt.timedelta(days=-7)
    text = body.decode()
    for word in ("caseprep", "police", "PSAPL", "治安", "discovery"):
        assert word not in text
    # Stable ids: a newer file updates the same events; another key gives other ids.
    assert deadlines_ics(entries, key, "Reminder") .count(b"UID:") == len(events)
    uids = {str(e["UID"]) for e in events}
    assert uids == {str(e["UID"]) for e in Calendar.from_ical(
        deadlines_ics(entries, key, "Reminder")).walk("VEVENT")}
    assert not uids & {str(e["UID"]) for e in Calendar.from_ical(
        deadlines_ics(entries, b"j" * 32, "Reminder")).walk("VEVENT")}


def test_calendar_says_what_is_due_only_when_asked(entries):
    events = Calendar.from_ical(deadlines_ics(entries, b"k" * 32, "Reminder", detailed=True)
                                ).walk("VEVENT")
    assert any("six months" in str(e["SUMMARY"]) for e in events)
