"""Issue 13, High 4: sessions live on the server, so a copied cookie or token can be ended.

"The abuser" is a second browser holding a copy of her cookie (or of an API token). Every
way of ending a session must end his copy too; the idle limit is the server's, and a page
that refreshes itself does not keep the session alive.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from caseprep.cases.models import CaseSession, utcnow
from tests.security.helpers import PASSPHRASE, api_case, auth, csrf_token, web_login

NEW_PASSPHRASE = "marble kettle 7730 lantern"


def _copy_of(app, browser):
    """A second browser with a copy of `browser`'s session cookie."""
    cookie = browser.get_cookie("caseprep_session")
    thief = app.test_client()
    thief.set_cookie(cookie.key, cookie.value, domain=cookie.domain or "localhost")
    return thief


def _open(browser) -> bool:
    return browser.get("/case").status_code == 200


def _signed_in(app):
    created = api_case(app.test_client())
    browser = app.test_client()
    web_login(browser, created["code"])
    thief = _copy_of(app, browser)
    assert _open(browser) and _open(thief), "the copy works before (the test's premise)"
    return created, browser, thief


def _post(browser, path, page="/case", **data):
    token = csrf_token(browser.get(page).get_data(as_text=True))
    return browser.post(path, data={"csrf_token": token, **data})


def _close(browser):
    return _post(browser, "/close")


def _quick_exit(browser):
    return browser.get("/exit")


def _sign_out_everywhere(browser):
    return _post(browser, "/case/sign-out-everywhere")


@pytest.mark.parametrize("end", [_close, _quick_exit, _sign_out_everywhere],
                         ids=["close", "quick_exit", "sign_out_everywhere"])
def test_ending_a_session_ends_every_copy_of_its_cookie(app, end):
    _created, browser, thief = _signed_in(app)
    assert end(browser).status_code in (302, 303)
    assert not _open(thief)
    assert not _open(browser)


def test_passphrase_change_signs_out_every_other_browser_and_token(app):
    created, browser, thief = _signed_in(app)
    token = created["token"]
    assert app.test_client().get(f"/api/v1/cases/{created['code']}", headers=auth(token)) \
        .status_code == 200
    response = _post(browser, "/case/passphrase", current=PASSPHRASE,
                     passphrase=NEW_PASSPHRASE, passphrase_again=NEW_PASSPHRASE)
    assert response.status_code == 303
    assert _open(browser), "the browser that changed it stays signed in"
    assert not _open(thief)
    assert app.test_client().get(f"/api/v1/cases/{created['code']}", headers=auth(token)) \
        .status_code == 401


def test_api_passphrase_change_revokes_tokens_and_cookies(app):
    created, browser, thief = _signed_in(app)
    api = app.test_client()
    other = api.post("/api/v1/sessions", json={"code": created["code"],
                                               "passphrase": PASSPHRASE}).get_json()["token"]
    response = api.put(f"/api/v1/cases/{created['code']}/passphrase", headers=auth(other),
                       json={"old_passphrase": PASSPHRASE, "new_passphrase": NEW_PASSPHRASE})
    assert response.status_code == 204
    for token in (created["token"], other):
        assert api.get(f"/api/v1/cases/{created['code']}", headers=auth(token)) \
            .status_code == 401
    assert not _open(thief) and not _open(browser)


def _set_sessions(app, **values) -> None:
    from caseprep.appshell.extensions import get_db

    with app.app_context():
        db = get_db()
        db.execute(update(CaseSession).values(**values))
        db.commit()


def _last_seen(app):
    from caseprep.appshell.extensions import get_db

    with app.app_context():
        return get_db().scalars(select(CaseSession.last_seen_at)).all()


def test_idle_limit_is_enforced_on_the_server_for_every_copy(app):
    _created, browser, thief = _signed_in(app)
    idle = app.config["CASEPREP"].session_idle_minutes * 60
    _set_sessions(app, last_seen_at=utcnow() - timedelta(seconds=idle + 5))
    # The cookie itself carries no clock: only the server's record can say it is idle.
    assert not _open(thief)
    assert not _open(browser)


def test_polling_does_not_keep_a_session_alive(app):
    _created, browser, _thief = _signed_in(app)
    idle = app.config["CASEPREP"].session_idle_minutes * 60
    almost = utcnow() - timedelta(seconds=idle - 30)
    _set_sessions(app, last_seen_at=almost)
    assert browser.get("/case?poll=1").status_code == 200
    assert all(abs((seen - almost).total_seconds()) < 1 for seen in _last_seen(app))
    _set_sessions(app, last_seen_at=utcnow() - timedelta(seconds=idle + 1))
    assert browser.get("/case?poll=1").status_code == 302  # the poll did not save it
    # ... while a real request does count as activity.
    _signed_in_again = _signed_in(app)[1]
    _set_sessions(app, last_seen_at=almost)
    assert _signed_in_again.get("/case").status_code == 200
    assert any((utcnow() - seen).total_seconds() < 5 for seen in _last_seen(app))


def test_a_session_ends_after_its_absolute_lifetime_however_active(app):
    _created, browser, thief = _signed_in(app)
    _set_sessions(app, expires_at=utcnow() - timedelta(seconds=1))
    assert not _open(browser) and not _open(thief)


def test_deleting_the_case_removes_its_sessions(app):
    created, browser, _thief = _signed_in(app)
    response = _post(browser, "/case/delete", passphrase=PASSPHRASE, confirm="y")
    assert response.status_code == 303
    assert _last_seen(app) == []
