"""`caseprep serve` as a real subprocess on a free loopback port, for fault tests.

The fault tests kill it with SIGKILL mid-request and start it again on the same instance
folder, as a power cut or an OOM kill would.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveServer:
    """One `caseprep serve` process; `start`, `kill9`, `stop`, `url(path)`."""

    def __init__(self, instance: Path, env: dict | None = None, threads: int = 4):
        self.instance = instance
        self.port = free_port()
        self.threads = threads
        self.env = {**os.environ, "CASEPREP_KDF_N": str(2**10), "CASEPREP_ENV": "development",
                    "CASEPREP_ORPHAN_GRACE_MINUTES": "0",
                    # Fault tests upload in tight loops from one address; the upload rate
                    # limit has its own test (tests/security/test_upload_limits.py).
                    "CASEPREP_UPLOAD_LIMIT_PER_CLIENT": "100000 per minute",
                    **(env or {})}
        self.proc: subprocess.Popen | None = None
        self.log_path = instance.parent / f"server-{self.port}.log"

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def start(self, timeout: float = 30) -> LiveServer:
        self.instance.mkdir(parents=True, exist_ok=True)
        log = open(self.log_path, "ab")  # noqa: SIM115 - kept open for the child
        self.proc = subprocess.Popen(
            [sys.executable, "-c", "from caseprep.cli import main; main()", "serve",
             "--port", str(self.port), "--instance", str(self.instance),
             "--threads", str(self.threads)],
            cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited: {self.log_path.read_text()[-3000:]}")
            try:
                requests.get(self.url("/api/v1/openapi.json"), timeout=1)
                return self
            except requests.ConnectionError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"server did not answer: {self.log_path.read_text()[-3000:]}")

    def kill9(self) -> None:
        """SIGKILL: no clean-up handler, no flush, as a power cut or an OOM kill."""
        if self.proc and self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill9()

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
