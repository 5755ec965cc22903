"""API routes for evidence."""

from caseprep.api import bp  # noqa: F401
