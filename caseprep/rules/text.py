"""Translatable texts inside rule files: `{en: ..., zh_Hans: ...}` maps, and picking one."""

from __future__ import annotations

import re

Text = dict[str, str]

LANG_CODE = re.compile(r"^[a-z]{2,3}(_[A-Za-z]{2,4})?$")
FALLBACK_LANG = "en"


def pick(text: Text | None, lang: str) -> str:
    """The text in `lang`, else its base language (zh for zh_Hans), else English, else any."""
    if not text:
        return ""
    if lang in text:
        return text[lang]
    base = lang.split("_", 1)[0]
    for code, value in text.items():
        if code.split("_", 1)[0] == base:
            return value
    if FALLBACK_LANG in text:
        return text[FALLBACK_LANG]
    return next(iter(text.values()))


def missing_languages(text: object, required: tuple[str, ...]) -> list[str]:
    """Required language codes that `text` lacks (or has empty)."""
    if not isinstance(text, dict):
        return list(required)
    return [
        lang for lang in required if not (isinstance(text.get(lang), str) and text[lang].strip())
    ]
