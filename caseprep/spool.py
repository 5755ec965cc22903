"""Temporary storage that never holds plaintext on disk: memory, or AES-CTR under a key in RAM.

Anything that would go to a temporary file in clear (an upload being parsed, a download
being verified, a request body the WSGI server buffers, an import being unpacked) goes here
instead. The file is unlinked as soon as it is created and its key lives only in this
object, so what reaches the disk is unreadable, during the request and after a crash alike
(issue 13, High 2 and 3). CTR mode gives the random access parsers and ZIP readers need;
integrity is not at stake, since the bytes never outlive the process that wrote them.
"""

from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path
from typing import IO, BinaryIO, cast

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

_BLOCK = 16


class EncryptedTempFile(io.RawIOBase):
    """A seekable, readable, writable file whose bytes on disk are AES-CTR ciphertext."""

    def __init__(self, directory: Path | str | None = None) -> None:
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
        if whence == io.SEEK_CUR:
            offset, whence = self._pos + offset, io.SEEK_SET
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

    def truncate(self, size: int | None = None) -> int:
        return self._file.truncate(self._pos if size is None else size)

    def close(self) -> None:
        if not self.closed:
            self._file.close()
            self._key = b""
        super().close()


def encrypted_file(directory: Path | str | None = None) -> io.BufferedRandom:
    """A buffered EncryptedTempFile (what callers normally want)."""
    return io.BufferedRandom(EncryptedTempFile(directory))


class EncryptedSpool(io.BufferedIOBase):
    """Like tempfile.SpooledTemporaryFile, but what spills over `max_size` is encrypted."""

    def __init__(self, max_size: int, directory: Path | str | None = None) -> None:
        super().__init__()
        self._max_size = max_size
        self._directory = directory
        self._file: io.BytesIO | io.BufferedRandom = io.BytesIO()
        self.rolled = False

    def _rollover(self) -> None:
        memory = self._file
        if not isinstance(memory, io.BytesIO):  # already on disk
            return
        disk = encrypted_file(self._directory)
        disk.write(memory.getbuffer())
        disk.seek(memory.tell())
        self._file, self.rolled = disk, True
        memory.close()

    def readable(self) -> bool:
        return True

    def writable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def write(self, data) -> int:
        written = self._file.write(data)
        if not self.rolled and self._file.tell() > self._max_size:
            self._rollover()
        return written

    def read(self, size: int | None = -1) -> bytes:
        return self._file.read(-1 if size is None else size)

    def read1(self, size: int = -1) -> bytes:
        return self._file.read(size)

    def readinto(self, buffer) -> int:
        return self._file.readinto(buffer)

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        return self._file.seek(offset, whence)

    def tell(self) -> int:
        return self._file.tell()

    def close(self) -> None:
        if not self.closed:
            self._file.close()
        super().close()


def as_binary_file(stream: io.IOBase | IO[bytes]) -> BinaryIO:
    """`stream` as the binary file it is: io's classes, this module's spools and a ZIP
    member implement typing.BinaryIO's methods, but their types do not say so."""
    return cast(BinaryIO, stream)
