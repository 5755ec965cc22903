"""OpenAPI-driven fuzzing of /api/v1 with schemathesis (in-process WSGI, bounded): no 500s.

Each operation is called with generated bodies, paths and headers, half the time with a
valid token for a real case, so the fuzz reaches past authentication.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from caseprep.appshell.extensions import limiter

MAX_EXAMPLES = 15
SLOW_EXAMPLES = 2
PASSPHRASE = "quartz meadow 4417 ferry"


@pytest.fixture
def fuzz_app(app_config):
    from caseprep import create_app

    app = create_app({**app_config, "kdf_n": 2**10})
    client = app.test_client()
    created = client.post("/api/v1/cases", json={
        "passphrase": PASSPHRASE, "jurisdictions": ["cn"], "locale": "en"}).get_json()
    limiter.enabled = False  # 429s would hide the deeper paths from the fuzz
    try:
        yield app, created["code"], created["token"]
    finally:
        limiter.enabled = True


def _operations(app):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    return [result.ok() for result in schema.get_all_operations()]


@pytest.mark.slow
def test_no_operation_answers_500(fuzz_app):
    app, code, token = fuzz_app
    operations = _operations(app)
    assert len(operations) >= 6
    failures: list[str] = []
    tried = 0
    seen: set[tuple[str, str, int]] = set()

    def run(case):
        nonlocal tried
        tried += 1
        headers = dict(case.headers or {})
        if case.path_parameters and "code" in case.path_parameters and tried % 2:
            case.path_parameters["code"] = code
        if tried % 3:
            headers["Authorization"] = f"Bearer {token}"
        response = case.call(headers=headers)
        seen.add((case.method.upper(), case.path, response.status_code // 100))
        if response.status_code >= 500:
            failures.append(f"{case.method} {case.formatted_path} -> {response.status_code}"
                            f" body={case.body!r:.200}")

    # Deleting the case last, so the other operations meet a live case.
    operations.sort(key=lambda op: (op.method.upper() == "DELETE" and op.path == "/cases/{code}"))
    for operation in operations:
        # Rendering PDFs takes a second or more each: fewer examples there.
        examples = SLOW_EXAMPLES if operation.path.endswith("/documents") else MAX_EXAMPLES
        fuzz = given(case=operation.as_strategy())(run)
        settings(max_examples=examples, deadline=None, database=None,
                 suppress_health_check=list(HealthCheck))(fuzz)()
    assert tried >= len(operations) * SLOW_EXAMPLES
    # The fuzz got past authentication: successful answers from the case's own routes.
    assert ("PATCH", "/cases/{code}/facts", 2) in seen
    assert ("GET", "/cases/{code}/assessment", 2) in seen
    assert failures == [], "\n".join(failures[:10])
