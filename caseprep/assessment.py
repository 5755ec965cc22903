"""Assessment of a case: its answers plus the evidence log's counts, per chosen jurisdiction.

No Flask: the wizard (its questions and its results page), the timeline, the API and the
documents pages all assess a case here (`case_assessments`, or `assess_case` for dicts), each
with the app's `Rules` (never the shipped folder behind the app's back).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from caseprep.evidence.service import derived_facts
from caseprep.rules import Assessment, Rules, assess


def case_facts(db: Session, case, rules: Rules) -> dict:
    """Answered facts with the evidence log's derived counts on top.

    A count from the log replaces the answered number once the log has items, so a person
    who typed "about 30 images" sees the real tally as soon as she logs her evidence. An
    answer the rules no longer take (a rules update removed its fact or value) is left out.
    """
    facts = rules.catalog.accepted(case.facts())
    facts.update(derived_facts(db, case, rules.catalog))
    return facts


def case_assessments(db: Session, case, rules: Rules, lang: str = "en", today=None,
                     facts: dict | None = None) -> list[Assessment]:
    """The assessment of a case: one per jurisdiction of the case, in its order.

    A state's assessment is followed by its country's (`extends`). Jurisdictions no longer in
    the rules folder are skipped rather than failing the page. `facts` saves reading them
    again when the caller already holds `case_facts`.
    """
    available = rules.jurisdictions
    known = case_facts(db, case, rules) if facts is None else facts
    return [assess(available[code], known, lang=lang, today=today)
            for code in rules.with_parents(case.jurisdictions)]


def assess_case(db: Session, case, lang: str, rules: Rules, today=None,
                facts: dict | None = None) -> list[dict]:
    """`case_assessments` as dicts (docs/architecture.md), for pages, the API and documents."""
    return [a.to_dict() for a in case_assessments(db, case, rules, lang, today, facts)]


RULES_USED_RECORD = "rules_used"


def record_rules_used(case, assessments: list[dict], today) -> list[dict]:
    """Remember which rules version (and review status) each shown assessment used, so a
    lawyer can later tell which law a result or a draft was made with (issue 19). One entry
    per jurisdiction and version: first and last day it was used."""
    day = today.isoformat()
    shown = {(a["jurisdiction"], a.get("rules_version")) for a in assessments}
    current = (case.read_record(RULES_USED_RECORD) or {}).get("used", [])
    if shown <= {(e["jurisdiction"], e["version"]) for e in current if e["last_used"] == day}:
        return current  # already noted today: a results page view need not write

    def change(current: dict | None) -> dict:
        used = list((current or {}).get("used", []))
        for assessment in assessments:
            key = (assessment["jurisdiction"], assessment.get("rules_version"))
            entry = next((e for e in used if (e["jurisdiction"], e["version"]) == key), None)
            if entry is None:
                used.append({"jurisdiction": key[0], "version": key[1],
                             "status": assessment.get("rules_status"),
                             "first_used": day, "last_used": day})
            else:
                entry["last_used"] = day
        return {"used": used}

    return case.update_record(RULES_USED_RECORD, change)["used"]

