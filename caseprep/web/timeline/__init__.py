"""The case's timeline page and its calendar file: views.py, forms.py, templates/timeline/."""

from caseprep.web.timeline.views import bp

__all__ = ["bp"]
