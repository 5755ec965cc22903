"""Run a command with its stderr on a pseudo-terminal, as a person at a terminal sees it: the
CLI's progress bars show only there (tests of `caseprep generate` and `caseprep evidence`)."""

from __future__ import annotations

import os
import pty
import subprocess


def run_seeing_stderr(command: list[str], env: dict, *, stderr_on_tty: bool,
                      timeout: int) -> tuple[subprocess.CompletedProcess, str]:
    """Run `command`; return the process (stdout captured) and what its stderr showed."""
    if not stderr_on_tty:
        done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=timeout)
        return done, done.stderr
    leader, follower = pty.openpty()
    try:
        done = subprocess.run(command, stdout=subprocess.PIPE, stderr=follower, text=True,
                              env=env, timeout=timeout)
        os.close(follower)
        follower = -1
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the terminal's other end is closed: all of it was read
                break
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(leader)
        if follower != -1:
            os.close(follower)
    return done, b"".join(chunks).decode("utf-8", "replace")
