"""Pydantic models of the API's bodies: the OpenAPI schemas are generated from them.

Why pydantic's own JSON Schema and a small builder (caseprep.api.openapi: each view
declares its models with `@operation`) rather than flask-openapi3 or spectree: the routes
stay plain Flask views (their validation and error messages are translated by hand and
tested), pydantic is already a dependency, and its schemas are JSON Schema 2020-12, which
is what OpenAPI 3.1 uses — so the document is 3.1 throughout (`null` as a type, never 3.0's
`nullable`). A library would have meant moving every route under its decorators for what
is, here, one small module.

The response models describe what the views return (extra keys allowed, so adding a key is
not a breaking change); the request models describe what the views accept. Neither parses
requests: the views check their input themselves, with translated messages.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic.json_schema import SkipJsonSchema

from caseprep.appshell.i18n import LOCALES
from caseprep.cases.opened import MIN_PASSPHRASE_LENGTH
from caseprep.documents.model import KINDS as DOCUMENT_KINDS
from caseprep.documents.service import FORMAT_CHOICES
from caseprep.evidence.items import KINDS, MAX_IMAGES_SHOWN
from caseprep.evidence.posted import ROLES

# Literals of the code's own value lists, so the schemas list exactly what the views accept;
# mypy cannot check a Literal made from a variable (valid-type), pydantic reads them fine.
_FORMAT_NAMES = tuple(FORMAT_CHOICES)
EvidenceKind = Literal[KINDS]  # type: ignore[valid-type]
EvidenceRole = Literal[ROLES]  # type: ignore[valid-type]
DocumentKind = Literal[DOCUMENT_KINDS]  # type: ignore[valid-type]
DocumentFormat = Literal[_FORMAT_NAMES]  # type: ignore[valid-type]
_ROLE_HELP = ("What the item is to the case: publication (a copy the poster spread, the only "
              "role counted), reference (her own original), context (a private chat, a "
              "member count, anything else), possible (found only possibly hers by the photo "
              "comparison).")
_IMAGES_HELP = ("How many images a screenshot, web page or chat message shows (counted as "
                "posted when its role is publication); empty for an image file (counts one).")


class _Body(BaseModel):
    model_config = ConfigDict(extra="allow")


class EvidenceItem(_Body):
    """One item of the evidence log (what GET /cases/{code}/evidence/{item_id} returns)."""

    id: int
    kind: str
    created_at: str = Field(json_schema_extra={"format": "date-time"})
    has_file: bool
    has_thumbnail: bool
    platform: str | None = None
    url: str | None = None
    message_ref: str | None = None
    poster_handle: str | None = None
    poster_id: str | None = None
    notes: str | None = None
    posted_at: str | None = None
    captured_at: str | None = None
    original_name: str | None = None
    detected_type: str | None = None
    size: int | None = None
    sha256: str | None = Field(None, description="SHA-256 of the stored file (hex).")
    width: int | None = None
    height: int | None = None
    exif_datetime: str | None = None
    role: str | None = Field(None, description=_ROLE_HELP)
    images_shown: int | None = Field(None, description=_IMAGES_HELP)
    telegram: dict[str, Any] | None = Field(
        None, description="For items from a Telegram import: chat, message and sender.")


class EvidenceFields(BaseModel):
    """The editable fields of an item (POST adds, PATCH changes only those sent)."""

    kind: EvidenceKind | None = None
    platform: str | None = None
    url: str | None = None
    message_ref: str | None = None
    poster_handle: str | None = None
    poster_id: str | None = None
    notes: str | None = None
    posted_at: str | None = Field(None, description="YYYY-MM-DD or an ISO date-time.")
    captured_at: str | None = None
    role: EvidenceRole | None = Field(None, description=_ROLE_HELP)
    images_shown: int | None = Field(None, ge=0, le=MAX_IMAGES_SHOWN, description=_IMAGES_HELP)


class PosterCount(_Body):
    poster_id: str | None = None
    poster_handle: str | None = None
    items: int
    images: int
    videos: int


class EvidenceCounts(_Body):
    """The counts every document uses (caseprep.evidence.service.counts)."""

    total: int
    by_kind: dict[str, int]
    post: int = Field(description="Distinct posts (message or URL references).")
    by_poster: list[PosterCount]


class EvidenceList(_Body):
    items: list[EvidenceItem]
    counts: EvidenceCounts


class ManifestRow(_Body):
    index: int
    kind: str
    platform: str | None = None
    reference: str | None = None
    poster: str | None = None
    posted_at: str | None = None
    captured_at: str | None = None
    sha256: str | None = None
    size: int | None = None
    role: str | None = None
    images_shown: int | None = None


class Manifest(_Body):
    """The evidence manifest: one row per item, numbered from 1, with its SHA-256."""

    algorithm: Literal["sha256"]
    items: list[ManifestRow]


class Gap(_Body):
    """How far a threshold is: have 34 images, need 400."""

    fact: str
    have: int | float | None = None
    need: int | float
    threshold: str | None = None
    label: str | None = None
    alone: bool | None = None


class Citation(_Body):
    instrument: str | None = None
    article: str | None = None
    url: str | None = None
    quote: str | None = None


class Route(_Body):
    """One route of a jurisdiction: status, why, what is missing, where to go."""

    id: str
    kind: str
    status: Literal["met", "not_met", "unknown", "time_barred"]
    title: str
    summary: str
    citations: list[Citation] = []
    reasons: list[str] = []
    gaps: list[Gap] = []
    closest_gap: Gap | None = None
    missing_facts: list[str] = Field([], description="Facts that would decide the route.")
    authority: str | None = None
    deadlines: list[dict[str, Any]] = []
    remedies: list[str] = []
    documents: list[str] = []
    evidence: list[str] = []
    next_steps: list[str] = []
    in_force: dict[str, Any] | None = None
    time_bar: dict[str, Any] | None = None


class Assessment(_Body):
    """One jurisdiction, in the shape of `caseprep rules explain --json`."""

    jurisdiction: str
    name: str | None = None
    rules_status: Literal["draft", "reviewed"] | None = None
    routes: list[Route]
    next_questions: list[str]


class Assessments(_Body):
    assessments: list[Assessment]


MAX_PASSPHRASE = 1024  # caseprep.api.cases.MAX_PASSPHRASE_LENGTH
Locale = Literal[LOCALES]  # type: ignore[valid-type]  # a Literal of a tuple, as above


class NewCase(BaseModel):
    passphrase: str = Field(min_length=MIN_PASSPHRASE_LENGTH, max_length=MAX_PASSPHRASE)
    jurisdictions: list[str] = Field(min_length=1, description="Jurisdiction codes, e.g. cn.")
    locale: Locale = "en"


class CreatedCase(_Body):
    code: str = Field(examples=["7KQ2-M9XD-4HFA-T3VR"], description="Write it down.")
    token: str
    expires_in: int = Field(description="Token lifetime in seconds.")
    case_expires_at: str = Field(json_schema_extra={"format": "date-time"})
    retention_days: int


class Credentials(BaseModel):
    code: str = Field(max_length=64)
    passphrase: str = Field(max_length=MAX_PASSPHRASE)


class Token(_Body):
    token: str
    expires_in: int


class PassphraseChange(BaseModel):
    old_passphrase: str = Field(max_length=MAX_PASSPHRASE)
    new_passphrase: str = Field(min_length=MIN_PASSPHRASE_LENGTH, max_length=MAX_PASSPHRASE)


class Case(_Body):
    code: str
    jurisdictions: list[str]
    locale: str
    expires_at: str = Field(json_schema_extra={"format": "date-time"})




def _no_null_defaults(schema: dict[str, Any]) -> None:
    """An optional field that may not be null: no `"default": null` in its schema."""
    for prop in schema.get("properties", {}).values():
        if "default" in prop and prop["default"] is None:
            del prop["default"]


class DocumentRequest(BaseModel):
    """What POST /cases/{code}/documents asks for; every field may be left out."""

    model_config = ConfigDict(json_schema_extra=_no_null_defaults)

    kinds: SkipJsonSchema[None] | Annotated[list[DocumentKind], Field(min_length=1)] = None
    format: DocumentFormat = "pdf"
    lang: SkipJsonSchema[None] | Locale = Field(
        None, description="Your language (default: the case's); a version in it is added, "
                          "marked not for filing, when the authority reads another.")
    jurisdiction: SkipJsonSchema[None] | str = Field(None, description=(
        "Only this jurisdiction's documents, in `lang` only (default: the language the "
        "authority reads): one kind in one format is then one file."))
    packet: bool = False
