"""A single document request names its jurisdiction and language instead of getting a ZIP."""

from __future__ import annotations

import pytest
from api_support import PASSPHRASE


@pytest.fixture
def db_url(instance_path):
    return f"sqlite:///{instance_path / 'caseprep.sqlite3'}"


@pytest.fixture
def case(client):
    created = client.post("/api/v1/cases", json={
        "passphrase": PASSPHRASE, "jurisdictions": ["cn", "us"], "locale": "en"}).get_json()
    return created["code"], {"Authorization": f"Bearer {created['token']}"}


def _generate(client, case, **body):
    code, auth = case
    return client.post(f"/api/v1/cases/{code}/documents",
                       json={"kinds": ["evidence_checklist"], "format": "html", **body},
                       headers=auth)


def test_two_jurisdictions_without_a_name_give_the_packet(client, case):
    response = _generate(client, case)
    assert response.status_code == 200
    assert response.mimetype == "application/zip"


@pytest.mark.parametrize("jurisdiction, lang, html_lang", [
    ("cn", None, "zh"),  # the authority's language: the version for filing
    ("cn", "en", "en"),  # her language, marked not for filing
    ("us", None, "en"),
])
def test_naming_a_jurisdiction_gives_one_file(client, case, jurisdiction, lang, html_lang):
    body = {"jurisdiction": jurisdiction, **({"lang": lang} if lang else {})}
    response = _generate(client, case, **body)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.mimetype == "text/html"
    assert f'lang="{html_lang}' in response.get_data(as_text=True)[:500]


def test_a_jurisdiction_outside_the_case_is_refused(client, case):
    response = _generate(client, case, jurisdiction="kr")
    assert response.status_code == 422
    assert response.get_json()["field"] == "jurisdiction"
