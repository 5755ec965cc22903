import time

import pytest

from caseprep.cases import crypto


def test_encrypt_round_trip_and_aad_binding():
    key = crypto.new_data_key()
    nonce, ct = crypto.encrypt(key, b"hello", b"aad-1")
    assert crypto.decrypt(key, nonce, ct, b"aad-1") == b"hello"
    with pytest.raises(crypto.AuthenticationFailed):
        crypto.decrypt(key, nonce, ct, b"aad-2")
    with pytest.raises(crypto.AuthenticationFailed):
        crypto.decrypt(crypto.new_data_key(), nonce, ct, b"aad-1")


def test_every_flipped_byte_is_detected():
    key = crypto.new_data_key()
    nonce, ct = crypto.encrypt(key, b"secret answer", b"a")
    for i in range(len(ct)):
        tampered = bytearray(ct)
        tampered[i] ^= 0x01
        with pytest.raises(crypto.AuthenticationFailed):
            crypto.decrypt(key, nonce, bytes(tampered), b"a")


def test_nonces_are_fresh():
    key = crypto.new_data_key()
    assert len({crypto.encrypt(key, b"x", b"")[0] for _ in range(200)}) == 200


def test_key_wrapping_needs_the_passphrase_and_the_code():
    params = crypto.KdfParams(n=2**10, r=8, p=1)
    salt = crypto.new_salt()
    data_key = crypto.new_data_key()
    wrapped = crypto.wrap_key(crypto.derive_kek("correct horse", salt, params), data_key, "AAAA")
    assert data_key not in wrapped
    kek = crypto.derive_kek("correct horse", salt, params)
    assert crypto.unwrap_key(kek, wrapped, "AAAA") == data_key
    with pytest.raises(crypto.AuthenticationFailed):
        crypto.unwrap_key(crypto.derive_kek("wrong horse", salt, params), wrapped, "AAAA")
    with pytest.raises(crypto.AuthenticationFailed):
        crypto.unwrap_key(kek, wrapped, "BBBB")


def test_passphrase_is_unicode_normalised():
    params = crypto.KdfParams(n=2**10, r=8, p=1)
    salt = crypto.new_salt()
    composed, decomposed = "caf\u00e9 密码", "cafe\u0301 密码"
    assert crypto.derive_kek(composed, salt, params) == crypto.derive_kek(decomposed, salt, params)


def test_sealed_tokens_round_trip_and_expire(monkeypatch):
    token = crypto.seal("server-secret", "api", {"c": "X"}, ttl_seconds=60)
    assert crypto.unseal("server-secret", "api", token)["c"] == "X"
    assert crypto.unseal("other-secret", "api", token) is None
    assert crypto.unseal("server-secret", "web", token) is None
    assert crypto.unseal("server-secret", "api", token[:-2] + "AA") is None
    assert crypto.unseal("server-secret", "api", "not a token!") is None
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + 61)
    assert crypto.unseal("server-secret", "api", token) is None
