"""Issue 13, item 9: the small findings of the attack round, one test each."""

from __future__ import annotations

import secrets

import pytest

from caseprep.cases import crypto
from caseprep.cases import service as case_service
from caseprep.config import ConfigError, Settings, estimated_entropy_bits
from tests.security.helpers import PASSPHRASE, api_case, api_upload, csrf_token, web_login


@pytest.mark.parametrize("target", ["/%09/evil.example", "/%0a/evil.example",
                                    "/%0d%0a/evil.example", "/%20/evil.example",
                                    "https://evil.example/", "//evil.example", "/\\evil.example"])
def test_no_open_redirect_after_login(app, target):
    created = api_case(app.test_client())
    browser = app.test_client()
    page = browser.get(f"/resume?next={target}").get_data(as_text=True)
    response = browser.post(f"/resume?next={target}", data={
        "csrf_token": csrf_token(page), "code": created["code"], "passphrase": PASSPHRASE})
    assert response.status_code == 303
    location = response.headers["Location"]
    assert "evil" not in location and location.startswith("/")


def test_csrf_token_is_rotated_at_login(app):
    created = api_case(app.test_client())
    browser = app.test_client()
    before = csrf_token(browser.get("/resume").get_data(as_text=True))
    web_login(browser, created["code"])
    assert browser.post("/close", data={"csrf_token": before}).status_code == 400
    after = csrf_token(browser.get("/case").get_data(as_text=True))
    assert after != before
    assert browser.post("/close", data={"csrf_token": after}).status_code == 303


def test_login_rewraps_the_key_at_the_current_scrypt_cost(app):
    from caseprep.appshell.extensions import get_db
    from caseprep.cases.models import Case

    settings = app.config["CASEPREP"]
    with app.app_context():
        db = get_db()
        old = settings.model_copy(update={"kdf_n": 2**10})
        code = case_service.create_case(db, old, PASSPHRASE, ["cn"], "en").code
        opened = case_service.open_case(db, settings, code, PASSPHRASE)
        row = db.query(Case).filter_by(code=code).one()
        assert crypto.KdfParams.from_dict(row.kdf_params) == \
            crypto.KdfParams.from_settings(settings)
        again = case_service.open_case(db, settings, code, PASSPHRASE)
        assert again.data_key == opened.data_key


def test_deeply_nested_json_is_a_bad_request_not_a_server_error(app):
    app.config["PROPAGATE_EXCEPTIONS"] = False
    client = app.test_client()
    body = "[" * 50_000 + "]" * 50_000
    for path in ("/api/v1/cases", "/api/v1/sessions"):
        response = client.post(path, data=body, content_type="application/json")
        assert response.status_code in (400, 401), (path, response.status_code)


@pytest.mark.parametrize("key", [" " * 32, "a" * 64, "ab" * 20, "0123456789" * 4])
def test_production_refuses_long_but_guessable_secret_keys(key):
    with pytest.raises(ConfigError):
        Settings(env="production", secret_key=key).check()


@pytest.mark.parametrize("make", [lambda: secrets.token_urlsafe(48),
                                  lambda: secrets.token_urlsafe(32),
                                  lambda: secrets.token_hex(32)],
                         ids=["urlsafe-48", "urlsafe-32", "hex-32"])
def test_production_accepts_random_secret_keys(make):
    # Made inside the test: random parameter values differ between pytest-xdist workers,
    # which then refuse to run the session ("different tests were collected").
    key = make()
    Settings(env="production", secret_key=key).check()
    assert estimated_entropy_bits(key) >= 90


def test_api_and_web_share_one_passphrase_policy(app):
    response = app.test_client().post("/api/v1/cases", json={
        "passphrase": "nine char", "jurisdictions": ["cn"], "locale": "en"})
    assert response.status_code == 422
    assert "10" in response.get_json()["message"]


@pytest.mark.parametrize("name", ["invoice.hta", "photo.lnk", "notes.exe", "a.txt.scr"])
def test_downloads_never_keep_a_dangerous_extension(app, name):
    created = api_case(app.test_client())
    response = api_upload(app.test_client(), created["code"], created["token"],
                          b"plain words only\n", filename=name, kind="document")
    if response.status_code != 201:
        return  # refused at upload: nothing to download under that name
    browser = app.test_client()
    web_login(browser, created["code"])
    download = browser.get(f"/evidence/{response.get_json()['id']}/file")
    disposition = download.headers["Content-Disposition"]
    assert name.rsplit(".", 1)[1] not in disposition.lower()
