"""Tampered ciphertext (a flipped byte in a stored record, wrapped key or file) gives an
authentication error, never altered plaintext; a record moved between cases does not open."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

from tests.security.helpers import PASSPHRASE, api_case, api_upload, auth, png_bytes, web_login

NARRATIVE = "He posted 34 of my photos in the group on 3 May."


@pytest.fixture
def case(app, client):
    created = api_case(client)
    code, token = created["code"], created["token"]
    response = client.patch(f"/api/v1/cases/{code}/facts", headers=auth(token),
                            json={"incident.narrative": NARRATIVE, "evidence.images_count": 34})
    assert response.status_code == 200
    uploaded = api_upload(client, code, token, png_bytes(size=(200, 150)), notes="first post")
    assert uploaded.status_code == 201
    return {**created, "item": uploaded.get_json()["id"]}


def _engine(app):
    return create_engine(app.config["CASEPREP"].sqlalchemy_url)


def _flip(blob: bytes, at: int = -1) -> bytes:
    data = bytearray(blob)
    data[at] ^= 0x01
    return bytes(data)


def _update(app, sql_select: str, sql_update: str, params: dict, at: int = -1) -> None:
    engine = _engine(app)
    with engine.begin() as conn:
        blob = conn.execute(text(sql_select), params).scalar_one()
        conn.execute(text(sql_update), {**params, "blob": _flip(blob, at)})
    engine.dispose()


def _case_id(app, code) -> int:
    engine = _engine(app)
    with engine.connect() as conn:
        value = conn.execute(text("SELECT id FROM cases WHERE code = :c"), {"c": code}).scalar_one()
    engine.dispose()
    return value


@pytest.mark.parametrize("at", [0, 17, -1])  # first byte, middle, inside the GCM tag
def test_flipped_byte_in_the_facts_record_is_an_authentication_error(app, client, case, at):
    case_id = _case_id(app, case["code"])
    _update(app, "SELECT ciphertext FROM case_records WHERE case_id = :i AND name = 'facts'",
            "UPDATE case_records SET ciphertext = :blob WHERE case_id = :i AND name = 'facts'",
            {"i": case_id}, at)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = client.get(f"/api/v1/cases/{case['code']}/facts", headers=auth(case["token"]))
    assert response.status_code == 500
    assert response.get_json()["error"] == "case_corrupted"
    assert "photos" not in response.get_data(as_text=True)
    browser = app.test_client()
    web_login(browser, case["code"])
    page = browser.get("/wizard/results")
    assert page.status_code == 500
    assert "integrity check" in page.get_data(as_text=True)
    from caseprep.appshell.extensions import get_db
    from caseprep.cases import service
    from caseprep.cases.errors import CaseCorrupted

    with app.app_context():
        opened = service.open_case(get_db(), app.config["CASEPREP"], case["code"], PASSPHRASE)
        with pytest.raises(CaseCorrupted):
            opened.facts()


def test_flipped_byte_in_the_wrapped_key_refuses_the_real_passphrase(app, client, case):
    _update(app, "SELECT wrapped_key FROM cases WHERE code = :c",
            "UPDATE cases SET wrapped_key = :blob WHERE code = :c", {"c": case["code"]}, 20)
    response = client.post("/api/v1/sessions",
                           json={"code": case["code"], "passphrase": PASSPHRASE})
    assert response.status_code == 401
    assert "token" not in response.get_json()


def test_a_record_moved_from_another_case_does_not_open(app, client, case):
    other = api_case(client)
    client.patch(f"/api/v1/cases/{other['code']}/facts", headers=auth(other["token"]),
                 json={"evidence.images_count": 3})
    ids = _case_id(app, case["code"]), _case_id(app, other["code"])
    engine = _engine(app)
    with engine.begin() as conn:
        row = conn.execute(text("SELECT nonce, ciphertext FROM case_records "
                                "WHERE case_id = :i AND name = 'facts'"), {"i": ids[0]}).one()
        conn.execute(text("UPDATE case_records SET nonce = :n, ciphertext = :c "
                          "WHERE case_id = :i AND name = 'facts'"),
                     {"n": row[0], "c": row[1], "i": ids[1]})
    engine.dispose()
    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = client.get(f"/api/v1/cases/{other['code']}/facts", headers=auth(other["token"]))
    assert response.status_code >= 400
    assert "photos" not in response.get_data(as_text=True)


def test_flipped_byte_in_an_evidence_row_is_refused(app, client, case):
    _update(app, "SELECT ciphertext FROM evidence_items WHERE id = :i",
            "UPDATE evidence_items SET ciphertext = :blob WHERE id = :i", {"i": case["item"]}, 5)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = client.get(f"/api/v1/cases/{case['code']}/evidence/{case['item']}",
                          headers=auth(case["token"]))
    assert response.status_code >= 400
    assert "first post" not in response.get_data(as_text=True)


def _stored_files(app):
    root = app.config["CASEPREP"].instance_path / "files"
    return [p for p in root.rglob("*") if p.is_file()]


@pytest.mark.parametrize("where", ["header", "body", "tag", "truncated"])
def test_tampered_evidence_file_is_never_served(app, case, where):
    files = _stored_files(app)
    assert files, "the upload stored no file"
    for path in files:
        data = bytearray(path.read_bytes())
        if where == "truncated":
            data = data[:-40]
        else:
            index = {"header": 2, "body": len(data) // 2, "tag": -3}[where]
            data[index] ^= 0xFF
        path.write_bytes(bytes(data))
    browser = app.test_client()
    web_login(browser, case["code"])
    for path in (f"/evidence/{case['item']}/file", f"/evidence/{case['item']}/thumbnail.jpg"):
        response = browser.get(path)
        assert response.status_code >= 400, (path, response.status_code)
        assert not response.data.startswith(b"\x89PNG") and b"JFIF" not in response.data[:20]
