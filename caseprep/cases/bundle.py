"""A whole case as one encrypted file, to hand to a lawyer (issue 15).

The bundle is an `age` file (pyrage) encrypted either to the lawyer's age public key or to a
one-time passphrase shown once. Inside, a ZIP: `bundle.json` (answers, places, drafts,
timeline and every other record; the evidence log with each item's SHA-256) and `files/<n>`,
one per stored evidence file. It is built and read in memory only — the plaintext never
touches the disk — so its size is bounded by the case size limit. The lawyer's notes travel
with the other records, marked on import as written before the hand-off.

Import opens the bundle, checks every file against its fingerprint, and creates a new case
under the importer's own passphrase. Anything wrong (wrong key, truncated or altered file,
a fingerprint that does not match, a fact the importer's rules do not know) refuses the whole
bundle: a case half-imported is deleted before the error is raised.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import zipfile
from dataclasses import dataclass
from typing import Any

import pyrage
from pyrage import passphrase as age_passphrase
from pyrage import x25519
from sqlalchemy import select
from sqlalchemy.orm import Session

from caseprep.cases import crypto, lawyer_notes, service
from caseprep.cases.factcodec import decode_facts, encode_facts
from caseprep.cases.models import CaseRecord
from caseprep.cases.opened import FACTS, META, OpenCase
from caseprep.cases.shred import shred_case
from caseprep.config import Settings
from caseprep.evidence import service as evidence_service
from caseprep.evidence.filestore import FileStore
from caseprep.evidence.items import DATE_FIELDS, FILE_FIELDS, TEXT_FIELDS
from caseprep.rules.ruleset import Rules

FORMAT = "caseprep-bundle"
VERSION = 1
_MANIFEST = "bundle.json"
_EDITABLE = ("kind", *TEXT_FIELDS, *DATE_FIELDS)
_KEPT_BY_STORE = (*FILE_FIELDS, "file_name", "thumbnail_name")


class BundleError(ValueError):
    """A bundle that cannot be opened or imported; the message says why, in words."""


@dataclass(frozen=True)
class ImportResult:
    case: OpenCase  # the new case, open
    items: int
    files: int
    records: list[str]


one_time_passphrase = crypto.readable_secret  # shown once, on the hand-off page or CLI


# --- export ------------------------------------------------------------------------------

def export_case(db: Session, case: OpenCase, store: FileStore, *, recipient: str | None = None,
                passphrase: str | None = None, now: dt.datetime | None = None) -> bytes:
    """The case as an age-encrypted bundle, to `recipient` (age1...) or to `passphrase`."""
    if (recipient is None) == (passphrase is None):
        raise ValueError("give exactly one of recipient and passphrase")
    plain = _zip_case(db, case, store, now or dt.datetime.now(dt.UTC))
    if recipient is not None:
        try:
            key = x25519.Recipient.from_str(recipient.strip())
        except Exception as exc:  # pyrage raises its own RecipientError or ValueError
            raise BundleError("That is not an age public key (it starts with age1).") from exc
        sealed: bytes = pyrage.encrypt(plain, [key])
        return sealed
    sealed = age_passphrase.encrypt(plain, passphrase)
    return sealed


def _zip_case(db: Session, case: OpenCase, store: FileStore, now: dt.datetime) -> bytes:
    records = {name: case.read_record(name) for name in _record_names(db, case)
               if name not in (FACTS, META)}
    items, out = [], io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        for index, item in enumerate(evidence_service.list_items(db, case)):
            entry = {"kind": item.kind, "logged_at": item.created_at.isoformat(),
                     "import_id": item.import_id, "details": dict(item.details), "file": None}
            if item.has_file:
                _, stream = evidence_service.open_file(db, case, store, item.id)
                with stream:
                    data = stream.read()
                entry["file"] = name = f"files/{index}"
                archive.writestr(name, data)
            items.append(entry)
        manifest = {"format": FORMAT, "version": VERSION, "exported_at": now.isoformat(),
                    "jurisdictions": list(case.jurisdictions), "locale": case.locale,
                    "facts": encode_facts(case.facts()), "records": records,
                    "evidence": items}
        archive.writestr(_MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
    return out.getvalue()


def _record_names(db: Session, case: OpenCase) -> list[str]:
    return list(db.scalars(select(CaseRecord.name).where(CaseRecord.case_id == case.case_id)
                           .order_by(CaseRecord.name)))


# --- import ------------------------------------------------------------------------------

def open_bundle(data: bytes, *, identity: str | None = None, passphrase: str | None = None,
                max_bytes: int) -> tuple[dict[str, Any], zipfile.ZipFile]:
    """Decrypt and check a bundle: its manifest and the ZIP holding the files."""
    if (identity is None) == (passphrase is None):
        raise ValueError("give exactly one of identity and passphrase")
    try:
        if identity is not None:
            plain = pyrage.decrypt(data, [x25519.Identity.from_str(identity.strip())])
        else:
            plain = age_passphrase.decrypt(data, passphrase)
    except pyrage.IdentityError as exc:
        raise BundleError("That is not an age secret key (it starts with "
                          "AGE-SECRET-KEY-).") from exc
    except pyrage.DecryptError as exc:
        if "No matching keys" in str(exc) or passphrase is not None:
            raise BundleError("This bundle cannot be opened with this key or passphrase, or "
                              "it was damaged.") from exc
        raise BundleError("This bundle is incomplete or was altered: it cannot be "
                          "opened.") from exc
    try:
        archive = zipfile.ZipFile(io.BytesIO(plain))
        if sum(info.file_size for info in archive.infolist()) > max_bytes:
            raise BundleError("This bundle holds more than this server accepts for one case.")
        manifest = json.loads(archive.read(_MANIFEST))
    except (zipfile.BadZipFile, KeyError, json.JSONDecodeError) as exc:
        raise BundleError("This file opened, but it is not a caseprep bundle.") from exc
    if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
        raise BundleError("This is not a caseprep bundle of a version this server reads.")
    return manifest, archive


def import_case(db: Session, settings: Settings, store: FileStore, rules: Rules, data: bytes,
                new_passphrase: str, *,
                identity: str | None = None, passphrase: str | None = None) -> ImportResult:
    """A new case from a bundle, under `new_passphrase`; all or nothing."""
    manifest, archive = open_bundle(data, identity=identity, passphrase=passphrase,
                                    max_bytes=settings.max_case_bytes)
    files = _checked_files(manifest, archive)
    case = service.create_case(db, settings, new_passphrase, manifest["jurisdictions"],
                               manifest["locale"])
    try:
        _fill(db, case, store, rules, manifest, files)
    except BaseException:
        shred_case(db, case.case_id)
        raise
    return ImportResult(case=case, items=len(manifest["evidence"]), files=len(files),
                        records=sorted(manifest["records"]))


def _checked_files(manifest: dict[str, Any], archive: zipfile.ZipFile) -> dict[str, bytes]:
    """Every file named by the evidence log, read and matched against its SHA-256."""
    files = {}
    for number, item in enumerate(manifest.get("evidence", []), start=1):
        name = item.get("file")
        if name is None:
            continue
        try:
            data = archive.read(name)
        except KeyError as exc:
            raise BundleError(f"Evidence item {number}: its file is missing.") from exc
        expected = (item.get("details") or {}).get("sha256")
        if hashlib.sha256(data).hexdigest() != expected:
            raise BundleError(f"Evidence item {number}: the file does not match its "
                              "fingerprint (SHA-256); the bundle was changed.")
        files[name] = data
    return files


def _fill(db: Session, case: OpenCase, store: FileStore, rules: Rules,
          manifest: dict[str, Any],
          files: dict[str, bytes]) -> None:
    case.update_facts(decode_facts(manifest.get("facts") or {}), rules.catalog)
    for name, content in (manifest.get("records") or {}).items():
        if content is not None:
            if name == lawyer_notes.RECORD:  # nobody here wrote them: shown as handed over
                content = lawyer_notes.handed_over(content)
            case.write_record(name, content)
    for item in manifest.get("evidence", []):
        details = dict(item.get("details") or {})
        fields = {k: details.pop(k) for k in _EDITABLE if k in details}
        fields["kind"] = item.get("kind")
        for key in _KEPT_BY_STORE:
            details.pop(key, None)
        details["logged_at_origin"] = item.get("logged_at")
        name = item.get("file")
        stream = io.BytesIO(files[name]) if name else None
        original = (item.get("details") or {}).get("original_name")
        evidence_service.add_item(db, case, store, fields, stream=stream,
                                  filename=original if name else None, extra=details,
                                  import_id=item.get("import_id"))
