"""The fields of an evidence item: what is recorded, how it is checked, how it is sealed."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit

from caseprep.cases import crypto
from caseprep.evidence.models import EvidenceItem
from caseprep.evidence.posted import ROLES
from caseprep.evidence.refusals import N_

KINDS = ("image", "video", "audio", "chat_message", "screenshot", "web_page", "document", "other")
KIND_LABELS = {
    "image": N_("Image"), "video": N_("Video"), "audio": N_("Audio recording"),
    "chat_message": N_("Chat message"), "screenshot": N_("Screenshot"),
    "web_page": N_("Web page"), "document": N_("Document"), "other": N_("Other"),
}
TEXT_FIELDS = {  # name -> maximum length
    "platform": 100, "url": 2000, "message_ref": 500, "poster_handle": 200,
    "poster_id": 200, "notes": 5000,
}
DATE_FIELDS = ("posted_at", "captured_at")
# What the item is to the case (caseprep.evidence.posted): a copy the poster spread, her own
# original, or context; and how many images a screenshot shows (counted, never guessed).
ROLE_FIELD, IMAGES_FIELD = "role", "images_shown"
MAX_IMAGES_SHOWN = 10_000
EDITABLE = ("kind", *TEXT_FIELDS, *DATE_FIELDS, ROLE_FIELD, IMAGES_FIELD)
FILE_FIELDS = ("original_name", "detected_type", "size", "sha256", "width", "height",
               "exif_datetime")
# The detected type of a stored file decides the kind when none was given.
_KIND_OF_GROUP = {"image": "image", "video": "video"}


class InvalidField(ValueError):
    """A field value that cannot be recorded; `message` is marked for translation."""

    def __init__(self, field_name: str, message: str):
        super().__init__(f"{field_name}: {message}")
        self.field = field_name
        self.message = message


@dataclass
class Evidence:
    """An evidence item as the services hand it out (decrypted)."""

    id: int
    kind: str
    created_at: datetime
    has_file: bool
    has_thumbnail: bool
    import_id: str | None = None
    details: dict = field(default_factory=dict)

    def get(self, name: str, default=None):
        return self.details.get(name, default)

    @property
    def poster(self) -> str | None:
        return self.details.get("poster_handle") or self.details.get("poster_id")

    @property
    def reference(self) -> str | None:
        return self.details.get("url") or self.details.get("message_ref")

    def to_dict(self) -> dict:
        out = {"id": self.id, "kind": self.kind, "created_at": self.created_at.isoformat(),
               "has_file": self.has_file, "has_thumbnail": self.has_thumbnail}
        for name in (*TEXT_FIELDS, *DATE_FIELDS, *FILE_FIELDS, ROLE_FIELD, IMAGES_FIELD):
            out[name] = self.details.get(name)
        if self.details.get("telegram"):
            out["telegram"] = self.details["telegram"]
        return out


def clean_fields(raw: dict, partial: bool = False) -> dict:
    """Checked and normalised editable fields; raise InvalidField on the first bad one."""
    cleaned: dict = {}
    if "kind" in raw or not partial:
        kind = (raw.get("kind") or "").strip()
        if kind and kind not in KINDS:
            raise InvalidField("kind", N_("Choose one of the listed kinds."))
        cleaned["kind"] = kind or None
    for name, limit in TEXT_FIELDS.items():
        if name not in raw:
            continue
        value = raw.get(name)
        value = "" if value is None else str(value).strip()
        if len(value) > limit:
            raise InvalidField(name, N_("This is too long."))
        if "\x00" in value:
            raise InvalidField(name, N_("This contains characters that are not allowed."))
        if name == "url" and value:
            parts = urlsplit(value)
            if parts.scheme.lower() not in ("http", "https", "tg") or not (parts.netloc
                                                                             or parts.path):
                raise InvalidField(name, N_("Enter a web address starting with https://."))
        cleaned[name] = value or None
    for name in DATE_FIELDS:
        if name not in raw:
            continue
        cleaned[name] = parse_when(name, raw.get(name))
    if ROLE_FIELD in raw:
        role = (raw.get(ROLE_FIELD) or "").strip() or None
        if role is not None and role not in ROLES:
            raise InvalidField(ROLE_FIELD, N_("Choose one of the listed kinds."))
        cleaned[ROLE_FIELD] = role
    if IMAGES_FIELD in raw:
        cleaned[IMAGES_FIELD] = _images_shown(raw.get(IMAGES_FIELD))
    return cleaned


def _images_shown(value) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = int(str(value).strip())
    except ValueError as exc:
        raise InvalidField(IMAGES_FIELD, N_("Enter a whole number.")) from exc
    if not 0 <= number <= MAX_IMAGES_SHOWN:
        raise InvalidField(IMAGES_FIELD, N_("Enter a whole number."))
    return number


def parse_when(name: str, value) -> str | None:
    """An ISO 8601 date or date-time as text, kept as given (time zone if stated)."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.isoformat()
    text = str(value).strip()
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise InvalidField(name, N_("Enter a date like 2024-05-31 or 2024-05-31 14:30.")) \
            from exc
    return parsed.isoformat()


def kind_for_type(mime: str) -> str:
    """The kind to record for a stored file when the person chose none."""
    return _KIND_OF_GROUP.get(mime.split("/")[0], "document")


def _aad(code: str, uid: str) -> bytes:
    return f"caseprep:evidence:v1:{code}:{uid}".encode()


def seal(row: EvidenceItem, code: str, data_key: bytes, details: dict) -> None:
    row.nonce, row.ciphertext = crypto.encrypt(
        data_key, json.dumps(details, ensure_ascii=False).encode(), _aad(code, row.uid))


def unseal(row: EvidenceItem, code: str, data_key: bytes) -> Evidence:
    details = json.loads(crypto.decrypt(data_key, row.nonce, row.ciphertext, _aad(code, row.uid)))
    return Evidence(id=row.id, kind=row.kind, created_at=row.created_at,
                    has_file=row.file_name is not None,
                    has_thumbnail=row.thumbnail_name is not None,
                    import_id=row.import_id, details=details)
