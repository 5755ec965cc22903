"""The `caseprep` command: thin click commands over the services."""

from __future__ import annotations

import click

from caseprep.cli import case, cases, db, documents, evidence, rules, serve, worker


@click.group()
@click.version_option(package_name="caseprep", prog_name="caseprep")
def main() -> None:
    """caseprep: prepare a case about photos shared without consent."""


def _register() -> None:
    main.add_command(serve.serve)
    main.add_command(worker.worker)
    main.add_command(db.db)
    main.add_command(rules.rules)
    main.add_command(evidence.evidence)
    main.add_command(documents.generate)
    main.add_command(cases.purge_expired)
    main.add_command(case.case)


_register()
