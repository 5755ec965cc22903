"""OpenCase: a case whose data key is in hand; reads and writes its encrypted records."""

from __future__ import annotations

import hmac
import re
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy.orm import Session

from caseprep.cases import crypto, records, sessions
from caseprep.cases.errors import CaseNotFound, InvalidCredentials
from caseprep.cases.factcodec import decode_facts, encode_facts
from caseprep.cases.models import Case, utcnow
from caseprep.cases.shred import shred_case
from caseprep.rules.catalog import FactsCatalog, FactValueError


class CaseColumns(Protocol):
    """The plain columns of a case opening it needs: the ORM row or service.CaseRow."""

    id: int
    code: str
    created_at: datetime
    expires_at: datetime


# change(current content or None) -> new content, for OpenCase.update_record
RecordChange = Callable[[dict[str, Any] | None], dict[str, Any]]

FACTS = "facts"
META = "meta"
_JURISDICTION_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,31}$")
_LOCALE_RE = re.compile(r"^[A-Za-z]{2,3}([_-][A-Za-z0-9]{2,8}){0,2}$")
# One policy for the web forms and the API (issue 13, item 9).
MIN_PASSPHRASE_LENGTH = 10
# A long narrative is a few thousand characters; this bounds what one answer can store.
MAX_TEXT_CHARS = 20_000


class WeakPassphrase(ValueError):
    """The passphrase is too short to protect the case."""


def check_passphrase(passphrase: str) -> None:
    if not isinstance(passphrase, str) or len(passphrase) < MIN_PASSPHRASE_LENGTH:
        raise WeakPassphrase(f"at least {MIN_PASSPHRASE_LENGTH} characters")


def check_jurisdictions(codes: Iterable[str]) -> list[str]:
    """Jurisdiction codes as stored: lowercase identifiers, de-duplicated, order kept."""
    if not isinstance(codes, (list, tuple)) or not codes:
        raise ValueError("choose at least one jurisdiction")
    result: list[str] = []
    for code in codes:
        if not isinstance(code, str) or not _JURISDICTION_RE.match(code):
            raise ValueError("not a jurisdiction code")
        if code not in result:
            result.append(code)
    return result


def check_locale(locale: str) -> str:
    if not isinstance(locale, str) or not _LOCALE_RE.match(locale):
        raise ValueError("not a locale")
    return locale


class OpenCase:
    """A case opened with its passphrase (or a token/session carrying its data key).

    Holds the data key in memory only. Every method that changes something commits.
    """

    def __init__(self, db: Session, case: CaseColumns, data_key: bytes,
                 loaded: dict[str, records.StoredRecord | None] | None = None):
        self.db = db
        self.case_id = case.id
        self.code = case.code
        self.data_key = data_key
        self.created_at: datetime = case.created_at
        self.expires_at: datetime = case.expires_at
        # Records read together with the case row (name -> row, None when it does not
        # exist), used until this object writes them.
        self._loaded = dict(loaded or {})
        meta = self._read(META) or {}
        self.jurisdictions: list[str] = list(meta.get("jurisdictions", []))
        self.locale: str = meta.get("locale", "en")
        # Facts as last read or written through this object. An OpenCase lives for one
        # request (or one job), so this only saves re-reading and re-decrypting the record
        # several times while one page is built; writes always merge in the database.
        self._facts: dict[str, Any] | None = None
        # Who opened it: she ("owner"), or someone she gave access to (caseprep.cases.grants),
        # who may read and draft but not delete, change the passphrase or hand the case off.
        self.role = "owner"
        self.grant_id: int | None = None

    def __repr__(self) -> str:  # never show the key
        return f"<OpenCase {self.code}>"

    # --- records -------------------------------------------------------------------------

    def _read(self, name: str) -> dict[str, Any] | None:
        if name in self._loaded:
            row = self._loaded[name]
            if row is None:
                return None
            return records.open_record(self.data_key, self.code, name, row.nonce, row.ciphertext)
        return records.read_record(self.db, self.case_id, self.code, self.data_key, name)

    def _change(self, name: str, change: RecordChange) -> dict[str, Any]:
        known = self._loaded.pop(name, None)
        return records.change_record(self.db, self.case_id, self.code, self.data_key, name,
                                     change, known=known)

    def read_record(self, name: str) -> dict[str, Any] | None:
        """An encrypted JSON record by name (e.g. "document_drafts"), or None."""
        return self._read(name)

    def write_record(self, name: str, content: dict[str, Any]) -> None:
        """Replace a record with `content` (a JSON-serialisable dict), encrypted."""
        if name in (FACTS, META):
            raise ValueError(f"{name!r} is written through its own method")
        if not isinstance(content, dict):
            raise TypeError("records are dicts")
        self._change(name, lambda _current: content)

    def update_record(self, name: str, change: RecordChange) -> dict[str, Any]:
        """Apply `change(current content or None) -> new content` atomically: two tabs
        adding to the same record both keep their additions."""
        if name in (FACTS, META):
            raise ValueError(f"{name!r} is written through its own method")
        return self._change(name, change)

    # --- facts ---------------------------------------------------------------------------

    def facts(self) -> dict[str, Any]:
        """The answered facts (dates as datetime.date); unknown facts are absent."""
        if self._facts is None:
            self._facts = decode_facts(self._read(FACTS) or {})
        return dict(self._facts)

    def update_facts(self, changes: dict[str, Any], catalog: FactsCatalog) -> dict[str, Any]:
        """Validate `changes` against `catalog` (the app's rules), merge them (None deletes a
        fact); atomic; returns all facts.

        Only the keys in `changes` are touched, merged into the stored facts inside one
        transaction, so two writers changing different facts both keep their answers.
        Raises the catalog's FactValueError naming the fact for an unknown id or bad value.
        """
        set_values, unset = _validate(changes, catalog)
        encoded = encode_facts(set_values)

        def merge(current: dict[str, Any] | None) -> dict[str, Any]:
            merged = dict(current or {})
            merged.update(encoded)
            for key in unset:
                merged.pop(key, None)
            return merged

        self._facts = decode_facts(self._change(FACTS, merge))
        return dict(self._facts)

    # --- meta ----------------------------------------------------------------------------

    def set_jurisdictions(self, codes: list[str]) -> None:
        codes = check_jurisdictions(codes)
        self._change(META, lambda current: dict(current or {}, jurisdictions=codes))
        self.jurisdictions = codes

    def set_locale(self, locale: str) -> None:
        locale = check_locale(locale)
        self._change(META, lambda current: dict(current or {}, locale=locale))
        self.locale = locale

    # --- keys and lifetime ---------------------------------------------------------------

    def change_passphrase(self, old: str, new: str) -> None:
        """Re-wrap the data key under a new passphrase and end every session and API token
        of the case (the caller signs the current browser in again); the content is not
        re-encrypted."""
        check_passphrase(new)
        case = self._row()
        params = crypto.KdfParams.from_dict(case.kdf_params)
        try:
            key = crypto.unwrap_key(crypto.derive_kek(old, case.kdf_salt, params),
                                    case.wrapped_key, case.code)
        except crypto.AuthenticationFailed as exc:
            raise InvalidCredentials() from exc
        if not hmac.compare_digest(key, self.data_key):
            raise InvalidCredentials()
        salt = crypto.new_salt()
        case.kdf_salt = salt
        case.wrapped_key = crypto.wrap_key(crypto.derive_kek(new, salt, params), key, case.code)
        case.updated_at = utcnow()
        case.version = case.version + 1
        # Whoever copied a cookie or token before the change is out (issue 13, High 4).
        sessions.end_all(self.db, self.case_id, commit=False)
        self.db.commit()

    def delete(self) -> None:
        """Crypto-shred the case: see caseprep.cases.shred.shred_case."""
        shred_case(self.db, self.case_id)

    def _row(self) -> Case:
        case = self.db.get(Case, self.case_id, populate_existing=True)
        if case is None:
            raise CaseNotFound()
        return case


def _validate(changes: dict[str, Any], catalog: FactsCatalog) -> tuple[dict[str, Any],
                                                                       list[str]]:
    """Split into (coerced values to set, ids to unset), via the facts catalog."""
    if not isinstance(changes, dict):
        raise TypeError("changes must be a mapping of fact id to value")
    unset = [key for key, value in changes.items() if value is None]
    for key in unset:
        if key not in catalog.facts:
            raise FactValueError(key, "unknown fact")
    set_values = catalog.coerce({k: v for k, v in changes.items() if v is not None})
    for key, value in set_values.items():
        if isinstance(value, str) and len(value) > MAX_TEXT_CHARS:
            raise FactValueError(key, f"too long: at most {MAX_TEXT_CHARS} characters")
    return set_values, unset
