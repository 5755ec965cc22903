"""Write Telegram Desktop-shaped exports (single chat and full account) for the tests."""

from __future__ import annotations

import json
from pathlib import Path

NOT_INCLUDED = "(File not included. Change data exporting settings to download.)"


def message(mid, sender="Alice", sender_id="user1", text="hi", date="2024-03-01T10:00:00",
            **extra):
    msg = {"id": mid, "type": "message", "date": date,
           "date_unixtime": "1709287200", "from": sender, "from_id": sender_id, "text": text,
           "text_entities": []}
    msg.update(extra)
    return msg


def odd_messages():
    """Every shape the parser must handle, in one chat."""
    return [
        message(1, text="plain"),
        message(2, text=["see ", {"type": "link", "text": "https://x.example"}, " now"]),
        {"id": 3, "type": "service", "date": "2024-03-01T10:01:00", "actor": "Bob",
         "actor_id": "user2", "action": "invite_members", "members": ["Carol"], "text": ""},
        message(4, sender="Bob", sender_id="user2", photo="photos/photo_1.jpg",
                width=10, height=10, text=""),
        message(5, sender="Bob", sender_id="user2", photo=NOT_INCLUDED, text=""),
        message(6, file="video_files/v.mp4", media_type="video_file", mime_type="video/mp4"),
        message(7, file="files/doc.pdf", mime_type="application/pdf"),
        message(8, file="stickers/s.webp", media_type="sticker", sticker_emoji="x"),
        message(9, sender=None, sender_id="channel42", text="from a deleted account",
                date="2024-03-02T09:00:00"),
        message(10, sender="Bob", sender_id="user2", photo="../../etc/passwd", text=""),
    ]


def write_single_chat(root: Path, messages, chat_type="private_supergroup", chat_id=1234567890,
                      name="Group 群") -> Path:
    root.mkdir(parents=True, exist_ok=True)
    data = {"name": name, "type": chat_type, "id": chat_id, "messages": messages}
    (root / "result.json").write_text(json.dumps(data, ensure_ascii=False, indent=1))
    return root


def write_full_account(root: Path, chats, left=()) -> Path:
    """chats: list of (name, type, id, messages)."""
    root.mkdir(parents=True, exist_ok=True)
    data = {
        "about": "Here is the data you requested.",
        "personal_information": {"user_id": 1, "first_name": "Me"},
        "contacts": {"about": "", "list": [{"first_name": "X", "phone_number": "1"}]},
        "chats": {"about": "", "list": [
            {"name": n, "type": t, "id": i, "messages": m} for n, t, i, m in chats]},
        "left_chats": {"about": "", "list": [
            {"name": n, "type": t, "id": i, "messages": m} for n, t, i, m in left]},
    }
    (root / "result.json").write_text(json.dumps(data, ensure_ascii=False))
    return root


# The shapes real Telegram Desktop exports hold that the generated ones above did not (issue 14:
# 15 public exports). Texts as export_output_json.cpp writes them.
TOO_LARGE = "(File exceeds maximum size. Change data exporting settings to download.)"
UNAVAILABLE = "(File unavailable, please try again later)"


def image_as_file(mid, path="files/IMG_2041.JPG", mime="image/jpeg", **extra):
    """A picture sent "as a file": no `photo`, no `media_type`, an image MIME type."""
    return message(mid, file=path, file_name=path.rsplit("/", 1)[-1], file_size=181233,
                   thumbnail=f"{path}_thumb.jpg", mime_type=mime, text="", **extra)


def forwarded(mid, source="Leaks Channel", source_id="channel1600000001", **extra):
    """A forward: the poster in `from`, the origin in `forwarded_from` (and, in newer exports,
    `forwarded_from_id`)."""
    msg = message(mid, forwarded_from=source, **extra)
    if source_id is not None:
        msg["forwarded_from_id"] = source_id
    return msg


def without_id(**extra):
    """A message whose id is null (seen in real exports); it cannot be linked or cited."""
    msg = message(0, **extra)
    msg["id"] = None
    return msg
