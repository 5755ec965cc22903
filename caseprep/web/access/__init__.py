"""Giving someone (a lawyer, a caseworker) their own access: views.py, templates/access/."""

from caseprep.web.access.views import bp

__all__ = ["bp"]
