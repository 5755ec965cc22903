"""Forms of the notes page: write a note, change one's own, delete one's own."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from caseprep.cases.lawyer_notes import TEXT_MAX


class NoteForm(FlaskForm):
    text = TextAreaField(_l("Note"), validators=[DataRequired(), Length(max=TEXT_MAX)])


class DeleteNoteForm(FlaskForm):
    """CSRF only: the note is named in the URL."""
