"""`--json` output and errors for the commands that offer it (one shape everywhere).

With `--json` a command prints exactly one JSON object on stdout, its errors included
(`{"error": "...", ...}`), and keeps its exit code: 0 fine, 1 a problem found or refused
(wrong passphrase, invalid file), 2 a wrong command line (click's own usage errors).
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any, NoReturn

import click

from caseprep.rules.errors import RuleError


def json_option(function):
    """`--json`; a click error raised inside the command is then printed as JSON too."""

    @functools.wraps(function)
    def command(*args, as_json: bool = False, **kwargs):
        try:
            return function(*args, as_json=as_json, **kwargs)
        except click.ClickException as exc:
            if not as_json or isinstance(exc, click.UsageError):
                raise
            emit({"error": exc.format_message()})
            raise SystemExit(exc.exit_code) from exc

    return click.option("--json", "as_json", is_flag=True,
                        help="Print one JSON object (errors too).")(command)


def emit(data: dict) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def fail(message: str, as_json: bool, code: int = 1, **extra: Any) -> NoReturn:
    """Report `message` (as {"error": ...} with --json, else on stderr) and exit `code`."""
    if as_json:
        emit({"error": message, **extra})
    else:
        click.echo(f"Error: {message}", err=True)
    raise SystemExit(code)


def rule_error(error: RuleError) -> dict:
    """A rule-file error as JSON: where (file with its path, line, YAML path) and what."""
    return {"file": str(Path(error.folder) / error.file) if error.folder else error.file,
            "line": error.line, "path": error.path, "message": error.message,
            "text": error.located()}
