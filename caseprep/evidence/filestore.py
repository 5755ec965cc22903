"""Encrypted evidence files on disk: streaming AES-256-GCM, hashed while written, atomic.

File format (version 1):  b"CPEF" | version (1 byte) | nonce (12 bytes) | ciphertext | tag (16)
The key is derived (HKDF-SHA256) from the case's data key, so evidence files and case
records never share a key; the AAD binds a file to its case folder and its name, so a file
moved to another case or renamed fails authentication.

Files get random names under <root>/<case-dir>/ (the upload's name is kept only inside the
encrypted item). A write goes to a temporary file, is fsynced and renamed into place, then
the folder is fsynced: a crash leaves either the whole file or nothing. Reads that return
plaintext verify the tag first.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from caseprep.evidence.refusals import UploadRefused, human_size
from caseprep.spool import EncryptedSpool, as_binary_file

MAGIC = b"CPEF"
VERSION = 1
NONCE_BYTES = 12
TAG_BYTES = 16
HEADER_BYTES = len(MAGIC) + 1 + NONCE_BYTES
CHUNK_BYTES = 1024 * 1024
_HKDF_INFO = b"caseprep evidence files v1"
_TMP_PREFIX = ".tmp-"

class TamperedFile(Exception):
    """The stored file failed authentication: wrong key, moved, truncated or altered."""


@dataclass(frozen=True)
class StoredBlob:
    name: str  # random file name inside the case folder
    size: int  # plaintext bytes
    sha256: str  # of the plaintext


def file_key(data_key: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_HKDF_INFO).derive(data_key)


def case_dir_name(case_code: str) -> str:
    """The case's folder name: a hash, so a directory listing does not show case codes."""
    return hashlib.sha256(b"caseprep files:" + case_code.encode()).hexdigest()[:32]


class FileStore:
    """Encrypted files of all cases under one root folder (e.g. instance/files)."""

    def __init__(self, root: str | os.PathLike, max_file_bytes: int, max_case_bytes: int):
        self.root = Path(root)
        self.max_file_bytes = max_file_bytes
        self.max_case_bytes = max_case_bytes

    @classmethod
    def from_settings(cls, settings) -> FileStore:
        return cls(Path(settings.instance_path) / "files", settings.max_upload_bytes,
                   settings.max_case_bytes)

    def case_dir(self, case_code: str) -> Path:
        return self.root / case_dir_name(case_code)

    def _path(self, case_code: str, name: str) -> Path:
        if not name or not all(c in "0123456789abcdef" for c in name):
            raise FileNotFoundError("not a stored file name")
        return self.case_dir(case_code) / name

    def usage(self, case_code: str) -> int:
        """Bytes the case's stored files take (ciphertext, close to the plaintext size)."""
        folder = self.case_dir(case_code)
        if not folder.is_dir():
            return 0
        return sum(p.stat().st_size for p in folder.iterdir()
                   if p.is_file() and not p.name.startswith(_TMP_PREFIX))

    def write(self, case_code: str, data_key: bytes, chunks: Iterable[bytes],
              check_caps: bool = True) -> StoredBlob:
        """Encrypt and store a stream; refuse beyond the caps; all or nothing."""
        folder = self.case_dir(case_code)
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        name = secrets.token_hex(16)
        room = self.max_case_bytes - self.usage(case_code) if check_caps else None
        nonce = os.urandom(NONCE_BYTES)
        header = MAGIC + bytes([VERSION]) + nonce
        encryptor = Cipher(algorithms.AES(file_key(data_key)), modes.GCM(nonce)).encryptor()
        encryptor.authenticate_additional_data(_aad(header, folder.name, name))
        digest = hashlib.sha256()
        size = 0
        fd, tmp = tempfile.mkstemp(prefix=_TMP_PREFIX, dir=folder)
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(header)
                for chunk in chunks:
                    size += len(chunk)
                    if check_caps:
                        self._check_caps(size, room)
                    digest.update(chunk)
                    out.write(encryptor.update(chunk))
                out.write(encryptor.finalize() + encryptor.tag)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, folder / name)
            _fsync_dir(folder)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            raise
        return StoredBlob(name, size, digest.hexdigest())

    def _check_caps(self, size: int, room: int | None) -> None:
        if size > self.max_file_bytes:
            raise UploadRefused("too_large", limit=human_size(self.max_file_bytes))
        if room is not None and size > room:
            raise UploadRefused("case_full", limit=human_size(self.max_case_bytes))

    def write_stream(self, case_code: str, data_key: bytes, stream: BinaryIO,
                     check_caps: bool = True) -> StoredBlob:
        return self.write(case_code, data_key, _read_chunks(stream), check_caps)

    def write_bytes(self, case_code: str, data_key: bytes, data: bytes,
                    check_caps: bool = True) -> StoredBlob:
        return self.write(case_code, data_key, [data], check_caps)

    def _decrypt_chunks(self, case_code: str, data_key: bytes, name: str) -> Iterator[bytes]:
        """Plaintext chunks; the last step raises TamperedFile if the tag does not verify.

        Callers that hand plaintext on must consume the whole iterator first.
        """
        path = self._path(case_code, name)
        with open(path, "rb") as fh:
            header = fh.read(HEADER_BYTES)
            if len(header) != HEADER_BYTES or header[:4] != MAGIC or header[4] != VERSION:
                raise TamperedFile("not an evidence file")
            body = path.stat().st_size - HEADER_BYTES - TAG_BYTES
            if body < 0:
                raise TamperedFile("truncated")
            fh.seek(HEADER_BYTES + body)
            tag = fh.read(TAG_BYTES)
            fh.seek(HEADER_BYTES)
            decryptor = Cipher(algorithms.AES(file_key(data_key)),
                               modes.GCM(header[5:], tag)).decryptor()
            decryptor.authenticate_additional_data(_aad(header, path.parent.name, name))
            left = body
            while left > 0:
                chunk = fh.read(min(CHUNK_BYTES, left))
                if not chunk:
                    raise TamperedFile("truncated")
                left -= len(chunk)
                yield decryptor.update(chunk)
            try:
                yield decryptor.finalize()
            except InvalidTag as exc:
                raise TamperedFile("authentication failed") from exc

    def read_bytes(self, case_code: str, data_key: bytes, name: str) -> bytes:
        """The whole plaintext, returned only after the tag verified."""
        return b"".join(list(self._decrypt_chunks(case_code, data_key, name)))

    def open_verified(self, case_code: str, data_key: bytes, name: str) -> BinaryIO:
        """A temporary file with the plaintext, returned only after the tag verified.

        Small files stay in memory; larger ones spill to an unlinked temporary file that is
        encrypted under a key only the returned object holds (caseprep.spool; issue 13).
        """
        out = EncryptedSpool(max_size=8 * CHUNK_BYTES)
        try:
            for chunk in self._decrypt_chunks(case_code, data_key, name):
                out.write(chunk)
        except BaseException:
            out.close()
            raise
        out.seek(0)
        return as_binary_file(out)

    def decrypt_into(self, case_code: str, data_key: bytes, name: str, out: BinaryIO) -> None:
        """Write the plaintext to `out` (a private work file); raises TamperedFile at the end
        if the tag does not verify, and the caller must then discard what was written."""
        for chunk in self._decrypt_chunks(case_code, data_key, name):
            out.write(chunk)

    def rehash(self, case_code: str, data_key: bytes, name: str) -> tuple[str, int]:
        """(SHA-256, size) of the decrypted file; raises TamperedFile on a bad tag."""
        digest = hashlib.sha256()
        size = 0
        for chunk in self._decrypt_chunks(case_code, data_key, name):
            digest.update(chunk)
            size += len(chunk)
        return digest.hexdigest(), size

    def delete(self, case_code: str, name: str | None) -> None:
        if not name:
            return
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self._path(case_code, name))

    def delete_case(self, case_code: str) -> None:
        shutil.rmtree(self.case_dir(case_code), ignore_errors=True)


def _aad(header: bytes, folder: str, name: str) -> bytes:
    return header + f"|{folder}|{name}".encode()


def _read_chunks(stream: BinaryIO) -> Iterator[bytes]:
    while True:
        chunk = stream.read(CHUNK_BYTES)
        if not chunk:
            return
        yield chunk


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
