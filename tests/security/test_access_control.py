"""Direct object references and CSRF: one case's token or session never reaches another case,
and a state-changing request without a valid CSRF token changes nothing."""

from __future__ import annotations

import pytest

from tests.security.helpers import (
    PASSPHRASE,
    api_case,
    api_upload,
    auth,
    csrf_token,
    png_bytes,
    web_login,
)


@pytest.fixture
def two_cases(client):
    """Cases A and B, each with an answer and an uploaded image."""
    cases = {}
    for name, count in (("a", 11), ("b", 22)):
        created = api_case(client)
        code, token = created["code"], created["token"]
        assert client.patch(f"/api/v1/cases/{code}/facts", headers=auth(token),
                            json={"evidence.images_count": count}).status_code == 200
        uploaded = api_upload(client, code, token, png_bytes(), filename=f"{name}.png")
        assert uploaded.status_code == 201, uploaded.get_data(as_text=True)
        cases[name] = {"code": code, "token": token, "item": uploaded.get_json()["id"]}
    return cases["a"], cases["b"]


def _b_unchanged(client, b):
    facts = client.get(f"/api/v1/cases/{b['code']}/facts", headers=auth(b["token"]))
    assert facts.status_code == 200
    assert facts.get_json()["evidence.images_count"] == 22
    item = client.get(f"/api/v1/cases/{b['code']}/evidence/{b['item']}", headers=auth(b["token"]))
    assert item.status_code == 200


def test_a_token_cannot_read_change_or_delete_b(client, two_cases):
    a, b = two_cases
    bc, ta = b["code"], auth(a["token"])
    attempts = [
        ("GET", f"/api/v1/cases/{bc}", None),
        ("GET", f"/api/v1/cases/{bc}/facts", None),
        ("PATCH", f"/api/v1/cases/{bc}/facts", {"evidence.images_count": 0}),
        ("GET", f"/api/v1/cases/{bc}/assessment", None),
        ("GET", f"/api/v1/cases/{bc}/evidence", None),
        ("GET", f"/api/v1/cases/{bc}/evidence/{b['item']}", None),
        ("PATCH", f"/api/v1/cases/{bc}/evidence/{b['item']}", {"notes": "x"}),
        ("DELETE", f"/api/v1/cases/{bc}/evidence/{b['item']}", None),
        ("GET", f"/api/v1/cases/{bc}/evidence/manifest", None),
        ("POST", f"/api/v1/cases/{bc}/documents", {"format": "html"}),
        ("DELETE", f"/api/v1/cases/{bc}", None),
        # A's own path with B's item id: the item belongs to B.
        ("GET", f"/api/v1/cases/{a['code']}/evidence/{b['item']}", None),
        ("PATCH", f"/api/v1/cases/{a['code']}/evidence/{b['item']}", {"notes": "x"}),
        ("DELETE", f"/api/v1/cases/{a['code']}/evidence/{b['item']}", None),
    ]
    for method, path, body in attempts:
        response = client.open(path, method=method, json=body, headers=ta)
        assert response.status_code in (403, 404), (method, path, response.status_code)
        assert b"22" not in response.data or method == "POST"
    _b_unchanged(client, b)


def test_token_for_one_case_with_the_other_code_typed_loosely(client, two_cases):
    a, b = two_cases
    loose = b["code"].lower().replace("-", " ")
    response = client.get(f"/api/v1/cases/{loose}/facts", headers=auth(a["token"]))
    assert response.status_code in (403, 404)


@pytest.mark.parametrize("mangle", ["flip", "truncate", "swap_halves", "empty", "garbage"])
def test_forged_or_tampered_tokens_are_refused(client, two_cases, mangle):
    a, _b = two_cases
    token = a["token"]
    forged = {
        "flip": token[:-5] + ("A" if token[-5] != "A" else "B") + token[-4:],
        "truncate": token[: len(token) // 2],
        "swap_halves": token[len(token) // 2:] + token[: len(token) // 2],
        "empty": "",
        "garbage": "x" * 200,
    }[mangle]
    response = client.get(f"/api/v1/cases/{a['code']}/facts", headers=auth(forged))
    assert response.status_code == 401
    assert "11" not in response.get_data(as_text=True)


def test_api_ignores_the_browser_session(client, two_cases):
    """A logged-in browser cannot drive the API with its cookie (no bearer token: 401)."""
    a, _b = two_cases
    web_login(client, a["code"])
    response = client.get(f"/api/v1/cases/{a['code']}/facts")
    assert response.status_code == 401


def test_web_session_of_a_cannot_reach_b_items(app, two_cases):
    a, b = two_cases
    browser = app.test_client()
    web_login(browser, a["code"])
    for path in (f"/evidence/{b['item']}/image", f"/evidence/{b['item']}/thumbnail.jpg",
                 f"/evidence/{b['item']}/file", f"/evidence/{b['item']}/edit",
                 f"/evidence/{b['item']}/delete"):
        response = browser.get(path)
        assert response.status_code == 404, (path, response.status_code)
    page = browser.get("/evidence/add").get_data(as_text=True)
    response = browser.post(f"/evidence/{b['item']}/delete",
                            data={"csrf_token": csrf_token(page)})
    assert response.status_code == 404
    _b_unchanged(app.test_client(), b)


def _logged_in_browser(app):
    created = api_case(app.test_client())
    browser = app.test_client()
    web_login(browser, created["code"])
    return browser, created


def _facts(app, created):
    return app.test_client().get(f"/api/v1/cases/{created['code']}/facts",
                                 headers=auth(created["token"])).get_json()


@pytest.mark.parametrize("token", [None, "", "forged-token-value", "from-another-session"])
def test_wizard_save_without_a_valid_csrf_token_saves_nothing(app, token):
    browser, created = _logged_in_browser(app)
    if token == "from-another-session":
        other, _ = _logged_in_browser(app)
        token = csrf_token(other.get("/resume").get_data(as_text=True))
    url = _narrative_part(browser)
    page = browser.get(url).get_data(as_text=True)
    data = {**_hidden_fields(page), "f_incident__narrative": "CSRF-PLANTED", "next": "1"}
    data.pop("csrf_token", None)
    if token is not None:
        data["csrf_token"] = token
    before = _facts(app, created)
    response = browser.post(url, data=data)
    assert response.status_code == 400
    assert _facts(app, created) == before
    assert "incident.narrative" not in _facts(app, created)


def test_evidence_delete_and_add_without_csrf_change_nothing(app):
    browser, created = _logged_in_browser(app)
    code, token = created["code"], created["token"]
    item = api_upload(app.test_client(), code, token, png_bytes()).get_json()["id"]
    assert browser.post(f"/evidence/{item}/delete", data={}).status_code == 400
    assert browser.post("/evidence/add", data={"kind": "other", "notes": "x"}).status_code == 400
    listing = app.test_client().get(f"/api/v1/cases/{code}/evidence", headers=auth(token))
    assert [i["id"] for i in listing.get_json()["items"]] == [item]


def test_logout_and_resume_without_csrf_are_refused(app):
    browser, created = _logged_in_browser(app)
    assert browser.post("/close", data={}).status_code == 400
    response = browser.post("/resume", data={"code": created["code"], "passphrase": PASSPHRASE})
    assert response.status_code in (200, 400)  # the form is shown again, nobody is logged in
    assert "Location" not in response.headers


def test_the_same_save_with_a_valid_csrf_token_is_kept(app):
    """The control for the CSRF test above: the form and field names are the real ones."""
    browser, created = _logged_in_browser(app)
    url = _narrative_part(browser)
    page = browser.get(url).get_data(as_text=True)
    data = {**_hidden_fields(page), "f_incident__narrative": "CSRF-PLANTED", "next": "1"}
    response = browser.post(url, data=data)
    assert response.status_code in (302, 303)
    assert _facts(app, created)["incident.narrative"] == "CSRF-PLANTED"


def _narrative_part(browser) -> str:
    """The wizard page that asks for her account (a long step comes in parts)."""
    return next(f"/wizard/what_happened?part={n}" for n in range(1, 8)
                if 'name="f_incident__narrative"' in
                browser.get(f"/wizard/what_happened?part={n}").get_data(as_text=True))


def _hidden_fields(page: str) -> dict:
    import re

    fields = {}
    for tag in re.findall(r"<input[^>]*type=\"hidden\"[^>]*>", page):
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if name:
            fields[name.group(1)] = value.group(1) if value else ""
    return fields


@pytest.mark.parametrize("item_id", [2**63, 10**35])
def test_out_of_range_item_ids_are_not_found(app, client, item_id):
    """Found by the API fuzz: an id past 64 bits reached SQLite and gave a 500."""
    created = api_case(client)
    for method in ("GET", "PATCH", "DELETE"):
        response = client.open(f"/api/v1/cases/{created['code']}/evidence/{item_id}",
                               method=method, json={"notes": "x"},
                               headers=auth(created["token"]))
        assert response.status_code == 404, (method, response.status_code)
    browser = app.test_client()
    web_login(browser, created["code"])
    for path in ("file", "thumbnail.jpg", "edit", "image", "delete"):
        assert browser.get(f"/evidence/{item_id}/{path}").status_code == 404
