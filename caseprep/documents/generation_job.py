"""A case packet generated as a background job, so no request waits on WeasyPrint.

Issue 11, "Speed": generation that can pass 3 s runs as a job with a progress page. It
follows the import job's rule (issue 13, caseprep.evidence.imports): the queue never holds
a key that opens the case. The request, which holds the case's data key, writes what the
documents need (facts, drafts, evidence rows) under a fresh one-off *job key* and keeps
the private half of a fresh X25519 pair in a case record; the token in the queue carries
the job key only. The worker reads and deletes its input, renders, writes the ZIP under a
key of its own and seals that key to the job's public key. The next time the case is open
the result moves under a case record (`collect`): encrypted at rest like other case files,
and what a queue row or the job's status still holds opens nothing that exists.

Job status (queued, running, ready, failed; no case content) lives in the queue's own
key-value storage (Huey's `put_data`), shared by every consumer: SQLite or Redis. A failed
job logs the kind of error and its frames, never its message (which may quote the facts or
a detail she typed): `caseprep.log_config.safe_traceback`.
"""

from __future__ import annotations

import base64
import json
import logging
import secrets
from collections.abc import Mapping

from caseprep.cases import crypto
from caseprep.documents import render_pool, service
from caseprep.documents.packet import build_packet
from caseprep.evidence.filestore import FileStore
from caseprep.log_config import safe_traceback

_log = logging.getLogger(__name__)

TOKEN_PURPOSE = "documents-job"  # noqa: S105 - a label, not a secret
TOKEN_TTL_SECONDS = 6 * 3600
RECORD_PREFIX = "documents_job:"
PENDING = ("queued", "running")
# A download of more files than this, or over a longer evidence log, is made by a job.
MAX_FILES_IN_REQUEST = 1
MAX_ITEMS_IN_REQUEST = 50


def _aad(code: str, job_id: str) -> bytes:
    return f"caseprep:documents-job:v1:{code}:{job_id}".encode()


def _status_key(job_id: str) -> str:
    return f"caseprep:documents-job:{job_id}"


def needs_job(files: int, evidence_items: int) -> bool:
    """Whether making these files could take more than ~3 s (issue 11: never in a request)."""
    return files > MAX_FILES_IN_REQUEST or evidence_items > MAX_ITEMS_IN_REQUEST


def start(case, store: FileStore, storage, secret_key: str, inputs: Mapping) -> tuple[str, str]:
    """Store `inputs` under a job key, record the job; return (job id, task token).

    `inputs`: jurisdictions, facts, details, evidence, kinds, formats, ui_lang, packet_lang
    (JSON-serialisable apart from dates, which are written as ISO text).
    """
    job_id = secrets.token_hex(16)
    job_key = crypto.new_data_key()
    private, public = crypto.new_keypair()
    blob = store.write_bytes(case.code, job_key,
                             json.dumps(dict(inputs), default=str).encode(), check_caps=False)
    case.write_record(RECORD_PREFIX + job_id,
                      {"result_private": crypto.b64encode_key(private), "input": blob.name})
    _set_status(storage, job_id, "queued")
    token = crypto.seal(secret_key, TOKEN_PURPOSE, {
        "code": case.code, "job": job_id, "key": crypto.b64encode_key(job_key),
        "input": blob.name, "result_public": crypto.b64encode_key(public),
    }, TOKEN_TTL_SECONDS)
    return job_id, token


def run(store: FileStore, storage, secret_key: str, token: str, rules,
        workers: int | None = None) -> str:
    """The worker's side: "ready" (result sealed for the case), "failed" or "expired".
    The files render in `workers` processes, by default one per core (render_pool)."""
    body = crypto.unseal(secret_key, TOKEN_PURPOSE, token)
    if body is None:
        return "expired"
    code, job_id = body["code"], body["job"]
    try:
        key = crypto.b64decode_key(body["key"])
        inputs = json.loads(store.read_bytes(code, key, body["input"]))
        store.delete(code, body["input"])  # the job key now opens nothing
        _set_status(storage, job_id, "running")
        name, data, media_type = make_download(rules, inputs,
                                                workers or render_pool.default_workers())
        out_key = crypto.new_data_key()
        blob = store.write_bytes(code, out_key, data, check_caps=False)
        sealed = crypto.seal_to(crypto.b64decode_key(body["result_public"]), json.dumps({
            "blob": blob.name, "key": crypto.b64encode_key(out_key), "name": name,
            "media_type": media_type}).encode(), _aad(code, job_id))
        _set_status(storage, job_id, "ready", sealed=base64.b64encode(sealed).decode())
        return "ready"
    except Exception as exc:  # noqa: BLE001 - reported on the job's page, not lost
        _log.error("documents job failed with %s (messages withheld)\n%s",
                   type(exc).__qualname__, safe_traceback(exc))
        store.delete(code, body.get("input"))
        _set_status(storage, job_id, "failed")
        return "failed"


def make_download(rules, inputs: Mapping, workers: int = 1) -> tuple[str, bytes, str]:
    """(file name, bytes, media type): the only file, or the packet (ZIP) of several."""
    files: list[service.GeneratedFile] = []
    names = []
    lang = inputs["packet_lang"]
    for code in inputs["jurisdictions"]:
        jurisdiction = rules.jurisdiction(code)
        files += service.generate(jurisdiction, inputs["facts"], inputs["details"],
                                  inputs["evidence"], inputs["kinds"], inputs["formats"],
                                  inputs["ui_lang"], workers=workers)
        names.append(jurisdiction.name.get(lang) or jurisdiction.name.get("en") or code)
    if not files:
        raise LookupError("no document applies")
    if len(files) == 1 and not inputs.get("packet"):
        return files[0].name, files[0].data, files[0].media_type
    data = build_packet(files, inputs["evidence"], lang=lang, jurisdiction_name=", ".join(names))
    return "case-packet.zip", data, service.MEDIA_TYPES["zip"]


def status(case, storage, job_id: str) -> str | None:
    """queued, running, ready (collected into the case) or failed; None if not hers."""
    record = case.read_record(RECORD_PREFIX + job_id)
    if record is None:
        return None
    if record.get("blob"):
        return "ready"
    raw = storage.peek_data(_status_key(job_id))
    state = json.loads(raw) if isinstance(raw, bytes | str) else {"status": "failed"}
    if state["status"] == "ready":
        return "ready" if collect(case, storage, job_id, record, state) else "failed"
    return state["status"]


def collect(case, storage, job_id: str, record: dict, state: dict) -> bool:
    """Move a finished job's result key under the case record (needs the open case)."""
    try:
        result = json.loads(crypto.open_sealed(
            crypto.b64decode_key(record["result_private"]), base64.b64decode(state["sealed"]),
            _aad(case.code, job_id)))
    except Exception:  # noqa: BLE001 - a result that does not open is a failed job
        return False
    case.write_record(RECORD_PREFIX + job_id, result)  # the private key is forgotten here
    storage.delete_data(_status_key(job_id))
    return True


def read_result(case, store: FileStore, job_id: str) -> tuple[str, bytes, str] | None:
    """(file name, bytes, media type) of a collected job, or None."""
    record = case.read_record(RECORD_PREFIX + job_id) or {}
    if not record.get("blob"):
        return None
    data = store.read_bytes(case.code, crypto.b64decode_key(record["key"]), record["blob"])
    return record["name"], data, record["media_type"]


def _set_status(storage, job_id: str, value: str, **extra) -> None:
    storage.put_data(_status_key(job_id), json.dumps({"status": value, **extra}).encode())
