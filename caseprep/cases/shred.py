"""Deleting a case beyond recovery (crypto-shred), and the signal that lets other stores follow.

The case service knows nothing of evidence files: it sends `case_shredding` before the rows
go, and whoever keeps a case's data outside the database subscribes for one database engine
(`caseprep.evidence.service.delete_files_with_cases`, wired by create_app, the worker and the
CLI). A signal, not an import, so the cases package stays below the evidence package.
"""

from __future__ import annotations

import os

from blinker import Namespace
from sqlalchemy import delete, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from caseprep.cases import crypto, sessions
from caseprep.cases.models import Case, CaseRecord

signals = Namespace()
case_shredding = signals.signal("case-shredding")
"""Sent with the database engine as sender and `case` (its Case row) before the rows go."""


def shred_case(db: Session, case_id: int) -> bool:
    """Delete a case beyond recovery (crypto-shred); True if it existed.

    The wrapped key is overwritten with random bytes before the rows go, stores outside the
    database remove the case's data on `case_shredding`, and on SQLite (secure_delete on)
    the WAL is checkpointed and truncated so no old page with the wrapped key or a record
    stays behind.
    """
    case = db.get(Case, case_id)
    if case is None:
        return False
    case_shredding.send(db.get_bind(), case=case)
    db.execute(update(Case).where(Case.id == case_id).values(
        wrapped_key=os.urandom(len(case.wrapped_key)), kdf_salt=os.urandom(crypto.SALT_BYTES)))
    db.execute(delete(CaseRecord).where(CaseRecord.case_id == case_id))
    sessions.end_all(db, case_id, commit=False)
    db.execute(delete(Case).where(Case.id == case_id))
    db.commit()
    db.expunge_all()
    _checkpoint_sqlite(db)
    return True


def _checkpoint_sqlite(db: Session) -> None:
    bind = db.get_bind()
    if bind.dialect.name != "sqlite":
        return
    engine = bind if isinstance(bind, Engine) else bind.engine
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.commit()
