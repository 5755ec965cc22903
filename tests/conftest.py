"""Shared fixtures: app -> client; guards that fail any test reaching outside the machine."""

from __future__ import annotations

import ipaddress
import os
import socket
import uuid

import pytest

_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex
_real_getaddrinfo = socket.getaddrinfo
_real_sendto = socket.socket.sendto


def _is_local(address) -> bool:
    if isinstance(address, (str, bytes)):  # AF_UNIX path
        return True
    host = address[0]
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class NetworkAccessError(AssertionError):
    """A test tried to reach a host that is not this machine."""


def _guarded_connect(self, address):
    if not _is_local(address):
        raise NetworkAccessError(f"network access attempted during tests: {address!r}")
    return _real_connect(self, address)


def _guarded_connect_ex(self, address):
    if not _is_local(address):
        raise NetworkAccessError(f"network access attempted during tests: {address!r}")
    return _real_connect_ex(self, address)


def _guarded_sendto(self, data, *args):
    address = args[-1]  # sendto(data, address) or sendto(data, flags, address)
    if not _is_local(address):
        raise NetworkAccessError(f"network access attempted during tests: {address!r}")
    return _real_sendto(self, data, *args)


def _guarded_getaddrinfo(host, *args, **kwargs):
    if host not in (None, "localhost") and not _looks_loopback(host):
        raise NetworkAccessError(f"DNS lookup attempted during tests: {host!r}")
    return _real_getaddrinfo(host, *args, **kwargs)


def _looks_loopback(host) -> bool:
    try:
        return ipaddress.ip_address(host if isinstance(host, str) else host.decode()).is_loopback
    except ValueError:
        return False


@pytest.fixture(autouse=True)
def disallow_network(monkeypatch):
    """Fail the test on any connection or DNS lookup beyond loopback (Indico's idea)."""
    monkeypatch.setattr(socket.socket, "connect", _guarded_connect)
    monkeypatch.setattr(socket.socket, "connect_ex", _guarded_connect_ex)
    monkeypatch.setattr(socket.socket, "sendto", _guarded_sendto)  # UDP, e.g. raw DNS
    monkeypatch.setattr(socket, "getaddrinfo", _guarded_getaddrinfo)
    yield


@pytest.fixture
def instance_path(tmp_path):
    path = tmp_path / "instance"
    path.mkdir()
    return path


@pytest.fixture
def app_config(instance_path):
    """Settings overrides for a test app; low KDF cost keeps the suite fast."""
    return {"instance_path": instance_path, "env": "testing", "kdf_n": 2**12}


@pytest.fixture
def app(app_config):
    from caseprep import create_app

    return create_app(app_config)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def postgres_url():
    url = os.environ.get("CASEPREP_TEST_POSTGRES_URL")
    if not url:
        _skip_or_fail("CASEPREP_TEST_POSTGRES_URL not set (no PostgreSQL server answered)")
    return url


@pytest.fixture
def redis_url():
    url = os.environ.get("CASEPREP_TEST_REDIS_URL")
    if not url:
        _skip_or_fail("CASEPREP_TEST_REDIS_URL not set (no Redis server answered)")
    return url


def _skip_or_fail(reason: str) -> None:
    """Skip on a developer's machine; fail in CI (CI=true), where a missing server means
    a broken pipeline, not a test that may be left out."""
    if os.environ.get("CI", "").lower() in ("true", "1"):
        pytest.fail(f"{reason}; CI=true requires it", pytrace=False)
    pytest.skip(reason)


@pytest.fixture
def postgres_schema_url(postgres_url):
    """A PostgreSQL URL whose connections use a schema of their own, dropped after the test.

    A schema per test is much faster than a database per test, and lets xdist workers run
    side by side; search_path points every connection (Alembic's too) at it.
    """
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    name = f"caseprep_test_{uuid.uuid4().hex[:16]}"
    admin = create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{name}"')
    try:
        url = make_url(postgres_url).update_query_dict({"options": f"-csearch_path={name}"})
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')
        admin.dispose()
