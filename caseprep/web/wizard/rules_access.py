"""The web layer's view of the rules core: the catalog and rule files for this app's settings.

Texts in rule files are `{en, zh_Hans}` maps; `text()` picks the request's language.
"""

from __future__ import annotations

from flask import g

from caseprep.appshell.extensions import get_rules
from caseprep.rules.text import pick


def catalog():
    """The facts catalog of the app's rules; looked up once per request (the loader
    re-checks file times)."""
    if "rules_catalog" not in g:
        g.rules_catalog = get_rules().catalog
    return g.rules_catalog


def jurisdictions() -> dict:
    """Every jurisdiction of the app's rules by code; looked up once per request."""
    if "rules_jurisdictions" not in g:
        g.rules_jurisdictions = get_rules().jurisdictions
    return g.rules_jurisdictions


def text(value, lang: str) -> str:
    """A rule-file text in `lang` (with the rules core's fallbacks); plain strings pass."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if hasattr(value, "model_dump"):
        value = value.model_dump()
    return pick(value, lang)


def jurisdiction_summaries(lang: str) -> list[dict]:
    """Code, name, version, status and review date of each loaded rule file, by name."""
    rows = []
    for code, jur in jurisdictions().items():
        rows.append({
            "code": code,
            "name": text(jur.name, lang),
            "version": str(jur.version),
            "status": str(jur.status),
            "reviewed_on": jur.reviewed_on,
        })
    return sorted(rows, key=lambda row: row["name"])
