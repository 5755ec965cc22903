"""Her list of people with their own access to the case: give, see when used, revoke.

A new access's code and passphrase are shown once, on the page that made them. Her passphrase
is asked again before giving access (an unlocked browser alone must not be enough).
"""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField
from wtforms.validators import DataRequired, Length

from caseprep.appshell.extensions import get_db, limiter
from caseprep.cases import grants, service
from caseprep.cases.errors import InvalidCredentials
from caseprep.web.case_session import case_required, current_case, owner_required
from caseprep.web.main.forms import MAX_PASSPHRASE_LENGTH

bp = Blueprint("access", __name__, url_prefix="/case/access")


class GrantForm(FlaskForm):
    passphrase = PasswordField(validators=[DataRequired(), Length(max=MAX_PASSPHRASE_LENGTH)])


class RevokeForm(FlaskForm):
    grant_id = HiddenField(validators=[DataRequired(), Length(max=20)])


def _render(form=None, new=None, status=200):
    form = form or GrantForm()
    form.passphrase.label.text = _("Your passphrase, to confirm")
    return render_template("access/access.html", form=form, revoke_form=RevokeForm(),
                           granted=grants.listed(get_db(), current_case()), new=new), status


@bp.get("")
@case_required
@owner_required
def show_access():
    return _render()


@bp.post("")
@limiter.limit("10 per hour")
@case_required
@owner_required
def give_access():
    form = GrantForm()
    if not form.validate_on_submit():
        return _render(form, status=422)
    case, settings = current_case(), current_app.config["CASEPREP"]
    try:
        service.open_case(get_db(), settings, case.code, form.passphrase.data or "")
    except InvalidCredentials:
        form.passphrase.errors = [*form.passphrase.errors,
                                  _("That passphrase does not open this case.")]
        return _render(form, status=403)
    return _render(GrantForm(formdata=None), new=grants.create(get_db(), settings, case))


@bp.post("/revoke")
@case_required
@owner_required
def revoke_access():
    form = RevokeForm()
    grant_id = form.grant_id.data or ""
    if form.validate_on_submit() and grant_id.isdigit() and grants.revoke(
            get_db(), current_case(), int(grant_id)):
        flash(_("That access is revoked: its code and passphrase open nothing now. Every "
                "browser was signed out; sign in again with your own code."), "info")
        return redirect(url_for("main.resume_case"), code=303)
    return redirect(url_for("access.show_access"), code=303)
