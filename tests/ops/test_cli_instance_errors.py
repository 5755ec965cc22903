"""Every command that opens the instance goes through caseprep.cli.instance: an unsafe or
invalid setting, an instance folder that cannot be made or a database that does not answer
ends the command with one line naming it and exit 1, never a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from caseprep.cli import main

ROOT = Path(__file__).resolve().parents[2]
CODE = "AAAA-BBBB-CCCC-DDDD"
LONG = "a long enough passphrase"


@pytest.fixture
def env(monkeypatch, instance_path):
    for name in list(os.environ):
        if name.startswith("CASEPREP_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("CASEPREP_INSTANCE_PATH", str(instance_path))
    return monkeypatch


def _files(tmp_path) -> dict[str, str]:
    (tmp_path / "bundle.age").write_bytes(b"not a bundle")
    (tmp_path / "export.zip").write_bytes(b"PK not an export")
    return {"bundle": str(tmp_path / "bundle.age"), "zip": str(tmp_path / "export.zip"),
            "out": str(tmp_path / "out.age")}


# (command line, standard input): every command that opens the instance's database.
COMMANDS = [
    (["case", "export", CODE, "-o", "{out}", "--passphrase-stdin"], LONG + "\n"),
    (["case", "import", "{bundle}", "--passphrase-stdin"], f"{LONG}\n{LONG}\n{LONG}\n"),
    (["purge-expired"], None),
    (["evidence", "verify", CODE, "--passphrase", LONG], None),
    (["evidence", "import-telegram", "{zip}", "--case", CODE], LONG + "\n"),
    (["db", "upgrade"], None),
    (["db", "current"], None),
    (["db", "check"], None),
    (["worker"], None),
    (["serve", "--port", "9"], None),
]
IDS = [" ".join(args[:2]) for args, _input in COMMANDS]


def _one_line_error(result, *words: str) -> str:
    """The command stopped itself (SystemExit, exit 1), with one line on stderr."""
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), repr(result.exception)  # not a crash
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    for word in words:
        assert word in lines[0]
    return lines[0]


@pytest.mark.parametrize(("args", "stdin"), COMMANDS, ids=IDS)
def test_an_unsafe_setting_stops_every_command_in_one_line(env, tmp_path, instance_path,
                                                         args, stdin):
    env.setenv("CASEPREP_ENV", "production")  # and no CASEPREP_SECRET_KEY
    files = _files(tmp_path)
    result = CliRunner().invoke(main, [a.format(**files) for a in args], input=stdin)
    _one_line_error(result, "refusing to start: CASEPREP_SECRET_KEY is required in production")
    assert not (instance_path / "secret_key").exists()  # no key made up in production
    assert not (instance_path / "caseprep.sqlite3").exists()  # refused before the database


@pytest.mark.parametrize("command", [["purge-expired"], ["evidence", "verify", CODE]])
def test_an_unsafe_setting_is_json_with_json(env, command):
    env.setenv("CASEPREP_ENV", "production")
    env.setenv("CASEPREP_SECRET_KEY", "changeme")
    extra = ["--passphrase", LONG] if command[0] == "evidence" else []
    result = CliRunner().invoke(main, [*command, *extra, "--json"])
    assert result.exit_code == 1
    assert json.loads(result.stdout) == {
        "error": "refusing to start: CASEPREP_SECRET_KEY is too weak: use at least 32 random "
                 "characters"}


def test_case_export_run_as_a_program_says_why_without_a_traceback(tmp_path):
    """The report that started this: `caseprep case export` printed a traceback."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("CASEPREP_")}
    done = subprocess.run(
        [sys.executable, "-m", "caseprep.cli", "case", "export", CODE, "-o",
         str(tmp_path / "out.age"), "--passphrase-stdin"],
        input=LONG + "\n", capture_output=True, text=True, cwd=ROOT, timeout=120,
        env={**base, "CASEPREP_ENV": "production", "CASEPREP_SECRET_KEY": "changeme",
             "CASEPREP_INSTANCE_PATH": str(tmp_path / "instance")})
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines() == [
        "Error: refusing to start: CASEPREP_SECRET_KEY is too weak: use at least 32 random "
        "characters"]
    assert not (tmp_path / "out.age").exists()


@pytest.mark.parametrize(("name", "value", "words"), [
    ("CASEPREP_ENV", "staging", "CASEPREP_ENV: Input should be 'development', 'production'"),
    ("CASEPREP_RETENTION_DAYS", "half-a-year", "CASEPREP_RETENTION_DAYS: Input should be a "
                                               "valid integer"),
    ("CASEPREP_QUICK_EXIT_URLS", "{zh_Hans: weather", "CASEPREP_QUICK_EXIT_URLS: not valid JSON"),
])
@pytest.mark.parametrize("command", [["purge-expired"], ["rules", "list"], ["db", "current"]])
def test_an_invalid_setting_is_named_without_its_value(env, name, value, words, command):
    env.setenv(name, value)
    result = CliRunner().invoke(main, command)
    line = _one_line_error(result, "invalid setting: ", words)
    assert value not in line  # a setting may be a key or a URL with a password


def test_an_invalid_setting_is_json_for_a_rules_command_with_json(env):
    env.setenv("CASEPREP_ENV", "prod")
    result = CliRunner().invoke(main, ["rules", "list", "--json"])
    assert result.exit_code == 1
    assert json.loads(result.stdout)["error"].startswith("invalid setting: CASEPREP_ENV: ")


def test_an_instance_folder_in_the_way_of_a_file(env, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    env.setenv("CASEPREP_INSTANCE_PATH", str(blocker / "instance"))
    result = CliRunner().invoke(main, ["purge-expired"])
    _one_line_error(result, str(blocker / "instance"), "CASEPREP_INSTANCE_PATH",
                    "a file is in the way")


def test_a_database_url_that_is_not_one(env):
    env.setenv("CASEPREP_DATABASE_URL", "caseprep-db")
    result = CliRunner().invoke(main, ["db", "current"])
    _one_line_error(result, "CASEPREP_DATABASE_URL is not a database URL")


def test_a_database_that_refuses_is_named_without_the_password(env):
    # Port 1 on loopback: nothing listens there, the connection is refused at once.
    env.setenv("CASEPREP_DATABASE_URL", "postgresql+psycopg://caseprep:pw-s3cret@127.0.0.1:1/x")
    for command in (["purge-expired"], ["db", "check"]):
        result = CliRunner().invoke(main, command)
        line = _one_line_error(result, "cannot open the database: ", "refused")
        assert "pw-s3cret" not in result.output
        assert line.count("\n") == 0


@pytest.mark.parametrize("command", [["worker"], ["serve", "--port", "9"], ["purge-expired"]])
def test_a_redis_url_redis_cannot_read(env, command):
    env.setenv("CASEPREP_REDIS_URL", "http://queue:pw-s3cret@127.0.0.1/0")
    result = CliRunner().invoke(main, command)
    _one_line_error(result, "invalid setting: CASEPREP_REDIS_URL: ", "redis://")
    assert "pw-s3cret" not in result.output


def test_verify_does_not_make_an_instance_where_none_is(env, tmp_path):
    typo = tmp_path / "instnace"
    result = CliRunner().invoke(main, ["evidence", "verify", CODE, "--instance", str(typo),
                                       "--passphrase", LONG])
    assert result.exit_code == 2 and "does not exist" in result.stderr
    assert not typo.exists()
