"""POST /api/v1/cases/{code}/documents: token auth, one file or the packet, stored drafts."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from caseprep.documents import case_documents
from tests.documents.helpers import docx_text, pdf_text

FACTS = {
    "content.kinds": ["everyday_photo"],
    "content.shared_with_consent": False,
    "content.still_online": True,
    "distribution.platforms": ["telegram"],
    "evidence.images_count": 34,
    "incident.narrative": "API-NARRATIVE-MARKER 我的照片被转发。",
}


@pytest.fixture
def case_token(client):
    created = client.post("/api/v1/cases", json={
        "passphrase": "correct horse battery staple", "jurisdictions": ["cn"],
        "locale": "zh_Hans"})
    assert created.status_code == 201, created.get_json()
    code, token = created.get_json()["code"], created.get_json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    assert client.patch(f"/api/v1/cases/{code}/facts", json=FACTS,
                        headers=headers).status_code == 200
    return code, headers


def test_one_kind_in_one_format_is_that_file(client, case_token):
    code, headers = case_token
    response = client.post(f"/api/v1/cases/{code}/documents",
                           json={"kinds": ["civil_complaint"], "format": "docx"},
                           headers=headers)
    assert response.status_code == 200
    assert response.mimetype.endswith("wordprocessingml.document")
    assert "attachment" in response.headers["Content-Disposition"]
    assert "no-store" in response.headers["Cache-Control"]
    text = docx_text(response.data)
    assert "民事起诉状" in text
    # Her first-person account is not pasted into a complaint (the 控告书 appends it).
    assert "API-NARRATIVE-MARKER" not in text


def test_several_kinds_come_back_as_the_packet(client, case_token):
    code, headers = case_token
    response = client.post(f"/api/v1/cases/{code}/documents",
                           json={"kinds": ["police_report", "evidence_list"], "format": "pdf"},
                           headers=headers)
    assert response.status_code == 200 and response.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    names = archive.namelist()
    assert {"index.html", "evidence-manifest.csv", "evidence-manifest.json"} <= set(names)
    pdfs = [n for n in names if n.endswith(".pdf")]
    assert len(pdfs) == 2
    assert "控告书" in pdf_text(archive.read(next(n for n in pdfs if "police" in n)))
    assert json.loads(archive.read("evidence-manifest.json"))["items"] == []


def test_saved_drafts_are_used_and_stored_encrypted(app, client, case_token):
    code, headers = case_token
    from caseprep.api.auth import read_token
    from caseprep.appshell.extensions import get_db
    from caseprep.cases.service import load_case

    with app.test_request_context(headers=headers):
        token_code, key = read_token()
        case = load_case(get_db(), token_code, key)
        case_documents.save_drafts(case, {"claims.amount": "88888", "court": "某某区人民法院"})
        assert case_documents.read_drafts(case)["claims.amount"] == "88888"
        with pytest.raises(ValueError):
            case_documents.save_drafts(case, {"victim.password": "x"})
        get_db().commit()
    response = client.post(f"/api/v1/cases/{code}/documents",
                           json={"kinds": ["civil_complaint"], "format": "html"},
                           headers=headers)
    assert response.status_code == 200
    page = response.data.decode()
    assert "88888" in page and "某某区人民法院" in page
    raw = b"".join(p.read_bytes() for p in app.config["CASEPREP"].instance_path.rglob("*")
                   if p.is_file())
    assert "某某区人民法院".encode() not in raw and b"88888" not in raw


def test_english_ui_adds_a_version_not_for_filing(client, case_token):
    code, headers = case_token
    response = client.post(f"/api/v1/cases/{code}/documents",
                           json={"kinds": ["police_report"], "format": "html", "lang": "en"},
                           headers=headers)
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    english = next(n for n in archive.namelist() if n.endswith("-en.html"))
    assert "not for filing" in archive.read(english).decode()


@pytest.mark.parametrize("body", [
    {"kinds": ["love_letter"]}, {"kinds": "police_report"}, {"format": "exe"},
    {"lang": "fr"}, [],
])
def test_bad_requests_name_the_field(client, case_token, body):
    code, headers = case_token
    response = client.post(f"/api/v1/cases/{code}/documents", json=body, headers=headers)
    assert response.status_code == 422
    assert response.get_json()["error"] == "invalid_field"


def test_an_oversized_body_is_refused_before_parsing(client, case_token):
    code, headers = case_token
    body = '{"kinds": ["police_report"], "pad": "' + "x" * 300_000 + '"}'
    response = client.post(f"/api/v1/cases/{code}/documents", data=body,
                           content_type="application/json", headers=headers)
    assert response.status_code == 413 and response.is_json


def test_token_is_required_and_bound_to_its_case(client, case_token):
    code, headers = case_token
    assert client.post(f"/api/v1/cases/{code}/documents", json={}).status_code == 401
    other = client.post("/api/v1/cases", json={
        "passphrase": "another long passphrase", "jurisdictions": ["us"]}).get_json()
    response = client.post(f"/api/v1/cases/{other['code']}/documents", json={},
                           headers=headers)
    assert response.status_code == 404


def test_openapi_describes_the_route(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    assert "post" in doc["paths"]["/cases/{code}/documents"]


def test_evidence_log_items_appear_in_the_evidence_list(app, client, case_token):
    code, headers = case_token
    from caseprep.api.auth import read_token
    from caseprep.appshell.extensions import get_db
    from caseprep.cases.service import load_case
    from caseprep.evidence import service as evidence_service

    with app.test_request_context(headers=headers):
        token_code, key = read_token()
        case = load_case(get_db(), token_code, key)
        evidence_service.add_item(get_db(), case, None, {
            "kind": "chat_message", "platform": "telegram",
            "url": "https://t.me/c/424242/7", "poster_handle": "@logged_poster",
            "posted_at": "2026-02-03T09:30:00", "notes": "LOGGED-NOTE 群成员 200000"})
        get_db().commit()
    response = client.post(f"/api/v1/cases/{code}/documents",
                           json={"kinds": ["evidence_list"], "format": "docx"},
                           headers=headers)
    text = docx_text(response.data)
    assert "https://t.me/c/424242/7" in text and "@logged_poster" in text
    assert "LOGGED-NOTE 群成员 200000" in text and "聊天消息" in text


def test_pdf_and_docx_together_come_back_as_the_packet(client, case_token):
    code, headers = case_token
    response = client.post(f"/api/v1/cases/{code}/documents",
                           json={"kinds": ["evidence_checklist"], "format": "pdf+docx"},
                           headers=headers)
    assert response.mimetype == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(response.data)).namelist()
    assert "documents/evidence_checklist-cn-zh_Hans.pdf" in names
    assert "documents/evidence_checklist-cn-zh_Hans.docx" in names
