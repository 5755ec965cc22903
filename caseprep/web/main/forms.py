"""Forms of the main feature: start a new case, resume one."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, RadioField, StringField
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # not in types-WTForms
from wtforms.validators import DataRequired, EqualTo, Length

from caseprep.appshell.i18n import LOCALE_NAMES, LOCALES
from caseprep.cases.opened import MIN_PASSPHRASE_LENGTH

# Long enough to resist guessing at the server's scrypt cost; a sentence is easier to keep.
MAX_PASSPHRASE_LENGTH = 1024


def _new_passphrase(label, **kwargs):
    """A passphrase being chosen: long enough (the rule every new passphrase follows)."""
    return PasswordField(label, validators=[DataRequired(), Length(
        min=MIN_PASSPHRASE_LENGTH, max=MAX_PASSPHRASE_LENGTH,
        message=_l("Use at least %(n)s characters.", n=MIN_PASSPHRASE_LENGTH))], **kwargs)


def _passphrase_again(label):
    """The same passphrase typed a second time (the form's field `passphrase`)."""
    return PasswordField(label, validators=[
        DataRequired(), EqualTo("passphrase", message=_l("The two passphrases differ."))])


class NewCaseForm(FlaskForm):
    passphrase = _new_passphrase(
        _l("Choose a passphrase"),
        description=_l("At least %(n)s characters. A short sentence only you know works well. "
                       "Nobody, not even the people running this site, can recover it.",
                       n=MIN_PASSPHRASE_LENGTH),
    )
    passphrase_again = _passphrase_again(_l("Type the passphrase again"))
    lives_in = RadioField(
        _l("Where do you live?"),
        description=_l("caseprep checks the laws of this place. You can add another place later."),
        validators=[DataRequired(message=_l("Choose a place."))],
    )
    locale = RadioField(
        _l("Language of your case"),
        choices=[SelectChoice(code, LOCALE_NAMES[code]) for code in LOCALES],
        validators=[DataRequired()],
    )


class ResumeCaseForm(FlaskForm):
    code = StringField(
        _l("Case code"),
        description=_l("The code you wrote down when you started, like ABCD-EFGH-JKMN-PQRS."),
        validators=[DataRequired(), Length(max=64)],
    )
    passphrase = PasswordField(
        _l("Passphrase"), validators=[DataRequired(), Length(max=MAX_PASSPHRASE_LENGTH)]
    )


class ChangePassphraseForm(FlaskForm):
    current = PasswordField(_l("Current passphrase"),
                            validators=[DataRequired(), Length(max=MAX_PASSPHRASE_LENGTH)])
    passphrase = _new_passphrase(_l("New passphrase"))
    passphrase_again = _passphrase_again(_l("Type the new passphrase again"))


class DeleteCaseForm(FlaskForm):
    passphrase = PasswordField(_l("Your passphrase, to confirm"),
                               validators=[DataRequired(), Length(max=MAX_PASSPHRASE_LENGTH)])
    confirm = BooleanField(
        _l("I understand that my answers, evidence and drafts will be deleted for good."),
        validators=[DataRequired(message=_l("Tick the box to confirm."))],
    )
