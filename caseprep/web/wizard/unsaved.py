"""What she typed when her case had already closed: kept for re-entry (issue 12, item 5).

A wizard page submitted after the idle time-out cannot be saved (the case key is gone with
the session), but the text must not be lost either. Encrypted or not at all: the form is
sealed with AES-256-GCM (caseprep.cases.crypto) under a fresh random key into
`<instance>/unsaved/<id>`; the id and the key travel only in the session cookie, which is
itself encrypted. Taking it back deletes the file; a file older than a day is removed
whenever another is written, and a form too large to keep is not kept at all.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import time
from pathlib import Path

from flask import current_app, session
from werkzeug.datastructures import MultiDict

from caseprep.cases import crypto
from caseprep.cases.crypto import AuthenticationFailed

SESSION_KEY = "unsaved"
MAX_BYTES = 512 * 1024  # a long account in Chinese is ~60 KB; anything far above is not a form
MAX_AGE_SECONDS = 24 * 3600
_SKIPPED = ("csrf_token",)


def _folder() -> Path:
    folder = Path(current_app.config["CASEPREP"].instance_path) / "unsaved"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def keep(path: str, form: MultiDict) -> bool:
    """Seal the fields of a form posted to `path`; True when kept."""
    fields = [[k, v] for k, v in form.items(multi=True) if k not in _SKIPPED]
    body = json.dumps({"path": path, "fields": fields}, ensure_ascii=False).encode()
    if len(body) > MAX_BYTES:
        return False
    _drop_current()
    folder = _folder()
    _remove_old(folder)
    stash_id = secrets.token_hex(16)
    key = crypto.new_data_key()
    nonce, sealed = crypto.encrypt(key, body, stash_id.encode())
    target = folder / stash_id
    with open(target, "wb", opener=lambda p, f: os.open(p, f, 0o600)) as fh:
        fh.write(nonce + sealed)
    session[SESSION_KEY] = {"id": stash_id, "key": base64.b64encode(key).decode(),
                            "path": path}
    return True


def waiting() -> bool:
    """Whether a kept form waits in this browser."""
    return isinstance(session.get(SESSION_KEY), dict)


def take(path: str) -> MultiDict | None:
    """The form kept for `path` (and forget it), or None."""
    entry = session.get(SESSION_KEY)
    if not isinstance(entry, dict) or entry.get("path") != path:
        return None
    session.pop(SESSION_KEY, None)
    file = _file(entry)
    if file is None or not file.is_file():
        return None
    try:
        raw = file.read_bytes()
        key = base64.b64decode(str(entry.get("key", "")))
        body = crypto.decrypt(key, raw[:crypto.NONCE_BYTES], raw[crypto.NONCE_BYTES:],
                              file.name.encode())
        data = json.loads(body)
    except (AuthenticationFailed, ValueError, OSError):
        return None
    finally:
        file.unlink(missing_ok=True)
    return MultiDict([tuple(pair) for pair in data.get("fields", []) if len(pair) == 2])


def _file(entry: dict) -> Path | None:
    stash_id = str(entry.get("id", ""))
    if len(stash_id) != 32 or not all(c in "0123456789abcdef" for c in stash_id):
        return None
    return _folder() / stash_id


def _drop_current() -> None:
    entry = session.pop(SESSION_KEY, None)
    if isinstance(entry, dict):
        file = _file(entry)
        if file is not None:
            file.unlink(missing_ok=True)


def _remove_old(folder: Path) -> None:
    limit = time.time() - MAX_AGE_SECONDS
    for file in folder.iterdir():
        try:
            if file.stat().st_mtime < limit:
                file.unlink(missing_ok=True)
        except OSError:
            continue
