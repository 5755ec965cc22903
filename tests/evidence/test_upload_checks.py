"""Uploads: encryption at rest, hashing while storing, and every refusal leaving nothing."""

from __future__ import annotations

import hashlib
import io
import os
import zipfile

import pytest
from PIL import Image

from caseprep.evidence import filestore, images, ingest, synthetic
from caseprep.evidence.refusals import MESSAGES, UploadRefused

KEY = bytes(range(32))
CODE = "ABCD-EFGH"


@pytest.fixture
def store(tmp_path):
    return filestore.FileStore(tmp_path / "files", max_file_bytes=2_000_000,
                               max_case_bytes=5_000_000)


def _jpeg(size=(200, 150), exif_date=None, gps=False) -> bytes:
    img = synthetic.scene(3, size=size)
    exif = Image.Exif()
    if exif_date:
        exif.get_ifd(0x8769)[0x9003] = exif_date
    if gps:
        exif[0x8825] = {1: "N", 2: (52.0, 31.0, 12.0)}
    out = io.BytesIO()
    img.save(out, "JPEG", quality=85, exif=exif)
    return out.getvalue()


def _png(size=(64, 48)) -> bytes:
    out = io.BytesIO()
    synthetic.scene(5, size=size).save(out, "PNG")
    return out.getvalue()


def _files_left(store) -> list[str]:
    folder = store.case_dir(CODE)
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_round_trip_is_encrypted_and_hashed(store):
    data = os.urandom(3 * 1024 * 1024 // 2) + b"SECRET-MARKER"
    blob = store.write_bytes(CODE, KEY, data, check_caps=False)
    assert blob.sha256 == hashlib.sha256(data).hexdigest() and blob.size == len(data)
    raw = (store.case_dir(CODE) / blob.name).read_bytes()
    assert b"SECRET-MARKER" not in raw
    assert raw[:4] == b"CPEF" and len(raw) == len(data) + filestore.HEADER_BYTES + 16
    assert store.read_bytes(CODE, KEY, blob.name) == data
    assert store.rehash(CODE, KEY, blob.name) == (blob.sha256, len(data))
    with store.open_verified(CODE, KEY, blob.name) as fh:
        assert fh.read() == data
    assert len(blob.name) == 32 and CODE not in str(store.case_dir(CODE))


def test_tampering_wrong_key_and_moving_are_detected(store):
    blob = store.write_bytes(CODE, KEY, b"x" * 5000, check_caps=False)
    path = store.case_dir(CODE) / blob.name
    with pytest.raises(filestore.TamperedFile):
        store.read_bytes(CODE, bytes(32), blob.name)
    other = store.write_bytes("OTHER-CASE", KEY, b"y", check_caps=False)
    os.replace(path, store.case_dir(CODE) / other.name)  # moved under another name
    with pytest.raises(filestore.TamperedFile):
        store.read_bytes(CODE, KEY, other.name)
    blob = store.write_bytes(CODE, KEY, b"z" * 5000, check_caps=False)
    path = store.case_dir(CODE) / blob.name
    raw = bytearray(path.read_bytes())
    raw[100] ^= 1
    path.write_bytes(bytes(raw))
    with pytest.raises(filestore.TamperedFile):
        store.rehash(CODE, KEY, blob.name)
    path.write_bytes(bytes(raw[:50]))
    with pytest.raises(filestore.TamperedFile):
        store.read_bytes(CODE, KEY, blob.name)


def test_a_crash_mid_write_leaves_nothing(store):
    def chunks():
        yield b"a" * 1000
        raise RuntimeError("disk pulled")

    with pytest.raises(RuntimeError):
        store.write(CODE, KEY, chunks())
    assert _files_left(store) == []


def test_ingest_image_records_metadata_and_clean_thumbnail(store):
    data = _jpeg(exif_date="2024:05:06 07:08:09", gps=True)
    item = ingest.ingest_file(store, CODE, KEY, io.BytesIO(data), "holiday 照片.JPG")
    assert item.detected_type == "image/jpeg"
    assert (item.width, item.height) == (200, 150)
    assert item.exif_datetime == "2024-05-06T07:08:09"
    assert item.sha256 == hashlib.sha256(data).hexdigest() and item.size == len(data)
    assert item.original_name == "holiday 照片.JPG"
    thumb = store.read_bytes(CODE, KEY, item.thumbnail_name)
    img = Image.open(io.BytesIO(thumb))
    assert max(img.size) <= 320
    assert not img.getexif() and b"Exif" not in thumb
    assert sorted(_files_left(store)) == sorted([item.stored_name, item.thumbnail_name])


def test_ingest_non_image_has_no_thumbnail(store):
    item = ingest.ingest_file(store, CODE, KEY, io.BytesIO(b"%PDF-1.7\n%\xe2\xe3\n1 0 obj"),
                              "report.pdf")
    assert item.detected_type == "application/pdf" and item.thumbnail_name is None
    item = ingest.ingest_file(store, CODE, KEY, io.BytesIO("聊天记录 chat log\n".encode()),
                              "chat.txt")
    assert item.detected_type == "text/plain"


def _bomb_png() -> bytes:
    # 10000 x 8000 one-bit pixels of one colour: ~10 KB that decode to 80 megapixels.
    import struct
    import zlib

    def chunk(kind, body):
        return (struct.pack(">I", len(body)) + kind + body
                + struct.pack(">I", zlib.crc32(kind + body)))

    w, h = 10000, 8000
    raw = (b"\x00" + b"\x00" * (w // 8)) * h
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 1, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def _polyglot_jpeg_zip() -> bytes:
    zbuf = io.BytesIO()
    with zipfile.ZipFile(zbuf, "w") as z:
        z.writestr("payload.txt", "hidden")
    return _jpeg() + zbuf.getvalue()


def _truncated_jpeg() -> bytes:
    data = _jpeg(size=(400, 300))
    return data[: len(data) // 2]


@pytest.mark.parametrize(("name", "data", "code"), [
    ("empty.jpg", lambda: b"", "empty"),
    ("big.bin.txt", lambda: b"a" * 2_000_001, "too_large"),
    ("photo.jpg", lambda: _png(), "type_mismatch"),
    ("photo.png", lambda: b"MZ\x90\x00\x03" + b"\x00" * 100, "unknown_type"),
    ("run.exe", lambda: b"hello", "unknown_type"),
    ("page.html", lambda: b"<!doctype html><script>alert(1)</script>", "unknown_type"),
    ("img.svg", lambda: b"<svg xmlns='http://www.w3.org/2000/svg'></svg>", "unknown_type"),
    ("poly.jpg", _polyglot_jpeg_zip, "polyglot"),
    ("poly2.jpg", lambda: _jpeg()[:20] + b"%PDF-1.4" + _jpeg()[20:], "polyglot"),
    ("broken.jpg", _truncated_jpeg, "malformed_image"),
    ("garbage.png", lambda: b"\x89PNG\r\n\x1a\n" + os.urandom(300), "malformed_image"),
    ("bomb.png", _bomb_png, "image_too_big"),
    ("../../etc/passwd.txt", lambda: b"x", "bad_name"),
    ("..\\win.txt", lambda: b"x", "bad_name"),
    ("a/b.txt", lambda: b"x", "bad_name"),
    ("bell\x07.txt", lambda: b"x", "bad_name"),
    ("new\nline.txt", lambda: b"x", "bad_name"),
    ("rtl\u202egnp.txt", lambda: b"x", "bad_name"),
    (".hidden.txt", lambda: b"x", "bad_name"),
    ("", lambda: b"x", "bad_name"),
    (None, lambda: b"x", "bad_name"),
])
def test_refusals_keep_nothing(store, name, data, code):
    with pytest.raises(UploadRefused) as info:
        ingest.ingest_file(store, CODE, KEY, io.BytesIO(data()), name)
    assert info.value.code == code
    assert info.value.message == MESSAGES[code]
    assert info.value.english()  # formats with its params
    assert _files_left(store) == []


def test_case_cap(tmp_path):
    store = filestore.FileStore(tmp_path / "f", max_file_bytes=1000, max_case_bytes=2500)
    ingest.ingest_file(store, CODE, KEY, io.BytesIO(b"a" * 1000), "1.txt")
    ingest.ingest_file(store, CODE, KEY, io.BytesIO(b"b" * 1000), "2.txt")
    with pytest.raises(UploadRefused) as info:
        ingest.ingest_file(store, CODE, KEY, io.BytesIO(b"c" * 1000), "3.txt")
    assert info.value.code == "case_full"
    assert len(_files_left(store)) == 2
    # Another case has its own budget.
    ingest.ingest_file(store, "OTHER", KEY, io.BytesIO(b"c" * 1000), "3.txt")


def test_unseekable_stream_over_the_cap_is_refused(store):
    class Pipe(io.RawIOBase):
        def __init__(self):
            self.left = 3_000_000

        def readable(self):
            return True

        def seekable(self):
            return False

        def read(self, n=-1):
            n = min(self.left, 65536 if n < 0 else n)
            self.left -= n
            return b"t" * n

    with pytest.raises(UploadRefused) as info:
        ingest.ingest_file(store, CODE, KEY, Pipe(), "stream.txt")
    assert info.value.code == "too_large"
    assert _files_left(store) == []


def test_max_pixels_guard_runs_before_decoding():
    with pytest.raises(UploadRefused) as info:
        images.check_image(io.BytesIO(_bomb_png()))
    assert info.value.code == "image_too_big"


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP", "GIF"])
def test_truncated_images_are_refused_even_when_pillow_tolerates_them(monkeypatch, fmt):
    # WeasyPrint turns this on for the whole process when it is imported.
    from PIL import ImageFile

    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    out = io.BytesIO()
    synthetic.scene(9, size=(160, 120)).save(out, fmt)
    data = out.getvalue()
    assert images.check_image(io.BytesIO(data)).format == fmt
    with pytest.raises(UploadRefused) as info:
        images.check_image(io.BytesIO(data[: len(data) * 2 // 3]))
    assert info.value.code == "malformed_image"
