"""One installation's database, opened with the services wired to each other.

Every process that works on cases (the app, the worker, the CLI) opens its database here, so
the connections between packages that must not import each other are made in one place a
newcomer can read: a shredded case's evidence files go with it (the cases package signals,
the evidence file store listens; see caseprep.cases.shred).
"""

from __future__ import annotations

from sqlalchemy.engine import Engine

from caseprep.db import make_engine
from caseprep.evidence.filestore import FileStore
from caseprep.evidence.service import delete_files_with_cases
from caseprep.migrate import upgrade_to_head


def open_database(settings, migrate: bool = True) -> Engine:
    """The engine of `settings`' database, migrated to the newest revision unless told not
    to, with case deletion reaching the evidence file store."""
    engine = make_engine(settings.sqlalchemy_url)
    if migrate:
        upgrade_to_head(engine)
    connect_services(engine, settings)
    return engine


def connect_services(engine: Engine, settings) -> None:
    """Wire the services for `engine`'s cases (also for engines made elsewhere, e.g. tests)."""
    delete_files_with_cases(engine, FileStore.from_settings(settings))
