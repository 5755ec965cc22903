"""The disk full or read-only during an upload: a clear error, and the case unharmed.

As root the store folder is put on a 1 MiB tmpfs (really full: ENOSPC from the kernel) or
remounted read-only (EROFS); without the privilege, the same errors are injected into the
store's writes, so the test checks the same behaviour either way.
"""

from __future__ import annotations

import contextlib
import errno
import os
import subprocess

import pytest

from tests.security.helpers import api_case, api_upload, auth, png_bytes


def _noisy_png(size=(900, 900)) -> bytes:
    import io
    import random

    from PIL import Image

    image = Image.frombytes("RGB", size, random.Random(3).randbytes(size[0] * size[1] * 3))
    buf = io.BytesIO()
    image.save(buf, "PNG", compress_level=1)
    return buf.getvalue()


@contextlib.contextmanager
def _constrained_store(folder, mode, monkeypatch):
    """The store folder full (`full`) or read-only (`readonly`), for real when root can mount."""
    folder.mkdir(parents=True, exist_ok=True)
    mounted = False
    active = [True]
    if os.geteuid() == 0:
        result = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m,mode=0700", "tmpfs",
                                 str(folder)], capture_output=True)
        mounted = result.returncode == 0
    try:
        if mounted and mode == "readonly":
            subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
        if not mounted:
            _inject_write_error(monkeypatch, errno.ENOSPC if mode == "full" else errno.EROFS,
                                active)
        yield mounted
    finally:
        active[0] = False
        if mounted:
            subprocess.run(["umount", "-l", str(folder)], check=False)


def _inject_write_error(monkeypatch, code, active):
    """Without root: the store's temporary file is /dev/full (a real ENOSPC on write), or
    creating it fails with EROFS; only while `active` holds True."""
    import tempfile

    real_mkstemp = tempfile.mkstemp

    def failing_mkstemp(*args, **kwargs):
        fd, path = real_mkstemp(*args, **kwargs)
        if not active[0]:
            return fd, path
        if code == errno.EROFS:
            os.close(fd)
            os.unlink(path)
            raise OSError(code, os.strerror(code))
        os.close(fd)
        return os.open("/dev/full", os.O_WRONLY), path

    monkeypatch.setattr(tempfile, "mkstemp", failing_mkstemp)


@pytest.mark.parametrize("mode", ["full", "readonly"])
def test_upload_to_a_full_or_readonly_disk(app, client, monkeypatch, mode):
    created = api_case(client)
    code, token = created["code"], created["token"]
    client.patch(f"/api/v1/cases/{code}/facts", headers=auth(token),
                 json={"evidence.images_count": 12})
    store_root = app.config["CASEPREP"].instance_path / "files"
    app.config["PROPAGATE_EXCEPTIONS"] = False
    with _constrained_store(store_root, mode, monkeypatch) as real:
        if mode == "full" and real:
            first = api_upload(client, code, token, png_bytes(), filename="small.png")
            assert first.status_code == 201, first.get_data(as_text=True)
            big = _noisy_png()
            assert len(big) > 1024 * 1024 or not real
        else:
            big = png_bytes()
        response = api_upload(client, code, token, big, filename="big.png")
        assert response.status_code == 507, response.get_data(as_text=True)
        body = response.get_json()
        assert body["error"] == "storage_unavailable"
        assert "stored" in body["message"]
        # Nothing half-stored: no temporary or partial file left in the store.
        leftovers = [p.name for p in store_root.rglob("*") if p.is_file()]
        expected = 2 if mode == "full" and real else 0  # the small upload's file and thumbnail
        assert len(leftovers) <= expected and not any(n.startswith(".tmp") for n in leftovers)
        # The case is unharmed: answers and earlier evidence intact.
        facts = client.get(f"/api/v1/cases/{code}/facts", headers=auth(token)).get_json()
        assert facts["evidence.images_count"] == 12
        items = client.get(f"/api/v1/cases/{code}/evidence", headers=auth(token)).get_json()
        assert len(items["items"]) == (1 if mode == "full" and real else 0)
    # Once there is room again, uploads work.
    again = api_upload(client, code, token, png_bytes(), filename="later.png")
    assert again.status_code == 201
