"""Assessment of a case: its answers plus the evidence log's counts, per chosen jurisdiction.

No Flask: the wizard's results page, the API and the documents all call `assess_case`.
"""

from __future__ import annotations

import importlib
import importlib.util
from pathlib import Path

from sqlalchemy.orm import Session


def case_facts(db: Session, case) -> dict:
    """Answered facts with the evidence log's derived counts on top.

    A count from the log replaces the answered number once the log has items, so a person
    who typed "about 30 images" sees the real tally as soon as she logs her evidence.
    """
    facts = dict(case.facts())
    derive = _derived_facts_hook()
    if derive is not None:
        facts.update(derive(db, case))
    return facts


def assess_case(db: Session, case, lang: str, rules_path: Path | str | None = None,
                today=None) -> list[dict]:
    """One assessment dict (docs/architecture.md) per jurisdiction of the case, in its order.

    Jurisdictions no longer in the rules folder are skipped rather than failing the page.
    """
    from caseprep.rules import assess, load_jurisdictions

    available = load_jurisdictions(rules_path)
    facts = case_facts(db, case)
    return [
        assess(available[code], facts, lang=lang, today=today).to_dict()
        for code in case.jurisdictions
        if code in available
    ]


def _derived_facts_hook():
    if importlib.util.find_spec("caseprep.evidence.service") is None:
        return None
    module = importlib.import_module("caseprep.evidence.service")
    return getattr(module, "derived_facts", None)
