"""Telegram export import as a background job: queue it, run it, report its progress.

The web request stores the uploaded export (a ZIP of the export folder, or result.json
alone) and the reference photos encrypted with the case key, records a job, and queues it
with a token that carries the case's data key sealed under the server's secret (the queue
never holds a key in clear). The worker decrypts the export into a private temporary
folder (mode 0700, deleted at the end), counts and matches it, records the matches as
evidence items and the summary encrypted on the job. Photos that match nothing are never
stored or shown.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import secrets
import shutil
import tempfile
import time
import zipfile
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from caseprep.cases import crypto
from caseprep.cases.models import utcnow
from caseprep.evidence import service, telegram_import
from caseprep.evidence.filestore import FileStore
from caseprep.evidence.ingest import check_filename
from caseprep.evidence.models import EvidenceImport
from caseprep.evidence.refusals import N_, UploadRefused
from caseprep.evidence.telegram import ExportError, safe_media_path

TOKEN_PURPOSE = "evidence-import-task"  # noqa: S105 - a label, not a secret
TOKEN_TTL_SECONDS = 24 * 3600
MAX_REFERENCES = 20
_PROGRESS_EVERY_SECONDS = 0.5

ERRORS = {
    "not_an_export": N_("This is not a Telegram Desktop export: choose the export's ZIP or its "
                        "result.json (Settings, Advanced, Export Telegram data, format JSON)."),
    "bad_archive": N_("The ZIP file is damaged or contains paths that are not allowed."),
    "too_large": N_("The export is larger than this case's storage limit."),
    "failed": N_("The import stopped because of an unexpected error. Nothing was added."),
    "expired": N_("The import could not start in time; please start it again."),
}
STAGES = {
    "queued": N_("Waiting to start"),
    "unpacking": N_("Unpacking the export"),
    "reading": N_("Reading messages"),
    "matching": N_("Comparing photos with yours"),
    "saving": N_("Saving matches to your evidence log"),
    "done": N_("Finished"),
}


def _aad(code: str, import_id: str) -> bytes:
    return f"caseprep:evidence-import:v1:{code}:{import_id}".encode()


def start_import(db: Session, case, store: FileStore, secret_key: str, export: BinaryIO,
                 export_name: str, references: list[tuple[str, BinaryIO]]) -> tuple[str, str]:
    """Store the upload and record a queued job; return (import id, task token)."""
    check_filename(export_name)
    if len(references) > MAX_REFERENCES:
        raise UploadRefused("unknown_type")
    import_id = secrets.token_hex(16)
    blobs = []
    try:
        export.seek(0)
        head = export.read(4)
        export.seek(0)
        if head[:2] != b"PK" and not head.lstrip()[:1] == b"{":
            raise ImportRefused("not_an_export")
        upload = store.write_stream(case.code, case.data_key, export, check_caps=False)
        blobs.append(upload.name)
        if upload.size > store.max_case_bytes:
            raise ImportRefused("too_large")
        refs = []
        for name, stream in references:
            from caseprep.evidence import images

            check_filename(name)
            images.check_image(stream)
            blob = store.write_stream(case.code, case.data_key, stream)
            blobs.append(blob.name)
            refs.append({"name": name, "blob": blob.name})
        job = EvidenceImport(id=import_id, case_id=case.case_id, status="queued",
                             stage="queued", progress=0, upload_name=upload.name)
        payload = {"export_name": export_name, "zip": head[:2] == b"PK", "references": refs}
        job.nonce, job.ciphertext = crypto.encrypt(
            case.data_key, json.dumps(payload).encode(), _aad(case.code, import_id))
        db.add(job)
        db.commit()
    except BaseException:
        db.rollback()
        for name in blobs:
            store.delete(case.code, name)
        raise
    token = crypto.seal(secret_key, TOKEN_PURPOSE, {
        "code": case.code, "key": crypto.b64encode_key(case.data_key), "import": import_id,
    }, TOKEN_TTL_SECONDS)
    return import_id, token


class ImportRefused(ValueError):
    """The upload is not an export we can import; `code` selects the message in ERRORS."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code

    @property
    def message(self) -> str:
        return ERRORS[self.code]


def get_import(db: Session, case, import_id: str) -> dict | None:
    """The job's status for the progress page, with the summary once done."""
    job = db.scalars(select(EvidenceImport).where(EvidenceImport.id == import_id,
                                                  EvidenceImport.case_id == case.case_id)
                     .execution_options(populate_existing=True)).first()
    if job is None:
        return None
    result = None
    if job.status == "done" and job.ciphertext:
        data = json.loads(crypto.decrypt(case.data_key, job.nonce, job.ciphertext,
                                         _aad(case.code, job.id)))
        result = data.get("summary")
    return {"id": job.id, "status": job.status, "stage": job.stage,
            "progress": job.progress, "error_code": job.error_code, "summary": result,
            "created_at": job.created_at.isoformat()}


def list_imports(db: Session, case) -> list[dict]:
    jobs = db.scalars(select(EvidenceImport).where(EvidenceImport.case_id == case.case_id)
                      .order_by(EvidenceImport.created_at.desc()))
    return [{"id": j.id, "status": j.status, "progress": j.progress} for j in jobs]


class _Progress:
    """Writes stage and per-mille progress to the job row, at most twice a second."""

    def __init__(self, sessions, import_id: str):
        self.sessions, self.import_id = sessions, import_id
        self.last = 0.0

    def set(self, stage: str, fraction: float, force: bool = False, **values) -> None:
        now = time.monotonic()
        if not force and now - self.last < _PROGRESS_EVERY_SECONDS:
            return
        self.last = now
        with self.sessions() as db:
            db.execute(update(EvidenceImport).where(EvidenceImport.id == self.import_id).values(
                stage=stage, progress=max(0, min(1000, int(fraction * 1000))),
                updated_at=utcnow(), **values))
            db.commit()


def run_import(sessions, store: FileStore, secret_key: str, token: str, work_root: Path,
               workers: int | None = None) -> str:
    """The worker's side: returns the final status ("done", "failed" or "expired")."""
    from caseprep.cases import service as case_service

    body = crypto.unseal(secret_key, TOKEN_PURPOSE, token)
    if body is None:
        return "expired"
    code, import_id = body["code"], body["import"]
    data_key = crypto.b64decode_key(body["key"])
    progress = _Progress(sessions, import_id)
    work_root.mkdir(parents=True, exist_ok=True, mode=0o700)
    work = Path(tempfile.mkdtemp(prefix="import-", dir=work_root))
    upload_name = None
    reference_blobs: list[str] = []
    try:
        with sessions() as db:
            case = case_service.load_case(db, code, data_key)
            job = db.get(EvidenceImport, import_id)
            if job is None or job.case_id != case.case_id:
                return "failed"
            upload_name = job.upload_name
            payload = json.loads(crypto.decrypt(data_key, job.nonce, job.ciphertext,
                                                _aad(code, import_id)))
            reference_blobs = [ref["blob"] for ref in payload["references"]]
            progress.set("unpacking", 0.0, force=True, status="running")
            export_dir = work / "export"
            _unpack(store, code, data_key, upload_name, payload, export_dir,
                    store.max_case_bytes)
            refs = []
            for i, ref in enumerate(payload["references"]):
                path = work / "references" / f"{i}-{ref['name']}"
                path.parent.mkdir(exist_ok=True, mode=0o700)
                path.write_bytes(store.read_bytes(code, data_key, ref["blob"]))
                refs.append(path)
            summary = _summarize(export_dir, refs, progress, workers)
            progress.set("saving", 0.95, force=True)
            _record_matches(db, case, store, summary, export_dir, import_id)
            result = {"export_name": payload["export_name"], "summary": summary.to_dict(),
                      "references": [r["name"] for r in payload["references"]]}
            for r in result["summary"]["matches"]:
                r["reference"] = _display_ref(r["reference"])
            nonce, ct = crypto.encrypt(data_key, json.dumps(result).encode(),
                                       _aad(code, import_id))
            db.execute(update(EvidenceImport).where(EvidenceImport.id == import_id).values(
                status="done", stage="done", progress=1000, nonce=nonce, ciphertext=ct,
                upload_name=None, updated_at=utcnow()))
            db.commit()
        return "done"
    except Exception as exc:  # noqa: BLE001 - any failure is reported on the job, not lost
        code_name = exc.code if isinstance(exc, ImportRefused) else (
            "not_an_export" if isinstance(exc, ExportError) else "failed")
        progress.set("done", 0.0, force=True, status="failed", error_code=code_name)
        return "failed"
    finally:
        shutil.rmtree(work, ignore_errors=True)
        for name in [upload_name, *reference_blobs]:
            store.delete(code, name)


def _display_ref(name: str) -> str:
    """Reference files are saved as "<n>-<name>"; show the person's own name."""
    return name.split("-", 1)[1] if "-" in name else name


def _unpack(store, code, data_key, upload_name, payload, export_dir: Path, cap: int) -> None:
    export_dir.mkdir(mode=0o700)
    if not payload.get("zip"):
        with open(export_dir / "result.json", "wb") as out:
            store.decrypt_into(code, data_key, upload_name, out)
        return
    archive_path = export_dir.parent / "export.zip"
    with open(archive_path, "wb") as out:
        store.decrypt_into(code, data_key, upload_name, out)
    try:
        with zipfile.ZipFile(archive_path) as archive:
            _extract_safely(archive, export_dir, cap)
    except zipfile.BadZipFile as exc:
        raise ImportRefused("bad_archive") from exc
    finally:
        archive_path.unlink(missing_ok=True)
    # A ZIP of the export folder has result.json one level down.
    if not (export_dir / "result.json").exists():
        found = sorted(export_dir.glob("*/result.json"))
        if not found:
            raise ImportRefused("not_an_export")
        inner = found[0].parent
        for child in inner.iterdir():
            child.rename(export_dir / child.name)


def _extract_safely(archive: zipfile.ZipFile, dest: Path, cap: int) -> None:
    """Extract regular files only, refusing absolute paths, `..` and oversize totals."""
    total = 0
    for info in archive.infolist():
        name = PurePosixPath(info.filename)
        if info.filename.startswith(("/", "\\")) or ".." in name.parts or "\\" in info.filename:
            raise ImportRefused("bad_archive")
        if info.is_dir():
            continue
        if (info.external_attr >> 16) & 0o170000 == 0o120000:  # a symlink entry
            raise ImportRefused("bad_archive")
        total += info.file_size
        if total > cap:
            raise ImportRefused("too_large")
        target = dest.joinpath(*name.parts)
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        with archive.open(info) as src, open(target, "wb") as out:
            written = 0
            while chunk := src.read(1024 * 1024):
                written += len(chunk)
                if written > info.file_size:  # lying header: a zip bomb
                    raise ImportRefused("bad_archive")
                out.write(chunk)


def _summarize(export_dir: Path, refs: list[Path], progress: _Progress, workers):
    size = max(1, os.path.getsize(export_dir / "result.json"))
    read = [0]

    def on_bytes(n: int) -> None:
        read[0] += n
        progress.set("reading", 0.6 * read[0] / size)

    summary = telegram_import.count_export(export_dir, on_bytes=on_bytes)
    telegram_import.find_duplicates(summary, export_dir)
    if refs:
        total = max(1, len(summary.photos))
        done = [0]

        def on_photo(n: int) -> None:
            done[0] += n
            progress.set("matching", 0.6 + 0.35 * done[0] / total)

        progress.set("matching", 0.6, force=True)
        telegram_import.match_references(summary, export_dir, refs, workers=workers,
                                         on_photo=on_photo)
    return summary


def _record_matches(db, case, store, summary, export_dir: Path, import_id: str) -> None:
    """Each matching photo becomes an evidence item with its message's details."""
    captured = utcnow().isoformat()
    for match in summary.matches:
        photo = match["photo"]
        path = safe_media_path(export_dir, photo.path)
        if path is None:
            continue
        fields = {
            "kind": "image", "platform": "Telegram", "url": photo.link,
            "message_ref": f"{photo.chat_name or ''} #{photo.chat_id}/{photo.message_id}",
            "poster_handle": photo.sender, "poster_id": photo.sender_id,
            "posted_at": photo.date, "captured_at": captured,
            "notes": None,
        }
        extra = {"telegram": {
            "chat_name": photo.chat_name, "chat_id": photo.chat_id,
            "message_id": photo.message_id, "date": photo.date,
            "date_unixtime": photo.date_unixtime, "media_path": photo.path,
            "reference": _display_ref(match["reference"]), "distance": match["distance"],
        }}
        with open(path, "rb") as fh:
            data = io.BytesIO(fh.read())
        with contextlib.suppress(UploadRefused):
            service.add_item(db, case, store, fields, data, os.path.basename(photo.path),
                             extra=extra, import_id=import_id)


