"""Download what you choose (issue 11 item 9) in a real browser: untick documents and the
form still submits; each preview downloads its own document."""

from __future__ import annotations

import io
import zipfile

import pytest

from tests.web.conftest import PASSPHRASE

pytestmark = [pytest.mark.browser, pytest.mark.slow]

FACTS = {
    "content.kinds": ["everyday_photo"], "content.shared_with_consent": False,
    "content.still_online": True, "distribution.platforms": ["telegram", "wechat"],
    "evidence.images_count": 34,
}


@pytest.fixture
def consumer(app):
    """The task queue's consumer, as `caseprep serve` runs it beside the app."""
    from caseprep import tasks

    running = tasks.start_embedded_consumer(app)
    yield running
    running.stop()


@pytest.fixture
def cn_page(app, open_context, live_server, consumer):
    """A page with an open cn case that has routes producing every kind of document."""
    context = open_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.goto(live_server + "/new")
    page.fill('[name="passphrase"]', PASSPHRASE)
    page.fill('[name="passphrase_again"]', PASSPHRASE)
    page.check('[name="lives_in"][value="cn"]')
    with page.expect_navigation():
        page.locator('button[type="submit"].button').click()
    code = page.locator("#case-code").inner_text()
    from caseprep.appshell.extensions import get_db
    from caseprep.cases import service

    with app.app_context():
        case = service.open_case(get_db(), app.config["CASEPREP"], code, PASSPHRASE)
        case.update_facts(FACTS, app.extensions["caseprep.rules"].catalog)
        get_db().commit()
    page.goto(live_server + "/documents/")
    return page


def test_untick_documents_and_download_the_rest(cn_page, artifacts):
    page = cn_page
    boxes = page.locator('input[name="kinds"]')
    assert boxes.count() >= 5
    for box in boxes.all():
        if box.get_attribute("value") not in ("police_report", "evidence_list"):
            box.uncheck()
    page.screenshot(path=str(artifacts / "documents-choose.png"), full_page=True)
    # Several files: made by a background job; its page comes back by itself until ready.
    with page.expect_navigation():
        page.get_by_role("button", name="Download", exact=True).click()
    assert "/documents/jobs/" in page.url
    page.get_by_text("Your documents are ready.").wait_for(timeout=300_000)
    page.screenshot(path=str(artifacts / "documents-job-ready.png"), full_page=True)
    with page.expect_download() as info:
        page.get_by_role("button", name="Download", exact=True).click()
    data = info.value.path().read_bytes()
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    kinds = {n.split("/")[1].split("-")[0] for n in names if n.startswith("documents/")}
    assert kinds == {"police_report", "evidence_list"}


def test_untick_everything_explains_instead_of_blocking(cn_page):
    page = cn_page
    for box in page.locator('input[name="kinds"]').all():
        box.uncheck()
    with page.expect_navigation():
        page.get_by_role("button", name="Download", exact=True).click()
    assert "Choose at least one document." in page.content()


def test_each_preview_has_its_own_pdf_and_docx_buttons(cn_page, artifacts):
    page = cn_page
    with page.expect_navigation():
        page.locator('a[href$="/documents/preview/cn/takedown_notice"]').click()
    page.screenshot(path=str(artifacts / "documents-preview.png"), full_page=True)
    with page.expect_download() as info:
        page.get_by_role("button", name="Download PDF").click()
    assert info.value.suggested_filename.startswith("takedown_notice-")
    assert info.value.suggested_filename.endswith(".pdf")
    assert info.value.path().read_bytes()[:5] == b"%PDF-"
    with page.expect_download() as info:
        page.get_by_role("button", name="Download Word (DOCX)").click()
    assert info.value.suggested_filename.endswith(".docx")
    assert info.value.path().read_bytes()[:2] == b"PK"
