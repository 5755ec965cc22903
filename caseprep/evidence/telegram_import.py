"""Summarise a Telegram export: counts per sender and per day, duplicates, reference matches.

Streams result.json (see telegram.py), keeps only counters and the list of photos present in
the export, then hashes those photos: SHA-256 for exact duplicates and a perceptual hash to
find re-posts of the reference photos (see matching.py). Photos that match nothing are never
returned, so nobody has to look at them.
"""

from __future__ import annotations

import os
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from caseprep.evidence import matching
from caseprep.evidence.manifest import hash_file
from caseprep.evidence.telegram import find_result_json, iter_messages, safe_media_path


@dataclass(frozen=True, slots=True)
class PhotoRef:
    """A photo in the export and the message that carried it."""

    path: str  # relative to the export folder
    message_id: int
    chat_id: str | None
    chat_name: str | None
    sender: str | None
    sender_id: str | None
    date: str | None
    date_unixtime: int | None
    link: str | None


@dataclass
class SenderCounts:
    sender: str | None = None
    messages: int = 0
    media: Counter = field(default_factory=Counter)


@dataclass
class ImportSummary:
    """What an export holds, reduced to counts, duplicates and matches."""

    messages: int = 0
    service_messages: int = 0
    missing_media: int = 0
    chats: dict = field(default_factory=dict)  # chat id -> name
    media: Counter = field(default_factory=Counter)
    by_sender: dict = field(default_factory=dict)  # sender id -> SenderCounts
    by_day: dict = field(default_factory=lambda: defaultdict(Counter))  # "YYYY-MM-DD" -> Counter
    photos: list = field(default_factory=list)  # PhotoRef of photos present in the export
    duplicates: list = field(default_factory=list)  # [{"sha256", "messages": [PhotoRef]}]
    matches: list = field(default_factory=list)  # [{"reference", "photo": PhotoRef, "distance"}]

    def to_dict(self) -> dict:
        """The `caseprep evidence import-telegram --json` object."""
        senders = sorted(self.by_sender.items(), key=lambda kv: (-kv[1].messages, kv[0]))
        return {
            "messages": self.messages,
            "service_messages": self.service_messages,
            "missing_media": self.missing_media,
            "chats": [{"id": k, "name": v} for k, v in self.chats.items()],
            "media": dict(sorted(self.media.items())),
            "by_sender": [
                {"sender_id": sid, "sender": c.sender, "messages": c.messages,
                 "photos": c.media.get("photo", 0), "videos": c.media.get("video", 0)}
                for sid, c in senders
            ],
            "by_day": [
                {"day": day, "messages": c["messages"], "media": c["media"]}
                for day, c in sorted(self.by_day.items())
            ],
            "duplicates": [
                {"sha256": d["sha256"], "count": len(d["messages"]),
                 "message_ids": [p.message_id for p in d["messages"]]}
                for d in self.duplicates
            ],
            "matches": [
                {"reference": m["reference"], "message_id": m["photo"].message_id,
                 "chat_id": m["photo"].chat_id, "sender_id": m["photo"].sender_id,
                 "sender": m["photo"].sender, "date": m["photo"].date,
                 "link": m["photo"].link, "distance": m["distance"]}
                for m in self.matches
            ],
        }

    def reposts_per_reference(self) -> dict[str, int]:
        return dict(Counter(m["reference"] for m in self.matches))


class _CountingReader:
    """A binary file wrapper that reports how many bytes were read (for progress)."""

    def __init__(self, fh, on_bytes: Callable[[int], None] | None):
        self._fh, self._on_bytes = fh, on_bytes

    def read(self, size: int = -1) -> bytes:
        data = self._fh.read(size)
        if self._on_bytes and data:
            self._on_bytes(len(data))
        return data


def count_export(
    export_dir: str | os.PathLike,
    usernames: dict | None = None,
    on_bytes: Callable[[int], None] | None = None,
) -> ImportSummary:
    """Stream result.json and count; photos present in the folder are listed, not read."""
    with open(find_result_json(Path(export_dir)), "rb") as fh:
        return count_messages(fh, usernames, on_bytes)


def count_messages(
    result_json: BinaryIO,
    usernames: dict | None = None,
    on_bytes: Callable[[int], None] | None = None,
) -> ImportSummary:
    """Count an open result.json (the import job reads it from an encrypted work file)."""
    summary = ImportSummary()
    for msg in iter_messages(_CountingReader(result_json, on_bytes), usernames):
        if msg.chat.id is not None and str(msg.chat.id) not in summary.chats:
            summary.chats[str(msg.chat.id)] = msg.chat.name
        if msg.is_service:
            summary.service_messages += 1
            continue
        summary.messages += 1
        sender_key = msg.sender_id or ""
        counts = summary.by_sender.get(sender_key)
        if counts is None:
            counts = summary.by_sender[sender_key] = SenderCounts(msg.sender)
        counts.messages += 1
        day = summary.by_day[(msg.date or "")[:10]]
        day["messages"] += 1
        if msg.media_kind:
            summary.media[msg.media_kind] += 1
            counts.media[msg.media_kind] += 1
            day["media"] += 1
            if msg.media_missing:
                summary.missing_media += 1
            elif msg.media_kind == "photo" and msg.media_path:
                summary.photos.append(PhotoRef(
                    msg.media_path, msg.message_id,
                    str(msg.chat.id) if msg.chat.id is not None else None, msg.chat.name,
                    msg.sender, msg.sender_id, msg.date, msg.date_unixtime, msg.link,
                ))
    return summary


def find_duplicates(summary: ImportSummary, export_dir: str | os.PathLike) -> None:
    """Group photos with the same SHA-256 (the same file posted several times)."""
    groups: dict[str, list[PhotoRef]] = defaultdict(list)
    for photo in summary.photos:
        path = safe_media_path(export_dir, photo.path)
        if path is not None:
            groups[hash_file(path)[0]].append(photo)
    summary.duplicates = [
        {"sha256": sha, "messages": refs} for sha, refs in groups.items() if len(refs) > 1
    ]


def match_references(
    summary: ImportSummary,
    export_dir: str | os.PathLike,
    references: Sequence[str | os.PathLike],
    threshold: int = matching.MATCH_THRESHOLD,
    workers: int | None = None,
    on_photo: Callable[[int], None] | None = None,
) -> None:
    """Hash every photo of the export and keep the ones close to a reference photo."""
    refs = matching.ReferenceSet.from_files(references)
    present = [(p, safe_media_path(export_dir, p.path)) for p in summary.photos]
    present = [(p, path) for p, path in present if path is not None]
    paths = [str(path) for _, path in present]
    for i, hashes in matching.hash_many(paths, workers, on_photo):
        if not hashes:
            continue
        best = refs.best(hashes)
        if best and best[1] <= threshold:
            summary.matches.append(
                {"reference": best[0], "photo": present[i][0], "distance": best[1]}
            )


def summarize_export(
    export_dir: str | os.PathLike,
    references: Sequence[str | os.PathLike] = (),
    usernames: dict | None = None,
    on_bytes: Callable[[int], None] | None = None,
    on_photo: Callable[[int], None] | None = None,
    workers: int | None = None,
) -> ImportSummary:
    """Count, group duplicates and match references: the whole import, without storing."""
    summary = count_export(export_dir, usernames, on_bytes)
    find_duplicates(summary, export_dir)
    if references:
        match_references(summary, export_dir, references, workers=workers, on_photo=on_photo)
    return summary
