"""`caseprep worker`: run background tasks (Telegram imports, the hourly purge) on their own."""

from __future__ import annotations

import click

from caseprep.cli.instance import checked_settings, opened_database
from caseprep.config import Settings


@click.command()
@click.option("--threads", default=2, show_default=True, type=click.IntRange(1, 64),
              help="Tasks run at the same time.")
def worker(threads: int) -> None:
    """Consume the task queue until stopped (SIGTERM/SIGINT finish the running tasks first).

    Use it beside `caseprep serve --no-worker` or another WSGI server (caseprep.wsgi:app).
    With CASEPREP_REDIS_URL the queue is in Redis; otherwise it is the SQLite file in the
    instance folder, so the worker must run on the same machine as the server.
    """
    # lazy: loaded when the command runs, not when `caseprep` lists its commands (start-up time)
    from caseprep.documents import render_pool
    from caseprep.log_config import configure_logging
    from caseprep.tasks import run_worker

    settings = checked_settings()  # an unsafe setting is refused before anything starts
    configure_logging()
    _prepare_database(settings)
    click.echo("caseprep: worker consuming the "
               + ("Redis" if settings.redis_url else "instance folder's") + " task queue")
    render_pool.warm_up_in_background()  # the first packet need not wait for its workers
    run_worker(settings, workers=threads)


def _prepare_database(settings: Settings) -> None:
    """Bring the schema up to date (as every server does) and sweep orphaned files."""
    # lazy: loaded when the command runs, not when `caseprep` lists its commands (start-up time)
    from caseprep.cli.serve import sweep_orphan_files
    from caseprep.db import make_session_factory

    with opened_database(settings=settings) as (_settings, engine):
        sweep_orphan_files(settings, make_session_factory(engine))
