"""The platform directory (`<rules folder>/platforms.yaml`): where a takedown notice goes.

Each platform's legal entity, reporting channels (form URL, e-mail, in-app path), the laws it
is subject to and the languages it reads, cited and dated like a rule file (`source`,
`checked_on`, `confirmed`). Ids are values of the fact `distribution.platforms`; the entry
`other` stands in for a platform the directory does not list. Errors come as file:line
messages (RuleError), like a rule file's. No Flask imports.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from caseprep.rules.catalog import FactsCatalog
from caseprep.rules.errors import (
    Lines,
    RuleError,
    RuleFileError,
    format_path,
    from_pydantic,
    in_folder,
    line_for,
)
from caseprep.rules.schema import NOTICE_TEMPLATES
from caseprep.rules.text import Text, pick
from caseprep.rules.yamlsource import YamlLoadError, load_yaml

PLATFORMS_FILE = "platforms.yaml"
FALLBACK = "other"
_PLATFORM_FACT = "distribution.platforms"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LegalEntity(_Strict):
    name: str
    confirmed: bool


class Law(_Strict):
    law: Text
    confirmed: bool


class Channel(_Strict):
    """One way to report: a web form or page (`url`), an e-mail `address`, an in-app `path`."""

    kind: Literal["form", "web", "email", "in_app"]
    url: str | None = Field(default=None, pattern=r"^https?://[^\s<>\"]+$")
    address: str | None = Field(default=None, pattern=r"^[^@\s<>]+@[^@\s<>]+\.[a-z]+$")
    path: Text | None = None
    label: Text | None = None
    # The notices this channel takes (NOTICE_TEMPLATES; none listed: any). X's TAKE IT DOWN
    # form is no place for a DMCA notice, which goes to the platform's copyright agent.
    notices: list[str] = []


class Platform(_Strict):
    id: str = Field(pattern=r"^[a-z0-9_]+$")
    name: Text
    legal_entity: LegalEntity | None
    based_in: str | None = Field(pattern=r"^[a-z]{2}$")
    languages: list[str]
    subject_to: list[Law] = []
    channels: list[Channel] = Field(min_length=1)
    source: str
    checked_on: dt.date
    confirmed: bool
    note: str | None = None

    def display_name(self, lang: str) -> str:
        return pick(self.name, lang)


class Directory(_Strict):
    platforms: list[Platform]

    def get(self, platform_id: str | None) -> Platform:
        """The entry for `platform_id`, else the `other` entry."""
        by_id = {p.id: p for p in self.platforms}
        return by_id.get(platform_id or FALLBACK) or by_id[FALLBACK]


_FIELDS = tuple(sorted({n for m in (LegalEntity, Law, Channel, Platform, Directory)
                        for n in m.model_fields}))
_CHANNEL_FIELD = {"form": "url", "web": "url", "email": "address", "in_app": "path"}


def validate_directory(data: object, lines: Lines, name: str, catalog: FactsCatalog | None = None,
                       ) -> tuple[Directory | None, list[RuleError]]:
    """(the directory or None, every problem); with `catalog`, ids are checked against the
    values of `distribution.platforms`."""
    errors: list[RuleError] = []

    def add(path: tuple[Any, ...], message: str) -> None:
        errors.append(RuleError(name, line_for(lines, path), format_path(path), message))

    model = None
    try:
        model = Directory.model_validate(data)
    except ValidationError as exc:
        errors.extend(from_pydantic(exc, name, lines, _FIELDS))
    entries = data.get("platforms") if isinstance(data, dict) else None
    known = None
    if catalog is not None and _PLATFORM_FACT in catalog.facts:
        known = set(catalog.facts[_PLATFORM_FACT].values or ())
    seen: set[str] = set()
    for i, entry in enumerate(entries if isinstance(entries, list) else []):
        if not isinstance(entry, dict):
            continue
        pid = entry.get("id")
        if pid in seen:
            add(("platforms", i, "id"), f"duplicate platform id {pid!r}")
        if isinstance(pid, str):
            seen.add(pid)
        if known is not None and isinstance(pid, str) and pid not in known:
            add(("platforms", i, "id"), f"{pid!r} is not a value of the fact {_PLATFORM_FACT} "
                                        "(add it to facts.yaml so she can choose it)")
        for c, channel in enumerate(entry.get("channels") or []):
            needed = _CHANNEL_FIELD.get(str(channel.get("kind"))) \
                if isinstance(channel, dict) else None
            if needed and not channel.get(needed):
                add(("platforms", i, "channels", c), f"this {channel['kind']} channel needs "
                                                     f"`{needed}`")
            for n, notice in enumerate(channel.get("notices") or []
                                       if isinstance(channel, dict) else []):
                if notice not in NOTICE_TEMPLATES:
                    add(("platforms", i, "channels", c, "notices", n),
                        f"unknown notice {notice!r}; expected one of "
                        f"{', '.join(NOTICE_TEMPLATES)}")
    if FALLBACK not in seen:
        add(("platforms",), f"the directory needs an entry {FALLBACK!r} for unlisted platforms")
    if errors:
        return None, sorted(errors, key=lambda e: (e.line or 0, e.path))
    return model, []


_cache: dict[tuple[Any, ...], Directory] = {}


def load_directory(folder: Path | str, catalog: FactsCatalog | None = None) -> Directory:
    """The platform directory of a rules folder, cached by the file's time and size;
    raises RuleFileError with file:line errors."""
    folder = Path(folder)
    path = (folder / PLATFORMS_FILE).resolve()
    try:
        stat = path.stat()
    except OSError as exc:
        raise RuleFileError([RuleError(PLATFORMS_FILE, None, "", "file not found",
                                       str(folder))]) from exc
    key = (str(path), stat.st_mtime_ns, stat.st_size, getattr(catalog, "stamp", None))
    if key in _cache:
        return _cache[key]
    try:
        data, lines, soft = load_yaml(path)
    except YamlLoadError as exc:
        raise RuleFileError(in_folder([exc.error], folder)) from exc
    model, errors = validate_directory(data, lines, path.name, catalog)
    if soft or errors or model is None:
        raise RuleFileError(in_folder(soft + errors, folder))
    if len(_cache) > 8:
        _cache.clear()
    _cache[key] = model
    return model
