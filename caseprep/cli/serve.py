"""`caseprep serve`: the app behind Waitress, a production WSGI server, on localhost."""

from __future__ import annotations

import os

import click


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--instance", "instance", type=click.Path(file_okay=False), default=None,
              help="Instance folder (database, stored files). Env: CASEPREP_INSTANCE_PATH.")
@click.option("--threads", default=8, show_default=True, type=int)
def serve(host: str, port: int, instance: str | None, threads: int) -> None:
    """Run caseprep on HOST:PORT with SQLite and files under the instance folder."""
    from waitress import serve as waitress_serve

    from caseprep import create_app

    if instance:
        os.environ["CASEPREP_INSTANCE_PATH"] = os.path.abspath(instance)
    from caseprep.config import ConfigError

    try:
        app = create_app()
    except ConfigError as exc:  # an unsafe production setting: say which, no traceback
        raise click.ClickException(f"refusing to start: {exc}") from exc
    _sweep_orphan_files(app)
    from caseprep.serving import prepare_for_serving

    prepare_for_serving(app)
    consumer = _start_task_consumer(app)
    click.echo(f"caseprep: serving on http://{host}:{port}/ (instance {app.instance_path})")
    try:
        waitress_serve(app, host=host, port=port, threads=threads, ident="caseprep",
                       **_proxy_options(app))
    finally:
        if consumer is not None:
            consumer.stop()


def _proxy_options(app) -> dict:
    """Behind a reverse proxy the app reads X-Forwarded-For (ProxyFix, CASEPREP_TRUSTED_PROXIES);
    waitress 3 strips those headers by default, and every client would then share the
    proxy's address in the rate limits."""
    if app.config["CASEPREP"].trusted_proxies > 0:
        return {"clear_untrusted_proxy_headers": False}
    return {}


def _sweep_orphan_files(app) -> None:
    """Remove files a crash left without a row (see caseprep.evidence.sweep)."""
    from caseprep.evidence.sweep import sweep_orphan_files

    settings = app.config["CASEPREP"]
    db = app.extensions["caseprep.sessions"]()
    try:
        removed = sweep_orphan_files(db, settings.instance_path / "files",
                                     settings.orphan_grace_minutes * 60)
    finally:
        db.close()
    if removed:
        click.echo(f"caseprep: removed {removed} stored file(s) left by an interrupted write")


def _start_task_consumer(app):
    """Start the embedded background-task consumer (Huey: evidence imports)."""
    from caseprep.tasks import start_embedded_consumer

    return start_embedded_consumer(app)
