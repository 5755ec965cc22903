"""`caseprep rules ...` (owner: rules core)."""

import click


@click.group()
def rules() -> None:
    """Validate, test, list and explain jurisdiction rule files."""
