"""The case packet: one ZIP with the drafts (PDF and DOCX), the evidence manifest (CSV and
JSON) and a short index page, so a lawyer or an NGO gets the whole case in one file."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile
from collections.abc import Iterable, Mapping, Sequence

from caseprep.documents.html import environment
from caseprep.documents.items import EvidenceRow
from caseprep.documents.phrases import phrase
from caseprep.documents.service import GeneratedFile
from caseprep.evidence.manifest import csv_cell

MANIFEST_FIELDS = (
    "index", "kind", "platform", "reference", "poster", "posted_at", "captured_at", "sha256",
    "size",
)


def manifest_rows(evidence: Iterable[Mapping]) -> list[dict]:
    rows = []
    for position, row in enumerate(evidence, start=1):
        item = EvidenceRow.from_mapping(position, row)
        rows.append({name: getattr(item, name) for name in MANIFEST_FIELDS})
    return rows


def manifest_csv(rows: Sequence[Mapping]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=MANIFEST_FIELDS, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: csv_cell(v) for k, v in row.items()})
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # BOM: Excel opens UTF-8 correctly


def build_packet(
    files: Sequence[GeneratedFile],
    evidence: Iterable[Mapping],
    *,
    lang: str,
    jurisdiction_name: str,
    created_at: dt.datetime | None = None,
) -> bytes:
    """ZIP bytes: documents/…, evidence-manifest.csv/.json, index.html (in `lang`)."""
    rows = manifest_rows(evidence)
    created_at = created_at or dt.datetime.now(dt.UTC)
    stamp = created_at.replace(tzinfo=None).timetuple()[:6]
    index = environment().get_template("packet_index.html").render(
        files=files, rows=rows, lang=lang, jurisdiction_name=jurisdiction_name,
        created_at=created_at.strftime("%Y-%m-%d %H:%M UTC"),
        t=lambda key, **values: phrase(key, lang, None, **values),
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        def add(name: str, data: bytes) -> None:
            archive.writestr(zipfile.ZipInfo(name, date_time=stamp), data,
                             compress_type=zipfile.ZIP_DEFLATED)

        add("index.html", index.encode("utf-8"))
        for generated in files:
            add(f"documents/{generated.name}", generated.data)
        add("evidence-manifest.csv", manifest_csv(rows))
        add("evidence-manifest.json",
            json.dumps({"items": rows}, ensure_ascii=False, indent=2).encode("utf-8"))
    return out.getvalue()
