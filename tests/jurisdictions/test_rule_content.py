"""Content checks on the shipped facts catalog and rule files, beyond what the validator checks.

The validator proves the files are well formed; these tests hold the legal content to the
project's own standards: every fact speaks every interface language and is used, every threshold
alternative is exercised by a scenario that reaches it, every route is seen met and not met.
"""

from __future__ import annotations

import datetime as dt

import pytest

from caseprep.appshell.i18n import LOCALES
from caseprep.rules import conditions, load_catalog, load_jurisdictions
from caseprep.rules.reasons import ReasonContext

# Every fact speaks every language of the interface: its questions are asked in the wizard.
LANGS = LOCALES
# Facts asked for the person's story and for documents, not by any route's logic.
STORY_ONLY = {
    # Dates and counts the documents and the case's story use; since the law-in-time rework the
    # rules decide on posting, threat and discovery dates, and on demands within two years.
    "incident.first_known",
    "incident.first_posted_on",
    "harm.demands_count",
    "incident.narrative",
    "incident.last_seen",
    "goals",
    "distribution.platforms",
    "perpetrator.identified",
    "harm.harassed_by_others",
    "evidence.posts_count",
}
MIN_SCENARIOS = {"cn": 12, "us": 8}


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


@pytest.fixture(scope="module")
def jurisdictions():
    return load_jurisdictions()


def _fact_ids_in(node) -> set[str]:
    """Every fact id a raw YAML condition mentions."""
    found: set[str] = set()
    if isinstance(node, dict):
        if isinstance(node.get("fact"), str):
            found.add(node["fact"])
        for value in node.values():
            found |= _fact_ids_in(value)
    elif isinstance(node, list):
        for item in node:
            found |= _fact_ids_in(item)
    return found


def _route_fact_ids(route) -> set[str]:
    ids = _fact_ids_in(route.condition or {})
    for threshold in route.thresholds:
        ids |= _fact_ids_in(threshold.condition_data())
    ids |= {d.from_fact for d in route.deadlines}
    ids |= {d.stopped_by for d in route.deadlines if d.stopped_by}  # what stops the clock
    return ids


def test_every_fact_text_is_in_every_interface_language(catalog):
    for fact in catalog.facts.values():
        for field in ("question", "help", "label"):
            text = getattr(fact, field)
            assert text is not None, f"{fact.id}: no {field}"
            for lang in LANGS:
                assert str(text.get(lang, "")).strip(), f"{fact.id}.{field}: no {lang}"
        if fact.type in ("enum", "list"):
            assert set(fact.value_labels or {}) == set(fact.values or []), fact.id
            for value, label in fact.value_labels.items():
                for lang in LANGS:
                    assert str(label.get(lang, "")).strip(), f"{fact.id}={value}: no {lang}"


def test_every_fact_is_used_by_a_route_a_document_or_is_story_only(catalog, jurisdictions):
    used = set()
    for jurisdiction in jurisdictions.values():
        for route in jurisdiction.routes:
            used |= _route_fact_ids(route)
    fill_documents = {fact.id for fact in catalog.facts.values() if fact.documents}
    unused = set(catalog.facts) - used - STORY_ONLY - fill_documents
    assert unused == set(), f"facts no route uses (add a route or drop them): {sorted(unused)}"
    assert set(catalog.facts) >= STORY_ONLY


def test_evidence_counts_are_derived_from_the_log(catalog):
    for fact_id, kind in [("evidence.images_count", "image"), ("evidence.videos_count", "video"),
                          ("evidence.audio_count", "audio"), ("evidence.posts_count", "post")]:
        assert catalog.facts[fact_id].derived_from == f"evidence.count:{kind}"


@pytest.mark.parametrize("code", sorted(MIN_SCENARIOS))
def test_enough_scenarios(jurisdictions, code):
    assert len(jurisdictions[code].scenarios) >= MIN_SCENARIOS[code]


@pytest.mark.parametrize("code", sorted(MIN_SCENARIOS))
def test_every_route_is_seen_met_and_not_ruled_in_blindly(jurisdictions, code):
    """Each route has a scenario where it is met and one where it is not met or unknown."""
    jurisdiction = jurisdictions[code]
    met, other = set(), set()
    for scenario in jurisdiction.scenarios:
        for route_id, want in scenario.expect.items():
            status = want if isinstance(want, str) else want.get("status")
            (met if status == "met" else other).add(route_id)
    route_ids = {r.id for r in jurisdiction.routes}
    assert route_ids - met == set(), "routes never expected met"
    never_negative = {r.id for r in jurisdiction.routes if r.condition} - other
    assert never_negative == set(), "routes never expected not_met/unknown"


def _alternatives(jurisdiction):
    for route in jurisdiction.routes:
        for threshold in route.thresholds:
            data = threshold.condition_data()
            for i, alternative in enumerate(data.get("any", [])):
                yield route.id, threshold.id, i, alternative


@pytest.mark.parametrize("code", sorted(MIN_SCENARIOS))
def test_every_threshold_alternative_has_a_scenario_that_reaches_it(jurisdictions, catalog, code):
    """Each line of an instrument's list of alternatives is shown, by a scenario, to suffice."""
    jurisdiction = jurisdictions[code]
    ctx = ReasonContext(lang="en", catalog=catalog)
    missing = []
    for route_id, threshold_id, index, raw in _alternatives(jurisdiction):
        node, problems = conditions.parse(raw, ("alt",), catalog)
        assert not problems, problems
        reached = False
        for scenario in jurisdiction.scenarios:
            want = scenario.expect.get(route_id)
            status = want if isinstance(want, str) else (want or {}).get("status")
            if status != "met":
                continue
            facts = catalog.coerce(scenario.facts)
            if node.evaluate(facts, ctx).value is True:
                reached = True
                break
        if not reached:
            missing.append(f"{route_id}.{threshold_id}.any[{index}]")
    assert missing == [], f"alternatives no 'met' scenario reaches: {missing}"


def test_motivating_case_is_a_scenario(jurisdictions):
    names = [s.name for s in jurisdictions["cn"].scenarios]
    assert any("motivating case" in n for n in names)
    assert any("motivating case" in s.name for s in jurisdictions["us"].scenarios)


def test_cn_psapl_texts_are_chosen_by_date(jurisdictions):
    """The 2012 and 2025 PSAPL routes must never both apply to the same posting date."""
    from caseprep.rules import assess

    cn = jurisdictions["cn"]
    for posted in ("2025-12-31", "2026-01-01"):
        facts = {"incident.posted_on": posted, "content.is_obscene": True}
        # Decided within the six-month discovery period of either text.
        statuses = {r.id: r.status for r in assess(cn, facts, today=dt.date(2026, 3, 1)).routes}
        assert {statuses["admin_obscene_2012"], statuses["admin_obscene_2025"]} == {
            "met", "not_met"}
