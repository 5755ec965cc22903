"""The server process killed with SIGKILL in the middle of saving answers and of uploads,
then restarted on the same instance folder: the case opens, every acknowledged answer and
upload is there, and no orphan, temporary or plaintext file is left behind."""

from __future__ import annotations

import os
import random
import sqlite3
import threading
import time

import pytest
import requests

from tests.faults.live_server import LiveServer

PASSPHRASE = "cobalt orchard 8832 whistle"
NARRATIVE_MARKER = "NARRATIVE-MARKER-5d1e7b"
INT_FACTS = ["evidence.images_count", "distribution.audience_max",
             "distribution.personal_records_count", "harm.demands_count"]


def _create_case(server: LiveServer) -> tuple[str, str]:
    response = requests.post(server.url("/api/v1/cases"), timeout=10, json={
        "passphrase": PASSPHRASE, "jurisdictions": ["cn"], "locale": "en"})
    assert response.status_code == 201, response.text
    return response.json()["code"], response.json()["token"]


def _token(server: LiveServer, code: str) -> str:
    response = requests.post(server.url("/api/v1/sessions"), timeout=10,
                             json={"code": code, "passphrase": PASSPHRASE})
    assert response.status_code == 200, response.text
    return response.json()["token"]


def _hammer(server, code, token, fact, acknowledged, attempted, stop):
    """PATCH increasing values of one fact until the server dies; remember what was acked."""
    session = requests.Session()
    value = acknowledged.get(fact, 0)
    while not stop.is_set():
        value += 1
        attempted[fact] = value
        try:
            response = session.patch(
                server.url(f"/api/v1/cases/{code}/facts"), timeout=5,
                headers={"Authorization": f"Bearer {token}"},
                json={fact: value, "incident.narrative": f"{NARRATIVE_MARKER} {fact} {value}"})
        except requests.RequestException:
            return
        if response.status_code == 200:
            acknowledged[fact] = value
        else:
            raise AssertionError(f"save failed while the server was up: {response.status_code}")


def _instance_files(instance):
    return [p for p in instance.rglob("*") if p.is_file()]


def _assert_no_plaintext(instance, needles: list[bytes]):
    for path in _instance_files(instance):
        if path.suffix in (".mo", ".po", ".log"):
            continue
        data = path.read_bytes()
        for needle in needles:
            assert needle not in data, f"{needle[:30]!r} in clear in {path.name}"


def _assert_database_intact(instance):
    conn = sqlite3.connect(instance / "caseprep.sqlite3")
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()


@pytest.mark.slow
def test_sigkill_while_saving_answers_loses_nothing_acknowledged(tmp_path):
    instance = tmp_path / "instance"
    server = LiveServer(instance, threads=4).start()
    try:
        code, token = _create_case(server)
        acknowledged: dict[str, int] = {}
        attempted: dict[str, int] = {}
        rng = random.Random(6)
        for _round in range(2):
            stop = threading.Event()
            workers = [threading.Thread(target=_hammer, args=(server, code, token, fact,
                                                              acknowledged, attempted, stop))
                       for fact in INT_FACTS]
            for worker in workers:
                worker.start()
            time.sleep(rng.uniform(0.3, 0.8))
            server.kill9()  # mid-request: four writers are in flight
            stop.set()
            for worker in workers:
                worker.join(timeout=10)
            server.start()
            token = _token(server, code)  # the case opens with its passphrase
            facts = requests.get(server.url(f"/api/v1/cases/{code}/facts"), timeout=10,
                                 headers={"Authorization": f"Bearer {token}"}).json()
            for fact in INT_FACTS:
                # Every acknowledged answer survived; at most the one in flight is newer.
                assert acknowledged.get(fact, 0) <= facts.get(fact, 0) <= attempted[fact], fact
                acknowledged[fact] = facts.get(fact, 0)
        assert sum(acknowledged.values()) > 10, "the writers hardly ran"
    finally:
        server.stop()
    _assert_database_intact(instance)
    _assert_no_plaintext(instance, [NARRATIVE_MARKER.encode(), PASSPHRASE.encode()])
    _assert_log_clean(server, [NARRATIVE_MARKER, PASSPHRASE, code, token])


def _noisy_png(seed: int, size=(700, 700)) -> bytes:
    import io

    from PIL import Image

    rng = random.Random(seed)
    image = Image.frombytes("RGB", size, rng.randbytes(size[0] * size[1] * 3))
    buf = io.BytesIO()
    image.save(buf, "PNG", compress_level=1)
    return buf.getvalue()


def _uploader(server, code, token, images, acknowledged, stop, lock):
    session = requests.Session()
    index = 0
    while not stop.is_set():
        data = images[index % len(images)]
        index += 1
        try:
            response = session.post(
                server.url(f"/api/v1/cases/{code}/evidence"), timeout=20,
                headers={"Authorization": f"Bearer {token}"},
                files={"file": (f"upload-{index}.png", data, "image/png")},
                data={"kind": "image", "notes": "sigkill test"})
        except requests.RequestException:
            return
        assert response.status_code == 201, response.text
        with lock:
            acknowledged.append(response.json()["id"])


@pytest.mark.slow
def test_sigkill_during_uploads_leaves_no_orphan_or_plaintext(tmp_path):
    instance = tmp_path / "instance"
    images = [_noisy_png(seed) for seed in range(3)]
    server = LiveServer(instance, threads=4).start()
    acknowledged: list[int] = []
    lock = threading.Lock()
    try:
        code, token = _create_case(server)
        rng = random.Random(7)
        for _round in range(2):
            stop = threading.Event()
            workers = [threading.Thread(target=_uploader, args=(server, code, token, images,
                                                                acknowledged, stop, lock))
                       for _ in range(2)]
            for worker in workers:
                worker.start()
            time.sleep(rng.uniform(0.4, 1.0))
            server.kill9()
            stop.set()
            for worker in workers:
                worker.join(timeout=20)
            server.start()
            token = _token(server, code)
        listing = requests.get(server.url(f"/api/v1/cases/{code}/evidence"), timeout=10,
                               headers={"Authorization": f"Bearer {token}"}).json()
    finally:
        server.stop()
    stored_ids = {item["id"] for item in listing["items"]}
    assert acknowledged, "no upload finished before the kills"
    assert set(acknowledged) <= stored_ids  # every acknowledged upload is there
    _assert_database_intact(instance)
    _assert_files_match_rows(instance)
    _assert_no_plaintext(instance, [img[1000:1064] for img in images] + [PASSPHRASE.encode()])
    _assert_every_file_decrypts(instance, code, stored_ids)
    _assert_log_clean(server, [PASSPHRASE, code, token, "upload-1.png"])


def _assert_log_clean(server, secrets):
    """The server's own log (stderr: access lines, errors) names none of the case's secrets."""
    log = server.log_text()
    assert "caseprep.access" in log  # the log was written
    for secret in secrets:
        assert secret not in log, f"{secret[:20]!r} in the server log"


def _assert_files_match_rows(instance):
    """Every stored file belongs to an evidence row, and no temporary file is left."""
    conn = sqlite3.connect(instance / "caseprep.sqlite3")
    try:
        names = {n for row in conn.execute("SELECT file_name, thumbnail_name FROM evidence_items")
                 for n in row if n}
    finally:
        conn.close()
    files_root = instance / "files"
    on_disk = {p.name for p in files_root.rglob("*") if p.is_file()} if files_root.exists() \
        else set()
    assert on_disk - names == set(), f"orphan or temporary files: {sorted(on_disk - names)}"
    assert names - on_disk == set(), "rows whose file is missing"


def _assert_every_file_decrypts(instance, code, stored_ids):
    from caseprep import create_app
    from caseprep.appshell.extensions import get_db
    from caseprep.cases import service
    from caseprep.evidence import service as evidence_service
    from caseprep.evidence.filestore import FileStore

    app = create_app({"instance_path": instance, "env": "testing", "kdf_n": 2**10})
    with app.app_context():
        case = service.open_case(get_db(), app.config["CASEPREP"], code, PASSPHRASE)
        store = FileStore.from_settings(app.config["CASEPREP"])
        for item_id in stored_ids:
            _item, fh = evidence_service.open_file(get_db(), case, store, item_id)
            assert fh.read(8) == b"\x89PNG\r\n\x1a\n"
            fh.close()
    os.environ.pop("CASEPREP_INSTANCE_PATH", None)
