"""The evidence routes of /api/v1: add with and without a file, list, edit, delete, manifest."""

from __future__ import annotations

import csv
import hashlib
import io
import json

import pytest

from caseprep.evidence import synthetic

PASSPHRASE = "magnolia river 1987 kite"


@pytest.fixture
def case(client):
    response = client.post("/api/v1/cases", json={"passphrase": PASSPHRASE,
                                                  "jurisdictions": ["cn"], "locale": "en"})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def _call(client, case, method, path="", token=True, **kwargs):
    headers = {"Authorization": f"Bearer {case['token']}"} if token else {}
    return client.open(f"/api/v1/cases/{case['code']}/evidence{path}", method=method,
                       headers=headers, **kwargs)


def _jpeg(seed=1):
    return synthetic.jpeg_bytes(synthetic.scene(seed, size=(90, 120)))


def test_add_with_file_returns_201_and_sha256(client, case):
    data = _jpeg()
    response = _call(client, case, "POST", data={
        "file": (io.BytesIO(data), "photo.jpg"), "platform": "Telegram",
        "poster_handle": "@bad", "posted_at": "2024-05-01T10:00:00"},
        content_type="multipart/form-data")
    assert response.status_code == 201, response.get_json()
    item = response.get_json()
    assert item["sha256"] == hashlib.sha256(data).hexdigest()
    assert item["kind"] == "image" and item["size"] == len(data)
    assert item["poster_handle"] == "@bad" and item["has_thumbnail"]
    listed = _call(client, case, "GET").get_json()
    assert [i["id"] for i in listed["items"]] == [item["id"]]
    assert listed["counts"]["by_kind"] == {"image": 1}


def test_add_fields_alone_as_json_and_edit(client, case):
    response = _call(client, case, "POST", json={"kind": "chat_message",
                                                 "url": "https://t.me/c/1/2"})
    assert response.status_code == 201
    item = response.get_json()
    assert item["sha256"] is None and not item["has_file"]
    edited = _call(client, case, "PATCH", f"/{item['id']}", json={"notes": "n"})
    assert edited.status_code == 200 and edited.get_json()["notes"] == "n"
    assert _call(client, case, "GET", f"/{item['id']}").get_json()["notes"] == "n"


@pytest.mark.parametrize(("name", "data", "status", "code"), [
    ("x.jpg", b"%PDF-1.4 fake", 422, "type_mismatch"),
    ("../x.txt", b"hello", 422, "bad_name"),
    ("e.txt", b"", 422, "empty"),
])
def test_refused_uploads(client, case, name, data, status, code):
    response = _call(client, case, "POST", data={"file": (io.BytesIO(data), name)},
                     content_type="multipart/form-data")
    assert response.status_code == status
    body = response.get_json()
    assert body["error"] == "upload_refused" and body["code"] == code and body["message"]
    assert _call(client, case, "GET").get_json()["items"] == []


def test_oversize_upload_is_413(app, client, case):
    app.config["CASEPREP"].max_upload_bytes = 1000
    response = _call(client, case, "POST", data={"file": (io.BytesIO(b"a" * 1001), "a.txt")},
                     content_type="multipart/form-data")
    assert response.status_code == 413
    assert response.get_json()["code"] == "too_large"


def test_oversized_json_fields_are_refused_before_parsing(client, case):
    item = _call(client, case, "POST", json={"kind": "other"}).get_json()
    body = '{"notes": "' + "x" * 300_000 + '"}'
    for method, path in (("POST", ""), ("PATCH", f"/{item['id']}")):
        response = _call(client, case, method, path, data=body,
                         content_type="application/json")
        assert response.status_code == 413 and response.is_json, (method, response.status_code)
    assert [i["id"] for i in _call(client, case, "GET").get_json()["items"]] == [item["id"]]
    assert not _call(client, case, "GET", f"/{item['id']}").get_json().get("notes")


def test_invalid_field_is_422(client, case):
    response = _call(client, case, "POST", json={"kind": "gossip"})
    assert response.status_code == 422 and response.get_json()["field"] == "kind"


def test_delete(client, case):
    item = _call(client, case, "POST", json={"kind": "other"}).get_json()
    assert _call(client, case, "DELETE", f"/{item['id']}").status_code == 204
    assert _call(client, case, "DELETE", f"/{item['id']}").status_code == 404
    assert _call(client, case, "GET").get_json()["items"] == []


def test_token_is_required_and_bound_to_its_case(client, case):
    assert _call(client, case, "GET", token=False).status_code == 401
    other = client.post("/api/v1/cases", json={"passphrase": PASSPHRASE + "x",
                                               "jurisdictions": ["cn"]}).get_json()
    item = _call(client, case, "POST", json={"kind": "other"}).get_json()
    response = client.delete(f"/api/v1/cases/{case['code']}/evidence/{item['id']}",
                             headers={"Authorization": f"Bearer {other['token']}"})
    assert response.status_code == 404
    response = client.delete(f"/api/v1/cases/{other['code']}/evidence/{item['id']}",
                             headers={"Authorization": f"Bearer {other['token']}"})
    assert response.status_code == 404
    assert len(_call(client, case, "GET").get_json()["items"]) == 1


def test_manifest_csv_and_json(client, case):
    data = _jpeg()
    _call(client, case, "POST", data={"file": (io.BytesIO(data), "p.jpg")},
          content_type="multipart/form-data")
    rows = list(csv.DictReader(io.StringIO(
        _call(client, case, "GET", "/manifest?format=csv").get_data(as_text=True))))
    assert rows[0]["sha256"] == hashlib.sha256(data).hexdigest()
    body = json.loads(_call(client, case, "GET", "/manifest").get_data(as_text=True))
    assert body["items"][0]["size"] == len(data)


def test_ten_images_move_the_assessment(client, case):
    before = client.get(f"/api/v1/cases/{case['code']}/assessment",
                        headers={"Authorization": f"Bearer {case['token']}"})
    for i in range(10):
        _call(client, case, "POST", json={"kind": "image", "url": f"https://t.me/c/9/{i}"})
    after = client.get(f"/api/v1/cases/{case['code']}/assessment",
                       headers={"Authorization": f"Bearer {case['token']}"})
    assert before.status_code == after.status_code == 200
    text = json.dumps(after.get_json())
    assert '"have": 10' in text and '"have": 10' not in json.dumps(before.get_json())


def test_openapi_documents_the_evidence_paths(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    assert "post" in doc["paths"]["/cases/{code}/evidence"]
    assert "delete" in doc["paths"]["/cases/{code}/evidence/{item_id}"]
