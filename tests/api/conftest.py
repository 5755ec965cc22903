"""API test fixtures: an app on a database of its own (SQLite, and PostgreSQL when it answers)."""

from __future__ import annotations

import os
import uuid

import pytest
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

PASSPHRASE = "magnolia river 1987 kite"


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request, instance_path):
    if request.param == "sqlite":
        yield f"sqlite:///{instance_path / 'caseprep.sqlite3'}"
        return
    base = os.environ.get("CASEPREP_TEST_POSTGRES_URL")
    if not base:
        pytest.skip("CASEPREP_TEST_POSTGRES_URL not set (no PostgreSQL server answered)")
    schema = f"caseprep_api_{uuid.uuid4().hex[:16]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    try:
        url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        admin.dispose()


@pytest.fixture
def app(app_config, db_url):
    from caseprep import create_app

    app = create_app({**app_config, "database_url": db_url})
    yield app
    app.extensions["caseprep.engine"].dispose()


@pytest.fixture
def api(client):
    return Api(client)


class Api:
    """Small helpers over the test client: create a case, call with its token."""

    def __init__(self, client):
        self.client = client

    def create(self, jurisdictions=("cn",), locale="zh_Hans", passphrase=PASSPHRASE, **environ):
        response = self.client.post("/api/v1/cases", json={
            "passphrase": passphrase, "jurisdictions": list(jurisdictions), "locale": locale,
        }, environ_base=environ)
        assert response.status_code == 201, response.get_json()
        return response.get_json()

    def call(self, method, path, token=None, **kwargs):
        headers = kwargs.pop("headers", {})
        if token:
            headers["Authorization"] = f"Bearer {token}"
        return self.client.open(f"/api/v1{path}", method=method, headers=headers, **kwargs)
