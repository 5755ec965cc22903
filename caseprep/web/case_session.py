"""The open case of a browser session: who is signed in to which case, and for how long.

The session cookie (encrypted: caseprep.appshell.session_cookie) carries the case code, a
session id and the case's data key wrapped under a key that needs the server's secret and
the session's row on the server (caseprep.cases.sessions). The row is the session: "close
my case", quick exit, a passphrase change and "sign out everywhere" delete it, and so does
the server when the session has been idle for `session_idle_minutes` or is older than
`session_absolute_hours`; a copied cookie dies with it. Requests marked as polling
(`?poll=1`, e.g. a progress page that refreshes itself) do not keep a session alive.
"""

from __future__ import annotations

import functools
from datetime import timedelta
from typing import Any

from flask import abort, current_app, flash, g, redirect, request, session, url_for
from flask_babel import gettext as _

from caseprep.appshell.extensions import get_db
from caseprep.cases import grants, service, sessions
from caseprep.cases.errors import CaseCorrupted, CaseNotFound

SESSION_KEY = "case"
# Query argument of requests the page makes by itself; they do not count as activity.
POLL_ARG = "poll"
# Typed as url_for's extra arguments are (Any), so none can be mistaken for `_external`.
POLLING: dict[str, Any] = {POLL_ARG: "1"}


def _settings():
    return current_app.config["CASEPREP"]


def idle_seconds() -> int:
    return int(_settings().session_idle_minutes) * 60


def _secret() -> str:
    secret = current_app.config["SECRET_KEY"]
    return secret if isinstance(secret, str) else secret.decode()


def login_case(case) -> None:
    """Sign this browser in to `case` (an OpenCase): a new server-side session."""
    opened = sessions.start(get_db(), case.case_id, "web",
                            timedelta(hours=_settings().session_absolute_hours))
    session[SESSION_KEY] = {
        "sid": opened.session_id,
        "code": case.code,
        "key": sessions.wrap_data_key(_secret(), opened, case.data_key),
        # Opened with someone's own access (a lawyer's): its role, checked on every request
        # against the grant, so a revoked grant signs the browser out.
        "grant": case.grant_id, "role": case.role,
    }
    session.permanent = False
    # A CSRF token seen before sign-in (e.g. planted or read on a shared computer) must not
    # work after it: Flask-WTF makes a new one when this is gone (issue 13, item 9).
    session.pop(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"), None)
    g.pop("csrf_token", None)
    g.caseprep_case = case


def logout_case() -> None:
    """End this browser's session on the server too, so no copy of the cookie works."""
    entry = session.pop(SESSION_KEY, None)
    if isinstance(entry, dict) and isinstance(entry.get("sid"), str):
        sessions.end(get_db(), entry["sid"])
    g.pop("caseprep_case", None)


def sign_out_everywhere(case) -> int:
    """End every session and API token of `case`, this browser's included."""
    count = sessions.end_all(get_db(), case.case_id)
    session.pop(SESSION_KEY, None)
    g.pop("caseprep_case", None)
    return count


def is_polling() -> bool:
    return request.args.get(POLL_ARG) == "1"


def current_case():
    """The session's OpenCase, or None (not signed in, idle too long, revoked, deleted)."""
    if "caseprep_case" in g:
        return g.caseprep_case
    g.caseprep_case = None
    entry = session.get(SESSION_KEY)
    if not isinstance(entry, dict):
        return None
    opened, reason = sessions.find(get_db(), str(entry.get("sid", "")),
                                   timedelta(seconds=idle_seconds()), touch=not is_polling())
    data_key = None
    if opened is not None:
        data_key = sessions.unwrap_data_key(_secret(), opened, str(entry.get("key", "")))
    case = _load(str(entry.get("code", "")), data_key) if data_key is not None else None
    grant_id = entry.get("grant")
    if case is not None and grant_id is not None:
        if grants.still_granted(get_db(), int(grant_id)):
            case.role, case.grant_id = str(entry.get("role")), int(grant_id)
        else:
            case = None
    if case is None or opened is None or case.case_id != opened.case_id:
        session.pop(SESSION_KEY, None)
        g.caseprep_case = None
        g.caseprep_timed_out = reason in ("idle", "expired")
        return None
    g.caseprep_case = case
    return case


def _load(code: str, data_key: bytes):
    try:
        return service.load_case(get_db(), code, data_key)
    except (CaseNotFound, CaseCorrupted):  # deleted, purged, or the key no longer opens it
        return None


def owner_required(view):
    """Run `view` only for the person who made the case: a lawyer's access may read and
    draft, but not delete the case, change its passphrase, hand it off or manage access."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        case = current_case()
        if case is not None and case.role != "owner":
            abort(403)
        return view(*args, **kwargs)

    return wrapper


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
