"""The type of a file from its content, never from its name, and polyglot detection.

An uploaded name ending in .jpg says nothing; the first bytes do. A polyglot (a JPEG that is
also a ZIP or a PDF) is refused, because another program could open the hidden part.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import BinaryIO

from caseprep.evidence.refusals import UploadRefused

HEAD_BYTES = 8192
TAIL_BYTES = 65536 + 22  # a ZIP's end-of-central-directory record is in the last 64 KiB


@dataclass(frozen=True)
class FileType:
    mime: str
    group: str  # image | video | document | text
    label: str
    extensions: tuple[str, ...]


JPEG = FileType("image/jpeg", "image", "JPEG image", ("jpg", "jpeg", "jpe", "jfif"))
PNG = FileType("image/png", "image", "PNG image", ("png",))
GIF = FileType("image/gif", "image", "GIF image", ("gif",))
WEBP = FileType("image/webp", "image", "WebP image", ("webp",))
HEIC = FileType("image/heic", "image", "HEIC image", ("heic", "heif"))
MP4 = FileType("video/mp4", "video", "MP4 video", ("mp4", "m4v"))
MOV = FileType("video/quicktime", "video", "QuickTime video", ("mov", "qt"))
WEBM = FileType("video/webm", "video", "WebM video", ("webm", "mkv"))
PDF = FileType("application/pdf", "document", "PDF document", ("pdf",))
TEXT = FileType("text/plain", "text", "text", ("txt", "text", "log", "csv", "json", "md"))
ALL_TYPES = (JPEG, PNG, GIF, WEBP, HEIC, MP4, MOV, WEBM, PDF, TEXT)
# Pillow can decode these (HEIC only with a plug-in, so it is stored without thumbnail).
DECODABLE_IMAGES = {JPEG.mime, PNG.mime, GIF.mime, WEBP.mime}
_BY_EXTENSION = {ext: t for t in ALL_TYPES for ext in t.extensions}
# Extensions of types we refuse, so that "x.exe" reports the right reason.
_FOREIGN_SIGNATURES = (b"%PDF-", b"<html", b"<script", b"<?php", b"<svg", b"<!doctype html")


# Major brands of the ISO base media files we accept as MP4 video (ISO/IEC 14496-12 and -14,
# 3GPP, Apple's M4V): "ftyp" at byte 4 alone is four bytes anyone can write (issue 13, item 9).
_MP4_BRANDS = frozenset({b"isom", b"iso2", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42",
                         b"avc1", b"M4V ", b"M4VH", b"M4VP", b"dash", b"mmp4", b"3gp4",
                         b"3gp5", b"3gp6", b"3g2a", b"MSNV", b"XAVC", b"f4v "})


def _sane_ftyp_box(head: bytes) -> bool:
    """The ftyp box's own size: at least its header and brands, a multiple of 4, small."""
    size = int.from_bytes(head[:4], "big")
    return 16 <= size <= 4096 and size % 4 == 0


def sniff(head: bytes) -> FileType | None:
    """The type of a file from its first bytes, or None when it is not an accepted type."""
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return GIF
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head[4:8] == b"ftyp" and _sane_ftyp_box(head):
        brand = head[8:12]
        if brand in (b"heic", b"heix", b"heim", b"heis", b"mif1", b"msf1", b"hevc"):
            return HEIC
        if brand == b"qt  ":
            return MOV
        if brand in _MP4_BRANDS:
            return MP4
        return None
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return WEBM
    if head.startswith(b"%PDF-"):
        return PDF
    if _looks_like_text(head):
        return TEXT
    return None


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut at the end of the head is still text.
        if exc.start < len(head) - 3:
            return False
    lowered = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return not any(lowered.startswith(s) for s in (b"<html", b"<!doctype", b"<svg", b"<?xml"))


def extension_of(filename: str) -> str:
    _, dot, ext = filename.rpartition(".")
    return ext.lower() if dot else ""


def check_type(stream: BinaryIO, filename: str) -> FileType:
    """Sniff a seekable stream and refuse unknown types, disguises and polyglots."""
    stream.seek(0)
    head = stream.read(HEAD_BYTES)
    detected = sniff(head)
    if detected is None:
        raise UploadRefused("unknown_type")
    ext = extension_of(filename)
    claimed = _BY_EXTENSION.get(ext)
    if ext and claimed is None and ext in _refused_extensions():
        raise UploadRefused("unknown_type")
    if claimed is not None and claimed.mime != detected.mime and not _compatible(claimed, detected):
        raise UploadRefused("type_mismatch", detected=detected.label, ext=ext)
    _check_polyglot(stream, head, detected)
    stream.seek(0)
    return detected


def _compatible(claimed: FileType, detected: FileType) -> bool:
    # MP4 and QuickTime share the ISO container; phones name either way.
    return {claimed.mime, detected.mime} <= {MP4.mime, MOV.mime}


def _refused_extensions() -> set[str]:
    return {"exe", "dll", "js", "html", "htm", "svg", "php", "sh", "bat", "zip", "jar", "apk",
            "msi", "scr", "com", "ps1", "vbs", "xhtml", "xml"}


def _check_polyglot(stream: BinaryIO, head: bytes, detected: FileType) -> None:
    if detected is not PDF and b"%PDF-" in head[:1024]:
        raise UploadRefused("polyglot")
    lowered = head[:1024].lower()
    if detected is not TEXT and any(s in lowered for s in _FOREIGN_SIGNATURES[1:]):
        raise UploadRefused("polyglot")
    stream.seek(0, os.SEEK_END)
    size = stream.tell()
    stream.seek(max(0, size - TAIL_BYTES))
    tail = stream.read()
    if b"PK\x05\x06" in tail or b"PK\x03\x04" in head:
        raise UploadRefused("polyglot")
    if detected.group == "image":
        _check_image_trailer(detected, tail)


def _check_image_trailer(detected: FileType, tail: bytes) -> None:
    """Bytes after an image's end marker are where a hidden file usually sits."""
    trimmed = tail.rstrip(b"\x00")
    if detected is JPEG and not trimmed.endswith(b"\xff\xd9"):
        last = trimmed.rfind(b"\xff\xd9")
        if last != -1 and len(trimmed) - last > 2 + 16:
            raise UploadRefused("polyglot")
    elif detected is PNG:
        end = trimmed.rfind(b"IEND\xaeB`\x82")
        if end != -1 and len(trimmed) - (end + 8) > 16:
            raise UploadRefused("polyglot")
    elif detected is GIF and not trimmed.endswith(b";"):
        raise UploadRefused("malformed_image")
