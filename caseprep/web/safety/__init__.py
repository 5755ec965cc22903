"""Safety pages: "leave no trace" (issue 6). Owner: security."""

from caseprep.web.safety.views import bp

__all__ = ["bp"]
