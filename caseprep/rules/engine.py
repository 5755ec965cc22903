"""Assess a situation (facts) against a jurisdiction: every route's status, why, and the gaps.

A route is met when the law it rests on applies to the conduct's date (law in time, see
`timing.py`), its condition and every threshold group in force then are met; not met when any
of them is false; unknown otherwise. A route whose limitation period has run (a deadline with
`bars: true`) is `time_barred` instead of met or unknown. Gaps (have/need for numeric
`at_least` alternatives) are reported for threshold groups not yet met, unless the route's
condition already rules the route out (then more evidence would not help, and showing a
count to reach would mislead).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from caseprep.rules import dates, timing
from caseprep.rules.catalog import FactsCatalog
from caseprep.rules.messages import _
from caseprep.rules.reasons import ReasonContext
from caseprep.rules.schema import Citation, Deadline, InForce, Jurisdiction, Route
from caseprep.rules.text import pick

MET, NOT_MET, UNKNOWN, TIME_BARRED = "met", "not_met", "unknown", "time_barred"


@dataclass(slots=True)
class RouteAssessment:
    id: str
    kind: str
    status: str
    title: str
    summary: str
    citations: list[dict[str, Any]]
    reasons: list[str]
    gaps: list[dict[str, Any]]
    closest_gap: dict[str, Any] | None
    missing_facts: list[str]
    authority: str
    deadlines: list[dict[str, Any]]
    remedies: list[str]
    documents: list[str]
    evidence: list[str]
    next_steps: list[str]
    # {"from": ISO date | None, "to": ...} of the route's law
    in_force: dict[str, Any] | None = None
    # when time_barred: deadline, due, likelihood, extended_by
    time_bar: dict[str, Any] | None = None
    addressee: str = ""  # what a document prints as the addressee
    notice_template: str | None = None  # takedown notice template, for takedown_notice
    case_cause: str = ""  # civil: the cause of action a complaint names
    elements: list[str] = field(default_factory=list)  # what a pleading states, in order

    def to_dict(self) -> dict[str, Any]:
        """The same as `dataclasses.asdict(self)` (a deep copy), built field by field.

        `asdict` walks every value generically, and cost about as much as the assessment
        itself; the shape here is fixed, and tests/rules/test_engine_equivalence.py compares
        the two.
        """
        closest = self.closest_gap
        return {
            "id": self.id,
            "kind": self.kind,
            "status": self.status,
            "title": self.title,
            "summary": self.summary,
            "citations": [dict(c) for c in self.citations],
            "reasons": list(self.reasons),
            "gaps": [dict(g) for g in self.gaps],
            "closest_gap": dict(closest) if closest is not None else None,
            "missing_facts": list(self.missing_facts),
            "authority": self.authority,
            "deadlines": [_deadline_copy(d) for d in self.deadlines],
            "remedies": list(self.remedies),
            "documents": list(self.documents),
            "evidence": list(self.evidence),
            "next_steps": list(self.next_steps),
            "in_force": dict(self.in_force) if self.in_force is not None else None,
            "time_bar": ({**self.time_bar, "extended_by": list(self.time_bar["extended_by"])}
                         if self.time_bar is not None else None),
            "addressee": self.addressee,
            "notice_template": self.notice_template,
            "case_cause": self.case_cause,
            "elements": list(self.elements),
        }


def _deadline_copy(deadline: dict[str, Any]) -> dict[str, Any]:
    """A deep copy of a deadline as `_deadline` makes it (its lists are the only containers)."""
    return {**deadline, "extended_by": list(deadline["extended_by"]),
            "citations": [dict(c) for c in deadline["citations"]]}


@dataclass
class Assessment:
    """One jurisdiction's assessment; `to_dict()` is the `rules explain --json` shape."""

    jurisdiction: str
    name: str
    rules_version: str
    rules_status: str
    reviewed_on: str
    language: str
    paper: str
    routes: list[RouteAssessment] = field(default_factory=list)
    next_questions: list[str] = field(default_factory=list)
    omit_details: list[str] = field(default_factory=list)  # details documents never ask

    def to_dict(self) -> dict[str, Any]:
        return {
            "jurisdiction": self.jurisdiction,
            "name": self.name,
            "rules_version": self.rules_version,
            "rules_status": self.rules_status,
            "reviewed_on": self.reviewed_on,
            "language": self.language,
            "paper": self.paper,
            "routes": [r.to_dict() for r in self.routes],
            "next_questions": list(self.next_questions),
            "omit_details": list(self.omit_details),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Assessment:
        values = dict(data)
        values["routes"] = [RouteAssessment(**r) for r in values.get("routes", [])]
        return cls(**values)

    def route(self, route_id: str) -> RouteAssessment | None:
        return next((r for r in self.routes if r.id == route_id), None)


def assess(jurisdiction: Jurisdiction, facts: Mapping[str, Any], lang: str = "en",
           today: dt.date | None = None) -> Assessment:
    """Assess `facts` (fact id -> answer; coerced by the catalog) against one jurisdiction."""
    catalog = jurisdiction.catalog
    known = catalog.coerce(facts if isinstance(facts, dict) else dict(facts))
    routes = _assess_routes(jurisdiction, known, lang, today or dt.date.today())
    return Assessment(
        jurisdiction=jurisdiction.code,
        name=pick(jurisdiction.name, lang),
        rules_version=jurisdiction.version,
        rules_status=jurisdiction.status,
        reviewed_on=jurisdiction.reviewed_on.isoformat(),
        language=jurisdiction.language,
        paper=jurisdiction.paper,
        routes=routes,
        next_questions=_rank_questions(catalog, known, [routes]),
        omit_details=list(jurisdiction.omit_details),
    )


def rank_questions(assessments: Iterable[Assessment], catalog: FactsCatalog,
                   facts: Mapping[str, Any]) -> list[str]:
    """The unanswered, askable facts that decide the most undecided routes over these
    assessments (of one case's jurisdictions), most first; ties in the catalog's order.

    The one ranking of questions: `assess` fills `Assessment.next_questions` with it for one
    jurisdiction, the wizard asks it over all of a case's jurisdictions at once."""
    return _rank_questions(catalog, catalog.coerce(dict(facts)), [a.routes for a in assessments])


def _rank_questions(catalog: FactsCatalog, known: dict[str, Any],
                    route_lists: list[list[RouteAssessment]]) -> list[str]:
    askable = catalog.askable
    counts: dict[str, int] = {}
    for routes in route_lists:
        for route in routes:
            # A met route lists missing facts only when its limitation's start is unknown.
            if route.status != UNKNOWN and route.status != MET:
                continue
            for fact_id in route.missing_facts:
                if fact_id in askable and fact_id not in known:
                    counts[fact_id] = counts.get(fact_id, 0) + 1
    order = catalog.order
    return sorted(counts, key=lambda f: (-counts[f], order.get(f, len(order))))


# --- one route ------------------------------------------------------------------------------


def _assess_routes(jurisdiction: Jurisdiction, facts: dict[str, Any], lang: str,
                   today: dt.date) -> list[RouteAssessment]:
    ctx = ReasonContext(lang, jurisdiction.catalog)
    sources = jurisdiction.source_by_id
    return [_assess_route(jurisdiction, r, facts, ctx, sources, today)
            for r in jurisdiction.routes]


def _assess_route(jurisdiction: Jurisdiction, route: Route, facts: dict[str, Any],
                  ctx: ReasonContext,
                  sources: dict[str, Any], today: dt.date) -> RouteAssessment:
    """One route's status, reasons, missing facts and gaps.

    The parts are the law's time (does it apply to the conduct's date?), the route's
    condition and its threshold groups in force then (whose reasons are prefixed with the
    group's label). Not met: any part is false, and the reasons are the false parts' (only
    the time's or the condition's when it is false, since the thresholds are then beside the
    point, and so are the gaps). Unknown: any part is unknown, with every part's reasons and
    the facts missing from the unknown ones. Met: every part's reasons. Then a limitation
    period that has run turns met or unknown into time_barred.
    """
    lang = ctx.lang
    reasons: list[str] = []
    missing: list[str] = []  # only unknown parts leave facts here
    derived = _derived(route)
    clock = derived["_timing"]
    in_time = clock.applies(facts, today, ctx, reasons, missing) if clock is not None else True
    conduct = clock.conduct(facts, today) if clock is not None else None
    gaps: list[dict[str, Any]] = []
    node = derived["_condition"]
    condition = node.evaluate(facts, ctx) if node is not None and in_time is not False else None
    if in_time is False:
        status, missing = NOT_MET, []
    elif condition is not None and condition.value is False:
        # The facts rule it out, whatever the date.
        status, reasons, missing = NOT_MET, condition.reasons, []
    else:
        if condition is not None:
            reasons += condition.reasons
            missing += condition.missing
        undecided = in_time is None or (condition is not None and condition.value is None)
        status, reasons, missing = _assess_groups(route, facts, ctx, conduct, undecided,
                                                  reasons, missing, gaps)

    # Only a gap that decides the threshold by itself can be "the closest alternative".
    closest = max([g for g in gaps if g["alone"]] or gaps, key=_progress) if gaps else None
    deadlines = [_deadline(d, facts, today, lang, sources) for d in route.deadlines]
    time_bar = None
    if status in (MET, UNKNOWN):
        time_bar = _time_bar(route, deadlines, facts, ctx)
        if time_bar is not None:
            status = TIME_BARRED
            reasons = [*reasons, time_bar["reason"]]
            # The one fact that can still lift the bar: when she did what stops the clock.
            stop = next(d.stopped_by for d in route.deadlines if d.id == time_bar["deadline"])
            missing = [stop] if stop and stop not in facts else []
        else:
            for d in route.deadlines:
                if d.bars and d.from_fact not in facts and d.from_fact not in missing:
                    missing = [*missing, d.from_fact]
    citations = [_citation(c, sources, lang) for c in route.citations
                 if conduct is None or _in_force_on(c.in_force, conduct) is not False]
    return RouteAssessment(
        id=route.id,
        kind=route.kind,
        status=status,
        title=pick(route.title, lang),
        summary=pick(route.summary, lang),
        citations=citations,
        reasons=reasons,
        gaps=gaps,
        closest_gap=dict(closest) if closest else None,
        missing_facts=missing,
        authority=pick(route.authority, lang),
        deadlines=deadlines,
        remedies=[pick(t, lang) for t in route.remedies],
        documents=list(route.documents),
        evidence=[pick(t, lang) for t in route.evidence],
        next_steps=[pick(t, lang) for t in route.next_steps],
        in_force=clock.in_force_dict() if clock is not None else None,
        time_bar=time_bar,
        addressee=pick(route.addressee, lang),
        notice_template=route.notice_template,
        case_cause=pick(route.case_cause, lang),
        elements=[pick(t, lang) for t in route.elements],
    )


def _derived(model: BaseModel) -> dict[str, Any]:
    """What the loader worked out for a part of a rule file: its private attributes by name
    (`_condition`, `_timing`, `_period`).

    Read from pydantic's own store: `route._condition` goes through `BaseModel.__getattr__`,
    which raises and catches an AttributeError each time (about 2.5 us; a tenth of an
    assessment).
    """
    return model.__pydantic_private__ or {}


def _in_force_on(in_force: InForce | None, day: Any) -> bool | None:
    """Whether a law with this `in_force` applies on `day` (None: the day is too rough)."""
    window = timing.window(in_force)
    return True if window is None else dates.within(day, *window)


def _assess_groups(route: Route, facts: dict[str, Any], ctx: ReasonContext, conduct: Any,
                   undecided: bool, reasons: list[str], missing: list[str],
                   gaps: list[dict[str, Any]]) -> tuple[str, list[str], list[str]]:
    """The threshold groups in force at the conduct's date; returns (status, reasons, missing).

    `undecided`: the route's time or condition is still unknown. Gaps are added to `gaps`
    for every group not yet met.
    """
    unknown = undecided
    false_reasons: list[str] | None = None
    for group in route.thresholds:
        window = timing.window(group.in_force)
        if window is not None:
            inside = dates.within(conduct, *window) if conduct is not None else None
            if inside is False:
                continue  # not the law at the time: another group covers that time
            if inside is None:
                unknown = True  # the route's time part already asks the date
                continue
        node = _derived(group)["_condition"]
        label = pick(group.label, ctx.lang)
        prefix = ctx.t(_("%(label)s: "), label=label)  # full-width colon in Chinese
        out = node.evaluate(facts, ctx)
        said = [prefix + r for r in out.reasons]
        reasons += said
        if out.value is True:
            continue
        if out.value is False:
            false_reasons = (false_reasons or []) + said
        else:
            unknown = True
            missing += out.missing
        alone = {id(leaf) for leaf in node.standalone_leaves()}
        for leaf in node.at_least_leaves():
            have = facts.get(leaf.fact)
            if have is None or have < leaf.value:
                gaps.append({"fact": leaf.fact, "have": have, "need": leaf.value,
                             "threshold": group.id, "label": label, "alone": id(leaf) in alone})
    if false_reasons is not None:
        return NOT_MET, false_reasons, []
    if unknown:
        return UNKNOWN, reasons, list(dict.fromkeys(missing))
    return MET, reasons, missing


def _time_bar(route: Route, deadlines: list[dict[str, Any]], facts: dict[str, Any],
              ctx: ReasonContext) -> dict[str, Any] | None:
    """The first barring deadline that has (or may have) run, as a `time_bar` dict.

    A period stopped in time (`stopped_by` on or before the earliest due date) bars nothing;
    one whose stop date is unknown, or may fall either side of the due date, may still have.
    """
    for d, shown in zip(route.deadlines, deadlines, strict=True):
        if not d.bars or shown["days_left"] is None:
            continue
        if shown["days_left"] >= 0:  # not even the earliest possible due date has passed
            continue
        stopped = facts.get(d.stopped_by) if d.stopped_by else None
        late = None  # whether the stopping act certainly came after the latest due date
        if stopped is not None:
            if dates.compare_at_most(stopped, dt.date.fromisoformat(shown["due"])) is True:
                continue
            late = dates.compare_at_most(stopped,
                                         dt.date.fromisoformat(shown["due_latest"])) is False
        exact = not isinstance(facts.get(d.from_fact), dates.ApproxDate)
        likely = (shown["days_left_latest"] < 0 and exact and not d.extended_by
                  and (d.stopped_by is None or late is True))
        return {
            "deadline": d.id,
            "label": shown["label"],
            "due": shown["due"],
            "likelihood": "likely" if likely else "possible",
            "extended_by": list(shown["extended_by"]),
            "reason": timing.bar_reason(ctx, shown, likely),
        }
    return None


def _progress(gap: dict[str, Any]) -> float:
    return (gap["have"] or 0) / gap["need"] if gap["need"] else 1.0


def _citation(c: Citation, sources: dict[str, Any], lang: str) -> dict[str, Any]:
    source = sources.get(c.source)
    return {
        "source": c.source,
        "instrument": pick(source.title, lang) if source else c.source,
        "article": c.article,
        "url": c.url or (source.url if source else None),
        "quote": c.quote,
        "confirmed": c.confirmed,
        "role": c.role,
        # How an English filing cites it ("15 U.S.C. § 6851(b)(1)(A)"), when the source says.
        "cite": source.cite.replace("{article}", c.article) if source and source.cite else None,
    }


def _deadline(d: Deadline, facts: dict[str, Any], today: dt.date, lang: str,
              sources: dict[str, Any]) -> dict[str, Any]:
    """A deadline's due date; from an approximate start, the earliest day it may fall due."""
    start = facts.get(d.from_fact)
    period = _derived(d)["_period"]
    due = due_latest = None
    if start is not None and period is not None:
        first, last = dates.bounds(start)
        due, due_latest = period.add_to(first), period.add_to(last)
    return {
        "id": d.id,
        "label": pick(d.label, lang),
        "period": d.period,
        "from_fact": d.from_fact,
        "due": due.isoformat() if due else None,
        "due_latest": due_latest.isoformat() if due_latest else None,
        "days_left": (due - today).days if due else None,
        "days_left_latest": (due_latest - today).days if due_latest else None,
        "bars": d.bars,
        "extended_by": [pick(t, lang) for t in d.extended_by],
        "stopped_by": d.stopped_by,
        "citations": [_citation(c, sources, lang) for c in d.citations],
    }
