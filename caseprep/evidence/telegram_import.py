"""Summarise a Telegram export: counts per sender and per day, duplicates, reference matches.

Streams result.json (see telegram.py), keeps only counters and the list of images (photos
and pictures sent as files) present in the export, then hashes those images: SHA-256 for
exact duplicates and a perceptual hash to find re-posts of the reference photos (see
matching.py). Images that match nothing are never returned, so nobody has to look at them.
Forwards are counted for the forwarder (who posted them into the chat) and reported with
their origin; messages that could not be read are counted and reported, never dropped.
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
    """An image in the export (a photo or a picture sent as a file) and its message."""

    path: str  # relative to the export folder
    message_id: int
    chat_id: str | None
    chat_name: str | None
    sender: str | None
    sender_id: str | None
    date: str | None
    date_unixtime: int | None
    link: str | None
    as_file: bool = False  # sent "as a file" (uncompressed) rather than as a photo
    forwarded_from: str | None = None  # a forward: the origin's name ("" when hidden)
    forwarded_from_id: str | None = None


@dataclass
class SenderCounts:
    sender: str | None = None
    messages: int = 0
    images: int = 0  # photos + pictures sent as files
    forwarded: int = 0  # of the messages, forwards from elsewhere
    media: Counter = field(default_factory=Counter)


@dataclass
class ForwardSource:
    """Where forwarded messages came from, and who forwarded them into the chat."""

    name: str | None
    source_id: str | None
    messages: int = 0
    images: int = 0
    forwarders: Counter = field(default_factory=Counter)  # sender id -> forwards


@dataclass
class ImportSummary:
    """What an export holds, reduced to counts, duplicates and matches."""

    messages: int = 0
    service_messages: int = 0
    missing_media: int = 0
    images: int = 0  # photos + pictures sent as files, present or not
    missing_by_reason: Counter = field(default_factory=Counter)  # not_included, too_large, ...
    skipped: Counter = field(default_factory=Counter)  # reason -> messages left out
    forwards: dict = field(default_factory=dict)  # (source id or name) -> ForwardSource
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
            "missing_by_reason": dict(sorted(self.missing_by_reason.items())),
            "skipped_messages": dict(sorted(self.skipped.items())),
            "warnings": self.warnings(),
            "images": self.images,
            "chats": [{"id": k, "name": v} for k, v in self.chats.items()],
            "media": dict(sorted(self.media.items())),
            "by_sender": [
                {"sender_id": sid, "sender": c.sender, "messages": c.messages,
                 "images": c.images, "photos": c.media.get("photo", 0),
                 "image_files": c.media.get("image_file", 0),
                 "videos": c.media.get("video", 0), "forwarded": c.forwarded}
                for sid, c in senders
            ],
            "forwards": [
                {"source": f.name, "source_id": f.source_id, "messages": f.messages,
                 "images": f.images,
                 "forwarded_by": [{"sender_id": sid, "messages": n}
                                  for sid, n in sorted(f.forwarders.items(),
                                                       key=lambda kv: (-kv[1], kv[0]))]}
                for f in sorted(self.forwards.values(),
                                key=lambda f: (-f.messages, f.source_id or "", f.name or ""))
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
                 "link": m["photo"].link, "distance": m["distance"],
                 "as_file": m["photo"].as_file, "forwarded_from": m["photo"].forwarded_from,
                 "forwarded_from_id": m["photo"].forwarded_from_id,
                 "answer": m.get("answer", "match")}
                for m in self.matches
            ],
        }

    def warnings(self) -> list[dict]:
        """What the person should know the counts leave out (codes; the pages word them)."""
        found = [{"code": f"skipped_{reason}", "count": n}
                 for reason, n in sorted(self.skipped.items())]
        found += [{"code": f"media_{reason}", "count": n}
                  for reason, n in sorted(self.missing_by_reason.items())]
        return found


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

    def skipped(reason: str) -> None:
        summary.skipped[reason] += 1

    for msg in iter_messages(_CountingReader(result_json, on_bytes), usernames, skipped):
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
        if msg.is_image:
            summary.images += 1
            counts.images += 1
        if msg.is_forward:
            counts.forwarded += 1
            _count_forward(summary, msg, sender_key)
        if msg.media_kind:
            summary.media[msg.media_kind] += 1
            counts.media[msg.media_kind] += 1
            day["media"] += 1
            if msg.media_missing:
                summary.missing_media += 1
                summary.missing_by_reason[msg.media_skip_reason or "unavailable"] += 1
            elif msg.is_image and msg.media_path:
                summary.photos.append(PhotoRef(
                    msg.media_path, msg.message_id,
                    str(msg.chat.id) if msg.chat.id is not None else None, msg.chat.name,
                    msg.sender, msg.sender_id, msg.date, msg.date_unixtime, msg.link,
                    as_file=msg.media_kind == "image_file",
                    forwarded_from=msg.forwarded_from, forwarded_from_id=msg.forwarded_from_id,
                ))
    return summary


def _count_forward(summary: ImportSummary, msg, forwarder: str) -> None:
    key = msg.forwarded_from_id or f"name:{msg.forwarded_from or ''}"
    source = summary.forwards.get(key)
    if source is None:
        source = summary.forwards[key] = ForwardSource(msg.forwarded_from or None,
                                                       msg.forwarded_from_id)
    source.messages += 1
    source.images += 1 if msg.is_image else 0
    source.forwarders[forwarder] += 1


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
