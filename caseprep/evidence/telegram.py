"""Read a Telegram Desktop JSON export ("Machine-readable JSON") without loading it whole.

`result.json` is parsed with ijson's event stream (the C yajl2 backend when present), so a
million-message export imports in bounded memory: only the current message is ever built.
Both shapes Telegram Desktop writes are handled:

- a single chat: `{"name", "type", "id", "messages": [...]}`;
- a full account: `{"chats": {"list": [{"name", "type", "id", "messages": [...]}, ...]},
  "left_chats": {"list": [...]}, ...}`.

What real exports hold, and how it is read (issue 14, one test fixture per shape):

- pictures sent "as a file" (`"file": "files/IMG_1.jpg", "mime_type": "image/jpeg"`, no
  `media_type`) are images like photos (`media_kind` "image_file"): counted and matched;
- a file left out is one of three texts instead of a path (SKIP_REASONS): not included by the
  export's settings, over its size limit, or unavailable; none of them is a file present;
- a forward names its origin (`forwarded_from`, and in newer exports `forwarded_from_id`;
  `saved_from` for a message saved from a channel): kept beside the forwarder;
- a message without a usable `id` (`"id": null`) cannot be referred to; it is skipped and
  reported through `on_skip`, never dropped silently.

Message links are built from the chat's id and type (https://t.me/c/<id>/<msg> for private
supergroups and channels, https://t.me/<username>/<msg> for public ones when the caller knows
the username): they are built, never fetched.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import ijson

# Where chats live in the two export shapes (ijson prefixes; "" is the top-level object).
_CHAT_PREFIXES = ("", "chats.list.item", "left_chats.list.item")
_MESSAGE_PREFIXES = {f"{p}.messages.item" if p else "messages.item": p for p in _CHAT_PREFIXES}
_CHAT_META_KEYS = {"name", "type", "id"}
# Telegram nests a message's text entities ~6 levels deep; anything far deeper is hostile.
MAX_DEPTH = 64

# Telegram Desktop writes one of these instead of a path when a file was left out
# (export_output_json.cpp, Data::File::SkipReason); a file name may precede the text.
SKIP_REASONS = {
    "(File not included. Change data exporting settings to download.)": "not_included",
    "(File exceeds maximum size. Change data exporting settings to download.)": "too_large",
    "(File unavailable, please try again later)": "unavailable",
}
# Pictures sent as files that are photographs (an SVG is a drawing program, not a photo).
_NOT_PHOTO_MIME = {"image/svg+xml"}
_LINKABLE_PRIVATE = {"private_supergroup", "private_channel"}
_LINKABLE_PUBLIC = {"public_supergroup", "public_channel"}
_MEDIA_TYPE_KINDS = {
    "video_file": "video",
    "sticker": "sticker",
    "animation": "animation",
    "voice_message": "voice",
    "audio_file": "audio",
    "video_message": "video_message",
}


class ExportError(ValueError):
    """The folder is not a Telegram Desktop JSON export we can read."""


@dataclass(frozen=True, slots=True)
class Chat:
    """The chat a message belongs to, as exported."""

    name: str | None
    type: str | None
    id: int | str | None


@dataclass(frozen=True, slots=True)
class TelegramMessage:
    """One exported message, reduced to what an evidence log needs."""

    chat: Chat
    message_id: int
    type: str  # "message" or "service"
    date: str | None  # as exported (local time of the exporting computer)
    date_unixtime: int | None  # UTC seconds, when the export gives it
    sender: str | None
    sender_id: str | None
    text: str
    # photo, image_file, video, file, sticker, animation, voice, audio, video_message
    media_kind: str | None
    media_path: str | None  # relative to the export folder; None when absent or not included
    media_missing: bool  # the export says the file was left out
    link: str | None
    media_skip_reason: str | None = None  # not_included, too_large, unavailable (SKIP_REASONS)
    forwarded_from: str | None = None  # the origin's name as exported, for a forward
    forwarded_from_id: str | None = None  # newer exports: user123 / channel456

    @property
    def is_service(self) -> bool:
        return self.type == "service"

    @property
    def is_image(self) -> bool:
        """A picture: a photo, or an image sent as a file (both can be her photo)."""
        return self.media_kind in ("photo", "image_file")

    @property
    def is_forward(self) -> bool:
        return self.forwarded_from is not None or self.forwarded_from_id is not None


def flatten_text(text) -> str:
    """Telegram's `text` is a string or a list of strings and entity objects ({"type","text"})."""
    if text is None:
        return ""
    if isinstance(text, str):
        return text
    if isinstance(text, list):
        parts = []
        for part in text:
            if isinstance(part, str):
                parts.append(part)
            elif isinstance(part, dict):
                parts.append(str(part.get("text", "")))
        return "".join(parts)
    return str(text)


def message_link(chat: Chat, message_id: int, usernames: dict | None = None) -> str | None:
    """The t.me link of a message, when the chat type allows one (never fetched)."""
    if chat.id is None:
        return None
    if chat.type in _LINKABLE_PUBLIC and usernames:
        username = usernames.get(str(chat.id))
        if username:
            return f"https://t.me/{username}/{message_id}"
    if chat.type in _LINKABLE_PRIVATE or chat.type in _LINKABLE_PUBLIC:
        # Supergroups and channels; the export's id is the bare channel id (no -100 prefix).
        chat_id = str(chat.id)
        if chat_id.startswith("-100"):
            chat_id = chat_id[4:]
        return f"https://t.me/c/{chat_id}/{message_id}"
    return None


def _media_of(raw: dict) -> tuple[str | None, str | None, str | None]:
    """(kind, relative path, skip reason) of a raw message's media."""
    if "photo" in raw:
        kind, value = "photo", raw.get("photo")
    elif "file" in raw:
        kind = _file_kind(raw)
        value = raw.get("file")
    else:
        return None, None, None
    if not isinstance(value, str) or not value:
        return kind, None, "unavailable"
    for text, reason in SKIP_REASONS.items():
        if value.endswith(text):
            return kind, None, reason
    return kind, value, None


def _file_kind(raw: dict) -> str:
    media_type = raw.get("media_type")
    if media_type:
        return _MEDIA_TYPE_KINDS.get(str(media_type), "file")
    mime = str(raw.get("mime_type") or "").lower()
    if mime.startswith("image/") and mime not in _NOT_PHOTO_MIME:
        return "image_file"
    return "file"


def _text_or_none(value) -> str | None:
    if value is None:
        return None
    return flatten_text(value) if not isinstance(value, (int, float)) else str(value)


def _to_int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _message_from_raw(raw: dict, chat: Chat, usernames: dict | None) -> TelegramMessage | None:
    message_id = _to_int(raw.get("id"))
    if message_id is None:
        return None
    msg_type = str(raw.get("type") or "message")
    if msg_type == "service":
        sender, sender_id = raw.get("actor"), raw.get("actor_id")
    else:
        sender, sender_id = raw.get("from"), raw.get("from_id")
    kind, path, skip_reason = _media_of(raw)
    forwarded_from = _text_or_none(raw.get("forwarded_from", raw.get("saved_from")))
    forwarded_from_id = _text_or_none(raw.get("forwarded_from_id", raw.get("saved_from_id")))
    if forwarded_from is None and forwarded_from_id is None and (
            "forwarded_from" in raw or "saved_from" in raw):
        forwarded_from = ""  # a forward whose origin hides its name: still a forward
    return TelegramMessage(
        chat=chat,
        message_id=message_id,
        type=msg_type,
        date=raw.get("date") if isinstance(raw.get("date"), str) else None,
        date_unixtime=_to_int(raw.get("date_unixtime")),
        sender=str(sender) if sender is not None else None,
        sender_id=str(sender_id) if sender_id is not None else None,
        text=flatten_text(raw.get("text")),
        media_kind=kind,
        media_path=path,
        media_missing=skip_reason is not None,
        link=message_link(chat, message_id, usernames),
        media_skip_reason=skip_reason,
        forwarded_from=forwarded_from,
        forwarded_from_id=forwarded_from_id,
    )


class ByteReader(Protocol):
    """What the streaming parser reads from: a binary file, or a wrapper that counts."""

    def read(self, size: int = -1, /) -> bytes: ...


def iter_messages(
    stream: ByteReader, usernames: dict | None = None,
    on_skip: Callable[[str], None] | None = None,
) -> Iterator[TelegramMessage]:
    """Yield the messages of an export's result.json stream, chat by chat, in file order.

    A message that cannot be used is not yielded; `on_skip` hears why ("no_id": its id is
    null or not a number; "not_an_object").
    """
    meta: dict[str, dict] = {p: {} for p in _CHAT_PREFIXES}
    meta_prefixes = {
        (f"{p}.{k}" if p else k): (p, k) for p in _CHAT_PREFIXES for k in _CHAT_META_KEYS
    }
    builder: ijson.ObjectBuilder | None = None
    current = ""
    events = _bounded_parse(stream)
    try:
        for prefix, event, value in events:
            if builder is not None:
                builder.event(event, value)
                if event == "end_map" and prefix == current:
                    raw = builder.value
                    builder = None
                    base = _MESSAGE_PREFIXES[current]
                    m = meta[base]
                    chat = Chat(m.get("name"), m.get("type"), m.get("id"))
                    msg = _message_from_raw(raw, chat, usernames) if isinstance(
                        raw, dict) else None
                    if msg is not None:
                        yield msg
                    elif on_skip is not None:
                        on_skip("no_id" if isinstance(raw, dict) else "not_an_object")
                continue
            if event in ("string", "number", "null", "boolean", "start_array") and (
                    prefix in _MESSAGE_PREFIXES):
                if event == "start_array":  # skip the whole array: it is not a message
                    _skip_container(events)
                if on_skip is not None:
                    on_skip("not_an_object")
                continue
            if event == "start_map":
                if prefix in _MESSAGE_PREFIXES:
                    builder = ijson.ObjectBuilder()
                    builder.event(event, value)
                    current = prefix
                elif prefix in meta and prefix != "":
                    meta[prefix] = {}  # a new chat in a full-account export
            elif prefix in meta_prefixes and event in ("string", "number"):
                base, key = meta_prefixes[prefix]
                meta[base][key] = value
    except ijson.JSONError as exc:
        # The parser's message quotes the export around the fault (chat text, names): only
        # yajl's fixed first line is kept, and the parser's error is not chained (`from
        # None`), so a traceback of this error does not print it either.
        raise ExportError("result.json is not valid JSON: the export is damaged or incomplete"
                          + _parser_reason(exc)) from None


# yajl's first line: "lexical error: invalid char in json text.", "parse error: premature
# EOF", "parse error: trailing garbage"... (fixed words, no text from the file).
_PARSER_REASON = re.compile(r"(?:lexical|parse) error: [A-Za-z0-9 ,.'(){}]{1,80}")


def _parser_reason(exc: Exception) -> str:
    """" (<yajl's reason>)" when the error's first line is one of yajl's fixed texts, else ""."""
    raw = exc.args[0] if exc.args else ""
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
    first = text.split("\n", 1)[0].strip()
    return f" ({first})" if _PARSER_REASON.fullmatch(first) else ""


def _skip_container(events) -> None:
    depth = 1
    for _prefix, event, _value in events:
        if event in ("start_map", "start_array"):
            depth += 1
        elif event in ("end_map", "end_array"):
            depth -= 1
            if depth == 0:
                return


def _bounded_parse(stream: ByteReader) -> Iterator[tuple[str, str, object]]:
    """ijson.parse's (prefix, event, value) stream, refusing nesting deeper than MAX_DEPTH.

    ijson.parse keeps the prefix of every open level, so memory grows with the square of the
    depth: 40 KB of `[` costs ~1 GB, 200 KB kills the server. basic_parse keeps no prefixes;
    we build them here (the same strings ijson's parse makes) and stop at a sane depth.
    """
    opened: list[str] = []  # the prefix of each open container
    here = ""  # the prefix of the next value
    for event, value in ijson.basic_parse(stream, use_float=True):
        if event == "map_key":
            parent = opened[-1]
            yield parent, event, value
            here = f"{parent}.{value}" if len(opened) > 1 else value
        elif event == "start_map" or event == "start_array":
            if len(opened) >= MAX_DEPTH:
                raise ExportError(f"result.json is nested deeper than {MAX_DEPTH} levels")
            yield here, event, value
            opened.append(here)
            if event == "start_array":
                here = f"{here}.item" if len(opened) > 1 else "item"
        elif event == "end_map" or event == "end_array":
            here = opened.pop()
            yield here, event, value
        else:
            yield here, event, value


def find_result_json(export_dir: str | os.PathLike) -> Path:
    """The export's result.json; raise ExportError when the folder has none."""
    path = Path(export_dir) / "result.json"
    if not path.is_file():
        raise ExportError("no result.json in the folder (use Telegram Desktop's JSON export)")
    return path


def safe_media_path(export_dir: str | os.PathLike, relative: str | None) -> Path | None:
    """The media file inside the export folder, or None if absent or pointing outside it.

    result.json is untrusted: an absolute path or `..` must not reach other files.
    """
    if not relative or "\x00" in relative:
        return None
    root = Path(export_dir).resolve()
    candidate = (root / relative).resolve()
    if not candidate.is_relative_to(root) or not candidate.is_file():
        return None
    return candidate
