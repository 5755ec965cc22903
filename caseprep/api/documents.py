"""POST /api/v1/cases/{code}/documents: the case's drafts as one file, or the packet ZIP.

Body: `{"kinds": [...], "format": "pdf"|"docx"|"html"|"pdf+docx", "lang": "en"|"zh_Hans",
"packet": false}`. One document in one format comes back as that file; several (or
`"packet": true`) come back as the case packet (ZIP). A case with two jurisdictions, or
whose language differs from the authority's, has several: naming `"jurisdiction"` asks for
that jurisdiction's documents in one language only (`lang`, default the authority's, the
version for filing), so one kind in one format is one file. Generation is synchronous: a
case's documents take about a second or two per jurisdiction.
"""

from __future__ import annotations

from flask import Response, current_app
from flask_babel import gettext as _

from caseprep.api.auth import token_required
from caseprep.api.blueprint import bp
from caseprep.api.bodies import json_object
from caseprep.api.errors import api_error
from caseprep.api.openapi import operation
from caseprep.api.schemas import DocumentRequest
from caseprep.appshell.extensions import get_db, get_rules, limiter
from caseprep.appshell.i18n import LOCALES
from caseprep.documents import case_documents, service
from caseprep.documents.fonts import MissingFontError
from caseprep.documents.model import KINDS
from caseprep.documents.packet import build_packet
from caseprep.documents.service import FORMAT_CHOICES, FORMATS, MEDIA_TYPES

GENERATE_LIMIT = "30 per hour"


def _invalid(message, field: str):
    return api_error(422, "invalid_field", message, field=field)


# HTML is text; the others are bytes. (Generated clients read the response as the last
# media type listed says, so a binary one comes last.)
_FILE = {"description": "The file (PDF, DOCX, HTML) or the packet (ZIP).",
         "content": {"text/html": {"schema": {"type": "string"}}, **{
             MEDIA_TYPES[f].split(";")[0]: {"schema": {"type": "string", "format": "binary"}}
             for f in (*FORMATS, "zip") if f != "html"}}}


@bp.post("/cases/<code>/documents")
@operation("generateDocuments", summary="Generate the case's documents", body=DocumentRequest,
           description="One kind in one format returns that file; several documents (or "
                       "`packet: true`) return the case packet ZIP (documents, evidence "
                       "manifest CSV and JSON, index.html). When the language differs from "
                       "the authority's, a version in it is added, marked not for filing.",
           responses={200: _FILE, 404: "No such case, or no document applies.",
                      413: "The request body is over 256 KiB.",
                      422: "A field is wrong.",
                      503: "No CJK font is installed on the server."})
@limiter.limit(GENERATE_LIMIT)
@token_required
def generate_documents(case):
    body = json_object()
    if body is None:
        return _invalid(_("Send a JSON object."), "body")
    kinds = body.get("kinds")
    if kinds is not None and (not isinstance(kinds, list) or not kinds
                              or any(k not in KINDS for k in kinds)):
        return _invalid(_("Unknown document kind."), "kinds")
    fmt = body.get("format", "pdf")
    if not isinstance(fmt, str) or fmt not in FORMAT_CHOICES:
        return _invalid(_("Unknown format."), "format")
    lang = body.get("lang", case.locale)
    if lang not in LOCALES:
        return _invalid(_("This language is not available."), "lang")
    jurisdiction = body.get("jurisdiction")
    rules = get_rules()
    if jurisdiction is not None and jurisdiction not in rules.with_parents(case.jurisdictions):
        return _invalid(_("This case is not about that jurisdiction."), "jurisdiction")
    db = get_db()
    try:
        if jurisdiction is not None:
            made = _one_jurisdiction(db, case, jurisdiction, kinds, FORMAT_CHOICES[fmt],
                                     body.get("lang"), bool(body.get("packet")))
        else:
            made = case_documents.download_for_case(
                db, case, kinds, FORMAT_CHOICES[fmt], lang, lang, rules,
                packet=bool(body.get("packet")))
    except MissingFontError:
        current_app.logger.error("documents: no CJK font installed")
        return api_error(503, "fonts_missing", _("The server cannot print Chinese text yet."))
    if made is None:
        return api_error(404, "no_documents", _("No document applies to this case yet."))
    name, data, media_type = made
    return _download(data, media_type, name)


def _one_jurisdiction(db, case, code: str, kinds, formats, lang: str | None, packet: bool):
    """One jurisdiction's documents in one language (default: the authority's): the file
    itself when that is one document in one format, else the packet of just those."""
    rules = get_rules()
    jurisdiction = rules.jurisdiction(code)
    lang = lang or jurisdiction.language
    files = [f for f in service.generate(
        jurisdiction, case_documents.case_facts(db, case, rules),
        case_documents.case_details(case), case_documents.case_evidence(db, case), kinds,
        formats, lang) if f.lang == lang]
    if not files:
        return None
    if len(files) == 1 and not packet:
        return files[0].name, files[0].data, files[0].media_type
    name = jurisdiction.name.get(lang) or jurisdiction.name.get("en") or code
    data = build_packet(files, case_documents.case_evidence(db, case), lang=lang,
                        jurisdiction_name=name)
    return "case-packet.zip", data, MEDIA_TYPES["zip"]


def _download(data: bytes, media_type: str, name: str) -> Response:
    response = Response(data, mimetype=media_type.split(";")[0])
    if media_type.startswith("text/html"):
        response.headers["Content-Type"] = media_type
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
