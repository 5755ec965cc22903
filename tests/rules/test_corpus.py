"""The published-case corpus: the shipped rules give the verdicts the authorities gave."""

from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner

from caseprep.cli import main as cli
from caseprep.rules import load_jurisdictions
from caseprep.rules.catalog import default_rules_dir
from caseprep.rules.corpus import load_cases, run_case

from .conftest import FIXTURES

SHIPPED = load_jurisdictions()
TIMED = FIXTURES / "timed"


@pytest.mark.parametrize("code", sorted(SHIPPED))
def test_every_case_file_loads(code):
    cases, errors = load_cases(default_rules_dir(), SHIPPED[code])
    assert not errors, "\n".join(str(e) for e in errors)
    assert cases, f"{code} has no published cases"


@pytest.mark.parametrize("code", sorted(SHIPPED))
def test_every_undisputed_case_agrees(code):
    cases, _ = load_cases(default_rules_dir(), SHIPPED[code])
    wrong = [f"{case.id}: {'; '.join(result.failures)}"
             for case in cases if case.binding
             for result in [run_case(SHIPPED[code], case)] if not result.agrees]
    assert not wrong, "\n".join(wrong)


CASE = """\
id: tt-2026-example
title: {en: Example, zh_Hans: 例子}
source: {kind: judgment, authority: Timeland Court, date: 2026-03-01, read: true}
decided_on: 2026-03-01
facts: {content.is_obscene: true, incident.posted_on: 2025-06-01}
expect: {fine_new: met, fine_old: not_met}
"""


def _folder(tmp_path, case_text, name="tt-2026-example.yaml"):
    folder = tmp_path / "rules"
    shutil.copytree(TIMED, folder)
    (folder / "cases" / "tt").mkdir(parents=True)
    (folder / "cases" / "tt" / name).write_text(case_text)
    return folder


def test_a_case_is_assessed_as_of_its_decision_day(tmp_path):
    folder = _folder(tmp_path, CASE)
    tt = load_jurisdictions(folder)["tt"]
    (case,), errors = load_cases(folder, tt)
    assert errors == []
    result = run_case(tt, case)
    assert result.agrees, result.failures
    assert result.verdicts == {"fine_new": ("met", "met"), "fine_old": ("not_met", "not_met")}
    # Decided the day before the lighter law took effect, the old law would still govern.
    early = case.model_copy(update={"decided_on": case.decided_on.replace(year=2025, month=12)})
    assert not run_case(tt, early).agrees


def test_bad_case_files_name_the_file_the_place_and_the_problem(tmp_path):
    bad = CASE.replace("fine_new: met", "fine_neww: met").replace("kind: judgment",
                                                                  "kind: rumour")
    folder = _folder(tmp_path, bad)
    _, errors = load_cases(folder, load_jurisdictions(folder)["tt"])
    text = "\n".join(str(e) for e in errors)
    assert "cases/tt/tt-2026-example.yaml" in text
    assert "source.kind" in text
    folder = _folder(tmp_path / "2", CASE.replace("fine_new: met", "fine_neww: met"))
    _, errors = load_cases(folder, load_jurisdictions(folder)["tt"])
    assert any("fine_neww" in e.message and "did you mean 'fine_new'" in e.message
               for e in errors), errors


def test_id_must_match_the_file_name(tmp_path):
    folder = _folder(tmp_path, CASE, name="other.yaml")
    _, errors = load_cases(folder, load_jurisdictions(folder)["tt"])
    assert any("differs from the file name" in e.message for e in errors)


def test_cli_counts_cases_and_prints_the_agreement_table(tmp_path):
    disputed = CASE.replace("id: tt-2026-example", "id: tt-2025-disputed") \
        .replace("decided_on: 2026-03-01", "decided_on: 2025-12-01") + "disputed: true\n"
    folder = _folder(tmp_path, CASE)
    (folder / "cases" / "tt" / "tt-2025-disputed.yaml").write_text(disputed)
    result = CliRunner().invoke(cli, ["rules", "test", "--cases", "--report", str(folder)])
    assert result.exit_code == 0, result.output
    assert "PASS tt case: tt-2026-example" in result.output
    assert "NOTE tt case: tt-2025-disputed (disputed)" in result.output
    assert "tt: 1/1 undisputed cases agree (100%); 1 disputed or beyond the catalog" \
        in result.output
    # 1 scenario and 1 agreeing case pass; the disputed case that disagrees is only noted
    assert result.output.strip().endswith("2 passed, 0 failed")


def test_cli_fails_on_an_undisputed_case_that_disagrees(tmp_path):
    folder = _folder(tmp_path, CASE.replace("fine_old: not_met", "fine_old: met"))
    result = CliRunner().invoke(cli, ["rules", "test", "--cases", str(folder)])
    assert result.exit_code == 1
    assert "FAIL tt case: tt-2026-example" in result.output
    assert "fine_old: expected met, got not_met" in result.output
