"""`caseprep serve`: the app behind Waitress, a production WSGI server, on localhost."""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Iterator

import click

from caseprep.cli.instance import checked_settings, database_errors


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--instance", "instance", type=click.Path(file_okay=False), default=None,
              help="Instance folder (database, stored files). Env: CASEPREP_INSTANCE_PATH.")
@click.option("--threads", default=8, show_default=True, type=int,
              help="Request threads per server process.")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Server processes (one per core). More than one needs CASEPREP_REDIS_URL.")
@click.option("--no-worker", is_flag=True,
              help="Do not run background tasks here: a separate `caseprep worker` does.")
def serve(host: str, port: int, instance: str | None, threads: int, workers: int,
          no_worker: bool) -> None:
    """Run caseprep on HOST:PORT with SQLite and files under the instance folder."""
    # lazy: loaded when the command runs, not when `caseprep` lists its commands (start-up time)
    from caseprep import create_app
    from caseprep.serving import encrypt_server_buffers, prepare_for_serving, waitress_options

    if instance:
        os.environ["CASEPREP_INSTANCE_PATH"] = os.path.abspath(instance)
    # An invalid or unsafe setting stops here with the reason, before the app is built
    # (create_app checks the same settings again, and then finds them safe).
    redis_url = checked_settings().redis_url
    if workers > 1 and not redis_url:
        raise click.UsageError(
            "--workers N needs CASEPREP_REDIS_URL: the processes share nothing in memory, "
            "so the rate limits and the task queue must live in Redis (one process: omit "
            "--workers)")
    with database_errors():
        app = create_app()
    sweep_orphan_files(app.config["CASEPREP"], app.extensions["caseprep.sessions"])
    prepare_for_serving(app)
    encrypt_server_buffers()
    settings = app.config["CASEPREP"]
    options = dict(threads=threads, **waitress_options(settings), **_proxy_options(settings))
    if workers == 1:
        consumer = None if no_worker else _start_task_consumer(settings)
        click.echo(f"caseprep: serving on http://{host}:{port}/ (instance {app.instance_path})")
        try:
            with _listening(host, port):
                _waitress(app, host=host, port=port, **options)
        finally:
            if consumer is not None:
                consumer.stop()
        return
    # lazy: loaded when the command runs, not when `caseprep` lists its commands (start-up time)
    from caseprep.cli import prefork

    with _listening(host, port):
        sock = prefork.bind(host, port)
    click.echo(f"caseprep: serving on http://{host}:{port}/ with {workers} processes "
               f"(instance {app.instance_path})")

    def consumer_in_parent():
        if no_worker:
            return None
        return _start_task_consumer(settings).stop

    status = prefork.serve_forked(
        app, sock, workers, lambda app, sock: _waitress(app, sockets=[sock], **options),
        in_parent=consumer_in_parent)
    raise SystemExit(status)


@contextlib.contextmanager
def _listening(host: str, port: int) -> Iterator[None]:
    """A port taken by another server, a privileged port, or an address this machine does
    not have: one line saying so, not a traceback."""
    try:
        yield
    except OSError as exc:
        if exc.errno not in (errno.EADDRINUSE, errno.EACCES, errno.EADDRNOTAVAIL):
            raise
        raise click.ClickException(f"cannot listen on {host}:{port}: {exc.strerror}") from exc


def _waitress(app, **options) -> None:
    from waitress import serve as waitress_serve

    waitress_serve(app, **options)


def _proxy_options(settings) -> dict:
    """Behind a reverse proxy the app reads X-Forwarded-For (ProxyFix, CASEPREP_TRUSTED_PROXIES);
    waitress 3 strips those headers by default, and every client would then share the
    proxy's address in the rate limits."""
    if settings.trusted_proxies > 0:
        return {"clear_untrusted_proxy_headers": False}
    return {}


def _start_task_consumer(settings):
    """Start the embedded background-task consumer (Huey: evidence imports, hourly purge)."""
    # lazy: loaded when the command runs, not when `caseprep` lists its commands (start-up time)
    from caseprep.documents import render_pool
    from caseprep.tasks import start_embedded_consumer

    consumer = start_embedded_consumer(settings)
    render_pool.warm_up_in_background()  # the first packet need not wait for its workers
    return consumer


def sweep_orphan_files(settings, sessions) -> None:
    """Fail the imports a crash interrupted, then remove files a crash left without a row
    (see caseprep.evidence.sweep); at start-up of `caseprep serve` and `caseprep worker`."""
    # lazy: loaded when the command runs, not when `caseprep` lists its commands (start-up time)
    from caseprep.evidence.sweep import fail_interrupted_imports
    from caseprep.evidence.sweep import sweep_orphan_files as sweep

    db = sessions()
    try:
        # With the SQLite queue nothing else runs jobs: whatever was "running" died with the
        # last process. With Redis, only jobs silent for the grace period.
        fail_interrupted_imports(db, settings.orphan_grace_minutes * 60
                                 if settings.redis_url else 0)
        removed = sweep(db, settings.instance_path / "files", settings.orphan_grace_minutes * 60)
    finally:
        db.close()
    if removed:
        click.echo(f"caseprep: removed {removed} stored file(s) left by an interrupted write")
