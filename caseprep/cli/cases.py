"""`caseprep purge-expired` (owner: cases)."""

import click


@click.command("purge-expired")
def purge_expired() -> None:
    """Delete abandoned cases past the retention period."""
    raise click.ClickException("not implemented yet")
