"""Bring the database schema to the newest Alembic revision, programmatically.

The scripts live inside the package (caseprep/migrations), so this works from a checkout
and from a wheel without an alembic.ini. Called by create_app at start-up.
"""

from __future__ import annotations

import contextlib
import os
import re
import threading
from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import Script, ScriptDirectory
from sqlalchemy.engine import Engine

# Every feature's models, imported so they are on Base.metadata (autogenerate and checks).
from caseprep.cases import models as _case_models  # noqa: F401
from caseprep.db import Base
from caseprep.evidence import models as _evidence_models  # noqa: F401

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
_PROCESS_LOCK = threading.Lock()
_LOCK_ID = 0x63617365  # "case": the advisory lock that serialises migrations on PostgreSQL


def alembic_config(connection=None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def upgrade_to_head(engine: Engine) -> None:
    """Apply every pending revision in one transaction (a no-op when already current)."""
    head = head_revision()
    if current_revision(engine) == head:
        return
    # Alembic's `context` is process-global, so one migration at a time per process; a
    # SQLite file is also locked across processes (PostgreSQL: the advisory lock below).
    with _PROCESS_LOCK, _sqlite_file_lock(engine):
        if current_revision(engine) == head:
            return
        _upgrade(engine, head)


def _upgrade(engine: Engine, head: str | None) -> None:
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # Several app servers may start at once: one migrates, the others wait here
            # and then find nothing left to do (the lock ends with the transaction).
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_LOCK_ID})")
            if MigrationContext.configure(connection).get_current_revision() == head:
                return
        command.upgrade(alembic_config(connection), "head")


@contextlib.contextmanager
def _sqlite_file_lock(engine: Engine):
    database = engine.url.database if engine.dialect.name == "sqlite" else None
    if not database or database == ":memory:":
        yield
        return
    import fcntl

    fd = os.open(f"{database}.migrate-lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def downgrade(engine: Engine, revision: str) -> None:
    with _PROCESS_LOCK, _sqlite_file_lock(engine), engine.begin() as connection:
        command.downgrade(alembic_config(connection), revision)


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def model_differences(engine: Engine) -> list:
    """What Alembic's autogenerate would write for the models against this database."""
    with engine.connect() as connection:
        return compare_metadata(MigrationContext.configure(connection), Base.metadata)


def write_revision(engine: Engine, message: str) -> str:
    """Autogenerate the next revision (NNNN_slug, as the shipped ones) and return its path."""
    head = head_revision() or "0000"
    number = int(head.split("_", 1)[0]) + 1
    slug = re.sub(r"[^a-z0-9]+", "_", message.lower()).strip("_")[:40] or "change"
    with engine.begin() as connection:
        config = alembic_config(connection)
        config.set_main_option("file_template", "%%(rev)s")  # the id already has the slug
        script = command.revision(config, message=message, autogenerate=True,
                                  rev_id=f"{number:04d}_{slug}")
    if not isinstance(script, Script):  # one revision was asked for; Alembic may say none
        raise RuntimeError(f"alembic wrote no single revision for {message!r}")
    return script.path
