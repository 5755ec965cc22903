"""The wizard: safety, places, the question sections, then the results.

Every step saves on submit (Back saves too), so a closed tab loses nothing. A section asks
only the facts that can still decide a route of the case's jurisdictions (the engine's
`next_questions`), plus those already answered so they stay editable.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from caseprep.appshell.extensions import get_db, get_rules
from caseprep.assessment import case_assessments, case_facts
from caseprep.rules import rank_questions
from caseprep.web.case_session import case_required, current_case
from caseprep.web.wizard import forms, paging, results, rules_access, unsaved
from caseprep.web.wizard.places import PLACES_RECORD
from caseprep.web.wizard.steps import STEP_IDS, STEPS, get_step, neighbours

bp = Blueprint("wizard", __name__, url_prefix="/wizard")

# Questions that only make sense after a given answer: fact -> (the fact, the answer).
FOLLOW_UPS = {
    "police.reported_on": ("police.reported", True),
    "police.response": ("police.reported", True),
    "police.response_on": ("police.reported", True),
}


def _lang() -> str:
    return str(get_locale())


def _answers(case) -> dict:
    """The case's answered facts, decrypted once per request."""
    if "wizard_answers" not in g:
        g.wizard_answers = case.facts()
    return g.wizard_answers


def _case_jurisdictions(case) -> list:
    loaded = rules_access.jurisdictions()
    return [loaded[code] for code in get_rules().with_parents(case.jurisdictions)]


def visible_facts(step, case) -> list:
    """The catalog facts a step shows: still decisive for the case, or already answered.

    Besides the engine's `next_questions`, a step asks: free-text facts (the narrative feeds
    the documents, never a condition); derived facts (counted from the evidence log, left out
    by `next_questions`) that an undecided route misses or whose threshold is not reached, so
    a person without a log can still say "I have 34 screenshots"; the start dates of the
    deadlines of routes that may be open, so the results can compute the dates; and, for a
    route whose time limit may have run, the date of the act that stops it (`stopped_by`).
    """
    answers = _answers(case)
    known = case_facts(get_db(), case, get_rules())  # answers plus the evidence log's counts
    jurs = _case_jurisdictions(case)
    catalog = rules_access.catalog()
    candidates = [fact for fact in catalog.facts.values() if step.asks(fact)]
    # One assessment per jurisdiction serves both the ranking and the extra questions.
    assessments = list(zip(jurs, case_assessments(get_db(), case, get_rules(), facts=known),
                           strict=True))
    decisive = set(rank_questions([a for _, a in assessments], catalog, known)) \
        if jurs else set()
    if any(fact.derived_from or fact.type == "date" for fact in candidates):
        decisive |= _also_decisive(assessments)
    decisive |= _fill_documents(candidates, assessments)
    # What she wants decides no route but ranks them all on the results page: always asked.
    return [fact for fact in candidates
            if _follows(fact.id, answers)
            and (fact.id in decisive or fact.id in answers
                 or (jurs and (fact.type == "text" or fact.section == "goals")))]


def _follows(fact_id: str, answers: dict) -> bool:
    """False for a follow-up question whose opening answer was not given."""
    gate = FOLLOW_UPS.get(fact_id)
    return gate is None or answers.get(gate[0]) == gate[1]


def _fill_documents(candidates: list, assessments: list) -> set[str]:
    """Facts that fill a document some route still open to her produces (a route closed
    only by a count is still open to her: more evidence, or the police's count, decide)."""
    kinds = {kind for _, assessment in assessments for route in assessment.routes
             if route.status != "not_met" or route.gaps for kind in route.documents}
    return {fact.id for fact in candidates if kinds.intersection(fact.documents)}


def _also_decisive(assessments: list) -> set[str]:
    found: set[str] = set()
    for jur, assessment in assessments:
        catalog = jur.catalog
        for route in assessment.routes:
            if route.status != "not_met":
                found.update(d["from_fact"] for d in route.deadlines if d.get("from_fact"))
            if route.status == "time_barred":  # the date that can still lift the bar (the
                found.update(route.missing_facts)  # day she sued, the day he was charged)
            if route.status == "met":
                continue
            for fid in [*route.missing_facts, *(gap["fact"] for gap in route.gaps)]:
                fact = catalog.facts.get(fid)
                if fact is not None and fact.derived_from:
                    found.add(fid)
    return found


def _progress(step_id: str, part: int = 1, parts: int = 1) -> dict:
    index = [s.id for s in STEPS].index(step_id)
    return {"number": index + 1, "total": len(STEPS), "steps": STEPS, "current": step_id,
            "part": part, "parts": parts}


def _has_questions(step_id: str, case) -> bool:
    """Whether a step has anything to ask (the safety and places pages always do)."""
    step = get_step(step_id)
    if step is None or not step.sections or not case.jurisdictions:
        return True
    return bool(visible_facts(step, case))


def _step_url(step_id: str, part: int = 1, **args):
    if step_id == "results":
        return url_for("wizard.show_results")
    if request.args.get("return") == "results":
        args["return"] = "results"
    if part > 1:
        args["part"] = part
    return url_for("wizard.show_step", step=step_id, **args)


def _skip_empty(step_id: str | None, case, forward: bool = True) -> str:
    """`step_id`, or the next (previous) step that has questions: empty ones are skipped."""
    while step_id and step_id != "results" and not _has_questions(step_id, case):
        step_id = neighbours(step_id)[1 if forward else 0]
    return step_id or ("results" if forward else STEP_IDS[0])


def _after_save(step_id: str, case=None, part: int = 1, parts: int = 1):
    """Where a submitted step goes: back, straight to results, on to its next part, or on."""
    before, after = neighbours(step_id)
    go = request.form.get("go", "next")
    if go == "back" and part > 1:
        return redirect(_step_url(step_id, part - 1), code=303)
    if go == "back" and before:
        target = _skip_empty(before, case, forward=False) if case else before
    elif go == "results" or request.args.get("return") == "results":
        target = "results"
    elif part < parts:
        return redirect(_step_url(step_id, part + 1), code=303)
    else:
        target = _skip_empty(after, case) if case else (after or "results")
    return redirect(_step_url(target), code=303)


def _requested_part() -> int:
    try:
        return max(1, int(request.args.get("part", 1)))
    except ValueError:
        return 1


def _parts(step, case) -> list[list]:
    """The step's questions in parts (paging.split), once per request."""
    cache = g.setdefault("wizard_parts", {})
    if step.id not in cache:
        cache[step.id] = paging.split(visible_facts(step, case))
    return cache[step.id]


@bp.app_context_processor
def _unsaved_helpers():
    return {"unsaved_waiting": unsaved.waiting}


@bp.post("/keep-alive")
@case_required
def keep_alive():
    """The time-out dialog's "stay": opening the case here counts as activity (no body)."""
    return "", 204


@bp.before_request
def _keep_a_late_form():
    """A page posted after the case closed: keep its text (encrypted) and say why.

    Without JavaScript nothing warns her before the idle time-out, so the next request after
    it may carry an answer she spent a while writing (issue 12, item 5).
    """
    if request.method != "POST" or current_case() is not None or not g.get("caseprep_timed_out"):
        return None
    if request.endpoint != "wizard.save_step":
        return redirect(url_for("main.show_timeout"), code=303)
    next_path = request.full_path if request.query_string else request.path
    unsaved.keep(request.path, request.form)
    return redirect(url_for("main.show_timeout", next=next_path), code=303)


@bp.get("/")
@case_required
def start():
    return redirect(url_for("wizard.show_step", step="safety"))


@bp.get("/<step>")
@case_required
def show_step(step: str):
    current = get_step(step)
    if current is None:
        abort(404)
    if current.id == "results":
        return redirect(url_for("wizard.show_results"))
    case = current_case()
    if not _has_questions(current.id, case):  # nothing to ask: on to the next step
        return redirect(_step_url(_skip_empty(current.id, case)), code=303)
    return _render_step(current)


@bp.post("/<step>")
@case_required
def save_step(step: str):
    current = get_step(step)
    if current is None or current.id == "results":
        abort(404)
    case = current_case()
    if current.id == "safety":
        return _after_save(current.id, case)
    if current.id == "jurisdictions":
        return _save_places(current, case)
    facts = _asked_facts(current, case)
    form = forms.build_form(facts, {}, _lang(), formdata=request.form)
    if not form.validate():
        return _render_step(current, form=form, facts=facts), 422
    try:
        case.update_facts(_changed_answers(forms.answers_from(form, facts)),
                          rules_access.catalog())
    except ValueError as exc:  # FactValueError: the catalog refused an answer
        fact_id = getattr(exc, "fact_id", "")
        field = form._fields.get(forms.field_name(fact_id)) if fact_id else None
        message = _("This answer could not be saved. Check it and try again.")
        if field is not None:
            field.errors = [*field.errors, message]
        else:
            flash(message, "error")
        return _render_step(current, form=form, facts=facts), 422
    g.pop("wizard_answers", None)  # the answers just saved
    g.pop("wizard_parts", None)
    parts = _parts(current, case)
    part = min(_requested_part(), len(parts))
    shown = {fact.id for fact in facts}
    if request.form.get("go", "next") == "next" and \
            any(fact.id not in shown for fact in parts[part - 1]):
        # An answer here opened questions on this same page (no JavaScript needed to show
        # them): stay, and say so, rather than skip them.
        flash(_("Your answer opened a few more questions on this page."), "info")
        return redirect(_step_url(current.id, part), code=303)
    return _after_save(current.id, case, part, len(parts))


def _answer_digest(value) -> str:
    """A short fingerprint of one answer as the form shows it (lists in any order)."""
    if isinstance(value, list):
        value = sorted(value)
    raw = json.dumps(value, sort_keys=True, default=str).encode()
    return hashlib.sha256(raw).hexdigest()[:12]


def _shown_digests(form, facts) -> str:
    """`fact=digest` pairs of the answers a page shows, sent back in the hidden `shown`."""
    answers = forms.answers_from(form, facts)
    return " ".join(f"{fid}={_answer_digest(value)}" for fid, value in answers.items())


def _changed_answers(answers: dict) -> dict:
    """Only the answers the person changed on this page (issue 6, two tabs at once).

    A page loaded in another tab earlier still carries the old values of every field; saving
    them all would undo what was saved meanwhile. Fields left as shown are not written.
    """
    shown = dict(pair.split("=", 1) for pair in request.form.get("shown", "").split()
                 if "=" in pair)
    if not shown:
        return answers
    return {fid: value for fid, value in answers.items()
            if shown.get(fid) != _answer_digest(value)}


def _asked_facts(step, case) -> list:
    """The facts the submitted page showed (sent back as `asked`), limited to the step."""
    catalog = rules_access.catalog()
    asked = [fid for fid in request.form.get("asked", "").split() if fid in catalog.facts]
    shown = [catalog.facts[fid] for fid in asked if step.asks(catalog.facts[fid])]
    if shown:
        return shown
    parts = _parts(step, case)
    return parts[min(_requested_part(), len(parts)) - 1]


def _render_step(step, form=None, facts=None):
    case = current_case()
    lang = _lang()
    before, after = neighbours(step.id)
    context = {"step": step, "before": before, "after": after, "progress": _progress(step.id),
               "return_to_results": request.args.get("return") == "results", "part": 1}
    if step.id == "safety":
        return render_template("wizard/safety.html", **context)
    if step.id == "jurisdictions":
        form = form or _places_form(case)
        return render_template("wizard/places.html", form=form, **context)
    shown = request.form.get("shown") if request.method == "POST" else None
    kept = unsaved.take(request.path) if request.method == "GET" else None
    if kept is not None:  # what she wrote when the case had closed: back in the form
        catalog = rules_access.catalog()
        facts = [catalog.facts[fid] for fid in kept.get("asked", "").split()
                 if fid in catalog.facts and step.asks(catalog.facts[fid])] or None
        form = forms.build_form(facts, {}, lang, formdata=kept) if facts else None
        shown = kept.get("shown") if facts else None
    context["restored"] = kept is not None and facts is not None
    parts = _parts(step, case)
    part = min(_requested_part(), len(parts))
    asked_for = request.args.get("ask")
    if asked_for and request.method == "GET":  # a link from the results to one question
        part = paging.part_of(parts, asked_for) or part
    if facts is None:
        facts = parts[part - 1]
    args: dict[str, Any] = {"return": "results"} if context["return_to_results"] else {}
    if part > 1:
        args["part"] = part
    context.update(part=part, progress=_progress(step.id, part, len(parts)),
                   action_url=url_for("wizard.save_step", step=step.id, **args),
                   helplines=_helplines(case) if step.sensitive else [])
    if form is None:
        form = forms.build_form(facts, _answers(case), lang)
    fields = [(fact, form[forms.field_name(fact.id)]) for fact in facts]
    groups = [(section, [(f, fld) for f, fld in fields if f.section == section])
              for section in step.sections]
    groups = [(section, items) for section, items in groups if items] or groups[:1]
    return render_template("wizard/section.html", form=form, groups=groups,
                           asked=" ".join(f.id for f in facts),
                           shown=shown or _shown_digests(form, facts),
                           has_jurisdictions=bool(case.jurisdictions), **context)


def _helplines(case) -> list[dict]:
    """The helplines of the case's places, in the request's language (rule-file data)."""
    lang = _lang()
    rows = []
    for jur in _case_jurisdictions(case):
        for line in jur.helplines:
            rows.append({"name": rules_access.text(line.name, lang), "phone": line.phone,
                         "url": line.url, "hours": rules_access.text(line.hours, lang),
                         "about": rules_access.text(line.about, lang),
                         "confirmed": line.confirmed, "checked_on": line.checked_on,
                         "place": rules_access.text(jur.name, lang)})
    return rows


def _jurisdiction_choices() -> list[tuple[str, str]]:
    return [(row["code"], row["name"]) for row in rules_access.jurisdiction_summaries(_lang())]


def _places_form(case, formdata=None):
    places = case.read_record(PLACES_RECORD) or {}
    if not places and case.jurisdictions:
        places = {"lives_in": case.jurisdictions[0]}
    return forms.build_places_form(_jurisdiction_choices(), places, formdata=formdata)


def _save_places(step, case):
    form = _places_form(case, formdata=request.form)
    if not form.validate():
        return _render_step(step, form=form), 422
    chosen = forms.chosen_jurisdictions(form, set(rules_access.jurisdictions()))
    if not chosen:
        form.lives_in.errors = [*form.lives_in.errors, _(
            "caseprep does not know the laws of those places yet. Choose at least one place "
            "it knows, for example where the images were posted or where the poster lives.")]
        return _render_step(step, form=form), 422
    case.write_record(PLACES_RECORD, {"lives_in": form.lives_in.data,
                                      "poster_in": form.poster_in.data})
    case.set_jurisdictions(chosen)
    return _after_save(step.id, case)


@bp.get("/results")
@case_required
def show_results():
    case = current_case()
    lang = _lang()
    return render_template(
        "wizard/results.html",
        **results.present(case, lang),
        progress=_progress("results"),
        step=get_step("results"),
    )
