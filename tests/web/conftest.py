"""Web fixtures: an app on a private rules folder (the real facts catalog plus a test rule
file), and helpers that open a case through the pages, as a browser would."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from caseprep import paths

TEST_RULES = Path(__file__).parent / "rules"
PASSPHRASE = "correct horse battery staple"


@pytest.fixture
def rules_dir(tmp_path):
    folder = tmp_path / "rules"
    folder.mkdir()
    shutil.copy(paths.resource_dir("jurisdictions") / "facts.yaml", folder / "facts.yaml")
    shutil.copy(TEST_RULES / "zz.yaml", folder / "zz.yaml")
    return folder


@pytest.fixture
def app_config(app_config, rules_dir):
    return {**app_config, "rules_path": rules_dir}


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or \
        re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF token on the page"
    return match.group(1)


@pytest.fixture
def new_case(client):
    """Create a case through the pages; returns its code (the client stays logged in)."""

    def create(locale="en", lives_in="zz"):
        page = client.get("/new").get_data(as_text=True)
        response = client.post("/new", data={
            "csrf_token": csrf_token(page), "passphrase": PASSPHRASE,
            "passphrase_again": PASSPHRASE, "locale": locale, "lives_in": lives_in,
        })
        assert response.status_code == 303, response.get_data(as_text=True)
        done = client.get(response.headers["Location"]).get_data(as_text=True)
        return re.search(r'id="case-code">([^<]+)<', done).group(1)

    return create
