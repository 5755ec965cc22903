"""Rate limits on POST /sessions (per client and per case code) and POST /cases."""

import random
import time

import pytest
from api_support import PASSPHRASE


def _ip():
    return f"10.{random.randint(0, 255)}.{random.randint(0, 255)}.{random.randint(1, 254)}"


def _attempt(api, code, passphrase="wrong wrong wrong", ip="10.0.0.1"):
    return api.client.post("/api/v1/sessions", json={"code": code, "passphrase": passphrase},
                           environ_base={"REMOTE_ADDR": ip})


def test_sessions_limited_per_client(api):
    ip = _ip()
    statuses = [_attempt(api, f"ZZZZ-ZZZZ-ZZZZ-ZZ{i:02d}", ip=ip).status_code for i in range(12)]
    assert statuses[:10] == [401] * 10
    assert statuses[10:] == [429, 429]
    other_client = _attempt(api, "ZZZZ-ZZZZ-ZZZZ-ZZZZ", ip=_ip())
    assert other_client.status_code == 401


def test_sessions_limited_per_case_code_across_clients(api):
    created = api.create(REMOTE_ADDR=_ip())
    statuses = [_attempt(api, created["code"], ip=_ip()).status_code for _ in range(6)]
    assert statuses == [401] * 5 + [429]
    # the same code typed differently is the same code
    loose = created["code"].lower().replace("-", "")
    locked = _attempt(api, loose, PASSPHRASE, ip=_ip())
    assert locked.status_code == 429 and locked.is_json
    assert locked.get_json()["error"] == "too_many_requests"


def test_real_passphrase_works_after_the_lockout(api, monkeypatch):
    created = api.create(REMOTE_ADDR=_ip())
    for _ in range(5):
        _attempt(api, created["code"], ip=_ip())
    assert _attempt(api, created["code"], PASSPHRASE, ip=_ip()).status_code == 429
    real_time, real_monotonic = time.time, time.monotonic
    monkeypatch.setattr(time, "time", lambda: real_time() + 61)
    monkeypatch.setattr(time, "monotonic", lambda: real_monotonic() + 61)
    assert _attempt(api, created["code"], PASSPHRASE, ip=_ip()).status_code == 200


def test_unknown_codes_are_limited_like_real_ones(api):
    statuses = [_attempt(api, "ABCD-EFGH-JKMN-PQRS", ip=_ip()).status_code for _ in range(6)]
    assert statuses == [401] * 5 + [429]


def test_case_creation_limited_per_client(api):
    ip = _ip()
    statuses = []
    for _ in range(21):
        response = api.client.post("/api/v1/cases", json={
            "passphrase": "x", "jurisdictions": ["cn"]}, environ_base={"REMOTE_ADDR": ip})
        statuses.append(response.status_code)
    assert statuses == [422] * 20 + [429]


@pytest.mark.redis
def test_limits_shared_through_redis(app_config, instance_path, redis_url):
    """Two app servers on one Redis: attempts on one count on the other."""
    import redis

    from caseprep import create_app

    config = {**app_config, "redis_url": redis_url}
    first = create_app(config).test_client()
    second = create_app(config).test_client()
    code = "".join(random.choice("ABCDEFGHJKMNPQRSTVWXYZ") for _ in range(16))
    for client in (first, second, first, second, first):
        response = client.post("/api/v1/sessions", json={"code": code, "passphrase": "wrong"},
                               environ_base={"REMOTE_ADDR": _ip()})
        assert response.status_code == 401
    response = second.post("/api/v1/sessions", json={"code": code, "passphrase": "wrong"},
                           environ_base={"REMOTE_ADDR": _ip()})
    assert response.status_code == 429
    # the counter lives in Redis (so it holds across processes), keyed by a digest of the
    # typed code, never the code itself (Flask-Limiter logs its keys)
    store = redis.Redis.from_url(redis_url)
    from caseprep.appshell.security import case_code_key
    from caseprep.cases.codes import normalize_code

    assert list(store.scan_iter(match=f"*{case_code_key(code)}*"))
    assert not list(store.scan_iter(match=f"*{normalize_code(code)}*"))
