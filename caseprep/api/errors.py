"""JSON error responses of the API, in the shape the app's error handlers use."""

from __future__ import annotations

from flask import jsonify


def api_error(status: int, error: str, message: str, **extra):
    """`{"error": slug, "message": text, ...extra}` with `status`."""
    response = jsonify({"error": error, "message": str(message), **extra})
    response.status_code = status
    return response
