"""The shipped catalogs: complete, not fuzzy, in step with the code, compiled at start-up."""

from __future__ import annotations

import gettext
import os
import shutil
from pathlib import Path

import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

from caseprep import paths
from caseprep.appshell.i18n import LOCALES, compile_catalogs, compiled_dir

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = paths.resource_dir("translations")


def _catalog(locale):
    with (TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        return read_po(fh, locale=locale)


def _strings(message) -> list[str]:
    return list(message.string) if isinstance(message.string, tuple | list) else [message.string]


@pytest.mark.parametrize("locale", LOCALES)
def test_catalog_has_no_untranslated_or_fuzzy_entries(locale):
    catalog = _catalog(locale)
    messages = [m for m in catalog if m.id]
    assert messages, f"{locale}: empty catalog"
    fuzzy = [m.id for m in messages if m.fuzzy]
    empty = [m.id for m in messages if not all(s.strip() for s in _strings(m))]
    assert not fuzzy, f"{locale}: fuzzy entries: {fuzzy[:10]}"
    assert not empty, f"{locale}: untranslated entries: {empty[:10]}"


@pytest.mark.parametrize("locale", LOCALES)
def test_translations_keep_the_placeholders(locale):
    problems = []
    for message, errors in _catalog(locale).check():
        problems += [f"{message.id!r}: {e}" for e in errors]
    assert not problems, "\n".join(problems[:10])


def test_chinese_catalog_is_really_chinese():
    """Each Chinese entry differs from the English source (brand names and codes aside)."""
    same = [m.id for m in _catalog("zh_Hans") if m.id and isinstance(m.id, str)
            and m.string == m.id and any(c.isalpha() for c in m.id)
            and m.id not in ("caseprep",)]
    assert not same, f"left in English: {same[:10]}"


def test_catalogs_match_the_strings_in_the_code(tmp_path):
    """Re-extract every string of the project and compare (SecureDrop's check-strings)."""
    pot = tmp_path / "messages.pot"
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        CommandLineInterface().run([
            "pybabel", "-q", "extract", "-F", "babel.cfg", "-k", "_l", "-k", "lazy_gettext",
            "-k", "ngettext:1,2", "--no-location", "-o", str(pot), "."])
    finally:
        os.chdir(cwd)
    with pot.open("rb") as fh:
        extracted = {m.id for m in read_po(fh) if m.id}
    for locale in LOCALES:
        shipped = {m.id for m in _catalog(locale) if m.id}
        missing = sorted(map(str, extracted - shipped))
        stale = sorted(map(str, shipped - extracted))
        assert not missing, f"{locale}: not in the catalog (pybabel update): {missing[:10]}"
        assert not stale, f"{locale}: obsolete strings in the catalog: {stale[:10]}"


def test_app_start_compiles_current_catalogs(app):
    target = compiled_dir(Path(app.instance_path))
    for locale in LOCALES:
        mo = target / locale / "LC_MESSAGES" / "messages.mo"
        assert mo.is_file(), f"{locale}: not compiled at start-up"
        with mo.open("rb") as fh:
            compiled = gettext.GNUTranslations(fh)._catalog
        for message in _catalog(locale):
            if message.id and isinstance(message.id, str):
                assert compiled.get(message.id) == message.string, message.id


def test_stale_compiled_catalog_is_rebuilt(tmp_path):
    source = tmp_path / "po"
    shutil.copytree(TRANSLATIONS, source, ignore=shutil.ignore_patterns("*.mo"))
    target = tmp_path / "mo"
    assert len(compile_catalogs(source, target)) == len(LOCALES)
    assert compile_catalogs(source, target) == []  # up to date: nothing rewritten
    po = source / "zh_Hans" / "LC_MESSAGES" / "messages.po"
    text = po.read_text(encoding="utf-8").replace('msgstr "快速离开"', 'msgstr "马上离开"')
    po.write_text(text, encoding="utf-8")
    mo = target / "zh_Hans" / "LC_MESSAGES" / "messages.mo"
    os.utime(po, (mo.stat().st_mtime + 5, mo.stat().st_mtime + 5))
    assert compile_catalogs(source, target) == [mo]
    with mo.open("rb") as fh:
        assert gettext.GNUTranslations(fh).gettext("Quick exit") == "马上离开"
