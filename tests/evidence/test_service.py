"""The evidence log: every field, files, counts, derived facts, manifest, verify, deletion."""

from __future__ import annotations

import csv
import hashlib
import io
import json

import pytest
from sqlalchemy import select

from caseprep.cases import service as case_service
from caseprep.cases.shred import shred_case
from caseprep.evidence import export, service, synthetic
from caseprep.evidence.items import InvalidField
from caseprep.evidence.models import EvidenceItem
from caseprep.evidence.refusals import UploadRefused
from tests.evidence.conftest import BOTH_DATABASES

FIELDS = {
    "kind": "chat_message", "platform": "Telegram", "url": "https://t.me/c/123/45",
    "message_ref": "chat 123 message 45", "poster_handle": "@poster", "poster_id": "user777",
    "posted_at": "2024-05-31T14:30:00+08:00", "captured_at": "2024-06-01",
    "notes": "群里转发了三次 =SUM(A1)",
}


def _jpeg(seed=1) -> bytes:
    return synthetic.jpeg_bytes(synthetic.scene(seed, size=(120, 90)))


@BOTH_DATABASES
def test_every_field_round_trips_and_is_encrypted(db, case):
    item = service.add_item(db, case, None, FIELDS)
    got = service.get_item(db, case, item.id)
    for name, value in FIELDS.items():
        if name == "kind":
            assert got.kind == value
        elif name == "captured_at":
            assert got.get(name) == "2024-06-01T00:00:00"
        else:
            assert got.get(name) == value, name
    row = db.scalars(select(EvidenceItem)).one()
    for secret in ("@poster", "user777", "t.me", "三次"):
        assert secret.encode() not in row.ciphertext
    assert got.to_dict()["poster_id"] == "user777" and not got.has_file


@pytest.mark.parametrize(("field", "value"), [
    ("kind", "rumour"), ("url", "javascript:alert(1)"), ("posted_at", "last tuesday"),
    ("notes", "x" * 5001), ("platform", "a\x00b"),
])
def test_invalid_fields_are_refused(db, case, field, value):
    with pytest.raises(InvalidField) as info:
        service.add_item(db, case, None, {**FIELDS, field: value})
    assert info.value.field == field
    assert service.list_items(db, case) == []


def test_kind_is_required_without_a_file(db, case):
    with pytest.raises(InvalidField):
        service.add_item(db, case, None, {"platform": "x"})


def test_file_item_records_hash_type_and_thumbnail(db, case, store):
    data = _jpeg()
    item = service.add_item(db, case, store, {"platform": "QQ"}, io.BytesIO(data), "p.jpg")
    assert item.kind == "image"  # from the detected type
    assert item.get("sha256") == hashlib.sha256(data).hexdigest()
    assert item.get("size") == len(data) and item.get("detected_type") == "image/jpeg"
    assert item.get("original_name") == "p.jpg" and item.has_thumbnail
    assert (item.get("width"), item.get("height")) == (120, 90)
    thumb = service.read_thumbnail(db, case, store, item.id)
    assert thumb.startswith(b"\xff\xd8")
    got, fh = service.open_file(db, case, store, item.id)
    with fh:
        assert fh.read() == data


def test_refused_upload_keeps_no_row_and_no_file(db, case, store):
    with pytest.raises(UploadRefused):
        service.add_item(db, case, store, {"kind": "image"}, io.BytesIO(b"GIF89a" + b"\0" * 9),
                         "x.png")
    assert service.list_items(db, case) == []
    folder = store.case_dir(case.code)
    assert not folder.exists() or list(folder.iterdir()) == []


def test_edit_changes_fields_but_not_the_file_hash(db, case, store):
    item = service.add_item(db, case, store, {"kind": "image"}, io.BytesIO(_jpeg()), "a.jpg")
    changed = service.update_item(db, case, item.id, {"notes": "new", "kind": "screenshot",
                                                     "sha256": "forged"})
    assert changed.get("notes") == "new" and changed.kind == "screenshot"
    assert changed.get("sha256") == item.get("sha256")
    assert service.update_item(db, case, 99999, {"notes": "x"}) is None


def test_delete_removes_row_and_files(db, case, store):
    item = service.add_item(db, case, store, {"kind": "image"}, io.BytesIO(_jpeg()), "a.jpg")
    assert len(list(store.case_dir(case.code).iterdir())) == 2
    assert service.delete_item(db, case, store, item.id)
    assert list(store.case_dir(case.code).iterdir()) == []
    assert not service.delete_item(db, case, store, item.id)


@BOTH_DATABASES
def test_another_case_cannot_see_or_delete_items(db, case, settings):
    other = case_service.create_case(db, settings, "another passphrase", ["cn"], "en")
    item = service.add_item(db, case, None, FIELDS)
    assert service.get_item(db, other, item.id) is None
    assert not service.delete_item(db, other, None, item.id)
    assert service.list_items(db, other) == []


@BOTH_DATABASES
def test_counts_and_derived_facts_move_with_the_log(db, case, store, shipped_catalog):
    assert service.derived_facts(db, case, shipped_catalog) == {}
    for i in range(10):
        service.add_item(db, case, store, {"kind": "image", "poster_id": "user1",
                                           "poster_handle": "@one",
                                           "url": f"https://t.me/c/1/{i}"},
                         io.BytesIO(_jpeg(i)), f"{i}.jpg")
    service.add_item(db, case, None, {"kind": "video", "poster_id": "user2",
                                      "url": "https://t.me/c/1/3"})  # same post as an image
    service.add_item(db, case, None, {"kind": "chat_message", "poster_id": "user2"})
    facts = service.derived_facts(db, case, shipped_catalog)
    assert facts["evidence.images_count"] == 10
    assert facts["evidence.videos_count"] == 1
    assert facts["evidence.audio_count"] == 0
    assert facts["evidence.posts_count"] == 11  # 10 distinct links + 1 unreferenced message
    tally = service.counts(service.list_items(db, case))
    assert tally["by_poster"][0] == {"poster_id": "user1", "poster_handle": "@one",
                                     "items": 10, "images": 10, "videos": 0}
    assert tally["by_poster"][1]["items"] == 2


def test_manifest_csv_and_json(db, case, store):
    data = _jpeg()
    service.add_item(db, case, store, {**FIELDS, "kind": "image"}, io.BytesIO(data), "a.jpg")
    service.add_item(db, case, None, FIELDS)
    items = service.list_items(db, case)
    rows = list(csv.DictReader(io.StringIO(export.manifest_csv(items))))
    assert list(rows[0]) == list(export.COLUMNS)
    assert rows[0]["sha256"] == hashlib.sha256(data).hexdigest()
    assert rows[0]["size"] == str(len(data)) and rows[0]["poster"] == "'@poster"
    assert rows[1]["index"] == "2" and rows[1]["sha256"] == ""
    assert rows[0]["reference"] == "https://t.me/c/123/45"
    data_json = json.loads(export.manifest_json(items))
    assert data_json["items"][0]["sha256"] == hashlib.sha256(data).hexdigest()
    assert data_json["items"][1]["kind"] == "chat_message"


def test_csv_cells_cannot_become_formulas(db, case):
    service.add_item(db, case, None, {"kind": "other", "poster_handle": "=HYPERLINK(\"x\")"})
    text = export.manifest_csv(service.list_items(db, case))
    assert "'=HYPERLINK" in text


def test_verify_reports_altered_and_missing_files(db, case, store):
    a = service.add_item(db, case, store, {"kind": "document"}, io.BytesIO(b"one\n"), "a.txt")
    b = service.add_item(db, case, store, {"kind": "document"}, io.BytesIO(b"two\n"), "b.txt")
    assert export.verify_files(db, case, store) == []
    rows = {r.id: r for r in db.scalars(select(EvidenceItem))}
    path_a = store.case_dir(case.code) / rows[a.id].file_name
    raw = bytearray(path_a.read_bytes())
    raw[-20] ^= 0xFF
    path_a.write_bytes(bytes(raw))
    (store.case_dir(case.code) / rows[b.id].file_name).unlink()
    problems = {p["id"]: p["problem"] for p in export.verify_files(db, case, store)}
    assert problems == {a.id: "altered", b.id: "missing"}


@BOTH_DATABASES
def test_deleting_the_case_removes_rows_and_files(db, case, store):
    service.delete_files_with_cases(db.get_bind(), store)
    service.add_item(db, case, store, {"kind": "image"}, io.BytesIO(_jpeg()), "a.jpg")
    assert store.case_dir(case.code).exists()
    assert shred_case(db, case.case_id)
    assert not store.case_dir(case.code).exists()
    assert db.scalars(select(EvidenceItem)).all() == []
