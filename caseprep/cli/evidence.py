"""`caseprep evidence ...`: hash folders, import Telegram exports, verify stored files."""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path

import click

from caseprep.cli.instance import opened_instance
from caseprep.cli.output import emit, fail, json_option
from caseprep.cli.progress import progress, progress_once_counted


@click.group()
def evidence() -> None:
    """Hash evidence folders, import chat exports, verify stored files."""


@evidence.command("manifest")
@click.argument("folder", type=click.Path(exists=True, file_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print a JSON manifest.")
@click.option("--csv", "as_csv", is_flag=True, help="Print a CSV manifest.")
def manifest_command(folder: str, as_json: bool, as_csv: bool) -> None:
    """Hash every file under FOLDER (SHA-256, sorted; `sha256sum -c` format by default)."""
    # lazy: loaded when the command runs, not when `caseprep` lists its commands (start-up time)
    from caseprep.evidence import manifest

    if as_json and as_csv:
        raise click.UsageError("choose one of --json and --csv")
    files = manifest.list_files(folder)
    total = sum(p.stat().st_size for p in files)
    with progress(total, "hashing", hidden=as_json) as advance:
        entries = list(manifest.build_manifest(folder, on_file=lambda e: advance(e.size)))
    if as_json:
        click.echo(manifest.to_json(entries), nl=False)
    elif as_csv:
        click.echo(manifest.to_csv(entries), nl=False)
    else:
        click.echo(manifest.to_sha256sum(entries), nl=False)


# Why a file is not in the export folder (caseprep.evidence.telegram.SKIP_REASONS).
_MISSING_REASONS = {
    "not_included": "not included (the export's settings left this type out)",
    "too_large": "too large for the export's size limit",
    "unavailable": "unavailable when exported",
}


@evidence.command("import-telegram")
@click.argument("export_dir", metavar="EXPORT", type=click.Path(exists=True))
@click.option("--reference", "references", multiple=True,
              type=click.Path(exists=True, dir_okay=False),
              help="A photo of yours to look for (repeatable).")
@click.option("--username", "usernames", multiple=True, metavar="CHAT_ID=NAME",
              help="Public username of a chat, to build t.me/NAME/ID links (repeatable).")
@click.option("--case", "case_code", metavar="CODE", default=None,
              help="Add the matches to this case's evidence log (EXPORT: the ZIP the web "
                   "takes; passphrase asked, or the first line of stdin).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def import_telegram_command(export_dir, references, usernames, case_code, as_json) -> None:
    """Count a Telegram Desktop export (folder, or with --case its ZIP) and find re-posts of
    the reference photos."""
    # lazy: loaded when the command runs, not when `caseprep` lists its commands (start-up time)
    from caseprep.evidence import telegram, telegram_import

    _check_references(references, as_json)
    if case_code is not None:
        # lazy: loaded when the command runs, not when `caseprep` lists its commands (start-up time)
        from caseprep.cli import telegram_case

        if os.path.isdir(export_dir):
            raise click.UsageError("with --case, EXPORT is the export's ZIP (as on the web)")
        job = telegram_case.import_into_case(Path(export_dir), case_code, list(references),
                                             telegram_case.read_passphrase(), as_json)
        _print_summary({**job["summary"], "import_id": job["id"]}, references, as_json)
        return
    if not os.path.isdir(export_dir):
        raise click.UsageError("EXPORT is the export folder (a ZIP is read with --case CODE)")
    names = {}
    for item in usernames:
        chat_id, _, name = item.partition("=")
        if not name:
            raise click.UsageError("--username takes CHAT_ID=NAME")
        names[chat_id.strip()] = name.strip().lstrip("@")
    try:
        export = telegram_import.ExportFolder(export_dir)
        with progress(export.size_of_result_json(), "reading messages",
                      hidden=as_json) as on_bytes, \
                progress_once_counted("comparing photos", hidden=as_json) as on_photo:
            summary = telegram_import.summarize(
                export, {os.path.basename(r): r for r in references}, names,
                on_bytes=on_bytes, on_photo=on_photo)
    except telegram.ExportError as exc:
        fail(_export_problem(exc), as_json)
    _print_summary(summary.to_dict(), references, as_json)


def _check_references(references, as_json: bool) -> None:
    """Each --reference must be a photo caseprep reads (the check the web's upload makes):
    a wrong file is named now, not after minutes of reading the export."""
    # lazy: loaded when the command runs, not when `caseprep` lists its commands (start-up time)
    from caseprep.evidence import images
    from caseprep.evidence.refusals import UploadRefused

    for path in references:
        with open(path, "rb") as fh:
            try:
                images.check_image(fh)
            except UploadRefused as exc:
                fail(f"--reference {os.path.basename(path)}: {exc.english()}", as_json)


def _export_problem(exc: Exception) -> str:
    """What is wrong with the export, in words that quote none of it: the JSON parser's own
    message shows the text around the fault, and that text is someone's chat."""
    # lazy: loaded when the command runs, not when `caseprep` lists its commands (start-up time)
    import ijson

    if isinstance(exc.__cause__, ijson.JSONError):
        return "result.json is not valid JSON: the export is damaged or incomplete"
    return str(exc)


def _print_summary(data: dict, references, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False))
        return
    click.echo(f"messages: {data['messages']} (service: {data['service_messages']})")
    for kind, n in data["media"].items():
        click.echo(f"  {kind}: {n}")
    click.echo(f"images (photos and pictures sent as files): {data['images']}")
    if data["missing_media"]:
        click.echo(f"media not in the export folder: {data['missing_media']}")
        for reason, n in data["missing_by_reason"].items():
            click.echo(f"  {_MISSING_REASONS.get(reason, reason)}: {n}")
    skipped = sum(data["skipped_messages"].values())
    if skipped:
        click.echo(f"warning: {skipped} message(s) skipped, not counted (no message id, or "
                   f"not a message)", err=True)
    click.echo("by sender:")
    for s in data["by_sender"]:
        forwarded = f", {s['forwarded']} forwarded" if s["forwarded"] else ""
        click.echo(f"  {s['sender'] or '?'} ({s['sender_id']}): {s['messages']} messages, "
                   f"{s['images']} images{forwarded}")
    if data["forwards"]:
        click.echo("forwarded from:")
        for f in data["forwards"]:
            who = ", ".join(f"{x['sender_id']} ({x['messages']})" for x in f["forwarded_by"])
            click.echo(f"  {f['source'] or '(hidden)'}"
                       + (f" ({f['source_id']})" if f["source_id"] else "")
                       + f": {f['messages']} messages, {f['images']} images; forwarded by {who}")
    if data["duplicates"]:
        click.echo(f"photos posted more than once: {len(data['duplicates'])}")
    if references:
        click.echo(f"matches: {len(data['matches'])}")
        for ref, n in sorted(Counter(m["reference"] for m in data["matches"]).items()):
            click.echo(f"  {ref}: re-posted {n} times")
        for m in data["matches"]:
            origin = (f", forwarded from {m['forwarded_from'] or '(hidden)'}"
                      if m["forwarded_from"] is not None or m["forwarded_from_id"] else "")
            click.echo(f"  {m['reference']}: message {m['message_id']} by "
                       f"{m['sender'] or '?'} ({m['sender_id']}) on {m['date']}, "
                       f"distance {m['distance']}" + (f", {m['link']}" if m["link"] else "")
                       + origin)


@evidence.command("verify")
@click.argument("code")
@click.option("--instance", type=click.Path(exists=True, file_okay=False), default=None,
              help="Instance folder (database, stored files). Env: CASEPREP_INSTANCE_PATH.")
@click.option("--passphrase", prompt=True, hide_input=True, envvar="CASEPREP_PASSPHRASE",
              help="The case's passphrase (asked when not given).")
@json_option
def verify_command(code: str, instance: str | None, passphrase: str, as_json: bool) -> None:
    """Re-hash every stored file of case CODE and report any mismatch (exit 1 if any)."""
    # lazy: loaded when the command runs, not when `caseprep` lists its commands (start-up time)
    from caseprep.cases import service as case_service
    from caseprep.cases.errors import InvalidCredentials
    from caseprep.evidence import export, service
    from caseprep.evidence.filestore import FileStore

    with opened_instance(as_json, instance) as (settings, sessions), sessions() as db:
        try:
            case = case_service.open_case(db, settings, code, passphrase)
        except InvalidCredentials:
            fail("wrong case code or passphrase", as_json)
        store = FileStore.from_settings(settings)
        items = service.list_items(db, case)
        problems = export.verify_files(db, case, store)
    checked = sum(1 for item in items if item.has_file)
    if as_json:
        emit({"ok": not problems, "checked": checked, "problems": problems})
        raise SystemExit(1 if problems else 0)
    for p in problems:
        click.echo(f"item {p['index']}: {p['problem']}", err=True)
    if problems:
        raise SystemExit(1)
    click.echo(f"{checked} stored files checked: all match their SHA-256")
