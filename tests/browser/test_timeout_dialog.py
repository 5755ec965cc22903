"""The time-out dialog with JavaScript (issue 12, item 5): the closing time in her clock, a
"stay" dialog a few minutes before, the time-out page after. Playwright's clock runs the
page's timers forward; the keep-alive is a real request to the live server."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PASSPHRASE = "a long passphrase for the dialog"


def _open_case(page, base):
    page.goto(base + "/new")
    page.fill('[name="passphrase"]', PASSPHRASE)
    page.fill('[name="passphrase_again"]', PASSPHRASE)
    page.check('[name="lives_in"][value="cn"]')
    with page.expect_navigation():
        page.get_by_role("button", name="Create my case").click()


def test_stay_dialog_then_time_out_page(open_context, live_server, app, artifacts):
    idle = app.config["CASEPREP"].session_idle_minutes * 60
    context = open_context(viewport={"width": 360, "height": 740}, locale="en-US")
    page = context.new_page()
    page.clock.install()
    _open_case(page, live_server)
    page.goto(live_server + "/wizard/what_happened")
    assert page.locator("#session-ends-at").inner_text().strip()  # her clock's time
    dialog = page.get_by_role("dialog", name="Your case will close soon")
    assert not dialog.is_visible()
    page.clock.run_for((idle - 170) * 1000)  # the dialog comes 3 minutes before
    assert dialog.is_visible()
    page.screenshot(path=str(artifacts / "timeout-dialog-en-360.png"))
    with page.expect_response(lambda r: r.url.endswith("/wizard/keep-alive")) as answer:
        dialog.get_by_role("button", name="Stay").click()
    assert answer.value.status == 204
    assert not dialog.is_visible()
    # Staying restarted the clock; left alone, the page goes to the time-out page.
    page.clock.run_for((idle - 170) * 1000)
    assert dialog.is_visible()
    with page.expect_navigation():
        page.clock.run_for(200 * 1000)
    assert "/timed-out" in page.url
    assert context.outside_requests == []


def test_a_link_to_a_route_opens_its_card(open_context, live_server):
    """With JavaScript, "start here" titles open the folded route they link to."""
    context = open_context(viewport={"width": 360, "height": 740}, locale="en-US")
    page = context.new_page()
    _open_case(page, live_server)
    page.goto(live_server + "/wizard/results#route-cn-takedown_platform_notice")
    fold = page.locator("#route-cn-takedown_platform_notice details.route__fold")
    assert fold.evaluate("el => el.open") is True
    assert fold.locator("summary.route__summary").is_visible()  # also out of a folded list
    other = page.locator("#route-cn-civil_portrait_right details.route__fold")
    assert other.evaluate("el => el.open") is False
