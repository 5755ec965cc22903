"""Check images with Pillow and make thumbnails that carry no metadata.

Decompression bombs: Pillow warns above Image.MAX_IMAGE_PIXELS and raises above twice that;
here the warning is an error too, and the limit is checked from the header before any pixel
is decoded. Malformed files: verify() checks the structure, then a full load() catches
truncated pixel data. Thumbnails are re-encoded from pixels only (no EXIF, no GPS).
"""

from __future__ import annotations

import contextlib
import io
import warnings
from dataclasses import dataclass
from datetime import datetime
from typing import BinaryIO

from PIL import Image, ImageOps, UnidentifiedImageError

from caseprep.evidence import decode_budget
from caseprep.evidence.refusals import UploadRefused

MAX_PIXELS = 64_000_000  # a 64-megapixel phone photo is fine; more is suspicious
THUMBNAIL_SIZE = (320, 320)
_EXIF_IFD = 0x8769
_DATETIME_ORIGINAL = 0x9003
_DATETIME = 0x0132


@dataclass(frozen=True)
class ImageInfo:
    width: int
    height: int
    format: str
    exif_datetime: str | None  # ISO 8601 local time as the camera wrote it


def _open(stream: BinaryIO) -> Image.Image:
    stream.seek(0)
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            img = Image.open(stream)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise UploadRefused("image_too_big", limit=MAX_PIXELS // 1_000_000) from exc
        except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
            raise UploadRefused("malformed_image") from exc
    if img.width * img.height > MAX_PIXELS or img.width <= 0 or img.height <= 0:
        raise UploadRefused("image_too_big", limit=MAX_PIXELS // 1_000_000)
    return img


def _load(stream: BinaryIO) -> Image.Image:
    img = _open(stream)
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            img.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise UploadRefused("image_too_big", limit=MAX_PIXELS // 1_000_000) from exc
        except (OSError, ValueError, SyntaxError, MemoryError) as exc:
            raise UploadRefused("malformed_image") from exc
    return img


def _check_complete(stream: BinaryIO, fmt: str) -> None:
    """Refuse an image cut short, whatever Pillow is set to tolerate.

    WeasyPrint sets Pillow's process-wide ImageFile.LOAD_TRUNCATED_IMAGES = True when it is
    imported, after which Pillow decodes a half-downloaded JPEG without complaint (grey
    bottom half). So the end of the file is checked here: JPEG's EOI marker, PNG's IEND
    chunk, GIF's trailer, and the RIFF length of a WebP.
    """
    stream.seek(0, 2)
    size = stream.tell()
    stream.seek(max(0, size - 64))
    tail = stream.read().rstrip(b"\x00")
    complete = True
    if fmt == "JPEG":
        complete = b"\xff\xd9" in tail[-18:]
    elif fmt == "PNG":
        complete = b"IEND" in tail[-28:]
    elif fmt == "GIF":
        complete = tail.endswith(b";")
    elif fmt == "WEBP":
        stream.seek(4)
        declared = int.from_bytes(stream.read(4), "little")
        complete = declared + 8 <= size
    stream.seek(0)
    if not complete:
        raise UploadRefused("malformed_image")


def check_image(stream: BinaryIO) -> ImageInfo:
    """Refuse malformed images and bombs; return dimensions and the camera's date."""
    img = _open(stream)
    _check_complete(stream, img.format or "")
    try:
        img.verify()
    except Exception as exc:  # noqa: BLE001 - Pillow raises many types for bad structure
        raise UploadRefused("malformed_image") from exc
    with _decoding(img.width * img.height):
        img = _load(stream)
        info = ImageInfo(img.width, img.height, img.format or "", _exif_datetime(img))
        del img
    stream.seek(0)
    return info


@contextlib.contextmanager
def _decoding(pixels: int):
    """Hold room for `pixels` in the process's decode budget (caseprep.evidence.decode_budget)."""
    try:
        with decode_budget.budget.hold(pixels):
            yield
    except decode_budget.DecodeBusy as exc:
        raise UploadRefused("busy") from exc


def _exif_datetime(img: Image.Image) -> str | None:
    try:
        exif = img.getexif()
        raw = exif.get_ifd(_EXIF_IFD).get(_DATETIME_ORIGINAL) or exif.get(_DATETIME)
    except Exception:  # noqa: BLE001 - broken EXIF is common and not a reason to refuse
        return None
    if not isinstance(raw, str):
        return None
    try:
        return datetime.strptime(raw.strip("\x00 "), "%Y:%m:%d %H:%M:%S").isoformat()
    except ValueError:
        return None


def thumbnail_jpeg(stream: BinaryIO) -> bytes:
    """A small JPEG of the image, upright, re-encoded from pixels: no EXIF, no GPS."""
    img = _open(stream)
    img.draft("RGB", (THUMBNAIL_SIZE[0] * 2, THUMBNAIL_SIZE[1] * 2))
    out = io.BytesIO()
    with _decoding(img.width * img.height):
        img = _load_drafted(img)
        img = ImageOps.exif_transpose(img)
        img.thumbnail(THUMBNAIL_SIZE)
        if img.mode not in ("RGB", "L"):
            img = img.convert("RGBA")
            background = Image.new("RGB", img.size, (255, 255, 255))
            background.paste(img, mask=img.getchannel("A"))
            img = background
        img.save(out, "JPEG", quality=80)  # no exif= argument: nothing is copied over
    stream.seek(0)
    return out.getvalue()


def _load_drafted(img: Image.Image) -> Image.Image:
    try:
        img.load()
    except (OSError, ValueError, SyntaxError) as exc:
        raise UploadRefused("malformed_image") from exc
    return img
