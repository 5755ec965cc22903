"""API routes for cases: create, open (token), facts, assessment, delete.

Shapes are a contract (issue 3, "JSON API"): each view declares its operation with
`@operation` (models in caseprep/api/schemas.py), from which caseprep/api/openapi.py builds
the document. The views are thin: the case service and caseprep.assessment do the work.
"""

from __future__ import annotations

from flask import current_app, jsonify, request
from flask_babel import gettext as _

from caseprep.api.auth import token_for, token_required, token_ttl_seconds
from caseprep.api.blueprint import bp
from caseprep.api.bodies import json_object
from caseprep.api.errors import api_error
from caseprep.api.openapi import operation, ref
from caseprep.api.schemas import (
    Assessments,
    Case,
    CreatedCase,
    Credentials,
    NewCase,
    PassphraseChange,
    Token,
)
from caseprep.appshell import security
from caseprep.appshell.extensions import get_db, get_rules, limiter
from caseprep.appshell.i18n import LOCALES
from caseprep.assessment import assess_case
from caseprep.cases import service
from caseprep.cases.errors import ConcurrentUpdate, InvalidCredentials
from caseprep.cases.factcodec import to_api
from caseprep.cases.opened import MIN_PASSPHRASE_LENGTH, WeakPassphrase
from caseprep.rules import FactValueError

# Per client address. POST /sessions is limited like the web resume form, per client and
# per typed case code, failed attempts only (caseprep.appshell.security; issue 6).
CREATE_LIMIT = "20 per hour"
REKEY_LIMIT = "10 per hour"


def _settings():
    return current_app.config["CASEPREP"]


# The documented limit (OpenAPI maxLength): longer is refused, not hashed (scrypt's cost
# grows with the input, and nobody types 1,024 characters).
MAX_PASSPHRASE_LENGTH = 1024


def _invalid(message: str, field: str):
    return api_error(422, "invalid_field", message, field=field)


NOT_JSON = "Not a JSON object"
NOT_FOUND = "No such case, or the token is for another case"
RATE_LIMITED = "Too many attempts; wait and try again"


@bp.post("/cases")
@operation("createCase", summary="Start a case", body=NewCase, responses={
    201: ("The new case's code and a token", CreatedCase), 400: NOT_JSON,
    422: "A field is missing or wrong (see `field`)", 429: RATE_LIMITED})
@limiter.limit(CREATE_LIMIT)
def create_case():
    """Start a case: 201 with its code (write it down) and a token."""
    data = json_object()
    if data is None:
        return api_error(400, "bad_request", _("Send a JSON object."))
    passphrase = data.get("passphrase")
    jurisdictions = data.get("jurisdictions")
    locale = data.get("locale", "en")
    if not isinstance(passphrase, str):
        return _invalid(_("Choose a passphrase."), "passphrase")
    if len(passphrase) > MAX_PASSPHRASE_LENGTH:
        return _too_long("passphrase")
    known = get_rules().jurisdictions
    if (not isinstance(jurisdictions, list) or not jurisdictions
            or not all(isinstance(j, str) and j in known for j in jurisdictions)):
        return _invalid(_("Choose one or more of the supported jurisdictions."), "jurisdictions")
    if locale not in LOCALES:
        return _invalid(_("This language is not available."), "locale")
    try:
        case = service.create_case(get_db(), _settings(), passphrase, jurisdictions, locale)
    except WeakPassphrase:
        return _invalid(_weak_passphrase(), "passphrase")
    body = {"code": case.code, "token": token_for(case), "expires_in": token_ttl_seconds(),
            "case_expires_at": case.expires_at.isoformat(),
            "retention_days": _settings().retention_days}
    response = jsonify(body)
    response.status_code = 201
    return response


@bp.post("/sessions")
@operation("createSession", summary="Open a case: code + passphrase -> token",
           body=Credentials, responses={
               200: ("A token", Token),
               401: "Wrong code or passphrase (the same whichever is wrong)",
               422: "The passphrase is longer than 1,024 characters", 429: RATE_LIMITED})
@limiter.shared_limit(security.resume_limit_per_client, security.RESUME_CLIENT_SCOPE,
                      deduct_when=security.failed_attempt)
@limiter.shared_limit(security.resume_limit_per_code, security.RESUME_CODE_SCOPE,
                      key_func=security.resume_code_key, deduct_when=security.failed_attempt)
def create_session():
    """Exchange a case code and passphrase for a token; 401 alike for any wrong pair."""
    data = json_object() or {}
    code, passphrase = data.get("code"), data.get("passphrase")
    if isinstance(passphrase, str) and len(passphrase) > MAX_PASSPHRASE_LENGTH:
        return _too_long("passphrase")
    try:
        # open_case does the same work for a missing code, a malformed one or a wrong
        # passphrase, so neither the body nor the time tells whether the code exists.
        case = service.open_case(get_db(), _settings(), code if isinstance(code, str) else "",
                                 passphrase if isinstance(passphrase, str) else "")
        if case.role != "owner":  # a lawyer's own access is for the web pages (read, draft)
            raise InvalidCredentials()
    except InvalidCredentials:
        response = api_error(401, "invalid_credentials",
                             _("That case code and passphrase do not open a case."))
        response.headers["WWW-Authenticate"] = 'Bearer realm="caseprep"'
        return response
    return jsonify({"token": token_for(case), "expires_in": token_ttl_seconds()})


@bp.get("/cases/<code>")
@operation("showCase", summary="The case's jurisdictions and language",
           responses={200: ("The case", Case), 404: NOT_FOUND})
@token_required
def show_case(case):
    """What the case is about (jurisdictions, language) and when it expires."""
    return jsonify({"code": case.code, "jurisdictions": case.jurisdictions,
                    "locale": case.locale, "expires_at": case.expires_at.isoformat()})


@bp.get("/cases/<code>/facts")
@operation("showFacts", summary="The answered facts",
           responses={200: ("Fact id -> value", ref("Facts")), 404: NOT_FOUND})
@token_required
def show_facts(case):
    return jsonify(_facts_json(case.facts()))


@bp.patch("/cases/<code>/facts")
@operation("updateFacts", summary="Change some answers", body={
    "required": True, "description": "Only the facts named change; null makes one unknown.",
    "content": {"application/json": {"schema": ref("Facts")}}}, responses={
    200: ("All facts after the change", ref("Facts")), 400: NOT_JSON, 404: NOT_FOUND,
    409: "Too many writers at once; retry", 422: "An unknown fact or a wrong value (see `fact`)"})
@token_required
def update_facts(case):
    """Merge answers (null makes a fact unknown again); 422 names a wrong fact."""
    data = json_object()
    if data is None:
        return api_error(400, "bad_request", _("Send a JSON object of fact ids to values."))
    try:
        facts = case.update_facts(data, get_rules().catalog)
    except FactValueError as exc:
        return api_error(422, "invalid_fact", exc.message, fact=exc.fact_id)
    except ConcurrentUpdate:
        return api_error(409, "conflict", _("The case is busy. Try again."))
    return jsonify(_facts_json(facts))


@bp.get("/cases/<code>/assessment")
@operation("showAssessment", summary="Every route and how far the case is",
           query={"lang": {"type": "string", "enum": list(LOCALES)}}, responses={
               200: ("One assessment per jurisdiction", Assessments), 404: NOT_FOUND,
               422: "Unknown language"})
@token_required
def show_assessment(case):
    """Every route of the case's jurisdictions with status, reasons and gaps."""
    lang = request.args.get("lang") or case.locale
    if lang not in LOCALES:
        return _invalid(_("This language is not available."), "lang")
    assessments = assess_case(get_db(), case, lang, get_rules())
    return jsonify({"assessments": assessments})


@bp.put("/cases/<code>/passphrase")
@operation("changePassphrase",
           summary="Change the passphrase (re-wraps the key; content untouched)",
           body=PassphraseChange, responses={
               204: "Changed", 400: NOT_JSON, 403: "The current passphrase is wrong",
               404: NOT_FOUND, 422: "A passphrase is too short or too long",
               429: RATE_LIMITED})
@limiter.limit(REKEY_LIMIT)
@limiter.shared_limit(security.passphrase_change_limit_per_code,
                      security.PASSPHRASE_CHANGE_SCOPE,
                      key_func=security.passphrase_change_code_key,
                      deduct_when=security.failed_passphrase_change)
@token_required
def change_passphrase(case):
    """Set a new passphrase (the old one is needed too); the content is not re-encrypted."""
    data = json_object()
    if data is None:
        return api_error(400, "bad_request", _("Send a JSON object."))
    old, new = data.get("old_passphrase"), data.get("new_passphrase")
    if not isinstance(new, str):
        return _invalid(_("Choose a new passphrase."), "new_passphrase")
    for name, value in (("old_passphrase", old), ("new_passphrase", new)):
        if isinstance(value, str) and len(value) > MAX_PASSPHRASE_LENGTH:
            return _too_long(name)
    try:
        case.change_passphrase(old if isinstance(old, str) else "", new)
    except WeakPassphrase:
        return _invalid(_weak_passphrase(), "new_passphrase")
    except InvalidCredentials:
        return api_error(403, "invalid_credentials", _("The current passphrase is not right."))
    return "", 204


@bp.delete("/cases/<code>")
@operation("deleteCase", summary="Delete the case for good",
           responses={204: "Deleted", 404: NOT_FOUND})
@token_required
def delete_case(case):
    """Delete the case for good (crypto-shred); 204."""
    case.delete()
    return "", 204


def _too_long(field: str):
    return _invalid(_("The passphrase can have at most %(n)s characters.",
                      n=MAX_PASSPHRASE_LENGTH), field)


def _weak_passphrase() -> str:
    """The same rule as the web forms (caseprep.cases.opened.MIN_PASSPHRASE_LENGTH)."""
    return _("The passphrase needs at least %(n)s characters.", n=MIN_PASSPHRASE_LENGTH)


def _facts_json(facts: dict) -> dict:
    return {key: to_api(value) for key, value in facts.items()}
