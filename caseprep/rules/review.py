"""Review states and staleness: what an editor should re-check before trusting a rule file.

A route or citation without `review:` is a draft. `staleness` lists, per jurisdiction, the
routes not reviewed, citations not confirmed, reviews older than an interval (default 12
months), in-force dates that have passed or come within 90 days, and sources whose URL or
note says the text is still to be verified (issue 19; docs/rule-authoring.md, "Review").
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

from caseprep.rules.durations import Period, parse_period
from caseprep.rules.schema import ChangelogEntry, Citation, InForce, Jurisdiction, Review, Route

DEFAULT_INTERVAL = "P12M"
DEFAULT_SOON_DAYS = 90
DRAFT = Review(state="draft")
# Wording editors use for "not yet checked against the official text" in a source's note/URL.
TO_VERIFY = re.compile(r"to (?:be )?verif(?:y|ied)|unconfirmed|not yet compared|re-check|"
                       r"待核实|待核|未核实", re.IGNORECASE)


@dataclass(frozen=True)
class Finding:
    """One thing to re-check; `where` is a path inside the rule file, `kind` a stable key."""

    jurisdiction: str
    kind: str
    where: str
    message: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def review_of(item: Route | Citation) -> Review:
    """The item's review; none written means draft."""
    return item.review or DRAFT


def review_summary(jurisdiction: Jurisdiction) -> dict[str, int]:
    """How many routes are in each review state (draft, reviewed, needs-review)."""
    counts = Counter(review_of(route).state for route in jurisdiction.routes)
    return {state: counts.get(state, 0) for state in ("reviewed", "needs-review", "draft")}


def last_change(jurisdiction: Jurisdiction,
                route_id: str | None = None) -> ChangelogEntry | None:
    """The newest changelog entry (touching `route_id`, when given), or None."""
    entries = [e for e in jurisdiction.changelog if route_id is None or route_id in e.routes]
    return max(entries, key=lambda e: e.date, default=None)


def staleness(jurisdictions: Mapping[str, Jurisdiction], today: dt.date,
              interval: str = DEFAULT_INTERVAL,
              soon_days: int = DEFAULT_SOON_DAYS) -> list[Finding]:
    """Everything stale in `jurisdictions` as of `today`, in code and file order."""
    period = parse_period(interval)
    findings: list[Finding] = []
    for code in sorted(jurisdictions):
        check = _Check(jurisdictions[code], today, period, soon_days)
        findings.extend(check.run())
    return findings


class _Check:
    def __init__(self, jurisdiction: Jurisdiction, today: dt.date, period: Period,
                 soon_days: int):
        self.j = jurisdiction
        self.today = today
        self.period = period
        self.soon = today + dt.timedelta(days=soon_days)
        self.soon_days = soon_days
        self.found: list[Finding] = []

    def add(self, kind: str, where: str, message: str) -> None:
        self.found.append(Finding(self.j.code, kind, where, message))

    def run(self) -> list[Finding]:
        j = self.j
        if self.period.add_to(j.reviewed_on) < self.today:
            self.add("file_review_old", "reviewed_on",
                     f"the file was last reviewed on {j.reviewed_on}, over {self._interval()} ago")
        for source in j.sources:
            said = " ".join(filter(None, [source.url, source.note]))
            if TO_VERIFY.search(said):
                self.add("source_to_verify", f"sources[{source.id}]",
                         f"source {source.id} is marked as still to verify: "
                         f"{_short(source.note or source.url)}")
        for route in j.routes:
            at = f"routes[{route.id}]"
            self._review(route, at, "route")
            self._in_force(route.in_force, at)
            self._citations(route.citations, at)
            for threshold in route.thresholds:
                tat = f"{at}.thresholds[{threshold.id}]"
                self._in_force(threshold.in_force, tat)
                self._citations(threshold.citations, tat)
            for deadline in route.deadlines:
                self._citations(deadline.citations, f"{at}.deadlines[{deadline.id}]")
        return self.found

    def _review(self, item: Route | Citation, at: str, what: str) -> None:
        review = review_of(item)
        if review.state == "needs-review":
            note = f": {review.note}" if review.note else ""
            self.add(f"{what}_needs_review", at, f"{what} marked needs-review{note}")
        elif review.state == "draft" and what == "route":
            self.add("route_draft", at, "route not reviewed (draft)")
        elif review.state == "reviewed" and review.on is not None \
                and self.period.add_to(review.on) < self.today:
            self.add("review_old", at, f"{what} reviewed on {review.on} by {review.by}, over "
                                       f"{self._interval()} ago")

    def _citations(self, citations: Iterable[Citation], at: str) -> None:
        for i, citation in enumerate(citations):
            cat = f"{at}.citations[{i}]"
            if not citation.confirmed:
                self.add("citation_unconfirmed", cat, f"{citation.source} art. "
                                                      f"{citation.article} not confirmed "
                                                      f"from the source text")
            if citation.review is not None:
                self._review(citation, cat, "citation")
            self._in_force(citation.in_force, cat)

    def _in_force(self, in_force: InForce | None, at: str) -> None:
        if in_force is None:
            return
        if in_force.end is not None and in_force.end < self.today:
            self.add("in_force_ended", at, f"in force only until {in_force.end}: check the "
                                           f"law that replaced it is in the file")
        for label, day in (("comes into force", in_force.start),
                           ("stops being in force after", in_force.end)):
            if day is not None and self.today <= day <= self.soon:
                self.add("in_force_soon", at, f"{label} {day}, within {self.soon_days} days")

    def _interval(self) -> str:
        p = self.period
        parts = [f"{n} {unit}{'s' if n != 1 else ''}"
                 for n, unit in ((p.years, "year"), (p.months, "month"), (p.days, "day")) if n]
        return " ".join(parts) or "0 days"


def _short(text: str | None, limit: int = 100) -> str:
    text = (text or "").strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"
