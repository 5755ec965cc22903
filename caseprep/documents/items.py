"""Evidence items as documents show them (`EvidenceRow`: one row of the evidence manifest),
not the stored log item (`caseprep.evidence.models.EvidenceItem`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass
class EvidenceRow:
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
    # publication: a copy the poster spread; reference: her own original (never content to
    # remove); context: anything else (a private chat, the group's member count).
    role: str = "publication"
    images_shown: int | None = None  # how many images a screenshot shows

    @property
    def is_publication(self) -> bool:
        return self.role == "publication"

    @property
    def posted(self) -> str:
        return when_text(self.posted_at)

    @property
    def captured(self) -> str:
        return when_text(self.captured_at)

    @classmethod
    def from_mapping(cls, position: int, row: Mapping[str, Any]) -> EvidenceRow:
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
            role=text("role") or "publication",
            images_shown=int(row["images_shown"]) if row.get("images_shown") not in (None, "")
            else None,
        )


def items_on_platform(items, platform, label=None, keep_unplaced=True) -> list[EvidenceRow]:
    """Publications on `platform` (by id or label, any case), and with `keep_unplaced` those
    naming no platform. A notice to one platform must not list another platform's posts,
    and never her own reference photos or context items (`role` other than publication)."""
    posted = [i for i in items if i.is_publication]
    if not platform:
        return posted
    wanted = {platform.lower(), (label or "").lower()}
    return [i for i in posted
            if (i.platform and i.platform.lower() in wanted) or (keep_unplaced and not i.platform)]


def when_text(value: str) -> str:
    """ISO date-times as `YYYY-MM-DD HH:MM` (seconds and zone add nothing on paper)."""
    if len(value) >= 16 and value[10] == "T":
        return f"{value[:10]} {value[11:16]}"
    return value
