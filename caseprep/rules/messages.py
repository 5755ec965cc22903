"""The engine's own phrases (reasons, yes/no) translated through the Babel catalogs.

The rules core must not import Flask, so it reads translations/<lang>/LC_MESSAGES/messages.mo
(or the .po when no .mo was compiled yet) with Babel directly. Strings are marked with `_()`
so the project's `pybabel extract` finds them; the function itself returns the message unchanged.
"""

from __future__ import annotations

import gettext as _gettext
from functools import lru_cache
from pathlib import Path

from caseprep import paths


def _(message: str) -> str:
    """Mark a phrase for extraction; it is translated later by `translate(message, lang)`."""
    return message


@lru_cache(maxsize=32)
def _catalog(lang: str) -> dict[str, str]:
    try:
        folder = paths.resource_dir("translations")
    except FileNotFoundError:
        return {}
    for candidate in (lang, lang.split("_", 1)[0]):
        lc = Path(folder) / candidate / "LC_MESSAGES"
        mo, po = lc / "messages.mo", lc / "messages.po"
        if mo.is_file():
            with mo.open("rb") as fh:
                # The parsed table; gettext's types leave its _catalog out.
                return dict(_gettext.GNUTranslations(fh)._catalog)  # type: ignore[attr-defined]
        if po.is_file():
            from babel.messages.pofile import read_po

            with po.open("rb") as fh:
                catalog = read_po(fh)
            # Singular entries only: a plural's forms are a tuple, which `translate` cannot use.
            return {m.id: m.string for m in catalog
                    if isinstance(m.id, str) and m.id and isinstance(m.string, str)
                    and m.string and not m.fuzzy}
    return {}


def translate(message: str, lang: str) -> str:
    """`message` in `lang` when the catalog has it, else unchanged (English)."""
    if lang == "en":
        return message
    return _catalog(lang).get(message) or message
