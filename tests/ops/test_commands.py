"""Operator commands: --version, `db`, `serve --workers`, `worker`, log settings, the purge slot."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner

from caseprep import tasks
from caseprep.cli import main
from caseprep.config import load_settings


@pytest.fixture
def env(monkeypatch, instance_path):
    monkeypatch.setenv("CASEPREP_INSTANCE_PATH", str(instance_path))
    monkeypatch.delenv("CASEPREP_DATABASE_URL", raising=False)
    monkeypatch.delenv("CASEPREP_REDIS_URL", raising=False)
    return monkeypatch


def test_version():
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0
    assert result.output.startswith("caseprep, version ")


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_db_upgrade_current_check(env, backend, request):
    if backend == "postgres":
        env.setenv("CASEPREP_DATABASE_URL", request.getfixturevalue("postgres_schema_url"))
    runner = CliRunner()
    before = runner.invoke(main, ["db", "current"])
    assert before.exit_code == 0 and "database: empty" in before.output
    pending = runner.invoke(main, ["db", "check"])
    assert pending.exit_code == 1
    upgraded = runner.invoke(main, ["db", "upgrade"])
    assert upgraded.exit_code == 0, upgraded.output
    after = runner.invoke(main, ["db", "current"])
    assert "(current)" in after.output
    checked = runner.invoke(main, ["db", "check"])
    assert checked.exit_code == 0, checked.output
    assert "agree" in checked.output


def test_serve_refuses_several_processes_without_redis(env):
    result = CliRunner().invoke(main, ["serve", "--workers", "2"])
    assert result.exit_code == 2
    assert "CASEPREP_REDIS_URL" in result.output


def _log_line(extra_env: dict, level: str = "warning") -> str:
    code = ("import logging; from caseprep.log_config import configure_logging; "
            "configure_logging(); "
            f"logging.getLogger('caseprep.test').{level}('resume passphrase=hunter2hunter2 done')")
    env = {**os.environ, **extra_env}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stderr.strip()


def test_json_logs_are_scrubbed():
    line = _log_line({"CASEPREP_LOG_FORMAT": "json"})
    entry = json.loads(line)
    assert entry["level"] == "WARNING" and entry["logger"] == "caseprep.test"
    assert "hunter2" not in line and "[redacted]" in entry["message"]


def test_log_level_from_the_environment():
    assert _log_line({"CASEPREP_LOG_LEVEL": "error"}) == ""
    text = _log_line({"CASEPREP_LOG_LEVEL": "info"}, level="info")
    assert " INFO caseprep.test: " in text and "hunter2" not in text


def test_a_misspelt_log_setting_is_refused():
    from caseprep.log_config import logging_config

    with pytest.raises(ValueError, match="CASEPREP_LOG_FORMAT"):
        logging_config({"CASEPREP_LOG_FORMAT": "jsn"})


@pytest.mark.parametrize("backend", ["sqlite", "redis"])
def test_the_hourly_purge_is_claimed_once_per_hour(backend, request, tmp_path):
    overrides = {"instance_path": tmp_path / "inst", "env": "testing"}
    if backend == "redis":
        overrides["redis_url"] = request.getfixturevalue("redis_url")
    huey = tasks.configure(load_settings(overrides), name=f"caseprep-test-{uuid.uuid4().hex[:8]}")
    try:
        now = datetime(2026, 11, 27, 10, 17, tzinfo=UTC)
        # Three consumers (two servers and a worker) run the same scheduled job:
        claims = [tasks._claim_slot(huey, "caseprep.purge_expired", now) for _ in range(3)]
        assert claims == [True, False, False]
        later = now + timedelta(hours=1)
        assert tasks._claim_slot(huey, "caseprep.purge_expired", later)
    finally:
        huey.storage.flush_all()


def test_the_standard_consumer_finds_the_queue(tmp_path):
    """`huey_consumer caseprep.tasks.huey`, as the docs say, runs caseprep's tasks."""
    instance = tmp_path / "inst"
    settings = load_settings({"instance_path": instance, "env": "testing"})
    settings.prepare_instance()
    tasks.configure(settings)
    result = tasks.task("ping")({"n": 3})
    consumer = os.path.join(os.path.dirname(sys.executable), "huey_consumer")
    env = {**os.environ, "CASEPREP_INSTANCE_PATH": str(instance), "CASEPREP_ENV": "testing"}
    env.pop("CASEPREP_REDIS_URL", None)
    proc = subprocess.Popen([consumer, "caseprep.tasks.huey", "-w", "1", "-d", "0.05"],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        assert result.get(blocking=True, timeout=60) == {"n": 3}
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_caseprep_worker_runs_tasks_and_stops_on_sigterm(tmp_path):
    instance = tmp_path / "inst"
    settings = load_settings({"instance_path": instance, "env": "testing"})
    settings.prepare_instance()
    tasks.configure(settings)
    result = tasks.task("ping")("hello")
    env = {**os.environ, "CASEPREP_INSTANCE_PATH": str(instance), "CASEPREP_ENV": "testing"}
    env.pop("CASEPREP_REDIS_URL", None)
    proc = subprocess.Popen([sys.executable, "-m", "caseprep.cli", "worker", "--threads", "1"],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert result.get(blocking=True, timeout=60) == "hello"
    finally:
        proc.terminate()
        started = time.monotonic()
        proc.wait(timeout=30)
    assert time.monotonic() - started < 30
    assert "worker consuming" in proc.stdout.read()


@pytest.mark.parametrize("ci, outcome", [("true", "1 failed"), ("", "1 skipped")])
def test_ci_fails_where_a_developer_skips(ci, outcome):
    """With CI=true a missing Redis fails the run instead of skipping the tests that need it."""
    env = {**os.environ, "CI": ci}
    env.pop("CASEPREP_TEST_REDIS_URL", None)
    test = "tests/ops/test_commands.py::test_the_hourly_purge_is_claimed_once_per_hour[redis]"
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-n", "0", "-p",
                           "no:cacheprovider", test], env=env, capture_output=True, text=True,
                          timeout=120, cwd=os.path.dirname(os.path.dirname(os.path.dirname(
                              os.path.abspath(__file__)))))
    assert outcome in done.stdout, done.stdout[-2000:]


def test_db_revision_writes_the_next_numbered_file(env, tmp_path, monkeypatch):
    """`caseprep db revision` (docs: writing a migration), in a copy of the migrations."""
    import shutil

    from caseprep import migrate

    copy = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS_DIR, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(migrate, "MIGRATIONS_DIR", copy)
    head = migrate.head_revision()
    runner = CliRunner()
    assert runner.invoke(main, ["db", "revision", "too early"]).exit_code == 1
    assert runner.invoke(main, ["db", "upgrade"]).exit_code == 0
    result = runner.invoke(main, ["db", "revision", "Add a column!"])
    assert result.exit_code == 0, result.output
    number = int(head.split("_")[0]) + 1
    written = copy / "versions" / f"{number:04d}_add_a_column.py"
    assert str(written) in result.output
    assert f'down_revision = "{head}"' in written.read_text() or \
        f"down_revision = '{head}'" in written.read_text()
    assert migrate.head_revision() == f"{number:04d}_add_a_column"


def test_the_wsgi_entry_point_serves(tmp_path):
    """`caseprep.wsgi:app`, what gunicorn imports, answers and holds no pooled connection."""
    code = ("from caseprep.wsgi import app; "
            "assert app.extensions['caseprep.engine'].pool.checkedin() == 0; "
            "print(app.test_client().get('/').status_code)")
    env = {**os.environ, "CASEPREP_INSTANCE_PATH": str(tmp_path / "inst")}
    env.pop("CASEPREP_REDIS_URL", None)
    env.pop("CASEPREP_DATABASE_URL", None)
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip().endswith("200")
    assert (tmp_path / "inst" / "cache" / "templates").is_dir()
