"""The engine on the small fixture jurisdiction: statuses, gaps, deadlines, questions."""

import datetime as dt
import json
import os

import pytest

from caseprep.rules import Assessment, assess, load_jurisdictions, rank_questions
from caseprep.rules.durations import Period, parse_period
from caseprep.rules.reasons import ReasonContext

OBSCENE_34 = {"content.is_obscene": True, "distribution.for_profit": False,
              "evidence.images_count": 34, "evidence.videos_count": 0,
              "evidence.views_count": 0}


def test_not_met_route_reports_each_gap_and_the_closest(xx):
    route = assess(xx, OBSCENE_34).route("obscene_dissemination")
    assert route.status == "not_met"
    haves = {(g["fact"], g["need"]): g["have"] for g in route.gaps}
    assert haves[("evidence.images_count", 400)] == 34
    assert haves[("evidence.images_count", 200)] == 34
    assert haves[("evidence.videos_count", 40)] == 0
    assert route.closest_gap["fact"] == "evidence.images_count"
    # 34/200 is nearer, but 200 images count only together with a second item (at_least_n: 2),
    # so the closest alternative that decides the threshold alone is 400.
    assert route.closest_gap["need"] == 400
    assert {(g["need"], g["alone"]) for g in route.gaps if g["fact"] == "evidence.images_count"} \
        == {(400, True), (200, False)}
    assert all(g["threshold"] == "volume" and g["label"] == "Volume" for g in route.gaps)
    images = ReasonContext("en", xx.catalog).subject("evidence.images_count")
    assert f"Volume: {images}: 34. This route starts at 400" in route.reasons
    assert route.missing_facts == []


def test_unknown_count_is_a_gap_with_have_null(xx):
    facts = {"content.is_obscene": True, "distribution.for_profit": False,
             "evidence.images_count": 100}
    route = assess(xx, facts).route("obscene_dissemination")
    assert route.status == "unknown"
    assert {"fact": "evidence.videos_count", "have": None, "need": 40} .items() <= \
        route.gaps[0].items()
    assert route.missing_facts == ["evidence.videos_count", "evidence.views_count"]


def test_each_alternative_meets_the_threshold(xx):
    base = {"content.is_obscene": True, "distribution.for_profit": False}
    for fact, need in (("evidence.videos_count", 40), ("evidence.images_count", 400),
                       ("evidence.views_count", 20000)):
        assert assess(xx, {**base, fact: need}).route("obscene_dissemination").status == "met"
        zeros = {"evidence.videos_count": 0, "evidence.images_count": 0,
                 "evidence.views_count": 0}
        a = assess(xx, {**base, **zeros, fact: need - 1})
        assert a.route("obscene_dissemination").status == "not_met"


def test_condition_false_hides_gaps(xx):
    facts = {**OBSCENE_34, "content.is_obscene": False}
    route = assess(xx, facts).route("obscene_dissemination")
    assert route.status == "not_met"
    assert route.gaps == [] and route.closest_gap is None
    obscene = ReasonContext("en", xx.catalog).subject("content.is_obscene")
    assert route.reasons == [f"{obscene}: no. This route is for when the answer is yes"]


def test_met_route_has_no_missing_facts(xx):
    facts = {"content.kinds": ["everyday_photo"], "content.shared_with_consent": False}
    route = assess(xx, facts).route("portrait_right")
    assert route.status == "met"
    assert route.missing_facts == [] and route.gaps == []
    assert route.documents == ["civil_complaint"]


def test_deadline_due_date_from_fact_and_period(xx):
    facts = {"incident.first_known": "2024-02-29"}
    a = assess(xx, facts, today=dt.date(2026, 11, 25))
    deadline = a.route("portrait_right").deadlines[0]
    assert deadline["due"] == "2027-02-28"  # P3Y from a leap day clamps to Feb 28
    assert deadline["days_left"] == (dt.date(2027, 2, 28) - dt.date(2026, 11, 25)).days
    assert assess(xx, {}).route("portrait_right").deadlines[0]["due"] is None


@pytest.mark.parametrize("text, period", [
    ("P3Y", Period(3, 0, 0)), ("P6M", Period(0, 6, 0)), ("P2Y6M10D", Period(2, 6, 10)),
    ("P2W", Period(0, 0, 14)),
])
def test_parse_period(text, period):
    assert parse_period(text) == period


@pytest.mark.parametrize("text", ["P", "3Y", "P1H", "PT5M", "P-1Y", 3, "P1.5Y"])
def test_parse_period_rejects(text):
    with pytest.raises(ValueError):
        parse_period(text)


def test_period_month_end_clamp():
    assert Period(months=1).add_to(dt.date(2025, 1, 31)) == dt.date(2025, 2, 28)
    assert Period(months=13).add_to(dt.date(2025, 12, 15)) == dt.date(2027, 1, 15)


def test_texts_follow_the_language(xx):
    a = assess(xx, OBSCENE_34, lang="zh_Hans")
    route = a.route("obscene_dissemination")
    assert a.name == "测试国"
    assert route.title == "传播淫秽物品"
    assert route.citations[0]["instrument"] == "测试刑法"
    assert route.authority == "公安机关"
    assert any(r.startswith("数量：") for r in route.reasons)  # full-width colon
    assert assess(xx, OBSCENE_34, lang="fr").route("obscene_dissemination").title == \
        "Spreading obscene material"


def test_contract_shape(xx):
    data = json.loads(json.dumps(assess(xx, OBSCENE_34).to_dict()))
    assert set(data) >= {"jurisdiction", "name", "rules_version", "rules_status", "reviewed_on",
                         "language", "paper", "routes", "next_questions"}
    route = data["routes"][0]
    assert set(route) >= {"id", "kind", "status", "title", "summary", "citations", "reasons",
                          "gaps", "closest_gap", "missing_facts", "authority", "deadlines",
                          "remedies", "documents", "evidence", "next_steps"}
    assert set(route["citations"][0]) >= {"instrument", "article", "url", "quote", "confirmed"}
    assert set(route["deadlines"][0]) >= {"id", "label", "period", "from_fact", "due",
                                          "citations"}
    assert Assessment.from_dict(data) == assess(xx, OBSCENE_34)


def _next_questions(jurisdictions, facts):
    return rank_questions([assess(j, facts) for j in jurisdictions], jurisdictions[0].catalog,
                          facts)


def test_next_questions_ordered_by_routes_decided(xx):
    questions = _next_questions([xx], {})
    # harm.severe_consequences and the group facts each decide only group_founder; the
    # content facts decide one route each too; ties follow the catalog order.
    catalog = xx.catalog
    counts = {}
    for route in assess(xx, {}).routes:
        if route.status == "unknown":
            for f in route.missing_facts:
                counts[f] = counts.get(f, 0) + 1
    expected = sorted((f for f in counts if not catalog.facts[f].derived_from),
                      key=lambda f: (-counts[f], catalog.order[f]))
    assert questions == expected
    assert assess(xx, {}).next_questions == expected
    assert not any(catalog.facts[f].derived_from for f in questions)


def test_next_questions_counts_across_jurisdictions_and_skips_answered(xx):
    q1 = _next_questions([xx], {"content.is_obscene": True})
    assert "content.is_obscene" not in q1
    q2 = _next_questions([xx, xx], {"content.is_obscene": True})
    assert q2 == q1  # doubling every count keeps the order
    assert rank_questions([], xx.catalog, {}) == []


def test_loader_caches_by_mtime(rules_copy):
    first = load_jurisdictions(rules_copy)
    assert load_jurisdictions(rules_copy) is first
    path = rules_copy / "xx.yaml"
    path.write_text(path.read_text().replace('version: "2026.11.1"', 'version: "2026.11.2"'))
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    second = load_jurisdictions(rules_copy)
    assert second is not first
    assert second["xx"].version == "2026.11.2"


def test_fixture_scenarios_pass(xx):
    from caseprep.rules.scenarios import run_scenarios

    results = run_scenarios(xx)
    assert results and all(r.passed for r in results), [r.failures for r in results]


def test_failing_scenario_says_why(rules_copy):
    from caseprep.rules.scenarios import run_scenarios

    path = rules_copy / "xx.yaml"
    path.write_text(path.read_text().replace("portrait_right: met", "portrait_right: not_met"))
    xx = load_jurisdictions(rules_copy)["xx"]
    failed = [r for r in run_scenarios(xx) if not r.passed]
    assert [r.name for r in failed] == ["motivating case: 34 everyday photos"]
    assert failed[0].failures[0].startswith("portrait_right: expected not_met, got met")


def test_editing_the_catalog_revalidates_the_rule_files(rules_copy):
    assert "xx" in load_jurisdictions(rules_copy)
    facts = rules_copy / "facts.yaml"
    facts.write_text(facts.read_text().replace("id: content.is_obscene", "id: content.obscene"))
    stat = facts.stat()
    os.utime(facts, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    from caseprep.rules import RuleFileError

    with pytest.raises(RuleFileError) as info:
        load_jurisdictions(rules_copy)
    assert "unknown fact 'content.is_obscene' (did you mean 'content.obscene'?)" in \
        str(info.value)
