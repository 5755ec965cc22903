"""Lawyer's notes (issue 15): one encrypted record, authors by role and access, only the
author changes a note, and the hand-off bundle carries them (marked as handed over)."""

from __future__ import annotations

import datetime as dt

import pytest
from pyrage import x25519
from sqlalchemy import select

from caseprep.cases import bundle, grants, lawyer_notes, service
from caseprep.cases.models import CaseRecord
from caseprep.evidence.filestore import FileStore

PASS = "tulip tower 42 blue"
MARKER = "NOTE-MARKER-Zh3qv 暗号甲乙丙丁"


@pytest.fixture
def owner_case(db, settings):
    return service.create_case(db, settings, PASS, ["cn"], "en")


@pytest.fixture
def lawyer_case(db, settings, owner_case):
    made = grants.create(db, settings, owner_case)
    return service.open_case(db, settings, made.code, made.passphrase)


def test_notes_are_stored_encrypted_with_their_author(db, owner_case, lawyer_case):
    lawyer = lawyer_notes.author_of(db, lawyer_case)
    assert lawyer.role == "lawyer" and lawyer.access == lawyer_case_code(db, lawyer_case)
    lawyer_notes.add(lawyer_case, lawyer, MARKER)
    lawyer_notes.add(owner_case, lawyer_notes.author_of(db, owner_case), "hers")
    notes = lawyer_notes.listed(owner_case)
    assert {n["text"] for n in notes} == {MARKER, "hers"}
    by_text = {n["text"]: n["author"] for n in notes}
    assert by_text["hers"] == {"role": "owner"}
    assert by_text[MARKER]["access"] == lawyer.access
    stored = db.scalars(select(CaseRecord).where(CaseRecord.name == lawyer_notes.RECORD)).one()
    for needle in (MARKER.encode(), "暗号甲乙丙丁".encode(), lawyer.access.encode()):
        assert needle not in bytes(stored.ciphertext)


def lawyer_case_code(db, case) -> str:
    return next(g.code for g in grants.listed(db, case) if g.id == case.grant_id)


def test_only_the_author_changes_or_deletes_a_note(db, owner_case, lawyer_case):
    her, lawyer = (lawyer_notes.author_of(db, owner_case),
                   lawyer_notes.author_of(db, lawyer_case))
    hers = lawyer_notes.add(owner_case, her, "hers")
    theirs = lawyer_notes.add(lawyer_case, lawyer, "theirs")
    with pytest.raises(lawyer_notes.NotYourNote):
        lawyer_notes.edit(lawyer_case, lawyer, hers["id"], "changed by the lawyer")
    with pytest.raises(lawyer_notes.NotYourNote):
        lawyer_notes.delete(owner_case, her, theirs["id"])
    later = dt.datetime(2030, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
    changed = lawyer_notes.edit(lawyer_case, lawyer, theirs["id"], "theirs, corrected", later)
    assert changed["text"] == "theirs, corrected" and changed["author"]["role"] == "lawyer"
    assert changed["updated_at"] == "2030-01-02T03:04:05+00:00"
    assert changed["created_at"] == theirs["created_at"] != changed["updated_at"]
    lawyer_notes.delete(owner_case, her, hers["id"])
    assert [n["text"] for n in lawyer_notes.listed(owner_case)] == ["theirs, corrected"]
    with pytest.raises(KeyError):
        lawyer_notes.delete(owner_case, her, hers["id"])
    with pytest.raises(lawyer_notes.InvalidNote):
        lawyer_notes.add(owner_case, her, "   ")


def test_a_later_access_with_the_same_id_is_not_the_author(db, owner_case, lawyer_case):
    lawyer = lawyer_notes.author_of(db, lawyer_case)
    note = lawyer_notes.add(lawyer_case, lawyer, "theirs")
    reused = lawyer_notes.Author("lawyer", lawyer.grant_id, "ABCD-EFGH-JKMN")
    assert not reused.wrote(note) and lawyer.wrote(note)


def test_the_bundle_carries_the_notes_marked_as_handed_over(db, settings, owner_case,
                                                            lawyer_case, tmp_path, catalog):
    lawyer_notes.add(lawyer_case, lawyer_notes.author_of(db, lawyer_case), MARKER)
    lawyer_notes.add(owner_case, lawyer_notes.author_of(db, owner_case), "hers")
    store = FileStore.from_settings(settings)
    key = x25519.Identity.generate()
    data = bundle.export_case(db, owner_case, store, recipient=str(key.to_public()))
    assert MARKER.encode() not in data

    class _Rules:  # import_case needs only the catalog
        pass

    rules = _Rules()
    rules.catalog = catalog
    result = bundle.import_case(db, settings, store, rules, data, "lawyer's own passphrase",
                                identity=str(key))
    assert lawyer_notes.RECORD in result.records
    copy = service.open_case(db, settings, result.case.code, "lawyer's own passphrase")
    before = sorted((n["text"], n["author"]["role"]) for n in lawyer_notes.listed(owner_case))
    after = lawyer_notes.listed(copy)
    assert sorted((n["text"], n["author"]["role"]) for n in after) == before
    assert all(n["handed_over"] for n in after)
    # The new owner is not the author of the notes she (or her lawyer) wrote before.
    new_owner = lawyer_notes.author_of(db, copy)
    assert not any(new_owner.wrote(n) for n in after)
    with pytest.raises(lawyer_notes.NotYourNote):
        lawyer_notes.delete(copy, new_owner, after[0]["id"])
