"""The shipped rule files (jurisdictions/): valid, and every scenario inside them passes."""

import pytest

from caseprep.rules import load_jurisdictions, validate_paths
from caseprep.rules.catalog import default_rules_dir
from caseprep.rules.loader import rule_files
from caseprep.rules.scenarios import run_scenarios

SHIPPED = [p.stem for p in rule_files(default_rules_dir())]


def test_shipped_files_validate():
    found, errors = validate_paths()
    assert [str(e) for e in errors] == []
    assert sorted(found) == sorted(SHIPPED)


@pytest.mark.parametrize("code", SHIPPED)
def test_shipped_scenarios_pass(code):
    jurisdiction = load_jurisdictions()[code]
    assert jurisdiction.scenarios, f"{code}.yaml has no scenarios"
    failures = [(r.name, r.failures) for r in run_scenarios(jurisdiction) if not r.passed]
    assert failures == []


@pytest.mark.parametrize("code", SHIPPED)
def test_nothing_answered_rules_out_no_route(code):
    """With no answers a route can only be unknown (unless it asks whether a fact is known)."""
    from caseprep.rules import assess

    jurisdiction = load_jurisdictions()[code]
    statuses = {r.id: r.status for r in assess(jurisdiction, {}).routes}
    assert set(statuses.values()) <= {"unknown", "met", "not_met"}
    # With nothing answered, no route may be ruled out except through `known` checks.
    ruled_out = [rid for rid, status in statuses.items() if status == "not_met"]
    uses_known = {r.id for r in jurisdiction.routes if "known" in repr(r.condition)}
    assert set(ruled_out) <= uses_known
