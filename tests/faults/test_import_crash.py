"""Issue 13, High 3: an import killed with SIGKILL leaves nothing readable, and says so.

A worker process runs a real import and is killed while it compares photos. Then, as
`caseprep serve` does at start, the interrupted job is failed and orphan files are swept:
the job says "interrupted, start again", nothing of the export or her reference photos is
readable anywhere in the instance folder or the system temp folder, and deleting the case
leaves no folder of it.
"""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from caseprep.cases.shred import shred_case
from caseprep.cli.serve import sweep_orphan_files
from caseprep.db import make_engine, make_session_factory
from caseprep.evidence import imports
from caseprep.wiring import connect_services
from tests.evidence.test_imports import SECRET, _export_zip

pytestmark = [pytest.mark.slow]
ROOT = Path(__file__).resolve().parents[2]

_WORKER = """
import json, sys, time
from pathlib import Path
from caseprep.db import make_engine, make_session_factory
from caseprep.evidence import imports, matching
from caseprep.evidence.filestore import FileStore
args = json.loads(sys.argv[1])
real = matching.Matcher.classify
def slow(self, source):
    print("MATCHING", flush=True)
    time.sleep(0.5)
    return real(self, source)
matching.Matcher.classify = slow
store = FileStore(args["files"], args["max_file"], args["max_case"])
engine = make_engine(args["db"])
imports.run_import(make_session_factory(engine), store, args["secret"], args["token"],
                   Path(args["work"]), workers=1)
print("FINISHED", flush=True)
"""


def _readable_pieces(export: bytes, refs) -> list[bytes]:
    """Slices of plaintext that must never be found: message text, photo and reference bytes."""
    pieces = [b"name user7", b"name user9"]
    with zipfile.ZipFile(io.BytesIO(export)) as z:
        for name in z.namelist():
            if name.endswith(".jpg"):
                data = z.read(name)
                pieces.append(data[len(data) // 2: len(data) // 2 + 64])
    for _name, data in refs:
        pieces.append(data[len(data) // 2: len(data) // 2 + 64])
    return pieces


def _found(folder: Path, pieces) -> list[str]:
    hits = []
    for path in folder.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            hits += [f"{path}: {p[:12]!r}" for p in pieces if p in data]
    return hits


def test_sigkill_mid_import_leaves_nothing_readable_and_fails_the_job(db, db_url, case, store,
                                                                       settings, tmp_path):
    system_tmp = tmp_path / "systmp"
    system_tmp.mkdir()
    export, refs = _export_zip(tmp_path)
    import_id, token = imports.start_import(db, case, store, SECRET, io.BytesIO(export),
                                            "export.zip",
                                            [(n, io.BytesIO(b)) for n, b in refs])
    args = {"files": str(store.root), "max_file": store.max_file_bytes,
            "max_case": store.max_case_bytes, "db": db_url, "secret": SECRET, "token": token,
            "work": str(settings.instance_path / "work")}
    worker = subprocess.Popen([sys.executable, "-c", _WORKER, json.dumps(args)], cwd=ROOT,
                              stdout=subprocess.PIPE, env={**os.environ,
                                                          "TMPDIR": str(system_tmp)})
    try:
        assert worker.stdout.readline().strip() == b"MATCHING"
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
    finally:
        if worker.poll() is None:
            worker.kill()
    assert imports.get_import(db, case, import_id, store)["status"] == "running"
    pieces = _readable_pieces(export, refs)
    assert _found(settings.instance_path, pieces) == []
    assert _found(system_tmp, pieces) == []

    # What `caseprep serve` (or `caseprep worker`) does at start.
    settings.orphan_grace_minutes = 0
    engine = make_engine(db_url)
    sweep_orphan_files(settings, make_session_factory(engine))
    engine.dispose()
    job = imports.get_import(db, case, import_id, store)
    assert job["status"] == "failed" and job["error_code"] == "interrupted"
    assert list(store.case_dir(case.code).iterdir()) == []  # the job's inputs are gone

    connect_services(db.get_bind(), settings)
    shred_case(db, case.case_id)
    assert not store.case_dir(case.code).exists()
    assert _found(settings.instance_path, pieces) == []
