"""`caseprep evidence ...` (owner: evidence)."""

import click


@click.group()
def evidence() -> None:
    """Hash evidence folders, import chat exports, verify stored files."""
