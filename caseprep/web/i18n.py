"""Locale selection and start-up compilation of the Babel catalogs.

The locale comes from an explicit switch (stored in the session), then Accept-Language.
Compiled catalogs (.mo) are not committed: `init_app` compiles translations/*.po into the
instance folder when a .mo is missing or older than its .po, so a fresh clone and an
installed wheel (whose package folder may be read-only) both work.
"""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask, has_request_context, request, session

LOCALES = ("en", "zh_Hans")
DEFAULT_LOCALE = "en"
# Names shown in the language switch, each in its own language (never translated).
LOCALE_NAMES = {"en": "English", "zh_Hans": "简体中文"}
SESSION_KEY = "locale"


def normalize_locale(tag: str | None) -> str | None:
    """Map a browser or user language tag to a shipped locale, or None.

    zh, zh-CN and zh-Hans (and other Chinese tags: we ship no Traditional catalog, and
    Simplified Chinese serves those readers better than English) map to zh_Hans.
    """
    if not tag:
        return None
    tag = tag.strip().replace("_", "-").lower()
    if tag == "zh" or tag.startswith("zh-"):
        return "zh_Hans"
    if tag == "en" or tag.startswith("en-"):
        return "en"
    return None


def select_locale() -> str:
    """Flask-Babel's locale selector: the session's explicit choice, then Accept-Language."""
    if not has_request_context():
        return DEFAULT_LOCALE
    chosen = session.get(SESSION_KEY)
    if chosen in LOCALES:
        return chosen
    for tag, _quality in request.accept_languages:
        locale = normalize_locale(tag)
        if locale:
            return locale
    return DEFAULT_LOCALE


def set_locale(locale: str) -> bool:
    """Remember an explicit language choice; False when `locale` is not shipped."""
    if locale not in LOCALES:
        return False
    session[SESSION_KEY] = locale
    return True


def compile_catalogs(source_dir: Path, target_dir: Path) -> list[Path]:
    """Compile every `<locale>/LC_MESSAGES/*.po` under source_dir into target_dir.

    Only stale or missing .mo files are written (atomically), so several app servers
    starting together do not trip over each other. Returns the .mo files written.
    """
    written = []
    for po_path in sorted(source_dir.glob("*/LC_MESSAGES/*.po")):
        rel = po_path.relative_to(source_dir).with_suffix(".mo")
        mo_path = target_dir / rel
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        mo_path.parent.mkdir(parents=True, exist_ok=True)
        tmp = mo_path.with_name(f".{mo_path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(_compiled(po_path, rel.parts[0]))
        os.replace(tmp, mo_path)
        written.append(mo_path)
    return written


_compiled_cache: dict[tuple, bytes] = {}


def _compiled(po_path: Path, locale: str) -> bytes:
    """The .mo bytes of a .po file, remembered per process (apps in tests start often)."""
    import io

    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    stat = po_path.stat()
    key = (str(po_path), stat.st_mtime_ns, stat.st_size)
    if key not in _compiled_cache:
        with po_path.open("rb") as fh:
            catalog = read_po(fh, locale=locale)
        buffer = io.BytesIO()
        write_mo(buffer, catalog, use_fuzzy=False)
        _compiled_cache[key] = buffer.getvalue()
    return _compiled_cache[key]


def compiled_dir(instance_path: Path) -> Path:
    """Where the compiled catalogs of one instance live."""
    return Path(instance_path) / "translations"


def init_app(app: Flask) -> None:
    """Compile the catalogs into the instance folder and start Flask-Babel on them."""
    from caseprep import paths
    from caseprep.web.extensions import babel

    target = compiled_dir(Path(app.instance_path))
    compile_catalogs(paths.resource_dir("translations"), target)
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(target)
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.globals.update(LOCALES=LOCALES, LOCALE_NAMES=LOCALE_NAMES)
    app.jinja_env.filters["local_date"] = _local_date_filter


def _local_date_filter(value) -> str:
    from caseprep.web.wizard.results import local_date

    return local_date(value)
