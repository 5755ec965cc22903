"""Issue 13, "done when": a whole case through a real `caseprep serve`, then a scan.

Create a case, answer, upload 20 MB, import a ZIP export with a reference photo, generate
and download documents, download the 20 MB file, delete the case; stop the server. Then the
instance folder (database, WAL, the task queue, stored files) and the system temp folder are
searched for the narrative marker, the passphrase, the case's data key (raw and base64) and
bytes of every image, and for the marker of the 20 MB file.
"""

from __future__ import annotations

import base64
import io
import json
import re
import secrets
import sqlite3
import time
import zipfile
from pathlib import Path

import pytest
import requests

from caseprep.cases import crypto
from caseprep.evidence import synthetic
from tests.evidence import telegram_export as tx
from tests.faults.live_server import LiveServer
from tests.faults.test_no_plaintext_spill import PASSPHRASE, _body, _SlowMultipart

pytestmark = [pytest.mark.slow]


def _export(tmp_path, marker: str) -> tuple[bytes, bytes, list[bytes]]:
    """A zipped export (one re-post of the reference, one other photo) and the reference."""
    root = tmp_path / "ChatExport"
    (root / "photos").mkdir(parents=True)
    reference = synthetic.scene(5, size=(300, 400))
    photos = [synthetic.jpeg_bytes(synthetic.transform(reference, "resized", 5)),
              synthetic.jpeg_bytes(synthetic.scene(80, size=(300, 400)))]
    messages = [tx.message(1, text=f"posted by {marker}")]
    for i, data in enumerate(photos, start=2):
        (root / "photos" / f"p{i}.jpg").write_bytes(data)
        messages.append(tx.message(i, sender=f"poster {marker}", sender_id="user9",
                                   photo=f"photos/p{i}.jpg", text=""))
    tx.write_single_chat(root, messages, chat_id=777)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for path in sorted(root.rglob("*")):
            z.write(path, path.relative_to(tmp_path).as_posix())
    return buf.getvalue(), synthetic.jpeg_bytes(reference), photos


def _csrf(html: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)


def _slices(data: bytes) -> list[bytes]:
    return [data[len(data) // 3: len(data) // 3 + 48], data[-200:-152]]


def test_after_a_whole_case_nothing_readable_is_left(tmp_path):
    system_tmp = tmp_path / "systmp"
    system_tmp.mkdir()
    instance = tmp_path / "instance"
    server = LiveServer(instance, env={"TMPDIR": str(system_tmp),
                                       "CASEPREP_MAX_UPLOAD_BYTES": str(40 * 1024 * 1024)})
    server.start()
    marker = "NARR" + secrets.token_hex(10)
    file_marker = b"FILE" + secrets.token_hex(10).encode()
    big = _body(file_marker)
    export, reference, photos = _export(tmp_path, marker)
    try:
        browser = requests.Session()
        page = browser.get(server.url("/new")).text
        created = browser.post(server.url("/new"), data={
            "csrf_token": _csrf(page), "passphrase": PASSPHRASE, "passphrase_again": PASSPHRASE,
            "lives_in": "cn", "locale": "en"}, allow_redirects=True)
        code = re.search(r'id="case-code">([^<]+)<', created.text).group(1).strip()
        token = requests.post(server.url("/api/v1/sessions"), json={
            "code": code, "passphrase": PASSPHRASE}).json()["token"]
        api = {"Authorization": f"Bearer {token}"}
        answered = requests.patch(server.url(f"/api/v1/cases/{code}/facts"), headers=api,
                                  json={"incident.narrative": f"what happened {marker}"})
        assert answered.status_code == 200, answered.text[:300]

        boundary = secrets.token_hex(8)
        upload = requests.post(server.url(f"/api/v1/cases/{code}/evidence"),
                               data=_SlowMultipart(big, boundary, delay=0.0), headers={
                                   **api,
                                   "Content-Type": f"multipart/form-data; boundary={boundary}"})
        assert upload.status_code == 201, upload.text[:300]

        form = browser.get(server.url("/evidence/import")).text
        started = browser.post(server.url("/evidence/import"), data={"csrf_token": _csrf(form)},
                               files={"export": ("export.zip", export, "application/zip"),
                                      "references": ("me.jpg", reference, "image/jpeg")})
        assert "/evidence/import/" in started.url, started.status_code
        for _ in range(240):
            status = browser.get(started.url)
            if "Finished." in status.text or "notice--error" in status.text:
                break
            time.sleep(0.5)
        assert "Finished." in status.text
        assert "New in this export: 1 re-post of your photos" in status.text

        documents = requests.post(server.url(f"/api/v1/cases/{code}/documents"), headers=api,
                                  json={"format": "pdf"})
        assert documents.status_code == 200, documents.text[:300]
        item_id = upload.json()["id"]
        download = browser.get(server.url(f"/evidence/{item_id}/file"))
        assert download.content == big

        data_key = _data_key(instance, code)
        deleted = requests.delete(server.url(f"/api/v1/cases/{code}"), headers=api)
        assert deleted.status_code == 204
    finally:
        server.stop()

    needles = {"narrative marker": marker.encode(), "file marker": file_marker,
               "passphrase": PASSPHRASE.encode(), "data key": data_key,
               "data key (base64)": base64.b64encode(data_key),
               "data key (base64url)": base64.urlsafe_b64encode(data_key).rstrip(b"="),
               "data key (hex)": data_key.hex().encode()}
    for i, image in enumerate([reference, *photos]):
        for j, piece in enumerate(_slices(image)):
            needles[f"image {i} bytes {j}"] = piece
    found = [(str(path), what) for folder in (instance, system_tmp)
             for path in Path(folder).rglob("*") if path.is_file()
             for what, needle in needles.items() if needle in path.read_bytes()]
    assert found == []
    assert any(instance.glob("tasks.sqlite3*")), "the queue's files were scanned too"


def _data_key(instance: Path, code: str) -> bytes:
    """The case's data key, unwrapped with the passphrase from the database (for the scan)."""
    with sqlite3.connect(instance / "caseprep.sqlite3") as conn:
        wrapped, salt, params = conn.execute(
            "SELECT wrapped_key, kdf_salt, kdf_params FROM cases WHERE code = ?",
            (code,)).fetchone()
    kdf = crypto.KdfParams.from_dict(json.loads(params))
    return crypto.unwrap_key(crypto.derive_kek(PASSPHRASE, salt, kdf), wrapped, code)
