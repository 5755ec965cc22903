"""The built wheel carries the rule files: `caseprep rules validate` works from an install.

No network: the wheel is built without build isolation (hatchling comes with the test
extras), and installed with --no-deps into a fresh venv that borrows the dependencies of the
project's venv through a .pth file (not its .pth files, so the editable install stays out).
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

from caseprep.rules.loader import rule_files

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_wheel_installs_and_validates_its_own_rule_files(tmp_path):
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps",
                    "--no-build-isolation", "-w", str(dist), str(ROOT)],
                   check=True, cwd=tmp_path, timeout=300)
    [wheel] = dist.glob("caseprep-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        assert "caseprep/py.typed" in archive.namelist()  # PEP 561: the types ship
        [metadata_name] = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
        metadata = archive.read(metadata_name).decode()
    assert "Classifier: Typing :: Typed" in metadata
    assert "License-Expression: AGPL-3.0-or-later" in metadata

    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    site = Path(subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True, capture_output=True, text=True).stdout.strip())
    (site / "project_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    clean_env = {k: v for k, v in os.environ.items()
                 if not k.startswith(("CASEPREP_", "PYTHON", "VIRTUAL_ENV"))}
    subprocess.run([str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-index",
                    str(wheel)], check=True, cwd=tmp_path, env=clean_env, timeout=300)

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    where = subprocess.run(
        [str(python), "-c",
         "import caseprep, caseprep.paths as p; print(caseprep.__file__); "
         "print(p.resource_dir('jurisdictions'))"],
        check=True, capture_output=True, text=True, cwd=elsewhere, env=clean_env)
    package_file, rules_dir = where.stdout.split()
    assert Path(package_file).is_relative_to(site)
    assert Path(rules_dir) == site / "caseprep" / "_data" / "jurisdictions"

    result = subprocess.run([str(env_dir / "bin" / "caseprep"), "rules", "validate"],
                            capture_output=True, text=True, cwd=elsewhere, env=clean_env,
                            timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    shipped = sorted(p.stem for p in rule_files(ROOT / "jurisdictions"))
    assert f"({', '.join(shipped)})" in result.stdout
    assert str(site / "caseprep" / "_data" / "jurisdictions") in result.stdout
