"""A live caseprep (waitress, loopback, free port, own thread) and headless system Chromium.

Chromium is a separate process, so the Python network guard cannot see its traffic: every
request to a host other than loopback is answered locally by a route handler and recorded,
so a test can assert that our pages fetched nothing from outside; the quick exit goes to a
neutral page served on loopback.
"""

from __future__ import annotations

import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ARTIFACTS = Path(__file__).resolve().parents[1] / "_artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 # Route handlers do not see the targets of redirects (the quick exit's
                 # 303), so also make every host name fail to resolve inside Chromium.
                 "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]
NEUTRAL_PAGE = "<!doctype html><title>Weather</title><p>Sunny, 21°</p>"


def _serve(wsgi_app):
    from waitress import create_server

    server = create_server(wsgi_app, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    return server, thread


@pytest.fixture
def neutral_site():
    """Stands in for the quick exit's neutral site (a weather page) on loopback."""

    def weather(environ, start_response):
        start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
        return [NEUTRAL_PAGE.encode()]

    server, thread = _serve(weather)
    yield f"http://127.0.0.1:{server.effective_port}/weather"
    server.close()
    thread.join(timeout=5)


@pytest.fixture
def app_config(app_config, neutral_site):
    return {**app_config, "quick_exit_url": neutral_site, "quick_exit_urls": {}}


@pytest.fixture
def live_server(app):
    server, thread = _serve(app)
    try:
        yield f"http://127.0.0.1:{server.effective_port}"
    finally:
        server.close()
        thread.join(timeout=5)


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def open_context(browser, live_server):
    """New browser contexts whose requests beyond the test server are stubbed and recorded."""
    contexts = []

    def make(**options):
        context = browser.new_context(**options)
        context.outside_requests = []
        def handle(route):
            url = route.request.url
            if urlsplit(url).hostname == "127.0.0.1":
                route.continue_()
            else:
                context.outside_requests.append(url)
                route.fulfill(status=200, content_type="text/html", body=NEUTRAL_PAGE)

        context.route("**/*", handle)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def artifacts():
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
