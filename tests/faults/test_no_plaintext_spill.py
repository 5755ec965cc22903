"""Issue 13, High 2: a 20 MB upload and its download never touch a file in clear.

A real `caseprep serve` process (Waitress) receives a 20 MB file sent slowly, and sends it
back to a slow reader, so the server's body buffers and the download spool fill up. While
the bytes move, every file the process holds open (deleted temporary files included, read
through /proc/<pid>/fd) is searched for a marker the file carries every 64 KB; so are the
system temp folder and the instance folder afterwards.
"""

from __future__ import annotations

import os
import re
import secrets
import threading
import time
from pathlib import Path

import pytest
import requests

from tests.faults.live_server import LiveServer

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc")]

SIZE = 20 * 1024 * 1024
PASSPHRASE = "orchid tunnel 5521 velvet"


def _body(marker: bytes) -> bytes:
    block = (marker + b" ") * (65536 // (len(marker) + 1))
    data = b"%PDF-1.4\n" + block * (SIZE // len(block))
    return data


class _FdScanner(threading.Thread):
    """Reads every regular file `pid` has open, again and again, looking for `marker`."""

    def __init__(self, pid: int, marker: bytes):
        super().__init__(daemon=True)
        self.pid, self.marker = pid, marker
        self.stop = threading.Event()
        self.found: list[str] = []
        self.files_seen: set[str] = set()
        self.rounds = 0

    def run(self) -> None:
        while not self.stop.is_set():
            fd_dir = Path(f"/proc/{self.pid}/fd")
            for fd in list(fd_dir.iterdir()) if fd_dir.exists() else []:
                try:
                    target = os.readlink(fd)
                    if not target.startswith("/") or target.startswith("/dev/"):
                        continue
                    with open(fd, "rb") as fh:
                        data = fh.read()
                except OSError:
                    continue
                self.files_seen.add(target)
                if self.marker in data:
                    self.found.append(target)
            self.rounds += 1
            time.sleep(0.02)


class _SlowMultipart:
    """A multipart body with one file, read by `requests` a megabyte at a time, slowly."""

    def __init__(self, data: bytes, boundary: str, delay: float):
        head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\n"
                f"document\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; "
                f"filename=\"scan.pdf\"\r\nContent-Type: application/pdf\r\n\r\n").encode()
        self._body = memoryview(head + data + f"\r\n--{boundary}--\r\n".encode())
        self._pos, self._delay = 0, delay

    def __len__(self) -> int:
        return len(self._body)

    def read(self, size: int = -1) -> bytes:
        size = min(size if size > 0 else 1 << 20, 1 << 20)
        chunk = bytes(self._body[self._pos:self._pos + size])
        self._pos += len(chunk)
        if chunk:
            time.sleep(self._delay)
        return chunk


def _login(server: LiveServer, code: str) -> requests.Session:
    browser = requests.Session()
    page = browser.get(server.url("/resume")).text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    response = browser.post(server.url("/resume"), data={
        "csrf_token": token, "code": code, "passphrase": PASSPHRASE}, allow_redirects=False)
    assert response.status_code == 303, response.status_code
    return browser


def _files_with(folder: Path, marker: bytes) -> list[str]:
    return [str(p) for p in folder.rglob("*") if p.is_file() and marker in p.read_bytes()]


def test_a_20_mb_transfer_leaves_no_plaintext_in_any_open_file(tmp_path):
    system_tmp = tmp_path / "systmp"
    system_tmp.mkdir()
    server = LiveServer(tmp_path / "instance", env={
        "TMPDIR": str(system_tmp), "CASEPREP_MAX_UPLOAD_BYTES": str(40 * 1024 * 1024)})
    server.start()
    marker = b"MARK" + secrets.token_hex(12).encode()
    data = _body(marker)
    try:
        created = requests.post(server.url("/api/v1/cases"), json={
            "passphrase": PASSPHRASE, "jurisdictions": ["cn"], "locale": "en"}).json()
        scanner = _FdScanner(server.proc.pid, marker)
        scanner.start()
        boundary = secrets.token_hex(8)
        response = requests.post(
            server.url(f"/api/v1/cases/{created['code']}/evidence"),
            data=_SlowMultipart(data, boundary, delay=0.05), headers={
                "Authorization": f"Bearer {created['token']}",
                "Content-Type": f"multipart/form-data; boundary={boundary}"})
        assert response.status_code == 201, response.text[:500]
        item_id = response.json()["id"]

        browser = _login(server, created["code"])
        with browser.get(server.url(f"/evidence/{item_id}/file"), stream=True) as download:
            assert download.status_code == 200
            received = bytearray()
            for chunk in download.iter_content(256 * 1024):
                received += chunk
                time.sleep(0.02)  # a slow phone: the server's output buffer fills up
        scanner.stop.set()
        scanner.join(timeout=10)
        assert bytes(received) == data
        assert scanner.rounds > 20, "the scan must run while the bytes move"
        # The premise: the server did spill to the system temp folder (Waitress's buffers,
        # the download spool), so plaintext there would have been caught.
        assert any(f.startswith(str(system_tmp)) for f in scanner.files_seen), \
            sorted(scanner.files_seen)
        assert scanner.found == [], f"marker in open files: {sorted(set(scanner.found))}"
        assert _files_with(system_tmp, marker) == []
        assert _files_with(tmp_path / "instance", marker) == []
    finally:
        server.stop()
