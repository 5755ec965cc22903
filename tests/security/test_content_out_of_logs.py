"""Case content never appears in logs (SecureDrop's care): every way in, driven with a marker.

A marker goes into the case's content (facts, narrative, names, handles, URLs, file names,
notes, chat text, photo metadata), each path is driven (web request, API request, a Huey task
in immediate mode, the CLI), every log record at DEBUG is captured on the root logger, and
the marker must appear in none: not in the message, not in a traceback, not in an attribute.

Most tests run twice. "source": caseprep.log_config's scrubbing switched off, so what is
checked is what our code and the libraries put into records and exception messages (the
first wall: messages name the field and what is wrong, never the value). "scrubbed": the
scrubbing on, as in every caseprep process (the second wall). The marker is a plain word
that no redaction pattern matches, so only the first wall can keep it out of "source".
"""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
import re
import sys
import threading
import traceback
import zipfile

import pytest
import yaml
from click.testing import CliRunner
from huey.exceptions import TaskException
from PIL import Image

from caseprep import log_config, tasks
from caseprep.cli import main
from caseprep.documents import generation_job
from caseprep.evidence import service as evidence_service
from caseprep.evidence import synthetic
from caseprep.evidence.telegram import ExportError, iter_messages
from caseprep.rules import FactValueError, load_catalog
from caseprep.rules.dates import ApproxDate

MARKER = "Quokkaplum"  # a name, a handle, a word of her story: no redaction pattern knows it
CJK_MARKER = "梅花巷口"
PASSPHRASE = "magnolia river 1987 kite"
_STANDARD_ATTRS = set(vars(logging.LogRecord("x", 0, "x", 0, "x", None, None))) | {
    "message", "asctime", "_caseprep_scrubbed"}


class CapturedLogs:
    """Every record caplog saw, rendered as a handler would print it, plus its extras."""

    def __init__(self, caplog):
        self.caplog = caplog

    def text(self) -> str:
        parts = []
        for record in self.caplog.records:
            parts.append(record.getMessage())
            if record.exc_info and record.exc_info[1] is not None:
                parts.extend(traceback.format_exception(record.exc_info[1]))
            parts += [record.exc_text or "", record.stack_info or ""]
            parts += [repr(value) for key, value in vars(record).items()
                      if key not in _STANDARD_ATTRS]
        return "\n".join(parts)

    def names(self) -> set[str]:
        return {record.name for record in self.caplog.records}

    def assert_clean(self, *markers: str) -> None:
        assert self.caplog.records, "nothing was logged: the test drove no path"
        text = self.text()
        for marker in markers or (MARKER, CJK_MARKER):
            assert marker not in text, _context(text, marker)


def _secrets(code: str) -> tuple[str, ...]:
    """The markers, the case code (both spellings) and the passphrase."""
    return MARKER, CJK_MARKER, code, code.replace("-", ""), PASSPHRASE


def _context(text: str, marker: str) -> str:
    at = text.index(marker)
    return f"{marker!r} logged: ...{text[max(0, at - 300):at + 100]}..."


def _capture(caplog, monkeypatch, scrubbed: bool) -> CapturedLogs:
    log_config.install_log_redaction()  # what every caseprep process does (idempotent)
    if not scrubbed:  # the second wall down: records keep what their makers put in them
        monkeypatch.setattr(log_config, "scrub_record", lambda record: record)
    caplog.set_level(logging.DEBUG)
    # A test before this one may have quieted Huey (start_embedded_consumer sets WARNING): open
    # it again, so what Huey would log at any level is seen here, whatever ran first.
    caplog.set_level(logging.DEBUG, logger="huey")
    return CapturedLogs(caplog)


@pytest.fixture(params=["source", "scrubbed"])
def logs(request, caplog, monkeypatch):
    """Root-logger records at DEBUG, with the scrubbing off ("source") and on ("scrubbed")."""
    return _capture(caplog, monkeypatch, scrubbed=request.param == "scrubbed")


@pytest.fixture
def scrubbed_logs(caplog, monkeypatch):
    """The same capture, scrubbing on only: for what only the second wall stops."""
    return _capture(caplog, monkeypatch, scrubbed=True)


def _full_text(exc: BaseException) -> str:
    """What `logging` or Huey would print of `exc`: str, repr and the whole traceback."""
    return "\n".join([str(exc), repr(exc), *traceback.format_exception(exc)])


# --- exception messages raised by our code -------------------------------------------------

@pytest.mark.parametrize("fact_id, value, words", [
    ("victim.is_minor", MARKER, "expected yes/no"),
    ("evidence.images_count", MARKER, "whole number"),
    ("evidence.images_count", [MARKER], "whole number, got a list"),
    ("perpetrator.group_role", MARKER, "got text not in the list"),
    ("content.kinds", [MARKER], "item 1 is not one of"),
    ("content.kinds", {MARKER: 1}, "expected a list, got a mapping"),
    ("incident.first_known", MARKER, "YYYY-MM-DD"),
    ("incident.first_known", "2026-13", "YYYY-MM-DD"),
    ("incident.narrative", [MARKER, CJK_MARKER], "expected text, got a list"),
])
def test_a_wrong_answer_is_named_by_its_fact_never_quoted(fact_id, value, words):
    with pytest.raises(FactValueError) as info:
        load_catalog().coerce({fact_id: value})
    text = _full_text(info.value)
    assert MARKER not in text and CJK_MARKER not in text and "2026-13" not in text
    assert info.value.fact_id == fact_id and str(info.value).startswith(f"{fact_id}: ")
    assert words in info.value.message


def test_an_unknown_key_that_is_not_a_fact_id_is_not_repeated():
    key = f"my neighbour {MARKER} took them"
    with pytest.raises(FactValueError) as info:
        load_catalog().coerce({key: True})
    assert info.value.fact_id == key  # still there for the caller to point at the field
    assert MARKER not in _full_text(info.value)
    assert "(a key that is not a fact id): unknown fact" in str(info.value)


def test_an_unknown_fact_id_is_named_with_a_suggestion():
    with pytest.raises(FactValueError) as info:
        load_catalog().coerce({"evidence.image_count": 3})
    assert str(info.value).startswith("evidence.image_count: unknown fact (did you mean")


@pytest.mark.parametrize("text", [f"{MARKER}-05", "2021-13", "1899"])
def test_an_approximate_date_error_does_not_repeat_the_text(text):
    with pytest.raises(ValueError) as info:
        ApproxDate(text)
    assert text not in _full_text(info.value)
    assert "YYYY" in str(info.value)


@pytest.mark.parametrize("body, reason", [
    ('{"messages": [{"id": 1, "from": "%s", "text": "meet at %s" , oops}]}',
     "(lexical error: invalid char in json text.)"),
    ('{"messages": [{"id": 1, "from": "%s", "text": "%s', "(parse error: premature EOF)"),
    ('{"messages": [{"id": 1, "from": "%s", "text": "%s"}]} %s',
     "(parse error: trailing garbage)"),
    ('{"messages": [{"id": 1, "from": "%s" "%s": 2}]}', "(parse error: after key and value"),
])
def test_a_damaged_export_is_reported_without_quoting_the_chat(body, reason):
    raw = (body.replace("%s", MARKER, 1).replace("%s", CJK_MARKER)).encode()
    with pytest.raises(ExportError) as info:
        list(iter_messages(io.BytesIO(raw)))
    text = _full_text(info.value)
    assert MARKER not in text and CJK_MARKER not in text
    assert str(info.value).startswith(
        "result.json is not valid JSON: the export is damaged or incomplete " + reason)
    assert info.value.__cause__ is None and info.value.__suppress_context__


def test_an_export_with_bytes_that_are_not_utf8_is_not_quoted_either():
    raw = b'{"messages": [{"id": 1, "text": "' + MARKER.encode() + b' \xff\xfe"}]}'
    with pytest.raises(ExportError) as info:
        list(iter_messages(io.BytesIO(raw)))
    assert MARKER not in _full_text(info.value)
    assert "invalid bytes in UTF8 string" in str(info.value)


# --- API requests ---------------------------------------------------------------------------

def _api_case(client) -> tuple[str, dict]:
    response = client.post("/api/v1/cases", json={
        "passphrase": PASSPHRASE, "jurisdictions": ["cn"], "locale": "en"})
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    return body["code"], {"Authorization": f"Bearer {body['token']}"}


def test_api_answers_and_refused_answers_stay_out_of_the_log(client, logs):
    code, auth = _api_case(client)
    saved = client.patch(f"/api/v1/cases/{code}/facts", headers=auth, json={
        "incident.narrative": f"{MARKER} posted them; {CJK_MARKER}",
        "content.kinds": ["everyday_photo"], "evidence.images_count": 34})
    assert saved.status_code == 200
    for wrong in ({"incident.first_known": MARKER}, {"evidence.images_count": MARKER},
                  {"content.kinds": [MARKER]}, {MARKER: True},
                  {"incident.narrative": [MARKER]}):
        refused = client.patch(f"/api/v1/cases/{code}/facts", headers=auth, json=wrong)
        assert refused.status_code == 422
        body = refused.get_json()
        assert body["error"] == "invalid_fact" and body["fact"] == next(iter(wrong))
        assert MARKER not in body["message"]
    assert client.get(f"/api/v1/cases/{code}/assessment?lang=en",
                      headers=auth).status_code == 200
    added = client.post(f"/api/v1/cases/{code}/evidence", headers=auth, json={
        "kind": "screenshot", "poster_handle": f"@{MARKER}", "notes": CJK_MARKER,
        "url": f"https://t.me/{MARKER}/12", "posted_at": "2026-01-02T10:00"})
    assert added.status_code == 201, added.get_json()
    refused = client.post(f"/api/v1/cases/{code}/evidence", headers=auth, json={
        "kind": MARKER, "poster_handle": f"@{MARKER}"})
    assert refused.status_code == 422
    logs.assert_clean(*_secrets(code))
    assert "caseprep.access" in logs.names()


def test_api_documents_with_her_story_in_them_log_none_of_it(client, logs):
    code, auth = _api_case(client)
    client.patch(f"/api/v1/cases/{code}/facts", headers=auth, json={
        "incident.narrative": f"{MARKER} {CJK_MARKER}", "content.kinds": ["everyday_photo"],
        "distribution.platforms": ["wechat"], "evidence.images_count": 3})
    made = client.post(f"/api/v1/cases/{code}/documents", headers=auth, json={
        "kinds": ["police_report"], "format": "pdf"})
    assert made.status_code == 200 and made.data[:4] in (b"%PDF", b"PK\x03\x04")
    logs.assert_clean()
    assert "Glyph names" not in logs.text()  # fontTools' subsetter: her text's characters


# --- web requests ---------------------------------------------------------------------------

def _csrf(html: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or \
        re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF token on the page"
    return match.group(1)


def _web_case(client) -> str:
    """A case made through the pages (the client stays logged in); its code."""
    page = client.get("/new").get_data(as_text=True)
    response = client.post("/new", data={
        "csrf_token": _csrf(page), "passphrase": PASSPHRASE, "passphrase_again": PASSPHRASE,
        "locale": "en", "lives_in": "cn"})
    assert response.status_code == 303, response.get_data(as_text=True)
    done = client.get(response.headers["Location"]).get_data(as_text=True)
    return re.search(r'id="case-code">([^<]+)<', done).group(1)


def _post_step(client, step: str, data: dict):
    page = client.get(f"/wizard/{step}").get_data(as_text=True)
    asked = re.search(r'name="asked" value="([^"]*)"', page)
    return client.post(f"/wizard/{step}", data={
        "csrf_token": _csrf(page), "asked": asked.group(1) if asked else "", **data})


def _jpeg_with_exif() -> bytes:
    exif = Image.Exif()
    exif[0x010E] = f"{MARKER} at the lake"  # ImageDescription
    exif[0x013B] = MARKER  # Artist
    out = io.BytesIO()
    synthetic.scene(3, size=(90, 120)).save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def test_web_answers_evidence_and_photo_metadata_stay_out_of_the_log(client, logs):
    code = _web_case(client)
    saved = _post_step(client, "what_happened", {
        "f_content__kinds": ["everyday_photo"],
        "f_incident__narrative": f"{MARKER} posted my photos {CJK_MARKER}"})
    assert saved.status_code == 303
    refused = _post_step(client, "evidence", {"f_evidence__images_count": MARKER})
    assert refused.status_code == 422
    page = client.get("/evidence/add").get_data(as_text=True)
    added = client.post("/evidence/add", data={
        "csrf_token": _csrf(page), "kind": "image", "platform": "QQ",
        "poster_handle": f"@{MARKER}", "url": f"https://qq.example/{MARKER}?u={MARKER}",
        "notes": CJK_MARKER, "file": (io.BytesIO(_jpeg_with_exif()), f"{MARKER}.jpg")},
        content_type="multipart/form-data")
    assert added.status_code == 302
    assert client.get("/evidence/").status_code == 200
    page = client.get("/documents/edit").get_data(as_text=True)
    client.post("/documents/edit", data={"csrf_token": _csrf(page),
                                         "narrative": MARKER, "victim_name": CJK_MARKER})
    assert client.get("/documents/preview/cn/police_report").status_code == 200
    logs.assert_clean(*_secrets(code))
    assert "caseprep.access" in logs.names()


def test_photo_metadata_is_not_logged_by_the_image_reader(db, case, store, logs):
    evidence_service.add_item(db, case, store, {"kind": "image"},
                              io.BytesIO(_jpeg_with_exif()), "photo.jpg")
    logging.getLogger("caseprep.test").debug("photo stored")  # the capture is live
    logs.assert_clean()


@pytest.mark.parametrize("path", ["/_test/case/<code>/page", "/api/v1/_test/<code>"])
def test_an_unhandled_error_in_a_request_logs_its_frames_not_its_message(app, scrubbed_logs,
                                                                         path):
    """Only the second wall can stop what nobody foresaw: a library's message quoting input."""
    app.config["PROPAGATE_EXCEPTIONS"] = False

    def fail(code):
        try:
            raise KeyError(f"{MARKER} {code}")
        except KeyError as exc:
            raise ValueError(f"could not save {CJK_MARKER}") from exc

    app.add_url_rule(path, "fail_" + str(len(path)), fail)
    response = app.test_client().get(path.replace("<code>", "7KQ2-XM4P-RT9W-HB3D"))
    assert response.status_code == 500
    assert MARKER not in response.get_data(as_text=True)
    scrubbed_logs.assert_clean(MARKER, CJK_MARKER, "7KQ2-XM4P-RT9W-HB3D")
    assert "ValueError: [message withheld]" in scrubbed_logs.text()
    assert "in fail" in scrubbed_logs.text()  # the frames stay for whoever runs the server


# --- Huey tasks (immediate mode) ------------------------------------------------------------

@pytest.fixture
def immediate_huey(settings):
    huey = tasks.configure(settings)
    huey.immediate = True  # tasks run where they are enqueued, results kept in memory
    yield huey
    huey.immediate = False


def test_a_failing_task_gives_huey_no_message_to_log_or_store(immediate_huey, settings, logs,
                                                              monkeypatch):
    def broken_job(*args, **kwargs):
        try:
            raise KeyError(MARKER)
        except KeyError as exc:
            raise RuntimeError(f"rendering {CJK_MARKER} failed") from exc

    monkeypatch.setattr(generation_job, "run", broken_job)
    result = tasks.enqueue_documents(settings, "token")
    with pytest.raises(TaskException) as info:
        result.get()
    stored = info.value.metadata  # what Huey keeps in the queue's storage, unencrypted
    assert "TaskFailed" in stored["error"] and "RuntimeError" in stored["error"]
    for text in (stored["error"], stored["traceback"], str(info.value)):
        assert MARKER not in text and CJK_MARKER not in text
    logs.assert_clean()
    assert "huey" in logs.names()  # Huey logged the failure it saw
    ours = [r.getMessage() for r in logs.caplog.records if r.name == "caseprep.tasks"]
    assert ours and "RuntimeError" in ours[0] and "in broken_job" in ours[0]
    assert "KeyError: [message withheld]" in ours[0]


def test_a_damaged_export_fails_its_import_job_without_logging_the_chat(app, client,
                                                                         logs):
    huey = tasks.get_huey(app.config["CASEPREP"])
    huey.immediate = True
    try:
        _web_case(client)
        chat = json.dumps({"name": f"{MARKER} group", "type": "private_group", "id": 9,
                           "messages": [{"id": 1, "from": MARKER, "text": CJK_MARKER}]})
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as z:
            z.writestr("ChatExport/result.json", chat[:-3] + f", {MARKER}]}}")
        form = client.get("/evidence/import").get_data(as_text=True)
        started = client.post("/evidence/import", data={
            "csrf_token": _csrf(form), "export": (io.BytesIO(buf.getvalue()), "export.zip")},
            content_type="multipart/form-data")
        assert started.status_code == 302
        page = client.get(started.headers["Location"]).get_data(as_text=True)
    finally:
        huey.immediate = False
    assert "Telegram Desktop export" in page  # failed as not_an_export, said in words
    logs.assert_clean()
    assert "huey" in logs.names()


def test_an_import_of_her_chat_logs_none_of_it(app, client, tmp_path, logs):
    """Chat name, senders, text, forwards, file names and a re-post's EXIF, matched and kept."""
    huey = tasks.get_huey(app.config["CASEPREP"])
    huey.immediate = True
    try:
        code = _web_case(client)
        root = tmp_path / "ChatExport"
        (root / "photos").mkdir(parents=True)
        mine = synthetic.scene(3, size=(300, 400))
        exif = Image.Exif()
        exif[0x013B] = MARKER  # Artist
        repost = io.BytesIO()
        synthetic.transform(mine, "resized").save(repost, "JPEG", exif=exif.tobytes())
        (root / "photos" / f"{MARKER}_1.jpg").write_bytes(repost.getvalue())
        (root / "result.json").write_text(json.dumps({
            "name": f"{MARKER} {CJK_MARKER}", "type": "private_supergroup", "id": 77,
            "messages": [
                {"id": 1, "type": "message", "date": "2024-03-01T10:00:00",
                 "from": f"{MARKER} Li", "from_id": "user5", "text": f"look {CJK_MARKER}",
                 "photo": f"photos/{MARKER}_1.jpg", "forwarded_from": MARKER},
                {"id": 2, "type": "message", "date": "2024-03-01T10:01:00",
                 "from": CJK_MARKER, "from_id": "user6",
                 "text": [{"type": "link", "text": f"https://t.me/{MARKER}"}]}]},
            ensure_ascii=False))
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as z:
            for path in sorted(root.rglob("*")):
                z.write(path, path.relative_to(tmp_path).as_posix())
        form = client.get("/evidence/import").get_data(as_text=True)
        started = client.post("/evidence/import", data={
            "csrf_token": _csrf(form), "export": (io.BytesIO(buf.getvalue()), "export.zip"),
            "references": [(io.BytesIO(synthetic.jpeg_bytes(mine)), f"{MARKER}.jpg")]},
            content_type="multipart/form-data")
        assert started.status_code == 302
        page = client.get(started.headers["Location"]).get_data(as_text=True)
    finally:
        huey.immediate = False
    assert "Finished" in page
    assert "user5" in client.get("/evidence/").get_data(as_text=True)  # the match was kept
    logs.assert_clean(*_secrets(code))
    assert "huey" in logs.names()


# --- the command line -----------------------------------------------------------------------

def test_cli_facts_errors_name_the_fact_not_the_value(tmp_path, logs):
    facts = tmp_path / "facts.yaml"
    facts.write_text(yaml.safe_dump({"incident.first_known": MARKER,
                                     "incident.narrative": CJK_MARKER}, allow_unicode=True))
    result = CliRunner().invoke(main, ["rules", "explain", "cn", "--facts", str(facts)])
    assert result.exit_code == 1
    assert "facts.yaml: incident.first_known: expected a date" in result.output
    assert MARKER not in result.output
    logging.getLogger("caseprep.test").debug("explained")  # the capture is live
    logs.assert_clean()


def test_cli_documents_with_her_story_log_none_of_it(tmp_path, logs):
    facts = tmp_path / "facts.yaml"
    facts.write_text(yaml.safe_dump({
        "incident.narrative": f"{MARKER} {CJK_MARKER}", "content.kinds": ["everyday_photo"],
        "distribution.platforms": ["wechat"], "evidence.images_count": 3},
        allow_unicode=True))
    evidence = tmp_path / "evidence.json"
    evidence.write_text(json.dumps([{"kind": "screenshot", "poster_handle": MARKER,
                                     "url": f"https://t.me/{MARKER}/1", "notes": CJK_MARKER,
                                     "original_name": f"{MARKER}.png"}]))
    out = tmp_path / "out"
    result = CliRunner().invoke(main, [
        "generate", "cn", "--facts", str(facts), "--evidence", str(evidence),
        "--docs", "police_report,evidence_list", "--format", "pdf", "--out", str(out),
        "--today", dt.date(2026, 3, 1).isoformat()])
    assert result.exit_code == 0, result.output
    assert len(list(out.iterdir())) == 2
    logs.assert_clean()
    assert "Glyph names" not in logs.text()


# --- the log set-up itself -------------------------------------------------------------------

def test_libraries_that_quote_file_content_stay_above_debug():
    config = log_config.logging_config({"CASEPREP_LOG_LEVEL": "DEBUG"})
    assert config["loggers"]["PIL"]["level"] == logging.WARNING
    assert config["loggers"]["fontTools"]["level"] == logging.WARNING
    pil = logging.getLogger("PIL")
    pil.setLevel(logging.NOTSET)
    log_config.install_log_redaction()
    assert pil.level == logging.INFO
    assert logging.getLogger("fontTools").level == logging.WARNING


def test_uncaught_exceptions_of_a_server_process_go_to_the_log_without_their_message(
        scrubbed_logs, monkeypatch, capsys):
    """`caseprep serve` and `caseprep worker` log to stderr; Python's default hooks would
    print an uncaught exception there with its message."""
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # restored after the test
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    log_config.route_uncaught_exceptions()

    def work():
        raise ValueError(f"{MARKER} could not be saved")

    thread = threading.Thread(target=work, name="render-1")
    thread.start()
    thread.join()
    try:
        raise KeyError(CJK_MARKER)
    except KeyError:
        sys.excepthook(*sys.exc_info())
    assert capsys.readouterr().err == ""  # nothing printed past the log
    scrubbed_logs.assert_clean()
    said = [r.getMessage() for r in scrubbed_logs.caplog.records if r.name == "caseprep.uncaught"]
    assert said[0].startswith("uncaught ValueError in thread render-1")
    assert said[1].startswith("uncaught KeyError")
    assert "ValueError: [message withheld]" in scrubbed_logs.text()


def test_the_resume_limit_logs_no_case_code(app_config, logs):
    """Flask-Limiter logs the key of a limit it enforces; the per-case key is a digest of
    the case code (caseprep.appshell.security.case_code_key), not the code."""
    from caseprep import create_app

    app = create_app({**app_config, "resume_limit_per_code": "2 per 60 seconds"})
    client = app.test_client()
    code = _web_case(client)
    app.config["WTF_CSRF_ENABLED"] = False  # the guesses come from a script
    tries = [client.post("/resume", data={"code": code, "passphrase": "a wrong one"},
                         environ_base={"REMOTE_ADDR": "10.9.0.1"}).status_code
             for _ in range(3)]
    assert tries[-1] == 429
    assert "flask-limiter" in logs.names()  # it logged the breach, key and all
    logs.assert_clean(*_secrets(code))
