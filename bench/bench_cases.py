"""Benchmark: encrypted case storage and the case API, each against a baseline in the same run.

1. Resume timing (issue 3/6: "same timing whether or not the code exists"): median time of
   POST /api/v1/sessions with a wrong passphrase for an existing code, with an unknown
   code and with a malformed one, at the production scrypt cost; prints their ratios
   (target: within 0.9-1.1) and the right-passphrase time.
2. Saving answers: median OpenCase.update_facts (read, decrypt, merge, encrypt, version
   check, commit) against a bare UPDATE of a plaintext JSON row in the same database.
3. Concurrent writers: several threads saving different facts of one case; throughput and
   the number of lost answers (must be 0).

    .venv/bin/python bench/bench_cases.py [--repeat 15] [--database-url URL]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import tempfile
import threading
import time
import uuid

from sqlalchemy import text

PASSPHRASE = "benchmark passphrase 2026"


def _median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def bench_resume(repeat: int, db_url: str | None) -> None:
    from caseprep import create_app

    config = {"instance_path": tempfile.mkdtemp(), "env": "testing"}  # production kdf_n
    if db_url:
        config["database_url"] = db_url
    app = create_app(config)
    app.config["RATELIMIT_ENABLED"] = False
    from caseprep.appshell.extensions import limiter

    limiter.enabled = False
    client = app.test_client()
    code = client.post("/api/v1/cases", json={"passphrase": PASSPHRASE,
                                              "jurisdictions": ["cn"]}).get_json()["code"]
    bodies = {
        "existing code, wrong passphrase": {"code": code, "passphrase": "not the passphrase"},
        "unknown code": {"code": "ZZZZ-ZZZZ-ZZZZ-ZZZZ", "passphrase": "not the passphrase"},
        "malformed code": {"code": "hello", "passphrase": "not the passphrase"},
        "right passphrase": {"code": code, "passphrase": PASSPHRASE},
    }
    times: dict[str, list[float]] = {name: [] for name in bodies}
    for _ in range(repeat):  # interleaved, so load changes hit every kind alike
        for name, body in bodies.items():
            start = time.perf_counter()
            status = client.post("/api/v1/sessions", json=body).status_code
            times[name].append(time.perf_counter() - start)
            assert status == (200 if name == "right passphrase" else 401), (name, status)
    base = _median_ms(times["existing code, wrong passphrase"])
    print(f"resume (scrypt n={app.config['CASEPREP'].kdf_n}), median of {repeat}:")
    for name, samples in times.items():
        ms = _median_ms(samples)
        print(f"  {name:34s} {ms:7.1f} ms   ratio {ms / base:.3f}")
    limiter.enabled = True
    app.extensions["caseprep.engine"].dispose()


def bench_save(repeat: int, db_url: str | None) -> None:
    from caseprep.cases import service
    from caseprep.config import load_settings
    from caseprep.db import make_engine, make_session_factory
    from caseprep.migrate import upgrade_to_head
    from caseprep.rules import Rules

    settings = load_settings({"instance_path": tempfile.mkdtemp(), "env": "testing",
                              "kdf_n": 2**12})
    settings.prepare_instance()
    catalog = Rules(settings.rules_path).catalog
    engine = make_engine(db_url or settings.sqlalchemy_url)
    upgrade_to_head(engine)
    sessions = make_session_factory(engine)
    db = sessions()
    case = service.create_case(db, settings, PASSPHRASE, ["cn"], "en")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE IF NOT EXISTS bench_plain (id INTEGER PRIMARY KEY, "
                          "body TEXT, version INTEGER)"))
        conn.execute(text("DELETE FROM bench_plain"))
        conn.execute(text("INSERT INTO bench_plain VALUES (1, '{}', 1)"))
    facts = {"evidence.images_count": 34, "content.kinds": ["everyday_photo"],
             "incident.narrative": "一段叙述。" * 200}
    ours, plain = [], []
    for i in range(repeat * 4):
        facts["evidence.images_count"] = i
        start = time.perf_counter()
        case.update_facts(facts, catalog)
        ours.append(time.perf_counter() - start)
        start = time.perf_counter()
        with engine.begin() as conn:
            body = json.loads(conn.execute(text("SELECT body FROM bench_plain WHERE id = 1"))
                              .scalar_one())
            body.update(facts)
            conn.execute(text("UPDATE bench_plain SET body = :b, version = version + 1 "
                              "WHERE id = 1"), {"b": json.dumps(body, ensure_ascii=False)})
        plain.append(time.perf_counter() - start)
    print(f"save answers ({engine.dialect.name}), median of {len(ours)}:")
    print(f"  update_facts (encrypted, merged)  {_median_ms(ours):7.2f} ms")
    print(f"  baseline plaintext read+UPDATE    {_median_ms(plain):7.2f} ms   "
          f"ratio {_median_ms(ours) / _median_ms(plain):.2f}")

    writers, writes = 4, 25
    fact_values = {"evidence.images_count": lambda i: i, "victim.is_minor": lambda i: i % 2 == 0,
                   "incident.narrative": lambda i: f"draft {i}",
                   "distribution.for_profit": lambda i: i % 3 == 0}
    barrier = threading.Barrier(writers)

    def writer(fact_id):
        with sessions() as own:
            mine = service.load_case(own, case.code, case.data_key)
            barrier.wait()
            for i in range(writes):
                mine.update_facts({fact_id: fact_values[fact_id](i)}, catalog)

    threads = [threading.Thread(target=writer, args=(f,)) for f in fact_values]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    with sessions() as own:
        final = service.load_case(own, case.code, case.data_key).facts()
    lost = sum(final.get(f) != make(writes - 1) for f, make in fact_values.items())
    print(f"concurrent writers: {writers} threads x {writes} saves in {elapsed:.2f} s "
          f"({writers * writes / elapsed:.0f} saves/s), lost answers: {lost}")
    db.close()
    engine.dispose()


@contextlib.contextmanager
def _own_schema(db_url: str | None):
    """On PostgreSQL, a throw-away schema, so the benchmark leaves the database as it was."""
    if not db_url or not db_url.startswith("postgresql"):
        yield db_url
        return
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    name = f"caseprep_bench_{uuid.uuid4().hex[:12]}"
    admin = create_engine(db_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{name}"')
    try:
        url = make_url(db_url).update_query_dict({"options": f"-csearch_path={name}"})
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')
        admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--database-url", default=os.environ.get("CASEPREP_BENCH_DATABASE_URL"))
    args = parser.parse_args()
    with _own_schema(args.database_url) as url:
        bench_resume(args.repeat, url)
    with _own_schema(args.database_url) as url:
        bench_save(args.repeat, url)


if __name__ == "__main__":
    main()
