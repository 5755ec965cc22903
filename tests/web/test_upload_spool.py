"""Uploads wait in memory or in an encrypted temp file, never in clear on disk."""

import io
import os

from caseprep.appshell.upload_spool import EncryptedTempFile, spool_for


def test_encrypted_temp_file_round_trips_with_random_access(tmp_path):
    data = os.urandom(100_003)
    f = io.BufferedRandom(EncryptedTempFile(tmp_path))
    f.write(data[:40_000])
    f.write(data[40_000:])
    f.seek(0)
    assert f.read() == data
    f.seek(12_345)
    assert f.read(1000) == data[12_345:13_345]
    f.seek(17)  # overwrite in the middle, off a block boundary
    f.write(b"caseprep")
    f.seek(0)
    assert f.read(40) == data[:17] + b"caseprep" + data[25:40]
    f.close()


def test_bytes_on_disk_are_not_the_plaintext(tmp_path, monkeypatch):
    captured = {}
    real = EncryptedTempFile.__init__

    def spy(self, directory=None):
        real(self, directory)
        captured["file"] = self._file

    monkeypatch.setattr(EncryptedTempFile, "__init__", spy)
    marker = b"MARKER-PHOTO-BYTES-" * 1000
    f = spool_for(10 * 1024 * 1024, tmp_path)
    f.write(marker)
    f.flush()
    raw = captured["file"]
    raw.seek(0)
    on_disk = raw.read()
    assert len(on_disk) == len(marker)
    assert b"MARKER-PHOTO-BYTES" not in on_disk
    assert os.listdir(tmp_path) == []  # unlinked: no name to find after a crash
    f.close()


def test_small_uploads_stay_in_memory(tmp_path):
    assert isinstance(spool_for(1000, tmp_path), io.BytesIO)


def test_a_large_upload_through_the_app_leaves_no_clear_bytes(app, client, instance_path,
                                                               monkeypatch):
    from flask import request

    made = []
    real = EncryptedTempFile.__init__

    def spy(self, directory=None):
        real(self, directory)
        made.append(directory)

    monkeypatch.setattr(EncryptedTempFile, "__init__", spy)

    marker = b"LARGE-UPLOAD-MARKER-" * 60_000  # ~1.2 MB: over Werkzeug's in-memory limit

    @app.post("/_test_upload")
    def _test_upload():
        f = request.files["file"]
        return str(len(f.read()))

    app.config["WTF_CSRF_ENABLED"] = False
    from caseprep.appshell.extensions import csrf

    csrf.exempt(_test_upload)
    resp = client.post("/_test_upload", data={"file": (io.BytesIO(marker), "x.bin")},
                       content_type="multipart/form-data")
    assert resp.get_data(as_text=True) == str(len(marker))
    assert made == [instance_path / "tmp"]  # the upload went through the encrypted spool
    for root, _dirs, files in os.walk(instance_path):
        for name in files:
            with open(os.path.join(root, name), "rb") as fh:
                assert b"LARGE-UPLOAD-MARKER" not in fh.read()
