"""A lawyer's (or caseworker's) own access to a case: own code, own passphrase, a role.

She creates a grant from her open case; the grant's code and passphrase then open the case
with the `lawyer` role — read and draft, never delete the case, change its passphrase, hand
it off or manage access. The data key is wrapped separately for each grant (scrypt of the
grant's passphrase, bound to the grant's code), so revoking — deleting the grant's row —
leaves nothing that code and passphrase can open, and every signed-in session of the case
is ended so no browser keeps the access. She sees when each grant was last used.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseprep.cases import crypto, sessions
from caseprep.cases.codes import generate_code, normalize_code
from caseprep.cases.errors import InvalidCredentials
from caseprep.cases.models import CaseGrant, utcnow
from caseprep.cases.opened import OpenCase, check_passphrase

OWNER, LAWYER = "owner", "lawyer"
ROLES = (LAWYER,)


@dataclass(frozen=True)
class Grant:
    """A grant as she sees it in her list (no key material)."""

    id: int
    code: str
    role: str
    created_at: datetime
    last_used_at: datetime | None


@dataclass(frozen=True)
class NewGrant:
    """What is shown once, when the grant is made: its code and passphrase."""

    code: str
    passphrase: str


def create(db: Session, settings: crypto.KdfSettings, case: OpenCase, role: str = LAWYER,
           passphrase: str | None = None) -> NewGrant:
    """A new grant on `case` (an OpenCase she opened); its code and passphrase, shown once."""
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    passphrase = passphrase or crypto.readable_secret()
    check_passphrase(passphrase)
    params = crypto.KdfParams.from_settings(settings)
    salt = crypto.new_salt()
    kek = crypto.derive_kek(passphrase, salt, params)
    code = generate_code()
    db.add(CaseGrant(case_id=case.case_id, code=code, role=role,
                     wrapped_key=crypto.wrap_key(kek, case.data_key, code), kdf_salt=salt,
                     kdf_params=params.to_dict(), created_at=utcnow()))
    db.commit()
    return NewGrant(code, passphrase)


def listed(db: Session, case: OpenCase) -> list[Grant]:
    rows = db.scalars(select(CaseGrant).where(CaseGrant.case_id == case.case_id)
                      .order_by(CaseGrant.created_at))
    return [Grant(r.id, r.code, r.role, r.created_at, r.last_used_at) for r in rows]


def revoke(db: Session, case: OpenCase, grant_id: int) -> bool:
    """Delete the grant (its wrapped key with it) and end every session of the case."""
    row = db.scalars(select(CaseGrant).where(CaseGrant.id == grant_id,
                                             CaseGrant.case_id == case.case_id)).first()
    if row is None:
        return False
    db.delete(row)
    sessions.end_all(db, case.case_id, commit=False)
    db.commit()
    return True


def find(db: Session, code: str) -> CaseGrant | None:
    canonical = normalize_code(code) if isinstance(code, str) else None
    if canonical is None:
        return None
    return db.scalars(select(CaseGrant).where(CaseGrant.code == canonical)).first()


def still_granted(db: Session, grant_id: int) -> bool:
    return db.get(CaseGrant, grant_id) is not None


def open_with(db: Session, grant: CaseGrant, passphrase: str) -> tuple[bytes, str]:
    """(data key, role) for the grant's passphrase; InvalidCredentials otherwise. Records
    the use, so she sees when her lawyer last opened the case."""
    kek = crypto.derive_kek(passphrase if isinstance(passphrase, str) else "",
                            grant.kdf_salt, crypto.KdfParams.from_dict(grant.kdf_params))
    try:
        data_key = crypto.unwrap_key(kek, grant.wrapped_key, grant.code)
    except crypto.AuthenticationFailed as exc:
        raise InvalidCredentials() from exc
    grant.last_used_at = utcnow()
    db.commit()
    return data_key, grant.role
