"""JSON API under /api/v1: bearer tokens, not cookies; the same services as the web."""

from flask import Blueprint

bp = Blueprint("api", __name__)

from caseprep.api import cases, documents, evidence  # noqa: E402,F401  (register routes)
