"""The web layer's view of the rules core: the catalog and rule files for this app's settings.

Texts in rule files are `{en, zh_Hans}` maps; `text()` picks the request's language.
"""

from __future__ import annotations

from flask import current_app, g

from caseprep.rules.text import pick


def rules_path():
    return current_app.config["CASEPREP"].rules_path


def catalog():
    """The facts catalog; looked up once per request (the loader re-checks file times)."""
    from caseprep.rules import load_catalog

    if "rules_catalog" not in g:
        g.rules_catalog = load_catalog(rules_path())
    return g.rules_catalog


def jurisdictions() -> dict:
    """Every loaded jurisdiction by code; looked up once per request."""
    from caseprep.rules import load_jurisdictions

    if "rules_jurisdictions" not in g:
        g.rules_jurisdictions = load_jurisdictions(rules_path())
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
