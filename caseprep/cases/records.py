"""Encrypted JSON records of a case, read and written with optimistic concurrency.

A write reads the record's current version (under a row lock where the database has them),
applies a change function to the decrypted content, and stores the result only if the
version is still the one it read; otherwise it retries with the fresh content. Two tabs or
two API clients saving at once therefore merge instead of overwriting each other.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from caseprep.cases import crypto
from caseprep.cases.errors import CaseCorrupted, ConcurrentUpdate
from caseprep.cases.models import Case, CaseRecord, utcnow

MAX_ATTEMPTS = 20
RECORD_NAME_MAX = 64


def seal_record(data_key: bytes, code: str, name: str, content: dict) -> tuple[bytes, bytes]:
    plaintext = json.dumps(content, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return crypto.encrypt(data_key, plaintext, crypto.record_aad(code, name))


def open_record(data_key: bytes, code: str, name: str, nonce: bytes, ciphertext: bytes) -> dict:
    try:
        plaintext = crypto.decrypt(data_key, nonce, ciphertext, crypto.record_aad(code, name))
    except crypto.AuthenticationFailed as exc:
        raise CaseCorrupted(f"record {name!r} failed authentication") from exc
    return json.loads(plaintext)


def read_record(db: Session, case_id: int, code: str, data_key: bytes, name: str) -> dict | None:
    row = db.execute(
        select(CaseRecord.nonce, CaseRecord.ciphertext).where(
            CaseRecord.case_id == case_id, CaseRecord.name == name
        )
    ).first()
    if row is None:
        return None
    return open_record(data_key, code, name, bytes(row.nonce), bytes(row.ciphertext))


def change_record(
    db: Session,
    case_id: int,
    code: str,
    data_key: bytes,
    name: str,
    change: Callable[[dict | None], dict],
) -> dict:
    """Apply `change` to the record's content and commit atomically; returns the new content.

    `change` may run more than once (on a lost race) and must be a pure function of its input.
    """
    _check_name(name)
    for attempt in range(MAX_ATTEMPTS):
        try:
            row = db.execute(
                select(CaseRecord.id, CaseRecord.version, CaseRecord.nonce, CaseRecord.ciphertext)
                .where(CaseRecord.case_id == case_id, CaseRecord.name == name)
                .with_for_update()
            ).first()
            current = None
            if row is not None:
                current = open_record(data_key, code, name, bytes(row.nonce), bytes(row.ciphertext))
            content = change(current)
            nonce, ciphertext = seal_record(data_key, code, name, content)
            now = utcnow()
            if row is None:
                db.add(CaseRecord(case_id=case_id, name=name, nonce=nonce, ciphertext=ciphertext,
                                  version=1, updated_at=now))
                db.flush()
            else:
                result = db.execute(
                    update(CaseRecord)
                    .where(CaseRecord.id == row.id, CaseRecord.version == row.version)
                    .values(nonce=nonce, ciphertext=ciphertext, version=row.version + 1,
                            updated_at=now)
                )
                if result.rowcount != 1:
                    db.rollback()
                    _backoff(attempt)
                    continue
            db.execute(
                update(Case).where(Case.id == case_id).values(version=Case.version + 1,
                                                              updated_at=now)
            )
            db.commit()
            return content
        except (IntegrityError, OperationalError):
            # A concurrent insert of the same record, SQLite "database is locked", or a
            # PostgreSQL deadlock: nothing was written; start again from fresh content.
            db.rollback()
            _backoff(attempt)
    raise ConcurrentUpdate(f"record {name!r} could not be saved")


def _check_name(name: str) -> None:
    if not isinstance(name, str) or not name or len(name) > RECORD_NAME_MAX:
        raise ValueError("record names are 1-64 characters")


def _backoff(attempt: int) -> None:
    time.sleep(random.uniform(0, min(0.2, 0.005 * 2**attempt)))
