"""Retention: expired cases are purged completely; visited ones stay."""

import datetime as dt

from click.testing import CliRunner
from sqlalchemy import select, update

from caseprep.cases import service
from caseprep.cases.models import Case, CaseRecord
from caseprep.cases.retention import purge_expired

PASS = "tulip tower 42 blue"


def _expire(db, case_id):
    past = dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
    db.execute(update(Case).where(Case.id == case_id).values(expires_at=past))
    db.commit()


def test_purge_removes_only_expired_cases(db, sessions, settings, catalog):
    old = service.create_case(db, settings, PASS, ["cn"], "en")
    old.update_facts({"incident.narrative": "old"}, catalog)
    keep = service.create_case(db, settings, PASS, ["cn"], "en")
    _expire(db, old.case_id)
    assert purge_expired(sessions()) == 1
    check = sessions()
    assert check.scalars(select(Case.code)).all() == [keep.code]
    assert {r.case_id for r in check.scalars(select(CaseRecord))} == {keep.case_id}
    assert purge_expired(sessions()) == 0


def test_new_case_expires_after_retention_days(db, settings):
    case = service.create_case(db, settings, PASS, ["cn"], "en")
    delta = case.expires_at - case.created_at
    assert delta == dt.timedelta(days=settings.retention_days)


def test_cli_purge_expired(db, settings, engine, monkeypatch):
    from caseprep.cli import main

    case = service.create_case(db, settings, PASS, ["cn"], "en")
    service.create_case(db, settings, PASS, ["cn"], "en")
    _expire(db, case.case_id)
    monkeypatch.setenv("CASEPREP_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("CASEPREP_INSTANCE_PATH", str(settings.instance_path))
    result = CliRunner().invoke(main, ["purge-expired"])
    assert result.exit_code == 0, result.output
    assert "1" in result.output
    assert len(db.scalars(select(Case.id)).all()) == 1


def test_purge_takes_evidence_rows_and_calls_the_file_hook(db, sessions, settings,
                                                           monkeypatch):
    from caseprep.evidence import service as evidence
    from caseprep.evidence.models import EvidenceItem

    monkeypatch.delenv("CASEPREP_RULES_PATH", raising=False)
    case = service.create_case(db, settings, PASS, ["cn"], "en")
    evidence.add_item(db, case, None, {"kind": "image"})
    called = []
    monkeypatch.setattr(evidence, "delete_case_files", lambda row: called.append(row.code))
    _expire(db, case.case_id)
    assert purge_expired(sessions()) == 1
    assert called == [case.code]
    assert sessions().scalars(select(EvidenceItem.id)).all() == []


def test_the_task_queue_purges_expired_cases_every_hour(db, sessions, settings, engine):
    from caseprep import tasks

    settings.database_url = engine.url.render_as_string(hide_password=False)
    huey = tasks.configure(settings)
    periodic = [t for t in huey._registry.periodic_tasks if t.name == "caseprep.purge_expired"]
    assert len(periodic) == 1
    old = service.create_case(db, settings, PASS, ["cn"], "en")
    keep = service.create_case(db, settings, PASS, ["cn"], "en")
    _expire(db, old.case_id)
    assert tasks.purge_expired_cases() == 1
    assert sessions().scalars(select(Case.code)).all() == [keep.code]
