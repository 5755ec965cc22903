"""OpenAPI description of the case routes (caseprep/api/cases.py)."""

from __future__ import annotations

from caseprep.api.openapi import (
    BEARER,
    CASE_CODE,
    add_finalizer,
    add_models,
    add_paths,
    add_schemas,
    error_response,
    json_body,
    json_response,
)
from caseprep.api.schemas import CASE_MODELS
from caseprep.appshell.extensions import get_rules
from caseprep.appshell.i18n import LOCALES

FACT_VALUE = {
    "description": "bool, integer, string (text, enum value or YYYY-MM-DD date) or a list "
                   "of strings, as the facts catalog says; null makes the fact unknown.",
    "anyOf": [
        {"type": "boolean"}, {"type": "integer"}, {"type": "string"},
        {"type": "array", "items": {"type": "string"}}, {"type": "null"},
    ],
}

add_models(*CASE_MODELS)
add_schemas({
    "Facts": {"type": "object", "additionalProperties": FACT_VALUE,
              "example": {"content.kinds": ["everyday_photo"], "evidence.images_count": 34}},
})

_UNAUTHORIZED = error_response("No valid token")
_NOT_FOUND = error_response("No such case, or the token is for another case")
_RATE_LIMITED = error_response("Too many attempts; wait and try again")

add_paths({
    "/cases": {"post": {
        "operationId": "createCase", "summary": "Start a case",
        "requestBody": json_body({"$ref": "#/components/schemas/NewCase"}),
        "responses": {
            "201": json_response("The new case's code and a token",
                                 {"$ref": "#/components/schemas/CreatedCase"}),
            "400": error_response("Not a JSON object"),
            "422": error_response("A field is missing or wrong (see `field`)"),
            "429": _RATE_LIMITED,
        },
    }},
    "/sessions": {"post": {
        "operationId": "createSession", "summary": "Open a case: code + passphrase -> token",
        "requestBody": json_body({"$ref": "#/components/schemas/Credentials"}),
        "responses": {
            "200": json_response("A token", {"$ref": "#/components/schemas/Token"}),
            "401": error_response("Wrong code or passphrase (the same whichever is wrong)"),
            "422": error_response("The passphrase is longer than 1,024 characters"),
            "429": _RATE_LIMITED,
        },
    }},
    "/cases/{code}": {
        "parameters": [CASE_CODE],
        "get": {
            "operationId": "showCase", "summary": "The case's jurisdictions and language",
            "security": BEARER,
            "responses": {"200": json_response("The case", {"$ref": "#/components/schemas/Case"}),
                          "401": _UNAUTHORIZED, "404": _NOT_FOUND},
        },
        "delete": {
            "operationId": "deleteCase", "summary": "Delete the case for good",
            "security": BEARER,
            "responses": {"204": {"description": "Deleted"}, "401": _UNAUTHORIZED,
                          "404": _NOT_FOUND},
        },
    },
    "/cases/{code}/facts": {
        "parameters": [CASE_CODE],
        "get": {
            "operationId": "showFacts", "summary": "The answered facts", "security": BEARER,
            "responses": {"200": json_response("Fact id -> value",
                                               {"$ref": "#/components/schemas/Facts"}),
                          "401": _UNAUTHORIZED, "404": _NOT_FOUND},
        },
        "patch": {
            "operationId": "updateFacts", "summary": "Change some answers", "security": BEARER,
            "requestBody": json_body({"$ref": "#/components/schemas/Facts"},
                                     "Only the facts named change; null makes one unknown."),
            "responses": {"200": json_response("All facts after the change",
                                               {"$ref": "#/components/schemas/Facts"}),
                          "400": error_response("Not a JSON object"),
                          "401": _UNAUTHORIZED, "404": _NOT_FOUND,
                          "409": error_response("Too many writers at once; retry"),
                          "422": error_response("An unknown fact or a wrong value (see `fact`)")},
        },
    },
    "/cases/{code}/passphrase": {
        "parameters": [CASE_CODE],
        "put": {
            "operationId": "changePassphrase",
            "summary": "Change the passphrase (re-wraps the key; content untouched)",
            "security": BEARER,
            "requestBody": json_body({"$ref": "#/components/schemas/PassphraseChange"}),
            "responses": {"204": {"description": "Changed"},
                          "400": error_response("Not a JSON object"),
                          "401": _UNAUTHORIZED,
                          "403": error_response("The current passphrase is wrong"),
                          "404": _NOT_FOUND,
                          "422": error_response("A passphrase is too short or too long"),
                          "429": _RATE_LIMITED},
        },
    },
    "/cases/{code}/assessment": {
        "parameters": [CASE_CODE],
        "get": {
            "operationId": "showAssessment", "summary": "Every route and how far the case is",
            "security": BEARER,
            "parameters": [{"name": "lang", "in": "query", "required": False,
                            "schema": {"type": "string", "enum": list(LOCALES)}}],
            "responses": {"200": json_response("One assessment per jurisdiction",
                                               {"$ref": "#/components/schemas/Assessments"}),
                          "401": _UNAUTHORIZED, "404": _NOT_FOUND,
                          "422": error_response("Unknown language")},
        },
    },
})


def _fact_schema(fact) -> dict:
    """The JSON schema of one fact's answer, from its catalog type (null = unknown)."""
    if fact.type == "bool":
        schema = {"type": "boolean"}
    elif fact.type == "int":
        schema = {"type": "integer"}
        if fact.min is not None:
            schema["minimum"] = fact.min
        if fact.max is not None:
            schema["maximum"] = fact.max
    elif fact.type == "enum":
        schema = {"type": "string", "enum": list(fact.values or [])}
    elif fact.type == "list":
        schema = {"type": "array", "uniqueItems": True,
                  "items": {"type": "string", "enum": list(fact.values or [])}}
    elif fact.type == "date":
        schema = {"type": "string", "format": "date"}
    else:
        schema = {"type": "string", "maxLength": 20000}
    return {"anyOf": [schema, {"type": "null"}]}


def _fill_from_rules(doc: dict) -> None:
    """Jurisdiction codes and fact types come from the app's rules (its configured folder)."""
    rules = get_rules()
    schemas = doc["components"]["schemas"]
    codes = sorted(rules.jurisdictions)
    schemas["NewCase"]["properties"]["jurisdictions"]["items"]["enum"] = codes
    catalog = rules.catalog
    schemas["Facts"] = {
        "type": "object",
        "description": "Fact id -> answer; see jurisdictions/facts.yaml.",
        "properties": {fid: _fact_schema(fact) for fid, fact in catalog.facts.items()},
        "additionalProperties": False,
        "example": schemas["Facts"].get("example"),
    }


add_finalizer(_fill_from_rules)
