"""The documents feature: views.py, forms.py, templates under templates/documents/."""

from caseprep.web.documents.views import bp

__all__ = ["bp"]
