"""The evidence log of a case: add, edit, delete, list, count (no Flask imports).

Counts feed the rules: `derived_facts(db, case, catalog)` maps each catalog fact whose
`derived_from` is "evidence.count:<what>" to the log's count, so adding ten images moves
the threshold bars. What is counted:
  image -> items of kind "image"; video -> "video"; audio -> "audio";
  post  -> distinct posts: items with a URL or message reference count once per reference,
           chat messages and web pages without one count one each.
"""

from __future__ import annotations

import secrets
import weakref
from collections import Counter
from typing import BinaryIO

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from caseprep.cases.models import utcnow
from caseprep.cases.shred import case_shredding
from caseprep.evidence import ingest
from caseprep.evidence.filestore import FileStore
from caseprep.evidence.items import (
    Evidence,
    InvalidField,
    clean_fields,
    kind_for_type,
    seal,
    unseal,
)
from caseprep.evidence.models import EvidenceItem
from caseprep.evidence.posted import facts_from_counts, images_in, posted_counts, role_of
from caseprep.evidence.refusals import N_
from caseprep.rules.catalog import FactsCatalog

_POST_KINDS = {"chat_message", "web_page"}


def _rows(db: Session, case) -> list[EvidenceItem]:
    return list(db.scalars(select(EvidenceItem).where(EvidenceItem.case_id == case.case_id)
                           .order_by(EvidenceItem.id)))


def _row(db: Session, case, item_id: int) -> EvidenceItem | None:
    if not 0 < item_id < 2**63:  # a URL may carry any integer; the database takes 64 bits
        return None
    return db.scalars(select(EvidenceItem).where(EvidenceItem.case_id == case.case_id,
                                                 EvidenceItem.id == item_id)).first()


def list_items(db: Session, case) -> list[Evidence]:
    """Every item of the case, oldest first, decrypted."""
    return [unseal(row, case.code, case.data_key) for row in _rows(db, case)]


def get_item(db: Session, case, item_id: int) -> Evidence | None:
    row = _row(db, case, item_id)
    return unseal(row, case.code, case.data_key) if row is not None else None


def add_item(db: Session, case, store: FileStore | None, fields: dict,
             stream: BinaryIO | None = None, filename: str | None = None,
             extra: dict | None = None, import_id: str | None = None) -> Evidence:
    """Record an item, storing its file (checked, encrypted) when one is given.

    Raises InvalidField or UploadRefused; on any failure nothing is kept.
    """
    details = clean_fields(fields)
    stored = None
    if stream is not None:
        if store is None:
            raise ValueError("a file store is needed to keep a file")
        stored = ingest.ingest_file(store, case.code, case.data_key, stream, filename)
        details.update(stored.to_fields())
        details.pop("file_name", None)
        details.pop("thumbnail_name", None)
    kind = details.pop("kind", None) or (kind_for_type(stored.detected_type) if stored else None)
    if not kind:
        raise InvalidField("kind", N_("Choose what kind of evidence this is."))
    if extra:
        details.update(extra)
    row = EvidenceItem(uid=secrets.token_hex(16), case_id=case.case_id, kind=kind,
                       file_name=stored.stored_name if stored else None,
                       thumbnail_name=stored.thumbnail_name if stored else None,
                       import_id=import_id)
    seal(row, case.code, case.data_key, details)
    try:
        db.add(row)
        db.commit()
    except BaseException:
        db.rollback()
        if stored is not None and store is not None:
            store.delete(case.code, stored.stored_name)
            store.delete(case.code, stored.thumbnail_name)
        raise
    return unseal(row, case.code, case.data_key)


def update_item(db: Session, case, item_id: int, fields: dict) -> Evidence | None:
    """Change the editable fields given in `fields`; file details never change."""
    row = _row(db, case, item_id)
    if row is None:
        return None
    current = unseal(row, case.code, case.data_key)
    changes = clean_fields(fields, partial=True)
    kind = changes.pop("kind", None)
    if "kind" in fields and not kind:
        raise InvalidField("kind", N_("Choose what kind of evidence this is."))
    details = dict(current.details)
    details.update(changes)
    if kind:
        row.kind = kind
    seal(row, case.code, case.data_key, details)
    row.updated_at = utcnow()
    db.commit()
    return unseal(row, case.code, case.data_key)


def delete_item(db: Session, case, store: FileStore | None, item_id: int) -> bool:
    """Delete an item and its stored files; True if it existed."""
    row = _row(db, case, item_id)
    if row is None:
        return False
    names = (row.file_name, row.thumbnail_name)
    db.delete(row)
    db.commit()
    if store is not None:
        for name in names:
            store.delete(case.code, name)
    return True


def read_thumbnail(db: Session, case, store: FileStore, item_id: int) -> bytes | None:
    row = _row(db, case, item_id)
    if row is None or row.thumbnail_name is None:
        return None
    return store.read_bytes(case.code, case.data_key, row.thumbnail_name)


def open_file(db: Session, case, store: FileStore, item_id: int) -> tuple[Evidence, BinaryIO]:
    """The item and its verified plaintext (a temporary file the caller closes)."""
    row = _row(db, case, item_id)
    if row is None or row.file_name is None:
        raise FileNotFoundError("no stored file")
    return (unseal(row, case.code, case.data_key),
            store.open_verified(case.code, case.data_key, row.file_name))


def stored_names(db: Session, case) -> list[tuple[Evidence, str | None]]:
    return [(unseal(r, case.code, case.data_key), r.file_name) for r in _rows(db, case)]


def counts(items: list[Evidence]) -> dict:
    """Counts by kind, distinct posts, and per poster (items, images, videos).

    "image" and "video" are what the poster spread (caseprep.evidence.posted): her own
    originals and context items do not count, a screenshot counts the images it shows.
    """
    by_kind = Counter(item.kind for item in items)
    posted = posted_counts(items)
    references = set()
    unreferenced_posts = 0
    posters: dict[str, dict] = {}
    for item in items:
        ref = item.reference
        if ref:
            references.add((item.get("platform") or "", ref))
        elif item.kind in _POST_KINDS:
            unreferenced_posts += 1
        key = item.get("poster_id") or item.get("poster_handle")
        if key:
            entry = posters.setdefault(key, {"poster_id": item.get("poster_id"),
                                             "poster_handle": item.get("poster_handle"),
                                             "items": 0, "images": 0, "videos": 0})
            entry["items"] += 1
            if role_of(item) == "publication":
                entry["images"] += images_in(item)
                entry["videos"] += item.kind == "video"
            entry["poster_handle"] = entry["poster_handle"] or item.get("poster_handle")
    return {
        "total": len(items),
        "by_kind": dict(by_kind),
        "image": posted.images,
        "video": posted.videos,
        "audio": by_kind.get("audio", 0),
        "post": len(references) + unreferenced_posts,
        "by_poster": sorted(posters.values(), key=lambda p: (-p["items"], str(p["poster_id"]))),
    }


TALLY_RECORD = "evidence_tally"
_items = EvidenceItem.__table__
# Changes with every add, edit (updated_at) and delete of an item of the case.
_LOG_FINGERPRINT = select(func.count(_items.c.id).label("n"), func.max(_items.c.id).label("top"),
                          func.sum(_items.c.id).label("ids"),
                          func.max(_items.c.updated_at).label("changed")).where(
    _items.c.case_id == bindparam("case_id"))


def derived_facts(db: Session, case, catalog: FactsCatalog) -> dict:
    """Facts of `catalog` (the app's rules) counted from the evidence log ({} when the log is
    empty, so answers stand)."""
    tally = log_tally(db, case)
    return facts_from_counts(tally, catalog) if tally else {}


def log_tally(db: Session, case) -> dict[str, int]:
    """The log's numeric counts (`counts` without the per-poster list); {} for an empty log.

    Every wizard page needs them, and counting means decrypting every item, so the tally
    is kept in an encrypted record with a fingerprint of the log (number of items, their
    ids, the latest change) and recounted only when the log has changed since.
    """
    found = db.connection().execute(_LOG_FINGERPRINT, {"case_id": case.case_id}).one()
    if not found.n:
        return {}
    fingerprint = [int(found.n), int(found.top), int(found.ids), found.changed.isoformat()]
    kept = case.read_record(TALLY_RECORD)
    if kept and kept.get("fingerprint") == fingerprint:
        return kept["tally"]
    tally = {what: n for what, n in counts(list_items(db, case)).items() if isinstance(n, int)}
    case.write_record(TALLY_RECORD, {"fingerprint": fingerprint, "tally": tally})
    return tally


def delete_files_with_cases(engine, store: FileStore) -> None:
    """Remove a case's stored files from `store` whenever a case of `engine`'s database is
    shredded (rows go with the case: ON DELETE CASCADE). Wired by caseprep.wiring for the
    app, the worker and the CLI; the connection lives exactly as long as the engine."""

    def remove_files(_engine, case, **_extra) -> None:
        store.delete_case(case.code)

    # Held by the engine's entry only: when the engine goes, so does the receiver, and
    # blinker drops its weak reference (no receiver outlives its database).
    _receivers_of.setdefault(engine, []).append(remove_files)
    case_shredding.connect(remove_files, sender=engine)


_receivers_of: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
