"""Forms of the timeline page: add an event, remove one, download the deadlines."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # not in types-WTForms
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from caseprep.cases.timeline import EVENT_TYPES, NOTE_MAX, REFERENCE_MAX

EVENT_LABELS = {
    "found_posts": _l("Found posts"),
    "police_report": _l("Reported to the police"),
    "police_answer": _l("The police's answer"),
    "notice_sent": _l("Removal request sent to a platform"),
    "platform_reply": _l("A platform's reply"),
    "lawyer": _l("A lawyer's step"),
    "court_filing": _l("Court"),
    "other": _l("Something else"),
}
assert set(EVENT_LABELS) == set(EVENT_TYPES)


class EventForm(FlaskForm):
    type = SelectField(_l("What happened?"),
                       choices=[SelectChoice(kind, EVENT_LABELS[kind]) for kind in EVENT_TYPES])
    on = DateField(_l("On what date?"), validators=[InputRequired()])
    reference = StringField(_l("Number or reference (optional)"),
                            validators=[Optional(), Length(max=REFERENCE_MAX)],
                            description=_l("For example the receipt number the police gave you."))
    note = TextAreaField(_l("Note (optional)"), validators=[Optional(), Length(max=NOTE_MAX)])


class RemoveEventForm(FlaskForm):
    event_id = HiddenField(validators=[DataRequired(), Length(max=64)])


class CalendarForm(FlaskForm):
    detailed = BooleanField(
        _l("Say in each event what is due"),
        description=_l("Leave this off if someone else may see your phone's calendar: every "
                       "event is then called only \"Reminder\"."))
