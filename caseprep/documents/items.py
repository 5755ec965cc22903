"""Evidence items as documents show them: one row of the evidence manifest."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass
class EvidenceItem:
    """One row of the evidence manifest (caseprep.evidence's export, or the CLI's file)."""

    index: int
    kind: str = ""
    platform: str = ""
    reference: str = ""
    poster: str = ""
    posted_at: str = ""
    captured_at: str = ""
    sha256: str = ""
    size: int | None = None
    notes: str = ""
    name: str = ""

    @property
    def posted(self) -> str:
        return _when(self.posted_at)

    @property
    def captured(self) -> str:
        return _when(self.captured_at)

    @classmethod
    def from_mapping(cls, position: int, row: Mapping[str, Any]) -> EvidenceItem:
        def text(key: str) -> str:
            value = row.get(key)
            return "" if value is None else str(value)

        size = row.get("size")
        return cls(
            index=int(row.get("index") or position),
            kind=text("kind"),
            platform=text("platform"),
            reference=text("reference") or text("url"),
            poster=text("poster") or text("posted_by"),
            posted_at=text("posted_at"),
            captured_at=text("captured_at"),
            sha256=text("sha256"),
            size=int(size) if size not in (None, "") else None,
            notes=text("notes"),
            name=text("name") or text("original_name") or text("path"),
        )


def items_on_platform(items, platform, label=None) -> list[EvidenceItem]:
    """Evidence on `platform` (by id or label, any case) or naming no platform; all without
    a platform. A notice to one platform must not list another platform's posts."""
    if not platform:
        return list(items)
    wanted = {platform.lower(), (label or "").lower()}
    return [i for i in items if not i.platform or i.platform.lower() in wanted]


def _when(value: str) -> str:
    """ISO date-times as `YYYY-MM-DD HH:MM` (seconds and zone add nothing on paper)."""
    if len(value) >= 16 and value[10] == "T":
        return f"{value[:10]} {value[11:16]}"
    return value
