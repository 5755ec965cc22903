"""The OpenAPI document is valid 3.1, complete (operationIds, 401s, body schemas) and kept."""

from __future__ import annotations

import json
import re

import pytest
from api_support import PASSPHRASE
from openapi_spec_validator import OpenAPIV31SpecValidator

METHODS = ("get", "put", "post", "delete", "patch")


@pytest.fixture
def db_url(instance_path):
    """SQLite only: the document and the request checks do not depend on the database."""
    return f"sqlite:///{instance_path / 'caseprep.sqlite3'}"


@pytest.fixture
def doc(app):
    return app.test_client().get("/api/v1/openapi.json").get_json()


def _operations(doc):
    for path, item in doc["paths"].items():
        for method in METHODS:
            if method in item:
                yield path, method, item[method]


def test_the_document_is_valid_openapi_3_1(doc):
    assert doc["openapi"] == "3.1.0"
    errors = [str(e)[:200] for e in OpenAPIV31SpecValidator(doc).iter_errors()]
    assert errors == []
    # 3.0's way of saying null has no place in a 3.1 document.
    assert '"nullable"' not in json.dumps(doc)


def test_every_operation_has_a_unique_operation_id(doc):
    ids = [op.get("operationId") for _, _, op in _operations(doc)]
    assert None not in ids
    assert len(ids) == len(set(ids))


def test_every_operation_with_a_token_documents_401(doc):
    secured = [(p, m) for p, m, op in _operations(doc) if op.get("security")]
    assert len(secured) >= 12
    missing = [(p, m) for p, m, op in _operations(doc)
               if op.get("security") and "401" not in op["responses"]]
    assert missing == []


@pytest.mark.parametrize("path, method, schema", [
    ("/cases/{code}/evidence", "get", "EvidenceList"),
    ("/cases/{code}/evidence/{item_id}", "patch", "EvidenceItem"),
    ("/cases/{code}/evidence/manifest", "get", "Manifest"),
    ("/cases/{code}/assessment", "get", "Assessments"),
])
def test_responses_have_schemas(doc, path, method, schema):
    content = doc["paths"][path][method]["responses"]["200"]["content"]["application/json"]
    assert content["schema"] == {"$ref": f"#/components/schemas/{schema}"}


def test_routes_and_gaps_are_described(doc):
    schemas = doc["components"]["schemas"]
    route = schemas["Route"]["properties"]
    assert route["gaps"]["items"] == {"$ref": "#/components/schemas/Gap"}
    assert set(route["status"]["enum"]) == {"met", "not_met", "unknown", "time_barred"}
    assert {"fact", "have", "need"} <= set(schemas["Gap"]["properties"])


def test_the_document_matches_real_responses(app):
    """What the views return validates against the generated schemas."""
    from jsonschema import Draft202012Validator

    client = app.test_client()
    doc = client.get("/api/v1/openapi.json").get_json()
    created = client.post("/api/v1/cases", json={"passphrase": PASSPHRASE,
                                                 "jurisdictions": ["cn"]}).get_json()
    auth = {"Authorization": f"Bearer {created['token']}"}
    base = f"/api/v1/cases/{created['code']}"
    client.patch(f"{base}/facts", json={"evidence.images_count": 34}, headers=auth)
    client.post(f"{base}/evidence", json={"kind": "screenshot", "platform": "Telegram"},
                headers=auth)
    for path, name in ((f"{base}/evidence", "EvidenceList"),
                       (f"{base}/evidence/manifest", "Manifest"),
                       (f"{base}/assessment", "Assessments")):
        response = client.get(path, headers=auth)
        assert response.status_code == 200
        schema = {"$ref": f"#/components/schemas/{name}", "components": doc["components"]}
        errors = list(Draft202012Validator(schema).iter_errors(response.get_json()))
        assert errors == [], (name, [e.message for e in errors][:3])


@pytest.mark.parametrize("path, body, field", [
    ("/api/v1/cases", {"passphrase": "x" * 1025, "jurisdictions": ["cn"]}, "passphrase"),
    ("/api/v1/sessions", {"code": "AAAA-AAAA-AAAA-AAAA", "passphrase": "x" * 1025},
     "passphrase"),
])
def test_a_passphrase_over_1024_characters_is_refused(client, path, body, field):
    response = client.post(path, json=body)
    assert response.status_code == 422
    assert response.get_json()["field"] == field


def test_a_passphrase_of_1024_characters_is_accepted(client):
    response = client.post("/api/v1/cases", json={"passphrase": "x" * 1024,
                                                  "jurisdictions": ["cn"]})
    assert response.status_code == 201


def test_a_new_passphrase_over_1024_characters_is_refused(client):
    created = client.post("/api/v1/cases", json={"passphrase": PASSPHRASE,
                                                 "jurisdictions": ["cn"]}).get_json()
    response = client.put(f"/api/v1/cases/{created['code']}/passphrase",
                          json={"old_passphrase": PASSPHRASE, "new_passphrase": "y" * 1025},
                          headers={"Authorization": f"Bearer {created['token']}"})
    assert response.status_code == 422
    assert response.get_json()["field"] == "new_passphrase"


def test_every_api_route_is_in_the_document_as_its_view_declares(app, doc):
    """The paths are built from the routes: none is left out, none is invented."""
    routes = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1/") and rule.rule != "/api/v1/openapi.json":
            path = re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", rule.rule[len("/api/v1"):])
            routes |= {(path, m.lower()) for m in rule.methods if m.lower() in METHODS}
    assert {(path, method) for path, method, _ in _operations(doc)} == routes
    view = app.view_functions["api.list_evidence"]
    assert doc["paths"]["/cases/{code}/evidence/{item_id}"]["get"]["parameters"][1] == {
        "name": "item_id", "in": "path", "required": True, "schema": {"type": "integer"}}
    assert doc["paths"]["/cases/{code}/evidence"]["get"]["operationId"] == \
        view.openapi_operation.operation_id


def test_the_documents_request_is_a_model_without_nulls(doc):
    body = doc["paths"]["/cases/{code}/documents"]["post"]["requestBody"]
    assert body["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/DocumentRequest"}
    request = doc["components"]["schemas"]["DocumentRequest"]["properties"]
    assert request["kinds"]["minItems"] == 1 and "evidence_list" in request["kinds"]["items"][
        "enum"]
    assert "null" not in json.dumps(request)
