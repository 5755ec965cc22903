"""Issue 13, item 9: concurrent guesses cannot overshoot the per-code limit.

Thirty wrong passphrases for one code arrive at once. Before, every one passed the limit's
check before the first failure was counted, and a limit of 5 let 17 through; now at most
5 are tried and the rest get 429."""

from __future__ import annotations

import threading

import pytest

from tests.security.helpers import PASSPHRASE


@pytest.fixture
def app_config(app_config):
    return {**app_config, "kdf_n": 2**14, "resume_limit_per_code": "5 per minute",
            "resume_limit_per_client": "1000 per minute"}


def _create(app) -> str:
    from caseprep.appshell.extensions import get_db
    from caseprep.cases import service

    with app.app_context():
        return service.create_case(get_db(), app.config["CASEPREP"], PASSPHRASE, ["cn"],
                                   "en").code


def test_thirty_concurrent_guesses_are_held_to_the_limit(app):
    code = _create(app)
    statuses: list[int] = []
    start = threading.Barrier(30)

    def guess(i: int) -> None:
        client = app.test_client()
        start.wait()
        response = client.post("/api/v1/sessions", json={"code": code,
                                                         "passphrase": f"wrong guess {i}"},
                               environ_base={"REMOTE_ADDR": f"10.1.0.{i}"})
        statuses.append(response.status_code)

    threads = [threading.Thread(target=guess, args=(i,)) for i in range(30)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert len(statuses) == 30
    assert statuses.count(401) == 5, sorted(statuses)
    assert statuses.count(429) == 25
