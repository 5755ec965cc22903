"""Bring the database schema to the newest Alembic revision (owner: cases).

Stub until the cases work lands: creates tables from the models' metadata.
"""

from __future__ import annotations

from sqlalchemy.engine import Engine


def upgrade_to_head(engine: Engine) -> None:
    from caseprep.db import Base

    Base.metadata.create_all(engine)
