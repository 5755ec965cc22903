"""The OpenAPI 3 document served at /api/v1/openapi.json.

Each API module describes its own paths: call `add_paths({...})` (and `add_schemas`) at
import time of the module that defines the routes, e.g. in caseprep/api/evidence.py:

    from caseprep.api.openapi import add_paths, add_schemas
    add_paths({"/cases/{code}/evidence": {"get": {...}}})

Paths are relative to /api/v1 (the document's `servers`). Use `CASE_CODE` for the `code`
path parameter, `error_response(...)` and `BEARER` to keep the document consistent.
"""

from __future__ import annotations

import copy

from flask import jsonify

from caseprep.api import bp

BEARER = [{"bearerAuth": []}]
CASE_CODE = {
    "name": "code", "in": "path", "required": True,
    "description": "The case code, XXXX-XXXX-XXXX-XXXX (any case, dashes optional).",
    "schema": {"type": "string", "maxLength": 64},
}

_paths: dict[str, dict] = {}
_finalizers: list = []
_schemas: dict[str, dict] = {
    "Error": {
        "type": "object",
        "required": ["error", "message"],
        "properties": {
            "error": {"type": "string", "description": "A stable slug, e.g. invalid_fact."},
            "message": {"type": "string", "description": "A sentence for people."},
            "fact": {"type": "string", "description": "The fact at fault (invalid_fact)."},
            "field": {"type": "string", "description": "The request field at fault."},
        },
    },
}


def add_paths(paths: dict[str, dict]) -> None:
    """Register path items (merged by path, so two modules may add methods to one path)."""
    for path, item in paths.items():
        _paths.setdefault(path, {}).update(copy.deepcopy(item))


def add_schemas(schemas: dict[str, dict]) -> None:
    _schemas.update(copy.deepcopy(schemas))


def add_finalizer(function) -> None:
    """Register `function(document)` to fill in what is known only at run time
    (e.g. the jurisdictions and facts of the configured rules folder)."""
    if function not in _finalizers:
        _finalizers.append(function)


def error_response(description: str) -> dict:
    return {"description": description, "content": {"application/json": {
        "schema": {"$ref": "#/components/schemas/Error"}}}}


def json_body(schema: dict, description: str = "") -> dict:
    return {"required": True, "description": description,
            "content": {"application/json": {"schema": schema}}}


def json_response(description: str, schema: dict) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def document() -> dict:
    """The whole document as a dict (a fresh copy), finalizers applied."""
    doc = {
        "openapi": "3.0.3",
        "info": {
            "title": "caseprep API",
            "version": "1",
            "description": (
                "Prepare a case about photos shared without consent. Start with POST /cases "
                "or POST /sessions; send the token as `Authorization: Bearer <token>`. "
                "Tokens expire; a token opens only its own case."
            ),
            "license": {"name": "AGPL-3.0-or-later"},
        },
        "servers": [{"url": "/api/v1"}],
        "paths": copy.deepcopy(dict(sorted(_paths.items()))),
        "components": {
            "schemas": copy.deepcopy(_schemas),
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}},
        },
    }
    for function in _finalizers:
        function(doc)
    return doc


@bp.get("/openapi.json")
def show_openapi():
    return jsonify(document())
