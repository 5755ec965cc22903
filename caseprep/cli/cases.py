"""`caseprep purge-expired`: delete abandoned cases past the retention period."""

from __future__ import annotations

import click

from caseprep.cli.instance import opened_instance
from caseprep.cli.output import emit, json_option


@click.command("purge-expired")
@json_option
def purge_expired(as_json: bool) -> None:
    """Delete cases not visited for CASEPREP_RETENTION_DAYS, completely (crypto-shred)."""
    # lazy: loaded when the command runs, not when `caseprep` lists its commands (start-up time)
    from caseprep.cases.retention import purge_expired as purge

    with opened_instance(as_json) as (_settings, sessions), sessions() as db:
        count = purge(db)
    if as_json:
        emit({"purged": count})
    else:
        click.echo(f"purged {count} expired case(s)")
