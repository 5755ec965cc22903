"""Views of the documents feature."""

from flask import Blueprint

bp = Blueprint("documents", __name__)
