"""Hostile uploads through the pages and the API (the service-level checks are in
tests/evidence/test_upload_checks.py): a clear message, and nothing half-stored."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

import pytest

from tests.security.helpers import api_case, api_upload, auth, csrf_token, jpeg_bytes, web_login


def _bomb_png() -> bytes:
    def chunk(kind, body):
        crc = struct.pack(">I", zlib.crc32(kind + body))
        return struct.pack(">I", len(body)) + kind + body + crc

    w, h = 12000, 12000
    raw = (b"\x00" + b"\x00" * (w // 8)) * h
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 1, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def _polyglot() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("x.html", "<script>alert(1)</script>")
    return jpeg_bytes() + buf.getvalue()


HOSTILE = {
    "zero_byte": ("empty.jpg", b""),
    "html_as_png": ("photo.png", b"<!doctype html><script>alert(1)</script>"),
    "exe_as_jpg": ("photo.jpg", b"MZ\x90\x00" + b"\x00" * 200),
    "polyglot": ("photo.jpg", _polyglot()),
    "truncated": ("photo.jpg", jpeg_bytes(size=(300, 200))[:400]),
    "bomb": ("bomb.png", _bomb_png()),
}


def _store_files(app):
    root = app.config["CASEPREP"].instance_path / "files"
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_api_refuses_with_a_message_and_keeps_nothing(app, client, kind):
    name, data = HOSTILE[kind]
    created = api_case(client)
    response = api_upload(client, created["code"], created["token"], data, filename=name)
    assert response.status_code in (413, 422), response.status_code
    body = response.get_json()
    assert body["error"] == "upload_refused" and len(body["message"]) > 10
    assert _store_files(app) == []
    listing = client.get(f"/api/v1/cases/{created['code']}/evidence",
                         headers=auth(created["token"]))
    assert listing.get_json()["items"] == []


@pytest.mark.parametrize("kind", ["polyglot", "bomb", "html_as_png"])
def test_web_form_refuses_with_a_message_and_keeps_nothing(app, kind):
    name, data = HOSTILE[kind]
    created = api_case(app.test_client())
    browser = app.test_client()
    web_login(browser, created["code"])
    page = browser.get("/evidence/add").get_data(as_text=True)
    response = browser.post("/evidence/add", content_type="multipart/form-data", data={
        "csrf_token": csrf_token(page), "kind": "image", "file": (io.BytesIO(data), name)})
    assert response.status_code in (200, 413, 422)
    html = response.get_data(as_text=True)
    assert 'class="field__error' in html or "error" in html
    assert _store_files(app) == []


def test_request_over_the_size_limit_gets_the_413_page(app_config):
    from caseprep import create_app

    app = create_app({**app_config, "max_upload_bytes": 100_000})
    created = api_case(app.test_client())
    browser = app.test_client()
    web_login(browser, created["code"])
    page = browser.get("/evidence/add").get_data(as_text=True)
    big = b"\xff\xd8\xff" + b"\x00" * (app.config["MAX_CONTENT_LENGTH"] + 10)
    response = browser.post("/evidence/add", content_type="multipart/form-data", data={
        "csrf_token": csrf_token(page), "kind": "image", "file": (io.BytesIO(big), "big.jpg")})
    assert response.status_code == 413
    assert "File too large" in response.get_data(as_text=True)
    assert _store_files(app) == []
    # Between the upload limit and the request limit the store refuses it, also with 413.
    medium = jpeg_bytes() + b"\x00" * 150_000
    api = app.test_client()
    refused = api_upload(api, created["code"], created["token"], medium, filename="m.jpg")
    assert refused.status_code == 413 and refused.get_json()["error"] == "upload_refused"
    assert _store_files(app) == []
