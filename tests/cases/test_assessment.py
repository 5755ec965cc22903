"""assess_case: answers plus the evidence log's counts, per chosen jurisdiction."""

import pytest

from caseprep import paths
from caseprep.assessment import assess_case, case_facts
from caseprep.cases import service
from caseprep.evidence import service as evidence
from caseprep.rules import Rules

PASS = "tulip tower 42 blue"
MOTIVATING = {"content.kinds": ["everyday_photo"], "content.shared_with_consent": False,
              "distribution.for_profit": False, "evidence.images_count": 34}


@pytest.fixture
def shipped_rules():
    return Rules(paths.resource_dir("jurisdictions"))


def _image_gaps(assessment):
    return [g for r in assessment["routes"] for g in r["gaps"]
            if g["fact"] == "evidence.images_count"]


def test_assessment_per_jurisdiction_in_case_order(db, settings, shipped_rules):
    case = service.create_case(db, settings, PASS, ["us", "cn"], "en")
    case.update_facts(MOTIVATING, shipped_rules.catalog)
    result = assess_case(db, case, "en", shipped_rules)
    assert [a["jurisdiction"] for a in result] == ["us", "cn"]
    cn = result[1]
    assert _image_gaps(cn) and all(g["have"] == 34 for g in _image_gaps(cn))
    zh = assess_case(db, case, "zh_Hans", shipped_rules)
    assert zh[1]["name"] != cn["name"]


def test_empty_evidence_log_keeps_the_answered_count(db, settings, shipped_rules):
    case = service.create_case(db, settings, PASS, ["cn"], "en")
    case.update_facts(MOTIVATING, shipped_rules.catalog)
    assert case_facts(db, case, shipped_rules)["evidence.images_count"] == 34


def test_logged_images_replace_the_answered_count(db, settings, shipped_rules):
    case = service.create_case(db, settings, PASS, ["cn"], "en")
    case.update_facts(MOTIVATING, shipped_rules.catalog)
    for _ in range(3):
        evidence.add_item(db, case, None, {"kind": "image"})
    assert case_facts(db, case, shipped_rules)["evidence.images_count"] == 3
    [cn] = assess_case(db, case, "en", shipped_rules)
    assert _image_gaps(cn) and all(g["have"] == 3 for g in _image_gaps(cn))
    assert case.facts()["evidence.images_count"] == 34  # the answer itself is kept


def test_jurisdiction_missing_from_the_rules_is_skipped(db, settings, shipped_rules):
    case = service.create_case(db, settings, PASS, ["cn", "zz"], "en")
    assert [a["jurisdiction"] for a in assess_case(db, case, "en", shipped_rules)] == ["cn"]
