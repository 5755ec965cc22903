"""The case routes of /api/v1 (issue 3, "JSON API": these shapes are a contract)."""

import re

import pytest
from api_support import PASSPHRASE

CODE_RE = re.compile(r"^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$")


def test_create_case_returns_code_and_working_token(api):
    created = api.create()
    assert CODE_RE.match(created["code"])
    assert created["retention_days"] > 0
    response = api.call("GET", f"/cases/{created['code']}", created["token"])
    assert response.status_code == 200
    assert response.get_json()["jurisdictions"] == ["cn"]
    assert response.get_json()["locale"] == "zh_Hans"


@pytest.mark.parametrize("body, field", [
    ({"jurisdictions": ["cn"]}, "passphrase"),
    ({"passphrase": "short", "jurisdictions": ["cn"]}, "passphrase"),
    ({"passphrase": PASSPHRASE, "jurisdictions": []}, "jurisdictions"),
    ({"passphrase": PASSPHRASE, "jurisdictions": ["atlantis"]}, "jurisdictions"),
    ({"passphrase": PASSPHRASE, "jurisdictions": "cn"}, "jurisdictions"),
    ({"passphrase": PASSPHRASE, "jurisdictions": ["cn"], "locale": "xx"}, "locale"),
])
def test_create_case_refuses_bad_input(api, body, field):
    response = api.call("POST", "/cases", json=body)
    assert response.status_code == 422
    assert response.get_json()["field"] == field


def test_create_case_needs_json(api):
    response = api.call("POST", "/cases", data="passphrase=x",
                        content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert response.get_json()["error"] == "bad_request"


def test_session_with_code_in_any_form(api):
    created = api.create()
    loose = created["code"].lower().replace("-", " ")
    response = api.call("POST", "/sessions", json={"code": loose, "passphrase": PASSPHRASE})
    assert response.status_code == 200
    token = response.get_json()["token"]
    assert api.call("GET", f"/cases/{created['code']}/facts", token).status_code == 200


def test_wrong_pair_gets_the_same_401_whether_or_not_the_code_exists(api):
    created = api.create()
    wrong_pass = api.call("POST", "/sessions", json={"code": created["code"],
                                                     "passphrase": "not it at all"})
    no_such_code = api.call("POST", "/sessions", json={"code": "ZZZZ-ZZZZ-ZZZZ-ZZZZ",
                                                       "passphrase": PASSPHRASE})
    malformed = api.call("POST", "/sessions", json={"code": "nonsense", "passphrase": "x"})
    assert wrong_pass.status_code == no_such_code.status_code == malformed.status_code == 401
    assert wrong_pass.data == no_such_code.data == malformed.data
    assert wrong_pass.headers["WWW-Authenticate"] == no_such_code.headers["WWW-Authenticate"]


def test_facts_get_patch_and_unset(api):
    created = api.create()
    code, token = created["code"], created["token"]
    assert api.call("GET", f"/cases/{code}/facts", token).get_json() == {}
    response = api.call("PATCH", f"/cases/{code}/facts", token, json={
        "evidence.images_count": 34, "content.kinds": ["everyday_photo"],
        "incident.first_known": "2026-03-01", "distribution.for_profit": False,
    })
    assert response.status_code == 200
    assert response.get_json() == {"evidence.images_count": 34,
                                   "content.kinds": ["everyday_photo"],
                                   "incident.first_known": "2026-03-01",
                                   "distribution.for_profit": False}
    response = api.call("PATCH", f"/cases/{code}/facts", token,
                        json={"distribution.for_profit": None, "evidence.images_count": "40"})
    assert response.get_json() == {"evidence.images_count": 40,
                                   "content.kinds": ["everyday_photo"],
                                   "incident.first_known": "2026-03-01"}
    assert api.call("GET", f"/cases/{code}/facts", token).get_json() == response.get_json()


@pytest.mark.parametrize("patch, fact", [
    ({"no.such_fact": True}, "no.such_fact"),
    ({"evidence.images_count": "lots"}, "evidence.images_count"),
    ({"evidence.images_count": -3}, "evidence.images_count"),
    ({"content.kinds": ["not_a_kind"]}, "content.kinds"),
    ({"incident.first_known": "last spring"}, "incident.first_known"),
    ({"distribution.for_profit": "maybe"}, "distribution.for_profit"),
])
def test_bad_fact_is_422_naming_it_and_saves_nothing(api, patch, fact):
    created = api.create()
    code, token = created["code"], created["token"]
    api.call("PATCH", f"/cases/{code}/facts", token, json={"evidence.images_count": 1})
    response = api.call("PATCH", f"/cases/{code}/facts", token,
                        json={"victim.is_minor": False, **patch})
    assert response.status_code == 422
    assert response.get_json()["error"] == "invalid_fact"
    assert response.get_json()["fact"] == fact
    assert api.call("GET", f"/cases/{code}/facts", token).get_json() == {
        "evidence.images_count": 1}


def test_patch_needs_an_object(api):
    created = api.create()
    response = api.call("PATCH", f"/cases/{created['code']}/facts", created["token"],
                        json=["evidence.images_count", 3])
    assert response.status_code == 400


def test_assessment_for_the_motivating_case(api):
    created = api.create(locale="en")
    code, token = created["code"], created["token"]
    api.call("PATCH", f"/cases/{code}/facts", token, json={
        "content.kinds": ["everyday_photo"], "content.shared_with_consent": False,
        "distribution.for_profit": False, "evidence.images_count": 34,
    })
    response = api.call("GET", f"/cases/{code}/assessment", token)
    assert response.status_code == 200
    [cn] = response.get_json()["assessments"]
    assert cn["jurisdiction"] == "cn" and cn["routes"] and "next_questions" in cn
    statuses = {r["status"] for r in cn["routes"]}
    assert statuses <= {"met", "not_met", "unknown"}
    gaps = [g for r in cn["routes"] for g in r["gaps"] if g["fact"] == "evidence.images_count"]
    assert gaps and all(g["have"] == 34 and g["need"] > 34 for g in gaps)
    zh = api.call("GET", f"/cases/{code}/assessment?lang=zh_Hans", token).get_json()
    assert zh["assessments"][0]["name"] != cn["name"]
    assert api.call("GET", f"/cases/{code}/assessment?lang=fr", token).status_code == 422


def test_assessment_covers_every_chosen_jurisdiction(api):
    created = api.create(jurisdictions=["cn", "us"])
    response = api.call("GET", f"/cases/{created['code']}/assessment", created["token"])
    assert [a["jurisdiction"] for a in response.get_json()["assessments"]] == ["cn", "us"]


def test_delete_case(api):
    created = api.create()
    code, token = created["code"], created["token"]
    api.call("PATCH", f"/cases/{code}/facts", token, json={"incident.narrative": "bye"})
    response = api.call("DELETE", f"/cases/{code}", token)
    assert response.status_code == 204 and response.data == b""
    # The token's server-side session went with the case (issue 13, High 4).
    assert api.call("GET", f"/cases/{code}/facts", token).status_code == 401
    again = api.call("POST", "/sessions", json={"code": code, "passphrase": PASSPHRASE})
    assert again.status_code == 401


def test_errors_are_json(api):
    response = api.call("GET", "/cases/ZZZZ-ZZZZ-ZZZZ-ZZZZ/facts")
    assert response.status_code == 401
    assert response.is_json and response.get_json()["error"] == "unauthorized"


def test_api_is_exempt_from_csrf_while_the_site_is_not(app, api):
    assert app.config.get("WTF_CSRF_ENABLED", True) is not False
    created = api.create()  # no CSRF token sent
    assert created["code"]


def test_change_passphrase(api):
    created = api.create()
    code, token = created["code"], created["token"]
    api.call("PATCH", f"/cases/{code}/facts", token, json={"incident.narrative": "kept"})
    path = f"/cases/{code}/passphrase"
    wrong = api.call("PUT", path, token, json={"old_passphrase": "nope nope nope",
                                               "new_passphrase": "brand new phrase"})
    assert wrong.status_code == 403
    short = api.call("PUT", path, token, json={"old_passphrase": PASSPHRASE,
                                               "new_passphrase": "short"})
    assert short.status_code == 422 and short.get_json()["field"] == "new_passphrase"
    done = api.call("PUT", path, token, json={"old_passphrase": PASSPHRASE,
                                              "new_passphrase": "brand new phrase"})
    assert done.status_code == 204
    old = api.call("POST", "/sessions", json={"code": code, "passphrase": PASSPHRASE})
    assert old.status_code == 401
    new = api.call("POST", "/sessions", json={"code": code, "passphrase": "brand new phrase"})
    assert new.status_code == 200
    facts = api.call("GET", f"/cases/{code}/facts", new.get_json()["token"]).get_json()
    assert facts == {"incident.narrative": "kept"}


def test_oversized_answers_are_refused(api):
    created = api.create()
    path = f"/cases/{created['code']}/facts"
    too_long = api.call("PATCH", path, created["token"], json={"incident.narrative": "字" * 20001})
    assert too_long.status_code == 422 and too_long.get_json()["fact"] == "incident.narrative"
    huge = api.call("PATCH", path, created["token"],
                    data='{"incident.narrative": "' + "x" * 300_000 + '"}',
                    content_type="application/json")
    assert huge.status_code == 413 and huge.is_json
    assert api.call("GET", path, created["token"]).get_json() == {}
