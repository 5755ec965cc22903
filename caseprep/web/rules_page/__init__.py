"""The public rules pages: views.py, templates/rules_page/ (no case data, no login)."""

from caseprep.web.rules_page.views import bp

__all__ = ["bp"]
