"""Deleting a case (API, or the retention job for an abandoned one) leaves nothing
recoverable: no row, no file, and none of its stored bytes in the database, WAL or folder."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import create_engine, text

from tests.security.helpers import api_case, api_upload, auth, png_bytes

ROOT = Path(__file__).resolve().parents[2]


def _stored_bytes(app, code):
    """Every stored secret of the case as it sits in the database: wrapped key, ciphertexts."""
    engine = create_engine(app.config["CASEPREP"].sqlalchemy_url)
    with engine.connect() as conn:
        case_id, wrapped = conn.execute(text("SELECT id, wrapped_key FROM cases WHERE code = :c"),
                                        {"c": code}).one()
        blobs = [wrapped]
        blobs += [r[0] for r in conn.execute(
            text("SELECT ciphertext FROM case_records WHERE case_id = :i"), {"i": case_id})]
        blobs += [r[0] for r in conn.execute(
            text("SELECT ciphertext FROM evidence_items WHERE case_id = :i"), {"i": case_id})]
        names = [n for r in conn.execute(
            text("SELECT file_name, thumbnail_name FROM evidence_items WHERE case_id = :i"),
            {"i": case_id}) for n in r if n]
    engine.dispose()
    return [bytes(b)[:48] for b in blobs], names


def _case_with_evidence(client):
    created = api_case(client)
    code, token = created["code"], created["token"]
    client.patch(f"/api/v1/cases/{code}/facts", headers=auth(token),
                 json={"incident.narrative": "x" * 300, "evidence.images_count": 34})
    assert api_upload(client, code, token, png_bytes(size=(120, 90))).status_code == 201
    return code, token


def _assert_gone(app, code, blobs, names):
    instance = app.config["CASEPREP"].instance_path
    files = [p for p in instance.rglob("*") if p.is_file()]
    assert not any(p.name in names for p in files), "an evidence file survived"
    for path in files:
        data = path.read_bytes()
        for blob in blobs:
            assert blob not in data, f"stored bytes of the deleted case in {path.name}"
    engine = create_engine(app.config["CASEPREP"].sqlalchemy_url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM cases WHERE code = :c"),
                            {"c": code}).scalar_one() == 0
        for table in ("case_records", "evidence_items"):
            orphans = conn.execute(text(f"SELECT count(*) FROM {table} WHERE case_id NOT IN "
                                        "(SELECT id FROM cases)")).scalar_one()
            assert orphans == 0, table
    engine.dispose()


def test_api_delete_leaves_nothing_recoverable(app, client):
    code, token = _case_with_evidence(client)
    keep_code, keep_token = _case_with_evidence(client)
    blobs, names = _stored_bytes(app, code)
    assert len(blobs) >= 4 and len(names) == 2
    assert client.delete(f"/api/v1/cases/{code}", headers=auth(token)).status_code == 204
    _assert_gone(app, code, blobs, names)
    assert client.get(f"/api/v1/cases/{code}/facts", headers=auth(token)).status_code in (401, 404)
    # The other case is untouched.
    kept = client.get(f"/api/v1/cases/{keep_code}/evidence", headers=auth(keep_token))
    assert len(kept.get_json()["items"]) == 1


def test_retention_job_purges_an_abandoned_case_completely(app, client):
    code, _token = _case_with_evidence(client)
    visited_code, visited_token = _case_with_evidence(client)
    blobs, names = _stored_bytes(app, code)
    engine = create_engine(app.config["CASEPREP"].sqlalchemy_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE cases SET expires_at = '2001-01-01 00:00:00.000000' "
                          "WHERE code = :c"), {"c": code})
    engine.dispose()
    app.extensions["caseprep.engine"].dispose()
    env = {**os.environ, "CASEPREP_INSTANCE_PATH": str(app.config["CASEPREP"].instance_path),
           "CASEPREP_ENV": "development"}
    result = subprocess.run([sys.executable, "-c", "from caseprep.cli import main; main()",
                             "purge-expired"], env=env, cwd=ROOT, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "purged 1" in result.stdout
    _assert_gone(app, code, blobs, names)
    kept = client.get(f"/api/v1/cases/{visited_code}/evidence", headers=auth(visited_token))
    assert len(kept.get_json()["items"]) == 1
