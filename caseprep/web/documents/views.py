"""Views of the documents feature: choose, preview, edit the free text, download.

Thin over caseprep.documents: the case's assessment decides which documents apply; the
drafts of the free-text parts are stored encrypted in the case record "document_drafts".
"""

from __future__ import annotations

import re

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from markupsafe import Markup

from caseprep.appshell.extensions import get_db, get_rules, limiter
from caseprep.assessment import assess_case, case_facts
from caseprep.documents import case_documents, generation_job, html, service
from caseprep.documents.fonts import MissingFontError
from caseprep.documents.model import KINDS
from caseprep.evidence.filestore import FileStore
from caseprep.rules import UnknownJurisdiction
from caseprep.tasks import enqueue_documents, get_huey
from caseprep.web.case_session import POLLING, case_required, current_case
from caseprep.web.documents import exposure
from caseprep.web.documents.forms import (
    DETAIL_LABELS,
    KIND_LABELS,
    ContactChoiceForm,
    DownloadForm,
    DraftsForm,
    FileForm,
    kind_choices,
)

bp = Blueprint("documents", __name__, url_prefix="/documents")
# The case drawn as a timeline: offered for every case, made only when chosen.
OPTIONAL_KIND = "case_timeline"

_BODY = re.compile(r"<body[^>]*>(.*)</body>", re.S)
_REFRESH_SECONDS = 2


def _lang() -> str:
    return str(get_locale())


def _available(case, lang: str) -> list[dict]:
    """Per jurisdiction: the kinds its met or unknown routes produce."""
    out = []
    for assessment in assess_case(get_db(), case, lang, get_rules()):
        specs = service.plan(assessment, {}, None)
        kinds = [k for k in KINDS if any(s.kind == k for s in specs)] + [OPTIONAL_KIND]
        out.append({"code": assessment["jurisdiction"], "name": assessment["name"],
                    "language": assessment["language"], "kinds": kinds})
    return out


def _via_lawyer_only(case) -> bool:
    return bool((case.read_record(exposure.OPTIONS_RECORD) or {}).get(exposure.VIA_LAWYER_ONLY))


def _details(case) -> dict:
    """Her saved drafts and timeline steps plus her contact choice, as the documents
    service takes them."""
    details = case_documents.case_details(case)
    if _via_lawyer_only(case):
        details[exposure.VIA_LAWYER_ONLY] = True
    return details


def _documents(case, code: str, kinds, lang: str | None):
    """The documents of `kinds` of one jurisdiction of the case (404 when it is gone)."""
    rules = get_rules()
    try:
        jurisdiction = rules.jurisdiction(code)
    except UnknownJurisdiction:  # its rule file was removed from the rules folder
        abort(404)
    if lang not in (jurisdiction.language, _lang()):
        lang = jurisdiction.language
    return service.build_documents(
        jurisdiction, case_facts(get_db(), case, rules), _details(case),
        case_documents.case_evidence(get_db(), case), kinds, lang)


def _exposures(case, available: list[dict]) -> list[exposure.Exposure]:
    """Documents for filing that may reach the poster and print her phone, address or ID."""
    details = _details(case)
    if not exposure.personal_details(details):
        return []
    found = []
    for jur in available:
        kinds = [k for k in jur["kinds"] if k not in exposure.FOR_HER_ONLY]
        if kinds:
            found += exposure.exposures(_documents(case, jur["code"], kinds, None), details)
    return found


@bp.get("/")
@case_required
def show_documents():
    case = current_case()
    available = _available(case, _lang())
    form = DownloadForm()
    applicable = sorted({k for j in available for k in j["kinds"]}, key=KINDS.index)
    # Only the kinds her routes produce are offered (the download accepts any kind), and
    # the timeline, which is in the download only when she ticks it.
    form.kinds.choices = [c for c in kind_choices() if c.value in applicable]
    form.kinds.data = [k for k in applicable if k != OPTIONAL_KIND]
    try:
        exposed = _exposures(case, available)
    except MissingFontError:
        abort(503)
    contact_form = ContactChoiceForm(via_lawyer_only=_via_lawyer_only(case))
    return render_template("documents/web/index.html", form=form, jurisdictions=available,
                           kind_labels=KIND_LABELS, exposed=exposed, contact_form=contact_form,
                           detail_labels=DETAIL_LABELS)


@bp.post("/contact-choice")
@case_required
def save_contact_choice():
    """Save her "contact via lawyer/e-mail only" choice with the case (encrypted)."""
    case = current_case()
    form = ContactChoiceForm()
    if not form.validate_on_submit():
        abort(400)
    options = case.read_record(exposure.OPTIONS_RECORD) or {}
    options[exposure.VIA_LAWYER_ONLY] = bool(form.via_lawyer_only.data)
    case.write_record(exposure.OPTIONS_RECORD, options)
    get_db().commit()
    flash(_("Saved. Your documents now follow this choice."), "success")
    return redirect(url_for("documents.show_documents"))


@bp.route("/edit", methods=["GET", "POST"])
@case_required
def edit_drafts():
    case = current_case()
    form = DraftsForm()
    if form.validate_on_submit():
        try:
            case_documents.save_drafts(case, form.changes())
        except ValueError:
            abort(400)
        get_db().commit()
        flash(_("Saved. Your drafts now use these words."), "success")
        return redirect(url_for("documents.show_documents"))
    if request.method == "GET":
        drafts = case_documents.read_drafts(case)
        # Start from her answer in the wizard; the documents' version may then differ.
        drafts.setdefault("narrative", case.facts().get("incident.narrative") or "")
        form.fill(drafts)
    return render_template("documents/web/edit.html", form=form)


def _one_document(code: str, kind: str, item: int):
    """Document number `item` of `kind` (e.g. the notice to one platform), or 404."""
    case = current_case()
    if kind not in KINDS or code not in get_rules().with_parents(case.jurisdictions):
        abort(404)
    docs = _documents(case, code, [kind], request.args.get("lang"))
    if not 0 <= item < len(docs):
        abort(404)
    return case, docs, docs[item]


@bp.get("/preview/<code>/<kind>")
@bp.get("/preview/<code>/<kind>/<int:item>")
@case_required
def show_preview(code: str, kind: str, item: int = 0):
    """One document of `kind`, as HTML inside the site (styles from preview.css), with its
    own download buttons and links to the other documents of the same kind."""
    case, docs, doc = _one_document(code, kind, item)
    try:
        markup = html.render_html(doc)
        exposed = exposure.exposures([doc], _details(case))
    except MissingFontError:
        abort(503)
    match = _BODY.search(markup)
    # Our own template's output, user text already escaped by it.
    body = Markup(match.group(1) if match else "")  # noqa: S704
    return render_template("documents/web/preview.html", body=body, doc=doc, docs=docs,
                           item=item, kind_label=KIND_LABELS[kind], other_lang=_lang(),
                           file_form=FileForm(), exposed=exposed, detail_labels=DETAIL_LABELS)


@bp.post("/file/<code>/<kind>/<int:item>")
@limiter.limit("60 per hour")
@case_required
def download_file(code: str, kind: str, item: int):
    """The previewed document alone, as PDF or DOCX, in the language it was previewed in."""
    form = FileForm()
    if not form.validate_on_submit():
        abort(400)
    case, _docs, doc = _one_document(code, kind, item)
    if generation_job.needs_job(1, len(doc.evidence)):  # a long evidence list or checklist
        return _start_job(case, [kind], [form.format.data],
                          None if doc.for_filing else doc.lang,
                          case_documents.case_evidence(get_db(), case), [code])
    try:
        made = service.render(doc, form.format.data)
    except MissingFontError:
        current_app.logger.error("documents: no CJK font installed")
        abort(503)
    return _attachment(made.name, made.data, made.media_type)


def _files_at_least(case, kinds, formats, ui_lang) -> int:
    """A lower bound of the files a download makes: 1 only for one document in one format."""
    langs = {get_rules().jurisdictions[code].language for code in case.jurisdictions
             if code in get_rules().jurisdictions} | ({ui_lang} if ui_lang else set())
    if kinds is None or len(kinds) != 1 or "takedown_notice" in kinds:  # one per platform
        return 2
    return len(formats) * len(langs) * len(case.jurisdictions)


def _start_job(case, kinds, formats, ui_lang, evidence, jurisdictions=None):
    inputs = {"jurisdictions": list(jurisdictions or case.jurisdictions),
              "facts": case_facts(get_db(), case, get_rules()), "details": _details(case),
              "evidence": evidence, "kinds": kinds, "formats": list(formats),
              "ui_lang": ui_lang, "packet_lang": _lang(), "packet": kinds is None}
    job_id, token = generation_job.start(case, _store(), get_huey(_settings()).storage,
                                         current_app.config["SECRET_KEY"], inputs)
    get_db().commit()
    enqueue_documents(_settings(), token)
    return redirect(url_for("documents.show_job", job_id=job_id), 303)


@bp.get("/jobs/<job_id>")
@case_required
def show_job(job_id: str):
    """Progress of a packet being made; comes back by itself (no JavaScript) until ready."""
    state = generation_job.status(current_case(), get_huey(_settings()).storage, job_id)
    if state is None:
        abort(404)
    get_db().commit()  # a collected result is now under the case
    response = Response(render_template("documents/web/job.html", state=state,
                                        job_id=job_id, form=FileForm()))
    if state in generation_job.PENDING:
        # Marked as polling: a page refreshing itself does not keep the session alive.
        response.headers["Refresh"] = "{}; url={}".format(_REFRESH_SECONDS, url_for(
            "documents.show_job", job_id=job_id, **POLLING))
    return response


@bp.post("/jobs/<job_id>/file")
@limiter.limit("60 per hour")
@case_required
def download_job(job_id: str):
    if not FileForm().validate_on_submit():
        abort(400)
    made = generation_job.read_result(current_case(), _store(), job_id)
    if made is None:
        abort(404)
    return _attachment(*made)


def _settings():
    return current_app.config["CASEPREP"]


def _store() -> FileStore:
    return FileStore.from_settings(_settings())


def _attachment(name: str, data: bytes, media_type: str) -> Response:
    response = Response(data, mimetype=media_type)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@bp.get("/preview.css")
def preview_css():
    # The timeline's own style is inline in its document; the site's policy allows no inline
    # style, so the preview gets it from here.
    css = html.stylesheet("web/preview.css") + html.stylesheet("_columns.css") \
        + html.stylesheet("case_timeline/_timeline.css")
    return Response(css, mimetype="text/css")


@bp.post("/download")
@limiter.limit("30 per hour")
@case_required
def download():
    """One document in the request; several (a packet), or a long evidence log, by a job."""
    case = current_case()
    form = DownloadForm()
    form.kinds.choices = kind_choices()
    everything = request.form.get("all") == "1"  # the results page's one-click button
    if everything:
        form.kinds.validators = []
    if not form.validate_on_submit():
        flash(_("Choose at least one document."), "error")
        return redirect(url_for("documents.show_documents"))
    kinds = None if everything else form.kinds.data
    formats = service.FORMAT_CHOICES[form.format.data]
    ui_lang = _lang() if (form.translation.data or everything) else None
    evidence = case_documents.case_evidence(get_db(), case)
    if generation_job.needs_job(_files_at_least(case, kinds, formats, ui_lang), len(evidence)):
        return _start_job(case, kinds, formats, ui_lang, evidence)
    try:
        made = case_documents.download_for_case(
            get_db(), case, kinds, formats, ui_lang, _lang(), get_rules(),
            details=_details(case))
    except MissingFontError:
        current_app.logger.error("documents: no CJK font installed")
        abort(503)
    if made is None:
        flash(_("None of these documents applies to your case yet."), "error")
        return redirect(url_for("documents.show_documents"))
    return _attachment(*made)
