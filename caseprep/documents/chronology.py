"""The case's timeline as a document (kind `case_timeline`): the same entries as the web page
(caseprep.cases.timeline), worded in the document's language from phrases.yaml.

What she dated in her answers, the evidence log per day (postings and captures), the steps
she or her lawyer added (reported, the police's answer, notices, filings) and the deadlines of
this jurisdiction's open routes, in date order. The steps she added are not rule facts: they
reach the documents with her details under `EVENTS_KEY`, read from the case's "timeline"
record by the caller.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from caseprep.cases import timeline
from caseprep.documents.phrases import MissingPhraseError, phrase
from caseprep.rules import dates

EVENTS_KEY = "timeline.events"


@dataclass(frozen=True)
class Point:
    """One dated point of the drawn timeline."""

    iso: str        # first day the point stands for (YYYY-MM-DD), for sorting and tests
    when: str       # the date as the document writes it ("2025年4月20日", "May 2021")
    source: str     # fact | evidence | event | deadline
    title: str
    detail: str = ""
    passed: bool = False
    posted: int = 0
    captured: int = 0
    approx: bool = False  # known only to the month or the year


def events_from(details: Mapping | None) -> list[dict]:
    """The added steps handed over with the details (each already checked by
    caseprep.cases.timeline.clean_event when it was kept)."""
    events = (details or {}).get(EVENTS_KEY) or []
    return [dict(e) for e in events if isinstance(e, Mapping)]


def points(assessment: Mapping, facts: Mapping, evidence: Iterable[Mapping],
           events: Iterable[Mapping], lang: str, jurisdiction: str,
           fact_name, date_text, today: dt.date) -> list[Point]:
    """The timeline of one jurisdiction's assessment, in date order.

    `fact_name(fact_id)` and `date_text(date)` are the document's own (its language and
    date style), so the timeline reads like the other documents of the packet.
    """
    def say(key: str, **values) -> str:
        return str(phrase(key, lang, jurisdiction, **values))

    def evidence_words(posted: int, captured: int) -> str:
        parts = []
        if posted:
            parts.append(say("chron.posted", n=posted))
        if captured:
            parts.append(say("chron.captured", n=captured))
        return say("list_sep").join(parts)

    titles = {fact_id: _fact_title(fact_id, lang, jurisdiction, fact_name)
              for fact_id, value in facts.items()
              if isinstance(value, dt.date | dates.ApproxDate)}
    labels = {kind: say(f"chron.event.{kind}") for kind in timeline.EVENT_TYPES}
    entries = timeline.merge(facts, titles, evidence, events, [assessment], today, labels,
                             evidence_words)
    out: list[Point] = []
    for entry in entries:
        first, _last = dates.bounds(entry.when)
        approx = isinstance(entry.when, dates.ApproxDate)
        when = _rough(entry.when, lang) if isinstance(entry.when, dates.ApproxDate) \
            else date_text(entry.when)
        point = Point(iso=first.isoformat(), when=when, source=entry.source, title=entry.title,
                      detail=entry.detail, passed=entry.passed, posted=entry.posted,
                      captured=entry.captured, approx=approx)
        previous = out[-1] if out else None
        if (point.source == "deadline" and previous is not None
                and (previous.source, previous.iso, previous.title)
                == ("deadline", point.iso, point.title)):
            # One limitation period shared by several routes: one point naming them all.
            out[-1] = replace(previous, detail=say("chron.routes_sep").join(
                filter(None, (previous.detail, point.detail))))
            continue
        out.append(point)
    return out


def _fact_title(fact_id: str, lang: str, jurisdiction: str, fact_name) -> str:
    """The document's own third-person name of a dated fact; the catalog's label (worded
    for her, in the wizard) only for a date fact the phrases do not know yet."""
    try:
        return str(phrase(f"chron.fact.{fact_id}", lang, jurisdiction))
    except MissingPhraseError:
        return fact_name(fact_id)


def _rough(when: dates.ApproxDate, lang: str) -> str:
    """A month or a year as the document's dates are written: Korean documents write
    "2025. 4. 20.", so a month is "2024. 5."; other languages say it in words."""
    if lang == "ko":
        first = when.earliest
        return f"{first.year}. {first.month}." if when.precision == "month" else f"{first.year}."
    return dates.spoken(when, lang)
