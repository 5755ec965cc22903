"""Alembic environment: run on the connection caseprep.migrate hands over (no alembic.ini)."""

from __future__ import annotations

from alembic import context

from caseprep.db import Base

target_metadata = Base.metadata


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite ALTER via table copies
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    # `alembic -x url=...` from the command line (revision authoring).
    from caseprep.db import make_engine

    url = context.get_x_argument(as_dictionary=True).get("url")
    if not url:
        raise RuntimeError("pass -x url=<database url>")
    with make_engine(url).connect() as conn:
        _run(conn)


if context.is_offline_mode():
    raise RuntimeError("caseprep migrations run online only")
run()
