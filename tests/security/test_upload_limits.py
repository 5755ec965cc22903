"""Issue 13, item 6: only a signed-in browser may send the import form's large body."""

from __future__ import annotations

import io

import pytest

from tests.security.helpers import api_case, csrf_token, web_login


@pytest.fixture
def app_config(app_config):
    return {**app_config, "max_upload_bytes": 1_000_000, "max_case_bytes": 20_000_000}


def _import_post(client, size, token=""):
    return client.post("/evidence/import", content_type="multipart/form-data", data={
        "csrf_token": token, "export": (io.BytesIO(b"{" + b" " * size + b"}"), "result.json")})


def test_anonymous_large_import_is_refused_before_the_body_is_read(app):
    response = _import_post(app.test_client(), 3_000_000)
    assert response.status_code == 413


def test_signed_in_browser_may_send_more_than_the_per_file_limit(app):
    created = api_case(app.test_client())
    browser = app.test_client()
    web_login(browser, created["code"])
    token = csrf_token(browser.get("/evidence/import").get_data(as_text=True))
    response = _import_post(browser, 3_000_000, token)
    assert response.status_code != 413


def test_uploads_are_rate_limited_per_client(app_config):
    from caseprep import create_app
    from tests.security.helpers import api_upload, png_bytes

    app = create_app({**app_config, "upload_limit_per_client": "3 per minute"})
    created = api_case(app.test_client())
    client = app.test_client()
    statuses = [api_upload(client, created["code"], created["token"], png_bytes(),
                           filename=f"p{i}.png").status_code for i in range(4)]
    assert statuses == [201, 201, 201, 429]
