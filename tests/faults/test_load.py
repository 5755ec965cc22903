"""A bounded load test on loopback: concurrent wizard sessions against `caseprep serve`,
zero errors, and every session's last answers found afterwards. The one-minute run with
more sessions is bench/bench_load.py."""

from __future__ import annotations

import pytest

from tests.faults.live_server import LiveServer
from tests.faults.load_driver import read_back, run_load, summary

SESSIONS = 24  # more than the 20 cases per address per hour: needs the proxy set-up
SECONDS = 8


@pytest.mark.slow
def test_concurrent_wizard_sessions_lose_nothing(tmp_path):
    server = LiveServer(tmp_path / "instance", threads=8,
                        env={"CASEPREP_TRUSTED_PROXIES": "1"}).start()
    try:
        results = run_load(server.url(""), SESSIONS, SECONDS)
        figures = summary(results, SECONDS)
        errors = [(r.address, r.errors[:3]) for r in results if r.errors]
        assert errors == [], errors
        assert all(r.code for r in results)
        assert figures["saves"] >= SESSIONS * 2, figures  # every session saved, twice at least
        for result in results:
            stored = read_back(server.url(""), result)
            for fact, value in result.saved.items():
                assert stored.get(fact) == value, (result.code, fact, stored.get(fact), value)
    finally:
        server.stop()
