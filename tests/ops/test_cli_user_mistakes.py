"""A user's mistake on the command line (a file that exists or a folder that does not, a wrong
case code or passphrase, a file that is not what it should be, a language caseprep does not
write) ends in one clear line naming what is wrong, never a traceback, and never quotes case
content (a chat's text, a key file's other lines)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from caseprep.cases import service as case_service
from caseprep.cli import main
from caseprep.cli.instance import opened_instance
from caseprep.evidence import synthetic
from tests.evidence import telegram_export as tx
from tests.rules.conftest import VALID

ROOT = Path(__file__).resolve().parents[2]
PASSPHRASE = "lantern orchard 4412 glide"
FACTS = {"content.kinds": ["everyday_photo"], "evidence.images_count": 34}


@pytest.fixture
def env(monkeypatch, instance_path):
    for name in list(os.environ):
        if name.startswith("CASEPREP_") and not name.startswith("CASEPREP_TEST_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("CASEPREP_INSTANCE_PATH", str(instance_path))
    monkeypatch.setenv("CASEPREP_KDF_N", str(2**12))
    return monkeypatch


@pytest.fixture
def code(env) -> str:
    """A case in the instance, opened as the CLI opens it."""
    with opened_instance() as (settings, sessions), sessions() as db:
        return case_service.create_case(db, settings, PASSPHRASE, ["cn"], "en").code


def _run(*args, stdin: str | None = None):
    return CliRunner().invoke(main, [str(a) for a in args], input=stdin)


def _error(result, *words: str, exit_code: int = 1) -> str:
    """The command stopped itself with `exit_code` and one error line holding `words`."""
    assert result.exit_code == exit_code, result.output
    assert isinstance(result.exception, SystemExit), repr(result.exception)  # not a crash
    lines = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
    assert len(lines) == 1, result.stderr
    for word in words:
        assert word in lines[0]
    return lines[0]


# --- case keygen / export / import -------------------------------------------------------

def test_keygen_never_overwrites_a_key(env, tmp_path):
    key = tmp_path / "lawyer.key"
    key.write_text("AGE-SECRET-KEY-1EXISTING\n")
    _error(_run("case", "keygen", "-o", key), str(key), "never overwritten")
    assert key.read_text() == "AGE-SECRET-KEY-1EXISTING\n"


def test_keygen_into_a_folder_that_does_not_exist(env, tmp_path):
    target = tmp_path / "no-such-folder" / "lawyer.key"
    _error(_run("case", "keygen", "-o", target), f"cannot write {target}", "No such file")


def test_export_to_a_missing_folder_is_refused_before_the_passphrase_is_asked(env, code,
                                                                               tmp_path):
    target = tmp_path / "no-such-folder" / "case.age"
    result = _run("case", "export", code, "-o", target)  # would prompt: nothing on stdin
    _error(result, f"no folder {target.parent}")
    assert "passphrase" not in result.output.lower()


@pytest.mark.parametrize("wrong", ["code", "passphrase"])
def test_export_with_a_wrong_code_or_passphrase(env, code, tmp_path, wrong):
    target = tmp_path / "case.age"
    given_code = "ZZZZ-ZZZZ-ZZZZ-ZZZZ" if wrong == "code" else code
    given_passphrase = "not the passphrase" if wrong == "passphrase" else PASSPHRASE
    result = _run("case", "export", given_code, "-o", target, "--passphrase-stdin",
                  stdin=given_passphrase + "\n")
    _error(result, "That code and passphrase do not open a case.")
    assert not target.exists()


def test_import_with_an_identity_file_that_holds_no_key(env, tmp_path):
    bundle = tmp_path / "case.age"
    bundle.write_bytes(b"age-encryption.org/v1\n")
    identity = tmp_path / "notes.txt"
    identity.write_text("# my notes about the case\nhe posted them on 3 March\n")
    result = _run("case", "import", bundle, "--identity", identity, "--passphrase-stdin",
                  stdin=f"{PASSPHRASE}\n{PASSPHRASE}\n")
    _error(result, "--identity notes.txt", "no age secret key in it")
    assert "3 March" not in result.output and "my notes" not in result.output


def test_import_with_an_identity_file_that_is_not_text(env, tmp_path):
    bundle = tmp_path / "case.age"
    bundle.write_bytes(b"age-encryption.org/v1\n")
    identity = tmp_path / "photo.jpg"
    identity.write_bytes(synthetic.jpeg_bytes(synthetic.scene(1, size=(40, 30))))
    result = _run("case", "import", bundle, "--identity", identity, "--passphrase-stdin",
                  stdin=f"{PASSPHRASE}\n{PASSPHRASE}\n")
    _error(result, "--identity photo.jpg", "cannot read it as an age key file")


def test_import_refuses_a_short_new_passphrase_before_opening_anything(env, instance_path,
                                                                      tmp_path):
    bundle = tmp_path / "case.age"
    bundle.write_bytes(b"age-encryption.org/v1\n")
    result = _run("case", "import", bundle, "--passphrase-stdin",
                  stdin="the bundle passphrase\nshort\nshort\n")
    _error(result, "the new case's passphrase is too short", "at least 10 characters")
    assert not (instance_path / "caseprep.sqlite3").exists()


# --- evidence import-telegram -------------------------------------------------------------

def _export_folder(tmp_path: Path) -> Path:
    root = tmp_path / "ChatExport"
    (root / "photos").mkdir(parents=True)
    (root / "photos" / "photo_1.jpg").write_bytes(synthetic.jpeg_bytes(synthetic.scene(3)))
    tx.write_single_chat(root, [tx.message(1, photo="photos/photo_1.jpg", text="")])
    return root


def _not_a_photo(tmp_path: Path) -> Path:
    path = tmp_path / "me.jpg"
    path.write_text("this is a text file")
    return path


def test_a_reference_that_is_not_a_photo_is_named(env, tmp_path):
    result = _run("evidence", "import-telegram", _export_folder(tmp_path),
                  "--reference", _not_a_photo(tmp_path))
    _error(result, "--reference me.jpg: ", "cannot be read")


def test_a_reference_that_is_not_a_photo_is_named_with_case_too(env, code, tmp_path):
    export = tmp_path / "export.zip"
    export.write_bytes(b"PK\x03\x04")
    result = _run("evidence", "import-telegram", export, "--case", code, "--reference",
                  _not_a_photo(tmp_path), "--json", stdin=PASSPHRASE + "\n")
    assert result.exit_code == 1
    assert json.loads(result.stdout)["error"].startswith("--reference me.jpg: ")


def test_a_damaged_result_json_is_reported_without_quoting_the_chat(env, tmp_path):
    root = tmp_path / "ChatExport"
    root.mkdir()
    (root / "result.json").write_text(
        '{"name": "G", "messages": [{"id": 1, "text": "meet me at the station at nine')
    result = _run("evidence", "import-telegram", root)
    _error(result, "result.json is not valid JSON", "damaged or incomplete")
    assert "station" not in result.output


def test_a_file_that_is_not_an_export_is_refused_in_words(env, code, tmp_path):
    export = tmp_path / "holiday.zip"
    export.write_bytes(b"GIF89a not an export")
    result = _run("evidence", "import-telegram", export, "--case", code, "--json",
                  stdin=PASSPHRASE + "\n")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["reason"] == "not_an_export"
    assert data["error"].startswith("the export was refused: This is not a Telegram Desktop "
                                    "export")


def test_import_into_a_case_with_a_wrong_passphrase(env, code, tmp_path):
    export = tmp_path / "export.zip"
    export.write_bytes(b"PK\x03\x04")
    result = _run("evidence", "import-telegram", export, "--case", code,
                  stdin="not the passphrase\n")
    _error(result, "wrong case code or passphrase")


# --- generate and rules explain: languages and the output folder --------------------------

@pytest.fixture
def facts(tmp_path) -> Path:
    path = tmp_path / "facts.json"
    path.write_text(json.dumps(FACTS))
    return path


def test_generate_refuses_a_language_documents_are_not_written_in(env, facts, tmp_path):
    out = tmp_path / "out"
    result = _run("generate", "cn", "--facts", facts, "--lang", "fr", "--out", out, "--json")
    _error(result, "--lang", "'fr' is not a language documents are written in",
           "en, zh_Hans, ko", exit_code=2)
    assert not out.exists()


def test_explain_refuses_an_unknown_language(env, facts):
    result = _run("rules", "explain", "cn", "--facts", facts, "--lang", "xx")
    _error(result, "--lang", "'xx' is not a language of caseprep or of cn", exit_code=2)
    done = _run("rules", "explain", "cn", "--facts", facts, "--lang", "ko", "--json")
    assert done.exit_code == 0 and json.loads(done.stdout)["jurisdiction"] == "cn"


def test_generate_into_a_folder_under_a_file(env, facts, tmp_path):
    blocker = tmp_path / "drafts"
    blocker.write_text("a file, not a folder")
    result = _run("generate", "cn", "--facts", facts, "--format", "html", "--docs",
                  "evidence_checklist", "--out", blocker / "cn")
    _error(result, f"--out {blocker / 'cn'}: cannot make the folder")


# --- serve ---------------------------------------------------------------------------------

def test_serve_on_a_port_another_program_holds(tmp_path):
    holder = socket.socket()
    holder.bind(("127.0.0.1", 0))
    holder.listen()
    port = holder.getsockname()[1]
    base = {k: v for k, v in os.environ.items() if not k.startswith("CASEPREP_")}
    try:
        done = subprocess.run(
            [sys.executable, "-m", "caseprep.cli", "serve", "--port", str(port), "--no-worker",
             "--instance", str(tmp_path / "instance")],
            env=base, cwd=ROOT, capture_output=True, text=True, timeout=120)
    finally:
        holder.close()
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines() == [
        f"Error: cannot listen on 127.0.0.1:{port}: Address already in use"]


# --- rules pack ----------------------------------------------------------------------------

def test_pack_into_a_missing_folder_is_refused_before_the_checks(env, tmp_path):
    out = tmp_path / "no-such-folder" / "pack.zip"
    key = tmp_path / "key.pem"
    key.write_text("not read: the folder is checked first")
    result = _run("rules", "pack", VALID, "--key", key, "--out", out, "--version", "1",
                  "--json")
    assert result.exit_code == 1
    assert json.loads(result.stdout) == {"ok": False,
                                         "error": f"--out {out}: no folder {out.parent}"}
