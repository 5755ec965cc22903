"""Security headers, cookie policy, access log and generic error pages (owner: security).

Every response gets a strict Content-Security-Policy (no inline script or style, no other
origin), a referrer only to this site, no sniffing, no framing; every page that is not a
static asset gets
`Cache-Control: no-store` so a shared or seized browser keeps no copy of a case page.
Errors never show a stack trace: HTML pages get a generic page, /api/ gets JSON.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import logging
import threading
import time
import zlib
from collections.abc import Mapping

from flask import Flask, Response, abort, current_app, g, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from markupsafe import escape
from werkzeug.exceptions import HTTPException, InternalServerError
from werkzeug.middleware.proxy_fix import ProxyFix

from caseprep.appshell.extensions import limiter
from caseprep.appshell.session_cookie import EncryptedCookieSessionInterface
from caseprep.cases.codes import normalize_code
from caseprep.cases.errors import CaseCorrupted
from caseprep.log_config import configure_logging, install_log_redaction

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "font-src 'self'; connect-src 'self'; media-src 'self'; object-src 'none'; "
    "frame-src 'none'; worker-src 'none'; manifest-src 'self'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), clipboard-read=(), display-capture=(), "
    "geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
    "payment=(), usb=()"
)
HSTS = "max-age=63072000; includeSubDomains"

# Shown on the generic error page; texts say what to do, never what went wrong inside.
ERROR_TEXTS = {
    400: (_l("Bad request"), _l("The form could not be read. Go back, reload the page and "
                                "try again.")),
    403: (_l("Not allowed"), _l("This page is not available to you. If your session "
                                "expired, resume your case with its code and passphrase.")),
    404: (_l("Page not found"), _l("There is nothing at this address.")),
    405: (_l("Not allowed"), _l("This page does not accept that kind of request.")),
    413: (_l("File too large"), _l("The file or form is larger than this server accepts.")),
    429: (_l("Too many attempts"), _l("Too many attempts in a short time. Wait a few minutes "
                                      "and try again.")),
    500: (_l("Something went wrong"), _l("The server could not finish your request. Nothing "
                                         "about your case was shown to anyone. Try again.")),
}

access_log = logging.getLogger("caseprep.access")
_log = logging.getLogger(__name__)


def init_app(app: Flask, settings) -> None:
    """Wire headers, error handlers, the access log and log redaction into `app`."""
    install_log_redaction()
    if settings.env != "testing":
        configure_logging()
    app.config["CASEPREP_BEHIND_TLS"] = bool(settings.behind_tls)
    app.session_interface = EncryptedCookieSessionInterface()
    proxies = settings.trusted_proxies
    if proxies > 0:
        # Trust exactly that many hops of X-Forwarded-*; never more, or a client could
        # forge its address and escape the rate limits.
        # Flask's documented way to wrap the WSGI app, which Flask's types declare a method.
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)
    # First of all before-request hooks, so it wraps Flask-Limiter's check; released at
    # teardown, after Flask-Limiter's deduction (an after-request hook).
    app.before_request_funcs.setdefault(None, []).insert(0, _serialize_resume_attempts)
    app.teardown_request(_release_attempt_lock)
    app.before_request(_start_timer)
    app.after_request(_set_security_headers)
    app.after_request(_log_access)
    for status in ERROR_TEXTS:
        app.register_error_handler(status, _handle_http_error)
    app.register_error_handler(Exception, _handle_unexpected_error)
    app.register_error_handler(CaseCorrupted, _handle_corrupted_case)
    app.register_error_handler(OSError, _handle_storage_error)


# --- resume rate limits (web form and API token requests share them) ---

RESUME_CODE_SCOPE = "resume-per-code"
RESUME_CLIENT_SCOPE = "resume-per-client"


def resume_code_key() -> str:
    """Rate-limit key for a resume attempt: the case code as the case would know it.

    Read from a JSON body or a form, canonicalised, so "abcd efgh..." and "ABCD-EFGH-..."
    count against the same case, on the web form and the API alike.
    """
    data = request.get_json(silent=True) if request.is_json else request.form
    return case_code_key(data.get("code") if isinstance(data, Mapping) else None)


# Resume attempts on one case code run one at a time, from Flask-Limiter's check to its
# deduction: otherwise 30 concurrent guesses all pass the check before the first failure is
# counted, and a limit of 5 let 17 through (issue 13, item 9). Striped locks (a bounded
# number, whatever codes are tried) in one process; a Redis lock across app servers.
RESUME_ENDPOINTS = frozenset({"main.resume_case", "api.create_session"})
_LOCK_STRIPES = [threading.Lock() for _ in range(64)]
_LOCK_WAIT_SECONDS = 30


def _serialize_resume_attempts() -> None:
    if request.method != "POST" or request.endpoint not in RESUME_ENDPOINTS:
        return
    key = resume_code_key()
    client = getattr(limiter.storage, "storage", None)
    if client is not None and hasattr(client, "lock"):  # Redis: one lock per code, every server
        lock = client.lock(f"caseprep:resume-attempt:{key}", timeout=_LOCK_WAIT_SECONDS,
                           blocking_timeout=_LOCK_WAIT_SECONDS)
        acquired = lock.acquire()
    else:
        lock = _LOCK_STRIPES[zlib.crc32(key.encode()) % len(_LOCK_STRIPES)]
        acquired = lock.acquire(timeout=_LOCK_WAIT_SECONDS)
    if not acquired:
        abort(429)
    g.caseprep_attempt_lock = lock


def _release_attempt_lock(_exc=None) -> None:
    lock = g.pop("caseprep_attempt_lock", None)
    if lock is not None:
        with contextlib.suppress(Exception):  # an expired Redis lock is already gone
            lock.release()


def resume_limit_per_client() -> str:
    return current_app.config["CASEPREP"].resume_limit_per_client


def resume_limit_per_code() -> str:
    return current_app.config["CASEPREP"].resume_limit_per_code


def failed_attempt(response: Response) -> bool:
    """Only failed attempts use up the allowance; typing the right pair costs nothing."""
    return response.status_code in (400, 401, 422)


def upload_limit_per_client() -> str:
    """Uploads per client address: each one costs a decode, a hash and a disk write (issue 13,
    item 7)."""
    return current_app.config["CASEPREP"].upload_limit_per_client


# --- passphrase changes: per case as well as per client (issue 13, item 5) ---

PASSPHRASE_CHANGE_SCOPE = "passphrase-change-per-code"  # noqa: S105 - a label


def passphrase_change_code_key() -> str:
    """The case whose passphrase is being guessed, named by the request's path (the API's)."""
    return case_code_key((request.view_args or {}).get("code"))


def case_code_key(code: str | None) -> str:
    """The rate-limit key of a case code, canonical, so the web and the API share counts.

    A digest of the code, not the code: Flask-Limiter logs the key of every limit it
    enforces, and Redis keeps it. A case code has 80 random bits, so the digest does not
    lead back to it.
    """
    canonical = normalize_code(code) if isinstance(code, str) else None
    if canonical is None:
        return "code:invalid"
    digest = hashlib.sha256(b"caseprep:rate-limit:" + canonical.encode()).hexdigest()
    return "code:" + digest[:32]


def passphrase_change_limit_per_code() -> str:
    return current_app.config["CASEPREP"].passphrase_change_limit_per_code


def failed_passphrase_change(response: Response) -> bool:
    """A wrong current passphrase (403) or a refused form uses up the allowance."""
    return response.status_code in (401, 403, 422)


def _start_timer() -> None:
    request.environ["caseprep.started"] = time.monotonic()


def _set_security_headers(response: Response) -> Response:
    headers = response.headers
    headers["Content-Security-Policy"] = CSP
    headers["X-Content-Type-Options"] = "nosniff"
    # same-origin, not no-referrer: over HTTPS Flask-WTF's CSRF check requires a Referer
    # from this origin on every POST (issue 13, item 10); other sites still get nothing.
    headers["Referrer-Policy"] = "same-origin"
    headers["X-Frame-Options"] = "DENY"
    headers["Permissions-Policy"] = PERMISSIONS_POLICY
    headers["Cross-Origin-Opener-Policy"] = "same-origin"
    headers["Cross-Origin-Resource-Policy"] = "same-origin"
    headers["X-Permitted-Cross-Domain-Policies"] = "none"
    if not request.path.startswith("/static/"):
        # A case page must not stay in the browser's cache or history snapshots.
        headers["Cache-Control"] = "no-store, max-age=0"
        headers["Pragma"] = "no-cache"
        headers["Expires"] = "0"
    if current_app.config.get("CASEPREP_BEHIND_TLS"):
        headers["Strict-Transport-Security"] = HSTS
    return response


def _log_access(response: Response) -> Response:
    """One line per request: method, route pattern (never the real path), status, time.

    The route pattern (`/case/<code>/facts`) stands in for the path, so no case code,
    query string or typed file name reaches the log.
    """
    started = request.environ.get("caseprep.started")
    elapsed_ms = (time.monotonic() - started) * 1000 if started else 0.0
    access_log.info("%s %s %s %.0fms", request.method, _route_pattern(), response.status_code,
                    elapsed_ms)
    return response


def wants_json() -> bool:
    """API requests get JSON errors; browser pages get HTML."""
    return request.path.startswith("/api/")


def error_response(status: int, headers=None) -> Response:
    """The generic error for `status`: JSON under /api/, otherwise an HTML page."""
    fallback = ERROR_TEXTS[400] if 400 <= status < 500 else ERROR_TEXTS[500]
    title, text = ERROR_TEXTS.get(status, fallback)
    response = _error(status, _error_slug(status), title, text)
    for name, value in headers or ():
        if name.lower() in ("retry-after", "allow", "www-authenticate"):
            response.headers[name] = value
    return response


def _error(status: int, slug: str, title, text) -> Response:
    """`{"error": slug, "message": text}` under /api/, otherwise the error page; `status`."""
    if wants_json():
        response = jsonify({"error": slug, "message": str(text)})
    else:
        response = Response(_render_error_page(status, str(title), str(text)),
                            mimetype="text/html")
    response.status_code = status
    return response


def _handle_http_error(exc: HTTPException):
    status = exc.code or 500
    if status < 400:
        return exc  # redirects raised as exceptions (e.g. a missing trailing slash)
    return error_response(status, exc.get_headers())


def _handle_unexpected_error(exc: Exception):
    if isinstance(exc, HTTPException) and not isinstance(exc, InternalServerError):
        return _handle_http_error(exc)
    propagate = current_app.config.get("PROPAGATE_EXCEPTIONS")
    if propagate is None:
        propagate = current_app.testing or current_app.debug
    if propagate:
        raise exc  # testing and debug: let the test or the debugger see it
    # The traceback goes to the log (exception messages withheld by the redaction) and
    # names the route pattern, not the path, which may hold a case code.
    _log.error("unhandled error in %s %s", request.method, _route_pattern(), exc_info=exc)
    return error_response(500)


CORRUPTED_TEXT = _l("This case's stored data did not pass its integrity check, so none of it "
                    "was shown. It may have been damaged or altered. Nothing was changed.")


def _handle_corrupted_case(exc: Exception):
    """A record or key failed authentication: say so plainly, show nothing, log no content."""
    _log.warning("case data failed authentication in %s %s", request.method, _route_pattern())
    return _error(500, "case_corrupted", ERROR_TEXTS[500][0], CORRUPTED_TEXT)


# Errors of a full, over-quota, read-only or unwritable disk: the request could not be
# stored, and saying so (507, RFC 4918) beats a generic 500.
_STORAGE_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM}
STORAGE_TEXT = _l("The server could not store this: its disk is full or cannot be written. "
                  "Nothing was stored and your case is unchanged. Try again later, or tell "
                  "the people who run this server.")


def _handle_storage_error(exc: OSError):
    if exc.errno not in _STORAGE_ERRNOS:
        return _handle_unexpected_error(exc)
    _log.error("storage not writable (%s) in %s %s", errno.errorcode.get(exc.errno, "?"),
               request.method, _route_pattern())
    return _error(507, "storage_unavailable", ERROR_TEXTS[500][0], STORAGE_TEXT)


def _route_pattern() -> str:
    return request.url_rule.rule if request.url_rule is not None else "<unmatched>"


def _error_slug(status: int) -> str:
    known = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
             405: "method_not_allowed", 413: "too_large", 415: "unsupported_media_type",
             422: "unprocessable", 429: "too_many_requests"}
    return known.get(status, "client_error" if 400 <= status < 500 else "server_error")


def _render_error_page(status: int, title: str, text: str) -> str:
    """The site's error template, or a bare page when even the template cannot render."""
    try:
        return render_template("errors/error.html", status=status, title=title, text=text)
    except Exception:  # noqa: BLE001 - an error page must never fail
        _log.warning("error template could not render; using the bare page")
        return (
            "<!doctype html><html><head><meta charset=\"utf-8\">"
            f"<title>{escape(title)}</title></head><body><main><h1>{escape(title)}</h1>"
            f"<p>{escape(text)}</p><p><a href=\"/\">caseprep</a></p></main></body></html>"
        )
