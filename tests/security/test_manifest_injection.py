"""Issue 13, item 9: `caseprep evidence manifest` with hostile file names: no spreadsheet
formula in the CSV, no forged line in the sha256sum output (checked by GNU sha256sum)."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess

import pytest
from click.testing import CliRunner

from caseprep.cli import main

HOSTILE = ["=HYPERLINK(\"evil.example\",\"x\").jpg", "+1+1.txt", "@SUM(A1).txt",
           "ok\n" + "0" * 64 + "  forged.txt", "back\\slash.txt", "cr\rname.txt"]


def _folder(tmp_path):
    folder = tmp_path / "evidence"
    folder.mkdir()
    for i, name in enumerate(HOSTILE):
        (folder / name).write_bytes(f"file {i}\n".encode())
    (folder / "forged.txt").write_bytes(b"the real forged.txt\n")
    return folder


def _run(*args) -> str:
    result = CliRunner().invoke(main, ["evidence", "manifest", *args])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_csv_manifest_has_no_formula_cells(tmp_path):
    rows = list(csv.DictReader(io.StringIO(_run(str(_folder(tmp_path)), "--csv"), newline="")))
    assert len(rows) == len(HOSTILE) + 1
    for row in rows:
        assert not row["path"].startswith(("=", "+", "-", "@", "\t", "\r")), row["path"]


@pytest.mark.skipif(shutil.which("sha256sum") is None, reason="needs GNU sha256sum")
def test_sha256sum_output_has_one_line_per_file_and_checks(tmp_path):
    folder = _folder(tmp_path)
    text = _run(str(folder))
    assert len(text.splitlines()) == len(HOSTILE) + 1
    sums = tmp_path / "SHA256SUMS"
    sums.write_text(text)
    check = subprocess.run(["sha256sum", "-c", str(sums)], cwd=folder, capture_output=True,
                           text=True, check=False)
    assert check.returncode == 0, check.stdout + check.stderr
    assert check.stdout.count(": OK") == len(HOSTILE) + 1
