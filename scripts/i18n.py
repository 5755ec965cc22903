"""Bring the Babel catalogs in step with the code, and fill in Chinese translations.

    .venv/bin/python scripts/i18n.py                 # re-extract, update every catalog
    .venv/bin/python scripts/i18n.py --zh new.json   # ... and apply {"msgid": "中文", ...}
    .venv/bin/python scripts/i18n.py --lang ko=ko.json   # any locale: LOCALE=FILE

The English catalog's strings are its ids. Untranslated entries of the other catalogs are
listed at the end (a test fails until none are left). Runs under a lock file so that two
people (or two editors' scripts) updating the catalogs at once do not overwrite each other's
entries.
"""

from __future__ import annotations

import argparse
import fcntl
import json
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
TRANSLATIONS = ROOT / "translations"
BIN = Path(sys.executable).parent


def _po(locale: str) -> Path:
    return TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po"


def _read(locale: str):
    with _po(locale).open("rb") as fh:
        return read_po(fh, locale=locale)


def _write(catalog, locale: str) -> None:
    with _po(locale).open("wb") as fh:
        write_po(fh, catalog, sort_output=True, ignore_obsolete=True, width=100)


def _untranslated(message) -> bool:
    strings = message.string if isinstance(message.string, tuple | list) else [message.string]
    return not all(s and s.strip() for s in strings)


def sync(translations: dict[str, dict]) -> list[str]:
    pot = TRANSLATIONS / "messages.pot"
    subprocess.run([BIN / "pybabel", "-q", "extract", "-F", "babel.cfg", "-k", "_l",
                    "-k", "lazy_gettext", "-k", "ngettext:1,2", "--no-location",
                    "--sort-output", "-o", str(pot), "."], cwd=ROOT, check=True)
    subprocess.run([BIN / "pybabel", "-q", "update", "-i", str(pot), "-d", str(TRANSLATIONS),
                    "--no-fuzzy-matching", "--ignore-obsolete"], cwd=ROOT, check=True)
    en = _read("en")
    for message in en:
        if message.id:
            message.string = message.id
    _write(en, "en")
    missing = []
    for locale in sorted(p.name for p in TRANSLATIONS.iterdir() if (p / "LC_MESSAGES").is_dir()):
        if locale == "en":
            continue
        catalog, given = _read(locale), translations.get(locale, {})
        for message in catalog:
            key = message.id if isinstance(message.id, str) else message.id[0]
            if message.id and key in given:
                value = given[key]
                message.string = tuple(value) if isinstance(value, list) else value
        _write(catalog, locale)
        missing += [f"{locale}: {m.id!r}" for m in catalog if m.id and _untranslated(m)]
    return missing


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--zh", type=Path, help="JSON object: msgid -> Chinese translation "
                        "(a list of strings for a plural entry)")
    parser.add_argument("--lang", action="append", default=[], metavar="LOCALE=FILE",
                        help="translations for LOCALE from a JSON file like --zh's")
    args = parser.parse_args()
    given: dict[str, dict] = {}
    if args.zh:
        given["zh_Hans"] = json.loads(args.zh.read_text(encoding="utf-8"))
    for item in args.lang:
        locale, _, file = item.partition("=")
        given.setdefault(locale, {}).update(json.loads(Path(file).read_text(encoding="utf-8")))
    with (TRANSLATIONS / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        missing = sync(given)
    for entry in missing:
        print(f"untranslated {entry}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
