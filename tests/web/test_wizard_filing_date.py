"""The day she sued is asked only where a civil time limit may have run (issue 17).

A civil limitation period is counted to the filing of the lawsuit, not to the judgment, so
`lawsuit.filed_on` can lift a time bar. It fills no document: the wizard asks it only for a
route that is time-barred without it, and an answer on or before the due date reopens it.
"""

from __future__ import annotations

import shutil

import pytest

from caseprep import paths
from caseprep.appshell.extensions import get_db, get_rules
from caseprep.assessment import assess_case
from caseprep.cases import service
from tests.web.conftest import PASSPHRASE, csrf_token
from tests.web.test_wizard import _asked

SHIPPED = paths.resource_dir("jurisdictions")
PUBLISHED = {"content.kinds": ["intimate_image"], "content.shared_with_consent": False,
             "content.made_public_by_victim": False, "perpetrator.relationship": "ex_partner"}


@pytest.fixture
def rules_dir(tmp_path):
    folder = tmp_path / "rules"
    folder.mkdir()
    for name in ("facts.yaml", "platforms.yaml", "us.yaml", "us-ca.yaml"):
        shutil.copy(SHIPPED / name, folder / name)
    return folder


def _answer(app, code, facts):
    with app.app_context():
        db = get_db()
        case = service.open_case(db, app.config["CASEPREP"], code, PASSPHRASE)
        case.update_facts(facts, get_rules().catalog)
        db.commit()


def _route(app, code, route_id):
    with app.app_context():
        case = service.open_case(get_db(), app.config["CASEPREP"], code, PASSPHRASE)
        found = assess_case(get_db(), case, "en", get_rules())
    return next(r for a in found for r in a["routes"] if r["id"] == route_id)


def test_the_filing_date_is_asked_only_once_a_civil_time_limit_may_have_run(client, new_case, app):
    code = new_case(lives_in="us-ca")
    _answer(app, code, {**PUBLISHED, "incident.posted_on": "2026-10-01"})
    assert "lawsuit.filed_on" not in _asked(client.get("/wizard/evidence").get_data(as_text=True))

    # Posted more than two years ago: 1708.85 may be time-barred, and the day she sued decides.
    _answer(app, code, {"incident.posted_on": "2023-01-10"})
    assert _route(app, code, "ca_civil_1708_85")["status"] == "time_barred"
    page = client.get("/wizard/evidence").get_data(as_text=True)
    assert "lawsuit.filed_on" in _asked(page)
    assert "If you have already sued over this" in page

    # Sued on the last day of the two years: in time, however long the court takes.
    client.post("/wizard/evidence", data={
        "csrf_token": csrf_token(page), "asked": " ".join(_asked(page)),
        "f_lawsuit__filed_on": "2025-01-10"})
    assert _route(app, code, "ca_civil_1708_85")["status"] == "met"


def test_a_lawsuit_a_day_late_leaves_the_bar(client, new_case, app):
    code = new_case(lives_in="us-ca")
    _answer(app, code, {**PUBLISHED, "incident.posted_on": "2023-01-10",
                        "lawsuit.filed_on": "2025-01-11"})
    route = _route(app, code, "ca_civil_1708_85")
    assert route["status"] == "time_barred"
    # Answered, the date is not asked again; the bar stays "possible" only because 1708.85
    # lists ways the period may be extended (a new distribution, minority).
    assert route["missing_facts"] == []
    assert route["time_bar"]["likelihood"] == "possible" and route["time_bar"]["extended_by"]
