"""`--rules DIR`: the one option every command that reads rule files shares.

The CLI is an edge of the app: here, and only here, a missing `--rules` falls back to the
folder the app would use (`Settings.rules_path`): CASEPREP_RULES_PATH, else the rule pack
installed under the instance folder, else the shipped jurisdictions/ folder.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from caseprep.rules import Rules


def _to_rules(ctx: click.Context, _param, folder: Path | None) -> Rules:
    # lazy: imported when a command runs, not when `caseprep --help` builds the command list.
    from caseprep.cli.instance import loaded_settings
    from caseprep.rules import Rules

    if folder is not None:
        return Rules(folder)
    # Without --rules on the command line this runs after the options given there, so a
    # --json given is known: an invalid setting is then reported as JSON too.
    return Rules(loaded_settings(bool(ctx.params.get("as_json"))).rules_folder)


_OPTION = click.option(
    "--rules", "rules", callback=_to_rules,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Rules folder: facts.yaml and one <code>.yaml per jurisdiction "
         "(default: CASEPREP_RULES_PATH, else the installed rule pack, else the shipped "
         "jurisdictions/).")


def rules_option(command):
    """Add `--rules DIR` to `command`, which receives `rules` (a caseprep.rules.Rules)."""
    return _OPTION(command)


def rules_option_for_paths(command):
    """Add `--rules DIR` to a command that takes PATHS (validate, test): the folder is what
    it checks when no PATHS are named."""

    @functools.wraps(command)
    def with_paths(*args, rules: Rules, **kwargs):
        kwargs["paths"] = tuple(kwargs["paths"]) or (rules.folder,)
        return command(*args, **kwargs)

    return _OPTION(with_paths)
