"""Two (or more) writers saving the same case at once must not lose each other's answers."""

import threading

from caseprep.cases import service

PASS = "tulip tower 42 blue"
WRITES = {
    "victim.is_minor": [True, False] * 4,
    "evidence.images_count": list(range(1, 9)),
    "incident.narrative": [f"draft {i}" for i in range(8)],
    "content.kinds": [["everyday_photo"], ["intimate_image"]] * 4,
}


def test_concurrent_writers_keep_every_answer(db, sessions, settings, catalog):
    case = service.create_case(db, settings, PASS, ["cn"], "en")
    barrier = threading.Barrier(len(WRITES))
    errors = []

    def writer(fact_id, values):
        try:
            mine = service.load_case(sessions(), case.code, case.data_key)
            barrier.wait()
            for value in values:
                mine.update_facts({fact_id: value}, catalog)
        except Exception as exc:  # surfaced below with the thread's fact
            errors.append((fact_id, repr(exc)))

    threads = [threading.Thread(target=writer, args=item) for item in WRITES.items()]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors
    final = service.load_case(sessions(), case.code, case.data_key).facts()
    assert final == {fact_id: values[-1] for fact_id, values in WRITES.items()}


def test_version_counts_every_write(db, sessions, settings, catalog):
    from caseprep.cases.models import Case, CaseRecord

    case = service.create_case(db, settings, PASS, ["cn"], "en")
    barrier = threading.Barrier(3)

    def writer(n):
        mine = service.load_case(sessions(), case.code, case.data_key)
        barrier.wait()
        for i in range(5):
            mine.update_facts({"evidence.images_count": n * 10 + i}, catalog)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    check = sessions()
    record = check.query(CaseRecord).filter_by(case_id=case.case_id, name="facts").one()
    assert record.version == 1 + 15  # no write was silently overwritten
    assert check.get(Case, case.case_id).version == 1 + 15


def test_lost_race_is_retried_with_fresh_content(tmp_path, settings, catalog):
    """A write that loses the version check starts again from what the winner saved.

    SQLite only: there the read takes no lock, so another writer can slip in between
    (PostgreSQL's SELECT ... FOR UPDATE makes the other writer wait instead).
    """
    from caseprep.cases import records
    from caseprep.db import make_engine, make_session_factory
    from caseprep.migrate import upgrade_to_head

    engine = make_engine(f"sqlite:///{tmp_path / 'race.sqlite3'}")
    upgrade_to_head(engine)
    factory = make_session_factory(engine)
    with factory() as db, factory() as other_db:
        case = service.create_case(db, settings, PASS, ["cn"], "en")
        other = service.load_case(other_db, case.code, case.data_key)
        seen = []

        def change(current):
            seen.append(dict(current or {}))
            if len(seen) == 1:  # the other tab saves while we are between read and write
                other.update_facts({"victim.is_minor": True}, catalog)
            return {**(current or {}), "evidence.images_count": 7}

        records.change_record(db, case.case_id, case.code, case.data_key, "facts", change)
        assert seen == [{}, {"victim.is_minor": True}]
        assert case.facts() == {"victim.is_minor": True, "evidence.images_count": 7}
    engine.dispose()
