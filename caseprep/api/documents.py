"""API routes for documents."""

from caseprep.api import bp  # noqa: F401
