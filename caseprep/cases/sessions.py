"""Server-side sessions for browsers and API tokens: revocable, with an absolute lifetime
and an idle limit the server enforces (issue 13, High 4). No Flask.

A session is a row and a secret pair held by the client: a random session id (stored here
only as its SHA-256) and the case's data key wrapped under a key derived from the server's
secret *and* the row's random `key_share`. So the copy of a cookie or token is dead once
its row is gone: "close my case", quick exit, a passphrase change, "sign out everywhere",
the idle limit and the lifetime all delete rows, and with the row goes the share without
which the wrapped key opens for nobody, the server's secret included.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from caseprep.cases import crypto
from caseprep.cases.models import CaseSession, utcnow
from caseprep.db import rows_changed

# last_seen_at is written at most this often, so reading a page is not always a write.
TOUCH_EVERY = timedelta(seconds=15)
_WRAP_PURPOSE = "session-data-key-v1"


@dataclass(frozen=True)
class Opened:
    """A session as a request sees it."""

    session_id: str
    case_id: int
    key_share: bytes


def _hash(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


def start(db: Session, case_id: int, kind: str, lifetime: timedelta) -> Opened:
    """A new session for `case_id`, ending at the latest after `lifetime`; committed."""
    session_id = secrets.token_urlsafe(32)
    share = os.urandom(crypto.KEY_BYTES)
    now = utcnow()
    db.add(CaseSession(case_id=case_id, token_hash=_hash(session_id), kind=kind,
                       key_share=share, created_at=now, last_seen_at=now,
                       expires_at=now + lifetime))
    db.commit()
    return Opened(session_id, case_id, share)


def find(db: Session, session_id: str, idle: timedelta | None,
         touch: bool = True) -> tuple[Opened | None, str]:
    """The live session and "ok", or None and why: "unknown" (revoked, never existed),
    "idle" or "expired" (both end the session). `touch=False` for requests that must not
    keep a session alive (a page refreshing itself while she is away)."""
    if not isinstance(session_id, str) or not session_id:
        return None, "unknown"
    row = db.scalars(select(CaseSession).where(CaseSession.token_hash == _hash(session_id))
                     .execution_options(populate_existing=True)).first()
    if row is None:
        return None, "unknown"
    now = utcnow()
    reason = ("expired" if now >= row.expires_at
              else "idle" if idle is not None and now - row.last_seen_at > idle else "ok")
    if reason != "ok":
        db.execute(delete(CaseSession).where(CaseSession.id == row.id))
        db.commit()
        return None, reason
    if touch and now - row.last_seen_at >= TOUCH_EVERY:
        db.execute(update(CaseSession).where(CaseSession.id == row.id).values(last_seen_at=now))
        db.commit()
    return Opened(session_id, row.case_id, bytes(row.key_share)), "ok"


def end(db: Session, session_id: str) -> None:
    db.execute(delete(CaseSession).where(CaseSession.token_hash == _hash(session_id)))
    db.commit()


def end_all(db: Session, case_id: int, commit: bool = True) -> int:
    """Revoke every session and API token of a case; return how many."""
    count = rows_changed(db.execute(delete(CaseSession).where(CaseSession.case_id == case_id)))
    if commit:
        db.commit()
    return count


def purge_ended(db: Session, now: datetime | None = None) -> int:
    """Delete sessions past their lifetime (the hourly purge)."""
    count = rows_changed(db.execute(delete(CaseSession).where(
        CaseSession.expires_at <= (now or utcnow()))))
    db.commit()
    return count


def _wrapping_key(secret_key: str, opened: Opened) -> bytes:
    return hmac.new(opened.key_share, crypto.purpose_key(secret_key, _WRAP_PURPOSE),
                    hashlib.sha256).digest()


def wrap_data_key(secret_key: str, opened: Opened, data_key: bytes) -> str:
    """The data key as the client keeps it: useless without this session's row."""
    nonce, ct = crypto.encrypt(_wrapping_key(secret_key, opened), data_key,
                               opened.session_id.encode())
    return crypto.b64encode_key(nonce + ct)


def unwrap_data_key(secret_key: str, opened: Opened, wrapped: str) -> bytes | None:
    try:
        raw = crypto.b64decode_key(wrapped)
        key = crypto.decrypt(_wrapping_key(secret_key, opened), raw[:crypto.NONCE_BYTES],
                             raw[crypto.NONCE_BYTES:], opened.session_id.encode())
    except (crypto.AuthenticationFailed, ValueError, TypeError):
        return None
    return key if len(key) == crypto.KEY_BYTES else None
