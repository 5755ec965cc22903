"""A lawyer's own access (issue 15): own code and passphrase, read and draft only, last use
shown to her, and revoked so that nothing of it opens the case any more."""

from __future__ import annotations

import re

from tests.web.conftest import PASSPHRASE, csrf_token


def _give_access(client) -> tuple[str, str]:
    page = client.get("/case/access").get_data(as_text=True)
    made = client.post("/case/access", data={"csrf_token": csrf_token(page),
                                             "passphrase": PASSPHRASE})
    assert made.status_code == 200
    html = made.get_data(as_text=True)
    code = re.search(r'id="grant-code">([^<]+)<', html).group(1)
    secret = re.search(r'id="grant-passphrase">([^<]+)<', html).group(1)
    return code, secret


def _sign_in(client, code, passphrase):
    page = client.get("/resume").get_data(as_text=True)
    return client.post("/resume", data={"csrf_token": csrf_token(page), "code": code,
                                        "passphrase": passphrase})


def test_a_lawyer_reads_and_drafts_but_cannot_delete_or_hand_off(app, client, new_case):
    new_case()
    code, secret = _give_access(client)
    lawyer = app.test_client()
    assert _sign_in(lawyer, code, secret).status_code == 303
    assert lawyer.get("/wizard/results").status_code == 200
    assert lawyer.get("/timeline").status_code == 200
    assert "access its owner gave you" in lawyer.get("/case").get_data(as_text=True)
    page = lawyer.get("/timeline").get_data(as_text=True)
    for path in ("/case/delete", "/case/passphrase", "/case/sign-out-everywhere",
                 "/case/handoff", "/case/access"):
        response = lawyer.post(path, data={"csrf_token": csrf_token(page),
                                           "passphrase": secret, "confirm": "y"})
        assert response.status_code == 403, path
    assert lawyer.get("/case/handoff").status_code == 403
    assert lawyer.get("/evidence/1/delete").status_code == 403
    # The API is for the owner's own code only: a lawyer's access gets no token.
    api = app.test_client().post("/api/v1/sessions", json={"code": code, "passphrase": secret})
    assert api.status_code == 401
    # She sees that it was used.
    assert "last used" in client.get("/case/access").get_data(as_text=True)


def test_a_wrong_passphrase_for_the_access_opens_nothing(app, client, new_case):
    new_case()
    code, _secret = _give_access(client)
    assert _sign_in(app.test_client(), code, "not the right one at all").status_code == 401


def test_giving_access_needs_her_passphrase(client, new_case):
    new_case()
    page = client.get("/case/access").get_data(as_text=True)
    refused = client.post("/case/access", data={"csrf_token": csrf_token(page),
                                                "passphrase": "someone else's guess"})
    assert refused.status_code == 403
    assert 'id="grant-code"' not in refused.get_data(as_text=True)


def test_revoked_access_opens_nothing_and_signs_the_lawyer_out(app, client, new_case):
    case_code = new_case()
    code, secret = _give_access(client)
    lawyer = app.test_client()
    _sign_in(lawyer, code, secret)
    assert lawyer.get("/timeline").status_code == 200
    page = client.get("/case/access").get_data(as_text=True)
    grant_id = re.search(r'name="grant_id" value="(\d+)"', page).group(1)
    revoked = client.post("/case/access/revoke", data={"csrf_token": csrf_token(page),
                                                       "grant_id": grant_id})
    assert revoked.status_code == 303
    assert lawyer.get("/timeline").status_code in (302, 303)  # signed out
    assert _sign_in(app.test_client(), code, secret).status_code == 401
    # Her own code still opens her case.
    assert _sign_in(app.test_client(), case_code, PASSPHRASE).status_code == 303
