"""Signed rule packs: an NGO publishes a rules folder; a deployment installs it without a release.

A pack is a ZIP archive holding `manifest.json` (format, pack version, the jurisdictions'
versions and the SHA-256 of every file), `manifest.sig` (an Ed25519 signature of the manifest's
exact bytes, base64) and the folder's files under `rules/`. Installing verifies the signature
with a key the deployment trusts, every file's hash (no file more, none less), the version
(newer than the installed pack), then validates the folder and runs its scenarios and binding
published cases — all in a temporary folder beside the installed packs, renamed into place
only when everything passed, so nothing is ever half-installed (issue 19).

Installed packs live in `<instance>/rules/<version>/`; `<instance>/rules/state.json` names the
current one and the ones before it, for `rollback`.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import os
import re
import shutil
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from caseprep.rules.corpus import load_cases, run_case
from caseprep.rules.loader import validate_paths
from caseprep.rules.scenarios import run_scenarios

PACK_FORMAT = 1
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
FILES_PREFIX = "rules/"
STATE_FILE = "state.json"
VERSION = re.compile(r"^[0-9]+(\.[0-9]+){0,5}$")  # also the installed folder's name
MAX_FILES = 5000
MAX_BYTES = 64 * 1024 * 1024  # uncompressed; a rules folder is a few megabytes
KEEP_PACKS = 5  # installed packs kept for rollback besides the current one


class PackError(Exception):
    """A pack is refused or cannot be made; the message says why, in words."""


@dataclass
class Pack:
    """A verified pack: its manifest and its files' bytes (relative path -> bytes)."""

    manifest: dict[str, Any]
    manifest_bytes: bytes
    signature: bytes
    files: dict[str, bytes] = field(default_factory=dict)

    @property
    def version(self) -> str:
        return str(self.manifest["version"])


# --- keys ---------------------------------------------------------------------------------

def load_private_key(path: Path) -> Ed25519PrivateKey:
    """An Ed25519 private key in PEM (`openssl genpkey -algorithm ed25519`)."""
    try:
        key = serialization.load_pem_private_key(Path(path).read_bytes(), password=None)
    except (OSError, ValueError, TypeError) as exc:
        raise PackError(f"{path}: not a readable unencrypted PEM private key ({exc})") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise PackError(f"{path}: the key is not an Ed25519 key")
    return key


def load_public_key(path: Path) -> Ed25519PublicKey:
    """An Ed25519 public key in PEM (`openssl pkey -in key.pem -pubout`)."""
    try:
        key = serialization.load_pem_public_key(Path(path).read_bytes())
    except (OSError, ValueError) as exc:
        raise PackError(f"{path}: not a readable PEM public key ({exc})") from exc
    if not isinstance(key, Ed25519PublicKey):
        raise PackError(f"{path}: the key is not an Ed25519 key")
    return key


def fingerprint(key: Ed25519PublicKey) -> str:
    """A short, comparable name of a public key: SHA-256 of its raw bytes, first 16 hex."""
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


# --- checking a folder ---------------------------------------------------------------------

def check_folder(folder: Path) -> list[str]:
    """Every validation error, failing scenario and failing binding case of a rules folder."""
    found, errors = validate_paths([Path(folder)])
    problems = [error.located() for error in errors]
    for code in sorted(found):
        for result in run_scenarios(found[code]):
            problems += [f"{code} scenario {result.name!r}: {f}" for f in result.failures]
        cases, case_errors = load_cases(Path(folder), found[code])
        problems += [error.located() for error in case_errors]
        for case in cases:
            verdict = run_case(found[code], case)
            if case.binding and not verdict.agrees:
                problems += [f"{code} case {case.id}: {f}" for f in verdict.failures]
    if not found and not problems:
        problems.append("no rule file in the folder")
    return problems


# --- making a pack -------------------------------------------------------------------------

def _folder_files(folder: Path) -> list[Path]:
    """The files a pack carries: every regular file, hidden names and caches left out."""
    chosen = []
    for path in sorted(Path(folder).rglob("*")):
        rel = path.relative_to(folder)
        if any(part.startswith(".") or part == "__pycache__" for part in rel.parts):
            continue
        if path.is_symlink():
            raise PackError(f"{rel}: a pack cannot carry symbolic links")
        if path.is_file():
            chosen.append(path)
    return chosen


def build_pack(folder: Path, key: Ed25519PrivateKey, version: str, out: Path,
               now: dt.datetime | None = None) -> dict[str, Any]:
    """Sign `folder` as pack `version` into `out` (written whole, then renamed); the manifest.

    The caller checks the folder first (`check_folder`): a pack that fails is refused at
    install anyway.
    """
    if not VERSION.match(version):
        raise PackError(f"pack version {version!r}: use numbers and dots, e.g. 2026.12.1")
    folder = Path(folder)
    found, _errors = validate_paths([folder])
    files = {path.relative_to(folder).as_posix(): path.read_bytes()
             for path in _folder_files(folder)}
    manifest = {
        "format": PACK_FORMAT,
        "version": version,
        "created_at": (now or dt.datetime.now(dt.UTC)).replace(microsecond=0).isoformat(),
        "jurisdictions": {code: found[code].version for code in sorted(found)},
        "files": {name: hashlib.sha256(data).hexdigest() for name, data in sorted(files.items())},
    }
    manifest_bytes = json.dumps(manifest, indent=2, sort_keys=True).encode("utf-8")
    signature = base64.b64encode(key.sign(manifest_bytes))
    out = Path(out)
    fd, tmp = tempfile.mkstemp(prefix=".pack-", dir=out.parent or ".")
    try:
        with os.fdopen(fd, "wb") as fh, zipfile.ZipFile(fh, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr(MANIFEST, manifest_bytes)
            zf.writestr(SIGNATURE, signature)
            for name, data in sorted(files.items()):
                zf.writestr(FILES_PREFIX + name, data)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return manifest


# --- reading and verifying a pack ----------------------------------------------------------

def read_pack(path: Path, trusted: Ed25519PublicKey) -> Pack:
    """The pack at `path`, verified against `trusted`; PackError says what is wrong."""
    try:
        archive = zipfile.ZipFile(Path(path))
    except (OSError, zipfile.BadZipFile) as exc:
        raise PackError(f"{path}: not a rule pack (not a readable ZIP archive)") from exc
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_FILES or sum(i.file_size for i in infos) > MAX_BYTES:
            raise PackError(f"{path}: too large for a rule pack")
        names = {info.filename for info in infos}
        if MANIFEST not in names:
            raise PackError(f"{path}: not a rule pack (no {MANIFEST})")
        if SIGNATURE not in names:
            raise PackError(f"{path}: the pack is not signed (no {SIGNATURE}); refused")
        manifest_bytes = archive.read(MANIFEST)
        try:
            signature = base64.b64decode(archive.read(SIGNATURE), validate=True)
            trusted.verify(signature, manifest_bytes)
        except (ValueError, InvalidSignature) as exc:
            raise PackError(f"{path}: the signature does not match the trusted key "
                            f"{fingerprint(trusted)}: the pack was altered or signed by "
                            f"another key; refused") from exc
        manifest = _parse_manifest(path, manifest_bytes)
        listed = manifest["files"]
        pack = Pack(manifest, manifest_bytes, signature)
        for info in infos:
            name = info.filename
            if name in (MANIFEST, SIGNATURE) or info.is_dir():
                continue
            rel = name[len(FILES_PREFIX):] if name.startswith(FILES_PREFIX) else None
            if rel is None or not _safe(rel) or rel not in listed:
                raise PackError(f"{path}: {name} is not in the signed manifest; refused")
            data = archive.read(info)
            if hashlib.sha256(data).hexdigest() != listed[rel]:
                raise PackError(f"{path}: {rel} was altered after signing (SHA-256 differs "
                                f"from the signed manifest); refused")
            pack.files[rel] = data
        missing = sorted(set(listed) - set(pack.files))
        if missing:
            raise PackError(f"{path}: files of the signed manifest are missing: "
                            f"{', '.join(missing[:5])}; refused")
    return pack


def _parse_manifest(path: Path | str, manifest_bytes: bytes) -> dict[str, Any]:
    try:
        manifest = json.loads(manifest_bytes)
    except ValueError as exc:
        raise PackError(f"{path}: {MANIFEST} is not JSON") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != PACK_FORMAT:
        raise PackError(f"{path}: unknown pack format (this caseprep reads format "
                        f"{PACK_FORMAT})")
    version = manifest.get("version")
    if not isinstance(version, str) or not VERSION.match(version):
        raise PackError(f"{path}: the manifest's version {version!r} is not numbers and dots")
    files = manifest.get("files")
    if not isinstance(files, dict) or not all(_safe(n) for n in files):
        raise PackError(f"{path}: the manifest's file list is malformed")
    return manifest


def _safe(name: str) -> bool:
    """A relative path inside the pack folder: no absolute path, no `..`, no backslash."""
    pure = PurePosixPath(name)
    return (bool(name) and "\\" not in name and not pure.is_absolute()
            and not any(part.startswith(".") for part in pure.parts))  # "..", ".git", ...


def version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


# --- installing, rolling back --------------------------------------------------------------

@dataclass
class State:
    """Which installed pack is in use (`current`; None: the shipped rules) and the ones before."""

    current: str | None = None
    previous: list[str] = field(default_factory=list)


def read_state(root: Path) -> State:
    try:
        data = json.loads((Path(root) / STATE_FILE).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return State()
    except (OSError, ValueError) as exc:
        raise PackError(f"{root / STATE_FILE}: unreadable ({exc})") from exc
    return State(data.get("current"), list(data.get("previous") or []))


def _write_state(root: Path, state: State) -> None:
    fd, tmp = tempfile.mkstemp(prefix=".state-", dir=root)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump({"current": state.current, "previous": state.previous}, fh, indent=2)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, Path(root) / STATE_FILE)


def installed_rules_dir(root: Path) -> Path | None:
    """The folder of the pack in use under `root` (<instance>/rules), or None."""
    try:
        state = read_state(root)
    except PackError:
        return None
    if state.current and VERSION.match(state.current) and (Path(root) / state.current).is_dir():
        return Path(root) / state.current
    return None


def install_pack(path: Path, trusted: Ed25519PublicKey, root: Path,
                 check: Callable[[Path], list[str]] = check_folder) -> Pack:
    """Verify, check and install the pack at `path` under `root`; return it.

    PackError when refused; then nothing under `root` has changed.
    """
    pack = read_pack(path, trusted)
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    state = read_state(root)
    if state.current and version_key(pack.version) <= version_key(state.current):
        raise PackError(f"pack {pack.version} is not newer than the installed pack "
                        f"{state.current}; refused (to go back, use rollback)")
    staging = Path(tempfile.mkdtemp(prefix=".install-", dir=root))
    try:
        for rel, data in pack.files.items():
            target = staging / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        (staging / MANIFEST).write_bytes(pack.manifest_bytes)
        (staging / SIGNATURE).write_bytes(base64.b64encode(pack.signature))
        problems = check(staging)
        if problems:
            shown = "\n  ".join(problems[:10])
            more = f"\n  ... and {len(problems) - 10} more" if len(problems) > 10 else ""
            raise PackError(f"pack {pack.version} fails its own checks; refused:\n  "
                            f"{shown}{more}")
        final = root / pack.version
        if final.exists():  # left by an earlier rollback: replaced by this verified copy
            shutil.rmtree(final)
        os.rename(staging, final)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    previous = ([state.current] if state.current else []) + state.previous
    _write_state(root, State(pack.version, previous[:KEEP_PACKS]))
    for stale in previous[KEEP_PACKS:]:
        if stale != pack.version and VERSION.match(stale):
            shutil.rmtree(root / stale, ignore_errors=True)
    return pack


def rollback(root: Path) -> tuple[str | None, str | None]:
    """Go back to the pack installed before the current one (or the shipped rules).

    Returns (from version, to version or None for the shipped rules). The rolled-back
    pack's folder stays (a running server may still read it) until a newer install.
    """
    root = Path(root)
    state = read_state(root)
    if state.current is None:
        raise PackError("no rule pack is installed; nothing to roll back")
    back_to = next((v for v in state.previous if (root / v).is_dir()), None)
    rest = state.previous[state.previous.index(back_to) + 1:] if back_to else []
    _write_state(root, State(back_to, rest))
    return state.current, back_to


def manifest_of(folder: Path) -> dict[str, Any] | None:
    """The manifest an installed pack folder carries (for pages and `rules list`), or None."""
    try:
        manifest = json.loads((Path(folder) / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return manifest if isinstance(manifest, dict) else None

