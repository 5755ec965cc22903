"""The wizard feature: views.py, forms.py, templates under templates/wizard/."""

from caseprep.web.wizard.views import bp

__all__ = ["bp"]
