"""API routes for the evidence log: add (multipart or fields), list, read, edit, delete.

Thin over caseprep.evidence.service; refusals come back as 413/422 with a translated message
and a stable `code`.
"""

from __future__ import annotations

from flask import Response, current_app, jsonify, request
from flask_babel import gettext as _

from caseprep.api import bp
from caseprep.api.auth import token_required
from caseprep.api.errors import api_error
from caseprep.api.openapi import BEARER, CASE_CODE, add_paths, add_schemas
from caseprep.evidence import export, service
from caseprep.evidence.filestore import FileStore
from caseprep.evidence.items import EDITABLE, KINDS, InvalidField
from caseprep.evidence.refusals import UploadRefused
from caseprep.web.extensions import get_db

_TOO_BIG = {"too_large", "case_full"}


def _store() -> FileStore:
    return FileStore.from_settings(current_app.config["CASEPREP"])


def _fields() -> dict:
    if request.mimetype == "application/json":
        data = request.get_json(silent=True)
        data = data if isinstance(data, dict) else {}
    else:
        data = request.form
    return {name: data.get(name) for name in EDITABLE if name in data}


def _refused(exc: UploadRefused):
    status = 413 if exc.code in _TOO_BIG else 422
    return api_error(status, "upload_refused", _(exc.message, **exc.params), code=exc.code)


def _invalid(exc: InvalidField):
    return api_error(422, "invalid_field", _(exc.message), field=exc.field)


@bp.post("/cases/<code>/evidence")
@token_required
def add_evidence(case):
    """Add an item: multipart with `file` and fields, or fields alone (form or JSON)."""
    upload = request.files.get("file")
    try:
        if upload is not None:
            item = service.add_item(get_db(), case, _store(), _fields(), upload.stream,
                                    upload.filename)
        else:
            item = service.add_item(get_db(), case, None, _fields())
    except UploadRefused as exc:
        return _refused(exc)
    except InvalidField as exc:
        return _invalid(exc)
    return jsonify(item.to_dict()), 201


@bp.get("/cases/<code>/evidence")
@token_required
def list_evidence(case):
    items = service.list_items(get_db(), case)
    tally = service.counts(items)
    return jsonify({"items": [i.to_dict() for i in items],
                    "counts": {k: tally[k] for k in ("total", "by_kind", "post", "by_poster")}})


@bp.get("/cases/<code>/evidence/<int:item_id>")
@token_required
def get_evidence(case, item_id: int):
    item = service.get_item(get_db(), case, item_id)
    if item is None:
        return api_error(404, "not_found", _("There is no such evidence item."))
    return jsonify(item.to_dict())


@bp.patch("/cases/<code>/evidence/<int:item_id>")
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
@token_required
def delete_evidence(case, item_id: int):
    if not service.delete_item(get_db(), case, _store(), item_id):
        return api_error(404, "not_found", _("There is no such evidence item."))
    return Response(status=204)


@bp.get("/cases/<code>/evidence/manifest")
@token_required
def evidence_manifest(case):
    """The manifest as JSON (default) or CSV (?format=csv)."""
    items = service.list_items(get_db(), case)
    if request.args.get("format") == "csv":
        return Response(export.manifest_csv(items), mimetype="text/csv",
                        headers={"Content-Disposition": "attachment; filename=evidence.csv"})
    return Response(export.manifest_json(items), mimetype="application/json")


_ITEM_PROPS = {
    "id": {"type": "integer"}, "kind": {"type": "string"},
    "created_at": {"type": "string", "format": "date-time"},
    "has_file": {"type": "boolean"}, "has_thumbnail": {"type": "boolean"},
    **{name: {"type": ["string", "null"]} for name in (
        "platform", "url", "message_ref", "poster_handle", "poster_id", "posted_at",
        "captured_at", "notes", "original_name", "detected_type", "sha256", "exif_datetime")},
    **{name: {"type": ["integer", "null"]} for name in ("size", "width", "height")},
}
_FIELDS_SCHEMA = {"type": "object", "properties": {
    "kind": {"type": "string", "enum": list(KINDS)},
    **{name: {"type": "string"} for name in EDITABLE if name != "kind"},
}}
add_schemas({"EvidenceItem": {"type": "object", "properties": _ITEM_PROPS,
                              "required": ["id", "kind", "sha256"]},
             "EvidenceFields": _FIELDS_SCHEMA})
_ITEM_ID = {"name": "item_id", "in": "path", "required": True, "schema": {"type": "integer"}}
_ITEM_REF = {"$ref": "#/components/schemas/EvidenceItem"}
_ERROR_REF = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
add_paths({
    "/cases/{code}/evidence": {
        "get": {"summary": "List the evidence log", "security": BEARER,
                "parameters": [CASE_CODE],
                "responses": {"200": {"description": "Items and counts"},
                              "401": {"description": "No valid token", **_ERROR_REF},
                              "404": {"description": "No such case", **_ERROR_REF}}},
        "post": {"summary": "Add an item (one file and its fields, or fields alone)",
                 "security": BEARER, "parameters": [CASE_CODE],
                 "requestBody": {"content": {
                     "multipart/form-data": {"schema": {"allOf": [
                         {"$ref": "#/components/schemas/EvidenceFields"},
                         {"type": "object", "properties": {
                             "file": {"type": "string", "format": "binary"}}}]}},
                     "application/json": {"schema": {
                         "$ref": "#/components/schemas/EvidenceFields"}}}},
                 "responses": {"201": {"description": "The item, with its SHA-256",
                                       "content": {"application/json": {"schema": _ITEM_REF}}},
                               "401": {"description": "No valid token", **_ERROR_REF},
                               "404": {"description": "No such case", **_ERROR_REF},
                               "413": {"description": "Over a size limit", **_ERROR_REF},
                               "422": {"description": "Refused file or field", **_ERROR_REF}}},
    },
    "/cases/{code}/evidence/{item_id}": {
        "get": {"summary": "One item", "security": BEARER, "parameters": [CASE_CODE, _ITEM_ID],
                "responses": {"200": {"description": "The item",
                                      "content": {"application/json": {"schema": _ITEM_REF}}},
                              "404": {"description": "No such item", **_ERROR_REF}}},
        "patch": {"summary": "Edit an item's fields", "security": BEARER,
                  "parameters": [CASE_CODE, _ITEM_ID],
                  "requestBody": {"content": {"application/json": {"schema": {
                      "$ref": "#/components/schemas/EvidenceFields"}}}},
                  "responses": {"200": {"description": "The item"},
                                "404": {"description": "No such item", **_ERROR_REF},
                                "422": {"description": "Invalid field", **_ERROR_REF}}},
        "delete": {"summary": "Delete an item and its file", "security": BEARER,
                   "parameters": [CASE_CODE, _ITEM_ID],
                   "responses": {"204": {"description": "Deleted"},
                                 "404": {"description": "No such item", **_ERROR_REF}}},
    },
    "/cases/{code}/evidence/manifest": {
        "get": {"summary": "The evidence manifest (JSON, or CSV with format=csv)",
                "security": BEARER,
                "parameters": [CASE_CODE, {"name": "format", "in": "query",
                                           "schema": {"type": "string",
                                                      "enum": ["json", "csv"]}}],
                "responses": {"200": {"description": "The manifest"}}},
    },
})
