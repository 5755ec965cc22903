"""Logs carry no case content: no query strings, passphrases, tokens, case codes, file names."""

from __future__ import annotations

import logging

import pytest

from caseprep.log_config import RedactingFilter, install_log_redaction, redact, safe_traceback

CASE_CODE = "7KQ2-XM4P-RT9W-HB3D"
PASSPHRASE = "correct-horse-battery-staple"
TOKEN = "eyJhbGciOiJBMjU2R0NNIn0.Zm9vYmFyYmF6cXV4MTIzNDU2"


@pytest.mark.parametrize("text, secret", [
    (f"GET /case/{CASE_CODE}/facts HTTP/1.1", CASE_CODE),
    (f"GET /case/{CASE_CODE.replace('-', '')}/facts", CASE_CODE.replace("-", "")),
    ("GET /resume?code=AAAA&passphrase=hunter2hunter2 HTTP/1.1", "hunter2hunter2"),
    ("GET /search?q=my+name+is+Li HTTP/1.1", "my+name"),
    (f"passphrase={PASSPHRASE}", PASSPHRASE),
    (f'{{"passphrase": "{PASSPHRASE}", "jurisdictions": ["cn"]}}', PASSPHRASE),
    (f"Authorization: Bearer {TOKEN}", TOKEN),
    (f"token {TOKEN}", TOKEN),
    ("uploaded 李小姐_selfie.JPG to the store", "李小姐_selfie"),
    ("import result.json failed", "result.json"),
    (f"a plain {PASSPHRASE} in the middle", PASSPHRASE),
    ("sha256 " + "ab12" * 16, "ab12" * 16),
])
def test_redact_removes_the_secret(text, secret):
    assert secret not in redact(text)


def test_redact_keeps_ordinary_messages():
    text = "caseprep: serving on port 5000 with 8 threads"
    assert redact(text) == text


def test_records_are_scrubbed_for_every_logger(caplog):
    install_log_redaction()
    caplog.set_level(logging.INFO)
    for name in ("caseprep", "werkzeug", "waitress", "some.library"):
        logging.getLogger(name).info("%s /case/%s?next=%s", "GET", CASE_CODE, PASSPHRASE)
    text = caplog.text
    assert CASE_CODE not in text and PASSPHRASE not in text
    assert text.count("[redacted]") >= 8


def test_exception_messages_are_withheld_but_the_frames_stay(caplog):
    install_log_redaction()
    narrative = "He posted my photos on " + "Telegram"

    def fail():
        try:
            raise KeyError(narrative)
        except KeyError as exc:
            raise ValueError(f"could not save {narrative}") from exc

    try:
        fail()
    except ValueError:
        logging.getLogger("caseprep.test").exception("save failed")
    record = caplog.records[-1]
    rendered = logging.Formatter().format(record)
    assert "Telegram" not in rendered
    assert "ValueError: [message withheld]" in rendered
    assert "KeyError: [message withheld]" in rendered
    assert "in fail" in rendered  # the frames are still there for the operator


class _ListHandler(logging.Handler):
    def __init__(self):
        super().__init__()
        self.records = []

    def emit(self, record):
        self.records.append(record)


def test_content_attributes_passed_as_extra_are_dropped_by_the_handler_filter():
    install_log_redaction()
    handler = _ListHandler()
    handler.addFilter(RedactingFilter())
    logger = logging.getLogger("caseprep.test.extra")
    logger.addHandler(handler)
    try:
        logger.warning("bad form", extra={"form": {"narrative": "x"}, "json": {"a": 1}})
    finally:
        logger.removeHandler(handler)
    assert handler.records[-1].form == "[dropped]"
    assert handler.records[-1].json == "[dropped]"


def test_filter_works_on_records_made_elsewhere():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "code=%s", (CASE_CODE,), None)
    RedactingFilter().filter(record)
    assert CASE_CODE not in record.getMessage()


def test_safe_traceback_handles_a_cycle():
    a, b = ValueError("a"), ValueError("b")
    a.__context__, b.__context__ = b, a
    assert safe_traceback(a).count("[message withheld]") == 2


def test_access_log_names_the_route_not_the_path(app, caplog):
    @app.get("/_test/case/<code>/page")
    def case_page(code):
        return "ok"

    caplog.set_level(logging.INFO, logger="caseprep.access")
    client = app.test_client()
    client.get(f"/_test/case/{CASE_CODE}/page?passphrase={PASSPHRASE}&q=Li+Hua")
    access = [r for r in caplog.records if r.name == "caseprep.access"]
    assert access, "no access-log line"
    line = access[-1].getMessage()
    assert "/_test/case/<code>/page" in line and " 200 " in line
    assert CASE_CODE not in caplog.text and PASSPHRASE not in caplog.text
    assert "Li+Hua" not in caplog.text
