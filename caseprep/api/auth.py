"""Bearer tokens for the API: a server-side session each, revocable (issue 13, High 4).

A token is AES-256-GCM (caseprep.cases.crypto.seal, key derived from SECRET_KEY) over
`{"s": session id, "c": code, "k": wrapped data key, "exp": ...}`. The data key inside is
wrapped under a key that also needs the session's row (caseprep.cases.sessions), so a token
stops working when its row goes: at expiry (settings.api_token_ttl_minutes), on a
passphrase change, on "sign out everywhere" and when the case is deleted. A changed
SECRET_KEY invalidates every token.
"""

from __future__ import annotations

import functools
from datetime import timedelta

from flask import current_app, request
from flask_babel import gettext as _

from caseprep.api.errors import api_error
from caseprep.appshell.extensions import get_db
from caseprep.cases import crypto, sessions
from caseprep.cases.codes import normalize_code
from caseprep.cases.errors import CaseCorrupted, CaseNotFound
from caseprep.cases.service import load_case

TOKEN_PURPOSE = "api-token-v2"  # noqa: S105 - a key-derivation label, not a secret


def _secret() -> str:
    return current_app.config["SECRET_KEY"]


def token_for(case) -> str:
    """A bearer token for an open case, valid for settings.api_token_ttl_minutes."""
    opened = sessions.start(get_db(), case.case_id, "api",
                            timedelta(seconds=token_ttl_seconds()))
    payload = {"s": opened.session_id, "c": case.code,
               "k": sessions.wrap_data_key(_secret(), opened, case.data_key)}
    return crypto.seal(_secret(), TOKEN_PURPOSE, payload, token_ttl_seconds())


def token_ttl_seconds() -> int:
    """The tokens' lifetime, as sealed into them and as reported in `expires_in`."""
    return current_app.config["CASEPREP"].api_token_ttl_minutes * 60


def read_token() -> tuple[str, bytes] | None:
    """(case code, data key) from the request's Authorization header, or None when the
    token is malformed, forged, expired or revoked."""
    header = request.headers.get("Authorization", "")
    scheme, _sep, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip() or len(token) > 4096:
        return None
    body = crypto.unseal(_secret(), TOKEN_PURPOSE, token.strip())
    if body is None or not all(isinstance(body.get(k), str) for k in ("s", "c", "k")):
        return None
    opened, _reason = sessions.find(get_db(), body["s"], idle=None)
    if opened is None:
        return None
    key = sessions.unwrap_data_key(_secret(), opened, body["k"])
    return (body["c"], key) if key is not None else None


def _unauthorized():
    response = api_error(401, "unauthorized", _("A valid token is needed. Open the case again."))
    response.headers["WWW-Authenticate"] = 'Bearer realm="caseprep"'
    return response


def _not_found():
    return api_error(404, "not_found", _("There is no such case."))


def token_required(view):
    """Pass the token's OpenCase to the view as `case` (instead of `code`).

    401 without a valid token; 404 when the token's case is not the path's case, or the case
    is gone. A token never reaches another case: the case is loaded from the token's own
    code and key, and only when that code is the one in the path.
    """

    @functools.wraps(view)
    def wrapper(*args, code: str, **kwargs):
        held = read_token()
        if held is None:
            return _unauthorized()
        token_code, data_key = held
        if normalize_code(code) != token_code:
            return _not_found()
        try:
            case = load_case(get_db(), token_code, data_key)
        except CaseNotFound:
            return _not_found()
        except CaseCorrupted:
            return _unauthorized()
        return view(*args, case=case, **kwargs)

    wrapper.requires_token = True  # type: ignore[attr-defined]  # read by caseprep.api.openapi
    return wrapper
