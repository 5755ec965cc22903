"""Where an upload waits while the request is parsed: memory, or an encrypted temp file.

Werkzeug spools uploads over 500 KB to a plain temporary file, so the photo a person uploads
would touch the disk in clear before the evidence store encrypts it. Here a large upload goes
to an unlinked temporary file in the instance folder, encrypted with AES-CTR under a random key
that only this object holds (CTR gives the random access the parser needs; the key dies with the
request, so nothing on disk can be read afterwards, even after a crash; see caseprep.spool).
"""

from __future__ import annotations

import io
from pathlib import Path

from flask import Request, current_app
from werkzeug.exceptions import BadRequest

from caseprep.spool import EncryptedTempFile, encrypted_file

__all__ = ["CaseprepRequest", "EncryptedTempFile", "spool_for"]

_MEMORY_LIMIT = 512 * 1024


def spool_for(total_content_length: int | None, directory: Path | None):
    """A small upload stays in memory; a large one goes to an encrypted temp file."""
    if total_content_length is not None and total_content_length <= _MEMORY_LIMIT:
        return io.BytesIO()
    return encrypted_file(directory)


class CaseprepRequest(Request):
    """Flask's request, with uploads never written to disk in clear and JSON parsing that
    fails cleanly."""

    def get_json(self, force: bool = False, silent: bool = False, cache: bool = True):
        """As Flask's, but a body nested past the recursion limit is a bad request (400),
        not a server error (issue 13, item 9: deeply nested JSON gave a 500 without login)."""
        try:
            return super().get_json(force=force, silent=silent, cache=cache)
        except RecursionError as exc:
            if silent:
                return None
            raise BadRequest("JSON nested too deeply") from exc

    def _get_file_stream(self, total_content_length, content_type, filename=None,
                         content_length=None):
        directory = Path(current_app.instance_path) / "tmp"
        directory.mkdir(mode=0o700, exist_ok=True)
        return spool_for(total_content_length, directory)
