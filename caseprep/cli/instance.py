"""The settings of a command that works on this installation, checked before it starts."""

from __future__ import annotations

from caseprep.cli.output import fail
from caseprep.config import ConfigError, Settings, load_settings


def checked_settings(as_json: bool = False) -> Settings:
    """The environment's settings with the instance folder prepared; an unsafe production
    setting stops the command with the reason (as {"error": ...} with --json), not a
    traceback."""
    settings = load_settings()
    settings.prepare_instance()
    try:
        settings.check()
    except ConfigError as exc:
        fail(f"refusing to start: {exc}", as_json)
    return settings
