"""The "leave no trace" page and the quick exit, as the threat model promises them."""

from __future__ import annotations

import re

import pytest

from tests.security.helpers import api_case, web_login


@pytest.mark.parametrize("path", ["/", "/new", "/resume", "/leave-no-trace"])
def test_every_page_links_leave_no_trace_and_quick_exit(client, path):
    html = client.get(path).get_data(as_text=True)
    assert 'href="/leave-no-trace"' in html
    assert 'href="/exit"' in html


@pytest.mark.parametrize("locale", ["en", "zh_Hans"])
def test_leave_no_trace_needs_no_case_and_loads_nothing_from_elsewhere(client, locale):
    response = client.get("/leave-no-trace", headers={"Accept-Language": locale.replace("_", "-")})
    assert response.status_code == 200
    assert "no-store" in response.headers["Cache-Control"]
    html = response.get_data(as_text=True)
    assert "<script>" not in html and "style=" not in html
    for url in re.findall(r'(?:src|href)="([^"]+)"', html):
        assert url.startswith(("/", "#")), f"external resource {url}"


def test_quick_exit_forgets_the_case(app):
    created = api_case(app.test_client())
    browser = app.test_client()
    web_login(browser, created["code"])
    assert browser.get("/wizard/evidence").status_code == 200
    response = browser.get("/exit")
    assert response.status_code in (302, 303)
    assert not response.headers["Location"].startswith("/")  # a neutral site elsewhere
    again = browser.get("/wizard/evidence")
    assert again.status_code in (302, 303)  # back to resume: the session is gone
