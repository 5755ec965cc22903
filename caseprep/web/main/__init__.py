"""The main feature: views.py, forms.py, templates under templates/main/."""

from caseprep.web.main.views import bp

__all__ = ["bp"]
