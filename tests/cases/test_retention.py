"""Retention: expired cases are purged completely; visited ones stay."""

import datetime as dt
import gc
import weakref

from click.testing import CliRunner
from sqlalchemy import select, update

from caseprep.cases import service
from caseprep.cases.models import Case, CaseRecord
from caseprep.cases.retention import purge_expired
from caseprep.cases.shred import case_shredding, shred_case
from caseprep.db import make_engine
from caseprep.evidence import service as evidence
from caseprep.evidence.filestore import FileStore
from caseprep.evidence.models import EvidenceItem
from caseprep.evidence.service import delete_files_with_cases
from caseprep.wiring import connect_services

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


def test_purge_takes_evidence_rows_and_files(db, sessions, settings, engine, monkeypatch):
    monkeypatch.delenv("CASEPREP_RULES_PATH", raising=False)
    connect_services(engine, settings)
    store = FileStore.from_settings(settings)
    case = service.create_case(db, settings, PASS, ["cn"], "en")
    evidence.add_item(db, case, None, {"kind": "image"})
    store.write(case.code, case.data_key, [b"a stored photo"])
    assert store.case_dir(case.code).is_dir()
    _expire(db, case.case_id)
    assert purge_expired(sessions()) == 1
    assert not store.case_dir(case.code).exists()
    assert sessions().scalars(select(EvidenceItem.id)).all() == []


def test_a_shredded_case_reaches_only_the_stores_wired_to_its_database(db, settings, engine,
                                                                       tmp_path):
    """The signal is scoped to the engine: another installation's store keeps its files."""
    other_engine = make_engine(f"sqlite:///{tmp_path / 'other.db'}")
    other_store = FileStore(tmp_path / "other-files", 10**6, 10**7)
    delete_files_with_cases(other_engine, other_store)
    connect_services(engine, settings)
    case = service.create_case(db, settings, PASS, ["cn"], "en")
    other_store.write(case.code, case.data_key, [b"same code, other installation"])
    FileStore.from_settings(settings).write(case.code, case.data_key, [b"this one"])
    assert shred_case(db, case.case_id)
    assert other_store.case_dir(case.code).is_dir()
    assert not FileStore.from_settings(settings).case_dir(case.code).exists()
    other_engine.dispose()


def test_the_wiring_goes_with_its_engine(tmp_path):
    """No receiver outlives its database: a process that opens many engines (the hourly
    purge opens one each time) does not collect them."""
    engine = make_engine(f"sqlite:///{tmp_path / 'gone.db'}")
    before = set(case_shredding.receivers)
    delete_files_with_cases(engine, FileStore(tmp_path / "files", 10**6, 10**7))
    [added] = set(case_shredding.receivers) - before
    held = case_shredding.receivers[added]
    receiver = weakref.ref(held() if isinstance(held, weakref.ref) else held)
    engine.dispose()
    del engine
    gc.collect()
    assert receiver() is None and added not in case_shredding.receivers


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
