"""API routes for the evidence log: add (multipart or fields), list, read, edit, delete.

Thin over caseprep.evidence.service; refusals come back as 413/422 with a translated message
and a stable `code`.
"""

from __future__ import annotations

from flask import Response, current_app, jsonify, request
from flask_babel import gettext as _

from caseprep.api.auth import token_required
from caseprep.api.blueprint import bp
from caseprep.api.bodies import json_object
from caseprep.api.errors import api_error
from caseprep.api.openapi import operation
from caseprep.api.schemas import EvidenceFields, EvidenceItem, EvidenceList, Manifest
from caseprep.appshell import security
from caseprep.appshell.extensions import get_db, limiter
from caseprep.evidence import export, service
from caseprep.evidence.filestore import FileStore
from caseprep.evidence.items import EDITABLE, InvalidField
from caseprep.evidence.refusals import UploadRefused
from caseprep.spool import as_binary_file

_TOO_BIG = {"too_large", "case_full"}


def _store() -> FileStore:
    return FileStore.from_settings(current_app.config["CASEPREP"])


def _fields() -> dict:
    data = (json_object() or {}) if request.mimetype == "application/json" else request.form
    return {name: data.get(name) for name in EDITABLE if name in data}


def _refused(exc: UploadRefused):
    status = 413 if exc.code in _TOO_BIG else 422
    return api_error(status, "upload_refused", _(exc.message, **exc.params), code=exc.code)


def _invalid(exc: InvalidField):
    return api_error(422, "invalid_field", _(exc.message), field=exc.field)


NOT_FOUND = "No such case, or no such item"
ITEM = ("The item, with its SHA-256", EvidenceItem)
# Not "required": a request without a body gets a 422, and openapi-python-client 0.29
# writes code that does not import for a required body with two media types (its #1451).
NEW_ITEM_BODY = {"content": {
    "multipart/form-data": {"schema": {"allOf": [EvidenceFields, {
        "type": "object", "properties": {"file": {"type": "string", "format": "binary"}}}]}},
    "application/json": {"schema": EvidenceFields}}}


@bp.post("/cases/<code>/evidence")
@operation("addEvidence", summary="Add an item (one file and its fields, or fields alone)",
           body=NEW_ITEM_BODY, responses={201: ITEM, 404: NOT_FOUND,
                                          413: "Over a size limit",
                                          422: "Refused file or field"})
@limiter.limit(security.upload_limit_per_client)
@token_required
def add_evidence(case):
    """Add an item: multipart with `file` and fields, or fields alone (form or JSON)."""
    upload = request.files.get("file")
    try:
        if upload is not None:
            item = service.add_item(get_db(), case, _store(), _fields(),
                                    as_binary_file(upload.stream),
                                    upload.filename)
        else:
            item = service.add_item(get_db(), case, None, _fields())
    except UploadRefused as exc:
        return _refused(exc)
    except InvalidField as exc:
        return _invalid(exc)
    return jsonify(item.to_dict()), 201


@bp.get("/cases/<code>/evidence")
@operation("listEvidence", summary="List the evidence log",
           responses={200: ("Items and counts", EvidenceList), 404: NOT_FOUND})
@token_required
def list_evidence(case):
    items = service.list_items(get_db(), case)
    tally = service.counts(items)
    return jsonify({"items": [i.to_dict() for i in items],
                    "counts": {k: tally[k] for k in ("total", "by_kind", "post", "by_poster")}})


@bp.get("/cases/<code>/evidence/<int:item_id>")
@operation("getEvidence", summary="One item", responses={200: ITEM, 404: NOT_FOUND})
@token_required
def get_evidence(case, item_id: int):
    item = service.get_item(get_db(), case, item_id)
    if item is None:
        return api_error(404, "not_found", _("There is no such evidence item."))
    return jsonify(item.to_dict())


@bp.patch("/cases/<code>/evidence/<int:item_id>")
@operation("editEvidence", summary="Edit an item's fields (only those sent change)",
           body=EvidenceFields, responses={200: ITEM, 404: NOT_FOUND, 413: "Over a size limit",
                                                422: "Invalid field"})
@token_required
def edit_evidence(case, item_id: int):
    try:
        item = service.update_item(get_db(), case, item_id, _fields())
    except InvalidField as exc:
        return _invalid(exc)
    if item is None:
        return api_error(404, "not_found", _("There is no such evidence item."))
    return jsonify(item.to_dict())


@bp.delete("/cases/<code>/evidence/<int:item_id>")
@operation("deleteEvidence", summary="Delete an item and its file",
           responses={204: "Deleted", 404: NOT_FOUND})
@token_required
def delete_evidence(case, item_id: int):
    if not service.delete_item(get_db(), case, _store(), item_id):
        return api_error(404, "not_found", _("There is no such evidence item."))
    return Response(status=204)


@bp.get("/cases/<code>/evidence/manifest")
@operation("evidenceManifest", summary="The evidence manifest (JSON, or CSV with format=csv)",
           query={"format": {"type": "string", "enum": ["json", "csv"]}}, responses={
               200: {"description": "The manifest", "content": {
                   "application/json": {"schema": Manifest},
                   "text/csv": {"schema": {"type": "string"}}}},
               404: NOT_FOUND})
@token_required
def evidence_manifest(case):
    """The manifest as JSON (default) or CSV (?format=csv)."""
    items = service.list_items(get_db(), case)
    if request.args.get("format") == "csv":
        return Response(export.manifest_csv(items), mimetype="text/csv",
                        headers={"Content-Disposition": "attachment; filename=evidence.csv"})
    return Response(export.manifest_json(items), mimetype="application/json")
