"""Background jobs through Huey: SQLite under the instance folder, or Redis when configured.

`caseprep serve` needs no other server: `start_embedded_consumer(app)` runs a Huey consumer
in threads of the app's own process, with the queue in instance/tasks.sqlite3. With
CASEPREP_REDIS_URL set the queue lives in Redis instead, so several app servers (each with
its embedded consumer) share the work. Task arguments never hold a key that opens a case:
the import token carries a one-off job key for the job's own inputs, sealed with the
server's secret, and the results are sealed to the case (see caseprep.evidence.imports).

Huey's own consumer finds the queue as `caseprep.tasks.huey` (`huey_consumer
caseprep.tasks.huey`); `caseprep worker` runs the same consumer. The attribute is built on
first use from the environment (a module `__getattr__`), so importing this module does
nothing. Periodic jobs run once per slot however many consumers schedule them: each run
claims its slot in the queue's own storage first (`_claim_slot`).

A task that fails reaches Huey as `TaskFailed`, naming the task and the kind of error only:
Huey logs the exception it gets and stores its repr and traceback in the queue's result
storage (SQLite file or Redis, unencrypted), and an error's message may quote case content
(a fact value, chat text, a file name). The frames go to our log, messages withheld
(`caseprep.log_config.safe_traceback`).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from huey import RedisHuey, SqliteHuey, crontab
from huey.consumer import Consumer
from huey.exceptions import CancelExecution, RetryTask

from caseprep.cases.retention import purge_expired
from caseprep.config import Settings, load_settings
from caseprep.db import make_session_factory
from caseprep.documents import generation_job
from caseprep.evidence.filestore import FileStore
from caseprep.evidence.imports import run_import
from caseprep.log_config import install_log_redaction, safe_traceback
from caseprep.rules import Rules
from caseprep.wiring import open_database

QUEUE_NAME = "caseprep"

_state: dict = {"huey": None, "settings": None, "tasks": {}}
_log = logging.getLogger(__name__)


class TaskFailed(Exception):
    """What Huey sees of a failed caseprep task: its name and the error's kind, no message."""


def _contained(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
    """`func`, whose errors reach Huey as TaskFailed (not chained), their frames logged here.

    Huey's own control exceptions (retry, cancel) pass through unchanged.
    """
    @functools.wraps(func)
    def run(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except (RetryTask, CancelExecution):
            raise
        except Exception as exc:
            kind = type(exc).__qualname__
            _log.error("task %s failed with %s (messages withheld)\n%s", name, kind,
                       safe_traceback(exc))
            # `from None`: Huey formats the traceback it stores; the original (and its
            # message) must not be in it.
            raise TaskFailed(f"{name} failed with {kind}; see the log") from None
    return run


def make_huey(settings: Settings, name: str = QUEUE_NAME):
    """The queue for these settings: RedisHuey with a Redis URL, else SqliteHuey on disk."""
    if settings.redis_url:
        return RedisHuey(name, url=settings.redis_url, utc=True)
    Path(settings.instance_path).mkdir(parents=True, exist_ok=True)
    path = Path(settings.instance_path) / "tasks.sqlite3"
    return SqliteHuey(name, filename=str(path), utc=True)


def configure(settings: Settings, name: str = QUEUE_NAME):
    """Create the queue for `settings` and register caseprep's tasks on it."""
    # Every process with a queue scrubs its log records, `huey_consumer caseprep.tasks.huey`
    # too (it sets up its own logging, not ours).
    install_log_redaction()
    huey = make_huey(settings, name)
    _state.update(huey=huey, settings=settings, tasks={}, rules=None)

    def register(key: str, func: Callable[..., Any]) -> None:
        name = f"caseprep.{key}"
        _state["tasks"][key] = huey.task(name=name)(_contained(name, func))

    register("import_telegram", _import_telegram)
    register("generate_documents", _generate_documents)
    register("ping", _ping)
    # Abandoned cases are shredded without anyone having to remember `caseprep purge-expired`.
    _state["tasks"]["purge_expired"] = huey.periodic_task(
        crontab(minute="17"), name="caseprep.purge_expired")(
            _contained("caseprep.purge_expired", _purge_expired_once))
    return huey


def __getattr__(name: str):
    """`caseprep.tasks.huey`: the queue configured from the environment, for huey_consumer."""
    if name == "huey":
        return get_huey()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def get_huey(settings: Settings | None = None):
    if _state["huey"] is None or (settings is not None and settings is not _state["settings"]):
        if settings is None:
            settings = load_settings()
        configure(settings)
    return _state["huey"]


def task(name: str, settings: Settings | None = None):
    get_huey(settings)
    return _state["tasks"][name]


def enqueue_import(settings: Settings, token: str):
    """Queue a Telegram import (see caseprep.evidence.imports.start_import for the token)."""
    return task("import_telegram", settings)(token)


def enqueue_documents(settings: Settings, token: str):
    """Queue a case packet (see caseprep.documents.generation_job.start for the token)."""
    return task("generate_documents", settings)(token)


def _generate_documents(token: str) -> str:
    settings = _state["settings"]
    if _state.get("rules") is None:
        _state["rules"] = Rules(settings.rules_folder)
    return generation_job.run(FileStore.from_settings(settings), _state["huey"].storage,
                              settings.secret_key, token, _state["rules"])


def _ping(value):
    return value


def _claim_slot(huey, job: str, now: datetime | None = None) -> bool:
    """True for the first consumer to run `job` this hour; every other one gets False.

    Every consumer with periodic=True (each `caseprep serve`, each `caseprep worker`)
    enqueues the hourly purge; the claim, an atomic put-if-empty in the queue's storage
    (Redis or the SQLite file every process shares), makes only one of them do it.
    """
    now = now or datetime.now(UTC)
    slot = now.strftime("%Y%m%d%H")
    claimed = huey.storage.put_if_empty(f"{job}:{slot}", b"1")
    if claimed:
        previous = (now - timedelta(hours=2)).strftime("%Y%m%d%H")
        huey.storage.delete_data(f"{job}:{previous}")  # keep the storage small
    return bool(claimed)


def _purge_expired_once() -> int | None:
    """The hourly purge, skipped (None) when another consumer already ran it this hour."""
    if not _claim_slot(_state["huey"], "caseprep.purge_expired"):
        return None
    return purge_expired_cases()


def purge_expired_cases() -> int:
    """Shred every case past its retention date (hourly; the same as `caseprep purge-expired`)."""
    engine = open_database(_state["settings"], migrate=False)
    try:
        with make_session_factory(engine)() as db:
            return purge_expired(db)
    finally:
        engine.dispose()


def _import_telegram(token: str) -> str:
    settings = _state["settings"]
    engine = open_database(settings, migrate=False)
    try:
        return run_import(make_session_factory(engine), FileStore.from_settings(settings),
                          settings.secret_key, token, Path(settings.instance_path) / "work")
    finally:
        engine.dispose()


class _EmbeddedConsumer(Consumer):
    """A consumer that leaves signal handling to the server it runs inside."""

    def _set_signal_handlers(self):
        pass


class EmbeddedConsumer:
    """Handle on the consumer threads started by `start_embedded_consumer`."""

    def __init__(self, consumer: Consumer):
        self._consumer = consumer

    def stop(self, graceful: bool = True) -> None:
        self._consumer.stop(graceful=graceful)


def start_embedded_consumer(app_or_settings, workers: int = 1) -> EmbeddedConsumer:
    """Run Huey's consumer in threads of this process (used by `caseprep serve`)."""
    settings = (app_or_settings if isinstance(app_or_settings, Settings)
                else app_or_settings.config["CASEPREP"])
    huey = get_huey(settings)
    logging.getLogger("huey").setLevel(logging.WARNING)  # task names only, never arguments
    consumer = _EmbeddedConsumer(huey, workers=workers, periodic=True, worker_type="thread",
                                 initial_delay=0.05, max_delay=1.0, check_worker_health=False)
    consumer.start()
    return EmbeddedConsumer(consumer)


def run_worker(settings: Settings, workers: int = 2) -> None:
    """Run the consumer in the foreground until SIGTERM/SIGINT (`caseprep worker`)."""
    huey = get_huey(settings)
    consumer = Consumer(huey, workers=workers, periodic=True, worker_type="thread",
                        initial_delay=0.05, max_delay=1.0)
    consumer.run()
