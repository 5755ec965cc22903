"""caseprep: legal-case preparation for people whose photos were shared without consent."""

from __future__ import annotations

from typing import Any


def create_app(config: dict[str, Any] | None = None):
    """Build the Flask app: settings, extensions, blueprints. Nothing happens at import time.

    `config` holds Settings field overrides (see caseprep.config.Settings), e.g.
    {"instance_path": tmp, "env": "testing"}.
    """
    # lazy: importing caseprep (for its rules, the CLI, a worker) must not load Flask and
    # both front ends; only building an app does.
    from flask import Flask

    from caseprep import paths
    from caseprep.appshell import extensions, i18n, security
    from caseprep.appshell.upload_spool import CaseprepRequest
    from caseprep.config import load_settings
    from caseprep.rules import Rules

    settings = load_settings(config)
    settings.prepare_instance()
    settings.check()

    app = Flask(
        "caseprep",
        template_folder=str(paths.resource_dir("templates")),
        static_folder=str(paths.static_dir()),
        instance_path=str(settings.instance_path),
        instance_relative_config=False,
    )
    app.request_class = CaseprepRequest
    app.config.update(
        SECRET_KEY=settings.secret_key,
        DEBUG=settings.debug,
        TESTING=settings.env == "testing",
        CASEPREP=settings,
        MAX_CONTENT_LENGTH=settings.max_upload_bytes + 1024 * 1024,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Strict",
        SESSION_COOKIE_SECURE=settings.behind_tls,
        SESSION_COOKIE_NAME="caseprep_session",
        BABEL_DEFAULT_LOCALE="en",
        WTF_CSRF_TIME_LIMIT=None,  # the session's idle timeout bounds it instead
    )
    # The one rules object every service is handed (caseprep.appshell.extensions.get_rules).
    app.extensions["caseprep.rules"] = Rules(settings.rules_folder)
    extensions.init_app(app, settings)
    i18n.init_app(app)
    security.init_app(app, settings)
    _register_blueprints(app)
    return app


def _register_blueprints(app) -> None:
    # lazy: as in create_app, the front ends load only when an app is built.
    from caseprep.api import bp as api_bp
    from caseprep.web.access import bp as access_bp
    from caseprep.web.documents import bp as documents_bp
    from caseprep.web.evidence import bp as evidence_bp
    from caseprep.web.handoff import bp as handoff_bp
    from caseprep.web.main import bp as main_bp
    from caseprep.web.notes import bp as notes_bp
    from caseprep.web.rules_page import bp as rules_page_bp
    from caseprep.web.safety import bp as safety_bp
    from caseprep.web.timeline import bp as timeline_bp
    from caseprep.web.wizard import bp as wizard_bp

    for bp in (main_bp, wizard_bp, evidence_bp, documents_bp, safety_bp, timeline_bp,
               handoff_bp, rules_page_bp, access_bp, notes_bp):
        app.register_blueprint(bp)
    app.register_blueprint(api_bp, url_prefix="/api/v1")
