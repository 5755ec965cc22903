"""The main feature: views.py, forms.py, templates under templates/main/."""

from caseprep.web.main import case_views  # noqa: F401  (registers the case page's routes)
from caseprep.web.main.views import bp

__all__ = ["bp"]
