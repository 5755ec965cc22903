"""Issue 13, item 5: guessing the current passphrase on "change passphrase" is limited per
case, not only per client address, across the web form and the API together."""

from __future__ import annotations

import pytest

from tests.security.helpers import PASSPHRASE, api_case, auth, web_login


@pytest.fixture
def limited_app(app_config):
    from caseprep import create_app

    app = create_app({**app_config, "passphrase_change_limit_per_code": "3 per hour"})
    app.config["WTF_CSRF_ENABLED"] = False  # the CSRF attacks have their own tests
    return app


def _web_guess(browser, ip):
    return browser.post("/case/passphrase", environ_base={"REMOTE_ADDR": ip}, data={
        "current": "not the passphrase", "passphrase": "a brand new phrase 1",
        "passphrase_again": "a brand new phrase 1"})


def _api_guess(client, code, token, ip):
    return client.put(f"/api/v1/cases/{code}/passphrase", headers=auth(token),
                      environ_base={"REMOTE_ADDR": ip},
                      json={"old_passphrase": "not the passphrase",
                            "new_passphrase": "a brand new phrase 1"})


def test_guesses_from_many_addresses_hit_the_per_case_limit(limited_app):
    created = api_case(limited_app.test_client())
    browser = limited_app.test_client()
    web_login(browser, created["code"])
    api = limited_app.test_client()
    assert _web_guess(browser, "10.0.0.1").status_code == 403
    assert _api_guess(api, created["code"], created["token"], "10.0.0.2").status_code == 403
    assert _web_guess(browser, "10.0.0.3").status_code == 403
    # Fourth guess, a fourth address, either door: refused before the passphrase is tried.
    assert _web_guess(browser, "10.0.0.4").status_code == 429
    assert _api_guess(api, created["code"], created["token"], "10.0.0.5").status_code == 429


def test_another_case_is_not_affected(limited_app):
    first = api_case(limited_app.test_client())
    second = api_case(limited_app.test_client())
    api = limited_app.test_client()
    for i in range(4):
        _api_guess(api, first["code"], first["token"], f"10.0.1.{i}")
    response = api.put(f"/api/v1/cases/{second['code']}/passphrase", headers=auth(second["token"]),
                       json={"old_passphrase": PASSPHRASE,
                             "new_passphrase": "a brand new phrase 1"})
    assert response.status_code == 204
