"""The parts of the OpenAPI document that come from the rules in use, not from code: the
`Facts` schema (one property per catalog fact, typed as the catalog says) and the
jurisdiction codes a new case may name. An NGO's own rules folder changes both."""

from __future__ import annotations

from caseprep.appshell.extensions import get_rules

FACT_VALUE = {
    "description": "bool, integer, string (text, enum value or YYYY-MM-DD date) or a list "
                   "of strings, as the facts catalog says; null makes the fact unknown.",
    "anyOf": [
        {"type": "boolean"}, {"type": "integer"}, {"type": "string"},
        {"type": "array", "items": {"type": "string"}}, {"type": "null"},
    ],
}
# Before the rules fill it in (fill_from_rules): any fact id, any fact value.
FACTS_SCHEMA = {"type": "object", "additionalProperties": FACT_VALUE,
                "example": {"content.kinds": ["everyday_photo"], "evidence.images_count": 34}}


def fact_schema(fact) -> dict:
    """The JSON schema of one fact's answer, from its catalog type (null = unknown)."""
    if fact.type == "bool":
        schema: dict = {"type": "boolean"}
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


def fill_from_rules(doc: dict) -> None:
    """Jurisdiction codes and fact types from the app's rules (its configured folder)."""
    rules = get_rules()
    schemas = doc["components"]["schemas"]
    if "NewCase" in schemas:
        schemas["NewCase"]["properties"]["jurisdictions"]["items"]["enum"] = sorted(
            rules.jurisdictions)
    schemas["Facts"] = {
        "type": "object",
        "description": "Fact id -> answer; see jurisdictions/facts.yaml.",
        "properties": {fid: fact_schema(fact) for fid, fact in rules.catalog.facts.items()},
        "additionalProperties": False,
        "example": FACTS_SCHEMA["example"],
    }
