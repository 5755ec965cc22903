"""The settings and database of a command that works on this installation, checked before it
starts: the one way every command opens the instance.

A setting the environment gets wrong (CASEPREP_ENV=prod, CASEPREP_RETENTION_DAYS=abc), an
instance folder that cannot be made, a database that does not answer and an unsafe
production setting each stop the command with one line naming the setting or the folder
(as {"error": ...} with --json) and exit 1: the operator's mistake, not a traceback.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import ValidationError
from pydantic_settings import SettingsError

from caseprep.cli.output import fail
from caseprep.config import ConfigError, Settings, load_settings

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from sqlalchemy.orm import sessionmaker


def loaded_settings(as_json: bool = False, instance: str | Path | None = None) -> Settings:
    """The environment's settings (with `--instance` on top when given); a value that is
    not valid stops the command naming the setting. The folder is neither made nor checked:
    for commands that only read a path from the settings (the rules folder in use)."""
    try:
        return load_settings({"instance_path": instance} if instance else None)
    except ValidationError as exc:
        fail(_invalid(exc), as_json)
    except SettingsError as exc:  # a JSON setting (CASEPREP_QUICK_EXIT_URLS) that is not JSON
        field = re.search(r'field "(\w+)"', str(exc))
        name = f"CASEPREP_{field.group(1).upper()}" if field else "a CASEPREP_ setting"
        fail(f"invalid setting: {name}: not valid JSON", as_json)


def checked_settings(as_json: bool = False, instance: str | Path | None = None) -> Settings:
    """The settings with the instance folder prepared; an unsafe production setting stops
    the command with the reason (as {"error": ...} with --json), not a traceback."""
    settings = loaded_settings(as_json, instance)
    try:
        settings.prepare_instance()
    except (FileExistsError, NotADirectoryError):
        fail(f"the instance folder {settings.instance_path} (CASEPREP_INSTANCE_PATH) cannot "
             f"be made: a file is in the way (it, or a folder above it)", as_json)
    except OSError as exc:
        fail(f"cannot use the instance folder {settings.instance_path} "
             f"(CASEPREP_INSTANCE_PATH): {exc.strerror or exc}", as_json)
    try:
        settings.check()
    except ConfigError as exc:
        fail(f"refusing to start: {exc}", as_json)
    if settings.redis_url:
        _check_redis_url(settings.redis_url, as_json)
    return settings


def _check_redis_url(url: str, as_json: bool) -> None:
    """A CASEPREP_REDIS_URL Redis cannot parse fails when the queue or the rate limits first
    reach for it, deep in a traceback; its form is checked here (not whether Redis answers:
    the queue waits for a Redis that restarts)."""
    # lazy: loaded when a command opens the instance, and only with a Redis URL set
    from redis.connection import parse_url

    try:
        parse_url(url)
    except ValueError as exc:
        fail(f"invalid setting: CASEPREP_REDIS_URL: {exc}", as_json)


@contextlib.contextmanager
def opened_database(as_json: bool = False, instance: str | Path | None = None,
                    migrate: bool = True, settings: Settings | None = None,
                    ) -> Iterator[tuple[Settings, Engine]]:
    """(checked settings, engine) of the instance's database, opened through
    `wiring.open_database` (migrated unless `migrate` is false, services wired) and
    disposed of on the way out. A database that cannot be reached stops the command here.
    `settings`: ones `checked_settings` already returned (a command that must refuse an
    unsafe setting before it does anything else)."""
    # lazy: loaded when a command opens the database, not when `caseprep` lists its commands
    from caseprep.wiring import open_database

    settings = settings or checked_settings(as_json, instance)
    with database_errors(as_json):
        engine = open_database(settings, migrate=migrate)
        if not migrate:  # migrating connects; otherwise find out now, not halfway through
            engine.connect().close()
    try:
        yield settings, engine
    finally:
        engine.dispose()


@contextlib.contextmanager
def database_errors(as_json: bool = False) -> Iterator[None]:
    """Stop the command with one line when the database cannot be opened (a URL that is not
    one, a server that refuses, a file that cannot be made); wraps only the opening."""
    # lazy: loaded when a command opens the database, not when `caseprep` lists its commands
    from sqlalchemy.exc import ArgumentError, OperationalError

    try:
        yield
    except ArgumentError:
        fail("CASEPREP_DATABASE_URL is not a database URL "
             "(e.g. postgresql+psycopg://user@host/name)", as_json)
    except OperationalError as exc:
        # The driver's first line says why (refused, no such database, unable to open the
        # file); the URL, which may hold a password, is not printed.
        reason = str(exc.orig or exc).strip().splitlines()[0]
        fail(f"cannot open the database: {reason}", as_json)


@contextlib.contextmanager
def opened_instance(as_json: bool = False, instance: str | Path | None = None,
                    ) -> Iterator[tuple[Settings, sessionmaker]]:
    """(checked settings, session factory) of the instance's migrated database: what a
    command that works on cases opens."""
    # lazy: loaded when a command opens the database, not when `caseprep` lists its commands
    from caseprep.db import make_session_factory

    with opened_database(as_json, instance) as (settings, engine):
        yield settings, make_session_factory(engine)


def _invalid(exc: ValidationError) -> str:
    """One line naming each wrong setting (CASEPREP_<NAME>) and what it should be; pydantic's
    copy of the value is left out (a key or a URL with a password may be one)."""
    problems = []
    for error in exc.errors(include_input=False, include_url=False):
        message = error["msg"].removeprefix("Value error, ")
        where = error["loc"][0] if error["loc"] else None
        problems.append(f"CASEPREP_{str(where).upper()}: {message}" if where else message)
    return "invalid setting: " + "; ".join(problems)
