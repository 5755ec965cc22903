"""Fixtures for the case-storage tests: a fresh database per test on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from caseprep.config import load_settings
from caseprep.db import make_engine, make_session_factory
from caseprep.migrate import upgrade_to_head
from caseprep.rules import Rules

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


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'cases.sqlite3'}"
    return request.getfixturevalue("postgres_schema_url")


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


@pytest.fixture
def catalog(small_catalog):
    """The small catalog, as the app hands it to the case service."""
    return Rules(small_catalog).catalog
