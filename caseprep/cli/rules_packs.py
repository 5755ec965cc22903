"""`caseprep rules pack|install|rollback`: signed rule packs (issue 19; caseprep.rules.packs).

Installed packs live in `<instance>/rules/`; the app and every `caseprep rules` command use
the current one unless CASEPREP_RULES_PATH or `--rules` names a folder. A server reads the
pack it started with: restart it after `install` or `rollback`.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from caseprep.cli.instance import loaded_settings
from caseprep.rules.packs import (
    PackError,
    build_pack,
    check_folder,
    fingerprint,
    install_pack,
    load_private_key,
    load_public_key,
)
from caseprep.rules.packs import (
    rollback as rollback_pack,
)

PACKS_FOLDER = "rules"
_JSON = click.option("--json", "as_json", is_flag=True, help="Print JSON.")
_INSTANCE = click.option("--instance", type=click.Path(file_okay=False, path_type=Path),
                         default=None,
                         help="Instance folder (default: CASEPREP_INSTANCE_PATH, else ./instance).")


def packs_root(instance: Path | None, as_json: bool = False) -> Path:
    """Where installed packs live: <instance>/rules."""
    return loaded_settings(as_json, instance).instance_path / PACKS_FOLDER


def _done(as_json: bool, data: dict, words: str) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2) if as_json else words)


def _refused(as_json: bool, exc: PackError):
    if as_json:
        click.echo(json.dumps({"ok": False, "error": str(exc)}, ensure_ascii=False, indent=2))
    else:
        click.echo(f"refused: {exc}", err=True)
    raise SystemExit(1) from exc


@click.command("pack")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--key", "key_file", required=True,
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Ed25519 private key, PEM (openssl genpkey -algorithm ed25519).")
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The pack file to write (e.g. ourrules-2026.12.1.zip).")
@click.option("--version", "version", required=True, help="Pack version, e.g. 2026.12.1.")
@_JSON
def pack(folder: Path, key_file: Path, out: Path, version: str, as_json: bool) -> None:
    """Check FOLDER (validate, scenarios, cases), then sign it into a pack."""
    if not out.parent.is_dir():  # before the folder's checks, which take a while
        _refused(as_json, PackError(f"--out {out}: no folder {out.parent}"))
    try:
        key = load_private_key(key_file)
        problems = check_folder(folder)
        if problems:
            raise PackError("the folder fails its own checks:\n  " + "\n  ".join(problems[:10]))
        manifest = build_pack(folder, key, version, out)
    except PackError as exc:
        _refused(as_json, exc)
    except OSError as exc:  # the folder cannot be written to, the disk is full
        _refused(as_json, PackError(f"--out {out}: cannot write: {exc.strerror or exc}"))
    signer = fingerprint(key.public_key())
    _done(as_json, {"ok": True, "pack": str(out), "version": version, "key": signer,
                    "jurisdictions": manifest["jurisdictions"],
                    "files": len(manifest["files"])},
          f"packed {len(manifest['files'])} file(s) of {folder} as {version} into {out} "
          f"(signed with key {signer})")


@click.command("install")
@click.argument("pack_file", metavar="PACK",
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--trust", "trust_file", required=True,
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The publisher's Ed25519 public key, PEM.")
@_INSTANCE
@_JSON
def install(pack_file: Path, trust_file: Path, instance: Path | None, as_json: bool) -> None:
    """Verify PACK's signature and files, check it, and make it the rules in use."""
    root = packs_root(instance, as_json)
    try:
        installed = install_pack(pack_file, load_public_key(trust_file), root)
    except PackError as exc:
        _refused(as_json, exc)
    where = root / installed.version
    _done(as_json, {"ok": True, "version": installed.version, "folder": str(where),
                    "jurisdictions": installed.manifest["jurisdictions"]},
          f"installed rule pack {installed.version} in {where} "
          f"({', '.join(f'{c} {v}' for c, v in installed.manifest['jurisdictions'].items())}); "
          f"restart the server to use it")


@click.command("rollback")
@_INSTANCE
@_JSON
def rollback(instance: Path | None, as_json: bool) -> None:
    """Go back to the rule pack installed before the current one (or the shipped rules)."""
    root = packs_root(instance, as_json)
    try:
        was, now = rollback_pack(root)
    except PackError as exc:
        _refused(as_json, exc)
    _done(as_json, {"ok": True, "from": was, "to": now},
          f"rolled back from rule pack {was} to "
          f"{f'rule pack {now}' if now else 'the shipped rules'}; restart the server to use it")


COMMANDS = (pack, install, rollback)
