"""The manifest CLI hashes like sha256sum, in a stable order, including odd file names."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess

from click.testing import CliRunner

from caseprep.cli import main
from caseprep.evidence.manifest import build_manifest, hash_file


def _make_folder(root):
    (root / "b").mkdir()
    (root / "a dir").mkdir()
    (root / "b" / "z.bin").write_bytes(os.urandom(3 * 1024 * 1024 + 17))
    (root / "a dir" / "photo 1.jpg").write_bytes(b"\xff\xd8\xff" + os.urandom(5000))
    (root / "empty.txt").write_bytes(b"")
    (root / "照片.png").write_bytes(os.urandom(777))
    (root / "A.txt").write_text("hello\n")
    os.symlink(root / "A.txt", root / "link.txt")  # not followed, not listed


def _sha256sum(root) -> dict[str, str]:
    files = sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink())
    out = subprocess.run(["sha256sum", *[str(f.relative_to(root)) for f in files]],
                         cwd=root, capture_output=True, text=True, check=True).stdout
    return {line[66:]: line[:64] for line in out.splitlines()}


def test_hash_file_matches_sha256sum(tmp_path):
    _make_folder(tmp_path)
    expected = _sha256sum(tmp_path)
    for rel, digest in expected.items():
        sha, size = hash_file(tmp_path / rel)
        assert sha == digest
        assert size == (tmp_path / rel).stat().st_size


def test_manifest_cli_default_is_sha256sum_checkable(tmp_path):
    root = tmp_path / "evidence"
    root.mkdir()
    _make_folder(root)
    result = CliRunner().invoke(main, ["evidence", "manifest", str(root)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    paths = [line[66:] for line in lines]
    assert paths == sorted(paths, key=lambda p: p.encode())
    assert "link.txt" not in paths
    assert dict((line[66:], line[:64]) for line in lines) == _sha256sum(root)
    (tmp_path / "SHA256SUMS").write_text(result.output)
    check = subprocess.run(["sha256sum", "-c", str(tmp_path / "SHA256SUMS")], cwd=root,
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr


def test_manifest_cli_json_and_csv(tmp_path):
    _make_folder(tmp_path)
    expected = _sha256sum(tmp_path)
    out = CliRunner().invoke(main, ["evidence", "manifest", str(tmp_path), "--json"]).output
    data = json.loads(out)
    assert data["algorithm"] == "sha256"
    assert [f["index"] for f in data["files"]] == list(range(1, len(expected) + 1))
    assert {f["path"]: f["sha256"] for f in data["files"]} == expected
    assert {f["path"]: f["size"] for f in data["files"]}["empty.txt"] == 0
    out = CliRunner().invoke(main, ["evidence", "manifest", str(tmp_path), "--csv"]).output
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {r["path"]: r["sha256"] for r in rows} == expected
    bad = CliRunner().invoke(main, ["evidence", "manifest", str(tmp_path), "--csv", "--json"])
    assert bad.exit_code != 0


def test_manifest_order_is_stable_with_one_or_two_workers(tmp_path):
    _make_folder(tmp_path)
    one = list(build_manifest(tmp_path, workers=1))
    two = list(build_manifest(tmp_path, workers=2))
    assert one == two
