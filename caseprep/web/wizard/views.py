"""Views of the wizard feature."""

from flask import Blueprint

bp = Blueprint("wizard", __name__)
