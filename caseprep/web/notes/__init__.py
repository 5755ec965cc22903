"""Lawyer's notes on a case, for everyone with access: views.py, forms.py, templates/notes/."""

from caseprep.web.notes.views import bp

__all__ = ["bp"]
