"""`caseprep serve` in production refuses to start with debug on or a missing or weak key."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("env, words", [
    ({}, "SECRET_KEY is required"),
    ({"CASEPREP_SECRET_KEY": "changeme"}, "too weak"),
    ({"CASEPREP_SECRET_KEY": "k" * 48, "CASEPREP_DEBUG": "true"}, "DEBUG"),
])
def test_production_serve_refuses_unsafe_settings(tmp_path, env, words):
    base = {k: v for k, v in os.environ.items() if not k.startswith("CASEPREP_")}
    result = subprocess.run(
        [sys.executable, "-c", "from caseprep.cli import main; main()", "serve", "--port", "9",
         "--instance", str(tmp_path / "instance")],
        env={**base, "CASEPREP_ENV": "production", **env}, cwd=ROOT, capture_output=True,
        text=True, timeout=120)
    assert result.returncode != 0
    assert words in result.stderr and "Traceback" not in result.stderr
    assert "serving on" not in result.stdout
    assert not (tmp_path / "instance" / "secret_key").exists()  # no key made up in production
