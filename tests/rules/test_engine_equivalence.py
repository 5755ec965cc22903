"""The compiled engine gives exactly what a plain, uncached evaluation of the rules gives.

`assess` compiles conditions into closures, keeps rendered reasons and picked texts per
language, and builds `to_dict()` by hand. The reference below is the straightforward
version (a tree walk building an Outcome per node, every reason rendered from scratch,
`dataclasses.asdict`), so any difference in status, reasons, missing facts, gaps, deadlines
or texts fails here. The rule files' scenarios, seeded random situations and Hypothesis
conditions all go through both.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from caseprep.rules import assess, dates, timing
from caseprep.rules import reasons as R
from caseprep.rules.conditions import AllOf, AnyOf, AtLeastN, Compare, Not, Outcome, parse
from caseprep.rules.messages import _
from caseprep.rules.reasons import ReasonContext
from caseprep.rules.text import pick

from .test_properties import CATALOG, CONDITIONS, JURISDICTIONS, PROPERTY, partial_facts

TODAY = dt.date(2026, 11, 25)
LANGS = ("en", "zh_Hans")


# --- the reference: a plain tree walk --------------------------------------------------------

def ref_evaluate(node, facts: dict, ctx: ReasonContext, negated: bool = False) -> Outcome:
    """`negated`: under an odd number of `not`s, reasons are worded from the route's side."""
    if isinstance(node, Compare):
        if node.op == "known":
            ok = (node.fact in facts) == bool(node.value)
            return Outcome(ok, [R.compare(ctx, "known", node.fact, None, node.value, ok,
                                          negated)])
        if node.fact not in facts:
            return Outcome(None, [R.not_answered(ctx, node.fact)], [node.fact])
        have = facts[node.fact]
        ok = node.test(facts)
        if ok is None:
            return Outcome(None, [R.too_vague(ctx, node.fact)], [node.fact])
        return Outcome(ok, [R.compare(ctx, node.op, node.fact, have, node.value, ok, negated)])
    if isinstance(node, Not):
        out = ref_evaluate(node.part, facts, ctx, not negated)
        return Outcome(None if out.value is None else not out.value, out.reasons, out.missing)
    outs = [ref_evaluate(p, facts, ctx, negated) for p in node.parts]
    unknown = [o for o in outs if o.value is None]
    every = [r for o in outs for r in o.reasons]
    if isinstance(node, AllOf):
        false = [o for o in outs if o.value is False]
        if false:
            return Outcome(False, [r for o in false for r in o.reasons])
        return Outcome(None, every, _union(unknown)) if unknown else Outcome(True, every)
    if isinstance(node, AnyOf):
        true = [o for o in outs if o.value is True]
        if true:
            return Outcome(True, [r for o in true for r in o.reasons])
        return Outcome(None, every, _union(unknown)) if unknown else Outcome(False, every)
    assert isinstance(node, AtLeastN)
    met = sum(1 for o in outs if o.value is True)
    summary = R.at_least_n(ctx, met, node.n, len(node.parts))
    if met >= node.n:
        return Outcome(True, [summary] + [r for o in outs if o.value for r in o.reasons])
    if met + len(unknown) < node.n:
        return Outcome(False, [summary] + every)
    return Outcome(None, [summary] + every, _union(unknown))


def _union(outs) -> list[str]:
    return list(dict.fromkeys(f for o in outs for f in o.missing))


def ref_assess(j, facts: dict, lang: str, today: dt.date) -> dict:
    catalog = j.catalog
    known = catalog.coerce(dict(facts))
    ctx = ReasonContext(lang, catalog)
    sources = j.source_by_id
    routes = [_ref_route(j, r, known, ctx, today, sources) for r in j.routes]
    counts: dict[str, int] = {}
    for route in routes:
        if route["status"] not in ("unknown", "met"):
            continue
        for fact_id in route["missing_facts"]:
            fact = catalog.facts.get(fact_id)
            if fact is not None and not fact.derived_from and fact_id not in known:
                counts[fact_id] = counts.get(fact_id, 0) + 1
    order = catalog.order
    return {
        "jurisdiction": j.code, "name": pick(j.name, lang), "rules_version": j.version,
        "rules_status": j.status, "reviewed_on": j.reviewed_on.isoformat(),
        "language": j.language, "paper": j.paper, "routes": routes,
        "next_questions": sorted(counts, key=lambda f: (-counts[f], order.get(f, len(order)))),
        "omit_details": list(j.omit_details),
    }


def _ref_route(j, route, facts, ctx, today, sources) -> dict:
    """The time part (timing.py) is shared with the engine: it is not compiled or cached."""
    lang = ctx.lang
    clock = timing.route_timing(j, route, ctx)
    time_reasons, time_missing = [], []
    in_time = clock.applies(facts, today, time_reasons, time_missing) if clock else True
    conduct = clock.conduct(facts, today) if clock else None
    timed = Outcome(in_time, time_reasons, time_missing)
    node = route._condition
    condition = ref_evaluate(node, facts, ctx) if node is not None else Outcome(True, [])
    groups, undated = [], set()  # undated: in force only for a time the facts do not settle
    for g in route.thresholds:
        window = timing.window(g.in_force)
        inside = True if window is None else (
            None if conduct is None else dates.within(conduct, *window))
        if inside is False:
            continue
        if not inside:
            undated.add(g.id)
        groups.append((g, ref_evaluate(g._condition, facts, ctx) if inside else
                       Outcome(None, [], [])))
    labelled = [Outcome(out.value, [ctx.t(_("%(label)s: "), label=pick(g.label, lang)) + r
                                    for r in out.reasons],
                        out.missing) for g, out in groups]
    parts = [timed, condition, *labelled]
    if in_time is False or condition.value is False:
        groups = []
    if any(p.value is False for p in parts):
        status, missing = "not_met", []
        deciding = [timed] if in_time is False else (
            [condition] if condition.value is False else parts)
        reasons = [r for p in deciding if p.value is False for r in p.reasons]
    elif any(p.value is None for p in parts):
        status = "unknown"
        reasons = [r for p in parts for r in p.reasons]
        missing = list(dict.fromkeys(f for p in parts if p.value is None for f in p.missing))
    else:
        status, missing = "met", []
        reasons = [r for p in parts for r in p.reasons]
    gaps = []
    if condition.value is not False and in_time is not False:
        for g, out in groups:
            if out.value is True or g.id in undated:
                continue
            alone = {id(leaf) for leaf in g._condition.standalone_leaves()}
            for leaf in g._condition.at_least_leaves():
                have = facts.get(leaf.fact)
                if have is None or have < leaf.value:
                    gaps.append({"fact": leaf.fact, "have": have, "need": leaf.value,
                                 "threshold": g.id, "label": pick(g.label, lang),
                                 "alone": id(leaf) in alone})

    def progress(gap):
        return (gap["have"] or 0) / gap["need"] if gap["need"] else 1.0

    closest = max([g for g in gaps if g["alone"]] or gaps, key=progress, default=None)

    def citation(c):
        source = sources.get(c.source)
        return {"source": c.source,
                "instrument": pick(source.title, lang) if source else c.source,
                "article": c.article, "url": c.url or (source.url if source else None),
                "quote": c.quote, "confirmed": c.confirmed}

    deadlines = []
    time_bar = None
    for d in route.deadlines:
        start = facts.get(d.from_fact)
        due = last_due = None
        if start is not None and d._period is not None:
            due, last_due = (d._period.add_to(day) for day in dates.bounds(start))
        extended_by = [pick(t, lang) for t in d.extended_by]
        shown = {"id": d.id, "label": pick(d.label, lang), "period": d.period,
                 "from_fact": d.from_fact, "due": due.isoformat() if due else None,
                 "due_latest": last_due.isoformat() if last_due else None,
                 "days_left": (due - today).days if due else None,
                 "days_left_latest": (last_due - today).days if last_due else None,
                 "bars": d.bars, "extended_by": extended_by, "stopped_by": d.stopped_by,
                 "citations": [citation(c) for c in d.citations]}
        deadlines.append(shown)
        stopped = facts.get(d.stopped_by) if d.stopped_by else None
        stop_first, stop_last = dates.bounds(stopped) if stopped is not None else (None, None)
        if stopped is not None and due is not None and stop_last <= due:
            continue  # stopped in time: bars nothing
        if time_bar is None and d.bars and due is not None and status in ("met", "unknown") \
                and due < today:
            late = stopped is not None and stop_first > last_due
            likely = (last_due < today and start == dates.bounds(start)[0] and not extended_by
                      and (d.stopped_by is None or late))
            time_bar = {"deadline": d.id, "label": shown["label"], "due": shown["due"],
                        "likelihood": "likely" if likely else "possible",
                        "extended_by": extended_by,
                        "reason": timing.bar_reason(ctx, _Shown(shown["label"], extended_by),
                                                    shown, likely),
                        "stop": d.stopped_by}
    if time_bar is not None:
        stop = time_bar.pop("stop")
        status, missing = "time_barred", [stop] if stop and stop not in facts else []
        reasons = [*reasons, time_bar["reason"]]
    elif status in ("met", "unknown"):
        for d in route.deadlines:
            if d.bars and d.from_fact not in facts and d.from_fact not in missing:
                missing = [*missing, d.from_fact]
    citations = [citation(c) for c in route.citations
                 if c.in_force is None or conduct is None
                 or timing.window(c.in_force) is None
                 or dates.within(conduct, *timing.window(c.in_force)) is not False]
    return {
        "id": route.id, "kind": route.kind, "status": status,
        "title": pick(route.title, lang), "summary": pick(route.summary, lang),
        "citations": citations, "reasons": reasons,
        "gaps": gaps, "closest_gap": dict(closest) if closest else None,
        "missing_facts": missing, "authority": pick(route.authority, lang),
        "deadlines": deadlines, "remedies": [pick(t, lang) for t in route.remedies],
        "documents": list(route.documents), "evidence": [pick(t, lang) for t in route.evidence],
        "next_steps": [pick(t, lang) for t in route.next_steps],
        "in_force": clock.in_force_dict() if clock else None, "time_bar": time_bar,
        "addressee": pick(route.addressee, lang),
        "notice_template": route.notice_template,
        "case_cause": pick(route.case_cause, lang) if route.case_cause else "",
    }


@dataclasses.dataclass
class _Shown:
    label: str
    extended_by: list


# --- situations ------------------------------------------------------------------------------

def _used_facts(j) -> list[str]:
    ids: set[str] = set()
    for route in j.routes:
        for node in [route._condition] + [g._condition for g in route.thresholds]:
            if node is not None:
                ids.update(node.fact_ids())
        ids.update(d.from_fact for d in route.deadlines)
    return [f for f in j.catalog.facts if f in ids]


def _thresholds(j) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    for route in j.routes:
        for g in route.thresholds:
            for leaf in g._condition.at_least_leaves():
                found.setdefault(leaf.fact, []).append(leaf.value)
    return found


def _random_value(rng: random.Random, fact, near: list[int]):
    if fact.type == "bool":
        return rng.random() < 0.5
    if fact.type == "int":
        if near and rng.random() < 0.8:  # around a threshold, sometimes exactly on it
            value = rng.choice(near) + rng.choice([-1, 0, 0, 1, rng.randint(-500, 500)])
        else:
            value = rng.randint(0, 300_000)
        value = max(value, fact.min if fact.min is not None else 0)
        return value if fact.max is None else min(value, fact.max)
    if fact.type == "enum":
        return rng.choice(fact.values)
    if fact.type == "list":
        return rng.sample(fact.values, rng.randint(0, min(3, len(fact.values))))
    if fact.type == "date":
        return dt.date(2019, 1, 1) + dt.timedelta(days=rng.randint(0, 3000))
    return "some text"


def _situations(j, count: int, seed: int) -> list[dict]:
    rng = random.Random(seed)
    ids, near = _used_facts(j), _thresholds(j)
    out = [dict(s.facts) for s in j.scenarios] + [{}]
    for _round in range(count):
        share = rng.choice([0.2, 0.5, 0.9, 1.0])
        out.append({f: _random_value(rng, j.catalog.facts[f], near.get(f, []))
                    for f in ids if rng.random() < share})
    return out


# --- the checks ------------------------------------------------------------------------------

@pytest.mark.parametrize("code", sorted(JURISDICTIONS))
@pytest.mark.parametrize("lang", LANGS)
def test_assess_matches_the_reference(code, lang):
    j = JURISDICTIONS[code]
    for facts in _situations(j, 150, seed=len(code) + len(lang)):
        # Twice: the second call runs on warm caches (compiled routes, rendered reasons).
        for _twice in range(2):
            assessment = assess(j, facts, lang, today=TODAY)
            assert assessment.to_dict() == ref_assess(j, facts, lang, TODAY), facts


@pytest.mark.parametrize("code", sorted(JURISDICTIONS))
def test_to_dict_is_asdict(code):
    j = JURISDICTIONS[code]
    for facts in _situations(j, 20, seed=7):
        assessment = assess(j, facts, "zh_Hans", today=TODAY)
        assert assessment.to_dict() == dataclasses.asdict(assessment)


def test_results_share_nothing_with_the_caches():
    """A caller may change what it got; the next assessment must not see it."""
    j = JURISDICTIONS["xx"]
    facts = _situations(j, 0, seed=1)[0]
    first = assess(j, facts, "en", today=TODAY)
    expected = first.to_dict()
    for route in first.routes:
        for name in ("citations", "gaps", "deadlines"):
            for item in getattr(route, name):
                item["changed"] = True
                for citation in item.get("citations", []):
                    citation["changed"] = True
        for name in ("citations", "reasons", "gaps", "missing_facts", "deadlines", "remedies",
                     "documents", "evidence", "next_steps"):
            getattr(route, name).append("changed")
    first.next_questions.append("changed")
    data = assess(j, facts, "en", today=TODAY).to_dict()
    assert data == expected
    for route in data["routes"]:
        route["citations"].append("changed")
        for deadline in route["deadlines"]:
            deadline["citations"].append("changed")
    assert assess(j, facts, "en", today=TODAY).to_dict() == expected


@PROPERTY
@given(CONDITIONS, partial_facts(), st.sampled_from(LANGS))
def test_compiled_conditions_match_the_tree_walk(raw, facts, lang):
    node, problems = parse(raw, ("c",), CATALOG)
    assert problems == []
    ctx = ReasonContext(lang, CATALOG)
    expected = ref_evaluate(node, facts, ctx)
    assert node.evaluate(facts, ctx) == expected
    assert node.evaluate(facts, ctx) == expected  # warm: reasons come from the cache
