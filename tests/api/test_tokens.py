"""Bearer tokens: they expire, cannot be forged, and never reach another case."""

import time

from caseprep.api.auth import TOKEN_PURPOSE
from caseprep.cases import crypto


def test_requests_without_a_valid_token_are_401(api):
    code = api.create()["code"]
    for headers in ({}, {"Authorization": "Bearer"}, {"Authorization": "Bearer abc.def"},
                    {"Authorization": "Basic dXNlcjpwYXNz"},
                    {"Authorization": "Bearer " + "A" * 5000}):
        response = api.call("GET", f"/cases/{code}/facts", headers=headers)
        assert response.status_code == 401
        assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_one_case_token_never_reads_another_case(api):
    first, second = api.create(), api.create()
    api.call("PATCH", f"/cases/{second['code']}/facts", second["token"],
             json={"incident.narrative": "second case only"})
    for method, path, kwargs in [
        ("GET", f"/cases/{second['code']}/facts", {}),
        ("PATCH", f"/cases/{second['code']}/facts", {"json": {"incident.narrative": "x"}}),
        ("GET", f"/cases/{second['code']}/assessment", {}),
        ("GET", f"/cases/{second['code']}", {}),
        ("DELETE", f"/cases/{second['code']}", {}),
    ]:
        response = api.call(method, path, first["token"], **kwargs)
        assert response.status_code == 404, (method, path)
    facts = api.call("GET", f"/cases/{second['code']}/facts", second["token"]).get_json()
    assert facts == {"incident.narrative": "second case only"}


def test_token_expires(app, api, monkeypatch):
    created = api.create()
    ttl = app.config["CASEPREP"].api_token_ttl_minutes * 60
    path = f"/cases/{created['code']}/facts"
    assert api.call("GET", path, created["token"]).status_code == 200
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + ttl + 5)
    assert api.call("GET", path, created["token"]).status_code == 401


def test_token_sealed_with_another_secret_is_refused(app, api):
    created = api.create()
    key = crypto.unseal(app.config["SECRET_KEY"], TOKEN_PURPOSE, created["token"])["k"]
    forged = crypto.seal("a different server secret key ........", TOKEN_PURPOSE,
                         {"c": created["code"], "k": key}, 600)
    assert api.call("GET", f"/cases/{created['code']}/facts", forged).status_code == 401


def test_token_with_a_wrong_key_is_refused(app, api):
    created = api.create()
    forged = crypto.seal(app.config["SECRET_KEY"], TOKEN_PURPOSE,
                         {"c": created["code"], "k": crypto.b64encode_key(bytes(32))}, 600)
    assert api.call("GET", f"/cases/{created['code']}/facts", forged).status_code == 401


def test_token_carries_no_readable_key(app, api):
    created = api.create()
    body = crypto.unseal(app.config["SECRET_KEY"], TOKEN_PURPOSE, created["token"])
    assert body["k"] not in created["token"]
    assert created["code"] not in created["token"]


def test_path_code_matches_in_any_form(api):
    created = api.create()
    loose = created["code"].lower().replace("-", "")
    assert api.call("GET", f"/cases/{loose}/facts", created["token"]).status_code == 200
