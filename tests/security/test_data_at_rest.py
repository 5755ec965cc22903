"""Data at rest after the motivating case, through the pages, with uploads, documents and a
Telegram import: neither the database (with its WAL) nor any file under the instance folder,
nor anything left in the temporary folder, holds the narrative, the passphrase, a typed file
name or an uploaded image's bytes in clear."""

from __future__ import annotations

import io
import re
import tempfile
import zipfile

import pytest

from tests.documents.test_web import _through_job
from tests.security.helpers import csrf_token, jpeg_bytes, png_bytes

PASSPHRASE = "saffron glacier 7310 meadowlark"
MARKER = "NARRATIVE-MARKER-b41c9e 她在群里发了我的照片"
FILE_MARKER = "FILENAME-MARKER-77aa"
CHAT_MARKER = "CHAT-MARKER-e5f0a2"
NOTES_MARKER = "NOTES-MARKER-0c3d"


def _jpeg_with_gps() -> bytes:
    """A JPEG whose EXIF carries GPS coordinates and a marker: kept in the original only."""
    from PIL import Image

    image = Image.new("RGB", (320, 240), (120, 80, 40))
    exif = Image.Exif()
    exif[0x010E] = "EXIF-MARKER-93be"  # ImageDescription
    exif[0x8825] = {1: "N", 2: (31.0, 13.0, 44.0), 3: "E", 4: (121.0, 28.0, 10.0)}
    buf = io.BytesIO()
    image.save(buf, "JPEG", exif=exif, quality=95)
    return buf.getvalue()


def _export_zip() -> bytes:
    messages = [{"id": i, "type": "message", "date": "2024-03-01T10:00:00",
                 "date_unixtime": "1709287200", "from": "poster", "from_id": "user9",
                 "text": f"{CHAT_MARKER} {i}", "photo": f"photos/p{i}.jpg"} for i in range(1, 4)]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("export/result.json", _json({"name": "group", "type": "private_supergroup",
                                                "id": 42, "messages": messages}))
        for i in range(1, 4):
            z.writestr(f"export/photos/p{i}.jpg", jpeg_bytes(color=(i * 40, 10, 10)))
    return buf.getvalue()


def _json(data) -> str:
    import json

    return json.dumps(data, ensure_ascii=False)


def _post_form(client, path, fields, files=None):
    page = client.get(path).get_data(as_text=True)
    data = {"csrf_token": csrf_token(page), **fields, **(files or {})}
    return client.post(path, data=data, content_type="multipart/form-data" if files else None)


@pytest.fixture
def private_tmp(tmp_path, monkeypatch):
    folder = tmp_path / "systmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


@pytest.mark.slow
def test_nothing_in_clear_after_the_full_flow(app, client, private_tmp, caplog):
    import logging

    caplog.set_level(logging.DEBUG)
    instance = app.config["CASEPREP"].instance_path
    created = client.post("/new", data={
        "csrf_token": csrf_token(client.get("/new").get_data(as_text=True)),
        "passphrase": PASSPHRASE, "passphrase_again": PASSPHRASE, "locale": "zh_Hans",
        "lives_in": "cn"})
    assert created.status_code == 303, created.get_data(as_text=True)[:500]
    done = client.get(created.headers["Location"]).get_data(as_text=True)
    code = re.search(r'id="case-code">([^<]+)<', done).group(1)

    page = client.get("/wizard/what_happened").get_data(as_text=True)
    from tests.security.test_access_control import _hidden_fields

    answered = client.post("/wizard/what_happened", data={
        **_hidden_fields(page), "f_incident__narrative": MARKER,
        "f_content__kinds": "everyday_photo", "next": "1"})
    assert answered.status_code == 303
    page = client.get("/wizard/evidence").get_data(as_text=True)
    client.post("/wizard/evidence", data={**_hidden_fields(page),
                                          "f_evidence__images_count": "34", "next": "1"})

    images = {f"{FILE_MARKER}-gps.jpg": _jpeg_with_gps(),
              f"{FILE_MARKER}-plain.png": png_bytes(size=(300, 200), color=(9, 99, 199))}
    for name, data in images.items():
        added = _post_form(client, "/evidence/add",
                           {"kind": "image", "notes": NOTES_MARKER, "platform": "Telegram"},
                           {"file": (io.BytesIO(data), name)})
        assert added.status_code in (302, 303), added.get_data(as_text=True)[:500]

    imported = _post_form(client, "/evidence/import", {},
                          {"export": (io.BytesIO(_export_zip()), f"{FILE_MARKER}-export.zip")})
    assert imported.status_code in (200, 302, 303)

    docs = client.get("/documents/").get_data(as_text=True)
    kinds = re.findall(r'name="kinds"[^>]*value="([^"]+)"', docs)
    assert kinds, "no document to generate"
    # Several documents are made by a background job: its queue and result files are part
    # of what is scanned below.
    download = _through_job(app, client, client.post("/documents/download", data={
        "csrf_token": csrf_token(docs), "kinds": kinds[:2], "format": "pdf",
        "translation": "y"}))
    assert download.status_code == 200 and download.data[:4] in (b"%PDF", b"PK\x03\x04")
    assert client.get("/evidence/").status_code == 200  # decrypts everything once more

    needles = {
        "narrative": MARKER.encode(), "narrative (start)": MARKER[:24].encode(),
        "chinese narrative": "她在群里发了我的照片".encode(),
        "passphrase": PASSPHRASE.encode(), "file name": FILE_MARKER.encode(),
        "chat text": CHAT_MARKER.encode(), "notes": NOTES_MARKER.encode(),
        "exif marker": b"EXIF-MARKER-93be",
    }
    for name, data in images.items():
        for offset in (len(data) // 3, len(data) // 2, len(data) - 80):
            needles[f"bytes of {name[-8:]} at {offset}"] = data[offset:offset + 48]
    _check_evidence_metadata(app, client, images)
    logged = caplog.text + "".join(r.getMessage() for r in caplog.records)
    for label in ("narrative", "passphrase", "file name", "chat text", "notes"):
        assert needles[label].decode() not in logged, f"{label} in the logs"
    assert code not in logged, "case code in the logs"
    live = _scan([instance, private_tmp], needles)  # while the server holds the WAL open
    assert "caseprep.sqlite3-wal" in live
    app.extensions["caseprep.engine"].dispose()  # and after it closed the database
    scanned = _scan([instance, private_tmp], needles)
    assert "caseprep.sqlite3" in scanned
    assert len([n for n in scanned if re.fullmatch(r"[0-9a-f]{32}", n)]) >= 4  # files + thumbs


def _check_evidence_metadata(app, client, images):
    """The original keeps its EXIF (it is evidence), encrypted; the thumbnail has none."""
    from PIL import Image

    listing = client.get("/evidence/").get_data(as_text=True)
    ids = sorted(set(int(i) for i in re.findall(r"/evidence/(\d+)/file", listing)))
    assert len(ids) == 2
    gps_original = None
    for item_id in ids:
        original = client.get(f"/evidence/{item_id}/file").data
        if original == images[f"{FILE_MARKER}-gps.jpg"]:
            gps_original = item_id
        thumb = client.get(f"/evidence/{item_id}/thumbnail.jpg")
        assert thumb.status_code == 200
        with Image.open(io.BytesIO(thumb.data)) as image:
            exif = image.getexif()
            assert not exif.get(0x8825) and not exif.get(0x010E), "metadata left in a thumbnail"
            assert b"EXIF-MARKER" not in thumb.data
    assert gps_original is not None, "the original was not kept byte for byte"


def _scan(roots, needles) -> list[str]:
    scanned = []
    for root in roots:
        for path in root.rglob("*"):
            if not path.is_file() or path.suffix in (".mo", ".po"):
                continue
            scanned.append(path.name)
            blob = path.read_bytes()
            for label, needle in needles.items():
                assert needle not in blob, f"{label} in clear in {path.relative_to(root)}"
                assert needle.decode("utf-8", "ignore").encode("utf-16-le") not in blob \
                    or len(needle) < 16 or not needle.isascii()
    return scanned
