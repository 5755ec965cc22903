"""The notes page: lawyer's notes on the case, read by everyone with access.

She (the owner) and every lawyer she gave access to see all notes; each note says who wrote
it and when, and only its author can change or delete it. Plain forms, no JavaScript. The
text is stored encrypted with the case (caseprep.cases.lawyer_notes) and never logged.
"""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import format_datetime
from flask_babel import gettext as _

from caseprep.appshell.extensions import get_db
from caseprep.cases import lawyer_notes
from caseprep.web.case_session import case_required, current_case
from caseprep.web.notes.forms import DeleteNoteForm, NoteForm

bp = Blueprint("notes", __name__, url_prefix="/case/notes")


def _author() -> lawyer_notes.Author:
    return lawyer_notes.author_of(get_db(), current_case())


def _who(note: dict, me: lawyer_notes.Author) -> str:
    """Who wrote a note, as the page says it."""
    written = note.get("author") or {}
    if written.get("role") == "owner":
        who = _("The case's owner")
    else:
        who = _("Lawyer's access %(code)s", code=written.get("access") or "?")
    if note.get("handed_over"):
        who = _("%(who)s, before the case was handed over", who=who)
    elif me.wrote(note):
        who = _("%(who)s (you)", who=who)
    return who


def _when(stamp: str | None) -> str:
    if stamp is None:
        return ""
    try:
        return format_datetime(dt.datetime.fromisoformat(stamp), "medium")
    except (TypeError, ValueError):
        return ""


def _render(form=None, status=200):
    case, me = current_case(), _author()
    shown = [{"id": n["id"], "text": n.get("text", ""), "who": _who(n, me),
              "written": _when(n.get("created_at")),
              "changed": _when(n.get("updated_at"))
              if n.get("updated_at") != n.get("created_at") else "",
              "mine": me.wrote(n)} for n in lawyer_notes.listed(case)]
    return render_template("notes/notes.html", notes=shown, form=form or NoteForm(),
                           delete_form=DeleteNoteForm(), role=case.role), status


@bp.get("")
@case_required
def show_notes():
    return _render()


@bp.post("")
@case_required
def add_note():
    form = NoteForm()
    if not form.validate_on_submit():
        return _render(form, 422)
    try:
        lawyer_notes.add(current_case(), _author(), form.text.data or "")
    except lawyer_notes.InvalidNote:
        form.text.errors = [*form.text.errors, _("Write something first.")]
        return _render(form, 422)
    flash(_("Note saved."), "info")
    return redirect(url_for("notes.show_notes"), code=303)


def _own_note(note_id: str) -> dict:
    note = lawyer_notes.find(current_case(), note_id)
    if note is None:
        abort(404)
    if not _author().wrote(note):
        abort(403)
    return note


@bp.route("/<note_id>/edit", methods=["GET", "POST"])
@case_required
def edit_note(note_id: str):
    note = _own_note(note_id)
    form = NoteForm()
    if form.validate_on_submit():
        try:
            lawyer_notes.edit(current_case(), _author(), note_id, form.text.data or "")
        except KeyError:
            abort(404)
        except lawyer_notes.NotYourNote:
            abort(403)
        except lawyer_notes.InvalidNote:
            form.text.errors = [*form.text.errors, _("Write something first.")]
        else:
            flash(_("Note changed."), "info")
            return redirect(url_for("notes.show_notes"), code=303)
    elif not form.is_submitted():
        form.text.data = note.get("text", "")
    status = 422 if form.errors else 200
    return render_template("notes/edit.html", form=form, note_id=note_id), status


@bp.post("/<note_id>/delete")
@case_required
def delete_note(note_id: str):
    _own_note(note_id)
    if not DeleteNoteForm().validate_on_submit():
        abort(400)
    try:
        lawyer_notes.delete(current_case(), _author(), note_id)
    except KeyError:
        abort(404)
    except lawyer_notes.NotYourNote:
        abort(403)
    flash(_("Note deleted."), "info")
    return redirect(url_for("notes.show_notes"), code=303)
