"""Fixtures for evidence tests: a database with a case on SQLite (and PostgreSQL), a store."""

from __future__ import annotations

import pytest

from caseprep import paths
from caseprep.cases import service as case_service
from caseprep.config import load_settings
from caseprep.db import make_engine, make_session_factory
from caseprep.evidence.filestore import FileStore
from caseprep.migrate import upgrade_to_head
from caseprep.rules import Rules


@pytest.fixture
def settings(tmp_path):
    settings = load_settings({"instance_path": tmp_path / "instance", "env": "testing",
                              "kdf_n": 2**12, "max_upload_bytes": 5_000_000,
                              "max_case_bytes": 20_000_000})
    settings.prepare_instance()
    return settings


BOTH_DATABASES = pytest.mark.parametrize("db_url", ["sqlite", "postgres"], indirect=True)


@pytest.fixture
def db_url(request, settings):
    """SQLite by default; tests marked BOTH_DATABASES run on PostgreSQL too."""
    if getattr(request, "param", "sqlite") == "sqlite":
        return settings.sqlalchemy_url
    return request.getfixturevalue("postgres_schema_url")


@pytest.fixture
def db(db_url):
    engine = make_engine(db_url)
    upgrade_to_head(engine)
    session = make_session_factory(engine)()
    yield session
    session.close()
    engine.dispose()


@pytest.fixture
def case(db, settings):
    return case_service.create_case(db, settings, "correct horse battery", ["cn"], "en")


@pytest.fixture
def store(settings):
    return FileStore.from_settings(settings)


@pytest.fixture
def shipped_catalog():
    """The shipped facts catalog, as the app hands it to the evidence service."""
    return Rules(paths.resource_dir("jurisdictions")).catalog
