"""Lawyer's notes: working notes on a case, kept apart from the timeline's event notes.

Everyone with access reads them — the case's owner (she owns the case, so she sees what her
lawyer writes) and every lawyer she gave access to (caseprep.cases.grants). Each note says who
wrote it: the owner, or which access (by its code, the one she sees in her access list). Only
its author edits or deletes a note. The notes are one encrypted record of the case, like every
record (caseprep.cases.records), so the hand-off bundle carries them; a note that arrived in a
bundle is marked as written before the hand-off, and nobody in the new case is its author.

No Flask; the text never goes to a log.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from caseprep.cases.models import CaseGrant
from caseprep.cases.opened import OpenCase

RECORD = "lawyer_notes"
TEXT_MAX = 10_000


class InvalidNote(ValueError):
    """A note that cannot be kept (empty or too long)."""


class NotYourNote(PermissionError):
    """Someone tried to change a note they did not write."""


@dataclass(frozen=True)
class Author:
    """Who is writing: the owner, or one lawyer's access (its row id and its code)."""

    role: str                 # "owner" | "lawyer"
    grant_id: int | None = None
    access: str = ""          # the access's code, as shown in her list of accesses

    def as_record(self) -> dict[str, Any]:
        if self.role == "owner":
            return {"role": "owner"}
        return {"role": self.role, "grant": self.grant_id, "access": self.access}

    def wrote(self, note: dict[str, Any]) -> bool:
        """Whether `note` is this author's own (never one carried in by a hand-off bundle).

        The access's code is compared as well as its id: a database may give a revoked
        access's id to a later one."""
        written = note.get("author") or {}
        if note.get("handed_over") or written.get("role") != self.role:
            return False
        if self.role == "owner":
            return True
        return written.get("grant") == self.grant_id and written.get("access") == self.access


def author_of(db: Session, case: OpenCase) -> Author:
    """The author for an OpenCase as it was opened (her passphrase, or a lawyer's access)."""
    if case.role == "owner" or case.grant_id is None:
        return Author("owner")
    grant = db.get(CaseGrant, case.grant_id)
    return Author(case.role, case.grant_id, grant.code if grant is not None else "")


def listed(case: OpenCase) -> list[dict[str, Any]]:
    """Every note, newest first (the record keeps them in the order they were added)."""
    return list(reversed((case.read_record(RECORD) or {}).get("notes", [])))


def find(case: OpenCase, note_id: str) -> dict[str, Any] | None:
    return next((n for n in listed(case) if n.get("id") == note_id), None)


def add(case: OpenCase, author: Author, text: str,
        now: dt.datetime | None = None) -> dict[str, Any]:
    """Keep a new note (merged with notes another browser added meanwhile)."""
    stamp = _stamp(now)
    note = {"id": uuid.uuid4().hex, "text": _clean(text), "author": author.as_record(),
            "created_at": stamp, "updated_at": stamp}
    case.update_record(RECORD, lambda current: {
        **(current or {}), "notes": [*(current or {}).get("notes", []), note]})
    return note


def edit(case: OpenCase, author: Author, note_id: str, text: str,
         now: dt.datetime | None = None) -> dict[str, Any]:
    """Change the text of one's own note; NotYourNote for anyone else's, KeyError if gone."""
    text, stamp = _clean(text), _stamp(now)
    _check_own(case, author, note_id)

    def change(current: dict[str, Any] | None) -> dict[str, Any]:
        notes = [dict(n, text=text, updated_at=stamp)
                 if n.get("id") == note_id and author.wrote(n) else n
                 for n in (current or {}).get("notes", [])]
        return {**(current or {}), "notes": notes}

    content = case.update_record(RECORD, change)
    changed: dict[str, Any] | None = next(
        (n for n in content["notes"] if n.get("id") == note_id), None)
    if changed is None:  # deleted by its author in another browser meanwhile
        raise KeyError(note_id)
    return changed


def delete(case: OpenCase, author: Author, note_id: str) -> None:
    """Delete one's own note; NotYourNote for anyone else's, KeyError if gone."""
    _check_own(case, author, note_id)
    case.update_record(RECORD, lambda current: {**(current or {}), "notes": [
        n for n in (current or {}).get("notes", [])
        if not (n.get("id") == note_id and author.wrote(n))]})


def _check_own(case: OpenCase, author: Author, note_id: str) -> None:
    note = find(case, note_id)
    if note is None:
        raise KeyError(note_id)
    if not author.wrote(note):
        raise NotYourNote(note_id)


def handed_over(content: dict[str, Any]) -> dict[str, Any]:
    """The record as a new case imports it from a bundle: every note marked as written
    before the hand-off, so no one in the new case counts as its author."""
    notes = [dict(n, handed_over=True) for n in content.get("notes", [])]
    return {**content, "notes": notes}


def _clean(text: object) -> str:
    text = str(text or "").strip()
    if not text:
        raise InvalidNote("a note needs some text")
    if len(text) > TEXT_MAX:
        raise InvalidNote(f"a note is at most {TEXT_MAX} characters")
    return text


def _stamp(now: dt.datetime | None) -> str:
    return (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).isoformat(timespec="seconds")
