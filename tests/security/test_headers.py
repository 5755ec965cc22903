"""Security headers on every response and generic error pages without stack traces."""

from __future__ import annotations

import pytest
from flask import abort

from caseprep.appshell.security import CSP

PAGES = ["/_test/page", "/does-not-exist", "/api/v1/does-not-exist", "/api/v1/_test/json"]


@pytest.mark.parametrize("path", PAGES)
def test_every_response_carries_the_security_headers(app, path):
    @app.get("/_test/page")
    def page():
        return "<p>a case page</p>"

    @app.get("/api/v1/_test/json")
    def json_page():
        return {"ok": True}

    response = app.test_client().get(path)
    headers = response.headers
    assert headers["Content-Security-Policy"] == CSP
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"  # CSRF over HTTPS needs it
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in headers["Permissions-Policy"]
    assert "no-store" in headers["Cache-Control"]
    assert "Strict-Transport-Security" not in headers  # plain HTTP on localhost


def test_csp_allows_no_inline_code_and_no_other_origin():
    directives = dict(part.strip().split(" ", 1) for part in CSP.split(";"))
    for name in ("default-src", "script-src", "style-src", "img-src"):
        assert directives[name] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["base-uri"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["form-action"] == "'self'"
    assert "unsafe" not in CSP and "http" not in CSP and "*" not in CSP and "data:" not in CSP


def test_hsts_and_secure_cookie_behind_tls(app_config):
    from caseprep import create_app

    app = create_app({**app_config, "behind_tls": True})
    response = app.test_client().get("/does-not-exist")
    assert "max-age=" in response.headers["Strict-Transport-Security"]
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Strict"


def test_static_assets_may_be_cached_but_keep_the_other_headers(client):
    response = client.get("/static/does-not-exist.css")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "Content-Security-Policy" in response.headers


def _app_with_failing_routes(app):
    """Routes that fail in each way the error handlers must cover."""

    marker = "MARK" + "ER-7f3a"  # built at run time: the traceback shows source lines

    @app.get("/_test/boom")
    def boom():
        raise RuntimeError(f"secret narrative {marker} and /etc/passwd")

    @app.get("/api/v1/_test/boom")
    def api_boom():
        raise RuntimeError(f"secret narrative {marker}")

    @app.get("/_test/abort/<int:status>")
    def abort_with(status):
        abort(status)

    @app.post("/_test/upload")
    def upload():
        from flask import request

        return str(len(request.get_data()))

    app.config["PROPAGATE_EXCEPTIONS"] = False
    return app


def test_unexpected_error_shows_a_generic_page_without_stack_trace(app, caplog):
    client = _app_with_failing_routes(app).test_client()
    response = client.get("/_test/boom")
    assert response.status_code == 500
    body = response.get_data(as_text=True)
    assert "Traceback" not in body and "RuntimeError" not in body and "MARKER" not in body
    assert "<h1>" in body
    # The log keeps the traceback for the operator but withholds the message.
    logged = "\n".join(r.getMessage() + (r.exc_text or "") for r in caplog.records)
    assert "RuntimeError" in logged
    assert "MARKER" not in logged


def test_api_errors_are_json(app):
    client = _app_with_failing_routes(app).test_client()
    response = client.get("/api/v1/_test/boom")
    assert response.status_code == 500
    assert response.is_json
    assert response.json["error"] == "server_error"
    assert "MARKER" not in response.get_data(as_text=True)
    missing = client.get("/api/v1/no-such-thing")
    assert missing.status_code == 404 and missing.json["error"] == "not_found"


@pytest.mark.parametrize("status", [400, 403, 404, 405, 413, 429, 500])
def test_each_error_status_has_a_generic_page(app, status):
    client = _app_with_failing_routes(app).test_client()
    response = client.get(f"/_test/abort/{status}")
    assert response.status_code == status
    assert response.mimetype == "text/html"
    body = response.get_data(as_text=True)
    assert "Traceback" not in body and "werkzeug" not in body.lower()
    assert "no-store" in response.headers["Cache-Control"]


def test_oversized_body_gets_413(app):
    app.config["MAX_CONTENT_LENGTH"] = 1024
    client = _app_with_failing_routes(app).test_client()
    response = client.post("/_test/upload", data=b"x" * 4096,
                           headers={"Content-Type": "application/octet-stream"})
    assert response.status_code == 413
    assert "File too large" in response.get_data(as_text=True)


def test_debug_mode_cannot_leak_the_debugger_in_production(tmp_path):
    from caseprep import create_app
    from caseprep.config import ConfigError

    with pytest.raises(ConfigError):
        create_app({"instance_path": tmp_path, "env": "production", "debug": True,
                    "secret_key": "k" * 48})


def _client_address_route(app):
    @app.get("/_test/addr")
    def addr():
        from flask import request

        return request.remote_addr or ""

    return app.test_client()


def test_forwarded_for_is_ignored_without_a_trusted_proxy(app):
    client = _client_address_route(app)
    body = client.get("/_test/addr", headers={"X-Forwarded-For": "203.0.113.9"}).get_data(True)
    assert body == "127.0.0.1"  # a client cannot forge its address to escape the limits


def test_one_trusted_proxy_takes_the_last_forwarded_address(app_config):
    from caseprep import create_app

    client = _client_address_route(create_app({**app_config, "trusted_proxies": 1}))
    forged_then_real = {"X-Forwarded-For": "198.51.100.1, 203.0.113.9"}
    assert client.get("/_test/addr", headers=forged_then_real).get_data(True) == "203.0.113.9"
