"""Run the scenarios inside a rule file: facts in, expected route statuses and gaps out.

Scenarios are a rule file's own tests; `gaps` and `missing_facts` are subset matches, so a
scenario states what matters to its author without restating everything.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from caseprep.rules.catalog import FactValueError
from caseprep.rules.engine import Assessment, assess
from caseprep.rules.schema import Jurisdiction, Scenario


@dataclass
class ScenarioResult:
    jurisdiction: str
    name: str
    failures: list[str] = field(default_factory=list)
    assessment: Assessment | None = None

    @property
    def passed(self) -> bool:
        return not self.failures


def run_scenarios(jurisdiction: Jurisdiction) -> list[ScenarioResult]:
    """Every scenario of the file, in order, with what did not match."""
    return [run_scenario(jurisdiction, s) for s in jurisdiction.scenarios]


def run_scenario(jurisdiction: Jurisdiction, scenario: Scenario) -> ScenarioResult:
    result = ScenarioResult(jurisdiction.code, scenario.name)
    try:
        assessment = assess(jurisdiction, scenario.facts, lang="en", today=scenario.today)
    except FactValueError as exc:
        result.failures.append(f"facts: {exc}")
        return result
    result.assessment = assessment
    for route_id, want in scenario.expect.items():
        result.failures.extend(_compare(assessment, route_id, want))
    return result


def _compare(assessment: Assessment, route_id: str,
             want: str | dict[str, Any]) -> list[str]:
    route = assessment.route(route_id)
    if route is None:
        return [f"{route_id}: no such route"]
    if isinstance(want, str):
        want = {"status": want}
    failures = []
    status = want.get("status")
    if status is not None and route.status != status:
        why = "; ".join(route.reasons[:4])
        failures.append(f"{route_id}: expected {status}, got {route.status} ({why})")
    for gap in want.get("gaps") or []:
        if not any(_gap_matches(gap, have) for have in route.gaps):
            actual = ", ".join(f"{g['fact']} {g['have']}/{g['need']}" for g in route.gaps) or "none"
            failures.append(f"{route_id}: expected gap {_show_gap(gap)}; gaps are: {actual}")
    missing = want.get("missing_facts") or []
    for fact_id in [missing] if isinstance(missing, str) else missing:
        if fact_id not in route.missing_facts:
            failures.append(f"{route_id}: expected missing fact {fact_id}; missing facts are: "
                            f"{', '.join(route.missing_facts) or 'none'}")
    closest = want.get("closest_gap")
    if closest is not None:
        got = route.closest_gap["fact"] if route.closest_gap else None
        if got != closest:
            failures.append(f"{route_id}: expected closest gap {closest}, got {got}")
    for text in want.get("reasons_include") or []:
        if not any(text in r for r in route.reasons):
            failures.append(f"{route_id}: no reason mentions {text!r}")
    return failures


def _gap_matches(want: dict[str, Any], have: dict[str, Any]) -> bool:
    return all(have.get(key) == want[key] for key in ("fact", "need", "have", "threshold")
               if key in want)


def _show_gap(gap: dict[str, Any]) -> str:
    return f"{gap.get('fact')} {gap.get('have', '?')}/{gap.get('need', '?')}"
