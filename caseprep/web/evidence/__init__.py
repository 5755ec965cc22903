"""The evidence feature: views.py, forms.py, templates under templates/evidence/."""

from caseprep.web.evidence.views import bp

__all__ = ["bp"]
