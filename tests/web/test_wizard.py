"""The wizard's steps: questions from the catalog, saving, "I don't know", back/next, edit."""

from __future__ import annotations

import re

import pytest

from tests.web.conftest import PASSPHRASE, csrf_token

QUESTION_STEPS = ["what_happened", "who", "where", "evidence", "wellbeing", "goals"]


def _facts(app, code):
    from caseprep.appshell.extensions import get_db
    from caseprep.cases import service

    with app.app_context():
        return service.open_case(get_db(), app.config["CASEPREP"], code, PASSPHRASE).facts()


def _asked(html: str) -> list[str]:
    """The questions a page asks; none when the step was skipped (a redirect, no form)."""
    match = re.search(r'name="asked" value="([^"]*)"', html)
    return match.group(1).split() if match else []


def _post(client, step, data, query=""):
    page = client.get(f"/wizard/{step}{query}").get_data(as_text=True)
    form = {"csrf_token": csrf_token(page), "asked": " ".join(_asked(page)), **data}
    return client.post(f"/wizard/{step}{query}", data=form)


@pytest.mark.parametrize(("number", "step"), list(enumerate(
    ["safety", "jurisdictions", *QUESTION_STEPS], start=1)))
def test_every_step_shows_progress_and_navigation(client, new_case, number, step):
    new_case()
    html = client.get(f"/wizard/{step}").get_data(as_text=True)
    assert f"Step {number} of 9" in html
    assert f'<progress value="{number}" max="9" aria-label="Progress">' in html
    assert 'value="next"' in html
    assert ('value="back"' in html) == (number > 1)


def test_safety_page_explains_quick_exit_and_private_browsing(client, new_case):
    new_case()
    html = client.get("/wizard/safety").get_data(as_text=True)
    assert "Esc" in html and "private window" in html
    response = client.post("/wizard/safety", data={"csrf_token": csrf_token(html), "go": "next"})
    assert response.headers["Location"].endswith("/wizard/jurisdictions")


def test_answers_are_saved_typed_on_every_step(client, new_case, app):
    code = new_case()
    response = _post(client, "what_happened", {
        "f_content__kinds": ["everyday_photo"], "f_content__is_obscene": "yes",
        "f_content__still_online": "no", "f_incident__first_known": "2026-01-10"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/wizard/who")
    facts = _facts(app, code)
    assert facts["content.kinds"] == ["everyday_photo"]
    assert facts["content.is_obscene"] is True
    assert facts["content.still_online"] is False
    assert str(facts["incident.first_known"]) == "2026-01-10"


def test_i_dont_know_keeps_the_fact_unknown(client, new_case, app):
    code = new_case()
    _post(client, "what_happened", {"f_content__is_obscene": "yes"})
    assert _facts(app, code)["content.is_obscene"] is True
    html = client.get("/wizard/what_happened").get_data(as_text=True)
    assert re.search(r'name="f_content__is_obscene"[^>]*value="yes"[^>]*checked|'
                     r'checked[^>]*name="f_content__is_obscene"[^>]*value="yes"', html)
    _post(client, "what_happened", {"f_content__is_obscene": "unknown"})
    assert "content.is_obscene" not in _facts(app, code)


def test_unknown_facts_show_i_dont_know_ticked(client, new_case):
    new_case()
    html = client.get("/wizard/what_happened").get_data(as_text=True)
    assert "I don&#39;t know" in html or "I don't know" in html
    assert re.search(r'<input checked id="f_content__is_obscene-\d+" name="f_content__is_obscene"'
                     r' type="radio" value="unknown">', html)


def test_sections_ask_only_decisive_questions_but_keep_answers(client, new_case):
    new_case()
    who = _asked(client.get("/wizard/who").get_data(as_text=True))
    assert "perpetrator.identified" in who
    assert "perpetrator.group_role" not in who  # no route or document of the case uses it
    where = _asked(client.get("/wizard/where").get_data(as_text=True))
    assert "distribution.for_profit" in where
    # Not obscene: the criminal route is decided, so for-profit no longer matters ...
    _post(client, "what_happened", {"f_content__is_obscene": "no"})
    assert "distribution.for_profit" not in _asked(client.get("/wizard/where")
                                                   .get_data(as_text=True))
    # ... but an answer already given stays visible so it can be changed.
    _post(client, "what_happened", {"f_content__is_obscene": "yes"})
    _post(client, "where", {"f_distribution__for_profit": "no"})
    _post(client, "what_happened", {"f_content__is_obscene": "no"})
    assert "distribution.for_profit" in _asked(client.get("/wizard/where").get_data(as_text=True))


def test_evidence_step_asks_counts_that_a_threshold_needs(client, new_case, app):
    code = new_case()
    html = client.get("/wizard/evidence").get_data(as_text=True)
    assert "evidence.images_count" in _asked(html)
    assert 'type="number"' in html and 'min="0"' in html
    _post(client, "evidence", {"f_evidence__images_count": "34"})
    assert _facts(app, code)["evidence.images_count"] == 34


def test_facts_that_fill_a_document_are_asked_while_a_route_produces_it(client, new_case):
    """No route's condition reads the police's answer; the police report needs it."""
    new_case()
    asked = _asked(client.get("/wizard/evidence").get_data(as_text=True))
    assert "police.reported" in asked
    # Not obscene: the only route of the test jurisdiction that produces a police report
    # closes, and the questions that only filled that report go with it.
    _post(client, "what_happened", {"f_content__is_obscene": "no"})
    asked = _asked(client.get("/wizard/evidence").get_data(as_text=True))
    assert "police.reported" not in asked


def test_police_answer_is_asked_once_she_says_she_reported(client, new_case):
    new_case()
    asked = _asked(client.get("/wizard/evidence").get_data(as_text=True))
    assert "police.reported" in asked and "police.response" not in asked
    # Saying yes opens the follow-up questions on the same page, so she stays on it.
    response = _post(client, "evidence", {"f_police__reported": "yes"})
    assert response.headers["Location"].endswith("/wizard/evidence")
    asked = _asked(client.get("/wizard/evidence").get_data(as_text=True))
    assert {"police.reported", "police.response", "police.response_on"} <= set(asked)
    response = _post(client, "evidence", {"f_police__reported": "yes",
                                          "f_police__response": "receipt"})
    assert response.headers["Location"].endswith("/wizard/wellbeing")
    _post(client, "evidence", {"f_police__reported": "no"})
    asked = _asked(client.get("/wizard/evidence").get_data(as_text=True))
    assert "police.response" not in asked


@pytest.mark.parametrize("value", ["-3", "lots"])
def test_bad_numbers_are_refused_with_a_message(client, new_case, app, value):
    code = new_case()
    response = _post(client, "evidence", {"f_evidence__images_count": value})
    assert response.status_code == 422
    assert 'class="field__error"' in response.get_data(as_text=True)
    assert "evidence.images_count" not in _facts(app, code)


def test_back_saves_and_goes_back(client, new_case, app):
    code = new_case()
    response = _post(client, "who", {"f_perpetrator__identified": "yes", "go": "back"})
    assert response.headers["Location"].endswith("/wizard/what_happened")
    assert _facts(app, code)["perpetrator.identified"] is True


def test_last_question_step_leads_to_results(client, new_case):
    new_case()
    response = _post(client, "goals", {"go": "next"})
    assert response.headers["Location"].endswith("/wizard/results")


def test_edit_from_results_returns_to_results(client, new_case, app):
    code = new_case()
    results = client.get("/wizard/results").get_data(as_text=True)
    link = re.search(r'href="(/wizard/who\?return=results&amp;ask=perpetrator.identified)'
                     r'#f_perpetrator__identified"', results)
    assert link, "results page links to the deciding question"
    page = client.get(link.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert 'value="results"' in page
    response = client.post("/wizard/who?return=results", data={
        "csrf_token": csrf_token(page), "asked": " ".join(_asked(page)),
        "f_perpetrator__identified": "yes", "go": "results"})
    assert response.headers["Location"].endswith("/wizard/results")
    assert _facts(app, code)["perpetrator.identified"] is True


def test_places_step_sets_jurisdictions(client, new_case, app):
    new_case()
    page = client.get("/wizard/jurisdictions").get_data(as_text=True)
    assert "Testland" in page
    bad = client.post("/wizard/jurisdictions", data={
        "csrf_token": csrf_token(page), "lives_in": "elsewhere", "poster_in": "unknown"})
    assert bad.status_code == 422
    assert "does not know the laws" in bad.get_data(as_text=True)
    good = client.post("/wizard/jurisdictions", data={
        "csrf_token": csrf_token(page), "lives_in": "elsewhere", "poster_in": "zz"})
    assert good.status_code == 303
    again = client.get("/wizard/jurisdictions").get_data(as_text=True)
    assert re.search(r'checked[^>]*name="poster_in"[^>]*value="zz"|'
                     r'name="poster_in"[^>]*value="zz"[^>]*checked|'
                     r'<input checked id="poster_in-\d" name="poster_in" type="radio" value="zz">',
                     again)


def test_unknown_step_is_404(client, new_case):
    new_case()
    assert client.get("/wizard/nowhere").status_code == 404


def test_sensitive_questions_come_late_with_the_helplines(client, new_case):
    new_case()
    early = _asked(client.get("/wizard/what_happened").get_data(as_text=True))
    assert "harm.serious_mental_harm" not in early
    page = client.get("/wizard/wellbeing").get_data(as_text=True)
    assert _asked(page) == ["harm.serious_mental_harm"]
    assert "All of them are optional" in page
    helplines = page[page.index('class="card helplines"'):page.index("</section>")]
    assert "Test helpline" in helplines and 'href="tel:12356"' in helplines
    assert "not yet confirmed from an official source" in helplines
    # Evidence comes before it, goals after it.
    response = _post(client, "evidence", {"go": "next"})
    assert response.headers["Location"].endswith("/wizard/wellbeing")


def test_a_step_with_nothing_to_ask_is_skipped(client, new_case):
    new_case()
    # Not identified: the only route reading the sensitive fact closes, so "How you are"
    # has nothing to ask and is skipped in both directions.
    _post(client, "who", {"f_perpetrator__identified": "no"})
    assert _post(client, "evidence", {"go": "next"}).headers["Location"] \
        .endswith("/wizard/goals")
    assert _post(client, "goals", {"go": "back"}).headers["Location"] \
        .endswith("/wizard/evidence")
    response = client.get("/wizard/wellbeing")
    assert response.status_code == 303 and response.headers["Location"].endswith("/goals")


def test_i_dont_know_is_offered_once(app):
    """The catalog's own "unknown" value and the form's "I don't know" are one option."""
    from caseprep.rules import load_catalog
    from caseprep.web.wizard import forms

    fact = load_catalog().facts["perpetrator.relationship"]
    assert "unknown" in fact.values
    with app.test_request_context():
        form = forms.build_form([fact], {}, "en")
        html = str(form[forms.field_name(fact.id)]())
    assert html.count('value="unknown"') == 1
    assert html.count('checked') == 1
