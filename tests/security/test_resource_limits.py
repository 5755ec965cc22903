"""Issue 13, items 7 and 8: bounded decoding and bounded ZIP expansion."""

from __future__ import annotations

import io
import threading
import time
import zipfile

import pytest
from PIL import Image

from caseprep.evidence import decode_budget, images, imports
from caseprep.evidence.import_work import ArchiveRefused, ExportArchive
from caseprep.evidence.refusals import UploadRefused
from tests.security.helpers import png_bytes

# --- item 7: concurrent decodes share one pixel budget ---


def test_concurrent_decodes_never_exceed_the_pixel_budget(monkeypatch):
    budget = decode_budget.PixelBudget(pixels=2 * 64 * 48)  # room for two small images
    monkeypatch.setattr(decode_budget, "budget", budget)
    peak = [0]
    real_load = Image.Image.load

    def slow_load(img):
        peak[0] = max(peak[0], budget.in_use)
        time.sleep(0.05)
        return real_load(img)

    monkeypatch.setattr(Image.Image, "load", slow_load)
    data = png_bytes()
    errors = []

    def check():
        try:
            images.check_image(io.BytesIO(data))
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=check) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert peak[0] == 2 * 64 * 48  # the budget was full, and never more than full
    assert budget.in_use == 0


def test_a_decode_that_cannot_get_room_is_refused_as_busy(monkeypatch):
    budget = decode_budget.PixelBudget(pixels=64 * 48)
    monkeypatch.setattr(decode_budget, "budget", budget)
    monkeypatch.setattr(decode_budget, "WAIT_SECONDS", 0.1)
    with budget.hold(64 * 48), pytest.raises(UploadRefused) as refused:
        images.check_image(io.BytesIO(png_bytes()))
    assert refused.value.code == "busy"
    assert budget.in_use == 0


# --- item 8: a small ZIP may not expand without bound ---


def _zip(entries: dict[str, bytes], method=zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=method) as z:
        for name, data in entries.items():
            z.writestr(name, data)
    return buf.getvalue()


def _open(data: bytes, cap: int = 1 << 30) -> ExportArchive:
    return ExportArchive(io.BytesIO(data), True, cap)


def test_a_zip_bomb_is_refused_from_its_directory_before_expanding():
    bomb = _zip({"result.json": b"{}", "photos/a.jpg": bytes(64 * 1024 * 1024)})
    assert len(bomb) < 200_000
    with pytest.raises(ArchiveRefused) as refused:
        _open(bomb)
    assert refused.value.code == "bad_archive"


def test_total_expanded_size_is_capped_at_the_case_limit():
    honest = _zip({"result.json": b"{}", "photos/a.jpg": b"x" * 3_000_000,
                   "photos/b.jpg": b"y" * 3_000_000}, method=zipfile.ZIP_STORED)
    with pytest.raises(ArchiveRefused) as refused:
        _open(honest, cap=5_000_000)
    assert refused.value.code == "too_large"
    assert _open(honest, cap=7_000_000).media("photos/a.jpg") == b"x" * 3_000_000


@pytest.mark.parametrize("name", ["../evil.txt", "/etc/passwd", "a\\..\\b"])
def test_unsafe_member_names_are_refused(name):
    with pytest.raises(ArchiveRefused):
        _open(_zip({"result.json": b"{}", name: b"x"}))


def test_media_outside_the_export_is_never_read():
    archive = _open(_zip({"result.json": b"{}", "photos/a.jpg": b"x"}))
    assert archive.media("../photos/a.jpg") is None
    assert archive.media("/photos/a.jpg") is None
    assert archive.media("photos/a.jpg") == b"x"


def test_import_error_codes_have_messages():
    assert {"bad_archive", "too_large", "interrupted"} <= set(imports.ERRORS)
