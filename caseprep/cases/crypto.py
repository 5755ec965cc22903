"""Per-case encryption: AES-256-GCM for every record, scrypt-derived keys wrapping the data key.

The server never stores a passphrase or an unwrapped data key. Every ciphertext is bound by
its AAD to where it belongs (case code + record name), so a blob copied from one case or
record into another fails authentication instead of decrypting.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import time
import unicodedata
from dataclasses import dataclass
from typing import Any, Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from caseprep.cases.errors import CaseCorrupted

KEY_BYTES = 32  # AES-256
NONCE_BYTES = 12  # the GCM standard nonce (NIST SP 800-38D)
SALT_BYTES = 16


class AuthenticationFailed(Exception):
    """GCM tag check failed: wrong key, wrong AAD or tampered bytes."""


class KdfSettings(Protocol):
    """The scrypt cost settings (caseprep.config.Settings has them)."""

    kdf_n: int
    kdf_r: int
    kdf_p: int


@dataclass(frozen=True)
class KdfParams:
    """scrypt cost parameters, stored with each case so they can be raised for new cases."""

    n: int
    r: int
    p: int

    @classmethod
    def from_settings(cls, settings: KdfSettings) -> KdfParams:
        return cls(n=settings.kdf_n, r=settings.kdf_r, p=settings.kdf_p)

    def to_dict(self) -> dict[str, Any]:
        return {"alg": "scrypt", "n": self.n, "r": self.r, "p": self.p}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> KdfParams:
        if data.get("alg") != "scrypt":
            raise CaseCorrupted("unknown key-derivation algorithm")
        return cls(n=int(data["n"]), r=int(data["r"]), p=int(data["p"]))


def new_data_key() -> bytes:
    return os.urandom(KEY_BYTES)


def readable_secret() -> str:
    """A passphrase to show once and read out: 120 random bits as six groups of four
    letters and digits (one-time bundle passphrases, a lawyer's access)."""
    text = base64.b32encode(os.urandom(15)).decode().rstrip("=")
    return "-".join(text[i:i + 4] for i in range(0, len(text), 4))


def new_salt() -> bytes:
    return os.urandom(SALT_BYTES)


def encrypt(key: bytes, plaintext: bytes, aad: bytes) -> tuple[bytes, bytes]:
    """AES-256-GCM with a fresh random nonce; returns (nonce, ciphertext+tag)."""
    nonce = os.urandom(NONCE_BYTES)
    return nonce, AESGCM(key).encrypt(nonce, plaintext, aad)


def decrypt(key: bytes, nonce: bytes, ciphertext: bytes, aad: bytes) -> bytes:
    """Inverse of `encrypt`; raises AuthenticationFailed rather than return altered bytes."""
    try:
        return AESGCM(key).decrypt(nonce, ciphertext, aad)
    except (InvalidTag, ValueError) as exc:
        raise AuthenticationFailed() from exc


def derive_kek(passphrase: str, salt: bytes, params: KdfParams) -> bytes:
    """The key-encryption key from a passphrase (NFC-normalised so input methods agree)."""
    secret = unicodedata.normalize("NFC", passphrase).encode("utf-8")
    kdf = Scrypt(salt=salt, length=KEY_BYTES, n=params.n, r=params.r, p=params.p)
    return kdf.derive(secret)


def _wrap_aad(code: str) -> bytes:
    return b"caseprep:data-key:v1:" + code.encode("ascii")


def wrap_key(kek: bytes, data_key: bytes, code: str) -> bytes:
    """The data key encrypted under the KEK, bound to the case code; nonce || ciphertext."""
    nonce, ct = encrypt(kek, data_key, _wrap_aad(code))
    return nonce + ct


def unwrap_key(kek: bytes, wrapped: bytes, code: str) -> bytes:
    """Recover the data key; raises AuthenticationFailed on a wrong KEK or tampered bytes."""
    key = decrypt(kek, wrapped[:NONCE_BYTES], wrapped[NONCE_BYTES:], _wrap_aad(code))
    if len(key) != KEY_BYTES:
        raise AuthenticationFailed()
    return key


def record_aad(code: str, name: str) -> bytes:
    """AAD for a case record: a record cannot be moved to another case or another name."""
    return f"caseprep:record:v1:{code}:{name}".encode()


# --- sealing to a public key: a background job writes what only the case can read ---

PUBLIC_KEY_BYTES = 32


def new_keypair() -> tuple[bytes, bytes]:
    """A fresh X25519 (private, public) pair, raw bytes."""
    private = X25519PrivateKey.generate()
    return (private.private_bytes_raw(), private.public_key().public_bytes_raw())


def _box_key(shared: bytes, ephemeral_public: bytes, recipient_public: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES,
                salt=ephemeral_public + recipient_public,
                info=b"caseprep:sealed-box:v1").derive(shared)


def seal_to(public_key: bytes, plaintext: bytes, aad: bytes) -> bytes:
    """Encrypt for the holder of the private key of `public_key` (ECIES: X25519, HKDF,
    AES-GCM); the sender cannot decrypt it afterwards. ephemeral public || nonce || ct."""
    ephemeral = X25519PrivateKey.generate()
    ephemeral_public = ephemeral.public_key().public_bytes_raw()
    shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(public_key))
    nonce, ct = encrypt(_box_key(shared, ephemeral_public, public_key), plaintext, aad)
    return ephemeral_public + nonce + ct


def open_sealed(private_key: bytes, sealed: bytes, aad: bytes) -> bytes:
    """Inverse of `seal_to`; raises AuthenticationFailed on a wrong key or altered bytes."""
    if len(sealed) < PUBLIC_KEY_BYTES + NONCE_BYTES + 16:
        raise AuthenticationFailed()
    private = X25519PrivateKey.from_private_bytes(private_key)
    ephemeral_public = sealed[:PUBLIC_KEY_BYTES]
    try:
        shared = private.exchange(X25519PublicKey.from_public_bytes(ephemeral_public))
    except ValueError as exc:
        raise AuthenticationFailed() from exc
    key = _box_key(shared, ephemeral_public, private.public_key().public_bytes_raw())
    rest = sealed[PUBLIC_KEY_BYTES:]
    return decrypt(key, rest[:NONCE_BYTES], rest[NONCE_BYTES:], aad)


# --- sealed tokens: the API bearer token and the web session carry the data key this way ---


def _b64e(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _b64d(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def purpose_key(secret_key: str, purpose: str) -> bytes:
    """A 256-bit key for one purpose derived from the server's SECRET_KEY (HMAC-SHA256)."""
    label = b"caseprep:" + purpose.encode()
    return hmac.new(secret_key.encode("utf-8"), label, hashlib.sha256).digest()


def seal(secret_key: str, purpose: str, payload: dict[str, Any], ttl_seconds: int) -> str:
    """Encrypt and authenticate a JSON payload with an expiry; base64url text.

    The server keeps no copy: whoever holds the token holds what it carries until it expires.
    """
    body = dict(payload, exp=int(time.time()) + int(ttl_seconds))
    key = purpose_key(secret_key, purpose)
    nonce, ct = encrypt(key, json.dumps(body).encode(), purpose.encode())
    return _b64e(nonce + ct)


def unseal(secret_key: str, purpose: str, token: str) -> dict[str, Any] | None:
    """The payload of a sealed token, or None when it is malformed, forged or expired."""
    try:
        raw = _b64d(token)
        if len(raw) <= NONCE_BYTES:
            return None
        plain = decrypt(purpose_key(secret_key, purpose), raw[:NONCE_BYTES], raw[NONCE_BYTES:],
                        purpose.encode())
        body = json.loads(plain)
    except (AuthenticationFailed, ValueError, TypeError):
        return None
    if not isinstance(body, dict) or not isinstance(body.get("exp"), int):
        return None
    if body["exp"] < time.time():
        return None
    return body


def b64encode_key(key: bytes) -> str:
    return _b64e(key)


def b64decode_key(text: str) -> bytes:
    return _b64d(text)
