"""Telegram export import as a background job: queue it, run it, report its progress.

No usable data key ever reaches the task queue (issue 13, High 1). The web request, which
holds the case's data key, stores the uploaded export and reference photos under a fresh
one-off *job key*, makes a one-off X25519 key pair for the job's results, keeps the private
half in an encrypted case record, and queues a token carrying the job key only. The worker
reads its inputs with the job key, writes the matching photos under a key of its own that it
seals to the job's public key, and deletes the inputs: after the job, what a queue row or
a WAL frame still holds opens nothing that exists. The results join the evidence log the
next time the case is open (the progress page, `collect_results`), where the data key is.

The export is read in place out of an encrypted spool (caseprep.evidence.import_work): no
decrypted copy on disk, during the job or after a crash. A job a crash interrupted is
marked failed at the next start (caseprep.evidence.sweep) and can be started again.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import secrets
import time
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from caseprep.cases import crypto
from caseprep.cases.models import Case, CaseRecord, utcnow
from caseprep.db import rows_changed
from caseprep.evidence import images, matching, service, telegram_import
from caseprep.evidence.filestore import FileStore
from caseprep.evidence.import_work import ArchiveRefused, ExportArchive
from caseprep.evidence.ingest import check_filename
from caseprep.evidence.models import EvidenceImport
from caseprep.evidence.refusals import N_, UploadRefused
from caseprep.evidence.telegram import ExportError

TOKEN_PURPOSE = "evidence-import-task"  # noqa: S105 - a label, not a secret
TOKEN_TTL_SECONDS = 24 * 3600
MAX_REFERENCES = 20
_PROGRESS_EVERY_SECONDS = 0.5
# Job statuses: queued -> running -> ready (results sealed, waiting for the case to be
# open) -> saving (being added to the log) -> done; or failed at any step.
PENDING = ("queued", "running", "ready", "saving")

ERRORS = {
    "not_an_export": N_("This is not a Telegram Desktop export: choose the export's ZIP or its "
                        "result.json (Settings, Advanced, Export Telegram data, format JSON)."),
    "bad_archive": N_("The ZIP file is damaged or contains paths that are not allowed."),
    "too_large": N_("The export is larger than this case's storage limit."),
    "failed": N_("The import stopped because of an unexpected error. Nothing was added."),
    "expired": N_("The import could not start in time; please start it again."),
    "interrupted": N_("The import was interrupted (the server stopped) and nothing of the "
                      "export was kept. Please start it again."),
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


def _record_name(import_id: str) -> str:
    """The case record that keeps the job's result key and the names she chose."""
    return f"import:{import_id}"


def start_import(db: Session, case, store: FileStore, secret_key: str, export: BinaryIO,
                 export_name: str, references: list[tuple[str, BinaryIO]]) -> tuple[str, str]:
    """Store the upload under a job key and record a queued job; return (id, task token).

    The token carries the job key (sealed with the server's secret), never the data key.
    """
    check_filename(export_name)
    # Her photos: the ones she uploads now, then the ones kept from earlier imports (the
    # watch list). The new ones join the watch list when the job succeeds.
    uploaded = _new_references(db, case, references)
    references = [*uploaded, *_watched_references(db, case, store)]
    if len(references) > MAX_REFERENCES:
        raise UploadRefused("unknown_type")
    import_id = secrets.token_hex(16)
    job_key = crypto.new_data_key()
    result_private, result_public = crypto.new_keypair()
    blobs = []
    try:
        export.seek(0)
        head = export.read(4)
        export.seek(0)
        if head[:2] != b"PK" and not head.lstrip()[:1] == b"{":
            raise ImportRefused("not_an_export")
        upload = store.write_stream(case.code, job_key, export, check_caps=False)
        blobs.append(upload.name)
        if upload.size > store.max_case_bytes:
            raise ImportRefused("too_large")
        refs = []
        for name, stream in references:
            check_filename(name)
            stream.seek(0)
            images.check_image(stream)
            stream.seek(0)
            blob = store.write_stream(case.code, job_key, stream)
            blobs.append(blob.name)
            refs.append(blob.name)
        job = EvidenceImport(id=import_id, case_id=case.case_id, status="queued",
                             stage="queued", progress=0, upload_name=upload.name)
        payload = {"zip": head[:2] == b"PK", "references": refs, "new_references": len(uploaded),
                   "result_public": crypto.b64encode_key(result_public)}
        job.nonce, job.ciphertext = crypto.encrypt(
            job_key, json.dumps(payload).encode(), _aad(case.code, import_id))
        db.add(job)
        db.flush()
        case.write_record(_record_name(import_id), {
            "result_private": crypto.b64encode_key(result_private),
            "export_name": export_name, "references": [name for name, _s in references],
            # What the log held when she started: the summary tells new re-posts from known.
            "known_messages": sorted(_known_reposts(db, case))})
    except BaseException:
        db.rollback()
        for name in blobs:
            store.delete(case.code, name)
        raise
    token = crypto.seal(secret_key, TOKEN_PURPOSE, {
        "code": case.code, "key": crypto.b64encode_key(job_key), "import": import_id,
    }, TOKEN_TTL_SECONDS)
    return import_id, token


def _new_references(db: Session, case, uploaded: list[tuple[str, BinaryIO]],
                    ) -> list[tuple[str, BinaryIO]]:
    """The uploaded photos not already on the watch list (same SHA-256), read once."""
    kept = {item.get("sha256") for item in service.list_items(db, case)
            if item.get("role") == "reference"}
    out: list[tuple[str, BinaryIO]] = []
    for name, stream in uploaded:
        check_filename(name)
        data = stream.read()
        digest = hashlib.sha256(data).hexdigest()
        if digest not in kept:
            kept.add(digest)
            out.append((name, io.BytesIO(data)))
    return out


def _watched_references(db: Session, case, store: FileStore) -> list[tuple[str, BinaryIO]]:
    """The watch list: her originals already in the evidence log, matched against every
    import without being uploaded again (they stay in the encrypted store; each job gets
    them under its own one-off key like an upload)."""
    seen: set[str] = set()
    out: list[tuple[str, BinaryIO]] = []
    for item in service.list_items(db, case):
        if item.get("role") != "reference" or not item.has_file or item.get("sha256") in seen:
            continue
        seen.add(item.get("sha256"))
        _, stream = service.open_file(db, case, store, item.id)
        with stream:
            out.append((item.get("original_name") or f"reference-{item.id}.jpg",
                        io.BytesIO(stream.read())))
    return out


class ImportRefused(ValueError):
    """The upload is not an export we can import; `code` selects the message in ERRORS."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code

    @property
    def message(self) -> str:
        return ERRORS[self.code]


def _job(db: Session, case, import_id: str) -> EvidenceImport | None:
    return db.scalars(select(EvidenceImport).where(EvidenceImport.id == import_id,
                                                   EvidenceImport.case_id == case.case_id)
                      .execution_options(populate_existing=True)).first()


def get_import(db: Session, case, import_id: str, store: FileStore | None = None) -> dict | None:
    """The job's status for the progress page, with the summary once done.

    With `store`, results a finished job left sealed are added to the evidence log first
    (see collect_results): the progress page is where she waits for them.
    """
    job = _job(db, case, import_id)
    if job is None:
        return None
    if job.status == "ready" and store is not None:
        collect_results(db, case, store, import_id)
        job = _job(db, case, import_id)
        if job is None:  # the case was deleted meanwhile
            return None
    result = None
    if job.status == "done" and job.ciphertext and job.nonce is not None:
        data = json.loads(crypto.decrypt(case.data_key, job.nonce, job.ciphertext,
                                         _aad(case.code, job.id)))
        result = data.get("summary")
    status = "running" if job.status in ("ready", "saving") else job.status
    stage = "saving" if job.status in ("ready", "saving") else job.stage
    return {"id": job.id, "status": status, "stage": stage,
            "progress": job.progress, "error_code": job.error_code, "summary": result,
            "created_at": job.created_at.isoformat()}


def list_imports(db: Session, case, store: FileStore | None = None) -> list[dict]:
    """The case's imports, newest first; with `store`, finished jobs' results are collected
    first (the evidence log is the other page she comes back to)."""
    if store is not None:
        ready = db.scalars(select(EvidenceImport.id).where(
            EvidenceImport.case_id == case.case_id, EvidenceImport.status == "ready")).all()
        for import_id in ready:
            collect_results(db, case, store, import_id)
    jobs = db.scalars(select(EvidenceImport).where(EvidenceImport.case_id == case.case_id)
                      .order_by(EvidenceImport.created_at.desc())
                      .execution_options(populate_existing=True))
    return [{"id": j.id, "progress": j.progress,
             "status": "running" if j.status in ("ready", "saving") else j.status}
            for j in jobs]


def collect_results(db: Session, case, store: FileStore, import_id: str) -> bool:
    """Add a finished job's sealed results to the evidence log (needs the open case).

    One request wins the job (ready -> saving, atomically); the others see it saving.
    Returns True when this call collected them.
    """
    claimed = db.execute(update(EvidenceImport).where(
        EvidenceImport.id == import_id, EvidenceImport.case_id == case.case_id,
        EvidenceImport.status == "ready").values(status="saving", updated_at=utcnow()))
    db.commit()
    if rows_changed(claimed) != 1:
        return False
    job = _job(db, case, import_id)
    if job is None:  # the case went meanwhile
        return False
    if job.ciphertext is None:  # claimed with nothing sealed: fails as an unreadable result
        _finish(db, import_id, "failed")
        _forget_record(db, case, import_id)
        return True
    record = case.read_record(_record_name(import_id)) or {}
    staged: list[dict] = []
    kept_references: list[dict] = []
    try:
        sealed = json.loads(crypto.open_sealed(
            crypto.b64decode_key(record["result_private"]), job.ciphertext,
            _aad(case.code, import_id)))
        staged, out_key = sealed["staged"], crypto.b64decode_key(sealed["key"])
        kept_references = sealed.get("references", [])
        names = record.get("references", [])
        # Re-post watch: a newer export of the same chat repeats what the log already holds;
        # a message already logged (same chat, same message id) is not added again. The
        # same picture posted again in another message is a new posting, and counts.
        known_messages = _known_reposts(db, case)
        for entry in staged:
            # The worker knows the reference photos by number; she knows them by name.
            telegram = entry["extra"]["telegram"]
            telegram["reference"] = _reference_name(names, telegram["reference"])
            data = store.read_bytes(case.code, out_key, entry["blob"])
            message = (str(telegram.get("chat_id")), str(telegram.get("message_id")))
            if message not in known_messages:
                with contextlib.suppress(UploadRefused):
                    service.add_item(db, case, store, entry["fields"], io.BytesIO(data),
                                     entry["file_name"], extra=entry["extra"],
                                     import_id=import_id)
            known_messages.add(message)
            store.delete(case.code, entry["blob"])
        for kept in kept_references:
            data = store.read_bytes(case.code, out_key, kept["blob"])
            with contextlib.suppress(UploadRefused):
                service.add_item(db, case, store, {"kind": "image"}, io.BytesIO(data),
                                 _reference_name(names, kept["reference"]),
                                 extra={"role": "reference"}, import_id=import_id)
            store.delete(case.code, kept["blob"])
        summary = sealed["summary"]
        before = _known_reposts_before(record)
        for match in summary["matches"]:
            match["reference"] = _reference_name(names, match["reference"])
            match["known"] = (str(match.get("chat_id")), str(match.get("message_id"))) in before
        result = {"export_name": record.get("export_name"), "summary": summary,
                  "references": record.get("references", [])}
        nonce, ct = crypto.encrypt(case.data_key, json.dumps(result).encode(),
                                   _aad(case.code, import_id))
        db.execute(update(EvidenceImport).where(EvidenceImport.id == import_id).values(
            status="done", stage="done", progress=1000, nonce=nonce, ciphertext=ct,
            updated_at=utcnow()))
        db.commit()
    except Exception:  # noqa: BLE001 - reported on the job, not lost
        db.rollback()
        for entry in [*staged, *kept_references]:
            store.delete(case.code, entry.get("blob"))
        _finish(db, import_id, "failed")
    _forget_record(db, case, import_id)
    return True


def _known_reposts(db: Session, case) -> set:
    """(chat id, message id) of every message earlier imports already logged."""
    messages = set()
    for item in service.list_items(db, case):
        telegram = item.get("telegram") or {}
        if telegram.get("message_id") is not None:
            messages.add((str(telegram.get("chat_id")), str(telegram.get("message_id"))))
    return messages


def _known_reposts_before(record: dict) -> set:
    return {tuple(pair) for pair in record.get("known_messages", [])}


def _reference_name(names: list[str], index) -> str:
    index = int(index)
    return names[index] if 0 <= index < len(names) else str(index)


def _finish(db: Session, import_id: str, error_code: str) -> None:
    db.execute(update(EvidenceImport).where(EvidenceImport.id == import_id).values(
        status="failed", stage="done", progress=0, error_code=error_code, nonce=None,
        ciphertext=None, upload_name=None, updated_at=utcnow()))
    db.commit()


def _forget_record(db: Session, case, import_id: str) -> None:
    """The result key is needed once; without it the sealed results open for nobody."""
    db.execute(delete(CaseRecord).where(CaseRecord.case_id == case.case_id,
                                        CaseRecord.name == _record_name(import_id)))
    db.commit()


class _Progress:
    """Writes stage and per-mille progress to the job row, at most twice a second."""

    def __init__(self, sessions, import_id: str):
        self.sessions, self.import_id = sessions, import_id
        self.last = 0.0

    def set(self, stage: str, fraction: float, force: bool = False, **values) -> int:
        now = time.monotonic()
        if not force and now - self.last < _PROGRESS_EVERY_SECONDS:
            return 1
        self.last = now
        with self.sessions() as db:
            changed = db.execute(update(EvidenceImport).where(
                EvidenceImport.id == self.import_id).values(
                stage=stage, progress=max(0, min(1000, int(fraction * 1000))),
                updated_at=utcnow(), **values)).rowcount
            db.commit()
        return changed


def run_import(sessions, store: FileStore, secret_key: str, token: str, work_root: Path,
               workers: int | None = None) -> str:
    """The worker's side: returns "ready" (results sealed for the case), "failed" or
    "expired". `work_root` holds the encrypted spool of a large export."""
    body = crypto.unseal(secret_key, TOKEN_PURPOSE, token)
    if body is None:
        return "expired"
    code, import_id = body["code"], body["import"]
    job_key = crypto.b64decode_key(body["key"])
    progress = _Progress(sessions, import_id)
    inputs: list[str] = []
    staged: list[str] = []
    try:
        with sessions() as db:
            job = db.get(EvidenceImport, import_id)
            case_id = db.scalar(select(Case.id).where(Case.code == code))
            if job is None or job.case_id != case_id or job.status != "queued" \
                    or job.upload_name is None:
                return "failed"
            inputs.append(job.upload_name)
            payload = json.loads(crypto.decrypt(job_key, job.nonce, job.ciphertext,
                                                _aad(code, import_id)))
        inputs.extend(payload["references"])
        progress.set("unpacking", 0.0, force=True, status="running")
        work_root.mkdir(parents=True, exist_ok=True, mode=0o700)
        with ExportArchive.from_store(store, code, job_key, inputs[0], payload["zip"],
                                      store.max_case_bytes, work_root) as export:
            references = {f"{i}": store.read_bytes(code, job_key, name)
                          for i, name in enumerate(payload["references"])}
            summary = _summarize(export, references, progress)
            progress.set("saving", 0.95, force=True)
            out_key = crypto.new_data_key()
            entries = []
            for match in summary.matches:
                entry = _stage_match(store, code, out_key, export, match)
                if entry is not None:
                    staged.append(entry["blob"])
                    entries.append(entry)
            # Her newly uploaded photos join the watch list only if the import succeeds.
            kept_references = []
            for i in range(payload.get("new_references", 0)):
                blob = store.write_bytes(code, out_key, references[str(i)], check_caps=False)
                staged.append(blob.name)
                kept_references.append({"blob": blob.name, "reference": i})
        sealed = crypto.seal_to(crypto.b64decode_key(payload["result_public"]), json.dumps({
            "summary": summary.to_dict(), "staged": entries, "references": kept_references,
            "key": crypto.b64encode_key(out_key)}).encode(), _aad(code, import_id))
        with sessions() as db:
            done = db.execute(update(EvidenceImport).where(
                EvidenceImport.id == import_id, EvidenceImport.status == "running").values(
                status="ready", stage="saving", progress=990, nonce=None, ciphertext=sealed,
                upload_name=None, updated_at=utcnow())).rowcount
            db.commit()
        if done != 1:  # the case was deleted, or the job failed meanwhile
            for name in staged:
                store.delete(code, name)
            return "failed"
        return "ready"
    except Exception as exc:  # noqa: BLE001 - any failure is reported on the job, not lost
        for name in staged:
            store.delete(code, name)
        code_name = exc.code if isinstance(exc, (ImportRefused, ArchiveRefused)) else (
            "not_an_export" if isinstance(exc, ExportError) else "failed")
        progress.set("done", 0.0, force=True, status="failed", error_code=code_name,
                     upload_name=None, nonce=None, ciphertext=None)
        return "failed"
    finally:
        for name in inputs:
            store.delete(code, name)


def _summarize(export: ExportArchive, references: dict[str, bytes], progress: _Progress):
    size = max(1, export.size_of_result_json())
    read = [0]

    def on_bytes(n: int) -> None:
        read[0] += n
        progress.set("reading", 0.6 * read[0] / size)

    def on_photo(done: int, total: int) -> None:
        progress.set("matching", 0.6 + 0.35 * done / max(1, total))

    # workers=1: one picture in memory at a time, the matcher runs in this worker.
    return telegram_import.summarize(
        export, {name: io.BytesIO(data) for name, data in references.items()},
        on_bytes=on_bytes, on_photo=on_photo, workers=1)


def _stage_match(store: FileStore, code: str, out_key: bytes, export: ExportArchive,
                 match: dict) -> dict | None:
    """Store one matching photo under the job's output key, with its message's details."""
    photo = match["photo"]
    data = export.media(photo.path)
    if data is None:
        return None
    blob = store.write_bytes(code, out_key, data, check_caps=False)
    fields = {
        "kind": "image", "platform": "Telegram", "url": photo.link,
        "message_ref": f"{photo.chat_name or ''} #{photo.chat_id}/{photo.message_id}",
        "poster_handle": photo.sender, "poster_id": photo.sender_id,
        "posted_at": photo.date, "captured_at": utcnow().isoformat(), "notes": None,
    }
    extra: dict[str, Any] = {"telegram": {
        "chat_name": photo.chat_name, "chat_id": photo.chat_id,
        "message_id": photo.message_id, "date": photo.date,
        "date_unixtime": photo.date_unixtime, "media_path": photo.path,
        "reference": int(match["reference"]), "distance": match["distance"],
        "answer": match.get("answer", matching.MATCH),
    }}
    if match.get("answer") == matching.POSSIBLE:
        extra["role"] = "possible"  # shown blurred, opened on request, never counted
    return {"blob": blob.name, "file_name": PurePosixPath(photo.path).name or "photo.jpg",
            "fields": fields, "extra": extra}
