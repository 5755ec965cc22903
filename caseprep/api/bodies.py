"""JSON request bodies of the API: small objects, refused before parsing when too big.

Every JSON route reads its body here, so no route parses an unbounded body (uploads come as
multipart and have their own limits in caseprep.evidence).
"""

from __future__ import annotations

from flask import abort, request

# JSON bodies are a few answers or options; refuse big ones before parsing them.
MAX_JSON_BYTES = 256 * 1024


def json_object() -> dict | None:
    """The body as a JSON object; None when it is not one; 413 when it is over the limit."""
    if (request.content_length or 0) > MAX_JSON_BYTES:
        abort(413)
    data = request.get_json(silent=True)
    return data if isinstance(data, dict) else None
