"""Reasons in human words (issue 12, item 3), over every route of the shipped rule files.

Every comparison of every route and threshold is rendered for answers on both sides of its
boundary, in both languages, the way the engine renders it (under a `not`, from the route's
side): no operator names, no fact ids, no "needs", no untranslated phrase; a reason that
keeps a route closed says what the route is for, one that opens it does not; sensitive facts
are never phrased as something she lacks. Then every scenario: an open route's reasons hold
no "closed" sentence.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from caseprep.rules import conditions as C
from caseprep.rules import load_jurisdictions
from caseprep.rules import reasons as R
from caseprep.rules.engine import assess
from caseprep.rules.reasons import ReasonContext

LANGS = ("en", "zh_Hans")
RAW_WORDS = re.compile(r"\b(at_least|at_most|contains_any|contains|is_not|not_in|known|needs?)\b"
                       r"|需要|至多|None|True|False")
# A reason that keeps a route closed says what the route is for ("This route is for ...").
CLOSED = {"en": re.compile(r"(^|\. )This route (is|starts|covers|does)|^This route is (about|"
                           r"not for|kept)"),
          "zh_Hans": re.compile(r"这条途径(只适用|适用于|的标准|不适用|针对|用于)")}
SHIPPED = load_jurisdictions()


def _leaves(node, negated=False):
    """(comparison, under an odd number of `not`s) for every comparison of a condition."""
    if isinstance(node, C.Compare):
        yield node, negated
    elif isinstance(node, C.Not):
        yield from _leaves(node.part, not negated)
    elif isinstance(node, C.Worded):
        yield from _leaves(node.part, negated)
    else:
        for part in node.parts:
            yield from _leaves(part, negated)


def _answers(fact, want):
    """Answers on both sides of the comparison's boundary."""
    if fact.type == "bool":
        return [True, False]
    if fact.type == "int":
        bound = want if isinstance(want, int) else 1
        return sorted({max(0, bound - 1), bound, bound + 1})
    if fact.type == "date":
        return [want - dt.timedelta(days=1), want, want + dt.timedelta(days=1)]
    if fact.type == "enum":
        return list(fact.values or [])
    if fact.type == "list":
        values = list(fact.values or [])
        return [[], *([v] for v in values), values]
    return ["x"]


def _comparisons():
    seen = set()
    for code, jurisdiction in SHIPPED.items():
        for route in jurisdiction.routes:
            nodes = [route._condition] + [t._condition for t in route.thresholds]
            for node in filter(None, nodes):
                for leaf, negated in _leaves(node):
                    key = (code, leaf.fact, leaf.op, repr(leaf.value), negated)
                    if key not in seen:
                        seen.add(key)
                        yield pytest.param(jurisdiction, leaf, negated,
                                           id=f"{code}-{route.id}-{leaf.fact}-{leaf.op}"
                                              f"{'-not' if negated else ''}")


def _without_names(text: str, ctx: ReasonContext, fact) -> str:
    """The reason with the fact's label and value labels taken out (they are data)."""
    names = [ctx.subject(fact.id)] + [ctx.value(fact.id, v) for v in fact.values or []]
    for name in sorted(names, key=len, reverse=True):
        text = text.replace(name, "")
    return text


@pytest.mark.parametrize("jurisdiction, leaf, negated", list(_comparisons()))
@pytest.mark.parametrize("lang", LANGS)
def test_every_reason_of_every_route_is_in_human_words(jurisdiction, leaf, negated, lang):
    catalog = jurisdiction.catalog
    fact = catalog.facts[leaf.fact]
    ctx = ReasonContext(lang, catalog)
    texts = [R.not_answered(ctx, leaf.fact)]
    for have in _answers(fact, leaf.value):
        ok = C.Compare(leaf.fact, leaf.op, leaf.value).test({leaf.fact: have})
        text = R.compare(ctx, leaf.op, leaf.fact, have, leaf.value, ok, negated)
        texts.append(text)
        opens = ok != negated
        closed_sentence = CLOSED[lang].search(text)
        assert bool(closed_sentence) != opens, (text, have, opens)
        if fact.sensitive and not opens:
            assert not _says(ctx.value(fact.id, have), _strip_label(text, ctx, fact)), text
    for text in texts:
        plain = _without_names(text, ctx, fact)
        assert not RAW_WORDS.search(plain), text
        assert not any(fid in text for fid in catalog.facts), text
        if lang != "en":
            assert not re.search(r"[A-Za-z]{3,}", plain), f"untranslated: {text}"


def _says(word: str, text: str) -> bool:
    return re.search(rf"(?<![A-Za-z]){re.escape(word)}(?![A-Za-z])", text) is not None


def _strip_label(text: str, ctx: ReasonContext, fact) -> str:
    return text.replace(ctx.subject(fact.id), "")


def test_sensitive_facts_are_never_phrased_as_what_she_lacks():
    catalog = SHIPPED["cn"].catalog
    sensitive = [f for f in catalog.facts.values() if f.sensitive]
    assert {"harm.severe_consequences", "harm.serious_mental_harm"} <= {f.id for f in sensitive}
    for lang in LANGS:
        ctx = ReasonContext(lang, catalog)
        for fact in sensitive:
            closed = R.compare(ctx, "is", fact.id, False, True, ok=False)
            assert not _says(ctx.value(fact.id, False), _strip_label(closed, ctx, fact))
            assert R.compare(ctx, "is", fact.id, True, True, ok=True) != closed


def test_a_not_reason_is_worded_from_the_routes_side():
    catalog = SHIPPED["cn"].catalog
    ctx = ReasonContext("en", catalog)
    raw = {"not": {"fact": "content.still_online", "is": False}}
    node, problems = C.parse(raw, ("c",), catalog)
    assert problems == []
    out = node.evaluate({"content.still_online": True}, ctx)
    assert out.value is True
    assert out.reasons == ["Still online: yes"]
    out = node.evaluate({"content.still_online": False}, ctx)
    assert out.value is False
    assert out.reasons == ["Still online: no. This route is for when the answer is yes"]
    raw = {"not": {"fact": "evidence.images_count", "at_least": 400}}
    node, _ = C.parse(raw, ("c",), catalog)
    out = node.evaluate({"evidence.images_count": 500}, ctx)
    assert out.value is False and out.reasons[0].endswith("This route is for 399 or under")


def test_a_rule_file_can_word_a_reason_itself():
    catalog = SHIPPED["cn"].catalog
    raw = {"fact": "distribution.for_profit", "is": True,
           "reason": {"if_false": {"en": "Only when someone made money from it.",
                                   "zh_Hans": "只适用于有人借此牟利的情形。"}}}
    node, problems = C.parse(raw, ("c",), catalog)
    assert problems == []
    out = node.evaluate({"distribution.for_profit": False}, ReasonContext("zh_Hans", catalog))
    assert out.value is False and out.reasons == ["只适用于有人借此牟利的情形。"]
    out = node.evaluate({"distribution.for_profit": True}, ReasonContext("en", catalog))
    assert out.value is True and out.reasons == ["Made money from it: yes"]  # no if_true given
    out = node.evaluate({}, ReasonContext("en", catalog))
    assert out.value is None and out.missing == ["distribution.for_profit"]


@pytest.mark.parametrize("reason, message", [
    ({}, "`reason` needs `if_true`, `if_false` or both"),
    ({"if_flase": {"en": "x"}}, "Extra inputs are not permitted"),
    ({"if_true": "plain text"}, "Input should be a valid dictionary"),
])
def test_a_malformed_reason_is_reported(reason, message):
    catalog = SHIPPED["cn"].catalog
    raw = {"fact": "distribution.for_profit", "is": True, "reason": reason}
    node, problems = C.parse(raw, ("c",), catalog)
    assert node is None
    assert any(message in text for _, text in problems), problems


def _scenarios():
    for code, jurisdiction in SHIPPED.items():
        for scenario in jurisdiction.scenarios:
            yield pytest.param(jurisdiction, scenario, id=f"{code}-{scenario.name[:40]}")


@pytest.mark.parametrize("jurisdiction, scenario", list(_scenarios()))
def test_scenario_reasons_read_as_human_words(jurisdiction, scenario):
    facts = jurisdiction.catalog.coerce(scenario.facts)
    for lang in LANGS:
        assessment = assess(jurisdiction, facts, lang, today=scenario.today)
        for route in assessment.routes:
            for reason in route.reasons:
                assert not any(fid in reason for fid in jurisdiction.catalog.facts), reason
                if route.status == "met":
                    assert not CLOSED[lang].search(reason), (route.id, reason)
