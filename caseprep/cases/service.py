"""The case service: create, open and delete cases. No Flask; the web, API and CLI call this.

The passphrase and the unwrapped data key are never stored: the case row holds the data key
wrapped under scrypt(passphrase), and every record is AES-256-GCM ciphertext under the data key.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, bindparam, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from caseprep.cases import crypto, grants, records
from caseprep.cases.codes import generate_code, normalize_code
from caseprep.cases.errors import CaseNotFound, InvalidCredentials
from caseprep.cases.models import Case, CaseGrant, CaseRecord, utcnow
from caseprep.cases.opened import (
    FACTS,
    META,
    OpenCase,
    check_jurisdictions,
    check_locale,
    check_passphrase,
)
from caseprep.config import Settings

# Refresh last_seen_at/expires_at at most this often, so reading a case is not a write.
TOUCH_EVERY = timedelta(hours=1)
# A syntactically valid wrapped key that nothing unwraps: the dummy work for unknown codes.
_DUMMY_WRAPPED = os.urandom(crypto.NONCE_BYTES + crypto.KEY_BYTES + 16)


@dataclass
class CaseRow:
    """The plain columns of a case that opening it needs (no wrapped key, no KDF salt)."""

    id: int
    code: str
    created_at: datetime
    expires_at: datetime
    last_seen_at: datetime


_cases = Case.__table__
_records = CaseRecord.__table__
_LOAD_CASE = (
    select(_cases.c.id, _cases.c.code, _cases.c.created_at, _cases.c.expires_at,
           _cases.c.last_seen_at, _records.c.id.label("record_id"), _records.c.name,
           _records.c.version, _records.c.nonce, _records.c.ciphertext)
    .select_from(_cases.outerjoin(_records, and_(
        _records.c.case_id == _cases.c.id,
        # Two plain binds rather than IN (...): an expanding IN is re-rendered per call.
        or_(_records.c.name == bindparam("meta", META),
            _records.c.name == bindparam("facts", FACTS)),
    )))
    .where(_cases.c.code == bindparam("code"))
)


def create_case(db: Session, settings: Settings, passphrase: str, jurisdictions: list[str],
                locale: str) -> OpenCase:
    """A new case with a fresh code and data key; facts start empty."""
    check_passphrase(passphrase)
    jurisdictions = check_jurisdictions(jurisdictions)
    locale = check_locale(locale)
    params = crypto.KdfParams.from_settings(settings)
    data_key = crypto.new_data_key()
    salt = crypto.new_salt()
    kek = crypto.derive_kek(passphrase, salt, params)
    now = utcnow()
    for _ in range(5):  # a code collision is ~impossible at 80 bits; retry anyway
        code = generate_code()
        case = Case(code=code, wrapped_key=crypto.wrap_key(kek, data_key, code), kdf_salt=salt,
                    kdf_params=params.to_dict(), created_at=now, updated_at=now,
                    last_seen_at=now, expires_at=now + timedelta(days=settings.retention_days),
                    version=1)
        db.add(case)
        try:
            db.flush()
        except IntegrityError:
            db.rollback()
            continue
        for name, content in ((META, {"jurisdictions": jurisdictions, "locale": locale}),
                              (FACTS, {})):
            nonce, ciphertext = records.seal_record(data_key, code, name, content)
            db.add(CaseRecord(case_id=case.id, name=name, nonce=nonce, ciphertext=ciphertext,
                              version=1, updated_at=now))
        db.commit()
        return OpenCase(db, case, data_key)
    raise RuntimeError("could not allocate a case code")


def open_case(db: Session, settings: Settings, code: str, passphrase: str) -> OpenCase:
    """Open a case with its code and passphrase; InvalidCredentials for any wrong pair.

    An unknown code costs the same scrypt and AES work as a wrong passphrase, so neither
    the error nor the time taken tells whether a code exists.
    """
    canonical = normalize_code(code) if isinstance(code, str) else None
    case = _find(db, canonical) if canonical else None
    if not isinstance(passphrase, str):
        passphrase = ""
    if case is None:
        grant = grants.find(db, canonical) if canonical else None
        if grant is None:
            _dummy_work(settings, passphrase)
            raise InvalidCredentials()
        return _open_granted(db, settings, grant, passphrase)
    params = crypto.KdfParams.from_dict(case.kdf_params)
    kek = crypto.derive_kek(passphrase, case.kdf_salt, params)
    try:
        data_key = crypto.unwrap_key(kek, case.wrapped_key, case.code)
    except crypto.AuthenticationFailed as exc:
        raise InvalidCredentials() from exc
    current = crypto.KdfParams.from_settings(settings)
    if params != current:
        _rewrap(db, case, passphrase, data_key, current)
    _touch(db, case, force=True, retention=timedelta(days=settings.retention_days))
    return OpenCase(db, case, data_key)


def _rewrap(db: Session, case: Case, passphrase: str, data_key: bytes,
            params: crypto.KdfParams) -> None:
    """Wrap the key again at the operator's current scrypt cost.

    Unknown codes cost the dummy work at the current cost; a case left at an older cost
    would answer faster than that, telling that its code exists (issue 13, item 9).
    """
    salt = crypto.new_salt()
    case.kdf_salt = salt
    case.kdf_params = params.to_dict()
    case.wrapped_key = crypto.wrap_key(crypto.derive_kek(passphrase, salt, params), data_key,
                                       case.code)
    db.commit()


def _open_granted(db: Session, settings: Settings, grant: CaseGrant,
                  passphrase: str) -> OpenCase:
    """The case a grant's code and passphrase open, with the grant's role."""
    data_key, role = grants.open_with(db, grant, passphrase)
    case = db.get(Case, grant.case_id)
    if case is None:  # deleted since the grant was read
        raise InvalidCredentials()
    _touch(db, case, force=True, retention=timedelta(days=settings.retention_days))
    opened = OpenCase(db, case, data_key)
    opened.role, opened.grant_id = role, grant.id
    return opened


def load_case(db: Session, code: str, data_key: bytes) -> OpenCase:
    """Re-open a case from a key carried by a web session or API token.

    One statement reads the case row with its meta and facts records (every page needs
    both). Raises CaseNotFound when the case is gone (deleted or purged) and CaseCorrupted
    when the key does not authenticate its records.
    """
    canonical = normalize_code(code)
    rows = db.connection().execute(_LOAD_CASE, {"code": canonical}).all() if canonical else []
    if not rows:
        raise CaseNotFound()
    first = rows[0]
    case = CaseRow(first.id, first.code, first.created_at, first.expires_at, first.last_seen_at)
    loaded: dict[str, records.StoredRecord | None] = {META: None, FACTS: None}
    for row in rows:
        if row.name is not None:
            loaded[row.name] = records.StoredRecord(row.record_id, row.version, bytes(row.nonce),
                                                    bytes(row.ciphertext))
    opened = OpenCase(db, case, data_key, loaded)  # decrypts the meta record: proves the key
    _touch(db, case)
    return opened


def _find(db: Session, canonical: str) -> Case | None:
    return db.scalars(
        select(Case).where(Case.code == canonical).execution_options(populate_existing=True)
    ).first()


def _dummy_work(settings: Settings, passphrase: str) -> None:
    kek = crypto.derive_kek(passphrase, os.urandom(crypto.SALT_BYTES),
                            crypto.KdfParams.from_settings(settings))
    with contextlib.suppress(crypto.AuthenticationFailed):
        crypto.unwrap_key(kek, _DUMMY_WRAPPED, "0000-0000-0000-0000")


def _touch(db: Session, case: Case | CaseRow, force: bool = False,
           retention: timedelta | None = None) -> None:
    """Move the expiry forward on a visit; keeps the case's retention period if none given."""
    now = utcnow()
    if not force and now - case.last_seen_at < TOUCH_EVERY:
        return
    period = retention or (case.expires_at - case.last_seen_at)
    db.execute(update(Case).where(Case.id == case.id).values(last_seen_at=now,
                                                             expires_at=now + period))
    db.commit()
    case.last_seen_at, case.expires_at = now, now + period
