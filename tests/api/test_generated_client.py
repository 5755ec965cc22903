"""A client generated from the OpenAPI document by openapi-python-client runs a whole case.

create -> facts -> assessment -> evidence -> documents -> delete, through the generated
functions and models only (the client talks to the app in-process over httpx's WSGI
transport: no port, nothing leaves the machine). A document the generator cannot read, or a
response the client cannot parse, fails here.
"""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys

import httpx
import pytest
from api_support import PASSPHRASE

pytestmark = pytest.mark.slow
PACKAGE = "caseprep_api_client"


@pytest.fixture
def db_url(instance_path):
    return f"sqlite:///{instance_path / 'caseprep.sqlite3'}"


@pytest.fixture
def generated(app, tmp_path, monkeypatch):
    """The client package, generated into tmp_path from the app's own document."""
    spec = tmp_path / "openapi.json"
    spec.write_text(json.dumps(app.test_client().get("/api/v1/openapi.json").get_json()))
    generator = os.path.join(os.path.dirname(sys.executable), "openapi-python-client")
    env = {**os.environ, "PATH": os.path.dirname(sys.executable) + os.pathsep
           + os.environ.get("PATH", "")}
    done = subprocess.run([generator, "generate", "--path", str(spec), "--meta", "none",
                           "--output-path", str(tmp_path / PACKAGE)], env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Warning" not in done.stdout, done.stdout
    monkeypatch.syspath_prepend(str(tmp_path))
    for name in [m for m in sys.modules if m.startswith(PACKAGE)]:
        del sys.modules[name]
    return lambda name: importlib.import_module(f"{PACKAGE}.{name}")


def test_a_generated_client_runs_a_case(app, generated):
    client_module = generated("client")
    api = lambda name: generated(f"api.default.{name}")  # noqa: E731
    models = generated("models")
    transport = httpx.WSGITransport(app=app)
    base = "http://localhost/api/v1"
    anonymous = client_module.Client(base_url=base, httpx_args={"transport": transport})

    created = api("create_case").sync_detailed(client=anonymous, body=models.NewCase.from_dict(
        {"passphrase": PASSPHRASE, "jurisdictions": ["cn"], "locale": "en"}))
    assert created.status_code == 201, created.content
    case = created.parsed
    assert isinstance(case, models.CreatedCase)
    client = client_module.AuthenticatedClient(base_url=base, token=case.token,
                                               httpx_args={"transport": transport})

    facts = api("update_facts").sync_detailed(case.code, client=client,
                                              body=models.Facts.from_dict({
                                                  "evidence.images_count": 34,
                                                  "content.kinds": ["everyday_photo"]}))
    assert facts.status_code == 200, facts.content
    assert facts.parsed.to_dict()["evidence.images_count"] == 34

    assessment = api("show_assessment").sync_detailed(case.code, client=client)
    assert assessment.status_code == 200, assessment.content
    [cn] = assessment.parsed.assessments
    assert cn.jurisdiction == "cn" and cn.routes
    assert {r.status.value if hasattr(r.status, "value") else r.status for r in cn.routes} <= {
        "met", "not_met", "unknown", "time_barred"}

    added = api("add_evidence").sync_detailed(case.code, client=client,
                                              body=models.EvidenceFields.from_dict(
                                                  {"kind": "screenshot",
                                                   "platform": "Telegram"}))
    assert added.status_code == 201, added.content
    assert isinstance(added.parsed, models.EvidenceItem)
    listed = api("list_evidence").sync_detailed(case.code, client=client)
    assert listed.status_code == 200 and listed.parsed.counts.total == 1
    manifest = api("evidence_manifest").sync_detailed(case.code, client=client)
    assert manifest.status_code == 200, manifest.content

    document = api("generate_documents").sync_detailed(
        case.code, client=client, body=models.DocumentRequest.from_dict(
            {"kinds": ["evidence_checklist"], "format": "html", "jurisdiction": "cn"}))
    assert document.status_code == 200, document.content
    assert b"<html" in document.content[:2000].lower()

    deleted = api("delete_case").sync_detailed(case.code, client=client)
    assert deleted.status_code == 204
    gone = api("show_case").sync_detailed(case.code, client=client)
    assert gone.status_code in (401, 404)
