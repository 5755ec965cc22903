"""`caseprep evidence verify`: re-hashes stored files, exit 1 on a mismatch."""

from __future__ import annotations

import io

from click.testing import CliRunner
from sqlalchemy import select

from caseprep.cli import main
from caseprep.evidence import service
from caseprep.evidence.models import EvidenceItem


def test_verify_reports_ok_then_a_mismatch(db, case, store, settings):
    service.add_item(db, case, store, {"kind": "document"}, io.BytesIO(b"abc\n"), "a.txt")
    args = ["evidence", "verify", case.code, "--instance", str(settings.instance_path),
            "--passphrase", "correct horse battery"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "1 stored files checked" in result.output
    row = db.scalars(select(EvidenceItem)).one()
    path = store.case_dir(case.code) / row.file_name
    raw = bytearray(path.read_bytes())
    raw[-1] ^= 1
    path.write_bytes(bytes(raw))
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1
    assert "altered" in result.output
    bad = CliRunner().invoke(main, [*args[:-1], "wrong passphrase"])
    assert bad.exit_code != 0 and "wrong case code or passphrase" in bad.output
