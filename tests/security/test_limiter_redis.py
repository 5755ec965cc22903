"""Rate limits held in Redis are shared by several app servers (here: two processes)."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

HELPER = Path(__file__).with_name("_limited_app.py")
ROOT = Path(__file__).resolve().parents[2]


def _server_process(tmp_path, storage_url, route_id, hits, name):
    instance = tmp_path / name
    instance.mkdir()
    out = subprocess.run(
        [sys.executable, str(HELPER), str(instance), storage_url, route_id, str(hits)],
        capture_output=True, text=True, timeout=60, cwd=ROOT, check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _in_this_process(tmp_path, storage_url, route_id, hits):
    """The first "app server": this test process (its own Limiter storage)."""
    import contextlib
    import io

    from tests.security import _limited_app

    out = io.StringIO()
    instance = tmp_path / "here"
    instance.mkdir()
    with contextlib.redirect_stdout(out):
        _limited_app.main(str(instance), storage_url, route_id, hits)
    return json.loads(out.getvalue().strip().splitlines()[-1])


@pytest.mark.redis
def test_limit_is_shared_across_processes_through_redis(tmp_path, redis_url):
    route_id = uuid.uuid4().hex
    first = _in_this_process(tmp_path, redis_url, route_id, 3)
    second = _server_process(tmp_path, redis_url, route_id, 2, "b")
    assert first == [200, 200, 200]
    assert second == [429, 429]  # the other server already used this client's allowance


def test_memory_storage_is_per_process(tmp_path):
    """The contrast that shows the Redis test can fail: memory limits are not shared."""
    route_id = uuid.uuid4().hex
    first = _in_this_process(tmp_path, "memory://", route_id, 4)
    second = _server_process(tmp_path, "memory://", route_id, 1, "b")
    assert first == [200, 200, 200, 429]
    assert second == [200]


@pytest.mark.redis
def test_app_uses_redis_storage_when_configured(app_config, redis_url):
    from limits.storage import RedisStorage

    from caseprep import create_app
    from caseprep.appshell.extensions import limiter

    create_app({**app_config, "redis_url": redis_url})
    assert isinstance(limiter._storage, RedisStorage)
    assert limiter._storage.check()  # Redis answers
