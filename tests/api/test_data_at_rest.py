"""Data at rest: after a full case through the API, nothing typed is readable on disk.

Reads the raw SQLite file, its WAL and every other file in the instance folder (issue 3,
"Cases and storage"; issue 6, "Data at rest" and "Delete a case").
"""

import base64

import pytest
from sqlalchemy import select

from caseprep.api.auth import TOKEN_PURPOSE
from caseprep.cases import crypto
from caseprep.cases.models import Case, CaseRecord

MARKER = "Marker sentence 4f1c9: he posted my photos in the group on the ninth."
MARKER_ZH = "标记句子：他在九号把我的照片发到了群里。"
PASSPHRASE = "violet harbour 2718 lantern"


@pytest.fixture
def sqlite_app(app_config):
    from caseprep import create_app

    app = create_app(app_config)  # the default: SQLite under the instance folder
    yield app
    app.extensions["caseprep.engine"].dispose()


def _disk_bytes(instance_path) -> dict[str, bytes]:
    return {str(p.relative_to(instance_path)): p.read_bytes()
            for p in sorted(instance_path.rglob("*")) if p.is_file()}


def _forms(secret: bytes) -> list[bytes]:
    return [secret, secret.hex().encode(), base64.b64encode(secret),
            base64.urlsafe_b64encode(secret).rstrip(b"=")]


def _full_case(client):
    created = client.post("/api/v1/cases", json={
        "passphrase": PASSPHRASE, "jurisdictions": ["cn", "us"], "locale": "zh_Hans",
    }).get_json()
    code, token = created["code"], created["token"]
    headers = {"Authorization": f"Bearer {token}"}
    for patch in (
        {"content.kinds": ["everyday_photo", "personal_information"],
         "content.shared_with_consent": False, "distribution.for_profit": False},
        {"evidence.images_count": 34, "distribution.audience_max": 200000,
         "incident.first_known": "2026-03-01"},
        {"incident.narrative": MARKER + "\n" + MARKER_ZH},
    ):
        assert client.patch(f"/api/v1/cases/{code}/facts", json=patch,
                            headers=headers).status_code == 200
    assert client.get(f"/api/v1/cases/{code}/assessment", headers=headers).status_code == 200
    session = client.post("/api/v1/sessions", json={"code": code, "passphrase": PASSPHRASE})
    assert session.status_code == 200
    return code, token


def test_marker_passphrase_and_key_are_nowhere_in_clear(sqlite_app, instance_path):
    client = sqlite_app.test_client()
    code, token = _full_case(client)
    data_key = crypto.b64decode_key(
        crypto.unseal(sqlite_app.config["SECRET_KEY"], TOKEN_PURPOSE, token)["k"])
    files = _disk_bytes(instance_path)
    assert any(name.endswith(".sqlite3") for name in files)
    # the search does see the database: the (plain, needed) case code is found
    assert any(code.encode() in content for content in files.values())
    needles = {
        "marker": [MARKER.encode(), MARKER[:24].encode(), MARKER_ZH.encode(),
                   MARKER_ZH[:6].encode(), MARKER.encode("utf-16-le")],
        "passphrase": [PASSPHRASE.encode(), PASSPHRASE.encode("utf-16-le")],
        "data key": _forms(data_key),
        "token": [token.encode()],
    }
    for name, content in files.items():
        for what, forms in needles.items():
            for form in forms:
                assert form not in content, f"{what} found in clear in {name}"
    # the narrative is really stored: it comes back through the API
    facts = client.get(f"/api/v1/cases/{code}/facts",
                       headers={"Authorization": f"Bearer {token}"}).get_json()
    assert facts["incident.narrative"] == MARKER + "\n" + MARKER_ZH


def test_deleted_case_leaves_no_key_or_ciphertext_on_disk(sqlite_app, instance_path):
    client = sqlite_app.test_client()
    code, token = _full_case(client)
    sessions = sqlite_app.extensions["caseprep.sessions"]
    with sessions() as db:
        case = db.scalars(select(Case).where(Case.code == code)).one()
        secrets = [bytes(case.wrapped_key), bytes(case.kdf_salt)]
        secrets += [bytes(r.ciphertext)[:32] for r in
                    db.scalars(select(CaseRecord).where(CaseRecord.case_id == case.id))]
    response = client.delete(f"/api/v1/cases/{code}", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 204
    for name, content in _disk_bytes(instance_path).items():
        assert code.encode() not in content, f"case code left in {name}"
        for secret in secrets:
            assert secret not in content, f"key material or ciphertext left in {name}"
