"""Issue 13, High 1: the task queue never holds a key that opens the case.

An import runs through the real embedded Huey consumer on SQLite. Afterwards every sealed
token found anywhere in the queue's files (rows and WAL frames, deleted pages included) is
opened with the server's secret, as an attacker with a copy of the instance folder could,
and every key in it is tried on the case's records and stored files.
"""

from __future__ import annotations

import re

from caseprep import tasks
from caseprep.cases import crypto, records
from caseprep.cases.models import CaseRecord
from caseprep.evidence import imports, service
from tests.evidence.test_imports import SECRET, _App, _start, _wait

_TOKEN = re.compile(rb"[A-Za-z0-9_-]{120,}")


def _queue_tokens(instance) -> list[dict]:
    raw = b"".join(p.read_bytes() for p in instance.glob("tasks.sqlite3*"))
    found = []
    for match in set(_TOKEN.findall(raw)):
        body = crypto.unseal(SECRET, imports.TOKEN_PURPOSE, match.decode())
        if body is not None:
            found.append(body)
    return found


def _opens_case(key: bytes, db, case, store) -> bool:
    for row in db.query(CaseRecord).filter(CaseRecord.case_id == case.case_id):
        try:
            records.open_record(key, case.code, row.name, row.nonce, row.ciphertext)
            return True
        except Exception:  # noqa: BLE001, S112 - any failure means "does not open"
            continue
    for path in store.case_dir(case.code).iterdir():
        try:
            store.read_bytes(case.code, key, path.name)
            return True
        except Exception:  # noqa: BLE001, S112
            continue
    return False


def test_no_queue_row_or_wal_frame_opens_the_case(db, db_url, case, store, settings,
                                                  tmp_path):
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
    # The case has records and files to open: three re-posts and her two photos (watch list).
    assert len(service.list_items(db, case)) == 5

    bodies = _queue_tokens(settings.instance_path)
    assert bodies, "the queue's files should still hold the job's token (the test's premise)"
    for body in bodies:
        keys = [crypto.b64decode_key(v) for v in body.values()
                if isinstance(v, str) and len(crypto.b64decode_key(v)) == crypto.KEY_BYTES]
        assert keys, "the token carries the one-off job key"
        for key in keys:
            assert key != case.data_key
            assert not _opens_case(key, db, case, store)


def test_the_job_key_opens_nothing_once_the_job_ran(db, db_url, case, store, settings,
                                                    tmp_path):
    """Even straight from the token: the inputs it unlocked are gone, the results are
    sealed to a key the case keeps, and the case's own records never used it."""
    from caseprep.db import make_engine, make_session_factory

    import_id, token = _start(db, case, store, tmp_path)
    engine = make_engine(db_url)
    assert imports.run_import(make_session_factory(engine), store, SECRET, token,
                              settings.instance_path / "work", workers=1) == "ready"
    engine.dispose()
    job_key = crypto.b64decode_key(crypto.unseal(SECRET, imports.TOKEN_PURPOSE, token)["key"])
    assert not _opens_case(job_key, db, case, store)
    imports.get_import(db, case, import_id, store)
    assert not _opens_case(job_key, db, case, store)
    # The result key was needed once and is gone with its record.
    assert case.read_record(f"import:{import_id}") is None
