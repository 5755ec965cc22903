"""Take in one uploaded file: check its name, size and content, then store it encrypted.

Order matters: everything that can refuse the file runs before a byte is stored, and the
store itself is all-or-nothing, so a refusal or a crash leaves nothing half-kept.
"""

from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass
from typing import BinaryIO

from caseprep.evidence import images, sniff
from caseprep.evidence.filestore import FileStore
from caseprep.evidence.refusals import UploadRefused, human_size
from caseprep.spool import EncryptedSpool, as_binary_file

MAX_NAME_CHARS = 200


@dataclass(frozen=True)
class IngestedFile:
    """What the evidence item records about a stored file."""

    original_name: str
    stored_name: str
    thumbnail_name: str | None
    detected_type: str
    size: int
    sha256: str
    width: int | None = None
    height: int | None = None
    exif_datetime: str | None = None

    def to_fields(self) -> dict:
        return {
            "original_name": self.original_name, "file_name": self.stored_name,
            "thumbnail_name": self.thumbnail_name, "detected_type": self.detected_type,
            "size": self.size, "sha256": self.sha256, "width": self.width,
            "height": self.height, "exif_datetime": self.exif_datetime,
        }


def check_filename(name: str | None) -> str:
    """The name as given, or UploadRefused("bad_name") for paths, control characters, dots."""
    if not name or not isinstance(name, str):
        raise UploadRefused("bad_name")
    name = unicodedata.normalize("NFC", name)
    if len(name) > MAX_NAME_CHARS or name.strip() != name or not name:
        raise UploadRefused("bad_name")
    if "/" in name or "\\" in name or name in (".", "..") or name.startswith("."):
        raise UploadRefused("bad_name")
    if any(unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") for c in name):
        raise UploadRefused("bad_name")
    if ":" in name[:3]:  # "C:evil" drive-relative names on Windows
        raise UploadRefused("bad_name")
    return name


def _seekable(stream: BinaryIO, limit: int) -> tuple[BinaryIO, bool]:
    """The stream itself if seekable, else a copy (refused once past `limit`)."""
    try:
        if stream.seekable():
            return stream, False
    except (AttributeError, OSError):
        pass
    copy = EncryptedSpool(max_size=8 * 1024 * 1024)  # never plaintext on disk (issue 13)
    copied = 0
    while chunk := stream.read(1024 * 1024):
        copied += len(chunk)
        if copied > limit:
            copy.close()
            raise UploadRefused("too_large", limit=human_size(limit))
        copy.write(chunk)
    copy.seek(0)
    return as_binary_file(copy), True


def ingest_file(store: FileStore, case_code: str, data_key: bytes, stream: BinaryIO,
                filename: str | None) -> IngestedFile:
    """Check and store one file; raise UploadRefused (nothing kept) when it is not acceptable."""
    name = check_filename(filename)
    source, is_copy = _seekable(stream, store.max_file_bytes)
    try:
        source.seek(0, os.SEEK_END)
        size = source.tell()
        if size == 0:
            raise UploadRefused("empty")
        if size > store.max_file_bytes:
            raise UploadRefused("too_large", limit=human_size(store.max_file_bytes))
        if store.usage(case_code) + size > store.max_case_bytes:
            raise UploadRefused("case_full", limit=human_size(store.max_case_bytes))
        detected = sniff.check_type(source, name)
        info = thumb = None
        if detected.mime in sniff.DECODABLE_IMAGES:
            info = images.check_image(source)
            thumb = images.thumbnail_jpeg(source)
        source.seek(0)
        blob = store.write_stream(case_code, data_key, source)
        thumb_name = None
        if thumb is not None:
            try:
                thumb_name = store.write_bytes(case_code, data_key, thumb, check_caps=False).name
            except BaseException:
                store.delete(case_code, blob.name)
                raise
    finally:
        if is_copy:
            source.close()
    return IngestedFile(
        original_name=name, stored_name=blob.name, thumbnail_name=thumb_name,
        detected_type=detected.mime, size=blob.size, sha256=blob.sha256,
        width=info.width if info else None, height=info.height if info else None,
        exif_datetime=info.exif_datetime if info else None,
    )


