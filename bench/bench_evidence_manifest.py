"""Hashing throughput of `caseprep evidence manifest` against sha256sum and openssl.

Writes a folder of random files (default 1 GiB in 16 MiB files), reads it once so all three
tools hash from the page cache, then times each tool on the same files in the same run and
prints MiB/s and the ratio to OpenSSL (the target: at least 0.8 of OpenSSL's rate).

    .venv/bin/python bench/bench_evidence_manifest.py [--mib 1024] [--file-mib 16]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

VENV_BIN = Path(sys.executable).parent


def _make_folder(root: Path, total_mib: int, file_mib: int) -> list[Path]:
    files = []
    chunk = os.urandom(1024 * 1024)
    for i in range(max(1, total_mib // file_mib)):
        path = root / f"evidence_{i:04d}.bin"
        with open(path, "wb") as fh:
            for j in range(file_mib):
                fh.write(chunk[j:] + chunk[:j])  # distinct content per MiB, cheap to make
        files.append(path)
    return files


def _timed(cmd: list[str], cwd: Path) -> tuple[float, str]:
    start = time.perf_counter()
    out = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=True).stdout
    return time.perf_counter() - start, out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mib", type=int, default=1024)
    parser.add_argument("--file-mib", type=int, default=16)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="bench-manifest-"))
    try:
        files = _make_folder(root, args.mib, args.file_mib)
        names = [f.name for f in files]
        total = sum(f.stat().st_size for f in files) / 2**20
        subprocess.run(["cat", *names], cwd=root, stdout=subprocess.DEVNULL, check=True)
        tools = {
            "openssl dgst -sha256": ["openssl", "dgst", "-sha256", *names],
            "sha256sum": ["sha256sum", *names],
            "caseprep evidence manifest": [str(VENV_BIN / "caseprep"), "evidence", "manifest",
                                           str(root)],
        }
        best: dict[str, float] = {}
        outputs: dict[str, str] = {}
        for _ in range(args.repeat):
            for name, cmd in tools.items():
                seconds, out = _timed(cmd, root)
                best[name] = min(best.get(name, seconds), seconds)
                outputs[name] = out
        ours = {line[66:]: line[:64] for line in outputs["caseprep evidence manifest"].splitlines()}
        theirs = {line[66:]: line[:64] for line in outputs["sha256sum"].splitlines()}
        assert ours == theirs, "digests differ from sha256sum"
        base = best["openssl dgst -sha256"]
        print(f"{total:.0f} MiB in {len(files)} files, best of {args.repeat}, "
              f"{os.cpu_count()} cores")
        print(f"{'tool':30s} {'seconds':>8s} {'MiB/s':>8s} {'vs openssl':>10s}")
        for name, seconds in best.items():
            print(f"{name:30s} {seconds:8.2f} {total / seconds:8.0f} {base / seconds:10.2f}")
        print(f"load average {os.getloadavg()[0]:.1f} (other work on the machine skews all three)")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
