"""The OpenAPI 3 document served at /api/v1/openapi.json.

Each API module describes its own paths: call `add_paths({...})` (and `add_schemas`) at
import time of the module that defines the routes, e.g. in caseprep/api/evidence.py:

    from caseprep.api.openapi import add_paths, add_schemas
    add_paths({"/cases/{code}/evidence": {"get": {...}}})

Paths are relative to /api/v1 (the document's `servers`). Use `CASE_CODE` for the `code`
path parameter, `error_response(...)` and `BEARER` to keep the document consistent. Bodies
are pydantic models (caseprep/api/schemas.py, `add_models`): the document is OpenAPI 3.1,
whose schemas are the JSON Schema pydantic writes. Every operation gets an operationId (its
Flask endpoint in camelCase unless it names one) and, when it needs a token, a 401.
"""

from __future__ import annotations

import copy
import re

from flask import current_app, jsonify
from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from caseprep.api.blueprint import bp

BEARER = [{"bearerAuth": []}]
CASE_CODE = {
    "name": "code", "in": "path", "required": True,
    "description": "The case code, XXXX-XXXX-XXXX-XXXX (any case, dashes optional).",
    "schema": {"type": "string", "maxLength": 64},
}

SCHEMA_REF = "#/components/schemas/{model}"
UNAUTHORIZED = "No valid token (missing, expired, ended, or for another case)"
_METHODS = ("get", "put", "post", "delete", "patch")

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


def add_models(*models: type[BaseModel]) -> None:
    """Add the JSON Schemas of pydantic models (and the models they use) as components."""
    _, top = models_json_schema([(model, "serialization") for model in models],
                                ref_template=SCHEMA_REF)
    _schemas.update(top.get("$defs", {}))


def ref(name: str) -> dict:
    return {"$ref": SCHEMA_REF.format(model=name)}


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
        "openapi": "3.1.0",
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
    _complete_operations(doc)
    return doc


def _complete_operations(doc: dict) -> None:
    """operationId from the Flask endpoint where none is given; a 401 wherever a token is."""
    endpoints = {}
    for rule in current_app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1/"):
            path = re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", rule.rule[len("/api/v1"):])
            for method in rule.methods or ():
                endpoints[(path, method.lower())] = rule.endpoint.rsplit(".", 1)[-1]
    for path, item in doc["paths"].items():
        for method in _METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            if "operationId" not in operation and (path, method) in endpoints:
                first, *rest = endpoints[(path, method)].split("_")
                operation["operationId"] = first + "".join(w.title() for w in rest)
            if operation.get("security") == BEARER:
                operation.setdefault("responses", {}).setdefault(
                    "401", error_response(UNAUTHORIZED))


@bp.get("/openapi.json")
def show_openapi():
    return jsonify(document())
