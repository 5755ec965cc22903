"""`rules diff`: routes, thresholds, citations and dates that changed, in words."""

import json
import shutil

import pytest
import yaml
from click.testing import CliRunner

from caseprep.cli import main
from caseprep.rules import Rules
from caseprep.rules.diff import diff

from .conftest import VALID


@pytest.fixture
def folders(tmp_path):
    old, new = tmp_path / "old", tmp_path / "new"
    shutil.copytree(VALID, old)
    shutil.copytree(VALID, new)
    return old, new


def _edit(folder, change):
    path = folder / "xx.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _words(old, new):
    return [str(c) for c in diff(Rules(old), Rules(new))]


def test_no_change(folders):
    assert _words(*folders) == []


def test_threshold_citation_dates_and_review_in_words(folders):
    old, new = folders

    def change(data):
        data["version"] = "2026.12.1"
        route = data["routes"][0]
        route["thresholds"][0]["any"][1]["at_least"] = 300
        route["thresholds"][0]["citations"][0]["confirmed"] = True
        route["citations"][0]["quote"] = "情节特别严重的"
        route["in_force"] = {"from": "2026-01-01", "to": None}
        route["deadlines"][0]["period"] = "P10Y"
        route["review"] = {"state": "reviewed", "by": "Testland Legal Aid", "role": "lawyer",
                           "on": "2026-12-01"}
        data["routes"][2]["citations"].append(
            {"source": "civil_code", "article": "1024", "confirmed": False})
        data["routes"] = [r for r in data["routes"] if r["id"] != "group_founder"]
        for scenario in data["scenarios"]:
            scenario["expect"].pop("group_founder", None)

    _edit(new, change)
    words = _words(old, new)
    assert words == [
        "xx: version: 2026.11.1 → 2026.12.1",
        "xx routes: route group_founder removed",
        "xx routes[obscene_dissemination]: in force always → from 2026-01-01 to open",
        "xx routes[obscene_dissemination]: review: draft → reviewed by Testland Legal Aid, "
        "lawyer on 2026-12-01",
        "xx routes[obscene_dissemination]: citation criminal_law art. 364(1): quote changed",
        "xx routes[obscene_dissemination].thresholds[volume].any[1]: "
        "evidence.images_count at least 400 → evidence.images_count at least 300",
        "xx routes[obscene_dissemination].thresholds[volume]: "
        "citation criminal_law art. 364 now confirmed",
        "xx routes[obscene_dissemination].deadlines[limitation]: period: P5Y → P10Y",
        "xx routes[portrait_right]: citation civil_code art. 1024 added",
    ]


def test_condition_change_and_added_route(folders):
    old, new = folders

    def change(data):
        condition = data["routes"][0]["condition"]["all"]
        condition[1] = {"fact": "distribution.for_profit", "in": [False]}
        condition.append({"fact": "victim.is_minor", "is": False})
        added = json.loads(json.dumps(data["routes"][3]))
        added["id"] = "takedown_two"
        data["routes"].append(added)

    _edit(new, change)
    words = _words(old, new)
    assert "xx routes[obscene_dissemination].condition.all[2]: added: victim.is_minor is false" \
        in words
    assert ("xx routes[obscene_dissemination].condition.all[1]: "
            "distribution.for_profit is false → distribution.for_profit in [false]") in words
    assert "xx routes: route takedown_two added" in words


def test_cli_diff_words_and_json(folders):
    old, new = folders
    _edit(new, lambda data: data.update(status="reviewed"))
    runner = CliRunner()
    words = runner.invoke(main, ["rules", "diff", str(old), str(new)])
    assert words.exit_code == 0, words.output
    assert words.output.splitlines() == ["xx: status: draft → reviewed", "1 change(s)"]
    data = json.loads(runner.invoke(main, ["rules", "diff", str(old), str(new), "--json"]).output)
    assert data == {"changes": [{"jurisdiction": "xx", "where": "",
                                 "words": "status: draft → reviewed"}]}
