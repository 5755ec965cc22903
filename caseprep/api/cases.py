"""API routes for cases."""

from caseprep.api import bp  # noqa: F401
