"""`--json` on validate, test, explain, purge-expired, verify and import-telegram: one JSON
object on stdout, errors included, and the documented exit codes (0 fine, 1 found/refused)."""

from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner

from caseprep.cli import main
from tests.rules.conftest import BROKEN, VALID


@pytest.fixture
def run(monkeypatch, instance_path):
    monkeypatch.setenv("CASEPREP_INSTANCE_PATH", str(instance_path))
    monkeypatch.setenv("CASEPREP_RULES_PATH", str(VALID))
    monkeypatch.delenv("CASEPREP_DATABASE_URL", raising=False)
    runner = CliRunner()

    def invoke(*args, **kwargs):
        result = runner.invoke(main, [str(a) for a in args], **kwargs)
        return result, json.loads(result.stdout)

    return invoke


def test_validate_json(run):
    result, data = run("rules", "validate", VALID, "--json")
    assert result.exit_code == 0
    assert data == {"ok": True, "jurisdictions": ["xx"], "paths": [str(VALID)], "errors": []}


def test_validate_json_lists_errors_with_their_file(run):
    result, data = run("rules", "validate", BROKEN / "xx_unknown_fact.yaml", "--json")
    assert result.exit_code == 1 and data["ok"] is False
    [error] = [e for e in data["errors"] if e["line"] == 21]
    assert error["file"] == str(BROKEN / "xx_unknown_fact.yaml")
    assert error["path"] == "routes[0].condition.all[1].fact"


def test_test_json(run, tmp_path):
    result, data = run("rules", "test", VALID, "--json")
    assert result.exit_code == 0
    assert (data["ok"], data["passed"], data["failed"]) == (True, 4, 0)
    assert {r["status"] for r in data["results"]} == {"pass"}
    copy = tmp_path / "rules"
    shutil.copytree(VALID, copy)
    rule_file = copy / "xx.yaml"
    rule_file.write_text(rule_file.read_text().replace("takedown: met", "takedown: unknown"))
    result, data = run("rules", "test", copy, "--json")
    assert result.exit_code == 1
    assert (data["ok"], data["passed"], data["failed"]) == (False, 3, 1)
    [failed] = [r for r in data["results"] if r["status"] == "fail"]
    assert failed["name"] == "motivating case: 34 everyday photos"
    assert failed["failures"][0].startswith("takedown: expected unknown, got met")


def test_explain_an_unknown_jurisdiction_exits_1(run, tmp_path):
    facts = tmp_path / "facts.json"
    facts.write_text("{}")
    result, data = run("rules", "explain", "zz", "--facts", facts, "--json")
    assert result.exit_code == 1
    assert "unknown jurisdiction 'zz'" in data["error"]
    plain = CliRunner().invoke(main, ["rules", "explain", "zz", "--facts", str(facts)])
    assert plain.exit_code == 1 and "unknown jurisdiction" in plain.output


def test_purge_expired_json(run):
    result, data = run("purge-expired", "--json")
    assert result.exit_code == 0
    assert data == {"purged": 0}


def test_verify_json_reports_a_wrong_passphrase_as_json(run):
    result, data = run("evidence", "verify", "AAAA-AAAA-AAAA-AAAA", "--passphrase",
                       "not the passphrase", "--json")
    assert result.exit_code == 1
    assert data == {"error": "wrong case code or passphrase"}


def test_import_telegram_json_error(run, tmp_path):
    result, data = run("evidence", "import-telegram", tmp_path, "--json")
    assert result.exit_code == 1
    assert "result.json" in data["error"]


def test_generate_json(tmp_path, monkeypatch):
    monkeypatch.delenv("CASEPREP_RULES_PATH", raising=False)
    facts = tmp_path / "facts.json"
    facts.write_text(json.dumps({"content.kinds": ["everyday_photo"],
                                 "evidence.images_count": 34}))
    args = ["generate", "cn", "--facts", str(facts), "--docs", "evidence_checklist",
            "--format", "html", "--out", str(tmp_path / "out"), "--json"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    [made] = data["files"]
    assert (made["kind"], made["lang"], made["for_filing"]) == (
        "evidence_checklist", "zh_Hans", True)
    assert (tmp_path / "out" / made["name"]).is_file()
    bad = CliRunner().invoke(main, ["generate", "zz", *args[2:]])
    assert bad.exit_code == 1
    assert "zz" in json.loads(bad.stdout)["error"]
