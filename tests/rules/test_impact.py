"""`rules impact`: a threshold change shows exactly the verdicts it flips, with reasons."""

import datetime as dt
import json
import shutil

import pytest
import yaml
from click.testing import CliRunner

from caseprep.cli import main
from caseprep.rules import Rules
from caseprep.rules.impact import impact

from .conftest import VALID

TODAY = dt.date(2026, 11, 27)


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


def _lower_image_threshold(data):
    """400 images -> 200: flips "two half thresholds"? no (already met); flips 250 images."""
    volume = data["routes"][0]["thresholds"][0]
    volume["any"][1]["at_least"] = 200
    data["scenarios"].append({
        "name": "250 images alone",
        "facts": {"content.is_obscene": True, "distribution.for_profit": False,
                  "evidence.images_count": 250, "evidence.videos_count": 0,
                  "evidence.views_count": 0},
        "expect": {"obscene_dissemination": "met"}})


def test_identical_folders_differ_nowhere(folders):
    result = impact(Rules(folders[0]), Rules(folders[1]), TODAY)
    assert result.items == 4
    assert result.changes == []
    assert result.summary() == "4 item(s) assessed; 0 verdict(s) differ in 0 item(s)"


def test_threshold_change_flips_exactly_its_verdicts(folders):
    old, new = folders
    _edit(new, _lower_image_threshold)
    result = impact(Rules(old), Rules(new), TODAY)
    # The new scenario is run against the old rules too: 250 images were not enough before.
    # "obscene, 34 images" stays not_met, "two half thresholds" stays met: not listed.
    assert result.items == 5
    assert [(c.item, c.route, c.old, c.new) for c in result.changes] == [
        ("250 images alone", "obscene_dissemination", "not_met", "met")]
    change = result.changes[0]
    assert change.item_kind == "scenario" and change.jurisdiction == "xx"
    assert any("400" in r for r in change.old_reasons)
    assert not any("400" in r for r in change.new_reasons)


def test_raising_the_threshold_flips_the_other_way(folders):
    old, new = folders

    def raise_half(data):
        half = data["routes"][0]["thresholds"][0]["any"][3]["of"]
        half[1]["at_least"] = 300  # 250 images + 25 videos was two halves; now one
        # (views are not known in that scenario, so the new verdict is unknown, not not_met)

    _edit(new, raise_half)
    result = impact(Rules(old), Rules(new), TODAY)
    assert [(c.item, c.route, c.old, c.new) for c in result.changes] == [
        ("two half thresholds", "obscene_dissemination", "met", "unknown")]


def test_published_cases_are_items_too(folders):
    old, new = folders
    case_dir = new / "cases" / "xx"
    case_dir.mkdir(parents=True)
    (case_dir / "c1.yaml").write_text(yaml.safe_dump({
        "id": "c1", "title": {"en": "A court case"},
        "source": {"kind": "judgment", "authority": "Testland court", "read": True},
        "decided_on": "2026-01-05",
        "facts": {"content.is_obscene": True, "distribution.for_profit": False,
                  "evidence.images_count": 250, "evidence.videos_count": 0,
                  "evidence.views_count": 0},
        "expect": {"obscene_dissemination": "met"}}), encoding="utf-8")
    _edit(new, _lower_image_threshold)
    result = impact(Rules(old), Rules(new), TODAY)
    assert sorted((c.item_kind, c.item) for c in result.changes) == [
        ("case", "c1"), ("scenario", "250 images alone")]


def test_removed_route_is_shown_as_absent(folders):
    old, new = folders

    def drop_takedown(data):
        data["routes"] = [r for r in data["routes"] if r["id"] != "takedown"]
        for scenario in data["scenarios"]:
            scenario["expect"].pop("takedown", None)

    _edit(new, drop_takedown)
    result = impact(Rules(old), Rules(new), TODAY)
    assert {(c.route, c.old, c.new) for c in result.changes} == {
        ("takedown", "met", "absent")}
    assert len(result.changes) == 4  # every item had a takedown verdict


def test_cli_impact_words_json_and_exit_code(folders):
    old, new = folders
    _edit(new, _lower_image_threshold)
    runner = CliRunner()
    args = ["rules", "impact", str(old), str(new), "--today", "2026-11-27"]
    words = runner.invoke(main, args)
    assert words.exit_code == 0, words.output
    lines = words.output.strip().splitlines()
    assert lines[0] == "xx scenario '250 images alone': obscene_dissemination not_met → met"
    assert any(line.startswith("    old: ") for line in lines)
    assert lines[-1] == "5 item(s) assessed; 1 verdict(s) differ in 1 item(s)"
    data = json.loads(runner.invoke(main, [*args, "--json"]).output)
    assert data["items_changed"] == 1
    assert data["changes"][0]["new"] == "met"
    (new / "xx.yaml").write_text("code: [", encoding="utf-8")
    broken = runner.invoke(main, args)
    assert broken.exit_code == 1
