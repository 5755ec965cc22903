"""`caseprep rules review|impact|diff`: keeping the law current (issue 19).

Thin over caseprep.rules.review / impact / diff; each prints words, or JSON with `--json`,
and exits 0 unless a folder cannot be read (then 1, with every error of the folder).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import click

from caseprep.cli.rules_option import rules_option
from caseprep.rules import RuleFileError, Rules
from caseprep.rules.diff import diff as diff_folders
from caseprep.rules.impact import impact as impact_of
from caseprep.rules.review import DEFAULT_INTERVAL, DEFAULT_SOON_DAYS, staleness

_FOLDER = click.Path(exists=True, file_okay=False, path_type=Path)
_TODAY = click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
                      help="The day to count from (default: today).")
_JSON = click.option("--json", "as_json", is_flag=True, help="Print JSON.")


def _echo_json(data) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def _loaded(*folders: Rules):
    """Fail with every error when a folder is invalid; else nothing."""
    for rules in folders:
        try:
            _ = rules.jurisdictions
        except RuleFileError as exc:
            click.echo(str(exc), err=True)
            raise SystemExit(1) from exc


@click.command("review")
@rules_option
@_TODAY
@_JSON
@click.option("--interval", default=DEFAULT_INTERVAL, show_default=True,
              help="Reviews older than this ISO 8601 period are stale (P12M, P6M, P2Y).")
@click.option("--soon-days", default=DEFAULT_SOON_DAYS, show_default=True, type=int,
              help="Report in-force dates this many days ahead.")
def review(rules: Rules, today, as_json: bool, interval: str, soon_days: int) -> None:
    """What is stale: drafts, unconfirmed citations, old reviews, in-force dates, to-verify."""
    _loaded(rules)
    day = today.date() if today else dt.date.today()
    try:
        findings = staleness(rules.jurisdictions, day, interval, soon_days)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--interval") from exc
    if as_json:
        _echo_json({"today": day.isoformat(), "findings": [f.to_dict() for f in findings]})
        return
    for finding in findings:
        click.echo(f"{finding.jurisdiction} {finding.where}: {finding.message} [{finding.kind}]")
    kinds = sorted({f.kind for f in findings})
    counts = ", ".join(f"{sum(f.kind == k for f in findings)} {k}" for k in kinds)
    click.echo(f"{len(findings)} finding(s) as of {day}" + (f": {counts}" if counts else ""))


@click.command("impact")
@click.argument("old", type=_FOLDER)
@click.argument("new", type=_FOLDER)
@_TODAY
@_JSON
def impact(old: Path, new: Path, today, as_json: bool) -> None:
    """Every verdict that differs between OLD and NEW, over the scenarios and cases of both."""
    before, after = Rules(old), Rules(new)
    _loaded(before, after)
    result = impact_of(before, after, today.date() if today else None)
    if as_json:
        _echo_json(result.to_dict())
        return
    for change in result.changes:
        click.echo(f"{change.jurisdiction} {change.item_kind} {change.item!r}: "
                   f"{change.route} {change.old} → {change.new}")
        for reason in change.old_reasons:
            click.echo(f"    old: {reason}")
        for reason in change.new_reasons:
            click.echo(f"    new: {reason}")
    click.echo(result.summary())


@click.command("diff")
@click.argument("old", type=_FOLDER)
@click.argument("new", type=_FOLDER)
@_JSON
def diff(old: Path, new: Path, as_json: bool) -> None:
    """The routes, thresholds, citations and dates changed from OLD to NEW, in words."""
    before, after = Rules(old), Rules(new)
    _loaded(before, after)
    changes = diff_folders(before, after)
    if as_json:
        _echo_json({"changes": [c.to_dict() for c in changes]})
        return
    for change in changes:
        click.echo(str(change))
    click.echo(f"{len(changes)} change(s)")


COMMANDS = (review, impact, diff)
