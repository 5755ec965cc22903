import datetime as dt

import pytest

from caseprep.rules import FactValueError, RuleFileError, load_catalog
from caseprep.rules.catalog import read_catalog


def test_shipped_catalog_has_the_core_vocabulary():
    catalog = load_catalog()
    for fact_id in ("victim.is_minor", "content.kinds", "perpetrator.group_role",
                    "evidence.images_count", "incident.first_known", "goals"):
        assert fact_id in catalog
    assert catalog.facts["content.kinds"].type == "list"
    assert "intimate_video" in catalog.facts["content.kinds"].values
    assert list(catalog.order)[0] == next(iter(catalog.facts))


def test_coerce_converts_each_type(catalog):
    out = catalog.coerce({
        "victim.is_minor": "yes",
        "evidence.images_count": "1,234",
        "perpetrator.group_role": "admin",
        "content.kinds": "everyday_photo",
        "incident.first_known": "2026-01-31",
        "incident.narrative": "text",
        "harm.extortion": None,
    })
    assert out == {
        "victim.is_minor": True,
        "evidence.images_count": 1234,
        "perpetrator.group_role": "admin",
        "content.kinds": ["everyday_photo"],
        "incident.first_known": dt.date(2026, 1, 31),
        "incident.narrative": "text",
    }


def test_full_width_digits_count(catalog):
    """Chinese input methods often type full-width digits."""
    assert catalog.coerce({"evidence.images_count": "３４"}) == {"evidence.images_count": 34}


def test_coerce_is_idempotent(catalog):
    facts = {"content.kinds": ["intimate_image"], "incident.first_known": dt.date(2026, 1, 1),
             "evidence.videos_count": 3, "distribution.for_profit": False}
    assert catalog.coerce(catalog.coerce(facts)) == facts


@pytest.mark.parametrize(
    "fact_id, value, message",
    [
        ("victim.is_minor", "perhaps", "expected yes/no"),
        ("evidence.images_count", True, "whole number"),
        ("evidence.images_count", "12a", "whole number"),
        ("evidence.images_count", "9" * 5000, "whole number"),
        ("evidence.images_count", "²", "whole number"),
        ("evidence.images_count", -1, "at least 0"),
        ("perpetrator.group_role", "boss", "expected one of"),
        ("content.kinds", ["selfie"], "item 1 is not one of"),
        ("incident.first_known", "31/01/2026", "YYYY-MM-DD"),
        ("incident.narrative", 12, "expected text"),
    ],
)
def test_coerce_rejects_wrong_values(catalog, fact_id, value, message):
    with pytest.raises(FactValueError) as info:
        catalog.coerce({fact_id: value})
    assert info.value.fact_id == fact_id
    assert message in info.value.message


def test_unknown_fact_id_raises_with_did_you_mean(catalog):
    with pytest.raises(FactValueError) as info:
        catalog.coerce({"evidence.image_count": 3})
    assert info.value.fact_id == "evidence.image_count"
    assert "did you mean 'evidence.images_count'" in str(info.value)


def test_broken_catalog_reports_every_error_with_lines(tmp_path):
    path = tmp_path / "facts.yaml"
    path.write_text(
        "version: 1\n"
        "facts:\n"
        "  - id: a.b\n"
        "    type: enum\n"
        "    section: who\n"
        "    question: {en: Q}\n"
        "  - id: a.b\n"
        "    type: bool\n"
        "    values: [x]\n"
        "    section: who\n"
        "    question: {en: Q, zh_Hans: 问}\n"
    )
    catalog, errors = read_catalog(path)
    assert catalog is None
    assert [str(e) for e in errors] == [
        "facts.yaml:3: facts[0].values: an enum fact needs `values`",
        "facts.yaml:6: facts[0].question: missing zh_Hans text",
        "facts.yaml:7: facts[1].id: duplicate fact id 'a.b'",
        "facts.yaml:9: facts[1].values: `values` only applies to enum and list facts, not bool",
    ]
    with pytest.raises(RuleFileError):
        load_catalog(path)


def test_catalog_structure_errors_come_from_the_schema(tmp_path):
    path = tmp_path / "facts.yaml"
    path.write_text("version: 1\nfacts:\n  - id: a.b\n    type: number\n    section: who\n"
                    "    question: {en: Q, zh_Hans: 问}\n    qestion: {}\n")
    _, errors = read_catalog(path)
    rendered = [str(e) for e in errors]
    assert rendered[0].startswith("facts.yaml:4: facts[0].type: Input should be 'bool'")
    assert rendered[1] == "facts.yaml:7: facts[0].qestion: unknown field 'qestion'"


def test_answers_stored_under_an_earlier_catalog_are_dropped_not_raised():
    """A rules update that removes a fact or a value must not fail her case's pages: the
    stale answer is left out (and asked again); what is still valid is kept, converted."""
    catalog = load_catalog()
    stored = {"perpetrator.group_role": "unknown", "no.such_fact": True,
              "evidence.images_count": "34", "victim.is_minor": None}
    assert catalog.accepted(stored) == {"evidence.images_count": 34}
    with pytest.raises(FactValueError):
        catalog.coerce({"perpetrator.group_role": "unknown"})
