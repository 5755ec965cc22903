"""JSON API under /api/v1: bearer tokens, not cookies; the same services as the web.

Exempt from CSRF because it authenticates with bearer tokens, which a browser never sends
by itself (caseprep.api.auth). The OpenAPI document: caseprep.api.openapi.
"""

from caseprep.api import (  # noqa: F401  (register routes and their OpenAPI paths)
    cases,
    documents,
    evidence,
    openapi,
)
from caseprep.api.blueprint import bp

__all__ = ["bp"]
