"""The timeline page: what happened and what she did, the deadlines, and a calendar file.

Events are added and removed with plain forms (no JavaScript needed); the calendar is a
download with neutral titles unless she asks for titles that say what is due.
"""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, Response, flash, redirect, render_template, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _

from caseprep.appshell.extensions import get_db, get_rules
from caseprep.assessment import assess_case
from caseprep.cases import timeline
from caseprep.cases.calendar_file import deadlines_ics
from caseprep.evidence import service as evidence_service
from caseprep.web.case_session import case_required, current_case
from caseprep.web.timeline.forms import EVENT_LABELS, CalendarForm, EventForm, RemoveEventForm

bp = Blueprint("timeline", __name__, url_prefix="/timeline")


def _evidence_words(posted: int, captured: int) -> str:
    parts = []
    if posted:
        parts.append(ngettext("%(num)d posting in your evidence log",
                              "%(num)d postings in your evidence log", posted))
    if captured:
        parts.append(ngettext("%(num)d item saved", "%(num)d items saved", captured))
    return _("; ").join(parts)


def _entries(case, lang: str, today: dt.date) -> list[timeline.Entry]:
    db, rules = get_db(), get_rules()
    facts = case.facts()
    return timeline.build(
        facts, rules.catalog, evidence_service.list_items(db, case),
        timeline.added_events(case), assess_case(db, case, lang, rules, today=today),
        lang, today, {k: str(v) for k, v in EVENT_LABELS.items()}, _evidence_words)


def _render(form=None, status=200):
    case = current_case()
    lang, today = str(get_locale()), dt.date.today()
    entries = _entries(case, lang, today)
    return render_template(
        "timeline/timeline.html", entries=entries, lang=lang, today=today,
        upcoming=timeline.upcoming_deadlines(entries), form=form or EventForm(),
        remove_form=RemoveEventForm(), calendar_form=CalendarForm()), status


@bp.get("")
@case_required
def show_timeline():
    return _render()


@bp.post("/events")
@case_required
def add_event():
    form = EventForm()
    if not form.validate_on_submit():
        return _render(form, 422)
    timeline.add_event(current_case(), {"type": form.type.data, "on": form.on.data,
                                        "reference": form.reference.data,
                                        "note": form.note.data})
    flash(_("Added to your timeline."), "info")
    return redirect(url_for("timeline.show_timeline"), code=303)


@bp.post("/events/remove")
@case_required
def remove_event():
    form = RemoveEventForm()
    event_id = form.event_id.data or ""
    if form.validate_on_submit() and timeline.remove_event(current_case(), event_id):
        flash(_("Removed from your timeline."), "info")
    return redirect(url_for("timeline.show_timeline"), code=303)


@bp.post("/calendar.ics")
@case_required
def download_calendar():
    form = CalendarForm()
    if not form.validate_on_submit():
        return _render(status=422)
    case = current_case()
    lang, today = str(get_locale()), dt.date.today()
    body = deadlines_ics(_entries(case, lang, today), case.data_key, _("Reminder"),
                         detailed=bool(form.detailed.data))
    return Response(body, mimetype="text/calendar", headers={
        "Content-Disposition": 'attachment; filename="reminders.ics"',
        "Cache-Control": "no-store"})
