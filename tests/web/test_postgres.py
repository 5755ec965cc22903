"""The wizard on PostgreSQL, as an NGO hosting many cases would run it."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import create_engine

from tests.web.conftest import PASSPHRASE
from tests.web.test_main_pages import _resume
from tests.web.test_results import MOTIVATING
from tests.web.test_wizard import _facts, _post

pytestmark = pytest.mark.postgres


@pytest.fixture
def app(app_config, postgres_url):
    """An app on its own, freshly created PostgreSQL database (dropped afterwards)."""
    from caseprep import create_app

    name = f"caseprep_web_{uuid.uuid4().hex[:12]}"
    admin = create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        url = postgres_url.rsplit("/", 1)[0] + f"/{name}"
        app = create_app({**app_config, "database_url": url})
        yield app
        app.extensions["caseprep.engine"].dispose()
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def test_whole_wizard_on_postgres(app, client, new_case):
    code = new_case(locale="zh_Hans")
    for step, answers in MOTIVATING.items():
        assert _post(client, step, answers).status_code == 303
    facts = _facts(app, code)
    assert facts["evidence.images_count"] == 34
    html = client.get("/wizard/results").get_data(as_text=True)
    assert '<progress value="34" max="400">' in html
    # A second browser resumes the same case and sees the same answers.
    other = app.test_client()
    assert _resume(other, code, PASSPHRASE).status_code == 303
    page = other.get("/wizard/evidence").get_data(as_text=True)
    assert 'value="34"' in page
