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

from caseprep.rules import dates, timing
from caseprep.rules.conditions import Run
from caseprep.rules.messages import _
from caseprep.rules.reasons import ReasonContext
from caseprep.rules.schema import Citation, Jurisdiction, Route
from caseprep.rules.text import pick

MET, NOT_MET, UNKNOWN, TIME_BARRED = "met", "not_met", "unknown", "time_barred"


@dataclass(slots=True)
class RouteAssessment:
    id: str
    kind: str
    status: str
    title: str
    summary: str
    citations: list[dict]
    reasons: list[str]
    gaps: list[dict]
    closest_gap: dict | None
    missing_facts: list[str]
    authority: str
    deadlines: list[dict]
    remedies: list[str]
    documents: list[str]
    evidence: list[str]
    next_steps: list[str]
    in_force: dict | None = None  # {"from": ISO date | None, "to": ...} of the route's law
    time_bar: dict | None = None  # when time_barred: deadline, due, likelihood, extended_by
    addressee: str = ""  # what a document prints as the addressee
    notice_template: str | None = None  # takedown notice template, for takedown_notice
    case_cause: str = ""  # civil: the cause of action a complaint names

    def to_dict(self) -> dict:
        """The same as `dataclasses.asdict(self)` (a deep copy), built field by field.

        `asdict` walks every value generically, and cost more than the assessment itself;
        the shape here is fixed, and tests/rules/test_engine_equivalence.py compares the two.
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
            "deadlines": [_plain(d) for d in self.deadlines],
            "remedies": list(self.remedies),
            "documents": list(self.documents),
            "evidence": list(self.evidence),
            "next_steps": list(self.next_steps),
            "in_force": dict(self.in_force) if self.in_force is not None else None,
            "time_bar": _plain(self.time_bar),
            "addressee": self.addressee,
            "notice_template": self.notice_template,
            "case_cause": self.case_cause,
        }


def _plain(value):
    """A deep copy of JSON-like data (dicts, lists, tuples of scalars), as `asdict` makes."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_plain(v) for v in value)
    return value


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

    def to_dict(self) -> dict:
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
    def from_dict(cls, data: Mapping) -> Assessment:
        values = dict(data)
        values["routes"] = [RouteAssessment(**r) for r in values.get("routes", [])]
        return cls(**values)

    def route(self, route_id: str) -> RouteAssessment | None:
        return next((r for r in self.routes if r.id == route_id), None)


def assess(jurisdiction: Jurisdiction, facts: Mapping, lang: str = "en",
           today: dt.date | None = None) -> Assessment:
    """Assess `facts` (fact id -> answer; coerced by the catalog) against one jurisdiction."""
    program = _program(jurisdiction, lang)
    catalog = program.catalog
    known = catalog.coerce(facts if isinstance(facts, dict) else dict(facts))
    today = today or dt.date.today()
    routes = [_assess_route(r, known, today) for r in program.routes]
    return Assessment(
        jurisdiction=program.code,
        name=program.name,
        rules_version=program.rules_version,
        rules_status=program.rules_status,
        reviewed_on=program.reviewed_on,
        language=program.language,
        paper=program.paper,
        routes=routes,
        next_questions=_rank_questions(catalog, known, [routes]),
        omit_details=list(program.omit_details),
    )


def rank_questions(assessments: Iterable[Assessment], catalog, facts: Mapping) -> list[str]:
    """The unanswered, askable facts that decide the most undecided routes over these
    assessments (of one case's jurisdictions), most first; ties in the catalog's order.

    The one ranking of questions: `assess` fills `Assessment.next_questions` with it for one
    jurisdiction, the wizard asks it over all of a case's jurisdictions at once."""
    return _rank_questions(catalog, catalog.coerce(dict(facts)), [a.routes for a in assessments])


def _rank_questions(catalog, known: dict, route_lists: list[list[RouteAssessment]]) -> list[str]:
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


# --- compiled form -------------------------------------------------------------------------
#
# Everything about a jurisdiction that does not depend on the facts is worked out once per
# (rule file, language) and kept in `jurisdiction._engine_cache`: the compiled conditions
# (which also keep the reasons they rendered), the picked texts, the citations, the leaves
# that make gaps. An edited rule file is a new Jurisdiction object, so nothing goes stale.
# The cached lists and dicts are copied into each result, so a caller may change a result.


@dataclass(slots=True)
class _Group:
    id: str
    label: str
    prefix: str  # "label: ", put before each reason of the group
    run: Run
    leaves: tuple  # ((fact, need, alone), ...) of the `at_least` leaves, in order
    window: tuple | None  # (from, to) when the group is in force only for a time


@dataclass(slots=True)
class _Deadline:
    id: str
    label: str
    period_text: str
    from_fact: str
    period: object  # durations.Period | None
    citations: list[dict]
    bars: bool
    extended_by: list[str]
    stopped_by: str | None


@dataclass(slots=True)
class _RouteProgram:
    id: str
    kind: str
    title: str
    summary: str
    citations: list[dict]
    authority: str
    deadlines: list[_Deadline]
    remedies: list[str]
    documents: list[str]
    evidence: list[str]
    next_steps: list[str]
    addressee: str
    notice_template: str | None
    case_cause: str
    condition: Run | None
    groups: list[_Group]
    citation_windows: list  # (from, to) or None per citation
    timing: timing.RouteTiming | None
    ctx: ReasonContext


@dataclass(slots=True)
class _Program:
    code: str
    name: str
    rules_version: str
    rules_status: str
    reviewed_on: str
    language: str
    paper: str
    catalog: object  # FactsCatalog
    routes: list[_RouteProgram]
    omit_details: list[str]


_LANGS_KEPT = 16  # `lang` may come from a request: keep the cache bounded


def _program(jurisdiction: Jurisdiction, lang: str) -> _Program:
    """The jurisdiction compiled for `lang`, built on first use."""
    programs = jurisdiction._engine_cache.setdefault("programs", {})
    program = programs.get(lang)
    if program is None:
        if len(programs) >= _LANGS_KEPT:
            programs.clear()
        program = programs[lang] = _build_program(jurisdiction, lang)
    return program


def _build_program(jurisdiction: Jurisdiction, lang: str) -> _Program:
    ctx = ReasonContext(lang, jurisdiction.catalog)
    return _Program(
        code=jurisdiction.code,
        name=pick(jurisdiction.name, lang),
        rules_version=jurisdiction.version,
        rules_status=jurisdiction.status,
        reviewed_on=jurisdiction.reviewed_on.isoformat(),
        language=jurisdiction.language,
        paper=jurisdiction.paper,
        catalog=jurisdiction.catalog,
        routes=[_route_program(jurisdiction, r, ctx,
                               timing.route_timing(jurisdiction, r, ctx))
                for r in jurisdiction.routes],
        omit_details=list(jurisdiction.omit_details),
    )


def _route_program(jurisdiction: Jurisdiction, route: Route, ctx: ReasonContext,
                   route_timing: timing.RouteTiming | None) -> _RouteProgram:
    lang = ctx.lang
    sources = jurisdiction.source_by_id
    node = route._condition
    groups = []
    for group in route.thresholds:
        group_node = group._condition
        label = pick(group.label, lang)
        alone = {id(leaf) for leaf in group_node.standalone_leaves()}
        leaves = tuple((leaf.fact, leaf.value, id(leaf) in alone)
                       for leaf in group_node.at_least_leaves())
        prefix = ctx.t(_("%(label)s: "), label=label)  # full-width colon in Chinese
        groups.append(_Group(group.id, label, prefix, group_node.compiled(ctx), leaves,
                             timing.window(group.in_force)))
    return _RouteProgram(
        id=route.id,
        kind=route.kind,
        title=pick(route.title, lang),
        summary=pick(route.summary, lang),
        citations=[_citation(c, sources, lang) for c in route.citations],
        authority=pick(route.authority, lang),
        deadlines=[
            _Deadline(d.id, pick(d.label, lang), d.period, d.from_fact, d._period,
                      [_citation(c, sources, lang) for c in d.citations], d.bars,
                      [pick(t, lang) for t in d.extended_by], d.stopped_by)
            for d in route.deadlines
        ],
        remedies=[pick(t, lang) for t in route.remedies],
        documents=list(route.documents),
        evidence=[pick(t, lang) for t in route.evidence],
        next_steps=[pick(t, lang) for t in route.next_steps],
        addressee=pick(route.addressee, lang),
        notice_template=route.notice_template,
        case_cause=pick(route.case_cause, lang),
        condition=node.compiled(ctx) if node is not None else None,
        groups=groups,
        citation_windows=[timing.window(c.in_force) for c in route.citations],
        timing=route_timing,
        ctx=ctx,
    )


def _assess_routes(jurisdiction: Jurisdiction, facts: dict, lang: str,
                   today: dt.date) -> list[RouteAssessment]:
    return [_assess_route(r, facts, today) for r in _program(jurisdiction, lang).routes]


def _assess_route(program: _RouteProgram, facts: dict, today: dt.date) -> RouteAssessment:
    """One route's status, reasons, missing facts and gaps.

    The parts are the law's time (does it apply to the conduct's date?), the route's
    condition and its threshold groups in force then (whose reasons are prefixed with the
    group's label). Not met: any part is false, and the reasons are the false parts' (only
    the time's or the condition's when it is false, since the thresholds are then beside the
    point, and so are the gaps). Unknown: any part is unknown, with every part's reasons and
    the facts missing from the unknown ones. Met: every part's reasons. Then a limitation
    period that has run turns met or unknown into time_barred.
    """
    reasons: list[str] = []
    missing: list[str] = []  # only unknown parts leave facts here
    clock = program.timing
    in_time = clock.applies(facts, today, reasons, missing) if clock is not None else True
    conduct = clock.conduct(facts, today) if clock is not None else None
    gaps: list[dict] = []
    if in_time is False:
        status = NOT_MET
        missing = []
    else:
        time_said = len(reasons)
        condition = program.condition(facts, reasons, missing) if program.condition else True
        if condition is False:  # the facts rule it out, whatever the date
            status = NOT_MET
            reasons = reasons[time_said:]
            missing = []
        else:
            status, reasons, missing = _assess_groups(program, facts, conduct, in_time, condition,
                                                      reasons, missing, gaps)

    # Only a gap that decides the threshold by itself can be "the closest alternative".
    closest = max([g for g in gaps if g["alone"]] or gaps, key=_progress) if gaps else None
    deadlines = [_deadline(d, facts, today) for d in program.deadlines]
    time_bar = None
    if status in (MET, UNKNOWN):
        time_bar = _time_bar(program, deadlines, facts)
        if time_bar is not None:
            status = TIME_BARRED
            reasons = [*reasons, time_bar["reason"]]
            # The one fact that can still lift the bar: when she did what stops the clock.
            stop = _deadline_named(program, time_bar["deadline"]).stopped_by
            missing = [stop] if stop and stop not in facts else []
        else:
            for d in program.deadlines:
                if d.bars and d.from_fact not in facts and d.from_fact not in missing:
                    missing = [*missing, d.from_fact]
    citations = [dict(c) for c, w in zip(program.citations, program.citation_windows,
                                         strict=True)
                 if w is None or conduct is None or dates.within(conduct, *w) is not False]
    return RouteAssessment(
        id=program.id,
        kind=program.kind,
        status=status,
        title=program.title,
        summary=program.summary,
        citations=citations,
        reasons=reasons,
        gaps=gaps,
        closest_gap=dict(closest) if closest else None,
        missing_facts=missing,
        authority=program.authority,
        deadlines=deadlines,
        remedies=list(program.remedies),
        documents=list(program.documents),
        evidence=list(program.evidence),
        next_steps=list(program.next_steps),
        in_force=clock.in_force_dict() if clock is not None else None,
        time_bar=time_bar,
        addressee=program.addressee,
        notice_template=program.notice_template,
        case_cause=program.case_cause,
    )


def _assess_groups(program, facts, conduct, in_time, condition, reasons, missing, gaps):
    """The threshold groups in force at the conduct's date; returns (status, reasons, missing)."""
    unknown = condition is None or in_time is None
    false_reasons: list[str] | None = None
    for group in program.groups:
        if group.window is not None:
            if conduct is None:
                unknown = True  # the route's time part already asks the date
                continue
            inside = dates.within(conduct, *group.window)
            if inside is False:
                continue  # not the law at the time: another group covers that time
            if inside is None:
                unknown = True
                continue
        begin = len(reasons)
        value = group.run(facts, reasons, missing)
        prefix = group.prefix
        reasons[begin:] = [prefix + r for r in reasons[begin:]]
        if value is True:
            continue
        if value is False:
            false_reasons = (false_reasons or []) + reasons[begin:]
        else:
            unknown = True
        for fact, need, alone in group.leaves:
            have = facts.get(fact)
            if have is None or have < need:
                gaps.append({"fact": fact, "have": have, "need": need,
                             "threshold": group.id, "label": group.label, "alone": alone})
    if false_reasons is not None:
        return NOT_MET, false_reasons, []
    if unknown:
        return UNKNOWN, reasons, list(dict.fromkeys(missing))
    return MET, reasons, missing


def _deadline_named(program: _RouteProgram, deadline_id: str) -> _Deadline:
    return next(d for d in program.deadlines if d.id == deadline_id)


def _time_bar(program: _RouteProgram, deadlines: list[dict], facts: dict) -> dict | None:
    """The first barring deadline that has (or may have) run, as a `time_bar` dict.

    A period stopped in time (`stopped_by` on or before the earliest due date) bars nothing;
    one whose stop date is unknown, or may fall either side of the due date, may still have.
    """
    for d, shown in zip(program.deadlines, deadlines, strict=True):
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
            "label": d.label,
            "due": shown["due"],
            "likelihood": "likely" if likely else "possible",
            "extended_by": list(d.extended_by),
            "reason": timing.bar_reason(program.ctx, d, shown, likely),
        }
    return None


def _progress(gap: dict) -> float:
    return (gap["have"] or 0) / gap["need"] if gap["need"] else 1.0


def _citation(c: Citation, sources: dict, lang: str) -> dict:
    source = sources.get(c.source)
    return {
        "source": c.source,
        "instrument": pick(source.title, lang) if source else c.source,
        "article": c.article,
        "url": c.url or (source.url if source else None),
        "quote": c.quote,
        "confirmed": c.confirmed,
    }


def _deadline(d: _Deadline, facts: dict, today: dt.date) -> dict:
    """A deadline's due date; from an approximate start, the earliest day it may fall due."""
    start = facts.get(d.from_fact)
    due = due_latest = None
    if start is not None and d.period is not None:
        first, last = dates.bounds(start)
        due, due_latest = d.period.add_to(first), d.period.add_to(last)
    return {
        "id": d.id,
        "label": d.label,
        "period": d.period_text,
        "from_fact": d.from_fact,
        "due": due.isoformat() if due else None,
        "due_latest": due_latest.isoformat() if due_latest else None,
        "days_left": (due - today).days if due else None,
        "days_left_latest": (due_latest - today).days if due_latest else None,
        "bars": d.bars,
        "extended_by": list(d.extended_by),
        "stopped_by": d.stopped_by,
        "citations": [dict(c) for c in d.citations],
    }
