"""What a long-running server process does once, after the app is built and before it serves.

It loads the rule files and compiles every template up front, so the first visitors do not
pay for it, and then sets the cycle collector up for a server. The app keeps some 170,000
long-lived objects (rule files, compiled rules, templates, catalogs); with Python's default
settings a full collection walks all of them every few hundred requests, stopping every
thread for about 100 ms — the slowest requests of a busy server were those pauses.
`gc.freeze()` moves what exists after start-up out of the collector's way, and a larger
first-generation threshold lets short-lived request objects die by reference count before a
collection runs. Only `caseprep serve` (and the benchmark that stands in for it) call this:
it changes process-wide settings that tests and scripts should not inherit.

It also keeps the WSGI server's buffers from writing plaintext: Waitress spills request
bodies over `inbuf_overflow` and responses over `outbuf_overflow` to `tempfile.TemporaryFile`
in the system temp folder, in clear (issue 13, High 2). `encrypt_server_buffers` makes those
spill files caseprep.spool's encrypted ones, and `waitress_options` names the server nothing.
"""

from __future__ import annotations

import gc
from pathlib import Path

import waitress.buffers
from flask import Flask
from jinja2 import FileSystemBytecodeCache

from caseprep.appshell.i18n import LOCALES
from caseprep.rules import assess
from caseprep.spool import encrypted_file

# Allocations (minus deallocations) between young-generation collections; Python's default
# is 700. A request allocates a few thousand short-lived objects, most freed by refcount.
YOUNG_THRESHOLD = 10_000


def _encrypted_newfile(_buffer):
    return encrypted_file()


def encrypt_server_buffers() -> None:
    """Make Waitress spill request and response bodies to encrypted temp files only."""
    # Waitress has no setting for its temp files, so its factory method is replaced.
    waitress.buffers.TempfileBasedBuffer.newfile = _encrypted_newfile  # type: ignore[method-assign]


def waitress_options(settings) -> dict:
    """Server settings every `caseprep serve` uses (beside host, port and threads).

    The largest body accepted is the import form's (the case's storage limit); anything
    bigger is refused by the server before the app reads it. No `Server:` header.
    """
    return {"ident": "", "max_request_body_size": settings.max_case_bytes + 1024 * 1024}


def tune_collector() -> None:
    """Collect once, freeze the survivors, and collect the young generation less often."""
    gc.collect()
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, middle, old)


def prepare_for_serving(app: Flask) -> None:
    """Warm the caches every request uses, then tune the collector (see the module doc)."""
    # Compiled templates (code, no case data) are kept in the instance folder, so a restart
    # skips compiling them again: about 0.7 of the ~4.5 CPU seconds of a start (2026-11).
    cache = Path(app.instance_path) / "cache" / "templates"
    cache.mkdir(parents=True, exist_ok=True, mode=0o700)
    app.jinja_env.bytecode_cache = FileSystemBytecodeCache(str(cache))
    rules = app.extensions["caseprep.rules"]
    for jurisdiction in rules.jurisdictions.values():
        for lang in LOCALES:
            assess(jurisdiction, {}, lang=lang)  # reads the translations, renders reasons
    for name in app.jinja_env.list_templates(extensions=["html"]):
        app.jinja_env.get_template(name)
    tune_collector()

