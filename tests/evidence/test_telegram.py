"""The Telegram export parser on generated exports, including the odd shapes."""

from __future__ import annotations

import io
import json
import os

import pytest
from click.testing import CliRunner

from caseprep.cli import main
from caseprep.evidence import telegram, telegram_import
from tests.evidence import telegram_export as tx


def _parse(data: dict, **kw):
    return list(telegram.iter_messages(io.BytesIO(json.dumps(data).encode()), **kw))


def test_single_chat_odd_shapes(tmp_path):
    root = tx.write_single_chat(tmp_path / "export", tx.odd_messages())
    with open(root / "result.json", "rb") as fh:
        msgs = {m.message_id: m for m in telegram.iter_messages(fh)}
    assert sorted(msgs) == list(range(1, 11))
    assert msgs[1].text == "plain"
    assert msgs[2].text == "see https://x.example now"
    assert msgs[3].is_service and msgs[3].sender == "Bob" and msgs[3].sender_id == "user2"
    assert (msgs[4].media_kind, msgs[4].media_path, msgs[4].media_missing) == (
        "photo", "photos/photo_1.jpg", False)
    assert (msgs[5].media_kind, msgs[5].media_path, msgs[5].media_missing) == ("photo", None, True)
    assert msgs[6].media_kind == "video"
    assert msgs[7].media_kind == "file"
    assert msgs[8].media_kind == "sticker"
    assert msgs[9].sender is None and msgs[9].sender_id == "channel42"
    m = msgs[4]
    assert m.chat == telegram.Chat("Group 群", "private_supergroup", 1234567890)
    assert m.date == "2024-03-01T10:00:00" and m.date_unixtime == 1709287200
    assert m.link == "https://t.me/c/1234567890/4"


@pytest.mark.parametrize(("chat_type", "usernames", "link"), [
    ("private_supergroup", None, "https://t.me/c/77/5"),
    ("private_channel", None, "https://t.me/c/77/5"),
    ("public_supergroup", {"77": "opengroup"}, "https://t.me/opengroup/5"),
    ("public_channel", None, "https://t.me/c/77/5"),
    ("private_group", None, None),
    ("personal_chat", None, None),
])
def test_message_links(chat_type, usernames, link):
    data = {"name": "c", "type": chat_type, "id": 77, "messages": [tx.message(5)]}
    assert _parse(data, usernames=usernames)[0].link == link


def test_full_account_export_keeps_each_chat(tmp_path):
    root = tx.write_full_account(
        tmp_path / "acct",
        [("A", "private_supergroup", 11, [tx.message(1), tx.message(2)]),
         ("B", "personal_chat", 22, [tx.message(1, sender="Eve", sender_id="user9")])],
        left=[("C", "public_supergroup", 33, [tx.message(7)])],
    )
    with open(root / "result.json", "rb") as fh:
        msgs = list(telegram.iter_messages(fh))
    assert [(m.chat.name, m.chat.id, m.message_id) for m in msgs] == [
        ("A", 11, 1), ("A", 11, 2), ("B", 22, 1), ("C", 33, 7)]
    assert msgs[2].sender_id == "user9" and msgs[2].link is None
    assert msgs[3].link == "https://t.me/c/33/7"


def test_chat_metadata_after_messages_is_not_misattributed():
    # Key order is not guaranteed: a chat whose id comes after its messages.
    data = {"chats": {"list": [
        {"name": "A", "type": "private_supergroup", "id": 1, "messages": [tx.message(1)]},
        {"messages": [tx.message(2)], "name": "B", "type": "private_group", "id": 2},
    ]}}
    msgs = _parse(data)
    assert msgs[0].chat.name == "A"
    assert msgs[1].chat.name != "A"


def test_invalid_json_raises_export_error():
    with pytest.raises(telegram.ExportError):
        list(telegram.iter_messages(io.BytesIO(b'{"messages": [{"id": 1,')))


def test_missing_result_json(tmp_path):
    with pytest.raises(telegram.ExportError):
        telegram.find_result_json(tmp_path)


def test_media_path_cannot_escape_the_export(tmp_path):
    root = tmp_path / "export"
    (root / "photos").mkdir(parents=True)
    (root / "photos" / "p.jpg").write_bytes(b"x")
    (tmp_path / "secret.txt").write_text("s")
    assert telegram.safe_media_path(root, "photos/p.jpg") == (root / "photos" / "p.jpg").resolve()
    assert telegram.safe_media_path(root, "../secret.txt") is None
    assert telegram.safe_media_path(root, str(tmp_path / "secret.txt")) is None
    assert telegram.safe_media_path(root, "photos/missing.jpg") is None


def test_summary_counts_and_duplicates(tmp_path):
    root = tx.write_single_chat(tmp_path / "export", tx.odd_messages() + [
        tx.message(11, sender="Bob", sender_id="user2", photo="photos/photo_2.jpg", text="",
                   date="2024-03-02T11:00:00"),
        tx.message(12, sender="Bob", sender_id="user2", photo="photos/photo_3.jpg", text="",
                   date="2024-03-02T12:00:00"),
    ])
    (root / "photos").mkdir()
    same = os.urandom(2000)
    (root / "photos" / "photo_1.jpg").write_bytes(same)
    (root / "photos" / "photo_2.jpg").write_bytes(same)
    (root / "photos" / "photo_3.jpg").write_bytes(os.urandom(2000))
    s = telegram_import.summarize(telegram_import.ExportFolder(root))
    d = s.to_dict()
    assert d["messages"] == 11 and d["service_messages"] == 1
    assert d["media"] == {"file": 1, "photo": 5, "sticker": 1, "video": 1}
    assert d["missing_media"] == 1
    bob = next(x for x in d["by_sender"] if x["sender_id"] == "user2")
    assert (bob["messages"], bob["photos"]) == (5, 5)
    days = {x["day"]: x for x in d["by_day"]}
    assert days["2024-03-02"]["messages"] == 3 and days["2024-03-02"]["media"] == 2
    assert [sorted(x["message_ids"]) for x in d["duplicates"]] == [[4, 11]]


def test_import_cli_json_shape(tmp_path):
    root = tx.write_single_chat(tmp_path / "export", tx.odd_messages())
    result = CliRunner().invoke(main, ["evidence", "import-telegram", str(root), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["messages"] == 9
    assert data["media"]["photo"] == 3
    assert {"sender_id", "sender", "messages", "photos"} <= set(data["by_sender"][0])
    assert data["matches"] == []


def test_import_cli_reports_a_bad_folder(tmp_path):
    result = CliRunner().invoke(main, ["evidence", "import-telegram", str(tmp_path)])
    assert result.exit_code != 0
    assert "result.json" in result.output
