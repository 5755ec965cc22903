"""Case codes: 16 random Crockford base32 symbols (80 bits) shown as XXXX-XXXX-XXXX-XXXX.

Crockford's alphabet has no I, L, O or U, and decoding maps the look-alikes (O -> 0,
I/L -> 1), so a code copied by hand from paper still works; https://www.crockford.com/base32.html.
Codes are random, never sequential: 2**80 makes guessing hopeless even without the rate limits.
"""

from __future__ import annotations

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
GROUPS = 4
GROUP_LEN = 4
CODE_LEN = GROUPS * GROUP_LEN
_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})
_IGNORED = str.maketrans("", "", " -_\t\u00a0\u3000")


def generate_code() -> str:
    """A new random case code, formatted with dashes."""
    return format_code("".join(secrets.choice(ALPHABET) for _ in range(CODE_LEN)))


def format_code(symbols: str) -> str:
    return "-".join(symbols[i : i + GROUP_LEN] for i in range(0, CODE_LEN, GROUP_LEN))


def normalize_code(text: str) -> str | None:
    """The canonical form of a typed code (any case, with or without dashes/spaces), or None."""
    if not isinstance(text, str) or len(text) > 64:
        return None
    symbols = text.upper().translate(_IGNORED).translate(_LOOKALIKES)
    if len(symbols) != CODE_LEN or any(ch not in ALPHABET for ch in symbols):
        return None
    return format_code(symbols)
