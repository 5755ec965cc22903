"""The evidence tally kept for the wizard: reused while the log is unchanged, recounted after
any add, edit or delete, and stored only encrypted."""

from __future__ import annotations

from sqlalchemy import select

from caseprep.cases.models import CaseRecord
from caseprep.evidence import service
from tests.evidence.conftest import BOTH_DATABASES


def _count_calls(monkeypatch) -> list[int]:
    calls: list[int] = []
    real = service.list_items

    def counting(db, case):
        calls.append(1)
        return real(db, case)

    monkeypatch.setattr(service, "list_items", counting)
    return calls


@BOTH_DATABASES
def test_tally_is_reused_until_the_log_changes(db, case, monkeypatch, shipped_catalog):
    calls = _count_calls(monkeypatch)
    assert service.derived_facts(db, case, shipped_catalog) == {}
    assert calls == []  # an empty log is not even listed
    first = service.add_item(db, case, None, {"kind": "image", "url": "https://t.me/c/1/1"})
    assert service.derived_facts(db, case, shipped_catalog)["evidence.images_count"] == 1
    assert len(calls) == 1
    assert service.derived_facts(db, case, shipped_catalog)["evidence.images_count"] == 1
    assert len(calls) == 1, "an unchanged log is not decrypted again"

    second = service.add_item(db, case, None, {"kind": "chat_message",
                                               "url": "https://t.me/c/1/1"})
    facts = service.derived_facts(db, case, shipped_catalog)
    assert facts["evidence.posts_count"] == 1  # the message and the image are one post
    assert len(calls) == 2

    service.update_item(db, case, second.id, {"kind": "chat_message",
                                              "url": "https://t.me/c/1/2"})
    posts = service.derived_facts(db, case, shipped_catalog)["evidence.posts_count"]
    assert posts == 2, "an edit recounts"

    service.delete_item(db, case, None, first.id)
    facts = service.derived_facts(db, case, shipped_catalog)
    assert facts["evidence.images_count"] == 0 and facts["evidence.posts_count"] == 1
    service.delete_item(db, case, None, second.id)
    assert service.derived_facts(db, case, shipped_catalog) == {}


def test_tally_record_is_encrypted(db, case, shipped_catalog):
    service.add_item(db, case, None, {"kind": "image"})
    service.derived_facts(db, case, shipped_catalog)
    row = db.scalars(select(CaseRecord).where(CaseRecord.name == service.TALLY_RECORD)).one()
    assert b"image" not in row.ciphertext and b"fingerprint" not in row.ciphertext
    assert case.read_record(service.TALLY_RECORD)["tally"]["image"] == 1
