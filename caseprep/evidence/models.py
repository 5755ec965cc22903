"""Evidence log storage: one row per item, its details encrypted with the case's data key.

Plain columns hold only what the server needs without the key: the case it belongs to, the
kind (for counting), random stored file names (to delete files) and timestamps. Everything
the person records (poster, links, dates, notes, the file's name and hash) is in
`ciphertext`, bound by its AAD to the case and the item's random uid.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from caseprep.cases.models import UTCDateTime, utcnow
from caseprep.db import Base


class EvidenceItem(Base):
    """One item of a case's evidence log, with or without a stored file."""

    __tablename__ = "evidence_items"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    uid: Mapped[str] = mapped_column(String(32), unique=True)
    kind: Mapped[str] = mapped_column(String(32))
    file_name: Mapped[str | None] = mapped_column(String(32), nullable=True)
    thumbnail_name: Mapped[str | None] = mapped_column(String(32), nullable=True)
    import_id: Mapped[str | None] = mapped_column(String(32), nullable=True, index=True)
    nonce: Mapped[bytes] = mapped_column(LargeBinary)
    ciphertext: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class EvidenceImport(Base):
    """A background import of a chat export: progress in clear, results encrypted."""

    __tablename__ = "evidence_imports"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="queued")  # queued|running|done|failed
    stage: Mapped[str] = mapped_column(String(32), default="")
    progress: Mapped[int] = mapped_column(Integer, default=0)  # per mille
    error_code: Mapped[str | None] = mapped_column(String(32), nullable=True)
    upload_name: Mapped[str | None] = mapped_column(String(32), nullable=True)
    nonce: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    ciphertext: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
