"""docs/deployment.md on loopback: two app servers and a worker on PostgreSQL and Redis.

Server A is one process, server B is `--workers 2` (pre-forked); both run with --no-worker
beside one `caseprep worker`, as the docs' systemd units do. A case made on A is answered
on B, a queued task is run by the worker, and deleting on B ends the case on A.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid

import pytest
from sqlalchemy.engine import make_url

from caseprep import tasks
from caseprep.config import load_settings

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.slow]
PASSPHRASE = "magnolia river 1987 kite"
# A Redis database of its own: the worker consumes the "caseprep" queue, and other tests
# using db 15 at the same time must not have their tasks taken by it.
REDIS_DB = 13


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _call(port: int, method: str, path: str, body=None, token: str | None = None):
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=data,
                                     headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - loopback
            raw = response.read()
            return response.status, json.loads(raw) if raw else None
    except urllib.error.HTTPError as exc:
        return exc.code, None


def _wait_until_serving(port: int, proc: subprocess.Popen, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.stderr.read()
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.5)
    raise AssertionError(f"nothing listens on {port} after {timeout} s")


@pytest.fixture
def deployment_env(postgres_schema_url, redis_url, tmp_path):
    redis = make_url(redis_url.replace("redis://", "postgresql://"))  # parse host and port
    shared_redis = f"redis://{redis.host}:{redis.port or 6379}/{REDIS_DB}"
    env = {**os.environ,
           "CASEPREP_ENV": "production", "CASEPREP_SECRET_KEY": secrets.token_urlsafe(48),
           "CASEPREP_DATABASE_URL": postgres_schema_url, "CASEPREP_REDIS_URL": shared_redis,
           "CASEPREP_INSTANCE_PATH": str(tmp_path / "shared"), "CASEPREP_KDF_N": str(2**12),
           "CASEPREP_LOG_FORMAT": "json"}
    yield env
    settings = load_settings({"instance_path": tmp_path / "shared", "redis_url": shared_redis})
    tasks.make_huey(settings).storage.flush_all()


def _caseprep(*args: str, env: dict) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "caseprep.cli", *args], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_two_servers_and_a_worker_serve_a_case(deployment_env, tmp_path):
    env = deployment_env
    migrate = subprocess.run([sys.executable, "-m", "caseprep.cli", "db", "upgrade"], env=env,
                             capture_output=True, text=True, timeout=120)
    assert migrate.returncode == 0, migrate.stderr
    port_a, port_b = _free_port(), _free_port()
    procs = [_caseprep("serve", "--no-worker", "--port", str(port_a), env=env),
             _caseprep("serve", "--no-worker", "--workers", "2", "--port", str(port_b), env=env),
             _caseprep("worker", "--threads", "1", env=env)]
    try:
        _wait_until_serving(port_a, procs[0])
        _wait_until_serving(port_b, procs[1])

        status, created = _call(port_a, "POST", "/api/v1/cases", {
            "passphrase": PASSPHRASE, "jurisdictions": ["cn"], "locale": "en"})
        assert status == 201
        code, token = created["code"], created["token"]
        path = f"/api/v1/cases/{code}"
        # Several requests to B: the kernel spreads them over both of its processes.
        for value in (3, 40, 500):
            status, facts = _call(port_b, "PATCH", f"{path}/facts",
                                  {"evidence.images_count": value}, token)
            assert status == 200 and facts["evidence.images_count"] == value
        status, assessment = _call(port_a, "GET", f"{path}/assessment", token=token)
        assert status == 200 and assessment["assessments"][0]["routes"]

        # The queue is Redis: a task queued here is run by the worker process.
        settings = load_settings({"instance_path": env["CASEPREP_INSTANCE_PATH"],
                                  "redis_url": env["CASEPREP_REDIS_URL"]})
        tasks.configure(settings)
        marker = uuid.uuid4().hex
        assert tasks.task("ping")(marker).get(blocking=True, timeout=60) == marker

        assert _call(port_b, "DELETE", path, token=token)[0] == 204
        assert _call(port_a, "GET", path, token=token)[0] in (401, 404)
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(timeout=60)
    # Logs are JSON lines and hold no case code.
    assert "with 2 processes" in procs[1].stdout.read()
    server_log = procs[1].stderr.read()
    assert code not in server_log
    for line in filter(None, server_log.splitlines()):
        if line.startswith("{"):
            json.loads(line)


def _children(pid: int) -> list[int]:
    with open(f"/proc/{pid}/task/{pid}/children") as fh:
        return [int(p) for p in fh.read().split()]


@pytest.mark.parametrize("how", ["a server process dies", "SIGTERM"])
def test_the_pre_forked_server_stops_as_one(deployment_env, how):
    """A dead server process stops the lot with exit 1 (the service manager restarts it);
    SIGTERM stops every process with exit 0."""
    port = _free_port()
    proc = _caseprep("serve", "--no-worker", "--workers", "2", "--port", str(port),
                     env=deployment_env)
    try:
        _wait_until_serving(port, proc)
        assert _call(port, "GET", "/api/v1/openapi.json")[0] == 200  # a child answers
        children = _children(proc.pid)
        assert len(children) == 2
        if how == "SIGTERM":
            proc.send_signal(signal.SIGTERM)
            assert proc.wait(timeout=60) == 0
        else:
            os.kill(children[0], signal.SIGKILL)
            assert proc.wait(timeout=60) == 1
        # Every server process was waited for: none is left running or as a zombie.
        assert [c for c in children if os.path.exists(f"/proc/{c}")] == []
    finally:
        if proc.poll() is None:  # the test failed midway: leave no server process behind
            for child in _children(proc.pid):
                os.kill(child, signal.SIGKILL)
            proc.kill()
            proc.wait(timeout=30)
