"""Forms of the evidence pages: an item (with an optional file) and a chat-export import."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, MultipleFileField
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import Length, Optional

from caseprep.evidence.items import KIND_LABELS, KINDS, MAX_IMAGES_SHOWN

_DATETIME = {"type": "datetime-local", "step": "1"}
# What an item is to the case (caseprep.evidence.posted.ROLES): only what the poster spread
# is counted and listed as content to remove. `possible` is set by the photo matcher.
ROLE_LABELS = {
    "publication": _l("Something the poster spread"),
    "reference": _l("My own original (for comparison)"),
    "context": _l("A private chat or other context (such as the group's member count)"),
    "possible": _l("Possibly me (found by the photo comparison)"),
}


class EvidenceForm(FlaskForm):
    """One evidence item; every field but the kind is optional."""

    kind = SelectField(_l("What is it?"), choices=[])
    file = FileField(_l("File (optional)"),
                     description=_l("A photo, video, PDF or text file, as you saved it. It is "
                                    "stored encrypted; its SHA-256 fingerprint proves later "
                                    "that it was not changed."))
    platform = StringField(_l("Where was it posted?"), validators=[Optional(), Length(max=100)],
                           description=_l("For example Telegram, WeChat, QQ, Weibo."))
    url = StringField(_l("Link to the post"), validators=[Optional(), Length(max=2000)],
                      description=_l("Written down only; caseprep never opens it."))
    message_ref = StringField(_l("Chat and message"), validators=[Optional(), Length(max=500)],
                              description=_l("For example the group's name and the message "
                                             "number."))
    poster_handle = StringField(_l("Who posted it (name or @handle)"),
                                validators=[Optional(), Length(max=200)])
    poster_id = StringField(_l("Their account number or ID, if shown"),
                            validators=[Optional(), Length(max=200)])
    posted_at = StringField(_l("When was it posted?"), validators=[Optional()],
                            render_kw=_DATETIME)
    captured_at = StringField(_l("When did you save it?"), validators=[Optional()],
                              render_kw=_DATETIME)
    role = SelectField(_l("What is it to your case?"), choices=[], validators=[Optional()],
                       description=_l("Only what the poster spread is counted and listed as "
                                      "content to remove. Your own originals show that the "
                                      "photos are of you."))
    images_shown = StringField(
        _l("How many images does this screenshot show?"), validators=[Optional()],
        render_kw={"inputmode": "numeric", "type": "number", "min": "0",
                   "max": str(MAX_IMAGES_SHOWN)},
        description=_l("Count each of your photos visible in it. A photo or video file counts "
                       "as one by itself; leave this empty for it."))
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=5000)])

    def __init__(self, *args, with_file: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = [("", _l("Choose…"))] + [(k, _l(KIND_LABELS[k])) for k in KINDS]
        # "Possibly me" only for an item the matcher marked so: she confirms or rejects it.
        self.role.choices = [(r, label) for r, label in ROLE_LABELS.items()
                             if r != "possible" or self.role.data == "possible"]
        if not with_file:
            del self.file

    def item_fields(self) -> dict:
        return {name: getattr(self, name).data for name in (
            "kind", "platform", "url", "message_ref", "poster_handle", "poster_id",
            "posted_at", "captured_at", "role", "images_shown", "notes")}


class ImportForm(FlaskForm):
    """A Telegram Desktop export (ZIP of the folder, or result.json) and your own photos."""

    export = FileField(_l("The export: a ZIP of the export folder, or its result.json"))
    references = MultipleFileField(
        _l("Your own photos to look for (optional)"),
        description=_l("For example the photos from your profile. caseprep compares them "
                       "with every photo in the export and shows you only the matches."))
