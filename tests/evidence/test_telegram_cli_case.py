"""`caseprep evidence import-telegram EXPORT.zip --case CODE`: the web's import from a shell."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from click.testing import CliRunner

from caseprep.cases import service as case_service
from caseprep.cli import main
from caseprep.config import load_settings
from caseprep.db import make_engine, make_session_factory
from caseprep.evidence import service, synthetic
from caseprep.migrate import upgrade_to_head
from tests.evidence import telegram_export as tx

PASSPHRASE = "magnolia river 1987 kite"


@pytest.fixture
def case_env(tmp_path, monkeypatch):
    instance = tmp_path / "instance"
    monkeypatch.setenv("CASEPREP_INSTANCE_PATH", str(instance))
    monkeypatch.setenv("CASEPREP_KDF_N", str(2**12))
    monkeypatch.delenv("CASEPREP_DATABASE_URL", raising=False)
    settings = load_settings()
    settings.prepare_instance()
    engine = make_engine(settings.sqlalchemy_url)
    upgrade_to_head(engine)
    sessions = make_session_factory(engine)
    with sessions() as db:
        code = case_service.create_case(db, settings, PASSPHRASE, ["cn"], "en").code
    yield settings, sessions, code
    engine.dispose()


def _export_zip(tmp_path):
    """A zipped export: her photo re-posted as a photo and sent as a file, one other."""
    hers = synthetic.scene(3, size=(300, 400))
    files = {"ChatExport/photos/photo_1.jpg": synthetic.jpeg_bytes(hers),
             "ChatExport/files/IMG_2041.JPG": synthetic.jpeg_bytes(hers),
             "ChatExport/photos/photo_2.jpg": synthetic.jpeg_bytes(
                 synthetic.scene(40, size=(300, 400)))}
    messages = [tx.message(1, sender_id="user7", photo="photos/photo_1.jpg", text=""),
                tx.image_as_file(2, sender_id="user8"),
                tx.message(3, sender_id="user9", photo="photos/photo_2.jpg", text="")]
    files["ChatExport/result.json"] = json.dumps(
        {"name": "G", "type": "private_supergroup", "id": 1700000001, "messages": messages})
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    export = tmp_path / "export.zip"
    export.write_bytes(buf.getvalue())
    reference = tmp_path / "me.jpg"
    reference.write_bytes(synthetic.jpeg_bytes(hers))
    return export, reference


def test_the_zip_is_imported_into_the_case(case_env, tmp_path):
    settings, sessions, code = case_env
    export, reference = _export_zip(tmp_path)
    result = CliRunner().invoke(main, ["evidence", "import-telegram", str(export), "--case",
                                       code, "--reference", str(reference), "--json"],
                                input=PASSPHRASE + "\n")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["images"] == 3
    assert sorted(m["sender_id"] for m in data["matches"]) == ["user7", "user8"]
    with sessions() as db:
        case = case_service.open_case(db, settings, code, PASSPHRASE)
        items = service.list_items(db, case)
    # The two re-posts of her photo, and her photo itself on the watch list (never counted).
    assert sorted(i.get("role", "publication") for i in items) == [
        "publication", "publication", "reference"]


def test_a_wrong_passphrase_imports_nothing(case_env, tmp_path):
    settings, sessions, code = case_env
    export, _ = _export_zip(tmp_path)
    result = CliRunner().invoke(main, ["evidence", "import-telegram", str(export), "--case",
                                       code, "--json"], input="not it\n")
    assert result.exit_code == 1
    assert json.loads(result.stdout) == {"error": "wrong case code or passphrase"}


def test_with_a_case_the_export_is_the_zip(case_env, tmp_path):
    _, _, code = case_env
    result = CliRunner().invoke(main, ["evidence", "import-telegram", str(tmp_path),
                                       "--case", code], input=PASSPHRASE + "\n")
    assert result.exit_code == 2
