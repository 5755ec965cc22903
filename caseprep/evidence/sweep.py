"""Remove stored files that no row refers to: what a crash leaves behind.

A file is written (temporary name, fsync, rename) before its row is committed, and deleted
after its row is, so a SIGKILL or power cut between the two leaves a ciphertext file nobody
can reach, or a `.tmp-` file. `caseprep serve` sweeps them at start; files younger than the
grace period are left alone, since another app server sharing the store may be writing them.
Owner: security (issue 6, "no orphan file is left"); called by the serve command.
"""

from __future__ import annotations

import contextlib
import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from caseprep.cases.models import Case, utcnow
from caseprep.db import rows_changed
from caseprep.evidence.filestore import case_dir_name
from caseprep.evidence.models import EvidenceImport, EvidenceItem

# Imports still waiting, running or holding sealed results keep files whose names sit
# inside their encrypted payload; the case's folder is left alone until they finish.
_ACTIVE_IMPORT = ("queued", "running", "ready", "saving")
# What a crash leaves half done: a worker or a request was in the middle of it.
_INTERRUPTED_IMPORT = ("running", "saving")


def fail_interrupted_imports(db: Session, older_than_seconds: float = 0) -> int:
    """Mark imports a crash stopped as failed ("start again"); return how many.

    Run at start, before `sweep_orphan_files`: their inputs lose the row that kept them
    and are swept with the rest. Only jobs not updated for `older_than_seconds` count, so a
    server sharing a Redis queue does not fail another server's running job (a running job
    writes its progress at least every few seconds).
    """
    cutoff = utcnow() - timedelta(seconds=older_than_seconds)
    result = db.execute(update(EvidenceImport).where(
        EvidenceImport.status.in_(_INTERRUPTED_IMPORT), EvidenceImport.updated_at <= cutoff,
    ).values(status="failed", stage="done", progress=0, error_code="interrupted",
             upload_name=None, nonce=None, ciphertext=None, updated_at=utcnow()))
    db.commit()
    return rows_changed(result)


def sweep_orphan_files(db: Session, root: Path, grace_seconds: float) -> int:
    """Delete unreferenced files older than `grace_seconds` under `root`; return how many."""
    root = Path(root)
    if not root.is_dir():
        return 0
    case_of_dir = {case_dir_name(code): case_id
                   for case_id, code in db.execute(select(Case.id, Case.code))}
    referenced: set[str] = set()
    for file_name, thumb_name in db.execute(select(EvidenceItem.file_name,
                                                   EvidenceItem.thumbnail_name)):
        referenced.update(n for n in (file_name, thumb_name) if n)
    referenced.update(n for (n,) in db.execute(select(EvidenceImport.upload_name)) if n)
    busy = set(db.scalars(select(EvidenceImport.case_id)
                          .where(EvidenceImport.status.in_(_ACTIVE_IMPORT))))
    cutoff = time.time() - grace_seconds
    removed = 0
    for folder in root.iterdir():
        if not folder.is_dir():
            continue
        case_id = case_of_dir.get(folder.name)
        if case_id is not None and case_id in busy:
            continue
        for path in folder.iterdir():
            if not path.is_file() or (case_id is not None and path.name in referenced):
                continue
            with contextlib.suppress(FileNotFoundError):
                if path.stat().st_mtime <= cutoff:
                    path.unlink()
                    removed += 1
        if case_id is None:
            with contextlib.suppress(OSError):
                folder.rmdir()  # only when empty: a deleted case's folder
    return removed
