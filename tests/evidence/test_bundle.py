"""Hand-off bundles: a case exported to a lawyer's age key (or a one-time passphrase) and
imported into a second instance agrees on facts, records, evidence bytes and timeline; a wrong
key, a truncated or altered bundle, or a changed file is refused and nothing is kept."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import zipfile

import pytest
from click.testing import CliRunner
from PIL import Image
from pyrage import passphrase as age_passphrase
from pyrage import x25519
from sqlalchemy import func, select

from caseprep import paths
from caseprep.cases import bundle, service, timeline
from caseprep.cases.models import Case
from caseprep.cli import main
from caseprep.config import load_settings
from caseprep.db import make_session_factory
from caseprep.evidence import service as evidence_service
from caseprep.evidence.filestore import FileStore
from caseprep.rules import Rules
from caseprep.wiring import open_database

NEW_PASSPHRASE = "lawyer's own passphrase"


def _png(seed: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (seed * 40 % 256, 90, 200)).save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def rules():
    return Rules(paths.resource_dir("jurisdictions"))


@pytest.fixture
def filled(db, case, store, rules):
    case.update_facts({"content.kinds": ["everyday_photo"], "evidence.images_count": 34,
                       "incident.posted_on": dt.date(2025, 4, 20),
                       "incident.made_on": "2024-05"}, rules.catalog)
    case.write_record("places", {"lives_in": "cn", "poster_in": None})
    timeline.add_event(case, {"type": "police_report", "on": "2025-05-06",
                              "reference": "Receipt 4711"})
    for seed in range(3):
        evidence_service.add_item(db, case, store, {"kind": "screenshot", "platform": "Telegram",
                                                    "posted_at": "2025-04-20T21:03:00"},
                                  stream=io.BytesIO(_png(seed)), filename=f"shot{seed}.png")
    evidence_service.add_item(db, case, store, {"kind": "web_page", "url": "https://t.me/x/1"})
    return case


@pytest.fixture
def second(tmp_path):
    """Another instance (its own folder and database), as the lawyer's."""
    settings = load_settings({"instance_path": tmp_path / "lawyer", "env": "testing",
                              "kdf_n": 2**12, "max_upload_bytes": 5_000_000,
                              "max_case_bytes": 20_000_000})
    settings.prepare_instance()
    engine = open_database(settings)  # as the lawyer's app or CLI opens it: wired
    with make_session_factory(engine)() as db:
        yield settings, db, FileStore.from_settings(settings)
    engine.dispose()


def _files(db, case, store) -> list[bytes]:
    out = []
    for item in evidence_service.list_items(db, case):
        if item.has_file:
            _, stream = evidence_service.open_file(db, case, store, item.id)
            with stream:
                out.append(stream.read())
    return out


def test_lawyer_key_round_trip_agrees_on_everything(db, filled, store, rules, second):
    lawyer = x25519.Identity.generate()
    data = bundle.export_case(db, filled, store, recipient=str(lawyer.to_public()))
    assert b"Receipt 4711" not in data and b"Telegram" not in data  # encrypted
    settings2, db2, store2 = second
    result = bundle.import_case(db2, settings2, store2, rules, data, NEW_PASSPHRASE,
                                identity=str(lawyer))
    copy = service.open_case(db2, settings2, result.case.code, NEW_PASSPHRASE)
    assert copy.facts() == filled.facts()
    assert copy.jurisdictions == filled.jurisdictions
    assert copy.read_record("places") == filled.read_record("places")
    assert timeline.added_events(copy) == timeline.added_events(filled)
    assert (result.items, result.files) == (4, 3)
    assert _files(db2, copy, store2) == _files(db, filled, store)
    before = [(i.kind, i.get("sha256"), i.get("url")) for i in
              evidence_service.list_items(db, filled)]
    after = [(i.kind, i.get("sha256"), i.get("url")) for i in
             evidence_service.list_items(db2, copy)]
    assert after == before


def test_one_time_passphrase_opens_it(db, filled, store, rules, second):
    secret = bundle.one_time_passphrase()
    assert len(secret.replace("-", "")) == 24
    data = bundle.export_case(db, filled, store, passphrase=secret)
    settings2, db2, store2 = second
    result = bundle.import_case(db2, settings2, store2, rules, data, NEW_PASSPHRASE,
                                passphrase=secret)
    assert result.items == 4


def _case_count(db) -> int:
    return db.scalar(select(func.count()).select_from(Case))


@pytest.mark.parametrize("damage", ["wrong_key", "truncated", "flipped_byte"])
def test_damaged_or_foreign_bundles_are_refused_and_nothing_is_kept(
        db, filled, store, rules, second, damage):
    lawyer = x25519.Identity.generate()
    data = bundle.export_case(db, filled, store, recipient=str(lawyer.to_public()))
    key = str(lawyer)
    if damage == "wrong_key":
        key = str(x25519.Identity.generate())
    elif damage == "truncated":
        data = data[: len(data) // 2]
    else:
        data = data[:-100] + bytes([data[-100] ^ 1]) + data[-99:]
    settings2, db2, store2 = second
    with pytest.raises(bundle.BundleError) as refused:
        bundle.import_case(db2, settings2, store2, rules, data, NEW_PASSPHRASE, identity=key)
    expected = "cannot be opened with this key" if damage == "wrong_key" else "cannot be opened"
    assert expected in str(refused.value)
    assert _case_count(db2) == 0


def test_a_file_that_does_not_match_its_fingerprint_refuses_all(db, filled, store, rules,
                                                                second):
    """Re-encrypted by someone holding the passphrase, with one evidence file swapped."""
    secret = "shared secret"
    plain = age_passphrase.decrypt(bundle.export_case(db, filled, store, passphrase=secret),
                                   secret)
    source, out = zipfile.ZipFile(io.BytesIO(plain)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as forged:
        for info in source.infolist():
            content = source.read(info.filename)
            forged.writestr(info.filename, _png(9) if info.filename == "files/1" else content)
    settings2, db2, store2 = second
    with pytest.raises(bundle.BundleError, match="Evidence item 2: the file does not match"):
        bundle.import_case(db2, settings2, store2, rules,
                           age_passphrase.encrypt(out.getvalue(), secret), NEW_PASSPHRASE,
                           passphrase=secret)
    assert _case_count(db2) == 0


def test_a_failure_after_the_case_was_made_deletes_it(db, filled, store, rules, second,
                                                      monkeypatch):
    secret = "shared secret"
    data = bundle.export_case(db, filled, store, passphrase=secret)
    settings2, db2, store2 = second
    calls = []

    def failing_add(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise OSError("disk full")
        return real_add(*args, **kwargs)

    real_add = evidence_service.add_item
    monkeypatch.setattr(evidence_service, "add_item", failing_add)
    with pytest.raises(OSError):
        bundle.import_case(db2, settings2, store2, rules, data, NEW_PASSPHRASE,
                           passphrase=secret)
    assert _case_count(db2) == 0
    assert not any(p.is_file() for p in (settings2.instance_path / "files").rglob("*"))


def test_cli_export_to_a_lawyer_key_and_import(settings, db, filled, monkeypatch, tmp_path):
    monkeypatch.setenv("CASEPREP_INSTANCE_PATH", str(settings.instance_path))
    monkeypatch.setenv("CASEPREP_KDF_N", str(2**12))
    monkeypatch.setenv("CASEPREP_ENV", "testing")
    runner = CliRunner()
    key_file = tmp_path / "lawyer.key"
    public = runner.invoke(main, ["case", "keygen", "-o", str(key_file)])
    assert public.exit_code == 0, public.output
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"
    out = tmp_path / "case.age"
    exported = runner.invoke(main, ["case", "export", filled.code, "-o", str(out), "--to",
                                    public.output.strip(), "--passphrase-stdin"],
                             input="correct horse battery\n")
    assert exported.exit_code == 0, exported.output
    assert "one-time passphrase" not in exported.output
    imported = runner.invoke(main, ["case", "import", str(out), "--identity", str(key_file),
                                    "--passphrase-stdin"], input=NEW_PASSPHRASE + "\n")
    assert imported.exit_code == 0, imported.output
    assert "4 evidence item(s), 3 file(s) checked" in imported.output
    wrong = runner.invoke(main, ["case", "import", str(out), "--passphrase-stdin"],
                          input="guess\n" + NEW_PASSPHRASE + "\n")
    assert wrong.exit_code == 1 and "cannot be opened" in wrong.output


def test_manifest_lists_every_hash(db, filled, store):
    secret = "s"
    plain = age_passphrase.decrypt(bundle.export_case(db, filled, store, passphrase=secret),
                                   secret)
    archive = zipfile.ZipFile(io.BytesIO(plain))
    manifest = json.loads(archive.read("bundle.json"))
    for item in manifest["evidence"]:
        if item["file"]:
            assert hashlib.sha256(archive.read(item["file"])).hexdigest() == \
                item["details"]["sha256"]
