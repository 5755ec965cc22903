"""The facts catalog that validates answers (the rules core caches it by file mtime)."""

from __future__ import annotations

from caseprep.rules.catalog import FactValueError, load_catalog

__all__ = ["FactValueError", "facts_catalog"]


def facts_catalog():
    """The catalog at CASEPREP_RULES_PATH, else the shipped jurisdictions/facts.yaml."""
    return load_catalog()
