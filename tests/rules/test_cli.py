"""`caseprep rules validate|test|list|explain`: exit codes, output lines and JSON shapes."""

import json

import pytest
from click.testing import CliRunner

from caseprep.cli import main

from .conftest import BROKEN, VALID


@pytest.fixture
def run():
    runner = CliRunner()

    def invoke(*args, rules=VALID):
        return runner.invoke(main, ["rules", *map(str, args)],
                             env={"CASEPREP_RULES_PATH": str(rules)})

    return invoke


def test_validate_valid_folder(run):
    result = run("validate", VALID)
    assert result.exit_code == 0, result.output
    assert "1 jurisdiction(s) valid (xx)" in result.output


def test_validate_defaults_to_the_rules_path(run):
    result = run("validate")
    assert result.exit_code == 0
    assert str(VALID) in result.output


def test_validate_lists_every_error_and_exits_1(run):
    files = [BROKEN / "xx_many_errors.yaml", BROKEN / "xx_unknown_fact.yaml"]
    result = run("validate", *files)
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if ".yaml:" in line]
    assert len(lines) == 6
    # The CLI prints each file's path, so an editor can open it.
    assert lines[-1].startswith(f"{BROKEN / 'xx_unknown_fact.yaml'}:21: "
                                "routes[0].condition.all[1].fact:")


def test_validate_missing_path(run, tmp_path):
    result = run("validate", tmp_path / "nope.yaml")
    assert result.exit_code == 1
    assert "no such file or folder" in result.output


def test_test_command_ends_with_counts(run):
    result = run("test", VALID)
    assert result.exit_code == 0, result.output
    assert result.output.strip().splitlines()[-1] == "4 passed, 0 failed"


def test_test_command_fails_on_a_wrong_expectation(run, rules_copy):
    path = rules_copy / "xx.yaml"
    path.write_text(path.read_text().replace("takedown: met", "takedown: unknown"))
    result = run("test", rules_copy)
    assert result.exit_code == 1
    assert "FAIL xx: motivating case: 34 everyday photos" in result.output
    assert "    takedown: expected unknown, got met" in result.output
    assert result.output.strip().splitlines()[-1] == "3 passed, 1 failed"


def test_test_command_fails_on_invalid_files(run):
    result = run("test", BROKEN / "xx_duplicate_route_id.yaml")
    assert result.exit_code == 1
    assert result.output.strip().splitlines()[-1] == "0 passed, 0 failed"


def test_list_json_marks_stale_reviews(run, rules_copy):
    result = run("list", "--json", rules=rules_copy)
    assert result.exit_code == 0, result.output
    [row] = json.loads(result.output)
    assert row == {"code": "xx", "name": "Testland", "version": "2026.11.1", "status": "draft",
                   "reviewed_on": "2026-11-25", "reviewed_by": "rules-core tests", "routes": 4,
                   "scenarios": 4, "stale": False}
    path = rules_copy / "xx.yaml"
    path.write_text(path.read_text().replace("reviewed_on: 2026-11-25", "reviewed_on: 2024-01-01"))
    [row] = json.loads(run("list", "--json", rules=rules_copy).output)
    assert row["stale"] is True
    text = run("list", rules=rules_copy).output
    assert "STALE" in text and "4 routes" in text


def test_explain_json_contract(run, tmp_path):
    facts = tmp_path / "facts.json"
    facts.write_text(json.dumps({"content.is_obscene": True, "distribution.for_profit": False,
                                 "evidence.images_count": 34, "evidence.videos_count": 0,
                                 "evidence.views_count": 0}))
    result = run("explain", "xx", "--facts", facts, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["jurisdiction"] == "xx" and data["rules_version"] == "2026.11.1"
    route = next(r for r in data["routes"] if r["id"] == "obscene_dissemination")
    assert route["status"] == "not_met" and route["kind"] == "criminal"
    assert {"fact": "evidence.images_count", "have": 34, "need": 400}.items() <= \
        route["gaps"][1].items()
    assert route["citations"][0]["instrument"] == "Testland Criminal Law"
    assert isinstance(data["next_questions"], list)


def test_explain_yaml_facts_and_language(run, tmp_path):
    facts = tmp_path / "facts.yaml"
    facts.write_text("content.kinds: [everyday_photo]\ncontent.shared_with_consent: false\n"
                     "incident.first_known: 2026-01-10\n")
    result = run("explain", "xx", "--facts", facts, "--lang", "zh_Hans", "--today", "2026-11-25")
    assert result.exit_code == 0, result.output
    assert "[MET] 肖像权 (portrait_right, civil)" in result.output
    assert "due 2029-01-10" in result.output


def test_explain_rejects_bad_facts_and_codes(run, tmp_path):
    facts = tmp_path / "facts.json"
    facts.write_text(json.dumps({"evidence.image_count": 3}))
    result = run("explain", "xx", "--facts", facts)
    assert result.exit_code == 1
    assert "did you mean 'evidence.images_count'" in result.output
    result = run("explain", "zz", "--facts", facts)
    assert result.exit_code == 1  # docs/rule-authoring.md: 0 fine, 1 otherwise (issue 14)
    assert "unknown jurisdiction 'zz'" in result.output


def test_validate_reports_catalog_errors(run, rules_copy):
    facts = rules_copy / "facts.yaml"
    facts.write_text(facts.read_text().replace("type: bool", "type: boolean", 1))
    result = run("validate", rules_copy)
    assert result.exit_code == 1
    first = result.output.splitlines()[0]
    assert first.startswith(f"{facts}:") and ".type: Input should be 'bool'" in first


def test_validate_same_code_twice(run, rules_copy):
    result = run("validate", VALID, rules_copy)
    assert result.exit_code == 1
    assert "xx.yaml:1: code: jurisdiction 'xx' is defined twice" in result.output
