"""Give the case to a lawyer: one encrypted file with everything, evidence files included.

The bundle opens only with the lawyer's age key or the one-time passphrase shown on this page
(caseprep.cases.bundle). Her passphrase is asked again: an unlocked browser alone must not be
enough to carry the whole case away.
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app, render_template
from flask_babel import gettext as _

from caseprep.appshell.extensions import get_db, limiter
from caseprep.cases import bundle, service
from caseprep.cases.errors import InvalidCredentials
from caseprep.evidence.filestore import FileStore
from caseprep.web.case_session import case_required, current_case, owner_required
from caseprep.web.handoff.forms import HandoffForm

bp = Blueprint("handoff", __name__, url_prefix="/case/handoff")


def _render(form: HandoffForm, status: int = 200):
    if not form.one_time.data:
        form.one_time.data = bundle.one_time_passphrase()
    return render_template("handoff/handoff.html", form=form), status


@bp.get("")
@case_required
@owner_required
def show_handoff():
    return _render(HandoffForm())


@bp.post("")
@limiter.limit("10 per hour")
@case_required
@owner_required
def download_bundle():
    form = HandoffForm()
    if not form.validate_on_submit():
        return _render(form, 422)
    if form.lock.data == "key" and not (form.recipient.data or "").strip():
        form.recipient.errors = [*form.recipient.errors, _("Paste your lawyer's key here.")]
        return _render(form, 422)
    case, settings = current_case(), current_app.config["CASEPREP"]
    try:
        service.open_case(get_db(), settings, case.code, form.passphrase.data or "")
    except InvalidCredentials:
        form.passphrase.errors = [*form.passphrase.errors,
                                  _("That passphrase does not open this case.")]
        return _render(form, 403)
    by_key = form.lock.data == "key"
    try:
        data = bundle.export_case(get_db(), case, FileStore.from_settings(settings),
                                  recipient=form.recipient.data if by_key else None,
                                  passphrase=None if by_key else form.one_time.data)
    except bundle.BundleError:
        form.recipient.errors = [*form.recipient.errors, _("This is not a key we can use.")]
        return _render(form, 422)
    return Response(data, mimetype="application/octet-stream", headers={
        "Content-Disposition": 'attachment; filename="case.age"', "Cache-Control": "no-store"})
