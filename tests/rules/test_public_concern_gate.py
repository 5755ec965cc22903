"""California's public-concern exception (Civil Code 1708.85(c)(4)) is asked only of a news
publisher (issue 17): for an ex-partner, a relative or a stranger the question decides nothing,
so the wizard, which asks only what can still decide a route, never asks it."""

from __future__ import annotations

import datetime as dt

import pytest

from caseprep.rules import assess, load_jurisdictions, rank_questions

SHIPPED = load_jurisdictions()
TODAY = dt.date(2026, 11, 25)
POSTED = {"content.kinds": ["intimate_image"], "content.shared_with_consent": False,
          "content.made_public_by_victim": False, "incident.posted_on": "2026-06-01"}


def _asked(facts: dict) -> list[str]:
    """What the wizard would ask next over California and federal law."""
    places = [SHIPPED["us-ca"], SHIPPED["us"]]
    assessments = [assess(place, facts, today=TODAY) for place in places]
    return rank_questions(assessments, SHIPPED["us"].catalog, facts)


def _claim(facts: dict):
    routes = assess(SHIPPED["us-ca"], facts, today=TODAY).routes
    return next(route for route in routes if route.id == "ca_civil_1708_85")


def test_who_posted_it_is_asked_before_the_public_concern_question():
    asked = _asked(POSTED)
    assert "perpetrator.relationship" in asked
    assert "distribution.public_concern" in asked
    assert asked.index("perpetrator.relationship") < asked.index("distribution.public_concern")


@pytest.mark.parametrize("who", ["ex_partner", "family", "stranger", "unknown"])
def test_the_public_concern_question_is_never_asked_of_anyone_but_a_news_publisher(who):
    facts = {**POSTED, "perpetrator.relationship": who}
    assert "distribution.public_concern" not in _asked(facts)
    assert _claim(facts).status == "met"


def test_a_news_publisher_is_asked_whether_it_was_news_about_her_public_role():
    facts = {**POSTED, "perpetrator.relationship": "news_media"}
    assert "distribution.public_concern" in _asked(facts)
    claim = _claim(facts)
    assert claim.status == "unknown" and claim.missing_facts == ["distribution.public_concern"]


@pytest.mark.parametrize(("public_concern", "status"), [(True, "not_met"), (False, "met")])
def test_news_about_her_public_role_closes_the_claim(public_concern, status):
    facts = {**POSTED, "perpetrator.relationship": "news_media",
             "distribution.public_concern": public_concern}
    claim = _claim(facts)
    assert claim.status == status
    if public_concern:
        assert any("1708.85(c)(4)" in reason for reason in claim.reasons)


def test_the_exception_is_cited_as_an_exception_never_as_a_ground():
    route = next(r for r in SHIPPED["us-ca"].routes if r.id == "ca_civil_1708_85")
    cited = [c for c in route.citations if c.article.startswith("1708.85(c)(4)")]
    assert len(cited) == 1 and cited[0].role == "exception" and cited[0].confirmed


def _federal(facts: dict, route_id: str):
    routes = assess(SHIPPED["us"], facts, today=TODAY).routes
    return next(route for route in routes if route.id == route_id)


REAL = {**POSTED, "content.commercial_pornography": False, "victim.is_minor": False}


@pytest.mark.parametrize("route_id", ["tida_authentic_publication", "civil_6851"])
def test_the_federal_routes_ask_public_concern_only_of_a_news_publisher(route_id):
    """47 U.S.C. 223(h)(2)(A)(iii) (an element of the offence) and 15 U.S.C. 6851(b)(4)(C) (an
    exception to the claim) are asked the same way as California's 1708.85(c)(4)."""
    assert _federal({**REAL, "perpetrator.relationship": "ex_partner"}, route_id).status == "met"
    news = {**REAL, "perpetrator.relationship": "news_media"}
    assert _federal(news, route_id).missing_facts == ["distribution.public_concern"]
    assert _federal({**news, "distribution.public_concern": True}, route_id).status == "not_met"
    assert _federal({**news, "distribution.public_concern": False}, route_id).status == "met"


def test_the_6851_public_concern_exception_is_cited_as_an_exception():
    route = next(r for r in SHIPPED["us"].routes if r.id == "civil_6851")
    cited = [c for c in route.citations if c.article.startswith("(b)(4)(C)")]
    assert len(cited) == 1 and cited[0].role == "exception" and cited[0].confirmed
