"""The web tests' own rule file stays valid and its scenarios pass, like a shipped one."""

from __future__ import annotations

from caseprep.rules import Rules
from caseprep.rules.scenarios import run_scenarios


def test_the_web_fixture_rule_file_passes_its_scenarios(rules_dir):
    zz = Rules(rules_dir).jurisdiction("zz")
    results = run_scenarios(zz)
    assert results and all(r.passed for r in results), [r for r in results if not r.passed]
