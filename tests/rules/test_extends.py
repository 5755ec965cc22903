"""A state's rule file extends its country's: both are assessed, side by side."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from caseprep import paths
from caseprep.rules import Rules
from caseprep.rules.loader import validate_paths

ZZ = Path(__file__).resolve().parents[1] / "web" / "rules" / "zz.yaml"
STATE = """\
code: zz-north
extends: {parent}
name: {{en: North Testland, zh_Hans: 北测试州}}
language: en
currency: USD
paper: letter
version: "2026.11.0"
reviewed_on: 2026-11-01
reviewed_by: "extends tests"
status: draft
sources:
  - id: north_code
    title: {{en: North Code, zh_Hans: 北州法典}}
    url: https://example.org/north
routes:
  - id: north_civil_claim
    kind: civil
    title: {{en: North civil claim, zh_Hans: 北州民事诉讼}}
    summary: {{en: A state claim., zh_Hans: 州法诉讼。}}
    citations:
      - {{source: north_code, article: "1", confirmed: false}}
    condition:
      all:
        - {{fact: content.kinds, contains_any: [intimate_image]}}
    addressee: {{en: "＿＿ Superior Court", zh_Hans: ＿＿高等法院}}
    documents: [civil_complaint]
scenarios:
  - name: "intimate image: the state claim"
    facts: {{content.kinds: [intimate_image]}}
    expect: {{north_civil_claim: met}}
"""


def _folder(tmp_path, parent="zz", extra=None) -> Path:
    folder = tmp_path / "rules"
    folder.mkdir()
    shutil.copy(paths.resource_dir("jurisdictions") / "facts.yaml", folder / "facts.yaml")
    shutil.copy(ZZ, folder / "zz.yaml")
    (folder / "zz-north.yaml").write_text(STATE.format(parent=parent), encoding="utf-8")
    for name, text in (extra or {}).items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_a_state_brings_its_country(tmp_path):
    rules = Rules(_folder(tmp_path))
    assert rules.with_parents(["zz-north"]) == ["zz-north", "zz"]
    assert rules.with_parents(["zz", "zz-north"]) == ["zz", "zz-north"]
    assert rules.with_parents(["gone", "zz-north"]) == ["zz-north", "zz"]


def test_an_unknown_parent_is_named_with_the_file(tmp_path):
    _, errors = validate_paths([_folder(tmp_path, parent="zy")])
    assert any(e.file == "zz-north.yaml" and e.path == "extends" and "'zy'" in e.message
               and "known: zz, zz-north" in e.message for e in errors), errors


def test_a_loop_is_refused(tmp_path):
    loop = STATE.format(parent="zz-north").replace("code: zz-north", "code: zz-south")
    _, errors = validate_paths([_folder(tmp_path, parent="zz-south",
                                       extra={"zz-south.yaml": loop})])
    assert any("extends itself through zz-north -> zz-south -> zz-north" in e.message
               for e in errors), errors


@pytest.fixture
def app_config(app_config, tmp_path):
    return {**app_config, "rules_path": _folder(tmp_path)}


def test_choosing_the_state_assesses_state_and_country(app):
    from caseprep.appshell.extensions import get_db, get_rules
    from caseprep.assessment import assess_case
    from caseprep.cases import service

    with app.app_context():
        case = service.create_case(get_db(), app.config["CASEPREP"], "correct horse battery",
                                   ["zz-north"], "en")
        case.update_facts({"content.kinds": ["intimate_image"]}, get_rules().catalog)
        found = assess_case(get_db(), case, "en", get_rules())
    assert [a["jurisdiction"] for a in found] == ["zz-north", "zz"]
    assert found[0]["routes"][0]["status"] == "met"
    assert {r["id"] for r in found[1]["routes"]} >= {"portrait_right", "platform_notice"}
