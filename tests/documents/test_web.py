"""The documents pages: list, preview (user text escaped), edit drafts, download."""

from __future__ import annotations

import io
import re
import time
import zipfile

import pytest

from caseprep.web.documents.views import OPTIONAL_KIND
from tests.documents import helpers
from tests.documents.helpers import pdf_text

PASSPHRASE = "correct horse battery staple"
FACTS = {
    "content.kinds": ["everyday_photo"], "content.shared_with_consent": False,
    "content.still_online": True, "distribution.platforms": ["telegram", "wechat"],
    "evidence.images_count": 34,
}


def _csrf(page: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or \
        re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert match
    return match.group(1)


@pytest.fixture
def cn_case(app, client):
    page = client.get("/new").get_data(as_text=True)
    response = client.post("/new", data={
        "csrf_token": _csrf(page), "passphrase": PASSPHRASE, "passphrase_again": PASSPHRASE,
        "locale": "en", "lives_in": "cn"})
    assert response.status_code == 303
    done = client.get(response.headers["Location"]).get_data(as_text=True)
    code = re.search(r'id="case-code">([^<]+)<', done).group(1)
    from caseprep.cases import service

    with app.app_context():
        from caseprep.appshell.extensions import get_db

        case = service.open_case(get_db(), app.config["CASEPREP"], code, PASSPHRASE)
        case.update_facts(FACTS, app.extensions["caseprep.rules"].catalog)
        get_db().commit()
    return code


def test_documents_page_lists_what_applies_with_previews(client, cn_case):
    page = client.get("/documents/").get_data(as_text=True)
    assert "/documents/preview/cn/civil_complaint" in page
    assert "/documents/preview/cn/takedown_notice" in page
    assert 'name="csrf_token"' in page


def test_edit_drafts_then_preview_shows_them_escaped(client, cn_case):
    page = client.get("/documents/edit").get_data(as_text=True)
    response = client.post("/documents/edit", data={
        "csrf_token": _csrf(page), "narrative": '<script>alert(1)</script> 我的经过',
        "claims_amount": "50000", "victim_name": "李某"})
    assert response.status_code == 302
    assert 'alert(1)' in client.get("/documents/edit").get_data(as_text=True)
    # Her own words: in the police report (the complaint states the facts in its register).
    report = client.get("/documents/preview/cn/police_report").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; 我的经过" in report
    assert "<script>alert(1)" not in report
    preview = client.get("/documents/preview/cn/civil_complaint").get_data(as_text=True)
    assert "<script>alert(1)" not in preview
    assert "50000" in preview and "李某" in preview
    assert "<style>" not in preview and 'style="' not in preview  # CSP: no inline style
    english = client.get("/documents/preview/cn/civil_complaint?lang=en").get_data(as_text=True)
    assert "not for filing" in english


def test_edit_without_csrf_is_refused_and_saves_nothing(client, cn_case):
    response = client.post("/documents/edit", data={"narrative": "NO-CSRF-MARKER"})
    assert response.status_code == 400
    assert "NO-CSRF-MARKER" not in client.get("/documents/edit").get_data(as_text=True)


def _through_job(app, client, response):
    """Follow a download made by a background job: progress page, then the file."""
    from caseprep import tasks

    assert response.status_code == 303, "several files must not be made in the request"
    status_url = response.headers["Location"]
    assert "/documents/jobs/" in status_url
    page = client.get(status_url)
    assert page.headers.get("Refresh") == f"2; url={status_url}?poll=1"
    consumer = tasks.start_embedded_consumer(app)
    try:
        for _ in range(1200):
            page = client.get(status_url)
            if "Refresh" not in page.headers:
                break
            time.sleep(0.1)
    finally:
        consumer.stop()
    text = page.get_data(as_text=True)
    # The download form appears once the job is done (in whatever language the case uses).
    assert f'action="{status_url}/file"' in text, text
    return client.post(status_url + "/file", data={"csrf_token": _csrf(text)})


def test_download_one_document_and_the_packet(app, client, cn_case):
    token = _csrf(client.get("/documents/").get_data(as_text=True))
    one = client.post("/documents/download", data={
        "csrf_token": token, "kinds": ["police_report"], "format": "pdf"})
    assert one.status_code == 200 and one.mimetype == "application/pdf"
    assert "控告书" in pdf_text(one.data)
    packet = _through_job(app, client, client.post("/documents/download", data={
        "csrf_token": token, "kinds": ["evidence_list", "evidence_checklist"],
        "format": "docx", "translation": "y"}))
    assert packet.mimetype == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(packet.data)).namelist()
    assert "index.html" in names
    assert any(n.endswith("-en.docx") for n in names)  # her language, not for filing
    assert any(n.endswith("-zh_Hans.docx") for n in names)


def test_pages_need_an_open_case(client):
    assert client.get("/documents/").status_code in (302, 303)
    assert client.get("/documents/preview/cn/police_report").status_code in (302, 303)


def test_preview_of_an_unknown_kind_or_other_jurisdiction_is_404(client, cn_case):
    assert client.get("/documents/preview/cn/love_letter").status_code == 404
    assert client.get("/documents/preview/us/police_report").status_code == 404


def test_results_page_partial_downloads_everything_that_applies(app, client, cn_case):
    from flask import render_template

    with app.test_request_context():
        markup = render_template("documents/web/_results_link.html")
    assert 'action="/documents/download"' in markup and 'name="all" value="1"' in markup
    token = _csrf(client.get("/documents/").get_data(as_text=True))
    response = _through_job(app, client, client.post(
        "/documents/download", data={"csrf_token": token, "all": "1", "format": "pdf"}))
    assert response.mimetype == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(response.data)).namelist()
    assert any(n.startswith("documents/civil_complaint-cn-zh_Hans") for n in names)
    assert any(n.startswith("documents/takedown_notice-wechat-") for n in names)


def test_edit_form_starts_from_the_wizard_narrative(app, client, cn_case):
    from caseprep.appshell.extensions import get_db
    from caseprep.cases import service

    with app.app_context():
        case = service.open_case(get_db(), app.config["CASEPREP"], cn_case, PASSPHRASE)
        case.update_facts({"incident.narrative": "WIZARD-NARRATIVE 经过"},
                          app.extensions["caseprep.rules"].catalog)
        get_db().commit()
    assert "WIZARD-NARRATIVE 经过" in client.get("/documents/edit").get_data(as_text=True)


def _save_details(client, **fields):
    page = client.get("/documents/edit").get_data(as_text=True)
    response = client.post("/documents/edit", data={"csrf_token": _csrf(page), **fields})
    assert response.status_code == 302


def test_download_form_marks_no_checkbox_required_and_takes_any_subset(app, client, cn_case):
    page = client.get("/documents/").get_data(as_text=True)
    boxes = re.findall(r'<input[^>]*name="kinds"[^>]*>', page)
    offered = {re.search(r'value="([^"]+)"', box).group(1) for box in boxes}
    # The kinds her routes produce (the ones with a preview), each ticked, none `required`.
    assert offered == set(re.findall(r"/documents/preview/cn/([a-z_]+)\"", page))
    assert {"police_report", "evidence_list"} <= offered
    # The timeline is offered for every case but made only when chosen: not ticked.
    assert all("required" not in box for box in boxes)
    ticked = {re.search(r'value="([^"]+)"', box).group(1) for box in boxes if "checked" in box}
    assert ticked == offered - {OPTIONAL_KIND}
    token = _csrf(page)
    two = _through_job(app, client, client.post("/documents/download", data={
        "csrf_token": token, "kinds": ["police_report", "evidence_list"], "format": "pdf"}))
    names = zipfile.ZipFile(io.BytesIO(two.data)).namelist()
    documents = sorted(n.split("/")[1].split("-")[0] for n in names if n.startswith("documents/"))
    assert documents == ["evidence_list", "police_report"]
    none = client.post("/documents/download", data={"csrf_token": token, "format": "pdf"},
                       follow_redirects=True)
    assert "Choose at least one document." in none.get_data(as_text=True)


def test_each_preview_downloads_its_own_document_as_pdf_and_docx(client, cn_case):
    page = client.get("/documents/preview/cn/takedown_notice").get_data(as_text=True)
    # One notice per platform: the preview links to the others.
    assert "/documents/preview/cn/takedown_notice/1" in page
    action = re.search(r'action="(/documents/file/cn/takedown_notice/0[^"]*)"', page).group(1)
    token = _csrf(page)
    pdf = client.post(action.replace("&amp;", "&"), data={"csrf_token": token, "format": "pdf"})
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert pdf.headers["Content-Disposition"].startswith('attachment; filename="takedown_notice-')
    second = client.post("/documents/file/cn/takedown_notice/1",
                         data={"csrf_token": token, "format": "docx"})
    assert second.mimetype == service_media("docx")
    assert helpers.docx_text(second.data)
    assert pdf.headers["Content-Disposition"] != second.headers["Content-Disposition"]
    english = client.post("/documents/file/cn/police_report/0?lang=en",
                          data={"csrf_token": token, "format": "pdf"})
    assert english.headers["Content-Disposition"].endswith('-en.pdf"')
    assert client.post("/documents/file/cn/takedown_notice/9",
                       data={"csrf_token": token, "format": "pdf"}).status_code == 404
    assert client.post("/documents/file/cn/police_report/0",
                       data={"format": "pdf"}).status_code == 400  # no CSRF token


def service_media(fmt: str) -> str:
    from caseprep.documents.service import MEDIA_TYPES

    return MEDIA_TYPES[fmt]


def test_warning_before_download_when_a_document_the_poster_may_see_shows_her_details(
        client, cn_case):
    page = client.get("/documents/").get_data(as_text=True)
    assert "may see these documents" not in page  # nothing of hers filled in yet
    _save_details(client, victim_name="李某", victim_contact="13800001111",
                  victim_id_number="110101199001011234")
    page = client.get("/documents/").get_data(as_text=True)
    warning = re.search(r'<div class="notice notice--warning exposure".*?</div>', page, re.S)
    assert warning, "no warning although her phone and ID are in the drafts"
    text = warning.group(0)
    assert "Takedown notices" in text and "your phone or e-mail" in text
    assert "Evidence checklist" not in text  # for her only
    preview = client.get("/documents/preview/cn/takedown_notice").get_data(as_text=True)
    if "13800001111" in preview:  # the notice prints her phone: its preview warns too
        assert "may see these documents" in preview


def test_the_demand_letters_safety_warning_is_shown_to_her_not_printed_for_him(client,
                                                                             cn_case):
    """A letter can provoke the poster: she is warned on the page before download; the letter
    itself (which he receives) carries no note to her."""
    warning = "A letter to the person who posted can provoke them"
    page = client.get("/documents/").get_data(as_text=True)
    assert "/documents/preview/cn/demand_letter" in page and warning in page
    preview = client.get("/documents/preview/cn/demand_letter").get_data(as_text=True)
    shown, letter = preview.split('<article class="doc-preview"', 1)
    assert warning in shown and warning not in letter
    assert "delete this box" not in letter and "删除本框" not in letter
    other = client.get("/documents/preview/cn/police_report").get_data(as_text=True)
    assert warning not in other


def test_contact_choice_is_saved_and_reaches_the_documents_service(client, cn_case,
                                                                   monkeypatch):
    from caseprep.documents import service

    seen = []
    real = service.build_documents

    def spy(jurisdiction, facts, details=None, *args, **kwargs):
        seen.append(dict(details or {}))
        return real(jurisdiction, facts, details, *args, **kwargs)

    monkeypatch.setattr(service, "build_documents", spy)
    page = client.get("/documents/").get_data(as_text=True)
    assert re.search(r'<input[^>]*name="via_lawyer_only"(?![^>]*checked)[^>]*>', page)
    response = client.post("/documents/contact-choice",
                           data={"csrf_token": _csrf(page), "via_lawyer_only": "y"})
    assert response.status_code == 302
    page = client.get("/documents/").get_data(as_text=True)
    assert re.search(r'<input[^>]*checked[^>]*name="via_lawyer_only"|'
                     r'<input[^>]*name="via_lawyer_only"[^>]*checked', page)
    seen.clear()
    client.get("/documents/preview/cn/police_report")
    assert seen and all(d.get("contact.via_lawyer_only") is True for d in seen)
    seen.clear()
    client.post("/documents/download", data={"csrf_token": _csrf(page),
                                             "kinds": ["police_report"], "format": "pdf"})
    assert seen and all(d.get("contact.via_lawyer_only") is True for d in seen)
    client.post("/documents/contact-choice", data={"csrf_token": _csrf(page)})
    seen.clear()
    client.get("/documents/preview/cn/police_report")
    assert seen and not any("contact.via_lawyer_only" in d for d in seen)


def test_the_queue_holds_no_key_that_opens_the_case_and_the_packet_stays_encrypted(
        app, client, cn_case):
    from caseprep.appshell.extensions import get_db
    from caseprep.cases import crypto
    from caseprep.cases import service as case_service
    from caseprep.documents import generation_job
    from caseprep.evidence.filestore import FileStore
    from caseprep.tasks import get_huey

    settings = app.config["CASEPREP"]
    token = _csrf(client.get("/documents/").get_data(as_text=True))
    started = client.post("/documents/download", data={
        "csrf_token": token, "kinds": ["evidence_list", "police_report"], "format": "pdf"})
    job_id = started.headers["Location"].rsplit("/", 1)[1]
    queued = [t for t in get_huey(settings).pending() if t.name == "caseprep.generate_documents"]
    assert len(queued) == 1
    body = crypto.unseal(app.config["SECRET_KEY"], generation_job.TOKEN_PURPOSE,
                         queued[0].args[0])
    with app.app_context():
        case = case_service.open_case(get_db(), settings, cn_case, PASSPHRASE)
        data_key, code = case.data_key, case.code
    assert crypto.b64decode_key(body["key"]) != data_key
    assert "李某" not in queued[0].args[0] and "@" not in str(body)
    store = FileStore.from_settings(settings)
    assert not store.read_bytes(code, crypto.b64decode_key(body["key"]), body["input"]) \
        .startswith(b"PK")  # her facts and evidence, under the one-off job key
    packet = _through_job(app, client, started)
    assert packet.mimetype == "application/zip"
    assert not store._path(code, body["input"]).exists()  # the job key opens nothing now
    with app.app_context():
        case = case_service.open_case(get_db(), settings, cn_case, PASSPHRASE)
        record = case.read_record(generation_job.RECORD_PREFIX + job_id)
    assert "result_private" not in record  # collected: the result key is under the case
    on_disk = store._path(code, record["blob"]).read_bytes()
    assert b"PK" not in on_disk[:4] and b"documents/" not in on_disk


def test_with_the_contact_choice_the_notices_leave_her_phone_out_and_the_warning_goes(
        client, cn_case):
    _save_details(client, victim_name="李某", victim_contact="13800001111")
    page = client.get("/documents/").get_data(as_text=True)
    assert "may see these documents" in page
    notice = client.get("/documents/preview/cn/takedown_notice").get_data(as_text=True)
    assert "13800001111" in notice
    client.post("/documents/contact-choice",
                data={"csrf_token": _csrf(page), "via_lawyer_only": "y"})
    notice = client.get("/documents/preview/cn/takedown_notice").get_data(as_text=True)
    assert "13800001111" not in notice
    page = client.get("/documents/").get_data(as_text=True)
    warning = re.search(r'<div class="notice notice--warning exposure".*?</div>', page, re.S)
    assert warning is None or "Takedown notices" not in warning.group(0)


def test_a_long_evidence_list_from_its_preview_is_made_by_a_job(app, client, cn_case):
    from caseprep.appshell.extensions import get_db
    from caseprep.cases import service as case_service
    from caseprep.evidence import service as evidence_service

    with app.app_context():
        case = case_service.open_case(get_db(), app.config["CASEPREP"], cn_case, PASSPHRASE)
        for n in range(51):
            evidence_service.add_item(get_db(), case, None, {
                "kind": "screenshot", "platform": "telegram",
                "reference": f"https://t.me/c/1/{n}"}, None, None)
        get_db().commit()
    page = client.get("/documents/preview/cn/evidence_list").get_data(as_text=True)
    started = client.post("/documents/file/cn/evidence_list/0",
                          data={"csrf_token": _csrf(page), "format": "pdf"})
    made = _through_job(app, client, started)
    assert made.mimetype == "application/pdf"
    assert "共51项" in pdf_text(made.data)  # every item of the log


def test_every_kind_of_document_has_a_label_on_the_page():
    from caseprep.documents.model import KINDS
    from caseprep.web.documents.forms import KIND_LABELS

    assert set(KIND_LABELS) == set(KINDS)
