"""`caseprep generate JURISDICTION --facts FILE ...`: drafts from a facts file, no stored case.

A lawyer can draft from a facts file alone. The facts file maps fact ids (as in
`caseprep rules explain`) to values; it may also hold document details that decide no
route: victim.name, victim.id_number, victim.address, victim.contact, perpetrator.name,
perpetrator.id_info, perpetrator.handles, court, claims.amount, narrative.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import click
import yaml

from caseprep.cli.output import emit, json_option
from caseprep.cli.progress import progress_once_counted
from caseprep.cli.rules_option import rules_option
from caseprep.rules import FactValueError, RuleFileError, UnknownJurisdiction
from caseprep.rules.schema import DOCUMENT_KINDS as KINDS


def _read_mapping(path: Path) -> dict:
    try:
        text = path.read_text(encoding="utf-8")
        data = json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
    except (OSError, ValueError, yaml.YAMLError) as exc:
        raise click.ClickException(f"{path.name}: cannot read: {exc}") from exc
    if not isinstance(data, dict):
        raise click.ClickException(f"{path.name}: must be a mapping of fact id to value")
    return data


def _read_evidence(path: Path) -> list[dict]:
    """An evidence manifest: CSV with a header row, or JSON (a list, or {"items": [...]})."""
    try:
        if path.suffix.lower() == ".csv":
            with open(path, encoding="utf-8-sig", newline="") as fh:
                return [dict(row) for row in csv.DictReader(fh)]
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, csv.Error) as exc:
        raise click.ClickException(f"{path.name}: cannot read evidence manifest: {exc}") from exc
    items = data.get("items") if isinstance(data, dict) else data
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise click.ClickException(f"{path.name}: expected a list of evidence items")
    return items


def _split_list(value: str | None, allowed: tuple[str, ...], what: str) -> list[str] | None:
    if not value:
        return None
    chosen = [v.strip() for v in value.split(",") if v.strip()]
    wrong = [v for v in chosen if v not in allowed]
    if wrong:
        raise click.BadParameter(f"unknown {what}: {', '.join(wrong)} (choose from "
                                 f"{', '.join(allowed)})")
    return chosen


def _write(path: Path, data: bytes) -> None:
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise click.ClickException(f"cannot write {path}: {exc.strerror or exc}") from exc


@click.command()
@click.argument("jurisdiction")
@click.option("--facts", "facts_file", required=True,
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="YAML or JSON mapping of fact id to value (plus document details).")
@click.option("--evidence", "evidence_file",
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Evidence manifest (CSV or JSON, as `caseprep evidence manifest` writes).")
@click.option("--docs", help=f"Comma-separated kinds: {', '.join(KINDS)}. "
              "Default: every document the met or unknown routes produce.")
@click.option("--format", "formats", default="pdf", show_default=True,
              help="Comma-separated: pdf, docx, html.")
@click.option("--lang", help="Your language: adds a version in it, marked not for filing, "
              "when the authority needs another.")
@click.option("--packet", is_flag=True, help="Also write case-packet.zip.")
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), help="Date for deadlines.")
@rules_option
@click.option("--out", "out_dir", required=True,
              type=click.Path(file_okay=False, path_type=Path))
@json_option
def generate(jurisdiction, facts_file, evidence_file, docs, formats, lang, packet, today,
             rules, out_dir, as_json=False) -> None:
    """Generate documents for JURISDICTION (a rule file's code, e.g. cn or us)."""
    # lazy: loaded when the command runs, not when `caseprep` lists its commands (start-up time)
    from caseprep.documents import service
    from caseprep.documents.fonts import MissingFontError
    from caseprep.documents.packet import build_packet
    from caseprep.documents.phrases import LANGUAGES

    kinds = _split_list(docs, KINDS, "document kind")
    fmt_list = _split_list(formats, service.FORMATS, "format") or ["pdf"]
    if lang is not None and lang not in LANGUAGES:  # documents have wording in these only
        raise click.BadParameter(f"{lang!r} is not a language documents are written in "
                                 f"(choose from {', '.join(LANGUAGES)})", param_hint="--lang")
    try:
        juris = rules.jurisdiction(jurisdiction)
    except (UnknownJurisdiction, RuleFileError) as exc:
        raise click.ClickException(str(exc)) from exc
    facts, details = service.split_input(_read_mapping(facts_file))
    evidence = _read_evidence(evidence_file) if evidence_file else []
    try:  # before the documents are rendered, which takes a while
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise click.ClickException(f"--out {out_dir}: cannot make the folder: "
                                   f"{exc.strerror or exc}") from exc
    try:
        with progress_once_counted("rendering documents", hidden=as_json) as on_file:
            files = service.generate(juris, facts, details, evidence, kinds, fmt_list, lang,
                                     today.date() if today else dt.date.today(),
                                     on_file=on_file)
    except FactValueError as exc:
        raise click.ClickException(f"{facts_file.name}: {exc}") from exc
    except MissingFontError as exc:
        raise click.ClickException(str(exc)) from exc
    for generated in files:
        _write(out_dir / generated.name, generated.data)
        note = f"  ({len(generated.placeholders)} to complete)" if generated.placeholders else ""
        if not as_json:
            click.echo(f"{generated.name}{note}")
    if packet:
        data = build_packet(files, evidence, lang=lang or juris.language,
                            jurisdiction_name=juris.name.get(lang or juris.language)
                            or juris.code)
        _write(out_dir / "case-packet.zip", data)
        if not as_json:
            click.echo("case-packet.zip")
    if as_json:
        emit({"out": str(out_dir), "packet": "case-packet.zip" if packet else None,
              "files": [{"name": f.name, "kind": f.kind, "lang": f.lang,
                         "for_filing": f.for_filing, "media_type": f.media_type,
                         "placeholders": len(f.placeholders)} for f in files]})
