"""Published cases: the proof that a rule file gives the verdicts courts and police gave.

Scenarios are a rule file's own tests; a published case is the world's test. Each file under
`<rules folder>/cases/<code>/` holds one decision (court judgment, typical case, police
notice, US opinion or verdict): its source, the facts as published (catalog facts only) and
the status the authority reached on each route it used or rejected. A case whose outcome is
contested says `disputed: true`; one that turned on something the catalog cannot express says
so in `catalog_lacks`. Every other case must agree with the rules.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError

from caseprep.rules.errors import RuleError, from_pydantic
from caseprep.rules.scenarios import ScenarioResult, run_scenario
from caseprep.rules.schema import Jurisdiction, Scenario, WebUrl, _Strict
from caseprep.rules.text import Text
from caseprep.rules.validation import check_expectations
from caseprep.rules.yamlsource import YamlLoadError, load_yaml

CASES_FOLDER = "cases"
SourceKind = Literal["judgment", "typical_case", "guiding_case", "police_notice", "prosecution",
                     "opinion", "verdict", "press_release"]


class CaseSource(_Strict):
    kind: SourceKind
    authority: str
    date: dt.date | None = None
    case_number: str | None = None
    url: WebUrl | None = None
    read: bool  # the decision or the authority's own publication was read, not only a report


class PublishedCase(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    title: Text
    source: CaseSource
    summary: Text | None = None
    decided_on: dt.date
    facts: dict[str, Any] = {}
    expect: dict[str, Any]
    disputed: bool = False
    catalog_lacks: list[str] = []
    note: str | None = None

    @property
    def binding(self) -> bool:
        """Whether the rules must agree with it (neither disputed nor beyond the catalog)."""
        return not self.disputed and not self.catalog_lacks


@dataclass
class CaseResult:
    jurisdiction: str
    case: PublishedCase
    failures: list[str] = field(default_factory=list)
    verdicts: dict[str, tuple[str, str]] = field(default_factory=dict)  # route: (want, got)

    @property
    def agrees(self) -> bool:
        return not self.failures


def case_files(folder: Path, code: str) -> list[Path]:
    """The case files of one jurisdiction in a rules folder."""
    return sorted((Path(folder) / CASES_FOLDER / code).glob("*.yaml"))


def load_cases(folder: Path, jurisdiction: Jurisdiction) -> tuple[list[PublishedCase],
                                                                   list[RuleError]]:
    """Every case file of `jurisdiction` in `folder`, checked; (valid cases, every error)."""
    cases, errors = [], []
    for path in case_files(folder, jurisdiction.code):
        name = f"{CASES_FOLDER}/{jurisdiction.code}/{path.name}"
        try:
            data, lines, load_errors = load_yaml(path)
        except YamlLoadError as exc:
            errors.append(exc.error)
            continue
        errors.extend(load_errors)
        try:
            case = PublishedCase.model_validate(data)
        except ValidationError as exc:
            errors.extend(from_pydantic(exc, name, lines))
            continue
        problems = check_expectations(case.facts, case.expect, name, lines, jurisdiction)
        if case.id != path.stem:
            problems.append(RuleError(name, None, "id",
                                      f"id {case.id!r} differs from the file name {path.stem!r}"))
        errors.extend(problems)
        if not problems:
            cases.append(case)
    return cases, errors


def run_case(jurisdiction: Jurisdiction, case: PublishedCase) -> CaseResult:
    """Assess the case as of its decision day and compare with what the authority decided."""
    scenario = Scenario(name=case.id, facts=case.facts, today=case.decided_on,
                        expect=case.expect)
    outcome: ScenarioResult = run_scenario(jurisdiction, scenario)
    result = CaseResult(jurisdiction.code, case, outcome.failures)
    assessed = outcome.assessment
    for route_id, want in case.expect.items():
        wanted = want if isinstance(want, str) else want.get("status", "")
        route = assessed.route(route_id) if assessed is not None else None
        result.verdicts[route_id] = (wanted, route.status if route else "?")
    return result


@dataclass
class Agreement:
    """One jurisdiction's agreement with its corpus."""

    jurisdiction: str
    results: list[CaseResult]

    @property
    def binding(self) -> list[CaseResult]:
        return [r for r in self.results if r.case.binding]

    @property
    def agreeing(self) -> int:
        return sum(r.agrees for r in self.binding)

    @property
    def rate(self) -> float:
        return self.agreeing / len(self.binding) if self.binding else 1.0

    def by_route(self) -> dict[str, tuple[int, int]]:
        """Route id -> (verdicts of binding cases, how many the rules reproduce)."""
        table: dict[str, list[int]] = {}
        for result in self.binding:
            for route_id, (want, got) in result.verdicts.items():
                row = table.setdefault(route_id, [0, 0])
                row[0] += 1
                row[1] += want == got
        return {route: (n, ok) for route, (n, ok) in sorted(table.items())}
