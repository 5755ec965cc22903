"""Index, new case, resume, close, idle timeout, quick exit and the session cookie."""

from __future__ import annotations

import base64
import contextlib
import re
import zlib

import pytest

from caseprep.web import case_session
from tests.web.conftest import PASSPHRASE, csrf_token

PAGES_WITHOUT_CASE = ["/", "/new", "/resume", "/timed-out"]
PAGES_WITH_CASE = ["/new/done", "/case", "/wizard/safety", "/wizard/jurisdictions",
                   "/wizard/what_happened", "/wizard/who", "/wizard/where", "/wizard/evidence",
                   "/wizard/goals", "/wizard/results"]


@pytest.mark.parametrize(("locale", "name", "draft"), [
    ("en", "Testland", "draft, not yet reviewed by a lawyer"),
    ("zh_Hans", "测试国", None),
])
def test_index_lists_loaded_jurisdictions_with_version_and_status(client, locale, name, draft):
    html = client.get("/", headers={"Accept-Language": locale.replace("_", "-")}) \
        .get_data(as_text=True)
    assert name in html
    assert "2026.11.0" in html
    if draft:
        assert draft in html
    assert 'href="/new"' in html and 'action="/resume"' in html


def test_new_case_shows_code_and_retention(client, app):
    page = client.get("/new").get_data(as_text=True)
    response = client.post("/new", data={
        "csrf_token": csrf_token(page), "passphrase": PASSPHRASE, "passphrase_again": PASSPHRASE,
        "locale": "en", "lives_in": "zz"})
    assert response.status_code == 303
    done = client.get("/new/done").get_data(as_text=True)
    code = re.search(r'id="case-code">([^<]+)<', done).group(1)
    assert re.fullmatch(r"[0-9A-Z]{4}(-[0-9A-Z]{4}){3}", code)
    days = app.config["CASEPREP"].retention_days
    assert f"{days} days" in done


@pytest.mark.parametrize(("again", "passphrase", "message"), [
    ("something else entirely", PASSPHRASE, "The two passphrases differ."),
    ("short", "short", "at least 10"),
])
def test_new_case_refuses_bad_passphrases(client, again, passphrase, message):
    page = client.get("/new").get_data(as_text=True)
    response = client.post("/new", data={
        "csrf_token": csrf_token(page), "passphrase": passphrase, "passphrase_again": again,
        "locale": "en", "lives_in": "zz"})
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert client.get("/wizard/results").status_code == 302  # no case was opened


def test_new_case_needs_csrf_token(client):
    response = client.post("/new", data={"passphrase": PASSPHRASE,
                                         "passphrase_again": PASSPHRASE, "locale": "en",
                                         "lives_in": "zz"})
    assert response.status_code == 400


def _resume(client, code, passphrase, next_path=None):
    page = client.get("/resume").get_data(as_text=True)
    url = "/resume" + (f"?next={next_path}" if next_path else "")
    return client.post(url, data={"csrf_token": csrf_token(page), "code": code,
                                  "passphrase": passphrase})


def test_resume_with_code_and_passphrase(app, new_case):
    code = new_case()
    other = app.test_client()
    response = _resume(other, code.lower().replace("-", " "), PASSPHRASE)
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/wizard/results")
    assert other.get("/wizard/results").status_code == 200


@pytest.mark.parametrize("which", ["wrong passphrase", "unknown code"])
def test_resume_refuses_wrong_pairs_alike(app, new_case, which):
    code = new_case()
    other = app.test_client()
    if which == "unknown code":
        code = "0000-0000-0000-0000"
        passphrase = PASSPHRASE
    else:
        passphrase = PASSPHRASE + "!"
    response = _resume(other, code, passphrase)
    assert response.status_code == 401
    assert "do not open a case" in response.get_data(as_text=True)
    assert other.get("/wizard/results").status_code == 302


def test_resume_goes_back_to_the_page_asked_for_but_never_offsite(app, new_case):
    code = new_case()
    other = app.test_client()
    assert _resume(other, code, PASSPHRASE, "/wizard/who").headers["Location"] == "/wizard/who"
    third = app.test_client()
    assert _resume(third, code, PASSPHRASE, "//evil.example/x").headers["Location"] \
        .endswith("/wizard/results")


def test_case_pages_need_an_open_case(client):
    for path in PAGES_WITH_CASE:
        response = client.get(path)
        assert response.status_code == 302, path
        assert "/resume" in response.headers["Location"]


def test_close_case_logs_out(client, new_case):
    new_case()
    page = client.get("/wizard/safety").get_data(as_text=True)
    response = client.post("/close", data={"csrf_token": csrf_token(page)})
    assert response.status_code == 303
    assert client.get("/wizard/safety").status_code == 302


def _age_sessions(app, seconds: int) -> None:
    """Move every server-side session's last activity `seconds` into the past."""
    from datetime import timedelta

    from sqlalchemy import update

    from caseprep.appshell.extensions import get_db
    from caseprep.cases.models import CaseSession, utcnow

    with app.app_context():
        db = get_db()
        db.execute(update(CaseSession).values(last_seen_at=utcnow() - timedelta(seconds=seconds)))
        db.commit()


def test_idle_session_times_out_with_a_warning(client, new_case, app):
    new_case()
    _age_sessions(app, app.config["CASEPREP"].session_idle_minutes * 60 + 5)
    response = client.get("/wizard/who")
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "closed after a period without activity" in page
    assert client.get("/wizard/who").status_code == 302


def test_case_pages_say_when_they_time_out_without_refreshing(client, new_case, app):
    """No meta refresh (issue 12: it lost unsaved text): the page says it, session.js warns."""
    new_case()
    html = client.get("/wizard/who").get_data(as_text=True)
    idle = app.config["CASEPREP"].session_idle_minutes * 60
    assert 'http-equiv="refresh"' not in html
    assert f'data-idle-seconds="{idle}"' in html
    assert 'data-timed-out-url="/timed-out?next=/wizard/who"' in html


def test_session_cookie_is_encrypted_not_only_signed(client, new_case, app):
    """Nothing in the cookie can be read: not the data key, not even the case code."""
    from caseprep.cases import service

    code = new_case()
    with app.app_context():
        from caseprep.appshell.extensions import get_db

        data_key = service.open_case(get_db(), app.config["CASEPREP"], code, PASSPHRASE).data_key
    value = client.get_cookie("caseprep_session").value
    body = value.lstrip(".").split(".")[0]
    raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    with contextlib.suppress(zlib.error):
        raw += zlib.decompress(raw)
    for form in (data_key.hex(), base64.b64encode(data_key).decode(),
                 base64.urlsafe_b64encode(data_key).decode().rstrip("="), code,
                 code.replace("-", "")):
        assert form.encode() not in raw and form not in value
    assert b'"case"' not in raw


def test_tampered_session_key_closes_the_case(client, new_case):
    new_case()
    with client.session_transaction() as sess:
        entry = dict(sess[case_session.SESSION_KEY])
        raw = bytearray(base64.urlsafe_b64decode(entry["key"] + "=" * (-len(entry["key"]) % 4)))
        raw[-1] ^= 1
        entry["key"] = base64.urlsafe_b64encode(bytes(raw)).decode()
        sess[case_session.SESSION_KEY] = entry
    assert client.get("/wizard/who").status_code == 302


def test_quick_exit_clears_the_session_and_leaves(client, new_case, app):
    new_case()
    response = client.get("/exit")
    assert response.status_code == 303
    assert response.headers["Location"] == app.config["CASEPREP"].quick_exit_url
    assert "cookies" in response.headers["Clear-Site-Data"]
    assert client.get("/wizard/results").status_code == 302


def test_quick_exit_target_is_configurable(app_config):
    from caseprep import create_app

    app = create_app({**app_config, "quick_exit_url": "https://example.org/news"})
    response = app.test_client().get("/exit")
    assert response.headers["Location"] == "https://example.org/news"


def test_quick_exit_goes_to_a_site_in_her_language_or_region(app_config, client, new_case):
    """Issue 12, item 7: a Chinese page's quick exit does not open an English weather site."""
    from caseprep import create_app

    app = create_app({**app_config, "quick_exit_urls": {"zh_Hans": "https://tianqi.example/",
                                                        "zz": "https://zz-weather.example/"}})
    assert app.test_client().get("/exit").headers["Location"] == \
        app.config["CASEPREP"].quick_exit_url  # English, no case: the default
    # The default map: a Chinese case leaves for a Chinese weather site.
    new_case(locale="zh_Hans")
    assert client.get("/exit").headers["Location"] == "https://www.weather.com.cn/"
    # An English case in Testland (zz) goes to its region's site.
    english = app.test_client()
    page = english.get("/new").get_data(as_text=True)
    english.post("/new", data={"csrf_token": csrf_token(page), "passphrase": PASSPHRASE,
                               "passphrase_again": PASSPHRASE, "locale": "en",
                               "lives_in": "zz"})
    assert english.get("/exit").headers["Location"] == "https://zz-weather.example/"


def test_quick_exit_destinations_must_be_web_pages(app_config):
    from caseprep import create_app

    with pytest.raises(ValueError, match="quick exit destination"):
        create_app({**app_config, "quick_exit_urls": {"en": "javascript:alert(1)"}})


@pytest.mark.parametrize("path", PAGES_WITHOUT_CASE + PAGES_WITH_CASE)
def test_every_page_has_quick_exit_and_no_inline_script_or_style(client, new_case, path):
    new_case()
    html = client.get(path).get_data(as_text=True)
    assert re.search(r'<a id="quick-exit"[^>]+href="/exit"', html), path
    assert '<script src="/static/js/quickexit.js"' in html
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline script"
    assert "<style" not in html and not re.search(r"\sstyle=", html), "inline style"
    # Assets (scripts, styles, images, fonts) come from the app; links the person may follow
    # (citations) are navigation, not fetches.
    assert not re.search(r'\ssrc="(https?:)?//', html), "remote asset"
    assert not re.search(r'<link[^>]+href="(https?:)?//', html), "remote stylesheet"


def test_static_assets_are_served_by_the_app(client):
    assert client.get("/static/css/caseprep.css").status_code == 200
    js = client.get("/static/js/quickexit.js").get_data(as_text=True)
    assert "location.replace" in js and "Escape" in js
