"""Quick exit in a real browser: the plain link (no JavaScript) and the Esc key, which also
replaces the page in the history so Back does not return to the case."""

from __future__ import annotations

import pytest

from tests.web.conftest import PASSPHRASE

pytestmark = [pytest.mark.browser]


def _open_case(page, base):
    page.goto(base + "/new")
    page.fill('[name="passphrase"]', PASSPHRASE)
    page.fill('[name="passphrase_again"]', PASSPHRASE)
    page.locator('[name="lives_in"]').first.check()
    with page.expect_navigation():
        page.locator('button[type="submit"].button').click()
    assert page.locator("#case-code").count() == 1


def _session_cookie(context):
    return [c for c in context.cookies() if c["name"] == "caseprep_session" and c["value"]]


@pytest.fixture
def exit_url(app):
    return app.config["CASEPREP"].quick_exit_url


def test_quick_exit_link_works_without_javascript(open_context, live_server, exit_url):
    context = open_context(java_script_enabled=False, viewport={"width": 360, "height": 740})
    page = context.new_page()
    _open_case(page, live_server)
    page.goto(live_server + "/wizard/who")
    assert _session_cookie(context)
    with page.expect_navigation(url=exit_url):
        page.locator("#quick-exit").click()
    assert page.url == exit_url
    assert "Sunny" in page.content()
    assert not _session_cookie(context)
    page.goto(live_server + "/wizard/who")
    assert "/resume" in page.url  # the case is closed in this browser
    assert context.outside_requests == []


def test_escape_key_exits_and_replaces_the_page_in_history(open_context, live_server,
                                                          exit_url):
    context = open_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    _open_case(page, live_server)
    page.goto(live_server + "/wizard/safety")
    page.goto(live_server + "/wizard/who")
    length = page.evaluate("history.length")
    with page.expect_navigation(url=exit_url):
        page.keyboard.press("Escape")
    assert page.evaluate("history.length") == length  # replaced, not pushed
    assert not _session_cookie(context)
    page.go_back()
    assert "/wizard/who" not in page.url  # Back skips the page the person fled from
    assert "/resume" in page.url  # and the case behind it is closed


def test_clicking_quick_exit_with_javascript_replaces_history(open_context, live_server,
                                                             exit_url):
    context = open_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    _open_case(page, live_server)
    page.goto(live_server + "/wizard/who")
    length = page.evaluate("history.length")
    with page.expect_navigation(url=exit_url):
        page.locator("#quick-exit").click()
    assert page.evaluate("history.length") == length
