"""A case's timeline: what happened and what she did, with the deadlines the rules give.

Three sources, merged in date order: the dated answers (when it was made, posted, found,
reported ...), the evidence log (postings and captures, one entry per day), and the events she
or her lawyer adds (reported to the police, the police's answer, a notice sent and its reply,
a filing in court). Deadlines come from the assessments (limitation periods, the days to ask
for reconsideration, a platform's 48 hours ...), one per route and deadline, in the future or
passed. No Flask: the web page, the calendar file and the documents all draw from here.

Added events are kept in the case's encrypted record "timeline".
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from caseprep.cases.opened import OpenCase
from caseprep.evidence.posted import role_of
from caseprep.rules import dates
from caseprep.rules.catalog import FactsCatalog
from caseprep.rules.text import pick

# (postings, captures) of one day of the evidence log -> what the timeline says of it
DayWords = Callable[[int, int], str]

RECORD = "timeline"
NOTE_MAX = 2000
REFERENCE_MAX = 200

# What she or her lawyer can add. The labels are translated by the caller (web, documents).
EVENT_TYPES = (
    "found_posts",        # found (more of) the posts
    "police_report",      # reported to the police (receipt number as reference)
    "police_answer",      # the police's answer (受案回执, 不予立案通知书 ...)
    "notice_sent",        # a removal notice sent to a platform
    "platform_reply",     # a platform's reply or removal
    "lawyer",             # a lawyer took the case, a demand letter went out
    "court_filing",       # filed in court, a hearing, a judgment
    "other",
)


class InvalidEvent(ValueError):
    """An added event that cannot be kept (bad date, unknown type, text too long)."""


@dataclass(frozen=True)
class Entry:
    """One line of the timeline.

    `when` is a date or a rough date (dates.ApproxDate: a month or a year). `source` says where
    the entry comes from: "fact", "evidence", "event" or "deadline"; `ref` identifies it there
    (the fact id, the event id, route/deadline ids).
    """

    when: dt.date | dates.ApproxDate
    source: str
    title: str
    ref: str
    detail: str = ""
    kind: str = ""          # the event type of an added event; a fact id for a fact
    passed: bool = False    # a deadline whose day has gone
    posted: int = 0         # a day of the evidence log: postings and captures that day
    captured: int = 0

    def spoken(self, lang: str) -> str:
        """The date in words: "6 May 2025", "May 2021", "2021"."""
        return dates.spoken(self.when, lang)

    @property
    def sort_key(self) -> tuple[Any, ...]:
        first, _last = dates.bounds(self.when)
        return (first, _SOURCE_ORDER[self.source], self.title)


_SOURCE_ORDER = {"fact": 0, "evidence": 1, "event": 2, "deadline": 3}


# --- added events -----------------------------------------------------------------------------

def clean_event(raw: Mapping[str, Any]) -> dict[str, Any]:
    """A storable event from form or API input, or InvalidEvent saying what is wrong."""
    kind = str(raw.get("type") or "")
    if kind not in EVENT_TYPES:
        raise InvalidEvent(f"type must be one of {', '.join(EVENT_TYPES)}")
    on = raw.get("on")
    if isinstance(on, dt.datetime):
        on = on.date()
    if not isinstance(on, dt.date):
        try:
            on = dt.date.fromisoformat(str(on or ""))
        except ValueError as exc:
            raise InvalidEvent("on must be a date like 2025-05-06") from exc
    note = str(raw.get("note") or "").strip()
    reference = str(raw.get("reference") or "").strip()
    if len(note) > NOTE_MAX or len(reference) > REFERENCE_MAX:
        raise InvalidEvent(f"note (≤ {NOTE_MAX}) or reference (≤ {REFERENCE_MAX}) too long")
    return {"id": str(raw.get("id") or uuid.uuid4().hex), "type": kind, "on": on.isoformat(),
            "note": note, "reference": reference}


def added_events(case: OpenCase) -> list[dict[str, Any]]:
    return list((case.read_record(RECORD) or {}).get("events", []))


def add_event(case: OpenCase, raw: Mapping[str, Any]) -> dict[str, Any]:
    """Keep one more event (merged with events another tab added meanwhile)."""
    event = clean_event(raw)
    case.update_record(RECORD, lambda current: {
        "events": [*(current or {}).get("events", []), event]})
    return event


def remove_event(case: OpenCase, event_id: str) -> bool:
    found = any(e.get("id") == event_id for e in added_events(case))
    if found:
        case.update_record(RECORD, lambda current: {
            "events": [e for e in (current or {}).get("events", []) if e.get("id") != event_id]})
    return found


# --- the timeline -----------------------------------------------------------------------------

def build(facts: Mapping[str, Any], catalog: FactsCatalog, evidence: Iterable[Any],
          events: Iterable[Mapping[str, Any]],
          assessments: Iterable[Mapping[str, Any]], lang: str, today: dt.date,
          event_labels: Mapping[str, str], evidence_words: DayWords) -> list[Entry]:
    """Every entry in date order.

    `event_labels` names each event type in her language; `evidence_words(posted, captured)`
    says what a day of the evidence log holds (e.g. "3 postings logged"), so this module needs
    no translation machinery of its own.
    """
    titles = {fact_id: pick(fact.label, lang) if fact.label else fact_id
              for fact_id, fact in catalog.facts.items() if fact.type == "date"}
    return merge(facts, titles, evidence, events, assessments, today, event_labels,
                 evidence_words)


def merge(facts: Mapping[str, Any], fact_titles: Mapping[str, str], evidence: Iterable[Any],
          events: Iterable[Mapping[str, Any]], assessments: Iterable[Mapping[str, Any]],
          today: dt.date,
          event_labels: Mapping[str, str], evidence_words: DayWords) -> list[Entry]:
    """Every entry in date order, with the date facts' titles given (`fact_titles`: fact id ->
    title, in the order to list them): the documents name facts in the document's language."""
    entries = [*_fact_entries(facts, fact_titles), *_evidence_entries(evidence, evidence_words),
               *_event_entries(events, event_labels),
               *_deadline_entries(assessments, today)]
    return sorted(entries, key=lambda e: e.sort_key)


def _fact_entries(facts: Mapping[str, Any], titles: Mapping[str, str]) -> list[Entry]:
    found = []
    for fact_id, title in titles.items():
        value = facts.get(fact_id)
        if isinstance(value, dt.date | dates.ApproxDate):
            found.append(Entry(when=value, source="fact", title=title, ref=fact_id,
                               kind=fact_id))
    return found


def _evidence_entries(evidence: Iterable[Any], words: DayWords) -> list[Entry]:
    """Per day: the postings (publications only, as caseprep.evidence.posted counts them, so
    the timeline agrees with the results and the documents) and the items saved (all but
    pictures only possibly hers, which count nowhere)."""
    posted: Counter[dt.date] = Counter()
    captured: Counter[dt.date] = Counter()
    for item in evidence:
        role = role_of(item)
        if role == "possible":
            continue
        day = _day(item.get("posted_at")) if role == "publication" else None
        if day is not None:
            posted[day] += 1
        day = _day(item.get("captured_at"))
        if day is not None:
            captured[day] += 1
    return [Entry(when=day, source="evidence", title=words(posted[day], captured[day]),
                  ref=f"evidence:{day.isoformat()}", posted=posted[day],
                  captured=captured[day])
            for day in sorted(set(posted) | set(captured))]


def _day(value: object) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.datetime.fromisoformat(str(value).replace("Z", "+00:00")).date()
    except ValueError:
        return None


def _event_entries(events: Iterable[Mapping[str, Any]], labels: Mapping[str, str]) -> list[Entry]:
    found = []
    for event in events:
        detail = " · ".join(part for part in (event.get("reference"), event.get("note")) if part)
        found.append(Entry(when=dt.date.fromisoformat(event["on"]), source="event",
                           title=labels.get(event["type"], event["type"]), ref=event["id"],
                           detail=detail, kind=event["type"]))
    return found


def _deadline_entries(assessments: Iterable[Mapping[str, Any]], today: dt.date) -> list[Entry]:
    """One entry per route and deadline with a due date, for routes still worth a look."""
    found, seen = [], set()
    for assessment in assessments:
        code = assessment.get("jurisdiction", "")
        for route in assessment.get("routes", []):
            if route.get("status") == "not_met":
                continue
            for deadline in route.get("deadlines", []):
                if not deadline.get("due"):
                    continue
                due = dt.date.fromisoformat(deadline["due"])
                key = (code, route["id"], deadline["id"])
                if key in seen:
                    continue
                seen.add(key)
                found.append(Entry(when=due, source="deadline", title=deadline["label"],
                                   ref="/".join(key), detail=route.get("title", ""),
                                   passed=due < today))
    return found


def upcoming_deadlines(entries: Iterable[Entry]) -> list[Entry]:
    return [e for e in entries if e.source == "deadline" and not e.passed]
