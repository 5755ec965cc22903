"""An import's working copy of a chat export: read in place, never unpacked in clear.

The worker decrypts the stored export into an encrypted spool file (caseprep.spool: unlinked
at once, key in memory only) and reads result.json and the photos straight out of the ZIP.
Nothing of the export exists on disk in a readable form, during the job or after a crash
(issue 13, High 3). The ZIP's own directory is checked before anything is read: no absolute
or `..` names, no symbolic links, and a bounded total expanded size and compression ratio
(issue 13, item 8: a 1 MB ZIP must not expand to 1 GiB).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import zipfile
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from caseprep.spool import EncryptedSpool, as_binary_file

# A photo or a JSON text rarely compresses past 20:1; a bomb does 1000:1. Small members are
# exempt (a short JSON of repeated keys may legitimately compress well).
MAX_RATIO = 100
_RATIO_EXEMPT_BYTES = 1024 * 1024
_MEMORY_BYTES = 8 * 1024 * 1024


class ArchiveRefused(ValueError):
    """The export's container is unsafe; `code` is one of imports.ERRORS' keys."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


class ExportArchive:
    """A Telegram export (its ZIP, or result.json alone) held in an encrypted spool."""

    def __init__(self, spool: BinaryIO, is_zip: bool, max_expanded: int):
        self._spool = spool
        self._zip: zipfile.ZipFile | None = None
        self._members: dict[str, zipfile.ZipInfo] = {}
        self._root = ""
        if is_zip:
            self._open_zip(max_expanded)

    @classmethod
    def from_store(cls, store, code: str, key: bytes, name: str, is_zip: bool,
                   max_expanded: int, directory: Path | None = None) -> ExportArchive:
        """Decrypt a stored export into a fresh encrypted spool and open it."""
        spool = EncryptedSpool(_MEMORY_BYTES, directory)
        try:
            store.decrypt_into(code, key, name, spool)
            spool.seek(0)
            return cls(as_binary_file(spool), is_zip, max_expanded)
        except BaseException:
            spool.close()
            raise

    def _open_zip(self, max_expanded: int) -> None:
        try:
            self._zip = zipfile.ZipFile(self._spool)
        except zipfile.BadZipFile as exc:
            raise ArchiveRefused("bad_archive") from exc
        total = 0
        for info in self._zip.infolist():
            name = PurePosixPath(info.filename)
            if (info.filename.startswith(("/", "\\")) or ".." in name.parts
                    or "\\" in info.filename or "\x00" in info.filename):
                raise ArchiveRefused("bad_archive")
            if info.is_dir():
                continue
            if (info.external_attr >> 16) & 0o170000 == 0o120000:  # a symlink entry
                raise ArchiveRefused("bad_archive")
            total += info.file_size
            if total > max_expanded:
                raise ArchiveRefused("too_large")
            if (info.file_size > _RATIO_EXEMPT_BYTES
                    and info.file_size > MAX_RATIO * max(1, info.compress_size)):
                raise ArchiveRefused("bad_archive")
            self._members[name.as_posix()] = info
        # A ZIP of the export folder has result.json one level down.
        if "result.json" not in self._members:
            inner = sorted(n for n in self._members
                           if n.endswith("/result.json") and n.count("/") == 1)
            if not inner:
                raise ArchiveRefused("not_an_export")
            self._root = inner[0][: -len("result.json")]

    def open_result_json(self) -> BinaryIO:
        """result.json as a stream (from the ZIP, or the spool itself)."""
        if self._zip is None:
            self._spool.seek(0)
            return self._spool
        return as_binary_file(self._zip.open(self._members[self._root + "result.json"]))

    def size_of_result_json(self) -> int:
        if self._zip is None:
            return self._spool.seek(0, io.SEEK_END)
        return self._members[self._root + "result.json"].file_size

    def media(self, relative: str | None) -> bytes | None:
        """A media file named by result.json (untrusted), or None when absent or unsafe."""
        if self._zip is None or not relative or "\x00" in relative or "\\" in relative:
            return None
        parts = PurePosixPath(relative).parts
        if not parts or parts[0] == "/" or ".." in parts:
            return None
        info = self._members.get(self._root + PurePosixPath(*parts).as_posix())
        if info is None:
            return None
        try:
            with self._zip.open(info) as fh:
                return fh.read()
        except (zipfile.BadZipFile, OSError, EOFError) as exc:
            raise ArchiveRefused("bad_archive") from exc

    def sha256(self, relative: str | None) -> str | None:
        data = self.media(relative)
        return None if data is None else hashlib.sha256(data).hexdigest()

    def picture(self, relative: str | None) -> bytes:
        """What the matcher reads (telegram_import.summarize): the file's bytes, b"" if absent."""
        return self.media(relative) or b""

    def close(self) -> None:
        if self._zip is not None:
            with contextlib.suppress(Exception):
                self._zip.close()
        self._spool.close()

    def __enter__(self) -> ExportArchive:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

