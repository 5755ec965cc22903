"""The evidence pages: list, add with upload, images only behind a click, edit, delete,
manifest, verify, and the Telegram import with its progress page (no JavaScript needed)."""

from __future__ import annotations

import csv
import hashlib
import io
import re
import time
import zipfile

import pytest

from caseprep import tasks
from caseprep.evidence import synthetic
from tests.evidence import telegram_export as tx

PASSPHRASE = "correct horse battery staple"


def _csrf(html: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or \
        re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF token on the page"
    return match.group(1)


@pytest.fixture
def logged_in(client):
    page = client.get("/new").get_data(as_text=True)
    response = client.post("/new", data={
        "csrf_token": _csrf(page), "passphrase": PASSPHRASE, "passphrase_again": PASSPHRASE,
        "locale": "en", "lives_in": "cn"})
    assert response.status_code == 303, response.get_data(as_text=True)
    return client


def _add(client, **fields):
    token = _csrf(client.get("/evidence/add").get_data(as_text=True))
    return client.post("/evidence/add", data={"csrf_token": token, **fields},
                       content_type="multipart/form-data")


def _jpeg(seed=1) -> bytes:
    return synthetic.jpeg_bytes(synthetic.scene(seed, size=(90, 120)))


def test_pages_need_an_open_case(client):
    for path in ("/evidence/", "/evidence/add", "/evidence/import", "/evidence/manifest.csv"):
        response = client.get(path)
        assert response.status_code == 302 and "/resume" in response.headers["Location"]


def test_add_with_upload_then_list_hides_the_image(logged_in):
    client = logged_in
    data = _jpeg()
    response = _add(client, kind="image", platform="QQ", poster_handle="<b>@x</b>",
                    posted_at="2024-05-01T10:00", file=(io.BytesIO(data), "me <1>.jpg"))
    assert response.status_code == 302
    page = client.get("/evidence/").get_data(as_text=True)
    assert hashlib.sha256(data).hexdigest() in page
    assert "&lt;b&gt;@x&lt;/b&gt;" in page and "<b>@x</b>" not in page  # shown escaped
    assert "me &lt;1&gt;.jpg" in page
    assert "<img" not in page  # thumbnails only behind "Show image"
    link = re.search(r'href="(/evidence/\d+/image)"', page).group(1)
    image_page = client.get(link).get_data(as_text=True)
    src = re.search(r'<img src="([^"]+)"', image_page).group(1)
    thumb = client.get(src)
    assert thumb.status_code == 200 and thumb.mimetype == "image/jpeg"
    assert "no-store" in thumb.headers["Cache-Control"]
    original = client.get(link.replace("/image", "/file"))
    assert original.data == data
    assert original.headers["Content-Disposition"].startswith("attachment")


def test_refused_upload_shows_the_reason_and_keeps_nothing(logged_in):
    client = logged_in
    response = _add(client, kind="image", file=(io.BytesIO(b"%PDF-1.4 x"), "photo.jpg"))
    assert response.status_code == 422
    assert "name ends in .jpg" in response.get_data(as_text=True)
    assert "Nothing recorded yet" in client.get("/evidence/").get_data(as_text=True)


def test_edit_and_delete(logged_in):
    client = logged_in
    _add(client, kind="chat_message", notes="first")
    page = client.get("/evidence/").get_data(as_text=True)
    item_id = re.search(r'/evidence/(\d+)/edit', page).group(1)
    form = client.get(f"/evidence/{item_id}/edit").get_data(as_text=True)
    assert "first" in form
    response = client.post(f"/evidence/{item_id}/edit", data={
        "csrf_token": _csrf(form), "kind": "web_page", "notes": "second"})
    assert response.status_code == 302
    assert "second" in client.get("/evidence/").get_data(as_text=True)
    confirm = client.get(f"/evidence/{item_id}/delete").get_data(as_text=True)
    assert client.post(f"/evidence/{item_id}/delete").status_code == 400  # CSRF needed
    response = client.post(f"/evidence/{item_id}/delete", data={"csrf_token": _csrf(confirm)})
    assert response.status_code == 302
    assert "Nothing recorded yet" in client.get("/evidence/").get_data(as_text=True)


def test_manifest_and_verify_pages(logged_in):
    client = logged_in
    data = b"chat log\n"
    _add(client, kind="document", file=(io.BytesIO(data), "log.txt"))
    rows = list(csv.DictReader(io.StringIO(
        client.get("/evidence/manifest.csv").get_data(as_text=True))))
    assert rows[0]["sha256"] == hashlib.sha256(data).hexdigest()
    assert '"sha256"' in client.get("/evidence/manifest.json").get_data(as_text=True)
    assert "matches its recorded SHA-256" in client.get("/evidence/verify").get_data(as_text=True)


def test_telegram_import_runs_in_the_background_and_reports(app, logged_in, tmp_path):
    client = logged_in
    root = tmp_path / "export"
    (root / "photos").mkdir(parents=True)
    ref = synthetic.scene(3, size=(300, 400))
    (root / "photos" / "a.jpg").write_bytes(synthetic.jpeg_bytes(synthetic.transform(ref,
                                                                                   "resized")))
    (root / "photos" / "b.jpg").write_bytes(synthetic.jpeg_bytes(synthetic.scene(70)))
    tx.write_single_chat(root, [
        tx.message(1, sender="P", sender_id="user5", photo="photos/a.jpg", text=""),
        tx.message(2, sender="Q", sender_id="user6", photo="photos/b.jpg", text="")])
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for path in root.rglob("*"):
            z.write(path, path.relative_to(root).as_posix())
    form = client.get("/evidence/import").get_data(as_text=True)
    response = client.post("/evidence/import", data={
        "csrf_token": _csrf(form), "export": (io.BytesIO(buf.getvalue()), "export.zip"),
        "references": [(io.BytesIO(synthetic.jpeg_bytes(ref)), "mine.jpg")]},
        content_type="multipart/form-data")
    assert response.status_code == 302
    status_url = response.headers["Location"]
    page = client.get(status_url)
    # Comes back by itself, no JavaScript; marked as polling, so it does not keep the
    # session alive while she is away (issue 13, High 4).
    assert page.headers.get("Refresh") == f"3; url={status_url}?poll=1"
    consumer = tasks.start_embedded_consumer(app)
    try:
        for _ in range(200):
            page = client.get(status_url)
            if "Refresh" not in page.headers:
                break
            time.sleep(0.1)
    finally:
        consumer.stop()
    text = page.get_data(as_text=True)
    assert "Finished" in text and "New in this export: 1 re-post of your photos" in text
    listing = client.get("/evidence/").get_data(as_text=True)
    assert "user5" in listing and "user6" not in listing
    assert "Import of a Telegram export" in listing


def test_import_refuses_a_non_export(logged_in):
    client = logged_in
    form = client.get("/evidence/import").get_data(as_text=True)
    response = client.post("/evidence/import", data={
        "csrf_token": _csrf(form), "export": (io.BytesIO(b"\x00\x01binary"), "x.zip")},
        content_type="multipart/form-data")
    assert response.status_code == 422
    assert "Telegram Desktop export" in response.get_data(as_text=True)


def test_import_form_accepts_more_than_the_per_file_limit(app, logged_in):
    client = logged_in
    app.config["MAX_CONTENT_LENGTH"] = 2000
    form = client.get("/evidence/import").get_data(as_text=True)
    body = b'{"name": "c", "type": "private_group", "id": 1, "messages": []}' + b" " * 5000
    response = client.post("/evidence/import", data={
        "csrf_token": _csrf(form), "export": (io.BytesIO(body), "result.json")},
        content_type="multipart/form-data")
    assert response.status_code == 302  # queued, not 413
    token = _csrf(client.get("/evidence/add").get_data(as_text=True))
    response = client.post("/evidence/add", data={
        "csrf_token": token, "kind": "document", "file": (io.BytesIO(b"a" * 5000), "a.txt")},
        content_type="multipart/form-data")
    assert response.status_code == 413
