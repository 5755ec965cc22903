"""API test fixtures: an app on a database of its own (SQLite, and PostgreSQL when it answers)."""

from __future__ import annotations

import pytest
from api_support import PASSPHRASE


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request, instance_path):
    if request.param == "sqlite":
        return f"sqlite:///{instance_path / 'caseprep.sqlite3'}"
    return request.getfixturevalue("postgres_schema_url")


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
