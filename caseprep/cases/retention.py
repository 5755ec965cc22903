"""Retention: cases not visited for settings.retention_days are deleted completely."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseprep.cases import sessions
from caseprep.cases.models import Case, utcnow
from caseprep.cases.shred import shred_case


def expired_case_ids(db: Session, now: datetime | None = None) -> list[int]:
    return list(db.scalars(select(Case.id).where(Case.expires_at < (now or utcnow()))))


def purge_expired(db: Session, now: datetime | None = None) -> int:
    """Crypto-shred every case past its expiry, and drop sessions past their lifetime;
    returns how many cases were deleted."""
    sessions.purge_ended(db, now)
    count = 0
    for case_id in expired_case_ids(db, now):
        if shred_case(db, case_id):
            count += 1
    return count
