"""Bring the database schema to the newest Alembic revision, programmatically.

The scripts live inside the package (caseprep/migrations), so this works from a checkout
and from a wheel without an alembic.ini. Called by create_app at start-up.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Engine

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config(connection=None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def _import_models() -> None:
    """Register every feature's models on Base.metadata (for autogenerate and checks)."""
    import importlib
    import importlib.util

    import caseprep.cases.models  # noqa: F401

    if importlib.util.find_spec("caseprep.evidence.models") is not None:
        importlib.import_module("caseprep.evidence.models")


def upgrade_to_head(engine: Engine) -> None:
    """Apply every pending revision in one transaction (a no-op when already current)."""
    _import_models()
    if current_revision(engine) == head_revision():
        return
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "head")


def downgrade(engine: Engine, revision: str) -> None:
    with engine.begin() as connection:
        command.downgrade(alembic_config(connection), revision)


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()
