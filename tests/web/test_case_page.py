"""The case page: change the passphrase, delete the case."""

from __future__ import annotations

import pytest

from tests.web.conftest import PASSPHRASE, csrf_token
from tests.web.test_main_pages import _resume

NEW = "a brand new passphrase"


def _page(client):
    response = client.get("/case")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_case_page_shows_the_code(client, new_case):
    code = new_case()
    assert code in _page(client)


def test_change_passphrase_rewraps_the_key(app, client, new_case):
    code = new_case()
    response = client.post("/case/passphrase", data={
        "csrf_token": csrf_token(_page(client)), "current": PASSPHRASE, "passphrase": NEW,
        "passphrase_again": NEW})
    assert response.status_code == 303
    assert _resume(app.test_client(), code, PASSPHRASE).status_code == 401
    assert _resume(app.test_client(), code, NEW).status_code == 303


def test_change_passphrase_needs_the_current_one(app, client, new_case):
    code = new_case()
    response = client.post("/case/passphrase", data={
        "csrf_token": csrf_token(_page(client)), "current": "not the passphrase",
        "passphrase": NEW, "passphrase_again": NEW})
    assert response.status_code == 403
    assert _resume(app.test_client(), code, PASSPHRASE).status_code == 303


@pytest.mark.parametrize(("passphrase", "confirm", "status"), [
    ("wrong passphrase!", "y", 403),
    (PASSPHRASE, None, 422),
])
def test_delete_needs_passphrase_and_confirmation(app, client, new_case, passphrase, confirm,
                                                  status):
    code = new_case()
    data = {"csrf_token": csrf_token(_page(client)), "passphrase": passphrase}
    if confirm:
        data["confirm"] = confirm
    assert client.post("/case/delete", data=data).status_code == status
    assert _resume(app.test_client(), code, PASSPHRASE).status_code == 303


def test_delete_removes_the_case(app, client, new_case):
    code = new_case()
    response = client.post("/case/delete", data={
        "csrf_token": csrf_token(_page(client)), "passphrase": PASSPHRASE, "confirm": "y"})
    assert response.status_code == 303
    assert client.get("/wizard/results").status_code == 302  # logged out
    assert _resume(app.test_client(), code, PASSPHRASE).status_code == 401  # and gone
