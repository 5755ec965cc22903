"""Turn the engine's assessment dicts into what the results page shows.

Statuses in plain words, gaps as "have of need" with a bar, deadlines with formatted dates,
and, for routes not yet decided, links to the questions that would decide them; what comes
first (start here, groups by what she wants) is guidance.py's.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import g, url_for
from flask_babel import format_decimal, format_percent, ngettext
from flask_babel import lazy_gettext as _l

from caseprep.appshell.extensions import get_db, get_rules
from caseprep.appshell.i18n import local_date
from caseprep.assessment import assess_case, case_facts, record_rules_used
from caseprep.rules.durations import period_parts
from caseprep.web.wizard import guidance, places, rules_access
from caseprep.web.wizard.forms import field_name
from caseprep.web.wizard.steps import step_for_fact

KIND_TITLES = {
    "criminal": _l("Criminal: a police report"),
    "administrative": _l("Administrative: a police penalty"),
    "civil": _l("Civil: a claim in court"),
    "takedown": _l("Takedown: platforms and regulators"),
}
STATUS_TEXTS = {
    "met": _l("This route looks open to you"),
    "not_met": _l("On what you told us, this route is not open yet"),
    "unknown": _l("Not decided yet: some answers are missing"),
    "time_barred": _l("The time limit for this route has or may have run out"),
}
SHORT_STATUS = {
    "met": _l("open to you"),
    "unknown": _l("not decided yet"),
    "not_met": _l("does not apply"),
    "time_barred": _l("time may have run out"),
}
BAR_TEXTS = {
    "likely": _l("The time limit has probably run out. A lawyer can check whether anything "
                 "extends it."),
    "possible": _l("The time limit may have run out. It can sometimes be extended or start "
                   "later; ask a lawyer soon."),
}


def present(case, lang: str) -> dict:
    """The results page's content: "start here", the police note, and per place its routes
    grouped by what she wants, with the routes that do not apply folded into one list."""
    catalog = rules_access.catalog()
    facts = case_facts(get_db(), case, get_rules())
    goals = guidance.her_goals(facts)
    shown = []
    for assessment in assess_case(get_db(), case, lang, get_rules(), facts=facts):
        routes = [{**_route(route, catalog, lang), "jurisdiction": assessment["jurisdiction"]}
                  for route in assessment.get("routes", [])]
        groups, not_applicable = guidance.group(assessment["jurisdiction"], routes, goals)
        shown.append({
            **assessment,
            "routes": routes,
            "reviewed_on_text": local_date(assessment.get("reviewed_on")),
            "groups": groups,
            "not_applicable": not_applicable,
            "counts": {status: sum(1 for r in routes if r["status"] == status)
                       for status in STATUS_TEXTS},
        })
    shown = places.states_first(shown)
    record_rules_used(case, shown, dt.date.today())
    return {"jurisdictions": shown, "start_here": guidance.start_here(shown, goals),
            "police": guidance.police_note(facts, shown), "goals_answered": "goals" in facts,
            "which_law": places.which_law(case, shown, lang)}



def _route(route: dict, catalog, lang: str) -> dict:
    gaps = [_gap(gap, catalog, lang) for gap in route.get("gaps") or []]
    closest = route.get("closest_gap")
    status = str(route.get("status") or "")
    groups: dict[str, list] = {}
    for gap in gaps:
        groups.setdefault(gap.get("label") or "", []).append(gap)
    return {
        **route,
        "reasons": list(dict.fromkeys(route.get("reasons") or [])),  # the same part twice
        "short_status": SHORT_STATUS.get(status, "") if not gaps or
        status != "not_met" else _l("threshold not reached yet"),
        "status_text": STATUS_TEXTS.get(status, status),
        "bar_text": BAR_TEXTS.get(str((route.get("time_bar") or {}).get("likelihood")), ""),
        "gaps": gaps,
        "gap_groups": [{"label": label, "gaps": items} for label, items in groups.items()],
        "closest": _gap(closest, catalog, lang) if closest else (gaps[0] if gaps else None),
        "questions": [_question(fid, catalog, lang) for fid in route.get("missing_facts") or []
                      if fid in catalog.facts],
        "deadlines": [_deadline(d, catalog, lang) for d in route.get("deadlines") or []],
    }


def _fact_name(fact_id: str, catalog, lang: str) -> str:
    fact = catalog.facts.get(fact_id)
    if fact is None:
        return fact_id
    return rules_access.text(fact.label, lang) or rules_access.text(fact.question, lang)


def _gap(gap: dict, catalog, lang: str) -> dict:
    have, need = gap.get("have"), gap.get("need")
    what = _fact_name(gap.get("fact", ""), catalog, lang)
    if have is None:
        text = _l("%(what)s: not counted yet, %(need)s needed", what=what, need=_num(need))
    else:
        text = _l("%(what)s: %(have)s of %(need)s", what=what, have=_num(have), need=_num(need))
    percent = 0
    if isinstance(have, int | float) and isinstance(need, int | float) and need > 0:
        percent = min(100, int(100 * have / need))  # floor: never overstate progress
    fact_id = gap.get("fact")
    return {**gap, "text": text, "percent": percent,
            "percent_text": format_percent(percent / 100),
            "bar_value": min(have or 0, need or 0),
            "question": _question(fact_id, catalog, lang)
            if isinstance(fact_id, str) and fact_id in catalog.facts else None}


def _question(fact_id: str, catalog, lang: str) -> dict:
    fact = catalog.facts[fact_id]
    return {
        "id": fact_id,
        "text": rules_access.text(fact.question, lang),
        # Field names are [a-z0-9_], safe in a fragment as they are.
        # `ask` opens the part of the step that holds this question (a long step is split).
        "url": f"{_answer_url(step_for_fact(fact))}&ask={fact_id}#{field_name(fact_id)}",
    }


def _answer_url(step: str) -> str:
    """The step's page, returning to the results; built once per step and request (a results
    page links a question from every gap and unknown route, ~160 links)."""
    urls = g.setdefault("wizard_answer_urls", {})
    if step not in urls:
        back: dict[str, Any] = {"return": "results"}  # `return` is a keyword in Python
        urls[step] = url_for("wizard.show_step", step=step, **back)
    return urls[step]


def _deadline(deadline: dict, catalog, lang: str) -> dict:
    source = deadline.get("from_fact")
    return {
        **deadline,
        "period_text": duration_text(deadline.get("period", "")),
        "due_text": local_date(deadline.get("due")),
        "from_question": _question(source, catalog, lang)
        if isinstance(source, str) and source in catalog.facts else None,
    }


def _num(value) -> str:
    return format_decimal(value) if isinstance(value, int | float) else "?"


def duration_text(period: str) -> str:
    """An ISO 8601 period such as P3Y or P6M in words."""
    parts = period_parts(period)
    if parts is None or not any(parts):
        return period or ""
    years, months, weeks, days = parts
    words: list[str] = []
    if years:
        words.append(ngettext("%(num)s year", "%(num)s years", years))
    if months:
        words.append(ngettext("%(num)s month", "%(num)s months", months))
    if weeks:
        words.append(ngettext("%(num)s week", "%(num)s weeks", weeks))
    if days:
        words.append(ngettext("%(num)s day", "%(num)s days", days))
    return ", ".join(words)
