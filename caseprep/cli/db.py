"""`caseprep db upgrade | current | check`: the database schema, over Alembic.

`caseprep serve` (every app process) also upgrades at start-up, one at a time; these
commands let an operator migrate before a release, see where a database stands, and let CI
check that the migrations and the models agree.
"""

from __future__ import annotations

import click

from caseprep.cli.instance import opened_database


@click.group()
def db() -> None:
    """Database schema (Alembic revisions in caseprep/migrations)."""


@db.command()
def upgrade() -> None:
    """Apply every pending revision (a no-op when the database is current)."""
    # lazy: loaded when the command runs, not when `caseprep` lists its commands (start-up time)
    from caseprep import migrate

    with opened_database(migrate=False) as (_settings, engine):
        before = migrate.current_revision(engine)
        migrate.upgrade_to_head(engine)
        after = migrate.current_revision(engine)
    click.echo(f"database at {after} (was {before or 'empty'})")


@db.command()
def current() -> None:
    """Print the database's revision and the newest one this code knows."""
    # lazy: loaded when the command runs, not when `caseprep` lists its commands (start-up time)
    from caseprep import migrate

    with opened_database(migrate=False) as (_settings, engine):
        revision = migrate.current_revision(engine)
    head = migrate.head_revision()
    state = "current" if revision == head else "needs `caseprep db upgrade`"
    click.echo(f"database: {revision or 'empty'}  code: {head}  ({state})")


@db.command()
def check() -> None:
    """Exit 1 if revisions are pending or the models differ from what the migrations build."""
    # lazy: loaded when the command runs, not when `caseprep` lists its commands (start-up time)
    from caseprep import migrate

    with opened_database(migrate=False) as (_settings, engine):
        revision = migrate.current_revision(engine)
        head = migrate.head_revision()
        if revision != head:
            click.echo(f"pending: database at {revision or 'empty'}, code at {head}", err=True)
            raise SystemExit(1)
        differences = migrate.model_differences(engine)
    if differences:
        click.echo("the models differ from the migrations (write a revision):", err=True)
        for difference in differences:
            click.echo(f"  {difference}", err=True)
        raise SystemExit(1)
    click.echo(f"database at {head}; models and migrations agree")


@db.command()
@click.argument("message")
def revision(message: str) -> None:
    """Write a new revision from the models' differences (review it before committing).

    Run it against a database at the current head (`caseprep db upgrade` first); the file
    lands in caseprep/migrations/versions as NNNN_<message>.py.
    """
    # lazy: loaded when the command runs, not when `caseprep` lists its commands (start-up time)
    from caseprep import migrate

    with opened_database(migrate=False) as (_settings, engine):
        if migrate.current_revision(engine) != migrate.head_revision():
            raise click.ClickException("upgrade the database first: caseprep db upgrade")
        path = migrate.write_revision(engine, message)
    click.echo(f"wrote {path}")
