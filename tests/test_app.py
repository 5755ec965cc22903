"""The app factory and the network guard."""

import socket

import pytest

from caseprep.config import ConfigError, load_settings


def test_index_answers(client):
    assert client.get("/").status_code == 200


def test_network_guard_blocks_outside_hosts():
    s = socket.socket()
    try:
        with pytest.raises(AssertionError):
            s.connect(("192.0.2.1", 80))
    finally:
        s.close()


@pytest.mark.parametrize("key", [None, "dev", "short-key"])
def test_production_refuses_missing_or_weak_secret(tmp_path, key):
    settings = load_settings({"env": "production", "instance_path": tmp_path, "secret_key": key})
    with pytest.raises(ConfigError):
        settings.check()


def test_production_refuses_debug(tmp_path):
    settings = load_settings({"env": "production", "instance_path": tmp_path, "debug": True,
                              "secret_key": "x" * 40})
    with pytest.raises(ConfigError, match="DEBUG"):
        settings.check()
