"""Documents of a stored case: its facts (with the evidence log's counts), its saved drafts
of the free-text parts, and its evidence log. Used by the API and the web views; no Flask.

The drafts (narrative, amount claimed, party details) are kept in the case's encrypted
record "document_drafts", never in clear; the timeline document also reads the steps of the
record "timeline".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from caseprep.assessment import case_facts
from caseprep.cases import timeline
from caseprep.documents import chronology, service
from caseprep.documents.model import DETAIL_KEYS
from caseprep.documents.packet import build_packet
from caseprep.evidence import export
from caseprep.evidence import service as evidence_service
from caseprep.rules import Rules

DRAFTS_RECORD = "document_drafts"
MAX_DETAIL_CHARS = 20_000


def read_drafts(case) -> dict:
    record = case.read_record(DRAFTS_RECORD) or {}
    return {k: v for k, v in record.items() if k in DETAIL_KEYS}


def case_details(case) -> dict:
    """Her saved drafts and the steps on her timeline, as the documents take them (the
    timeline document draws the steps; the other kinds ignore them)."""
    details = read_drafts(case)
    events = timeline.added_events(case)
    if events:
        details[chronology.EVENTS_KEY] = events
    return details


def save_drafts(case, changes: dict) -> dict:
    """Merge `changes` (DETAIL_KEYS only; empty string or None clears) into the drafts."""
    unknown = [k for k in changes if k not in DETAIL_KEYS]
    if unknown:
        raise ValueError(f"not a document detail: {', '.join(sorted(unknown))}")
    drafts = read_drafts(case)
    for key, value in changes.items():
        if value in (None, ""):
            drafts.pop(key, None)
            continue
        text = str(value)
        if len(text) > MAX_DETAIL_CHARS:
            raise ValueError(f"{key} is longer than {MAX_DETAIL_CHARS} characters")
        drafts[key] = text
    case.write_record(DRAFTS_RECORD, drafts)
    return drafts


def case_evidence(db, case) -> list[dict]:
    """The evidence log as manifest rows, with each item's notes and original file name."""
    items = evidence_service.list_items(db, case)
    rows = export.manifest_rows(items)
    for row, item in zip(rows, items, strict=True):
        for source, target in (("notes", "notes"), ("original_name", "name")):
            if item.get(source):
                row[target] = item.get(source)
    return rows


def download_for_case(db, case, kinds: Sequence[str] | None, formats: Sequence[str],
                      ui_lang: str | None, packet_lang: str, rules: Rules,
                      packet: bool = False,
                      today: dt.date | None = None,
                      details: Mapping | None = None) -> tuple[str, bytes, str] | None:
    """The requested documents of every jurisdiction of the case as one download:
    (file name, bytes, media type) of the only document unless `packet` is asked for, else
    of the case packet (ZIP, with the evidence manifest); None when no document applies.

    The evidence log is read (and decrypted) once for the documents and the packet.
    `details` replaces the saved drafts (the web adds her contact choice to them).
    """
    facts = case_facts(db, case, rules)
    details = case_details(case) if details is None else dict(details)
    evidence = case_evidence(db, case)
    files: list[service.GeneratedFile] = []
    names = []
    for code in rules.with_parents(case.jurisdictions):
        jurisdiction = rules.jurisdiction(code)
        files += service.generate(jurisdiction, facts, details, evidence, kinds, formats,
                                  ui_lang, today)
        names.append(jurisdiction.name.get(packet_lang) or jurisdiction.name.get("en") or code)
    if not files:
        return None
    if len(files) == 1 and not packet:
        return files[0].name, files[0].data, files[0].media_type
    data = build_packet(files, evidence, lang=packet_lang, jurisdiction_name=", ".join(names))
    return "case-packet.zip", data, service.MEDIA_TYPES["zip"]
