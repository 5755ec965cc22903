"""Several server processes on one listening socket (`caseprep serve --workers N`).

One Python process uses one core (the GIL), so a machine with N cores needs N processes.
The app is built once in the parent (start-up paid once; the frozen objects are shared
copy-on-write, see caseprep.serving), the socket is bound once, then N children are forked
and each runs Waitress on the inherited socket: the kernel hands every connection to one
of them. Processes share nothing in memory, which is why `serve` refuses N > 1 without
Redis for the rate limits and the task queue. If a child dies the parent stops the others
and exits non-zero, so the service manager (systemd: Restart=on-failure) restarts the lot.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import sys
from collections.abc import Callable

from flask import Flask


class _Stop(Exception):
    """Raised in the parent by SIGTERM/SIGINT."""


def bind(host: str, port: int) -> socket.socket:
    """The listening socket every child inherits."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(1024)
    sock.setblocking(False)
    return sock


def serve_forked(app: Flask, sock: socket.socket, processes: int,
                 run: Callable[[Flask, socket.socket], None],
                 in_parent: Callable[[], Callable[[], None] | None] | None = None) -> int:
    """Fork `processes` children running `run(app, sock)`; wait; return the exit status.

    `in_parent` is called once the children exist (threads must not be started before a
    fork) and may return a function called on the way out (e.g. to stop a task consumer).
    """
    def stop(_signum, _frame):
        raise _Stop

    # Handlers first: a SIGTERM during start-up must still stop the children (each child
    # puts the default back as its first step).
    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    children: list[int] = []
    cleanup = None
    status = 0
    try:
        for _ in range(processes):
            children.append(_fork_child(app, sock, run))
        cleanup = in_parent() if in_parent else None
        pid, _ = os.wait()  # any child ending on its own is a failure
        children.remove(pid)
        print(f"caseprep: server process {pid} exited; stopping the others", file=sys.stderr)
        status = 1
    except _Stop:
        pass
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        _stop_children(children)
        if cleanup:
            cleanup()
    return status


def _fork_child(app: Flask, sock: socket.socket, run) -> int:
    pid = os.fork()
    if pid:
        return pid
    code = 0
    try:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when to stop
        # Pooled database connections were opened in the parent: never share a socket.
        app.extensions["caseprep.engine"].dispose(close=False)
        run(app, sock)
    except BaseException:  # noqa: BLE001 - a child must never return into the parent's code
        code = 1
    os._exit(code)


def _stop_children(children: list[int]) -> None:
    for pid in children:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
    for pid in children:
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, 0)
