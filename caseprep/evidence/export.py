"""The evidence manifest of a case (CSV, JSON) and the check that stored files are intact."""

from __future__ import annotations

import csv
import io
import json

from sqlalchemy.orm import Session

from caseprep.evidence import service
from caseprep.evidence.filestore import FileStore, TamperedFile
from caseprep.evidence.items import Evidence
from caseprep.evidence.manifest import csv_cell

COLUMNS = ("index", "kind", "platform", "reference", "poster", "posted_at", "captured_at",
           "sha256", "size")


def manifest_rows(items: list[Evidence]) -> list[dict]:
    """One row per item, numbered from 1 in the log's order."""
    return [
        {"index": i, "kind": item.kind, "platform": item.get("platform"),
         "reference": item.reference, "poster": item.poster,
         "posted_at": item.get("posted_at"), "captured_at": item.get("captured_at"),
         "sha256": item.get("sha256"), "size": item.get("size"),
         "role": item.get("role") or "publication", "images_shown": item.get("images_shown")}
        for i, item in enumerate(items, start=1)
    ]


def manifest_csv(items: list[Evidence]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in manifest_rows(items):
        writer.writerow([csv_cell(row[c]) for c in COLUMNS])
    return out.getvalue()


def manifest_json(items: list[Evidence]) -> str:
    return json.dumps({"algorithm": "sha256", "items": manifest_rows(items)},
                      ensure_ascii=False, indent=2)


def verify_files(db: Session, case, store: FileStore) -> list[dict]:
    """Re-hash every stored file; return the problems ([] when every file matches)."""
    problems = []
    for index, (item, name) in enumerate(service.stored_names(db, case), start=1):
        if name is None:
            continue
        try:
            sha, size = store.rehash(case.code, case.data_key, name)
        except FileNotFoundError:
            problems.append({"index": index, "id": item.id, "problem": "missing"})
            continue
        except TamperedFile:
            problems.append({"index": index, "id": item.id, "problem": "altered"})
            continue
        if sha != item.get("sha256") or size != item.get("size"):
            problems.append({"index": index, "id": item.id, "problem": "hash_mismatch",
                             "expected": item.get("sha256"), "found": sha})
    return problems
