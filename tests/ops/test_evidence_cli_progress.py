"""`caseprep evidence manifest` and `import-telegram` use caseprep.cli.progress, the bars every
command shares: on a terminal's stderr, never with --json or into a pipe, and stdout the same
either way. Run as real processes on a pseudo-terminal."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from caseprep.evidence import synthetic
from tests.evidence import telegram_export as tx
from tests.terminal import run_seeing_stderr


def _run(args: list[str], stderr_on_tty: bool) -> tuple[subprocess.CompletedProcess, str]:
    """Run `caseprep ARGS`; return the process and what its stderr showed."""
    return run_seeing_stderr([sys.executable, "-m", "caseprep.cli", *args],
                             {**os.environ, "COLUMNS": "100"}, stderr_on_tty=stderr_on_tty,
                             timeout=180)


@pytest.fixture
def folder(tmp_path):
    root = tmp_path / "evidence"
    root.mkdir()
    for n in range(3):
        (root / f"shot-{n}.png").write_bytes(bytes([n]) * 50_000)
    return root


def test_manifest_shows_the_hashing_bar_on_a_terminal_only(folder):
    on_tty, tty_err = _run(["evidence", "manifest", str(folder)], stderr_on_tty=True)
    piped, pipe_err = _run(["evidence", "manifest", str(folder)], stderr_on_tty=False)
    assert on_tty.returncode == piped.returncode == 0
    assert "hashing" in tty_err and "100%" in tty_err
    assert "hashing" not in pipe_err and "%" not in pipe_err
    assert on_tty.stdout == piped.stdout  # the manifest itself, unchanged by the bar
    assert len(on_tty.stdout.splitlines()) == 3 and "hashing" not in on_tty.stdout


def test_manifest_json_has_no_bar_even_on_a_terminal(folder):
    done, stderr = _run(["evidence", "manifest", str(folder), "--json"], stderr_on_tty=True)
    assert done.returncode == 0
    assert "hashing" not in stderr and "%" not in stderr
    assert len(json.loads(done.stdout)["files"]) == 3


@pytest.fixture
def export(tmp_path):
    """An export folder with two photos, one of them hers; her reference photo."""
    hers = synthetic.scene(3, size=(300, 400))
    root = tmp_path / "ChatExport"
    (root / "photos").mkdir(parents=True)
    (root / "photos" / "photo_1.jpg").write_bytes(synthetic.jpeg_bytes(hers))
    (root / "photos" / "photo_2.jpg").write_bytes(
        synthetic.jpeg_bytes(synthetic.scene(40, size=(300, 400))))
    tx.write_single_chat(root, [
        tx.message(1, sender_id="user7", photo="photos/photo_1.jpg", text=""),
        tx.message(2, sender_id="user8", photo="photos/photo_2.jpg", text="")])
    reference = tmp_path / "me.jpg"
    reference.write_bytes(synthetic.jpeg_bytes(hers))
    return root, reference


def test_import_telegram_shows_both_bars_on_a_terminal(export):
    root, reference = export
    args = ["evidence", "import-telegram", str(root), "--reference", str(reference)]
    done, stderr = _run(args, stderr_on_tty=True)
    assert done.returncode == 0, stderr
    assert "reading messages" in stderr and "comparing photos" in stderr
    assert "100%" in stderr
    assert "matches: 1" in done.stdout and "comparing photos" not in done.stdout


@pytest.mark.parametrize(("extra", "on_tty"), [(["--json"], True), ([], False)])
def test_import_telegram_has_no_bar_for_json_or_a_pipe(export, extra, on_tty):
    root, reference = export
    args = ["evidence", "import-telegram", str(root), "--reference", str(reference), *extra]
    done, stderr = _run(args, stderr_on_tty=on_tty)
    assert done.returncode == 0, stderr
    assert "reading messages" not in stderr and "comparing photos" not in stderr
    assert "%" not in stderr
    if extra:
        assert len(json.loads(done.stdout)["matches"]) == 1
