"""Issue 17's Californian walk in English: an adult whose former partner posted a nude photo
she had sent only to him. Choosing California assesses the state's routes and the federal
ones side by side; the results say which state's law may apply and that a lawyer must
confirm it. On a phone (360 px, no JavaScript) and on a desktop; screenshots go to
tests/_artifacts/walk-us-ca-*.
"""

from __future__ import annotations

import pytest

from tests.browser.test_wizard_walk import _shot, _walk

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ANSWERS_CA = {
    "f_content__kinds": ["intimate_image"],
    "f_content__is_obscene": "yes",
    "f_content__self_created": "yes",
    "f_content__created_with_consent": "yes",
    "f_content__shared_with_consent": "no",
    "f_content__made_public_by_victim": "no",
    "f_content__commercial_pornography": "no",
    "f_content__still_online": "yes",
    "f_content__face_visible": "yes",
    "f_victim__is_minor": "no",
    "f_incident__first_known": "2026-10-05",
    "f_incident__posted_on": "2026-10-01",
    "f_perpetrator__identified": "yes",
    "f_perpetrator__relationship": "ex_partner",
    "f_distribution__platforms": ["reddit"],
    "f_distribution__for_profit": "no",
    "f_evidence__images_count": "3",
    "f_police__reported": "no",
    "f_goals": ["removal", "compensation"],
}
TEXTS = {"start": "Start a new case", "create": "Create my case",
         "written": "I have written it down. Continue", "next": "Save and continue"}
# A state route and a federal route the answers open, each in its own place's section.
STATE_ROUTE = "#jurisdiction-us-ca #route-us-ca-ca_civil_1708_85"
FEDERAL_ROUTE = "#jurisdiction-us #route-us-civil_6851"
VIEWS = {  # name: (browser context, where the person who shared it lives)
    "360": ({"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True,
             "java_script_enabled": False}, "unknown"),
    "1366": ({"viewport": {"width": 1366, "height": 900}}, "us-tx"),
}


@pytest.mark.parametrize("view", list(VIEWS))
def test_californian_walk_shows_state_and_federal_routes(open_context, live_server, artifacts,
                                                          view):
    options, poster_in = VIEWS[view]
    context = open_context(locale="en-US", **options)
    page = context.new_page()
    prefix = f"walk-us-ca-{view}"
    _walk(page, live_server, TEXTS, {**ANSWERS_CA, "poster_in": poster_in}, artifacts, prefix,
          lives_in="us-ca")
    _shot(page, artifacts, f"{prefix}-99-results")

    # State law first (every state chosen), then federal law, each under its own heading,
    # with a route open in each.
    sections = page.locator("section.jurisdiction h2").all_inner_texts()
    assert sections[0] == "California" and sections[-1] == "United States (federal)", sections
    for route in (STATE_ROUTE, FEDERAL_ROUTE):
        assert "route--met" in page.locator(route).get_attribute("class"), route
    # What to do first: her first goal (removal) opens with an action she can take today,
    # then a California step, each naming its place.
    first = page.locator(".step-first").all_inner_texts()
    assert "Send each platform the removal request" in first[0], first[0]
    assert any("California" in step for step in first), first
    # Which state's law may apply, and that a lawyer must confirm it.
    note = page.locator(".choice-of-law").inner_text()
    assert "California" in note and "a lawyer must confirm" in note.lower()
    if poster_in == "us-tx":
        assert "Texas" in note
        assert page.locator("#jurisdiction-us-tx").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    assert context.outside_requests == []
