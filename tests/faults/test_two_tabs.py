"""Two tabs saving the same case at once: no answer is lost.

Stale pages: a page loaded before the other tab saved still carries the old values of
every field; saving it must not undo the other tab's answer. Concurrency: two tabs posting
different sections at the same moment, many times, against SQLite and PostgreSQL.
"""

from __future__ import annotations

import threading

import pytest

from tests.security.helpers import api_case, auth, web_login
from tests.security.test_access_control import _hidden_fields


def _facts(app, created):
    return app.test_client().get(f"/api/v1/cases/{created['code']}/facts",
                                 headers=auth(created["token"])).get_json()


def _form(tab, step):
    return _hidden_fields(tab.get(f"/wizard/{step}").get_data(as_text=True))


def test_a_stale_page_does_not_undo_the_other_tabs_answer(app):
    created = api_case(app.test_client())
    tab_a, tab_b = app.test_client(), app.test_client()
    web_login(tab_a, created["code"])
    web_login(tab_b, created["code"])
    form_a, form_b = _form(tab_a, "evidence"), _form(tab_b, "evidence")  # both show nothing
    saved_a = tab_a.post("/wizard/evidence", data={
        **form_a, "f_evidence__images_count": "34", "f_evidence__videos_count": "", "next": "1"})
    saved_b = tab_b.post("/wizard/evidence", data={
        **form_b, "f_evidence__images_count": "", "f_evidence__videos_count": "5", "next": "1"})
    assert saved_a.status_code == saved_b.status_code == 303
    facts = _facts(app, created)
    assert facts.get("evidence.images_count") == 34, facts
    assert facts.get("evidence.videos_count") == 5, facts


def test_a_deliberate_change_in_the_stale_tab_still_wins(app):
    created = api_case(app.test_client())
    tab_a, tab_b = app.test_client(), app.test_client()
    web_login(tab_a, created["code"])
    web_login(tab_b, created["code"])
    form_a, form_b = _form(tab_a, "evidence"), _form(tab_b, "evidence")
    tab_a.post("/wizard/evidence", data={**form_a, "f_evidence__images_count": "34", "next": "1"})
    tab_b.post("/wizard/evidence", data={**form_b, "f_evidence__images_count": "40", "next": "1"})
    assert _facts(app, created)["evidence.images_count"] == 40
    # And clearing an answer on a fresh page removes it.
    fresh = _form(tab_a, "evidence")
    tab_a.post("/wizard/evidence", data={**fresh, "f_evidence__images_count": "", "next": "1"})
    assert "evidence.images_count" not in _facts(app, created)


@pytest.fixture(params=["sqlite", "postgres"])
def any_db_app(request, app_config):
    from caseprep import create_app

    if request.param == "sqlite":
        yield create_app(app_config)
        return
    url = request.getfixturevalue("postgres_schema_url")
    app = create_app({**app_config, "database_url": url})
    yield app
    app.extensions["caseprep.engine"].dispose()


@pytest.mark.slow
def test_two_tabs_posting_at_the_same_moment_lose_nothing(any_db_app):
    app = any_db_app
    created = api_case(app.test_client())
    tabs = {"where": "f_distribution__audience_max", "evidence": "f_evidence__images_count"}
    facts_of = {"where": "distribution.audience_max", "evidence": "evidence.images_count"}
    rounds = 12
    barrier = threading.Barrier(len(tabs))
    errors: list = []

    def tab(step, field):
        client = app.test_client()
        web_login(client, created["code"])
        try:
            for value in range(1, rounds + 1):
                form = _form(client, step)
                barrier.wait(timeout=20)
                response = client.post(f"/wizard/{step}",
                                       data={**form, field: str(value), "next": "1"})
                if response.status_code != 303:
                    errors.append((step, value, response.status_code))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append((step, repr(exc)))
            barrier.abort()

    threads = [threading.Thread(target=tab, args=item) for item in tabs.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    facts = _facts(app, created)
    for step in tabs:
        assert facts.get(facts_of[step]) == rounds, (step, facts)
