"""The browser session cookie, encrypted and authenticated, not only signed.

Flask's default cookie is signed base64 JSON: anyone holding it can read what it carries
(the case code, flash messages). Here the whole session is AES-256-GCM under a key derived
from SECRET_KEY (caseprep.cases.crypto.seal), so a copied cookie shows nothing; what makes
it *usable* is still checked on the server (caseprep.cases.sessions; issue 13, High 4).
"""

from __future__ import annotations

from flask.json.tag import TaggedJSONSerializer
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import BadSignature

from caseprep.cases import crypto

COOKIE_PURPOSE = "web-session-cookie-v1"


class _SealingSerializer:
    """The `dumps`/`loads` pair Flask's cookie interface asks for, sealing instead of signing."""

    def __init__(self, secret_key: str, ttl_seconds: int):
        self._secret, self._ttl = secret_key, ttl_seconds
        self._json = TaggedJSONSerializer()

    def dumps(self, value: dict) -> str:
        return crypto.seal(self._secret, COOKIE_PURPOSE, {"d": self._json.dumps(value)},
                           self._ttl)

    def loads(self, token: str, max_age: int | None = None) -> dict:
        body = crypto.unseal(self._secret, COOKIE_PURPOSE, token)
        if body is None or not isinstance(body.get("d"), str):
            raise BadSignature("session cookie")
        return self._json.loads(body["d"])


class EncryptedCookieSessionInterface(SecureCookieSessionInterface):
    """Flask's cookie session, with the cookie's content encrypted."""

    def get_signing_serializer(self, app):
        if not app.secret_key:
            return None
        secret = app.secret_key if isinstance(app.secret_key, str) else app.secret_key.decode()
        ttl = int(app.permanent_session_lifetime.total_seconds())
        return _SealingSerializer(secret, ttl)
