"""The lawyer's notes page (issue 15): the owner and a lawyer with access read every note,
each changes only their own, a revoked access reads nothing, and no note reaches the
database or the logs in clear."""

from __future__ import annotations

import logging
import re

from tests.web.conftest import csrf_token
from tests.web.test_access_grants import _give_access, _sign_in

MARKER = "NOTEMARK-q7Vw 暗号甲乙丙丁"


def _add(client, text):
    page = client.get("/case/notes").get_data(as_text=True)
    return client.post("/case/notes", data={"csrf_token": csrf_token(page), "text": text})


def _note_ids(html: str) -> list[str]:
    return re.findall(r'id="note-([0-9a-f]{32})"', html)


def _files_under(folder):
    return [p for p in folder.rglob("*") if p.is_file()]


def test_owner_and_lawyer_share_notes_and_each_edits_only_their_own(app, client, new_case,
                                                                    instance_path, caplog):
    caplog.set_level(logging.DEBUG)
    new_case()
    code, secret = _give_access(client)
    lawyer = app.test_client()
    assert _sign_in(lawyer, code, secret).status_code == 303
    assert _add(lawyer, MARKER).status_code == 303
    assert _add(client, "Her own note").status_code == 303

    hers = client.get("/case/notes").get_data(as_text=True)
    assert "Everyone with access to this case reads every note" in hers
    assert MARKER in hers and "Her own note" in hers
    assert f"Lawyer&#39;s access {code}" in hers or f"Lawyer's access {code}" in hers
    assert "The case&#39;s owner (you)" in hers or "The case's owner (you)" in hers
    theirs = lawyer.get("/case/notes").get_data(as_text=True)
    assert MARKER in theirs and "Her own note" in theirs
    # Newest first: her note, then the lawyer's.
    her_id, lawyer_id = _note_ids(theirs)
    # Each sees a change link for their own note only.
    assert f"/case/notes/{lawyer_id}/edit" in theirs and f"/case/notes/{her_id}/edit" not in theirs
    assert f"/case/notes/{her_id}/edit" in hers and f"/case/notes/{lawyer_id}/edit" not in hers

    token = csrf_token(theirs)
    assert lawyer.post(f"/case/notes/{her_id}/edit",
                       data={"csrf_token": token, "text": "OVERWRITE-ATTEMPT"}).status_code == 403
    assert lawyer.post(f"/case/notes/{her_id}/delete",
                       data={"csrf_token": token}).status_code == 403
    assert client.get(f"/case/notes/{lawyer_id}/edit").status_code == 403
    changed = lawyer.post(f"/case/notes/{lawyer_id}/edit",
                          data={"csrf_token": token, "text": MARKER + " (checked)"})
    assert changed.status_code == 303
    page = client.get("/case/notes").get_data(as_text=True)
    assert MARKER + " (checked)" in page and "OVERWRITE-ATTEMPT" not in page
    assert client.post(f"/case/notes/{her_id}/delete",
                       data={"csrf_token": csrf_token(page)}).status_code == 303
    assert "Her own note" not in lawyer.get("/case/notes").get_data(as_text=True)

    # Nothing of the note in clear: not in the database file nor any file of the instance,
    # not in any log record.
    assert _files_under(instance_path)
    for path in _files_under(instance_path):
        data = path.read_bytes()
        assert b"NOTEMARK-q7Vw" not in data, path
        assert "暗号甲乙丙丁".encode() not in data, path
    assert "NOTEMARK" not in caplog.text and "暗号甲乙丙丁" not in caplog.text


def test_a_revoked_access_reads_no_note(app, client, new_case):
    new_case()
    code, secret = _give_access(client)
    lawyer = app.test_client()
    _sign_in(lawyer, code, secret)
    _add(lawyer, MARKER)
    page = client.get("/case/access").get_data(as_text=True)
    grant_id = re.search(r'name="grant_id" value="(\d+)"', page).group(1)
    client.post("/case/access/revoke", data={"csrf_token": csrf_token(page),
                                             "grant_id": grant_id})
    gone = lawyer.get("/case/notes")
    assert gone.status_code in (302, 303) and "/resume" in gone.headers["Location"]
    assert MARKER not in lawyer.get("/case/notes", follow_redirects=True).get_data(as_text=True)
    assert _sign_in(app.test_client(), code, secret).status_code == 401


def test_notes_need_an_open_case(app):
    response = app.test_client().get("/case/notes")
    assert response.status_code in (302, 303) and "/resume" in response.headers["Location"]


def test_an_empty_note_is_refused(client, new_case):
    new_case()
    assert _add(client, "   ").status_code == 422
    assert _note_ids(client.get("/case/notes").get_data(as_text=True)) == []
