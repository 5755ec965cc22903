"""Index page and site-wide pages."""

from flask import Blueprint

bp = Blueprint("main", __name__)


@bp.get("/")
def index():
    return "caseprep"
