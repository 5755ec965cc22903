"""Find the CJK fonts documents need, through fontconfig, and fail loudly when they are missing.

A Chinese police report printed with tofu boxes is worse than no report: WeasyPrint would
silently fall back to a font without CJK glyphs, so we look the fonts up ourselves first.
The project's set-up installs Debian's `fonts-noto-cjk` (scripts/setup-system.sh).
"""

from __future__ import annotations

import functools
import shutil
import subprocess
from dataclasses import dataclass

# Preferred families per document language, best first. Serif reads as the formal style of
# a written complaint in mainland China (宋体-like) and in Korea (명조/바탕-like, as a 고소장 is
# usually set); Sans is the fallback. Noto CJK KR has the Korean glyph forms (Hangul is in
# every Noto CJK face, but Hanja and punctuation differ).
_CJK_FAMILIES = {
    "zh_Hans": (
        "Noto Serif CJK SC", "Noto Sans CJK SC", "Source Han Serif SC", "Source Han Sans SC"
    ),
    "zh_Hant": ("Noto Serif CJK TC", "Noto Sans CJK TC"),
    "ja": ("Noto Serif CJK JP", "Noto Sans CJK JP"),
    "ko": ("Noto Serif CJK KR", "Noto Sans CJK KR"),
}
_FONTCONFIG_LANG = {"zh_Hans": "zh-cn", "zh_Hant": "zh-tw", "ja": "ja", "ko": "ko"}
# The East Asian font a DOCX names: one every Word in that language has (a DOCX cannot embed
# the server's fonts or list fallbacks). 바탕 (Batang) is the formal serif of Korean Windows.
_WORD_FAMILIES = {"zh_Hans": "SimSun", "zh_Hant": "PMingLiU", "ja": "MS Mincho", "ko": "Batang"}


class MissingFontError(RuntimeError):
    """No font with real glyphs for the document's script is installed."""


@dataclass(frozen=True)
class FontChoice:
    """The font families a document uses: a CJK family (or None for Latin-only) and Latin ones."""

    cjk_family: str | None
    latin_families: tuple[str, ...] = ("Noto Serif", "DejaVu Serif", "Liberation Serif")
    word_cjk_family: str = "SimSun"  # what a DOCX names for East Asian text

    def css_stack(self) -> str:
        """A CSS font-family value: the CJK family first (its Latin glyphs match its CJK ones),
        then Latin families; Latin-only documents still fall back to any installed CJK font so a
        Chinese name in an English document gets real glyphs."""
        names = [*([self.cjk_family] if self.cjk_family else []), *self.latin_families]
        if not self.cjk_family:
            names.append("Noto Serif CJK SC")
        return ", ".join(f'"{name}"' for name in names) + ", serif"


def needs_cjk(lang: str) -> bool:
    return lang in _CJK_FAMILIES


@functools.lru_cache(maxsize=8)
def installed_families(lang: str) -> frozenset[str]:
    """Families fontconfig reports as covering `lang` (empty when fc-list is missing)."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return frozenset()
    pattern = f":lang={_FONTCONFIG_LANG.get(lang, lang)}"
    out = subprocess.run(
        [fc_list, pattern, "family"], capture_output=True, text=True, timeout=20, check=False
    ).stdout
    families: set[str] = set()
    for line in out.splitlines():
        families.update(name.strip() for name in line.split(",") if name.strip())
    return frozenset(families)


def choose_fonts(lang: str) -> FontChoice:
    """The fonts for a document in `lang`; MissingFontError when CJK glyphs are unavailable."""
    if not needs_cjk(lang):
        return FontChoice(cjk_family=None)
    available = installed_families(lang)
    for family in _CJK_FAMILIES[lang]:
        if family in available:
            return FontChoice(cjk_family=family, word_cjk_family=_WORD_FAMILIES[lang])
    raise MissingFontError(
        f"No CJK font for {lang!r} documents is installed (looked for: "
        f"{', '.join(_CJK_FAMILIES[lang])}). Install Debian's fonts-noto-cjk "
        "(scripts/setup-system.sh) and run `fc-cache -f`."
    )
