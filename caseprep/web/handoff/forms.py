"""The hand-off form: how the bundle is locked, and her passphrase to confirm."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, RadioField, StringField
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # not in types-WTForms
from wtforms.validators import DataRequired, Length, Optional, Regexp

from caseprep.web.main.forms import MAX_PASSPHRASE_LENGTH


class HandoffForm(FlaskForm):
    lock = RadioField(
        _l("How should the file be locked?"),
        choices=[SelectChoice("key", _l("With my lawyer's key (they gave me a key starting "
                                        "with age1)")),
                 SelectChoice("passphrase", _l("With the one-time passphrase shown below"))],
        default="passphrase", validators=[DataRequired()])
    recipient = StringField(
        _l("Your lawyer's key"), validators=[Optional(), Length(max=200),
                                             Regexp(r"^\s*age1[0-9a-z]+\s*$",
                                                    message=_l("A key starts with age1."))],
        description=_l("Only needed if you chose the lawyer's key."))
    one_time = HiddenField(validators=[DataRequired(), Length(max=64)])
    passphrase = PasswordField(_l("Your passphrase, to confirm"),
                               validators=[DataRequired(), Length(max=MAX_PASSPHRASE_LENGTH)])
