"""Brute force of resume (web form and API): the limits hold, per client and per case code,
across both doors, and the real passphrase works again once the window has passed."""

from __future__ import annotations

import statistics
import time

import pytest

PASSPHRASE = "willow harbour 2231 lantern"
WINDOW_SECONDS = 2


@pytest.fixture
def short_window_app(app_config):
    from caseprep import create_app

    app = create_app({**app_config,
                      "resume_limit_per_client": f"4 per {WINDOW_SECONDS} seconds",
                      "resume_limit_per_code": f"3 per {WINDOW_SECONDS} seconds"})
    app.config["WTF_CSRF_ENABLED"] = False  # the CSRF attacks have their own tests
    return app


def _create_case(app, passphrase=PASSPHRASE) -> str:
    from caseprep.appshell.extensions import get_db
    from caseprep.cases import service

    with app.app_context():
        case = service.create_case(get_db(), app.config["CASEPREP"], passphrase, ["cn"], "en")
        return case.code


def _web(client, code, passphrase, ip):
    return client.post("/resume", data={"code": code, "passphrase": passphrase},
                       environ_base={"REMOTE_ADDR": ip})


def _api(client, code, passphrase, ip):
    return client.post("/api/v1/sessions", json={"code": code, "passphrase": passphrase},
                       environ_base={"REMOTE_ADDR": ip})


def test_web_form_locks_out_then_the_real_passphrase_works(short_window_app):
    app = short_window_app
    code = _create_case(app)
    client = app.test_client()
    wrong = [_web(client, code, "guess number one", "10.1.0.1").status_code for _ in range(3)]
    assert wrong == [401, 401, 401]
    locked = _web(client, code, PASSPHRASE, "10.1.0.2")  # right pair, other address: per code
    assert locked.status_code == 429
    assert "Retry-After" in locked.headers
    assert PASSPHRASE not in locked.get_data(as_text=True)
    time.sleep(WINDOW_SECONDS + 0.3)
    opened = _web(client, code, PASSPHRASE, "10.1.0.2")
    assert opened.status_code == 303  # into the case


def test_web_and_api_share_the_per_code_allowance(short_window_app):
    app = short_window_app
    code = _create_case(app)
    client = app.test_client()
    assert _web(client, code, "guess one two three", "10.2.0.1").status_code == 401
    assert _api(client, code, "guess one two three", "10.2.0.2").status_code == 401
    assert _web(client, code.lower(), "guess one two three", "10.2.0.3").status_code == 401
    # A fourth attempt by either door, from a fresh address, with the code typed loosely.
    assert _api(client, code.replace("-", " "), PASSPHRASE, "10.2.0.4").status_code == 429
    assert _web(client, code, PASSPHRASE, "10.2.0.5").status_code == 429


def test_per_client_limit_spans_codes(short_window_app):
    app = short_window_app
    client = app.test_client()
    statuses = [_web(client, f"ZZZZ-ZZZZ-ZZZZ-ZZ{i:02d}", "x y z w v", "10.3.0.1").status_code
                for i in range(5)]
    assert statuses == [401, 401, 401, 401, 429]
    assert _web(client, "ZZZZ-ZZZZ-ZZZZ-ZZ99", "x y z w v", "10.3.0.2").status_code == 401


def test_right_passphrase_uses_no_allowance(short_window_app):
    app = short_window_app
    code = _create_case(app)
    client = app.test_client()
    assert [_api(client, code, PASSPHRASE, "10.4.0.1").status_code for _ in range(6)] == [200] * 6


def test_unknown_code_and_wrong_passphrase_look_the_same(app_config):
    """Same status and page whether or not the code exists; timing within a small factor."""
    from caseprep import create_app

    app = create_app({**app_config, "kdf_n": 2**14,
                      "resume_limit_per_client": "1000 per minute",
                      "resume_limit_per_code": "1000 per minute"})
    app.config["WTF_CSRF_ENABLED"] = False
    code = _create_case(app)
    client = app.test_client()
    wrong_pass = _web(client, code, "not the passphrase", "10.5.0.1")
    no_case = _web(client, "ZZZZ-ZZZZ-ZZZZ-ZZZZ", "not the passphrase", "10.5.0.1")
    assert wrong_pass.status_code == no_case.status_code == 401
    assert _strip_code(wrong_pass, code) == _strip_code(no_case, "ZZZZ-ZZZZ-ZZZZ-ZZZZ")
    api_wrong = _api(client, code, "not the passphrase", "10.5.0.1")
    api_none = _api(client, "ZZZZ-ZZZZ-ZZZZ-ZZZZ", "not the passphrase", "10.5.0.1")
    assert api_wrong.status_code == api_none.status_code == 401
    assert api_wrong.get_json() == api_none.get_json()

    def median_ms(code_to_try):
        times = []
        for _ in range(9):
            started = time.perf_counter()
            _api(client, code_to_try, "not the passphrase", "10.5.0.2")
            times.append((time.perf_counter() - started) * 1000)
        return statistics.median(times)

    existing, missing = median_ms(code), median_ms("ZZZZ-ZZZZ-ZZZZ-ZZZZ")
    assert 0.6 < existing / missing < 1.6, (existing, missing)


def _strip_code(response, code):
    """The page with the typed code removed (the form echoes what she typed)."""
    import re

    body = response.get_data(as_text=True).replace(code, "")
    return re.sub(r'name="csrf_token"[^>]*>', "", body)
