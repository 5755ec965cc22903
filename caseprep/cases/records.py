"""Encrypted JSON records of a case, read and written with optimistic concurrency.

A write applies a change function to the record's decrypted content and stores the result
only if the record's version is still the one it started from; otherwise it re-reads (under
a row lock where the database has them) and retries with the fresh content. Two tabs or two
API clients saving at once therefore merge instead of overwriting each other.

The statements are built once at import, on the tables rather than the ORM classes: a
wizard step runs several of them, and building and ORM-compiling them on every call was a
large part of its cost.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row, bindparam, select, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from caseprep.cases import crypto
from caseprep.cases.errors import CaseCorrupted, ConcurrentUpdate
from caseprep.cases.models import Case, CaseRecord, utcnow
from caseprep.db import Base

MAX_ATTEMPTS = 20
RECORD_NAME_MAX = 64

_records = Base.metadata.tables[CaseRecord.__tablename__]
_cases = Base.metadata.tables[Case.__tablename__]

_SELECT_RECORD = select(_records.c.id, _records.c.version, _records.c.nonce,
                        _records.c.ciphertext).where(
    _records.c.case_id == bindparam("case_id"), _records.c.name == bindparam("name"))
_SELECT_RECORD_FOR_UPDATE = _SELECT_RECORD.with_for_update()
_UPDATE_RECORD = update(_records).where(
    _records.c.id == bindparam("record_id"), _records.c.version == bindparam("old_version"),
).values(nonce=bindparam("nonce"), ciphertext=bindparam("ciphertext"),
         version=bindparam("old_version") + 1, updated_at=bindparam("now"))
_BUMP_CASE = update(_cases).where(_cases.c.id == bindparam("case_id")).values(
    version=_cases.c.version + 1, updated_at=bindparam("now"))


@dataclass(frozen=True)
class StoredRecord:
    """A record's row as read: still encrypted, with the version a write must start from."""

    id: int
    version: int
    nonce: bytes
    ciphertext: bytes


def seal_record(data_key: bytes, code: str, name: str,
                content: dict[str, Any]) -> tuple[bytes, bytes]:
    plaintext = json.dumps(content, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return crypto.encrypt(data_key, plaintext, crypto.record_aad(code, name))


def open_record(data_key: bytes, code: str, name: str, nonce: bytes,
                ciphertext: bytes) -> dict[str, Any]:
    try:
        plaintext = crypto.decrypt(data_key, nonce, ciphertext, crypto.record_aad(code, name))
    except crypto.AuthenticationFailed as exc:
        raise CaseCorrupted(f"record {name!r} failed authentication") from exc
    content: dict[str, Any] = json.loads(plaintext)
    return content


def read_record(db: Session, case_id: int, code: str, data_key: bytes,
                name: str) -> dict[str, Any] | None:
    row = db.connection().execute(_SELECT_RECORD, {"case_id": case_id, "name": name}).first()
    if row is None:
        return None
    return open_record(data_key, code, name, bytes(row.nonce), bytes(row.ciphertext))


def change_record(
    db: Session,
    case_id: int,
    code: str,
    data_key: bytes,
    name: str,
    change: Callable[[dict[str, Any] | None], dict[str, Any]],
    known: StoredRecord | None = None,
) -> dict[str, Any]:
    """Apply `change` to the record's content and commit atomically; returns the new content.

    `known` is the record as the caller already read it in this request: the first attempt
    starts from it without reading again, and only a lost race costs a fresh read.
    `change` may run more than once (on a lost race) and must be a pure function of its input.
    """
    _check_name(name)
    conn_params = {"case_id": case_id, "name": name}
    for attempt in range(MAX_ATTEMPTS):
        try:
            row: StoredRecord | None
            if known is not None and attempt == 0:
                row = known
            else:
                found = db.connection().execute(_SELECT_RECORD_FOR_UPDATE, conn_params).first()
                row = _stored(found) if found is not None else None
            current = None
            if row is not None:
                current = open_record(data_key, code, name, row.nonce, row.ciphertext)
            content = change(current)
            nonce, ciphertext = seal_record(data_key, code, name, content)
            now = utcnow()
            if row is None:
                db.add(CaseRecord(case_id=case_id, name=name, nonce=nonce, ciphertext=ciphertext,
                                  version=1, updated_at=now))
                db.flush()
            else:
                result = db.connection().execute(_UPDATE_RECORD, {
                    "record_id": row.id, "old_version": row.version, "nonce": nonce,
                    "ciphertext": ciphertext, "now": now})
                if result.rowcount != 1:
                    db.rollback()
                    if attempt:
                        _backoff(attempt)
                    continue
            db.connection().execute(_BUMP_CASE, {"case_id": case_id, "now": now})
            db.commit()
            return content
        except (IntegrityError, OperationalError):
            # A concurrent insert of the same record, SQLite "database is locked", or a
            # PostgreSQL deadlock: nothing was written; start again from fresh content.
            db.rollback()
            _backoff(attempt)
    raise ConcurrentUpdate(f"record {name!r} could not be saved")


def _stored(row: Row[*tuple[Any, ...]]) -> StoredRecord:
    return StoredRecord(row.id, row.version, bytes(row.nonce), bytes(row.ciphertext))


def _check_name(name: str) -> None:
    if not isinstance(name, str) or not name or len(name) > RECORD_NAME_MAX:
        raise ValueError("record names are 1-64 characters")


def _backoff(attempt: int) -> None:
    time.sleep(random.uniform(0, min(0.2, 0.005 * 2**attempt)))
