"""The "leave no trace" page: what caseprep does to leave nothing behind, and what she can do.

A plain page, reachable without a case and linked from every page's footer, so a person can
read it before she starts and on a device she does not trust.
"""

from flask import Blueprint, render_template

bp = Blueprint("safety", __name__)


@bp.get("/leave-no-trace")
def show_leave_no_trace():
    return render_template("safety/leave_no_trace.html")
