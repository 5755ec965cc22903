"""The API's blueprint, on its own so the route modules can import it before the package
has registered them (caseprep/api/__init__.py imports those modules)."""

from flask import Blueprint

from caseprep.appshell.extensions import csrf

bp = Blueprint("api", __name__)
# Bearer tokens, which a browser never sends by itself, not cookies (caseprep.api.auth).
csrf.exempt(bp)
