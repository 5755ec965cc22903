"""Telegram exports as they really are (issue 14): one test per shape found in real exports."""

from __future__ import annotations

import io
import json

import pytest
from click.testing import CliRunner

from caseprep.cli import main
from caseprep.evidence import synthetic, telegram, telegram_import
from tests.evidence import telegram_export as tx


def _summary(messages) -> dict:
    data = {"name": "Group", "type": "private_supergroup", "id": 1700000001,
            "messages": messages}
    return telegram_import.count_messages(io.BytesIO(json.dumps(data).encode())).to_dict()


def _sender(summary: dict, sender_id: str) -> dict:
    return next(s for s in summary["by_sender"] if s["sender_id"] == sender_id)


@pytest.mark.parametrize("mime", ["image/jpeg", "image/png", "image/heic", "image/webp"])
def test_an_image_sent_as_a_file_counts_as_an_image(mime):
    summary = _summary([
        tx.message(1, sender_id="user7", photo="photos/photo_1.jpg", text=""),
        tx.image_as_file(2, path="files/IMG_2041.X", mime=mime, sender_id="user7"),
        tx.message(3, sender_id="user7", file="files/report.pdf", mime_type="application/pdf"),
    ])
    poster = _sender(summary, "user7")
    assert (poster["images"], poster["photos"], poster["image_files"]) == (2, 1, 1)
    assert summary["images"] == 2
    assert summary["media"] == {"file": 1, "image_file": 1, "photo": 1}


def test_stickers_and_drawings_are_not_photos():
    summary = _summary([
        tx.message(1, file="stickers/s.webp", media_type="sticker", mime_type="image/webp"),
        tx.image_as_file(2, path="files/logo.svg", mime="image/svg+xml"),
    ])
    assert summary["images"] == 0


def test_an_image_sent_as_a_file_goes_to_matching(tmp_path):
    """Her photo sent "as a file" is found like a photo (the same matching call)."""
    root = tmp_path / "export"
    (root / "files").mkdir(parents=True)
    (root / "photos").mkdir()
    hers = synthetic.scene(3, size=(300, 400))
    (root / "files" / "IMG_2041.JPG").write_bytes(synthetic.jpeg_bytes(hers))
    (root / "photos" / "photo_1.jpg").write_bytes(
        synthetic.jpeg_bytes(synthetic.scene(40, size=(300, 400))))
    tx.write_single_chat(root, [
        tx.image_as_file(1, sender="Poster", sender_id="user9"),
        tx.message(2, photo="photos/photo_1.jpg", text=""),
    ])
    reference = tmp_path / "me.jpg"
    reference.write_bytes(synthetic.jpeg_bytes(hers))
    summary = telegram_import.summarize(telegram_import.ExportFolder(root),
                                        {"me.jpg": reference}, workers=1)
    assert [(p.message_id, p.as_file) for p in summary.photos] == [(1, True), (2, False)]
    matches = summary.to_dict()["matches"]
    assert [(m["message_id"], m["sender_id"], m["as_file"]) for m in matches] == [
        (1, "user9", True)]


@pytest.mark.parametrize("text, reason", [
    (tx.NOT_INCLUDED, "not_included"), (tx.TOO_LARGE, "too_large"),
    (tx.UNAVAILABLE, "unavailable")])
@pytest.mark.parametrize("field", ["photo", "file"])
def test_each_not_saved_text_counts_as_missing(text, reason, field):
    extra = {field: text}
    if field == "file":
        extra["mime_type"] = "video/mp4"
        extra["media_type"] = "video_file"
    [msg] = list(telegram.iter_messages(io.BytesIO(json.dumps(
        {"name": "G", "type": "private_group", "id": 1,
         "messages": [tx.message(1, **extra)]}).encode())))
    assert (msg.media_path, msg.media_missing, msg.media_skip_reason) == (None, True, reason)
    summary = _summary([tx.message(1, **extra), tx.message(2, photo="photos/p.jpg")])
    assert summary["missing_media"] == 1
    assert summary["missing_by_reason"] == {reason: 1}
    assert {"code": f"media_{reason}", "count": 1} in summary["warnings"]


def test_a_not_saved_text_after_a_file_name_is_missing_too():
    summary = _summary([tx.image_as_file(1, path=f"IMG_1.JPG {tx.TOO_LARGE}")])
    assert summary["missing_by_reason"] == {"too_large": 1}


def test_forwards_are_reported_with_their_source():
    summary = _summary([
        tx.forwarded(1, sender_id="user7", photo="photos/photo_1.jpg", text=""),
        tx.forwarded(2, sender_id="user7", text="more"),
        tx.forwarded(3, sender_id="user8", photo="photos/photo_2.jpg", text=""),
        tx.forwarded(4, source="Anna K", source_id=None, sender_id="user8"),  # older export
        tx.message(5, sender_id="user7", text="own words"),
    ])
    poster = _sender(summary, "user7")
    # The forwarder posted them into this chat: they count for her or him ...
    assert (poster["messages"], poster["forwarded"], poster["images"]) == (3, 2, 1)
    # ... and the origin is reported, not dropped.
    channel, person = summary["forwards"]
    assert (channel["source"], channel["source_id"], channel["messages"], channel["images"]) \
        == ("Leaks Channel", "channel1600000001", 3, 2)
    assert channel["forwarded_by"] == [{"sender_id": "user7", "messages": 2},
                                       {"sender_id": "user8", "messages": 1}]
    assert (person["source"], person["source_id"], person["messages"]) == ("Anna K", None, 1)


def test_a_forward_with_a_hidden_origin_is_still_a_forward():
    msg = tx.message(1, sender_id="user7")
    msg["forwarded_from"] = None
    summary = _summary([msg])
    assert _sender(summary, "user7")["forwarded"] == 1
    assert summary["forwards"][0]["source"] is None


def test_a_matched_forward_keeps_its_source(tmp_path):
    root = tmp_path / "export"
    (root / "photos").mkdir(parents=True)
    hers = synthetic.scene(5, size=(300, 400))
    (root / "photos" / "photo_1.jpg").write_bytes(synthetic.jpeg_bytes(hers))
    tx.write_single_chat(root, [tx.forwarded(1, sender_id="user7", photo="photos/photo_1.jpg")])
    reference = tmp_path / "me.jpg"
    reference.write_bytes(synthetic.jpeg_bytes(hers))
    summary = telegram_import.summarize(telegram_import.ExportFolder(root),
                                        {"me.jpg": reference}, workers=1)
    [match] = summary.to_dict()["matches"]
    assert (match["sender_id"], match["forwarded_from"], match["forwarded_from_id"]) == (
        "user7", "Leaks Channel", "channel1600000001")


def test_a_message_without_id_is_skipped_with_a_warning():
    summary = _summary([tx.message(1), tx.without_id(photo="photos/p.jpg"), tx.message(2),
                        "not a message"])
    assert summary["messages"] == 2
    assert summary["skipped_messages"] == {"no_id": 1, "not_an_object": 1}
    assert {"code": "skipped_no_id", "count": 1} in summary["warnings"]


def test_the_cli_warns_about_what_it_left_out(tmp_path):
    root = tx.write_single_chat(tmp_path / "export", [
        tx.message(1, photo=tx.TOO_LARGE), tx.without_id(), tx.forwarded(2)])
    result = CliRunner().invoke(main, ["evidence", "import-telegram", str(root)])
    assert result.exit_code == 0, result.output
    assert "1 message(s) skipped" in result.output
    assert "too large" in result.output
    assert "Leaks Channel" in result.output


@pytest.mark.parametrize("language, expected", [
    # Three images: the one too large to export was posted all the same.
    ("en", ["Images (photos and pictures sent as files): 3", "Leaks Channel",
            "1 message could not be read", "over the export's size limit",
            "2 messages, 2 images (1 forwarded from elsewhere)"]),
    ("zh-CN", ["图片（照片和以文件发送的图片）：3", "转发来源", "无法读取",
               "超过了导出的大小上限"]),
])
def test_the_import_page_shows_images_forwards_and_warnings(app, language, expected):
    from flask import render_template

    from caseprep.evidence import imports

    summary = _summary([
        tx.forwarded(1, sender_id="user7", photo="photos/photo_1.jpg", text=""),
        tx.image_as_file(2, sender_id="user7"),
        tx.message(3, photo=tx.TOO_LARGE), tx.without_id()])
    job = {"id": "x", "status": "done", "summary": summary}
    with app.test_request_context("/", headers={"Accept-Language": language}):
        page = render_template("evidence/import_status.html", job=job, stages=imports.STAGES,
                               errors=imports.ERRORS)
    for text in expected:
        assert text in page


def test_the_import_page_still_shows_an_older_summary(app):
    """Imports finished before this change stored summaries without the new keys."""
    from flask import render_template

    from caseprep.evidence import imports

    old = {"messages": 3, "service_messages": 0, "missing_media": 0, "media": {"photo": 2},
           "by_sender": [{"sender_id": "user7", "sender": "A", "messages": 3, "photos": 2,
                          "videos": 0}], "by_day": [], "duplicates": [], "matches": []}
    with app.test_request_context("/"):
        page = render_template("evidence/import_status.html", job={
            "id": "x", "status": "done", "summary": old}, stages=imports.STAGES,
            errors=imports.ERRORS)
    assert "3 messages, 2 photos" in page
