"""Assess a situation (facts) against a jurisdiction: every route's status, why, and the gaps.

A route is met when its condition and every threshold group are met; not met when any of
them is false; unknown otherwise. Gaps (have/need for numeric `at_least` alternatives) are
reported for threshold groups not yet met, unless the route's condition already rules the
route out (then more evidence would not help, and showing a count to reach would mislead).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field

from caseprep.rules.conditions import Outcome
from caseprep.rules.reasons import ReasonContext
from caseprep.rules.schema import Citation, Jurisdiction, Route
from caseprep.rules.text import pick

MET, NOT_MET, UNKNOWN = "met", "not_met", "unknown"


@dataclass
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

    def to_dict(self) -> dict:
        return asdict(self)

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
    catalog = jurisdiction.catalog
    known = catalog.coerce(dict(facts))
    today = today or dt.date.today()
    routes = _assess_routes(jurisdiction, known, lang, today)
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
    )


def next_questions(jurisdictions: Mapping[str, Jurisdiction] | Iterable[Jurisdiction],
                   facts: Mapping) -> list[str]:
    """Unanswered, non-derived facts, most undecided routes (over all jurisdictions) first."""
    items = list(jurisdictions.values()) if isinstance(jurisdictions, Mapping) else \
        list(jurisdictions)
    if not items:
        return []
    catalog = items[0].catalog
    known = catalog.coerce(dict(facts))
    today = dt.date.today()
    per_jurisdiction = [
        _assess_routes(j, known if j.catalog is catalog else j.catalog.coerce(known), "en", today)
        for j in items
    ]
    return _rank_questions(catalog, known, per_jurisdiction)


def rank_questions(assessments: Iterable[Assessment], catalog, facts: Mapping) -> list[str]:
    """`next_questions` over assessments already made, for a caller that needs both."""
    return _rank_questions(catalog, catalog.coerce(dict(facts)), [a.routes for a in assessments])


def _rank_questions(catalog, known: dict, route_lists: list[list[RouteAssessment]]) -> list[str]:
    counts: dict[str, int] = {}
    for routes in route_lists:
        for route in routes:
            if route.status != UNKNOWN:
                continue
            for fact_id in route.missing_facts:
                fact = catalog.facts.get(fact_id)
                if fact is None or fact.derived_from or fact_id in known:
                    continue
                counts[fact_id] = counts.get(fact_id, 0) + 1
    order = catalog.order
    return sorted(counts, key=lambda f: (-counts[f], order.get(f, len(order))))


@dataclass
class _CompiledRoute:
    route: Route
    condition: object  # conditions.Node | None
    groups: list  # [(Threshold, Node)]


def _compiled(jurisdiction: Jurisdiction) -> tuple[list[_CompiledRoute], dict]:
    """Routes with their condition trees, and per-language static texts, built once per file.

    Pydantic private attributes are slow to read in a hot loop, so they are read here once.
    """
    cache = jurisdiction._engine_cache
    routes = cache.get("routes")
    if routes is None:
        routes = [
            _CompiledRoute(r, r._condition, [(g, g._condition) for g in r.thresholds])
            for r in jurisdiction.routes
        ]
        cache["routes"] = routes
        cache["texts"] = {}
    return routes, cache["texts"]


def _static_texts(jurisdiction: Jurisdiction, route: Route, lang: str) -> dict:
    sources = jurisdiction.source_by_id
    return {
        "title": pick(route.title, lang),
        "summary": pick(route.summary, lang),
        "citations": [_citation(c, sources, lang) for c in route.citations],
        "authority": pick(route.authority, lang),
        "deadlines": [
            (d, d._period, pick(d.label, lang), [_citation(c, sources, lang) for c in d.citations])
            for d in route.deadlines
        ],
        "remedies": [pick(t, lang) for t in route.remedies],
        "evidence": [pick(t, lang) for t in route.evidence],
        "next_steps": [pick(t, lang) for t in route.next_steps],
        "group_labels": [pick(g.label, lang) for g in route.thresholds],
    }


def _assess_routes(jurisdiction: Jurisdiction, facts: dict, lang: str,
                   today: dt.date) -> list[RouteAssessment]:
    compiled, texts = _compiled(jurisdiction)
    per_lang = texts.get(lang)
    if per_lang is None:
        if len(texts) >= 16:  # `lang` may come from a request: keep the cache bounded
            texts.clear()
        per_lang = texts[lang] = [_static_texts(jurisdiction, c.route, lang) for c in compiled]
    ctx = ReasonContext(lang, jurisdiction.catalog)
    return [_assess_route(c, t, facts, ctx, today) for c, t in zip(compiled, per_lang,
                                                                   strict=True)]


def _assess_route(compiled: _CompiledRoute, texts: dict, facts: dict, ctx: ReasonContext,
                  today: dt.date) -> RouteAssessment:
    route = compiled.route
    node = compiled.condition
    condition = node.evaluate(facts, ctx) if node is not None else Outcome(True, [])
    groups = [(g, n, n.evaluate(facts, ctx)) for g, n in compiled.groups]
    parts = [condition] + [_labelled(label, out) for label, (_, _, out)
                           in zip(texts["group_labels"], groups, strict=True)]
    if any(p.value is False for p in parts):
        status = NOT_MET
        # When the condition rules the route out, the thresholds are beside the point.
        deciding = [condition] if condition.value is False else parts
        reasons = [r for p in deciding if p.value is False for r in p.reasons]
        missing: list[str] = []
    elif any(p.value is None for p in parts):
        status = UNKNOWN
        reasons = [r for p in parts for r in p.reasons]
        missing = list(dict.fromkeys(f for p in parts if p.value is None for f in p.missing))
    else:
        status = MET
        reasons = [r for p in parts for r in p.reasons]
        missing = []

    gaps = [] if condition.value is False else _gaps(groups, texts["group_labels"], facts)
    # Only a gap that decides the threshold by itself can be "the closest alternative".
    closest = max([g for g in gaps if g["alone"]] or gaps, key=_progress, default=None)
    return RouteAssessment(
        id=route.id,
        kind=route.kind,
        status=status,
        title=texts["title"],
        summary=texts["summary"],
        citations=[dict(c) for c in texts["citations"]],
        reasons=reasons,
        gaps=gaps,
        closest_gap=dict(closest) if closest else None,
        missing_facts=missing,
        authority=texts["authority"],
        deadlines=[_deadline(d, facts, today) for d in texts["deadlines"]],
        remedies=list(texts["remedies"]),
        documents=list(route.documents),
        evidence=list(texts["evidence"]),
        next_steps=list(texts["next_steps"]),
    )


def _labelled(label: str, out: Outcome) -> Outcome:
    return Outcome(out.value, [f"{label}: {r}" for r in out.reasons], out.missing)


def _gaps(groups, labels: list[str], facts: dict) -> list[dict]:
    gaps = []
    for (group, node, out), label in zip(groups, labels, strict=True):
        if out.value is True:
            continue
        alone = {id(leaf) for leaf in node.standalone_leaves()}
        for leaf in node.at_least_leaves():
            have = facts.get(leaf.fact)
            if have is None or have < leaf.value:
                gaps.append({"fact": leaf.fact, "have": have, "need": leaf.value,
                             "threshold": group.id, "label": label,
                             "alone": id(leaf) in alone})
    return gaps


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


def _deadline(static: tuple, facts: dict, today: dt.date) -> dict:
    d, period, label, citations = static
    start = facts.get(d.from_fact)
    due = period.add_to(start) if start is not None and period is not None else None
    return {
        "id": d.id,
        "label": label,
        "period": d.period,
        "from_fact": d.from_fact,
        "due": due.isoformat() if due else None,
        "days_left": (due - today).days if due else None,
        "citations": [dict(c) for c in citations],
    }
