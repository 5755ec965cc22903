"""Fixtures for the case-storage tests: a fresh database per test on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import uuid
from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

from caseprep.config import load_settings
from caseprep.db import make_engine, make_session_factory
from caseprep.migrate import upgrade_to_head

FACTS_YAML = """\
version: 1
facts:
  - id: victim.is_minor
    type: bool
    section: about_you
    question: {en: Minor?, zh_Hans: 未成年？}
  - id: evidence.images_count
    type: int
    min: 0
    section: evidence
    question: {en: Images?, zh_Hans: 图片？}
  - id: incident.first_known
    type: date
    section: what_happened
    question: {en: When?, zh_Hans: 何时？}
  - id: content.kinds
    type: list
    values: [intimate_image, everyday_photo]
    section: what_happened
    question: {en: What?, zh_Hans: 什么？}
  - id: incident.narrative
    type: text
    section: what_happened
    question: {en: Tell us, zh_Hans: 请说}
"""
FACT_IDS = ["victim.is_minor", "evidence.images_count", "incident.first_known",
            "content.kinds", "incident.narrative"]


@contextmanager
def fresh_database(kind: str, tmp_path):
    """A database URL of its own: a SQLite file, or a new PostgreSQL schema dropped after."""
    if kind == "sqlite":
        yield f"sqlite:///{tmp_path / 'cases.sqlite3'}"
        return
    base = os.environ.get("CASEPREP_TEST_POSTGRES_URL")
    if not base:
        pytest.skip("CASEPREP_TEST_POSTGRES_URL not set (no PostgreSQL server answered)")
    # A schema per test (much faster than a database); search_path points every connection at it.
    name = f"caseprep_test_{uuid.uuid4().hex[:16]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{name}"')
    try:
        url = make_url(base).update_query_dict({"options": f"-csearch_path={name}"})
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request, tmp_path):
    with fresh_database(request.param, tmp_path) as url:
        yield url


@pytest.fixture
def engine(db_url):
    engine = make_engine(db_url)
    upgrade_to_head(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def sessions(engine):
    """A session factory whose sessions are all closed before the database is dropped."""
    factory = make_session_factory(engine)
    opened = []

    def make():
        session = factory()
        opened.append(session)
        return session

    yield make
    for session in opened:
        session.close()


@pytest.fixture
def db(sessions):
    session = sessions()
    yield session
    session.close()


@pytest.fixture
def settings(tmp_path):
    settings = load_settings({"instance_path": tmp_path / "instance", "env": "testing",
                              "kdf_n": 2**12, "retention_days": 30})
    settings.prepare_instance()
    return settings


@pytest.fixture(autouse=True)
def small_catalog(tmp_path, monkeypatch):
    """A small facts catalog of our own, so these tests do not follow the shipped one."""
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "facts.yaml").write_text(FACTS_YAML, encoding="utf-8")
    monkeypatch.setenv("CASEPREP_RULES_PATH", str(rules))
    return rules
