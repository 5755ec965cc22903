"""The open case's own page: its code, changing the passphrase, deleting the case."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from caseprep.appshell import security
from caseprep.appshell.extensions import get_db, limiter
from caseprep.cases import service
from caseprep.cases.errors import InvalidCredentials
from caseprep.web import case_session
from caseprep.web.main.forms import ChangePassphraseForm, DeleteCaseForm
from caseprep.web.main.views import bp


@bp.get("/case")
@case_session.case_required
def show_case():
    return _render(ChangePassphraseForm(), DeleteCaseForm())


def _render(passphrase_form, delete_form, status=200):
    case = case_session.current_case()
    return render_template("main/case.html", code=case.code, passphrase_form=passphrase_form,
                           delete_form=delete_form, role=case.role,
                           retention_days=current_app.config["CASEPREP"].retention_days), status


def _open_case_key() -> str:
    """The rate-limit key of the browser's open case (the API's names the case in its path)."""
    case = case_session.current_case()
    return security.case_code_key(case.code if case is not None else None)


@bp.post("/case/passphrase")
@limiter.limit("10 per hour")
@limiter.shared_limit(security.passphrase_change_limit_per_code,
                      security.PASSPHRASE_CHANGE_SCOPE,
                      key_func=_open_case_key,
                      deduct_when=security.failed_passphrase_change)
@case_session.case_required
@case_session.owner_required
def change_passphrase():
    """Re-wrap the case key under a new passphrase (the content is not re-encrypted)."""
    form = ChangePassphraseForm()
    if not form.validate_on_submit():
        return _render(form, DeleteCaseForm(formdata=None), 422)
    case = case_session.current_case()
    try:
        case.change_passphrase(form.current.data, form.passphrase.data)
    except InvalidCredentials:
        form.current.errors = [*form.current.errors, _("The current passphrase is not right.")]
        return _render(form, DeleteCaseForm(formdata=None), 403)
    # The change ended every session and API token of the case; this browser goes on.
    case_session.login_case(case)
    flash(_("Your passphrase is changed. Use the new one from now on. Every other browser "
            "or app that had your case open is signed out."), "info")
    return redirect(url_for("main.show_case"), code=303)


@bp.post("/case/sign-out-everywhere")
@limiter.limit("10 per hour")
@case_session.case_required
@case_session.owner_required
def sign_out_everywhere():
    """End every session of the case: browsers, copied cookies and API tokens, this one too
    (for when someone else may have had her unlocked phone or computer)."""
    case_session.sign_out_everywhere(case_session.current_case())
    flash(_("Your case is closed everywhere it was open, including here. Open it again "
            "with its code and passphrase."), "info")
    return redirect(url_for("main.index"), code=303)


@bp.post("/case/delete")
@limiter.limit("10 per hour")
@case_session.case_required
@case_session.owner_required
def delete_case():
    """Delete the case for good after the passphrase is typed again (a borrowed, unlocked
    browser alone must not be enough to destroy someone's evidence)."""
    form = DeleteCaseForm()
    if not form.validate_on_submit():
        return _render(ChangePassphraseForm(formdata=None), form, 422)
    case = case_session.current_case()
    try:
        service.open_case(get_db(), current_app.config["CASEPREP"], case.code,
                          form.passphrase.data or "")
    except InvalidCredentials:
        form.passphrase.errors = [*form.passphrase.errors,
                                  _("That passphrase does not open this case.")]
        return _render(ChangePassphraseForm(formdata=None), form, 403)
    case.delete()
    case_session.logout_case()
    flash(_("Your case and everything in it were deleted."), "info")
    return redirect(url_for("main.index"), code=303)

