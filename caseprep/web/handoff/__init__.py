"""Giving the case to a lawyer: views.py, forms.py, templates/handoff/."""

from caseprep.web.handoff.views import bp

__all__ = ["bp"]
