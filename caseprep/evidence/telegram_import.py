"""Summarise a Telegram export: counts per sender and per day, duplicates, reference matches.

Streams result.json (see telegram.py), keeps only counters and the list of images (photos
and pictures sent as files) present in the export, then hashes those images: SHA-256 for
exact duplicates, and the two-stage matcher (matching.py) to find re-posts of the reference
photos. `summarize` is the one pipeline: the CLI reads a folder, the import job a ZIP.
Images that match nothing are never returned, so nobody has to look at them.
Forwards are counted for the forwarder (who posted them into the chat) and reported with
their origin; messages that could not be read are counted and reported, never dropped.
"""

from __future__ import annotations

import os
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
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


class ExportFolder:
    """An unpacked export folder, read the way the import job reads its archive
    (caseprep.evidence.import_work.ExportArchive), so both go through `summarize`."""

    def __init__(self, export_dir: str | os.PathLike):
        self.root = Path(export_dir)
        self._result_json = find_result_json(self.root)

    def open_result_json(self) -> BinaryIO:
        return open(self._result_json, "rb")  # noqa: SIM115 - the caller closes it

    def size_of_result_json(self) -> int:
        return self._result_json.stat().st_size

    def sha256(self, relative: str | None) -> str | None:
        path = safe_media_path(self.root, relative)
        return hash_file(path)[0] if path is not None else None

    def picture(self, relative: str | None) -> matching.Source:
        """What the matcher reads: the file's path (cheap to hand to worker processes)."""
        return safe_media_path(self.root, relative) or b""


class _Pictures(Sequence):
    """The export's pictures for the matcher, each read only when its turn comes."""

    def __init__(self, export, photos: Sequence[PhotoRef]):
        self._export, self._photos = export, photos

    def __len__(self) -> int:
        return len(self._photos)

    def __getitem__(self, index):
        return self._export.picture(self._photos[index].path)


def summarize(
    export,
    references: Mapping[str, matching.Source] | None = None,
    usernames: dict | None = None,
    on_bytes: Callable[[int], None] | None = None,
    on_photo: Callable[[int, int], None] | None = None,
    workers: int | None = None,
) -> ImportSummary:
    """The whole reading of an export: count, group exact duplicates, and match the images
    against `references` in two stages (docs/evidence-matching.md: a re-post of her photo is
    counted; another shot of the same scene is kept as "possibly yours", never counted).

    `export` is an `ExportFolder` (the CLI) or an `ExportArchive` (the import job): both
    answer `open_result_json`, `sha256(path)` and `picture(path)`. Nothing is stored here.
    `on_bytes(n)` follows the reading of result.json, `on_photo(done, total)` the matching.
    """
    with export.open_result_json() as fh:
        summary = count_messages(fh, usernames, on_bytes)
    present = []
    groups: dict[str, list[PhotoRef]] = defaultdict(list)
    for photo in summary.photos:
        digest = export.sha256(photo.path)
        if digest is not None:
            groups[digest].append(photo)
            present.append(photo)
    summary.duplicates = [{"sha256": sha, "messages": refs}
                          for sha, refs in groups.items() if len(refs) > 1]
    if references:
        matcher = matching.Matcher(references)
        done = [0]

        def one_more(n: int) -> None:
            done[0] += n
            if on_photo is not None:
                on_photo(done[0], len(present))

        verdicts = matching.classify_many(matcher, _Pictures(export, present), workers,
                                          one_more)
        for i, verdict in verdicts:
            if verdict.answer in (matching.MATCH, matching.POSSIBLE):
                summary.matches.append({"reference": verdict.reference, "photo": present[i],
                                        "distance": verdict.distance,
                                        "answer": verdict.answer})
    return summary
