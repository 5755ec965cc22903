"""Issue 13, item 10: behind TLS every web form works in a real browser.

Over HTTPS Flask-WTF's CSRF check insists on a Referer from this origin; with the app's
old `Referrer-Policy: no-referrer` Chromium sent none and every POST failed with 400. The
app is served here over TLS (a self-signed certificate made for the test) and Chromium
walks the forms: create a case, switch language, add evidence with a file, close, resume,
change the passphrase, sign out everywhere.
"""

from __future__ import annotations

import re
import threading

import pytest
from werkzeug.serving import make_server

from tests.security.helpers import png_bytes
from tests.web.conftest import PASSPHRASE

pytestmark = [pytest.mark.browser]
NEW_PASSPHRASE = "marble kettle 7730 lantern"


@pytest.fixture
def app_config(app_config):
    return {**app_config, "behind_tls": True}


@pytest.fixture
def tls_server(app):
    server = make_server("127.0.0.1", 0, app, threaded=True, ssl_context="adhoc")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"https://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)


def _submit(page, selector="main form button[type=submit]"):
    with page.expect_navigation():
        page.locator(selector).first.click()
    assert "Bad request" not in page.content(), page.url
    return page


def test_every_form_posts_over_https(tls_server, browser, tmp_path):
    context = browser.new_context(ignore_https_errors=True)
    page = context.new_page()
    statuses = []
    page.on("response", lambda r: statuses.append((r.request.method, r.status, r.url)))
    referers = []
    page.on("request", lambda r: r.method == "POST" and referers.append(
        r.headers.get("referer", "")))

    page.goto(tls_server + "/new")
    page.fill('[name="passphrase"]', PASSPHRASE)
    page.fill('[name="passphrase_again"]', PASSPHRASE)
    page.locator('[name="lives_in"]').first.check()
    _submit(page)
    code = page.locator("#case-code").inner_text().strip()
    assert re.fullmatch(r"[0-9A-Z]{4}(-[0-9A-Z]{4}){3}", code)

    page.goto(tls_server + "/evidence/add")
    photo = tmp_path / "photo.png"
    photo.write_bytes(png_bytes())
    page.set_input_files('[name="file"]', str(photo))
    page.locator('[name="kind"]').select_option("image")
    _submit(page)

    _submit(page, "form.close-case button")
    page.goto(tls_server + "/resume")
    page.fill('[name="code"]', code)
    page.fill('[name="passphrase"]', PASSPHRASE)
    _submit(page)

    page.goto(tls_server + "/case")
    page.fill('[name="current"]', PASSPHRASE)
    page.fill('[name="passphrase"]', NEW_PASSPHRASE)
    page.fill('[name="passphrase_again"]', NEW_PASSPHRASE)
    _submit(page, "form[action$='/case/passphrase'] button")
    _submit(page, "form[action$='/case/sign-out-everywhere'] button")

    posts = [(status, url) for method, status, url in statuses if method == "POST"]
    assert len(posts) == 6, posts
    assert all(status in (302, 303) for status, _url in posts), posts
    # What makes it work: the browser sends this site's address, and only to this site.
    assert all(ref.startswith(tls_server + "/") for ref in referers), referers
    context.close()
