"""The `caseprep` command: thin click commands over the services."""

from __future__ import annotations

import click


@click.group()
def main() -> None:
    """caseprep: prepare a case about photos shared without consent."""


def _register() -> None:
    from caseprep.cli import cases, documents, evidence, rules, serve

    main.add_command(serve.serve)
    main.add_command(rules.rules)
    main.add_command(evidence.evidence)
    main.add_command(documents.generate)
    main.add_command(cases.purge_expired)


_register()
