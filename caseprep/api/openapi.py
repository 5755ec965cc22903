"""The OpenAPI 3.1 document served at /api/v1/openapi.json, built from the routes themselves.

Each API view declares, beside its route, its operationId, request body and responses with
`@operation(...)`; `document()` walks the app's /api/v1 rules and writes one operation per
route and method from those declarations: the path and its parameters come from the Flask
rule (`<code>`, `<int:item_id>`), the summary from the view's docstring unless given, the
bearer security and its 401 from `token_required`. Schemas are pydantic models
(caseprep/api/schemas.py): wherever a declaration names a model, the document gets a `$ref`
and the model's JSON Schema as a component. pydantic writes JSON Schema 2020-12, which is
what OpenAPI 3.1 uses, so `null` is a type and 3.0's `nullable` never appears.

A declaration's responses map a status to
- a string: for an error status, an `Error` body with that description; else no body;
- `(description, Model or schema)`: a JSON body;
- a dict: the OpenAPI response object as written (models inside it are resolved too).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from flask import current_app, jsonify
from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from caseprep.api.blueprint import bp
from caseprep.api.facts_schema import FACTS_SCHEMA, fill_from_rules

PREFIX = "/api/v1"
BEARER: list[dict[str, list[str]]] = [{"bearerAuth": []}]
SCHEMA_REF = "#/components/schemas/{model}"
UNAUTHORIZED = "No valid token (missing, expired, ended, or for another case)"
# Path parameters described once; any other takes its type from the rule's converter.
PATH_PARAMETERS = {
    "code": {"description": "The case code, XXXX-XXXX-XXXX-XXXX (any case, dashes optional).",
             "schema": {"type": "string", "maxLength": 64}},
}
_CONVERTER_TYPES = {"int": {"type": "integer"}, "float": {"type": "number"}}
_RULE_ARGUMENT = re.compile(r"<(?:(?P<converter>[a-z]+)(?:\([^)]*\))?:)?(?P<name>[a-z_]+)>")
_METHODS = ("get", "put", "post", "delete", "patch")

ERROR_SCHEMA = {
    "type": "object",
    "required": ["error", "message"],
    "properties": {
        "error": {"type": "string", "description": "A stable slug, e.g. invalid_fact."},
        "message": {"type": "string", "description": "A sentence for people."},
        "fact": {"type": "string", "description": "The fact at fault (invalid_fact)."},
        "field": {"type": "string", "description": "The request field at fault."},
        "code": {"type": "string", "description": "Why an upload was refused."},
    },
}


@dataclass(frozen=True)
class Operation:
    """What one view declares about itself for the document."""

    operation_id: str
    responses: Mapping[int, Any]
    body: Any = None
    query: Mapping[str, Mapping] = field(default_factory=dict)
    summary: str | None = None
    description: str | None = None


def operation(operation_id: str, *, responses: Mapping[int, Any], body: Any = None,
              query: Mapping[str, Mapping] | None = None, summary: str | None = None,
              description: str | None = None) -> Callable:
    """Declare a view's operation (see the module docstring); the view itself is unchanged.

    `body` is a model or schema (a required JSON body) or a whole requestBody object (a dict
    with `content`); `query` maps optional query parameters to their schemas."""
    declared = Operation(operation_id, responses, body, query or {}, summary, description)

    def declare(view: Callable) -> Callable:
        # The declaration rides on the view function itself, where document() finds it.
        view.openapi_operation = declared  # type: ignore[attr-defined]
        return view

    return declare


def ref(name: str) -> dict:
    return {"$ref": SCHEMA_REF.format(model=name)}


def error_response(description: str) -> dict:
    return {"description": description, "content": {"application/json": {
        "schema": ref("Error")}}}


def document() -> dict:
    """The whole document (a fresh dict) for the current app's routes and rules."""
    models: dict[str, type[BaseModel]] = {}
    paths: dict[str, dict] = {}
    for rule in current_app.url_map.iter_rules():
        view = current_app.view_functions.get(rule.endpoint)
        declared = _declaration(view)
        if not rule.rule.startswith(PREFIX + "/") or view is None or declared is None:
            continue
        path = _RULE_ARGUMENT.sub(r"{\g<name>}", rule.rule[len(PREFIX):])
        item = paths.setdefault(path, {})
        for method in sorted(m.lower() for m in rule.methods or () if m.lower() in _METHODS):
            item[method] = _operation(rule.rule, view, declared, models)
    schemas = {"Error": copy.deepcopy(ERROR_SCHEMA), "Facts": copy.deepcopy(FACTS_SCHEMA)}
    if models:
        _, top = models_json_schema([(m, "serialization") for m in models.values()],
                                    ref_template=SCHEMA_REF)
        schemas.update(top.get("$defs", {}))
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
        "servers": [{"url": PREFIX}],
        "paths": dict(sorted(paths.items())),
        "components": {
            "schemas": dict(sorted(schemas.items())),
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}},
        },
    }
    fill_from_rules(doc)
    return doc


def _declaration(view: Callable | None) -> Operation | None:
    """The view's declaration, looked for through decorators that did not copy it."""
    while view is not None:
        declared = getattr(view, "openapi_operation", None)
        if declared is not None:
            return declared
        view = getattr(view, "__wrapped__", None)
    return None


def _requires_token(view: Callable | None) -> bool:
    while view is not None:
        if getattr(view, "requires_token", False):
            return True
        view = getattr(view, "__wrapped__", None)
    return False


def _operation(rule: str, view: Callable, declared: Operation,
               models: dict[str, type[BaseModel]]) -> dict:
    summary = declared.summary or (view.__doc__ or "").strip().split("\n", 1)[0]
    op: dict[str, Any] = {"operationId": declared.operation_id, "summary": summary}
    if declared.description:
        op["description"] = declared.description
    parameters = [_path_parameter(m["name"], m["converter"])
                  for m in _RULE_ARGUMENT.finditer(rule)]
    parameters += [{"name": name, "in": "query", "required": False,
                    "schema": _resolve(schema, models)}
                   for name, schema in declared.query.items()]
    if parameters:
        op["parameters"] = parameters
    if declared.body is not None:
        body = declared.body
        op["requestBody"] = _resolve(body if isinstance(body, dict) and "content" in body
                                     else {"required": True, "content": {
                                         "application/json": {"schema": body}}}, models)
    responses = {str(status): _response(status, spec, models)
                 for status, spec in declared.responses.items()}
    if _requires_token(view):
        op["security"] = copy.deepcopy(BEARER)
        responses.setdefault("401", error_response(UNAUTHORIZED))
    op["responses"] = dict(sorted(responses.items()))
    return op


def _path_parameter(name: str, converter: str | None) -> dict:
    described = PATH_PARAMETERS.get(name) or {
        "schema": _CONVERTER_TYPES.get(converter or "", {"type": "string"})}
    return {"name": name, "in": "path", "required": True, **copy.deepcopy(described)}


def _response(status: int, spec: Any, models: dict[str, type[BaseModel]]) -> dict:
    if isinstance(spec, str):
        return error_response(spec) if status >= 400 else {"description": spec}
    if isinstance(spec, tuple):
        description, schema = spec
        return {"description": description, "content": {"application/json": {
            "schema": _resolve(schema, models)}}}
    return _resolve(spec, models)


def _resolve(value: Any, models: dict[str, type[BaseModel]]) -> Any:
    """`value` with every pydantic model in it replaced by a `$ref` (and collected)."""
    if isinstance(value, type) and issubclass(value, BaseModel):
        models[value.__name__] = value
        return ref(value.__name__)
    if isinstance(value, dict):
        return {key: _resolve(item, models) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_resolve(item, models) for item in value]
    return copy.deepcopy(value)


@bp.get("/openapi.json")
def show_openapi():
    return jsonify(document())
