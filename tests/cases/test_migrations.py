"""Alembic: the packaged migrations build the schema the models describe, and go down again."""

from sqlalchemy import inspect

from caseprep import migrate
from caseprep.db import Base, make_engine


def test_upgrade_creates_tables_and_is_idempotent(db_url):
    engine = make_engine(db_url)
    try:
        migrate.upgrade_to_head(engine)
        migrate.upgrade_to_head(engine)  # second start-up: nothing to do
        tables = set(inspect(engine).get_table_names())
        assert {"cases", "case_records", "alembic_version"} <= tables
        assert migrate.current_revision(engine) == migrate.head_revision()
    finally:
        engine.dispose()


def test_migration_matches_models(db_url):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    engine = make_engine(db_url)
    try:
        migrate.upgrade_to_head(engine)
        with engine.connect() as conn:
            ctx = MigrationContext.configure(conn, opts={"compare_type": False})
            diff = [d for d in compare_metadata(ctx, Base.metadata)
                    if _table_of(d) in {"cases", "case_records"}]
        assert diff == []
    finally:
        engine.dispose()


def test_downgrade_removes_the_cases_tables(db_url):
    engine = make_engine(db_url)
    try:
        migrate.upgrade_to_head(engine)
        migrate.downgrade(engine, "base")
        assert not {"cases", "case_records"} & set(inspect(engine).get_table_names())
        migrate.upgrade_to_head(engine)
        assert "cases" in inspect(engine).get_table_names()
    finally:
        engine.dispose()


def test_revision_chain_starts_with_cases():
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(migrate.alembic_config())
    base = script.get_revision("0001_cases")
    assert base.down_revision is None


def _table_of(diff):
    item = diff[0] if isinstance(diff, list) else diff
    for part in item[1:]:
        name = getattr(part, "name", None)
        table = getattr(part, "table", None)
        if table is not None:
            return table.name
        if name:
            return name
    return None


def test_concurrent_start_ups_migrate_once(db_url):
    """Several app-server processes starting together on a fresh database: none fails."""
    import subprocess
    import sys

    script = ("import sys; from caseprep.db import make_engine; "
              "from caseprep.migrate import upgrade_to_head; "
              "upgrade_to_head(make_engine(sys.argv[1]))")
    procs = [subprocess.Popen([sys.executable, "-c", script, db_url], stderr=subprocess.PIPE)
             for _ in range(3)]
    results = [(p.wait(timeout=120), p.stderr.read().decode()) for p in procs]
    assert [code for code, _err in results] == [0, 0, 0], results
    engine = make_engine(db_url)
    try:
        assert migrate.current_revision(engine) == migrate.head_revision()
    finally:
        engine.dispose()
