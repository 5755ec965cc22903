"""Flask extensions and per-request database sessions, wired by create_app."""

from __future__ import annotations

from flask import Flask, current_app, g
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_wtf import CSRFProtect

from caseprep.db import make_session_factory
from caseprep.rules import Rules
from caseprep.wiring import open_database

babel = Babel()
csrf = CSRFProtect()
# Storage is chosen in init_app: memory by default, Redis when CASEPREP_REDIS_URL is set,
# so limits hold across several app servers.
# A moving window: no burst of twice the limit at a window's edge (issue 6, back-off).
limiter = Limiter(key_func=get_remote_address, default_limits=[], headers_enabled=True,
                  strategy="moving-window")


def init_app(app: Flask, settings) -> None:
    """The database (migrated to the newest revision), CSRF protection and rate limits."""
    engine = open_database(settings)
    app.extensions["caseprep.engine"] = engine
    app.extensions["caseprep.sessions"] = make_session_factory(engine)
    app.teardown_appcontext(_close_db)

    csrf.init_app(app)
    app.config["RATELIMIT_STORAGE_URI"] = settings.redis_url or "memory://"
    app.config.setdefault("RATELIMIT_KEY_PREFIX", "caseprep")
    limiter.init_app(app)


def get_db():
    """The request's SQLAlchemy session (closed at teardown)."""
    if "db" not in g:
        g.db = current_app.extensions["caseprep.sessions"]()
    return g.db


def get_rules() -> Rules:
    """The app's rules (catalog and rule files of its configured folder), built by create_app."""
    return current_app.extensions["caseprep.rules"]


def _close_db(_exc) -> None:
    db = g.pop("db", None)
    if db is not None:
        db.close()
