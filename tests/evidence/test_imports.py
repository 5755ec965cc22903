"""Telegram import as a background job: Huey on SQLite and on the real Redis, end to end."""

from __future__ import annotations

import io
import json
import time
import uuid
import zipfile

import pytest
from sqlalchemy import select

from caseprep import tasks
from caseprep.config import load_settings
from caseprep.db import make_engine, make_session_factory
from caseprep.evidence import imports, service, synthetic
from caseprep.evidence.models import EvidenceImport
from tests.evidence import telegram_export as tx
from tests.evidence.conftest import BOTH_DATABASES

SECRET = "s" * 48


def _export_zip(tmp_path, refs_seeds=(1, 2)) -> tuple[bytes, list[tuple[str, bytes]]]:
    """A zipped export with 2 re-posts of reference 1, one of reference 2, 3 other photos."""
    root = tmp_path / "ChatExport_2024-06-01"
    (root / "photos").mkdir(parents=True)
    plan = [(1, "resized", "user7"), (1, "screenshot", "user8"), (2, "mirrored", "user7"),
            (50, None, "user9"), (51, None, "user9"), (52, None, "user7")]
    messages = [tx.message(100, text="hello")]
    for mid, (seed, transform, sender) in enumerate(plan, start=1):
        img = synthetic.scene(seed, size=(300, 400))
        if transform:
            img = synthetic.transform(img, transform, seed)
        rel = f"photos/photo_{mid}@01-06-2024_10-00-00.jpg"
        (root / rel).write_bytes(synthetic.jpeg_bytes(img))
        messages.append(tx.message(mid, sender=f"name {sender}", sender_id=sender, photo=rel,
                                   text=""))
    tx.write_single_chat(root, messages, chat_id=555)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for path in sorted(root.rglob("*")):
            z.write(path, path.relative_to(tmp_path).as_posix())
    refs = [(f"me{seed}.jpg", synthetic.jpeg_bytes(synthetic.scene(seed, size=(300, 400))))
            for seed in refs_seeds]
    return buf.getvalue(), refs


def _reposts(items):
    return [i for i in items if i.get("role") != "reference"]


def _start(db, case, store, tmp_path, data=None, name="export.zip"):
    export, refs = _export_zip(tmp_path)
    return imports.start_import(db, case, store, SECRET, io.BytesIO(data or export), name,
                                [(n, io.BytesIO(b)) for n, b in refs])


def test_import_records_matches_only(db, db_url, case, store, settings, tmp_path):
    import_id, token = _start(db, case, store, tmp_path)
    assert imports.get_import(db, case, import_id)["status"] == "queued"
    engine = make_engine(db_url)
    status = imports.run_import(make_session_factory(engine), store, SECRET, token,
                                settings.instance_path / "work", workers=1)
    engine.dispose()
    assert status == "ready"  # sealed for the case: collected when the case is next open
    job = imports.get_import(db, case, import_id, store)
    assert job["status"] == "done" and job["progress"] == 1000
    summary = job["summary"]
    assert summary["messages"] == 7 and summary["media"] == {"photo": 6}
    assert sorted((m["reference"], m["message_id"]) for m in summary["matches"]) == [
        ("me1.jpg", 1), ("me1.jpg", 2), ("me2.jpg", 3)]
    everything = service.list_items(db, case)
    items = _reposts(everything)
    assert sorted(i.get("telegram")["message_id"] for i in items) == [1, 2, 3]
    # Her photos join the watch list (never counted as posted) once the import succeeded.
    assert sorted(i.get("original_name") for i in everything
                  if i.get("role") == "reference") == ["me1.jpg", "me2.jpg"]
    first = next(i for i in items if i.get("telegram")["message_id"] == 1)
    assert first.kind == "image" and first.get("poster_id") == "user7"
    assert first.get("url") == "https://t.me/c/555/1" and first.has_thumbnail
    assert first.import_id == import_id
    # Only the three matches, her two photos and their thumbnails remain stored: no export,
    # no unmatched photo, no job copy of her photos.
    assert len(list(store.case_dir(case.code).iterdir())) == 10
    assert not any((settings.instance_path / "work").iterdir())


def test_bad_upload_fails_the_job_and_keeps_nothing(db, db_url, case, store, settings,
                                                    tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("../evil.txt", "x")
    import_id, token = _start(db, case, store, tmp_path, data=buf.getvalue())
    engine = make_engine(db_url)
    status = imports.run_import(make_session_factory(engine), store, SECRET, token,
                                settings.instance_path / "work", workers=1)
    engine.dispose()
    assert status == "failed"
    job = imports.get_import(db, case, import_id)
    assert job["error_code"] == "bad_archive"
    assert service.list_items(db, case) == []
    assert list(store.case_dir(case.code).iterdir()) == []


def test_not_an_export_is_refused_at_upload(db, case, store, tmp_path):
    with pytest.raises(imports.ImportRefused):
        _start(db, case, store, tmp_path, data=b"\x89PNG not an export")
    assert db.scalars(select(EvidenceImport)).all() == []


def test_forged_or_foreign_token_does_nothing(db, db_url, store, settings):
    engine = make_engine(db_url)
    assert imports.run_import(make_session_factory(engine), store, SECRET, "forged",
                              settings.instance_path / "work") == "expired"
    engine.dispose()


class _App:
    def __init__(self, settings):
        self.config = {"CASEPREP": settings}


def _wait(result, timeout=30):
    return result.get(blocking=True, timeout=timeout)


def test_huey_sqlite_runs_tasks_in_the_embedded_consumer(tmp_path):
    settings = load_settings({"instance_path": tmp_path / "inst", "env": "testing"})
    settings.prepare_instance()
    tasks.configure(settings)
    consumer = tasks.start_embedded_consumer(_App(settings))
    try:
        assert _wait(tasks.task("ping")({"n": 1})) == {"n": 1}
        assert (tmp_path / "inst" / "tasks.sqlite3").exists()
    finally:
        consumer.stop()


@BOTH_DATABASES
def test_huey_sqlite_runs_a_whole_import(db, db_url, case, store, settings, tmp_path):
    settings.secret_key = SECRET
    settings.database_url = db_url
    tasks.configure(settings)
    consumer = tasks.start_embedded_consumer(_App(settings))
    try:
        import_id, token = _start(db, case, store, tmp_path)
        assert _wait(tasks.enqueue_import(settings, token), timeout=60) == "ready"
    finally:
        consumer.stop()
    assert imports.get_import(db, case, import_id, store)["status"] == "done"
    assert len(_reposts(service.list_items(db, case))) == 3


@pytest.mark.redis
def test_huey_redis_shares_the_queue(redis_url, tmp_path):
    settings = load_settings({"instance_path": tmp_path / "inst", "env": "testing",
                              "redis_url": redis_url})
    settings.prepare_instance()
    huey = tasks.configure(settings, name=f"caseprep-test-{uuid.uuid4().hex[:8]}")
    assert type(huey).__name__ == "RedisHuey"
    # Enqueued by one "server", run by another's consumer: the queue is in Redis.
    result = tasks.task("ping")(json.dumps({"x": 2}))
    assert not (tmp_path / "inst" / "tasks.sqlite3").exists()
    consumer = tasks.start_embedded_consumer(_App(settings))
    try:
        assert json.loads(_wait(result)) == {"x": 2}
    finally:
        consumer.stop()
        huey.storage.flush_all()
        time.sleep(0)


def test_the_evidence_log_collects_a_finished_import_too(db, db_url, case, store, settings,
                                                        tmp_path):
    import_id, token = _start(db, case, store, tmp_path)
    engine = make_engine(db_url)
    assert imports.run_import(make_session_factory(engine), store, SECRET, token,
                              settings.instance_path / "work", workers=1) == "ready"
    engine.dispose()
    assert imports.list_imports(db, case) == [{"id": import_id, "progress": 990,
                                               "status": "running"}]
    assert service.list_items(db, case) == []  # sealed until the case is open with a store
    assert imports.list_imports(db, case, store)[0]["status"] == "done"
    assert len(_reposts(service.list_items(db, case))) == 3
