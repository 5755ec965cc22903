"""Each operator and combinator: true, false and unknown, with the reasons it gives."""

import datetime as dt

import pytest

from caseprep.rules.conditions import parse
from caseprep.rules.reasons import ReasonContext


def _name(catalog, fact_id, lang="en"):
    return ReasonContext(lang, catalog).subject(fact_id)


def _eval(catalog, raw, facts, lang="en"):
    node, problems = parse(raw, ("condition",), catalog)
    assert problems == []
    return node.evaluate(catalog.coerce(facts), ReasonContext(lang, catalog))


@pytest.mark.parametrize(
    "raw, facts, expected",
    [
        ({"fact": "victim.is_minor", "is": True}, {"victim.is_minor": True}, True),
        ({"fact": "victim.is_minor", "is": True}, {"victim.is_minor": False}, False),
        ({"fact": "victim.is_minor", "is": True}, {}, None),
        ({"fact": "perpetrator.group_role", "in": ["founder", "admin"]},
         {"perpetrator.group_role": "admin"}, True),
        ({"fact": "perpetrator.group_role", "in": ["founder", "admin"]},
         {"perpetrator.group_role": "member"}, False),
        ({"fact": "content.kinds", "contains": "intimate_video"},
         {"content.kinds": ["intimate_image", "intimate_video"]}, True),
        ({"fact": "content.kinds", "contains": "intimate_video"},
         {"content.kinds": ["intimate_image"]}, False),
        ({"fact": "content.kinds", "contains": "intimate_video"}, {"content.kinds": []}, False),
        ({"fact": "content.kinds", "contains_any": ["intimate_video", "everyday_photo"]},
         {"content.kinds": ["everyday_photo"]}, True),
        ({"fact": "content.kinds", "contains_any": ["intimate_video", "everyday_photo"]},
         {"content.kinds": ["personal_information"]}, False),
        ({"fact": "evidence.images_count", "at_least": 400}, {"evidence.images_count": 400}, True),
        ({"fact": "evidence.images_count", "at_least": 400}, {"evidence.images_count": 399}, False),
        ({"fact": "evidence.images_count", "at_most": 10}, {"evidence.images_count": 10}, True),
        ({"fact": "evidence.images_count", "at_most": 10}, {"evidence.images_count": 11}, False),
        ({"fact": "incident.first_known", "at_least": dt.date(2026, 1, 1)},
         {"incident.first_known": "2026-01-01"}, True),
        ({"fact": "incident.first_known", "at_least": dt.date(2026, 1, 1)},
         {"incident.first_known": "2025-12-31"}, False),
        ({"fact": "incident.first_known", "at_most": dt.date(2026, 1, 1)}, {}, None),
        ({"fact": "harm.extortion", "known": True}, {"harm.extortion": False}, True),
        ({"fact": "harm.extortion", "known": True}, {}, False),
        ({"fact": "harm.extortion", "known": False}, {}, True),
    ],
)
def test_comparison(catalog, raw, facts, expected):
    out = _eval(catalog, raw, facts)
    assert out.value is expected
    assert out.missing == ([raw["fact"]] if expected is None else [])
    assert len(out.reasons) == 1


T = {"fact": "victim.is_minor", "is": True}
F = {"fact": "victim.is_minor", "is": False}
U = {"fact": "harm.extortion", "is": True}  # never answered below
FACTS = {"victim.is_minor": True}


@pytest.mark.parametrize(
    "raw, expected",
    [
        ({"all": [T, T]}, True), ({"all": [T, F]}, False), ({"all": [T, U]}, None),
        ({"all": [F, U]}, False),
        ({"any": [F, F]}, False), ({"any": [F, T]}, True), ({"any": [F, U]}, None),
        ({"any": [T, U]}, True),
        ({"not": T}, False), ({"not": F}, True), ({"not": U}, None),
        ({"at_least_n": 2, "of": [T, T, F]}, True),
        ({"at_least_n": 2, "of": [T, F, F]}, False),
        ({"at_least_n": 2, "of": [T, U, F]}, None),
        ({"at_least_n": 3, "of": [T, U, F]}, False),  # even the unknown could not reach 3
        ({"all": [T, {"any": [F, {"not": F}]}]}, True),
    ],
)
def test_combinators_are_three_valued(catalog, raw, expected):
    assert _eval(catalog, raw, FACTS).value is expected


def test_unknown_reports_the_missing_facts_of_undecided_parts_only(catalog):
    raw = {"all": [{"any": [U, {"fact": "distribution.for_profit", "is": True}]},
                   {"fact": "victim.is_minor", "is": True}]}
    out = _eval(catalog, raw, FACTS)
    assert out.value is None
    assert out.missing == ["harm.extortion", "distribution.for_profit"]


def test_decided_false_reports_only_the_deciding_clause(catalog):
    raw = {"all": [{"fact": "evidence.images_count", "at_least": 400}, U]}
    out = _eval(catalog, raw, {"evidence.images_count": 34})
    assert out.value is False
    assert out.reasons == [f"{_name(catalog, 'evidence.images_count')}: 34. This route starts "
                           "at 400"]
    assert out.missing == []


def test_reasons_use_value_labels_and_language(catalog):
    raw = {"fact": "perpetrator.group_role", "in": ["founder"]}
    out = _eval(catalog, raw, {"perpetrator.group_role": "admin"}, lang="zh_Hans")
    label = catalog.facts["perpetrator.group_role"].value_labels["admin"]["zh_Hans"]
    assert label in out.reasons[0]
    en = _eval(catalog, raw, {"perpetrator.group_role": "admin"}).reasons[0]
    assert en.startswith(f"{_name(catalog, 'perpetrator.group_role')}: ")
    assert catalog.facts["perpetrator.group_role"].value_labels["admin"]["en"] in en


def test_at_least_n_summary_reason(catalog):
    raw = {"at_least_n": 2, "of": [{"fact": "evidence.videos_count", "at_least": 20},
                                   {"fact": "evidence.images_count", "at_least": 200}]}
    out = _eval(catalog, raw, {"evidence.videos_count": 25, "evidence.images_count": 100})
    assert out.value is False
    assert out.reasons[0] == "1 of these 2 circumstances apply; this route looks for 2"
    assert f"{_name(catalog, 'evidence.images_count')}: 100. This route starts at 200" \
        in out.reasons


@pytest.mark.parametrize(
    "raw, message",
    [
        ({"fact": "victim.is_minr", "is": True},
         "condition.fact: unknown fact 'victim.is_minr' (did you mean 'victim.is_minor'?)"),
        ({"fact": "victim.is_minor", "at_least": 1},
         "condition.at_least: `at_least` does not apply to bool fact victim.is_minor"),
        ({"fact": "victim.is_minor", "is": "yes"},
         "condition.is: bool fact victim.is_minor compares with true or false, got 'yes'"),
        ({"fact": "evidence.images_count", "is": True},
         "condition.is: int fact evidence.images_count compares with a whole number"),
        ({"fact": "content.kinds", "contains": "selfie"},
         "condition.contains: 'selfie' is not a value of content.kinds"),
        ({"fact": "content.kinds", "contains_any": []},
         "condition.contains_any: `contains_any` needs a non-empty list"),
        ({"fact": "perpetrator.group_role", "in": "admin"},
         "condition.in: `in` needs a non-empty list of values"),
        ({"fact": "victim.is_minor", "is": True, "known": True},
         "condition: a comparison needs exactly one of"),
        ({"fact": "harm.extortion", "known": "yes"},
         "condition.known: `known` takes true or false"),
        ({"all": []}, "condition.all: `all` needs a non-empty list of conditions"),
        ({"all": [T], "any": [T]}, "condition: a condition needs `fact`"),
        ({"not": T, "x": 1}, "condition.x: unknown condition key 'x'"),
        ({"at_least_n": 0, "of": [T]},
         "condition.at_least_n: must be a whole number of at least 1"),
        (["fact"], "condition: a condition must be a mapping"),
    ],
)
def test_parse_problems(catalog, raw, message):
    from caseprep.rules.errors import format_path

    node, problems = parse(raw, ("condition",), catalog)
    assert node is None
    rendered = [f"{format_path(path)}: {msg}" for path, msg in problems]
    assert any(r.startswith(message) for r in rendered), rendered


def test_parse_reports_all_problems(catalog):
    raw = {"any": [{"fact": "nope.a", "is": True}, {"fact": "victim.is_minor", "at_most": 2},
                   {"fact": "nope.b", "is": True}]}
    _, problems = parse(raw, ("c",), catalog)
    assert [p[0] for p in problems] == [("c", "any", 0, "fact"), ("c", "any", 1, "at_most"),
                                        ("c", "any", 2, "fact")]


def test_date_reasons_say_before_and_after(catalog):
    raw = {"fact": "incident.first_known", "at_least": dt.date(2026, 1, 1)}
    out = _eval(catalog, raw, {"incident.first_known": "2025-12-31"})
    name = _name(catalog, "incident.first_known")
    assert out.reasons == [f"{name}: December 31, 2025. This route covers only January 1, 2026 "
                           "or later"]
    raw = {"fact": "incident.first_known", "at_most": dt.date(2026, 1, 1)}
    out = _eval(catalog, raw, {"incident.first_known": "2025-12-31"})
    assert out.reasons == [f"{name}: December 31, 2025, within the time this route covers"]


def test_an_approximate_date_across_the_boundary_is_unknown(catalog):
    raw = {"fact": "incident.first_known", "at_least": dt.date(2026, 1, 15)}
    out = _eval(catalog, raw, {"incident.first_known": "2026-01"})
    assert out.value is None
    assert out.missing == ["incident.first_known"]
    assert out.reasons == [f"{_name(catalog, 'incident.first_known')} is known only roughly; "
                           "the exact date decides this"]
    assert _eval(catalog, raw, {"incident.first_known": "2026-02"}).value is True
    assert _eval(catalog, raw, {"incident.first_known": "2025"}).value is False


def test_fact_labels_name_the_fact_when_the_catalog_has_them():
    from caseprep.rules import load_catalog

    shipped = load_catalog()
    labelled = [f for f in shipped.facts.values() if f.label]
    assert labelled, "the shipped catalog has short labels"
    fact = labelled[0]
    for lang in ("en", "zh_Hans"):
        assert ReasonContext(lang, shipped).subject(fact.id) == fact.label[lang]
