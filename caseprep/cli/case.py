"""`caseprep case keygen|export|import`: hand a whole case to a lawyer as one encrypted file.

Passphrases are read from a prompt (hidden) or, with --passphrase-stdin, from the first line of
standard input; never from the command line, where other users and the shell history see them.
Like the other commands, these import the services when they run, so that `caseprep --help`
and `--version` do not load the database and crypto stacks.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from caseprep.cli.instance import opened_instance
from caseprep.cli.rules_option import rules_option


@click.group()
def case() -> None:
    """Export a case for a lawyer, import one, make a lawyer's key pair."""


def _secret(prompt: str, from_stdin: bool, confirm: bool = False) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    return click.prompt(prompt, hide_input=True, confirmation_prompt=confirm)


def _secret_key(identity: Path) -> str:
    """The AGE-SECRET-KEY- line of an identity file (as `caseprep case keygen` or age-keygen
    writes it); the file's other lines are not shown, whatever they hold."""
    try:
        lines = identity.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise click.ClickException(f"--identity {identity.name}: cannot read it as an age "
                                   f"key file") from exc
    for line in lines:
        if line.strip().startswith("AGE-SECRET-KEY-"):
            return line.strip()
    raise click.ClickException(f"--identity {identity.name}: no age secret key in it (a line "
                               f"starting AGE-SECRET-KEY-, as `caseprep case keygen` writes)")


@case.command("keygen")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              required=True, help="Where to write the secret key (created, mode 600).")
def keygen(output: Path) -> None:
    """Make an age key pair for a lawyer: keep the secret file, give out the public key."""
    from pyrage import x25519

    identity = x25519.Identity.generate()
    try:
        fh = output.open("x", encoding="ascii")
    except FileExistsError as exc:
        raise click.ClickException(f"{output} exists: a secret key is never overwritten; "
                                   f"choose another file") from exc
    except OSError as exc:
        raise click.ClickException(f"cannot write {output}: {exc.strerror or exc}") from exc
    with fh:
        output.chmod(0o600)
        fh.write(f"# public key: {identity.to_public()}\n{identity}\n")
    click.echo(str(identity.to_public()))


@case.command("export")
@click.argument("code")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              required=True, help="The bundle file to write.")
@click.option("--to", "recipient", metavar="AGE_PUBLIC_KEY",
              help="Encrypt to this age public key (age1...), the lawyer's.")
@click.option("--passphrase-stdin", is_flag=True,
              help="Read the case passphrase from standard input.")
def export_command(code, output, recipient, passphrase_stdin) -> None:
    """Write case CODE as one encrypted file: to a lawyer's key, or to a one-time passphrase
    printed once."""
    # lazy: loaded when the command runs, not when `caseprep` lists its commands (start-up time)
    from caseprep.cases import bundle, service
    from caseprep.cases.errors import InvalidCredentials
    from caseprep.evidence.filestore import FileStore

    if not output.parent.is_dir():  # say so before the passphrase is asked, not after
        raise click.ClickException(f"cannot write {output}: no folder {output.parent}")
    secret = _secret("Case passphrase", passphrase_stdin)
    one_time = None if recipient else bundle.one_time_passphrase()
    with opened_instance() as (settings, sessions), sessions() as db:
        try:
            opened = service.open_case(db, settings, code, secret)
        except InvalidCredentials as exc:
            raise click.ClickException("That code and passphrase do not open a case.") from exc
        try:
            data = bundle.export_case(db, opened, FileStore.from_settings(settings),
                                      recipient=recipient, passphrase=one_time)
        except bundle.BundleError as exc:
            raise click.ClickException(str(exc)) from exc
    try:
        output.write_bytes(data)
    except OSError as exc:
        raise click.ClickException(f"cannot write {output}: {exc.strerror or exc}") from exc
    click.echo(f"wrote {output} ({len(data)} bytes)")
    if one_time:
        click.echo(f"one-time passphrase (shown only now): {one_time}")


@case.command("import")
@click.argument("bundle_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--identity", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The age secret key file the bundle was encrypted to.")
@click.option("--passphrase-stdin", is_flag=True,
              help="Read the bundle's passphrase (without --identity) and then the new "
                   "case's passphrase from standard input, one per line.")
@rules_option
def import_command(bundle_file, identity, passphrase_stdin, rules) -> None:
    """Open BUNDLE_FILE, check every file's fingerprint, and make it a new case here."""
    # lazy: loaded when the command runs, not when `caseprep` lists its commands (start-up time)
    from caseprep.cases import bundle
    from caseprep.cases.opened import WeakPassphrase, check_passphrase
    from caseprep.evidence.filestore import FileStore

    key = _secret_key(identity) if identity is not None else None
    bundle_passphrase = None if key else _secret("Bundle passphrase", passphrase_stdin)
    new_passphrase = _secret("Passphrase for the new case", passphrase_stdin, confirm=True)
    try:  # before the bundle is opened and the database touched
        check_passphrase(new_passphrase)
    except WeakPassphrase as exc:
        raise click.ClickException(f"the new case's passphrase is too short: use {exc}") from exc
    with opened_instance() as (settings, sessions), sessions() as db:
        try:
            result = bundle.import_case(db, settings, FileStore.from_settings(settings), rules,
                                        bundle_file.read_bytes(), new_passphrase,
                                        identity=key, passphrase=bundle_passphrase)
        except (bundle.BundleError, ValueError) as exc:
            raise click.ClickException(str(exc)) from exc
    click.echo(f"imported as case {result.case.code}: {result.items} evidence item(s), "
               f"{result.files} file(s) checked against their SHA-256")
