"""`caseprep generate ...` (owner: documents)."""

import click


@click.command()
def generate() -> None:
    """Generate documents from a facts file."""
    raise click.ClickException("not implemented yet")
