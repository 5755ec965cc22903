"""`caseprep evidence import-telegram EXPORT.zip --case CODE`: the web's import, from a shell.

The export goes through exactly the job the web form starts (caseprep.evidence.imports:
stored encrypted under a job key, read in place, matches staged and sealed to the case),
run here in the foreground instead of by the queue, then collected into the case's evidence
log with the open case. The passphrase is asked on the terminal or read from the first
line of stdin, never taken from the command line (where `ps` and shell history show it).
"""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path
from typing import BinaryIO

import click

from caseprep.cases import service as case_service
from caseprep.cases.errors import InvalidCredentials
from caseprep.cli.instance import opened_instance
from caseprep.cli.output import fail
from caseprep.evidence import imports
from caseprep.evidence.filestore import FileStore
from caseprep.evidence.refusals import UploadRefused


def read_passphrase() -> str:
    """From the terminal (hidden) or, when stdin is not one, its first line."""
    if sys.stdin.isatty():
        return click.prompt("Passphrase", hide_input=True)
    return sys.stdin.readline().rstrip("\r\n")


def import_into_case(export: Path, code: str, references: list[str], passphrase: str,
                     as_json: bool) -> dict:
    """Run the import job for case CODE; return the job (its summary once done)."""
    with opened_instance(as_json) as (settings, sessions):
        store = FileStore.from_settings(settings)
        with sessions() as db:
            try:
                case = case_service.open_case(db, settings, code, passphrase)
            except InvalidCredentials:
                fail("wrong case code or passphrase", as_json)
            try:
                with contextlib.ExitStack() as files:
                    refs: list[tuple[str, BinaryIO]] = [
                        (Path(r).name, files.enter_context(open(r, "rb"))) for r in references]
                    upload = files.enter_context(open(export, "rb"))
                    import_id, token = imports.start_import(
                        db, case, store, settings.secret, upload, export.name, refs)
            except UploadRefused as exc:
                fail(f"the export was refused: {exc.english()}", as_json, reason=exc.code)
            except imports.ImportRefused as exc:
                fail(f"the export was refused: {exc.message}", as_json, reason=exc.code)
        imports.run_import(sessions, store, settings.secret, token,
                           Path(settings.instance_path) / "work")
        with sessions() as db:
            job = imports.get_import(db, case, import_id, store)
    if job is None or job["status"] != "done":
        code = (job or {}).get("error_code") or "failed"
        fail(f"the import failed: {imports.ERRORS.get(code, code)}", as_json, reason=code)
    return job
