"""Locale selection and start-up compilation of the Babel catalogs.

The locale comes from an explicit switch (stored in the session), then Accept-Language.
Compiled catalogs (.mo) are not committed: `init_app` compiles translations/*.po into the
instance folder when a .mo is missing or older than its .po, so a fresh clone and an
installed wheel (whose package folder may be read-only) both work.
"""

from __future__ import annotations

import datetime as dt
import io
import os
from pathlib import Path

from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask, g, has_request_context, request, session
from flask_babel import Domain, format_date, get_translations
from flask_babel.speaklater import LazyString
from jinja2 import pass_eval_context
from markupsafe import Markup

from caseprep import paths
from caseprep.appshell.extensions import babel

LOCALES = ("en", "zh_Hans", "ko")
DEFAULT_LOCALE = "en"
# Names shown in the language switch, each in its own language (never translated).
LOCALE_NAMES = {"en": "English", "zh_Hans": "简体中文", "ko": "한국어"}
SESSION_KEY = "locale"


def normalize_locale(tag: str | None) -> str | None:
    """Map a browser or user language tag to a shipped locale, or None.

    zh, zh-CN and zh-Hans (and other Chinese tags: we ship no Traditional catalog, and
    Simplified Chinese serves those readers better than English) map to zh_Hans; ko and
    ko-KR (and ko-KP) map to ko.
    """
    if not tag:
        return None
    tag = tag.strip().replace("_", "-").lower()
    if tag == "zh" or tag.startswith("zh-"):
        return "zh_Hans"
    if tag == "ko" or tag.startswith("ko-"):
        return "ko"
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


_LOCALE_OBJECTS: dict[str, Locale] = {}


def _select_locale_object() -> Locale:
    """`select_locale` as a shared babel Locale: Flask-Babel then skips `Locale.parse`."""
    code = select_locale()
    locale = _LOCALE_OBJECTS.get(code)
    if locale is None:
        locale = _LOCALE_OBJECTS[code] = Locale.parse(code)
    return locale


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


# --- the request's translations, looked up once ---
#
# Flask-Babel finds the translations anew for every string: `g`, its namespace, the domain,
# the locale, `str(locale)` and a cache look-up, several times over, which on a wizard page
# costs more than the translating. The translations found are kept on `g` with the locale
# and domain they were found for, and used again while Flask-Babel's request state still
# holds those same objects (so `force_locale` and `refresh` keep working: a different
# locale object falls back to Flask-Babel's own look-up).

_G_ATTR = "_caseprep_translations"


def _remembered():
    """The translations kept for the request's current locale and domain, or None."""
    try:
        state = g._get_current_object()
        babel_state = state._flask_babel
        locale, domain, translations = getattr(state, _G_ATTR)
    except (RuntimeError, AttributeError, TypeError, ValueError):
        return None
    if locale is getattr(babel_state, "babel_locale", None) \
            and domain is getattr(babel_state, "babel_domain", None):
        return translations
    return None


def _remember(domain, translations) -> None:
    try:
        state = g._get_current_object()
        locale = state._flask_babel.babel_locale
    except (RuntimeError, AttributeError):
        return
    setattr(state, _G_ATTR, (locale, domain, translations))


class RequestCachedDomain(Domain):
    """Flask-Babel's Domain, keeping the translations it finds for the rest of the request."""

    def get_translations(self):
        translations = _remembered()
        if translations is None:
            translations = super().get_translations()
            _remember(self, translations)
        return translations


def request_translations():
    """The translations for the current request (Flask-Babel's `get_translations`)."""
    translations = _remembered()
    return translations if translations is not None else get_translations()


def gettext(string: str, **variables) -> str:
    """Flask-Babel's `gettext` (same text and `%` formatting) without its look-up chain."""
    rv = request_translations().ugettext(string)
    return rv % variables if variables else rv


def lazy_gettext(string: str, **variables) -> LazyString:
    """Flask-Babel's `lazy_gettext` (a LazyString, translated when shown) on `gettext`."""
    return LazyString(gettext, string, **variables)


# Jinja's newstyle gettext (what Flask-Babel installs), without its look-up chain: the
# string is marked safe when autoescaping, so `%` escapes the variables, and it is
# `%`-formatted (so "%%" gives "%") as `jinja2.ext._make_new_gettext` does.
@pass_eval_context
def _jinja_gettext(eval_ctx, string: str, **variables) -> str:
    rv = request_translations().ugettext(string)
    if eval_ctx.autoescape:
        rv = Markup(rv)  # noqa: S704 - translator text, marked safe as Jinja does
    # Without variables and without a "%", formatting returns the text unchanged.
    return rv % variables if variables or "%" in rv else rv


@pass_eval_context
def _jinja_ngettext(eval_ctx, singular: str, plural: str, num: int, **variables) -> str:
    variables.setdefault("num", num)
    rv = request_translations().ungettext(singular, plural, num)
    if eval_ctx.autoescape:
        rv = Markup(rv)  # noqa: S704 - translator text, marked safe as Jinja does
    return rv % variables


_domains: dict[str, RequestCachedDomain] = {}


def init_app(app: Flask) -> None:
    """Compile the catalogs into the instance folder and start Flask-Babel on them."""
    target = compiled_dir(Path(app.instance_path))
    compile_catalogs(paths.resource_dir("translations"), target)
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(target)
    babel.init_app(app, locale_selector=_select_locale_object)
    # One domain object per process, as Flask-Babel's own (its catalog cache stays shared).
    name = app.config.get("BABEL_DOMAIN", "messages")
    babel.domain_instance = _domains.setdefault(name, RequestCachedDomain(domain=name))
    app.jinja_env.globals.update(gettext=_jinja_gettext, ngettext=_jinja_ngettext,
                                 _=_jinja_gettext)
    app.jinja_env.globals.update(LOCALES=LOCALES, LOCALE_NAMES=LOCALE_NAMES)
    app.jinja_env.filters["local_date"] = local_date


def local_date(value) -> str:
    """A date (or ISO date string) in the request's locale; '' when there is none."""
    if not value:
        return ""
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            return value
    return format_date(value, format="long")
