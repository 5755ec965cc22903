"""`caseprep generate` shows a progress bar on a terminal's stderr, and none for a program:
not with --json, not when stderr is a pipe. Run as a real process on a pseudo-terminal."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.terminal import run_seeing_stderr

FACTS = {"content.kinds": ["everyday_photo"], "evidence.images_count": 34}
LABEL = "rendering documents"


def _generate(tmp_path, *extra, stderr_on_tty: bool) -> tuple[subprocess.CompletedProcess, str]:
    facts = tmp_path / "facts.json"
    facts.write_text(json.dumps(FACTS))
    args = [sys.executable, "-m", "caseprep.cli", "generate", "cn", "--facts", str(facts),
            "--docs", "evidence_checklist,evidence_list", "--format", "html,docx",
            "--out", str(tmp_path / "out"), *extra]
    env = {k: v for k, v in os.environ.items() if k != "CASEPREP_RULES_PATH"}
    env["COLUMNS"] = "100"
    return run_seeing_stderr(args, env, stderr_on_tty=stderr_on_tty, timeout=120)


def test_a_terminal_sees_the_bar_reach_every_file(tmp_path):
    done, stderr = _generate(tmp_path, stderr_on_tty=True)
    assert done.returncode == 0, stderr
    assert len(done.stdout.splitlines()) == 4  # two documents, two formats
    assert LABEL in stderr and "100%" in stderr
    assert LABEL not in done.stdout  # the file list stays clean for a script


@pytest.mark.parametrize(("extra", "on_tty"), [(("--json",), True), ((), False)])
def test_no_bar_for_json_or_a_pipe(tmp_path, extra, on_tty):
    done, stderr = _generate(tmp_path, *extra, stderr_on_tty=on_tty)
    assert done.returncode == 0, stderr
    assert LABEL not in stderr and "%" not in stderr
    if extra:
        assert len(json.loads(done.stdout)["files"]) == 4
