"""XSS payloads in every free-text field are escaped in the pages; Unicode tricks in names
(bidirectional controls, zero-width, very long) are stored as given and shown safely."""

from __future__ import annotations

import io
import re

import pytest

from tests.security.helpers import api_case, api_upload, auth, png_bytes, web_login

PAYLOADS = [
    '<script>alert("x1")</script>',
    '"><img src=x onerror=alert("x2")>',
    "'><svg/onload=alert('x3')>",
    "</textarea><script>alert('x4')</script>",
    "{{ 7*7 }}{% raw %}x5",
    '<a href="javascript:alert(\'x6\')">x6</a>',
]
EVIDENCE_TEXT_FIELDS = ["platform", "url", "message_ref", "poster_handle", "poster_id", "notes"]


def _assert_escaped(html: str, payload: str):
    if any(c in payload for c in "<>\"'"):
        assert payload not in html, "payload unescaped"
    for raw in ("<script>alert", "<img src=x", "<svg/onload", 'href="javascript:'):
        if raw in payload:
            assert raw not in html, f"{raw} reached the page"
    if "{{ 7*7 }}" in payload:  # where it is shown, it is literal, never evaluated
        assert "49{% raw %}x5" not in html and "49x5" not in html


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payloads_in_answers_and_evidence_are_escaped_in_every_page(app, client, payload):
    created = api_case(client)
    code, token = created["code"], created["token"]
    assert client.patch(f"/api/v1/cases/{code}/facts", headers=auth(token),
                        json={"incident.narrative": payload}).status_code == 200
    fields = {name: payload[:90] for name in EVIDENCE_TEXT_FIELDS}
    fields["url"] = "https://t.me/c/1/2?" + payload[:60]  # the field takes web addresses only
    added = api_upload(client, code, token, png_bytes(), **fields)
    assert added.status_code == 201, added.get_data(as_text=True)
    assert added.get_json()["notes"] == payload[:90]  # stored as given
    browser = app.test_client()
    web_login(browser, code)
    pages = ["/wizard/what_happened", "/wizard/results", "/evidence/",
             f"/evidence/{added.get_json()['id']}/edit", "/documents/", "/documents/edit"]
    for path in pages:
        response = browser.get(path)
        assert response.status_code == 200, (path, response.status_code)
        _assert_escaped(response.get_data(as_text=True), payload[:90])


def test_payload_in_the_html_document_is_escaped(app, client):
    created = api_case(client)
    code, token = created["code"], created["token"]
    payload = PAYLOADS[1]
    client.patch(f"/api/v1/cases/{code}/facts", headers=auth(token),
                 json={"incident.narrative": payload, "content.kinds": ["everyday_photo"]})
    response = client.post(f"/api/v1/cases/{code}/documents", headers=auth(token),
                           json={"kinds": ["police_report"], "format": "html"})
    assert response.status_code == 200, response.data[:300]
    if response.data[:2] == b"PK":  # several documents come as the packet
        import zipfile

        with zipfile.ZipFile(io.BytesIO(response.data)) as packet:
            html = "".join(packet.read(n).decode() for n in packet.namelist()
                           if n.endswith(".html"))
    else:
        html = response.get_data(as_text=True)
    assert "&lt;img src=x" in html  # the narrative is in the document, escaped
    assert "<img src=x" not in html


BIDI = "\u202e"  # RIGHT-TO-LEFT OVERRIDE
ZERO_WIDTH = "\u200b\u200d\ufeff"
TRICKY_NAMES = {
    "bidi": f"Li{BIDI}gnp.exe",
    "zero_width": f"Wang{ZERO_WIDTH}Fang",
    "long": "名" * 3000,
    "combining": "Z\u0351\u0357\u0360a\u0300\u0301lgo",
}


@pytest.mark.parametrize("kind", sorted(TRICKY_NAMES))
def test_unicode_tricks_in_names_are_stored_and_shown_safely(app, client, kind):
    created = api_case(client)
    code, token = created["code"], created["token"]
    name = TRICKY_NAMES[kind]
    response = client.post(f"/api/v1/cases/{code}/evidence", headers=auth(token),
                           json={"kind": "chat_message", "poster_handle": name[:200],
                                 "notes": name})
    if kind == "long" and response.status_code == 422:
        # Over a field's limit: refused with a message naming the field, nothing stored.
        assert response.get_json()["field"] in ("poster_handle", "notes")
        listing = client.get(f"/api/v1/cases/{code}/evidence", headers=auth(token))
        assert listing.get_json()["items"] == []
        return
    assert response.status_code == 201, response.get_data(as_text=True)
    assert response.get_json()["poster_handle"] == name[:200]  # stored exactly as given
    browser = app.test_client()
    web_login(browser, code)
    html = browser.get("/evidence/").get_data(as_text=True)
    if BIDI in name:
        # Shown isolated, so the override cannot flip the text around it.
        for match in re.finditer(re.escape(BIDI), html):
            before = html[:match.start()]
            assert before.rfind("<bdi") > before.rfind("</bdi>"), "bidi control not isolated"


@pytest.mark.parametrize("name", [f"photo{BIDI}gnp.exe.png", "../../etc/passwd.png",
                                  "a\x00b.png", "\u200b.png", "x" * 400 + ".png",
                                  "..\\..\\win.png"])
def test_tricky_upload_names_are_refused_with_a_clear_message(client, name):
    created = api_case(client)
    response = api_upload(client, created["code"], created["token"], png_bytes(), filename=name)
    assert response.status_code in (400, 422), response.status_code
    body = response.get_json()
    assert body["message"] and "Traceback" not in body["message"]
    listing = client.get(f"/api/v1/cases/{created['code']}/evidence",
                         headers=auth(created["token"]))
    assert listing.get_json()["items"] == []


def test_web_upload_name_is_escaped(app, client):
    created = api_case(client)
    browser = app.test_client()
    web_login(browser, created["code"])
    from tests.security.helpers import csrf_token

    page = browser.get("/evidence/add").get_data(as_text=True)
    name = "<img src=x onerror=alert(1)>.png"
    browser.post("/evidence/add", content_type="multipart/form-data", data={
        "csrf_token": csrf_token(page), "kind": "image",
        "file": (io.BytesIO(png_bytes()), name)})
    html = browser.get("/evidence/").get_data(as_text=True)
    assert "<img src=x" not in html
