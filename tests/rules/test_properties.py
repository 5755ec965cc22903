"""Property tests: more answers never make a decided result undecided; JSON round-trips."""

from __future__ import annotations

import contextlib
import datetime as dt
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from caseprep.rules import Assessment, assess, load_catalog
from caseprep.rules.conditions import parse
from caseprep.rules.reasons import ReasonContext

from .conftest import VALID

CATALOG = load_catalog(VALID)
FACTS = ["victim.is_minor", "distribution.for_profit", "evidence.images_count",
         "evidence.videos_count", "perpetrator.group_role", "content.kinds",
         "incident.first_known"]
PROPERTY = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


def _value(fact_id: str, catalog=CATALOG):
    fact = catalog.facts[fact_id]
    if fact.type == "bool":
        return st.booleans()
    if fact.type == "int":
        return st.one_of(st.integers(0, 500), st.integers(0, 100_000))
    if fact.type == "enum":
        return st.sampled_from(fact.values)
    if fact.type == "list":
        return st.lists(st.sampled_from(fact.values), unique=True, max_size=3)
    if fact.type == "date":
        return st.dates(dt.date(2015, 1, 1), dt.date(2030, 12, 31))
    return st.text(max_size=5)


def _leaf(fact_id: str):
    fact = CATALOG.facts[fact_id]
    if fact.type == "bool":
        return st.builds(lambda v: {"fact": fact_id, "is": v}, st.booleans())
    if fact.type == "int":
        return st.builds(lambda op, v: {"fact": fact_id, op: v},
                         st.sampled_from(["at_least", "at_most", "is"]), st.integers(0, 1000))
    if fact.type == "enum":
        return st.one_of(
            st.builds(lambda v: {"fact": fact_id, "is": v}, st.sampled_from(fact.values)),
            st.builds(lambda vs: {"fact": fact_id, "in": vs},
                      st.lists(st.sampled_from(fact.values), min_size=1, unique=True)),
        )
    if fact.type == "list":
        return st.one_of(
            st.builds(lambda v: {"fact": fact_id, "contains": v}, st.sampled_from(fact.values)),
            st.builds(lambda vs: {"fact": fact_id, "contains_any": vs},
                      st.lists(st.sampled_from(fact.values), min_size=1, unique=True)),
        )
    return st.builds(lambda op, v: {"fact": fact_id, op: v},
                     st.sampled_from(["at_least", "at_most"]),
                     st.dates(dt.date(2015, 1, 1), dt.date(2030, 12, 31)))


LEAVES = st.one_of(*[_leaf(f) for f in FACTS])


def _at_least_n(parts, n):
    return {"at_least_n": min(n, len(parts)), "of": parts}


CONDITIONS = st.recursive(
    LEAVES,
    lambda inner: st.one_of(
        st.builds(lambda ps: {"all": ps}, st.lists(inner, min_size=1, max_size=4)),
        st.builds(lambda ps: {"any": ps}, st.lists(inner, min_size=1, max_size=4)),
        st.builds(lambda p: {"not": p}, inner),
        st.builds(_at_least_n, st.lists(inner, min_size=1, max_size=4), st.integers(1, 4)),
    ),
    max_leaves=12,
)


@st.composite
def partial_facts(draw, fact_ids=FACTS, catalog=CATALOG):
    chosen = draw(st.lists(st.sampled_from(fact_ids), unique=True))
    return {f: draw(_value(f, catalog)) for f in chosen}


@st.composite
def facts_and_one_more(draw, fact_ids=FACTS):
    facts = draw(partial_facts(fact_ids))
    unanswered = [f for f in fact_ids if f not in facts]
    if not unanswered:
        return facts, facts
    extra = draw(st.sampled_from(unanswered))
    return facts, {**facts, extra: draw(_value(extra))}


@PROPERTY
@given(CONDITIONS, facts_and_one_more())
def test_one_more_answer_never_undecides_a_condition(raw, pair):
    """Three-valued logic is monotone: a decided value stays exactly the same."""
    node, problems = parse(raw, ("c",), CATALOG)
    assert problems == []
    before, after = pair
    ctx = ReasonContext("en", CATALOG)
    first = node.evaluate(before, ctx)
    second = node.evaluate(after, ctx)
    if first.value is not None:
        assert second.value is first.value
    else:
        # Whatever decided it must have been among the facts reported missing.
        newly = set(after) - set(before)
        if second.value is not None:
            assert newly <= set(first.missing)


def _uses_known(raw) -> bool:
    if isinstance(raw, dict):
        return "known" in raw or any(_uses_known(v) for v in raw.values())
    if isinstance(raw, list):
        return any(_uses_known(v) for v in raw)
    return False


def _route_facts(jurisdiction):
    ids = set()
    for route in jurisdiction.routes:
        for node in [route._condition] + [g._condition for g in route.thresholds]:
            if node is not None:
                ids.update(node.fact_ids())
    return sorted(ids)


def _jurisdictions():
    from caseprep.rules import RuleFileError, load_jurisdictions

    found = dict(load_jurisdictions(VALID))
    # The shipped files, whatever is there; test_shipped.py reports them when invalid.
    with contextlib.suppress(RuleFileError):
        found.update(load_jurisdictions())
    return found


JURISDICTIONS = _jurisdictions()


@st.composite
def jurisdiction_and_facts(draw):
    code = draw(st.sampled_from(sorted(JURISDICTIONS)))
    j = JURISDICTIONS[code]
    ids = _route_facts(j)
    facts = draw(partial_facts([f for f in ids if f in j.catalog.facts], j.catalog))
    unanswered = [f for f in ids if f not in facts]
    after = facts
    if unanswered:
        extra = draw(st.sampled_from(unanswered))
        after = {**facts, extra: draw(_value(extra, j.catalog))}
    return j, facts, after


@PROPERTY
@given(jurisdiction_and_facts())
def test_one_more_answer_never_turns_a_decided_route_unknown(case):
    j, before, after = case
    first = assess(j, before, today=dt.date(2026, 11, 25))
    second = assess(j, after, today=dt.date(2026, 11, 25))
    for route, r1, r2 in zip(j.routes, first.routes, second.routes, strict=True):
        if r1.status == "unknown":
            continue
        assert r2.status != "unknown", (route.id, before, after)
        raw = [route.condition] + [g.condition_data() for g in route.thresholds]
        if not _uses_known(raw):  # `known` may flip met <-> not_met, never to unknown
            assert r2.status == r1.status, (route.id, before, after)


@PROPERTY
@given(jurisdiction_and_facts(), st.sampled_from(["en", "zh_Hans"]))
def test_assessment_json_round_trips(case, lang):
    j, facts, _ = case
    a = assess(j, facts, lang=lang, today=dt.date(2026, 11, 25))
    text = json.dumps(a.to_dict(), ensure_ascii=False)
    back = Assessment.from_dict(json.loads(text))
    assert back == a
    assert json.dumps(back.to_dict(), ensure_ascii=False) == text
