"""An NGO's own rules folder, set once in the settings, is what every part of the app reads.

The folder is a copy of the shipped jurisdictions/ with one fact and one cn route of its own
(issue 10, "Rules in one place"): the web saves the answer and shows the route, the API takes
and assesses it, and `caseprep rules test|explain` and `caseprep generate` find it through
`--rules`. None of them would know the fact if it read the shipped files.
"""

from __future__ import annotations

import json
import re
import shutil

import pytest
import yaml
from click.testing import CliRunner

from caseprep import paths
from caseprep.appshell.extensions import get_db
from caseprep.cases import service
from caseprep.cli import main
from tests.web.conftest import PASSPHRASE
from tests.web.test_wizard import _post

FACT_ID = "ngo.clinic_contacted"
ROUTE_ID = "ngo_clinic_referral"
EXTRA_FACT = """
  - id: ngo.clinic_contacted
    type: bool
    section: goals
    question: {en: Have you talked to our legal clinic?, zh_Hans: 你联系过我们的法律诊所吗？}
"""


def _extra_route(source_id: str) -> dict:
    return {
        "id": ROUTE_ID, "kind": "civil",
        "title": {"en": "Our clinic's referral", "zh_Hans": "本机构法律诊所转介"},
        "summary": {"en": "Our lawyers take it from here.", "zh_Hans": "由我们的律师接手。"},
        "citations": [{"source": source_id, "article": "1", "confirmed": False}],
        "condition": {"fact": FACT_ID, "is": True},
        "documents": ["civil_complaint"],
    }


@pytest.fixture
def ngo_rules(tmp_path):
    """A copy of the shipped rules with the NGO's own fact and route."""
    folder = tmp_path / "ngo-rules"
    shutil.copytree(paths.resource_dir("jurisdictions"), folder,
                    ignore=shutil.ignore_patterns("cases"))
    with open(folder / "facts.yaml", "a", encoding="utf-8") as fh:
        fh.write(EXTRA_FACT)
    cn_file = folder / "cn.yaml"
    cn = yaml.safe_load(cn_file.read_text(encoding="utf-8"))
    cn["routes"].append(_extra_route(cn["sources"][0]["id"]))
    cn["scenarios"].append({"name": "the NGO's clinic route", "facts": {FACT_ID: True},
                            "expect": {ROUTE_ID: "met"}})
    cn_file.write_text(yaml.safe_dump(cn, allow_unicode=True, sort_keys=False),
                       encoding="utf-8")
    return folder


@pytest.fixture
def app_config(app_config, ngo_rules):
    return {**app_config, "rules_path": ngo_rules}


def test_the_web_saves_the_answer_and_shows_the_route(app, client, new_case):
    code = new_case(lives_in="cn")
    goals = client.get("/wizard/goals").get_data(as_text=True)
    assert "Have you talked to our legal clinic?" in goals
    assert _post(client, "goals", {"f_ngo__clinic_contacted": "yes"}).status_code == 303
    with app.app_context():
        facts = service.open_case(get_db(), app.config["CASEPREP"], code, PASSPHRASE).facts()
    assert facts[FACT_ID] is True
    html = client.get("/wizard/results").get_data(as_text=True)
    route = re.search(rf'<article class="card route route--(\w+)" id="route-cn-{ROUTE_ID}">',
                      html)
    assert route and route.group(1) == "met"


def test_the_api_takes_and_assesses_the_fact(client):
    created = client.post("/api/v1/cases", json={"passphrase": PASSPHRASE,
                                                  "jurisdictions": ["cn"]})
    assert created.status_code == 201, created.get_json()
    case = created.get_json()
    auth = {"Authorization": f"Bearer {case['token']}"}
    saved = client.patch(f"/api/v1/cases/{case['code']}/facts", json={FACT_ID: True},
                         headers=auth)
    assert saved.status_code == 200, saved.get_json()
    assert saved.get_json()[FACT_ID] is True
    [cn] = client.get(f"/api/v1/cases/{case['code']}/assessment",
                      headers=auth).get_json()["assessments"]
    assert {r["id"]: r["status"] for r in cn["routes"]}[ROUTE_ID] == "met"


def test_the_cli_reads_the_folder_given_with_rules(ngo_rules, tmp_path):
    runner = CliRunner()
    facts = tmp_path / "facts.yaml"
    facts.write_text(f"{FACT_ID}: true\ncontent.kinds: [everyday_photo]\n", encoding="utf-8")

    tested = runner.invoke(main, ["rules", "test", "--rules", str(ngo_rules)])
    assert "PASS cn: the NGO's clinic route" in tested.output
    assert tested.exit_code == 0, tested.output

    explained = runner.invoke(main, ["rules", "explain", "cn", "--rules", str(ngo_rules),
                                     "--facts", str(facts), "--json"])
    assert explained.exit_code == 0, explained.output
    routes = {r["id"]: r["status"] for r in json.loads(explained.output)["routes"]}
    assert routes[ROUTE_ID] == "met"

    out = tmp_path / "out"
    generated = runner.invoke(main, ["generate", "cn", "--rules", str(ngo_rules),
                                     "--facts", str(facts), "--docs", "civil_complaint",
                                     "--format", "html", "--out", str(out)])
    assert generated.exit_code == 0, generated.output
    assert any(out.iterdir())

    listed = runner.invoke(main, ["rules", "list", "--rules", str(ngo_rules), "--json"])
    assert listed.exit_code == 0, listed.output
    assert "cn" in {row["code"] for row in json.loads(listed.output)}


def test_without_rules_the_cli_does_not_know_the_ngo_fact(tmp_path, monkeypatch):
    monkeypatch.delenv("CASEPREP_RULES_PATH", raising=False)
    facts = tmp_path / "facts.yaml"
    facts.write_text(f"{FACT_ID}: true\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["rules", "explain", "cn", "--facts", str(facts)])
    assert result.exit_code != 0
    assert FACT_ID in result.output
