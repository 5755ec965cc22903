"""Signed rule packs: sign → install → tamper → refuse → rollback, nothing half-installed."""

import base64
import json
import shutil
import zipfile

import pytest
import yaml
from click.testing import CliRunner
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from caseprep.cli import main
from caseprep.config import load_settings
from caseprep.rules.packs import (
    PackError,
    build_pack,
    install_pack,
    installed_rules_dir,
    read_pack,
    read_state,
    rollback,
)

from .conftest import VALID


@pytest.fixture
def key():
    return Ed25519PrivateKey.generate()


@pytest.fixture
def keys(tmp_path, key):
    """The publisher's private key and the public key a deployment trusts, as PEM files."""
    private = tmp_path / "publisher.pem"
    private.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                          serialization.PrivateFormat.PKCS8,
                                          serialization.NoEncryption()))
    public = tmp_path / "publisher.pub"
    public.write_bytes(key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
    return private, public


@pytest.fixture
def folder(tmp_path):
    target = tmp_path / "ngo-rules"
    shutil.copytree(VALID, target)
    return target


def _set_version(folder, version):
    path = folder / "xx.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["version"] = version
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _rewrite(pack, out, change):
    """Copy a pack's members into `out`, letting `change(name, data)` alter or drop them."""
    with zipfile.ZipFile(pack) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = change(info.filename, src.read(info))
            if data is not None:
                dst.writestr(info.filename, data)
    return out


def _listing(root):
    return sorted(str(p.relative_to(root)) for p in root.rglob("*"))


def test_sign_install_tamper_refuse_rollback(tmp_path, key, folder):
    root = tmp_path / "instance" / "rules"
    trusted = key.public_key()
    first = tmp_path / "p1.zip"
    manifest = build_pack(folder, key, "2026.12.1", first)
    assert manifest["jurisdictions"] == {"xx": "2026.11.1"}
    assert set(manifest["files"]) == {"facts.yaml", "xx.yaml"}

    installed = install_pack(first, trusted, root)
    assert installed.version == "2026.12.1"
    assert installed_rules_dir(root) == root / "2026.12.1"
    assert (root / "2026.12.1" / "xx.yaml").read_bytes() == (folder / "xx.yaml").read_bytes()

    _set_version(folder, "2026.12.2")
    second = tmp_path / "p2.zip"
    build_pack(folder, key, "2026.12.2", second)

    # Tampered: one rule file changed after signing (its hash no longer matches).
    tampered = _rewrite(second, tmp_path / "tampered.zip", lambda name, data:
                        data.replace(b"at_least: 400", b"at_least: 4") if name == "rules/xx.yaml"
                        else data)
    before = _listing(root)
    with pytest.raises(PackError, match="xx.yaml was altered after signing"):
        install_pack(tampered, trusted, root)
    # Tampered manifest (the hash edited to match): the signature fails.
    def forge(name, data):
        if name == "manifest.json":
            return data.replace(b'"2026.12.2"', b'"2026.12.9"')
        return data
    with pytest.raises(PackError, match="signature does not match"):
        install_pack(_rewrite(second, tmp_path / "forged.zip", forge), trusted, root)
    # Unsigned, signed by another key, an extra file.
    with pytest.raises(PackError, match="not signed"):
        install_pack(_rewrite(second, tmp_path / "unsigned.zip",
                              lambda n, d: None if n == "manifest.sig" else d), trusted, root)
    with pytest.raises(PackError, match="signature does not match"):
        install_pack(second, Ed25519PrivateKey.generate().public_key(), root)
    extra = tmp_path / "extra.zip"
    shutil.copy(second, extra)
    with zipfile.ZipFile(extra, "a") as zf:
        zf.writestr("rules/zz.yaml", "code: zz\n")
    with pytest.raises(PackError, match="zz.yaml is not in the signed manifest"):
        install_pack(extra, trusted, root)
    # Older (and the same) version refused.
    with pytest.raises(PackError, match="not newer than the installed pack 2026.12.1"):
        install_pack(first, trusted, root)
    assert _listing(root) == before  # nothing half-installed, no staging folder left
    assert read_state(root).current == "2026.12.1"

    install_pack(second, trusted, root)
    assert installed_rules_dir(root) == root / "2026.12.2"
    assert rollback(root) == ("2026.12.2", "2026.12.1")
    assert installed_rules_dir(root) == root / "2026.12.1"
    assert rollback(root) == ("2026.12.1", None)  # back to the shipped rules
    assert installed_rules_dir(root) is None
    with pytest.raises(PackError, match="nothing to roll back"):
        rollback(root)
    # A rolled-back pack's folder stayed (a running server may read it); installing that
    # version again replaces it with the freshly verified copy.
    install_pack(second, trusted, root)
    assert read_state(root).current == "2026.12.2"
    assert sorted(p.name for p in root.iterdir()) == ["2026.12.1", "2026.12.2", "state.json"]


def test_a_failing_pack_is_refused_and_nothing_installed(tmp_path, key, folder):
    root = tmp_path / "rules"
    path = folder / "xx.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["scenarios"][0]["expect"]["portrait_right"] = "not_met"  # a wrong expectation
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    pack = tmp_path / "bad.zip"
    build_pack(folder, key, "1.0", pack)  # build_pack signs; the CLI checks before signing
    with pytest.raises(PackError, match="fails its own checks") as exc:
        install_pack(pack, key.public_key(), root)
    assert "expected not_met, got met" in str(exc.value)
    assert _listing(root) == []
    assert read_pack(pack, key.public_key()).version == "1.0"  # the signature itself is fine


def test_path_traversal_in_the_manifest_is_refused(tmp_path, key, folder):
    pack = tmp_path / "p.zip"
    build_pack(folder, key, "1.0", pack)
    manifest = {"format": 1, "version": "1.0", "files": {"../evil.yaml": "00"}}
    body = json.dumps(manifest).encode()
    evil = _rewrite(pack, tmp_path / "evil.zip", lambda name, data: {
        "manifest.json": body, "manifest.sig": base64.b64encode(key.sign(body))}.get(name, data))
    with pytest.raises(PackError, match="file list is malformed"):
        read_pack(evil, key.public_key())


def test_the_app_settings_use_the_installed_pack(tmp_path, key, folder, monkeypatch):
    monkeypatch.delenv("CASEPREP_RULES_PATH", raising=False)
    instance = tmp_path / "instance"
    assert load_settings({"instance_path": instance}).rules_path.name == "jurisdictions"
    build_pack(folder, key, "3.0", tmp_path / "p.zip")
    install_pack(tmp_path / "p.zip", key.public_key(), instance / "rules")
    assert load_settings({"instance_path": instance}).rules_path == instance / "rules" / "3.0"
    # An explicit folder wins over the installed pack.
    assert load_settings({"instance_path": instance, "rules_path": VALID}).rules_path == VALID


def test_cli_pack_install_rollback(tmp_path, keys, folder, monkeypatch):
    monkeypatch.delenv("CASEPREP_RULES_PATH", raising=False)
    private, public = keys
    instance = tmp_path / "instance"
    runner = CliRunner()
    pack = tmp_path / "ngo-2026.12.1.zip"
    made = runner.invoke(main, ["rules", "pack", str(folder), "--key", str(private),
                                "--out", str(pack), "--version", "2026.12.1"])
    assert made.exit_code == 0, made.output
    assert made.output.startswith(f"packed 2 file(s) of {folder} as 2026.12.1")
    done = runner.invoke(main, ["rules", "install", str(pack), "--trust", str(public),
                                "--instance", str(instance), "--json"])
    assert done.exit_code == 0, done.output
    assert json.loads(done.output)["version"] == "2026.12.1"
    # `caseprep rules list` now reads the installed pack.
    listed = runner.invoke(main, ["rules", "list", "--json"],
                           env={"CASEPREP_INSTANCE_PATH": str(instance)})
    assert [row["code"] for row in json.loads(listed.output)] == ["xx"]
    again = runner.invoke(main, ["rules", "install", str(pack), "--trust", str(public),
                                 "--instance", str(instance)])
    assert again.exit_code == 1
    assert "refused: pack 2026.12.1 is not newer" in again.output
    back = runner.invoke(main, ["rules", "rollback", "--instance", str(instance)])
    assert back.exit_code == 0
    assert "rolled back from rule pack 2026.12.1 to the shipped rules" in back.output
    (folder / "xx.yaml").write_text("code: [", encoding="utf-8")
    broken = runner.invoke(main, ["rules", "pack", str(folder), "--key", str(private),
                                  "--out", str(tmp_path / "b.zip"), "--version", "9"])
    assert broken.exit_code == 1
    assert "fails its own checks" in broken.output
    assert not (tmp_path / "b.zip").exists()


def test_an_oversized_archive_is_refused_before_reading(tmp_path, key, folder, monkeypatch):
    pack = tmp_path / "p.zip"
    build_pack(folder, key, "1.0", pack)
    monkeypatch.setattr("caseprep.rules.packs.MAX_BYTES", 1000)  # the fixture is larger
    with pytest.raises(PackError, match="too large"):
        read_pack(pack, key.public_key())
