"""Helpers for the attack tests: cases through the API and the pages, small test images."""

from __future__ import annotations

import io
import re

PASSPHRASE = "orchid tunnel 5521 velvet"


def api_case(client, passphrase=PASSPHRASE, jurisdictions=("cn",), locale="en") -> dict:
    """A new case through POST /api/v1/cases: {"code", "token", ...}."""
    response = client.post("/api/v1/cases", json={
        "passphrase": passphrase, "jurisdictions": list(jurisdictions), "locale": locale})
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()


def auth(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert match, "no CSRF token on the page"
    return match.group(1)


def web_login(client, code: str, passphrase: str = PASSPHRASE) -> None:
    """Open a case in `client`'s browser session through the resume form."""
    page = client.get("/resume").get_data(as_text=True)
    response = client.post("/resume", data={"csrf_token": csrf_token(page), "code": code,
                                            "passphrase": passphrase})
    assert response.status_code == 303, response.status_code


def png_bytes(color=(200, 30, 30), size=(64, 48), marker: bytes | None = None) -> bytes:
    """A small PNG; `marker` goes into a text chunk so the bytes can be searched for."""
    from PIL import Image, PngImagePlugin

    info = PngImagePlugin.PngInfo()
    if marker:
        info.add_text("Comment", marker.decode())
    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, "PNG", pnginfo=info)
    return buf.getvalue()


def jpeg_bytes(color=(20, 120, 220), size=(80, 60), quality=90) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, "JPEG", quality=quality)
    return buf.getvalue()


def api_upload(client, code, token, data: bytes, filename="photo.png", **fields):
    form = {"file": (io.BytesIO(data), filename), "kind": "image", **fields}
    return client.post(f"/api/v1/cases/{code}/evidence", data=form, headers=auth(token),
                       content_type="multipart/form-data")
