"""Views of the evidence feature: the log, items, files behind a click, manifest, import.

Images are never shown unasked: the list links to a page that shows one thumbnail, because
the person may not want to see them. Everything works without JavaScript; the import's
progress page refreshes itself with a Refresh header.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _

from caseprep.appshell import security
from caseprep.appshell.extensions import get_db, limiter
from caseprep.evidence import export, imports, service
from caseprep.evidence.filestore import FileStore, TamperedFile
from caseprep.evidence.items import KIND_LABELS, InvalidField
from caseprep.evidence.refusals import UploadRefused
from caseprep.evidence.sniff import ALL_TYPES
from caseprep.tasks import enqueue_import
from caseprep.web.case_session import POLLING, case_required, current_case, owner_required
from caseprep.web.evidence.forms import EvidenceForm, ImportForm

bp = Blueprint("evidence", __name__, url_prefix="/evidence")
_REFRESH_SECONDS = 3
# A download keeps its name's extension only when it is one of the accepted file types'.
_DOWNLOAD_EXTENSIONS = frozenset(ext for kind in ALL_TYPES for ext in kind.extensions)


@bp.url_value_preprocessor
def _allow_large_exports(endpoint, _values) -> None:
    """A chat export with its photos can exceed the per-file limit: the import form may send
    up to the case's storage limit (the app-wide MAX_CONTENT_LENGTH covers single files).

    A URL value preprocessor runs before every before_request hook, so before CSRFProtect
    reads the form. Only a browser with an open case gets the larger limit: the session
    is checked from the cookie before any of the body is read (issue 13, item 6).
    """
    if (endpoint == "evidence.start_import" and request.method == "POST"
            and current_case() is not None):
        request.max_content_length = current_app.config["CASEPREP"].max_case_bytes


def _store() -> FileStore:
    return FileStore.from_settings(current_app.config["CASEPREP"])


def _item_or_404(item_id: int):
    item = service.get_item(get_db(), current_case(), item_id)
    if item is None:
        abort(404)
    return item


def _refusal_text(exc: UploadRefused) -> str:
    return _(exc.message, **exc.params)


@bp.get("/")
@case_required
def list_items():
    found = imports.list_imports(get_db(), current_case(), _store())  # collects finished ones
    items = service.list_items(get_db(), current_case())
    return render_template("evidence/list.html", items=items, tally=service.counts(items),
                           kind_labels=KIND_LABELS, imports=found)


@bp.route("/add", methods=["GET", "POST"])
@limiter.limit(security.upload_limit_per_client, methods=["POST"])
@case_required
def add_item():
    form = EvidenceForm()
    if form.validate_on_submit():
        upload = form.file.data
        has_file = upload is not None and bool(getattr(upload, "filename", ""))
        try:
            service.add_item(get_db(), current_case(), _store() if has_file else None,
                             form.item_fields(), upload.stream if has_file else None,
                             upload.filename if has_file else None)
        except UploadRefused as exc:
            form.file.errors = [_refusal_text(exc)]
        except InvalidField as exc:
            getattr(form, exc.field).errors = [_(exc.message)]
        else:
            flash(_("Added to your evidence log."), "success")
            return redirect(url_for("evidence.list_items"))
    return render_template("evidence/form.html", form=form, item=None), \
        422 if request.method == "POST" else 200


@bp.route("/<int:item_id>/edit", methods=["GET", "POST"])
@case_required
def edit_item(item_id: int):
    item = _item_or_404(item_id)
    form = EvidenceForm(with_file=False, data=None if request.method == "POST" else {
        "kind": item.kind, **{k: item.get(k) for k in (
            "platform", "url", "message_ref", "poster_handle", "poster_id", "notes")},
        "posted_at": (item.get("posted_at") or "")[:19],
        "captured_at": (item.get("captured_at") or "")[:19],
        "role": item.get("role") or "publication",
        "images_shown": "" if item.get("images_shown") is None else str(item.get("images_shown")),
    })
    if form.validate_on_submit():
        try:
            service.update_item(get_db(), current_case(), item_id, form.item_fields())
        except InvalidField as exc:
            getattr(form, exc.field).errors = [_(exc.message)]
        else:
            flash(_("Saved."), "success")
            return redirect(url_for("evidence.list_items"))
    return render_template("evidence/form.html", form=form, item=item), \
        422 if request.method == "POST" else 200


@bp.route("/<int:item_id>/delete", methods=["GET", "POST"])
@case_required
@owner_required  # a lawyer's access reads and drafts; it never deletes her evidence
def delete_item(item_id: int):
    item = _item_or_404(item_id)
    if request.method == "POST":
        # CSRFProtect (app-wide) has already checked the form's token.
        service.delete_item(get_db(), current_case(), _store(), item_id)
        flash(_("The item and its file were deleted."), "success")
        return redirect(url_for("evidence.list_items"))
    return render_template("evidence/delete.html", item=item, kind_labels=KIND_LABELS)


@bp.get("/<int:item_id>/image")
@case_required
def show_image(item_id: int):
    """A page with one thumbnail: reached only by choosing "show image"."""
    item = _item_or_404(item_id)
    if not item.has_thumbnail:
        abort(404)
    # A picture that is only possibly hers stays blurred until she asks to see it clearly.
    blurred = item.get("role") == "possible" and request.args.get("clear") != "1"
    return render_template("evidence/image.html", item=item, kind_labels=KIND_LABELS,
                           blurred=blurred)


@bp.get("/<int:item_id>/thumbnail.jpg")
@case_required
def thumbnail(item_id: int):
    try:
        data = service.read_thumbnail(get_db(), current_case(), _store(), item_id)
    except (TamperedFile, FileNotFoundError):
        abort(404)
    if data is None:
        abort(404)
    return Response(data, mimetype="image/jpeg",
                    headers={"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"})


@bp.get("/<int:item_id>/file")
@case_required
def download_file(item_id: int):
    """The original file as stored, checked intact, as a download (never shown inline)."""
    try:
        item, fh = service.open_file(get_db(), current_case(), _store(), item_id)
    except (FileNotFoundError, TamperedFile):
        abort(404)
    name = f"evidence-{item_id}"
    original = item.get("original_name") or ""
    extension = original.rsplit(".", 1)[1].lower() if "." in original else ""
    if extension in _DOWNLOAD_EXTENSIONS:  # never .hta, .lnk, .exe (issue 13, item 9)
        name += "." + extension
    return send_file(fh, mimetype="application/octet-stream", as_attachment=True,
                     download_name=name, max_age=0)


@bp.get("/manifest.<fmt>")
@case_required
def manifest(fmt: str):
    items = service.list_items(get_db(), current_case())
    if fmt == "csv":
        body, mimetype = export.manifest_csv(items), "text/csv"
    elif fmt == "json":
        body, mimetype = export.manifest_json(items), "application/json"
    else:
        abort(404)
    return Response(body, mimetype=mimetype, headers={
        "Content-Disposition": f"attachment; filename=evidence-manifest.{fmt}",
        "Cache-Control": "no-store"})


@bp.get("/verify")
@case_required
def verify():
    problems = export.verify_files(get_db(), current_case(), _store())
    return render_template("evidence/verify.html", problems=problems,
                           count=len(service.list_items(get_db(), current_case())))


@bp.route("/import", methods=["GET", "POST"])
@limiter.limit(security.upload_limit_per_client, methods=["POST"])
@case_required
def start_import():
    form = ImportForm()
    if form.validate_on_submit():
        upload = form.export.data
        if upload is None or not getattr(upload, "filename", ""):
            form.export.errors = [_("Choose the export file.")]
        else:
            refs = [(f.filename, f.stream) for f in (form.references.data or [])
                    if getattr(f, "filename", "")]
            try:
                import_id, token = imports.start_import(
                    get_db(), current_case(), _store(), current_app.config["SECRET_KEY"],
                    upload.stream, upload.filename, refs)
            except UploadRefused as exc:
                form.export.errors = [_refusal_text(exc)]
            except imports.ImportRefused as exc:
                form.export.errors = [_(exc.message)]
            else:
                enqueue_import(current_app.config["CASEPREP"], token)
                return redirect(url_for("evidence.show_import", import_id=import_id))
    return render_template("evidence/import.html", form=form), \
        422 if request.method == "POST" else 200


@bp.get("/import/<import_id>")
@case_required
def show_import(import_id: str):
    job = imports.get_import(get_db(), current_case(), import_id, _store())
    if job is None:
        abort(404)
    response = Response(render_template(
        "evidence/import_status.html", job=job, stages=imports.STAGES, errors=imports.ERRORS))
    if job["status"] in ("queued", "running"):
        # Marked as polling: a page refreshing itself does not keep the session alive.
        response.headers["Refresh"] = "{}; url={}".format(_REFRESH_SECONDS, url_for(
            "evidence.show_import", import_id=import_id, **POLLING))
    return response
