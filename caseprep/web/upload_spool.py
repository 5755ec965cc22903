"""Where an upload waits while the request is parsed: memory, or an encrypted temp file.

Werkzeug spools uploads over 500 KB to a plain temporary file, so the photo a person uploads
would touch the disk in clear before the evidence store encrypts it. Here a large upload goes
to an unlinked temporary file in the instance folder, encrypted with AES-CTR under a random key
that only this object holds (CTR gives the random access the parser needs; the key dies with the
request, so nothing on disk can be read afterwards, even after a crash).
"""

from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from flask import Request, current_app

_MEMORY_LIMIT = 512 * 1024
_BLOCK = 16


class EncryptedTempFile(io.RawIOBase):
    """A seekable, readable, writable file whose bytes on disk are AES-CTR ciphertext."""

    def __init__(self, directory: Path | None = None) -> None:
        super().__init__()
        # Unlinked at once; closed in close(), so no context manager here.
        self._file = tempfile.TemporaryFile(dir=directory)  # noqa: SIM115
        self._key = os.urandom(32)
        self._nonce = int.from_bytes(os.urandom(16), "big")
        self._pos = 0

    def _crypt(self, data: bytes, offset: int) -> bytes:
        counter = (self._nonce + offset // _BLOCK) % (1 << 128)
        ctx = Cipher(algorithms.AES(self._key), modes.CTR(counter.to_bytes(16, "big"))).encryptor()
        skip = offset % _BLOCK
        return ctx.update(bytes(skip) + data)[skip:]

    def readable(self) -> bool:
        return True

    def writable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        self._pos = self._file.seek(offset, whence)
        return self._pos

    def readinto(self, buffer) -> int:
        self._file.seek(self._pos)
        data = self._file.read(len(buffer))
        plain = self._crypt(data, self._pos)
        buffer[: len(plain)] = plain
        self._pos += len(plain)
        return len(plain)

    def write(self, data) -> int:
        data = bytes(data)
        self._file.seek(self._pos)
        self._file.write(self._crypt(data, self._pos))
        self._pos += len(data)
        return len(data)

    def close(self) -> None:
        if not self.closed:
            self._file.close()
            self._key = b""
        super().close()


def spool_for(total_content_length: int | None, directory: Path | None):
    """A small upload stays in memory; a large one goes to an encrypted temp file."""
    if total_content_length is not None and total_content_length <= _MEMORY_LIMIT:
        return io.BytesIO()
    return io.BufferedRandom(EncryptedTempFile(directory))


class CaseprepRequest(Request):
    """Flask's request, with uploads never written to disk in clear."""

    def _get_file_stream(self, total_content_length, content_type, filename=None,
                         content_length=None):
        directory = Path(current_app.instance_path) / "tmp"
        directory.mkdir(mode=0o700, exist_ok=True)
        return spool_for(total_content_length, directory)
