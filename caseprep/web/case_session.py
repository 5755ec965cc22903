"""The open case of a browser session: who is logged in to which case, and for how long.

The session cookie carries the case code and the case's data key, the key encrypted
(AES-256-GCM) under a key derived from the server's SECRET_KEY. The server keeps no copy,
so a stolen database alone opens nothing, and a stolen cookie alone is useless without the
server's secret. After `session_idle_minutes` without a request the case is closed.
"""

from __future__ import annotations

import base64
import functools
import os
import time

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app, flash, g, redirect, request, session, url_for
from flask_babel import gettext as _

SESSION_KEY = "case"
_HKDF_INFO = b"caseprep web session: case data key wrapping v1"


def _wrapping_key() -> bytes:
    secret = current_app.config["SECRET_KEY"]
    return _derive_wrapping_key(secret.encode() if isinstance(secret, str) else secret)


@functools.lru_cache(maxsize=4)
def _derive_wrapping_key(secret: bytes) -> bytes:
    """Derived once per secret, not on every request (the secret is already in memory)."""
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_HKDF_INFO).derive(secret)


def _seal(code: str, data_key: bytes) -> str:
    nonce = os.urandom(12)
    sealed = AESGCM(_wrapping_key()).encrypt(nonce, data_key, code.encode())
    return base64.urlsafe_b64encode(nonce + sealed).decode()


def _unseal(code: str, token: str) -> bytes | None:
    try:
        raw = base64.urlsafe_b64decode(token.encode())
        return AESGCM(_wrapping_key()).decrypt(raw[:12], raw[12:], code.encode())
    except Exception:  # noqa: BLE001 - any tampering or key change just ends the session
        return None


def idle_seconds() -> int:
    return int(current_app.config["CASEPREP"].session_idle_minutes) * 60


def login_case(case) -> None:
    """Remember `case` (an OpenCase) in this browser's session."""
    session[SESSION_KEY] = {
        "code": case.code,
        "key": _seal(case.code, case.data_key),
        "seen": int(time.time()),
    }
    session.permanent = False
    g.caseprep_case = case


def logout_case() -> None:
    session.pop(SESSION_KEY, None)
    g.pop("caseprep_case", None)


def current_case():
    """The session's OpenCase, or None (not logged in, idle too long, or case deleted)."""
    if "caseprep_case" in g:
        return g.caseprep_case
    g.caseprep_case = None
    entry = session.get(SESSION_KEY)
    if not isinstance(entry, dict):
        return None
    now = int(time.time())
    if now - int(entry.get("seen", 0)) > idle_seconds():
        logout_case()
        g.caseprep_case = None
        g.caseprep_timed_out = True
        return None
    code = str(entry.get("code", ""))
    data_key = _unseal(code, str(entry.get("key", "")))
    if data_key is None:
        logout_case()
        g.caseprep_case = None
        return None
    case = _load(code, data_key)
    if case is None:
        logout_case()
        g.caseprep_case = None
        return None
    if now - int(entry.get("seen", 0)) >= 5:  # don't rewrite the cookie on every request
        entry["seen"] = now
        session.modified = True
    g.caseprep_case = case
    return case


def _load(code: str, data_key: bytes):
    from caseprep.cases import service
    from caseprep.cases.errors import CaseCorrupted, CaseNotFound
    from caseprep.web.extensions import get_db

    try:
        return service.load_case(get_db(), code, data_key)
    except (CaseNotFound, CaseCorrupted):  # deleted, purged, or the key no longer opens it
        return None


def case_required(view):
    """Run `view` only with an open case; otherwise send the browser to the resume page."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        if current_case() is None:
            if g.get("caseprep_timed_out"):
                flash(_("Your case was closed after a period without activity. "
                        "Resume it with its code and passphrase."), "warning")
            else:
                flash(_("Open your case first: enter its code and passphrase."), "info")
            return redirect(url_for("main.resume_case", next=request.path))
        return view(*args, **kwargs)

    return wrapper
