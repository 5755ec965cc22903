"""Log set-up that keeps case content out of the logs (named so as not to shadow `logging`).

A log file is something an administrator, a backup or a thief of the disk can read, so every
record is scrubbed where it is made (a log-record factory, so it holds for every logger and
handler, ours and the libraries'): query strings, passphrases, tokens, cookies, case codes,
long opaque strings and file names are replaced, request bodies attached to a record are
dropped, and exception messages in tracebacks are withheld (they may quote user input; the
frames, which are code, stay).
"""

from __future__ import annotations

import json
import logging
import logging.config
import os
import re
import sys
import threading
import traceback
from collections.abc import Mapping
from types import TracebackType

REDACTED = "[redacted]"

# Names of fields whose values are scrubbed (the names, not secrets).
_SECRET_NAMES = "|".join((
    "passphrase", "password", "passwd", "pass", "token", "access_token", "secret", "secret_key",
    "api_key", "key", "csrf_token", "session", "cookie", "set-cookie", "authorization", "code",
    "case_code", "narrative", "filename",
))
# Order matters: the most specific patterns first.
_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    # Authorization: Bearer <token> / Basic <...>
    (re.compile(r"(?i)\b(bearer|basic)\s+[\w\-.~+/=]+"), r"\1 " + REDACTED),
    # name=value, name: value, "name": "value" for anything secret-looking.
    (re.compile(
        r"(?i)([\"']?\b(?:" + _SECRET_NAMES + r")\b[\"']?\s*[:=]\s*)"
        r"(\"[^\"]*\"|'[^']*'|[^\s,;&}]+)"), r"\1" + REDACTED),
    # Query strings after a path or URL: /path?anything -> /path?[redacted]
    (re.compile(r"((?:https?://[^\s/?#\"']+)?/[^\s?#\"']*)\?[^\s\"']*"), r"\1?" + REDACTED),
    # Case codes: 4 groups of 4 letters/digits joined by dashes (or none: see below).
    (re.compile(r"(?i)\b[0-9a-z]{4}(?:-[0-9a-z]{4}){3}\b"), REDACTED),
    (re.compile(r"\b[0-9A-HJKMNP-TV-Z]{16}\b"), REDACTED),  # Crockford symbols, no dashes
    # Diceware-like passphrases: four or more words joined by dashes, dots or underscores.
    (re.compile(r"(?i)\b[a-z]{2,}(?:[-_.][a-z]{2,}){3,}\b"), REDACTED),
    # File names a person typed or uploaded (images, videos, documents, exports).
    (re.compile(
        r"(?i)[^\s/\\\"'<>|:]*\.(?:jpe?g|png|gif|webp|heic|heif|bmp|tiff?|avif|mp4|mov|m4v|"
        r"webm|avi|mkv|pdf|docx?|odt|rtf|txt|json|zip|csv|xlsx?)\b"), "[file]"),
    # Long opaque strings with letters and digits: tokens, keys, hashes, unseparated codes.
    (re.compile(r"\b(?=[A-Za-z0-9_\-]*\d)(?=[A-Za-z0-9_\-]*[A-Za-z])[A-Za-z0-9_\-]{16,}"),
     REDACTED),
]
# Attributes that would carry a request's content if a caller passed them as `extra=`.
_CONTENT_ATTRS = ("body", "data", "form", "json", "payload", "request_body", "facts",
                  "passphrase", "token", "upload_name", "query_string")


def redact(text: str) -> str:
    """`text` with secrets, case codes, query strings and file names replaced."""
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def safe_traceback(exc: BaseException) -> str:
    """The traceback of `exc` (and its chain) with every exception message withheld."""
    chain: list[BaseException] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        chain.append(current)
        current = current.__cause__ or current.__context__
    parts = []
    for item in reversed(chain):
        kind = type(item)
        parts.append("Traceback (most recent call last):\n")
        parts.extend(traceback.format_tb(item.__traceback__))
        parts.append(f"{kind.__module__}.{kind.__qualname__}: [message withheld]\n")
    return "".join(parts).rstrip("\n")


def scrub_record(record: logging.LogRecord) -> logging.LogRecord:
    """Replace the record's message, args and traceback with redacted text, in place."""
    for attr in _CONTENT_ATTRS:  # `extra=` keys are set after the factory: check each time
        if attr in record.__dict__:
            record.__dict__[attr] = "[dropped]"
    if getattr(record, "_caseprep_scrubbed", False):
        return record
    try:
        message = record.getMessage()
    except Exception:  # noqa: BLE001 - a malformed record must not break logging
        message = str(record.msg)
    record.msg = redact(message)
    record.args = None
    if record.exc_info and record.exc_info[1] is not None:
        record.exc_text = safe_traceback(record.exc_info[1])
        record.exc_info = None
    elif record.exc_text:
        record.exc_text = redact(record.exc_text)
    if record.stack_info:
        record.stack_info = redact(record.stack_info)
    record._caseprep_scrubbed = True
    return record


class RedactingFilter(logging.Filter):
    """A handler/logger filter doing the same scrubbing, for set-ups that add their own."""

    def filter(self, record: logging.LogRecord) -> bool:
        scrub_record(record)
        return True


# Libraries whose lines quote what they read, in words no pattern could scrub: Pillow's
# TIFF/EXIF reader logs each tag's value at DEBUG (an uploaded photo's Artist,
# ImageDescription, camera owner...); fontTools' subsetter, which WeasyPrint falls back to
# without HarfBuzz's, logs at INFO the glyphs a PDF keeps (its text as a bag of characters).
# Their loggers never go lower than this, whatever the root's level.
CONTENT_LOGGER_FLOORS = {"PIL": logging.INFO, "fontTools": logging.WARNING}


def _floor_content_loggers() -> None:
    for name, floor in CONTENT_LOGGER_FLOORS.items():
        logger = logging.getLogger(name)
        if logger.level < floor:  # NOTSET (follow the root) or lower than the floor
            logger.setLevel(floor)


def install_log_redaction() -> None:
    """Make every log record in this process scrubbed where it is created (idempotent), and
    keep the loggers of libraries that quote file content above DEBUG/INFO."""
    _floor_content_loggers()
    factory = logging.getLogRecordFactory()
    if getattr(factory, "_caseprep_redacting", False):
        return

    def redacting_factory(*args, **kwargs):
        return scrub_record(factory(*args, **kwargs))

    # A mark on the function itself (installing twice is a no-op); functions have no such
    # attribute in their type.
    redacting_factory._caseprep_redacting = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(redacting_factory)


_HANDLER_NAME = "caseprep.stderr"
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
_QUIET = ("sqlalchemy.engine", "huey", "fontTools", "weasyprint", "PIL")


class JSONFormatter(logging.Formatter):
    """One JSON object per line (time, level, logger, message, traceback) for log collectors.

    The record is already scrubbed when it reaches a formatter; this only changes its shape.
    """

    def format(self, record: logging.LogRecord) -> str:
        entry = {"time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
                 "level": record.levelname, "logger": record.name,
                 "message": record.getMessage()}
        if record.exc_text:
            entry["traceback"] = record.exc_text
        return json.dumps(entry, ensure_ascii=False)


def logging_config(environ: Mapping[str, str] | None = None) -> dict:
    """The dictConfig for stderr logging from CASEPREP_LOG_LEVEL and CASEPREP_LOG_FORMAT.

    CASEPREP_LOG_LEVEL: DEBUG, INFO (default), WARNING, ERROR. CASEPREP_LOG_FORMAT: text
    (default) or json. Anything else is refused: a typo should not silence the logs.
    """
    environ = os.environ if environ is None else environ
    level = environ.get("CASEPREP_LOG_LEVEL", "INFO").strip().upper()
    style = environ.get("CASEPREP_LOG_FORMAT", "text").strip().lower()
    if level not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
        raise ValueError(f"CASEPREP_LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR, not {level!r}")
    if style not in ("text", "json"):
        raise ValueError(f"CASEPREP_LOG_FORMAT must be text or json, not {style!r}")
    formatter = ({"()": JSONFormatter} if style == "json" else {"format": TEXT_FORMAT})
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"redact": {"()": RedactingFilter}},
        "formatters": {"caseprep": formatter},
        "handlers": {_HANDLER_NAME: {
            "class": "logging.StreamHandler", "stream": "ext://sys.stderr",
            "formatter": "caseprep", "filters": ["redact"]}},
        "root": {"level": level, "handlers": [_HANDLER_NAME]},
        # Libraries that would otherwise log per query, per task or per glyph.
        "loggers": {name: {"level": max(logging.WARNING, logging.getLevelName(level))}
                    for name in _QUIET},
    }


_uncaught_log = logging.getLogger("caseprep.uncaught")


def _log_uncaught(kind: type[BaseException], exc: BaseException,
                  tb: TracebackType | None) -> None:
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, exc, tb)
        return
    _uncaught_log.critical("uncaught %s", kind.__qualname__, exc_info=(kind, exc, tb))


def _log_uncaught_in_thread(args: threading.ExceptHookArgs) -> None:
    if args.exc_type is SystemExit or args.exc_value is None:
        return
    name = args.thread.name if args.thread is not None else "?"
    _uncaught_log.critical("uncaught %s in thread %s", args.exc_type.__qualname__, name,
                           exc_info=(args.exc_type, args.exc_value, args.exc_traceback))


def route_uncaught_exceptions() -> None:
    """Send exceptions nothing caught (main thread or another) through logging.

    Python's default hooks print them to stderr, message and all, and the stderr of
    `caseprep serve` or `caseprep worker` is the server's log; through logging the message
    is withheld like any other traceback's.
    """
    sys.excepthook = _log_uncaught
    threading.excepthook = _log_uncaught_in_thread


def configure_logging(environ: Mapping[str, str] | None = None) -> None:
    """Log to stderr for `caseprep serve` and `caseprep worker`, scrubbed (dictConfig).

    Werkzeug's development-server access lines carry the full path and query; they are
    scrubbed like everything else, and waitress (what `caseprep serve` uses) writes no
    access log of its own: `caseprep.access` logs the route pattern instead of the path.
    Uncaught exceptions are logged too (`route_uncaught_exceptions`).
    """
    install_log_redaction()
    route_uncaught_exceptions()
    root = logging.getLogger()
    if any(h.get_name() == _HANDLER_NAME for h in root.handlers):
        return
    logging.config.dictConfig(logging_config(environ))
