"""The idle time-out without loss (issue 12, item 5): no meta refresh, the page says when the
case closes, a "stay" keep-alive, and a form posted after the time-out kept (encrypted) for
re-entry once she resumes."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

from sqlalchemy import update

from caseprep.cases.models import CaseSession, utcnow
from tests.web.conftest import PASSPHRASE, csrf_token
from tests.web.test_wizard import _asked

STORY = "他把我的朋友圈照片发到了一个七千人的群里，还写了侮辱我的话。" * 40


def _idle_out(app) -> None:
    """Make every session look idle for longer than the limit."""
    from caseprep.appshell.extensions import get_db

    idle = app.config["CASEPREP"].session_idle_minutes
    with app.app_context():
        db = get_db()
        db.execute(update(CaseSession).values(
            last_seen_at=utcnow() - timedelta(minutes=idle, seconds=5)))
        db.commit()


def test_no_meta_refresh_and_the_page_says_when_it_closes(client, new_case):
    new_case()
    html = client.get("/wizard/what_happened").get_data(as_text=True)
    assert 'http-equiv="refresh"' not in html
    ends = re.search(r'<p id="session-ends"[^>]*>(.*?)</p>', html, re.S)
    assert ends and "closes 30 minutes after your last saved page or click" in ends.group(1)
    assert 'data-keep-alive-url="/wizard/keep-alive"' in html
    assert '<dialog id="session-dialog"' in html and "js/session.js" in html


def test_keep_alive_needs_an_open_case_and_a_token(client, new_case, app):
    new_case()
    page = client.get("/wizard/what_happened").get_data(as_text=True)
    token = re.search(r'data-csrf-token="([^"]+)"', page).group(1)
    assert client.post("/wizard/keep-alive").status_code == 400  # no CSRF token
    assert client.post("/wizard/keep-alive", headers={"X-CSRFToken": token}).status_code == 204
    _idle_out(app)
    response = client.post("/wizard/keep-alive", headers={"X-CSRFToken": token})
    assert response.status_code == 303 and response.headers["Location"].endswith("/timed-out")


def test_text_posted_after_the_time_out_comes_back_after_resuming(client, new_case, app,
                                                                 instance_path):
    code = new_case()
    page = client.get("/wizard/what_happened").get_data(as_text=True)
    assert "incident.narrative" in _asked(page)
    _idle_out(app)
    response = client.post("/wizard/what_happened", data={
        "csrf_token": csrf_token(page), "asked": " ".join(_asked(page)),
        "f_incident__narrative": STORY, "go": "next"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/timed-out?next=/wizard/what_happened")
    # Kept encrypted: nothing of the story on disk in clear.
    kept = list((Path(instance_path) / "unsaved").iterdir())
    assert len(kept) == 1
    raw = kept[0].read_bytes()
    assert STORY.encode()[:60] not in raw and "朋友圈".encode() not in raw
    timed_out = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "was kept, encrypted, in this browser only" in timed_out
    resume_link = re.search(r'href="(/resume\?next=[^"]+)"', timed_out).group(1)
    resume_page = client.get(resume_link.replace("&amp;", "&")).get_data(as_text=True)
    response = client.post(resume_link.replace("&amp;", "&"), data={
        "csrf_token": csrf_token(resume_page), "code": code, "passphrase": PASSPHRASE})
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/wizard/what_happened")
    again = client.get("/wizard/what_happened").get_data(as_text=True)
    assert "Your case had closed before this page was saved" in again
    assert STORY in again  # back in the textarea, to check and save
    assert list((Path(instance_path) / "unsaved").iterdir()) == []  # taken: gone from disk
    # Only once: a second visit shows the saved answers, not the kept form.
    assert "Your case had closed" not in client.get("/wizard/what_happened").get_data(
        as_text=True)
