"""The evidence form asks what an item is to the case (`role`) and how many images a
screenshot shows (`images_shown`); the results, the log's counts, the checklist and the
documents follow what she enters there (issue 11, item 3)."""

from __future__ import annotations

import re

import pytest

from tests.web.conftest import csrf_token
from tests.web.test_wizard import _post


def _add(client, **fields):
    token = csrf_token(client.get("/evidence/add").get_data(as_text=True))
    return client.post("/evidence/add", data={"csrf_token": token, **fields},
                       content_type="multipart/form-data")


def _edit(client, item_id, **fields):
    page = client.get(f"/evidence/{item_id}/edit").get_data(as_text=True)
    return client.post(f"/evidence/{item_id}/edit",
                       data={"csrf_token": csrf_token(page), **fields})


def _item_ids(client) -> list[int]:
    page = client.get("/evidence/").get_data(as_text=True)
    return [int(n) for n in re.findall(r'href="/evidence/(\d+)/edit"', page)]


def _gap(client) -> str:
    """The volume bar of the test rules' criminal route on the results page."""
    html = client.get("/wizard/results").get_data(as_text=True)
    return re.search(r'<progress value="(\d+)" max="400">', html).group(1)


def _preview_text(client, kind) -> str:
    page = client.get(f"/documents/preview/zz/{kind}")
    assert page.status_code == 200, kind
    return re.sub(r"<[^>]+>|\s", "", page.get_data(as_text=True))


@pytest.fixture
def motivating_log(client, new_case):
    """Her own original, a private chat, a screenshot of the group showing 30 of her photos
    and one photo imported as a file: 31 images posted."""
    new_case()
    _post(client, "what_happened", {"f_content__kinds": ["everyday_photo"],
                                    "f_content__is_obscene": "yes"})
    _post(client, "where", {"f_distribution__for_profit": "no"})
    for fields in (
        {"kind": "image", "role": "reference", "notes": "my own photo"},
        {"kind": "screenshot", "role": "context", "images_shown": "2", "notes": "chat with him"},
        {"kind": "screenshot", "role": "publication", "images_shown": "30",
         "platform": "Telegram", "poster_handle": "@ex_1"},
        {"kind": "image", "role": "publication", "platform": "Telegram",
         "poster_handle": "@ex_1"},
    ):
        assert _add(client, **fields).status_code == 302, fields
    return client


def test_the_add_form_asks_both_fields(client, new_case):
    new_case()
    page = client.get("/evidence/add").get_data(as_text=True)
    roles = re.findall(r'<option[^>]*value="([a-z]+)"', page.split('name="role"', 1)[1]
                       .split("</select>", 1)[0])
    assert roles == ["publication", "reference", "context"]  # "possible" is the matcher's
    assert re.search(r'<input[^>]*name="images_shown"[^>]*type="number"', page) or \
        re.search(r'<input[^>]*type="number"[^>]*name="images_shown"', page)


def test_counts_follow_role_and_images_shown(motivating_log):
    client = motivating_log
    assert _gap(client) == "31"
    log = client.get("/evidence/").get_data(as_text=True)
    assert "@ex_1</bdi>: 2 items, 31 images, 0 videos" in re.sub(r":\s+", ": ", log)
    assert "Images shown" in log and "Context: not counted as posted." in log
    # The police report (the test rules' only document with counts) and the checklist.
    for kind in ("police_report", "evidence_checklist"):
        text = _preview_text(client, kind)
        assert "图片31张" in text, kind
        assert "图片32张" not in text and "图片33张" not in text


def test_editing_the_fields_changes_every_count(motivating_log):
    client = motivating_log
    ids = _item_ids(client)
    reference, chat, screenshot, photo = ids
    page = client.get(f"/evidence/{screenshot}/edit").get_data(as_text=True)
    assert re.search(r'<option selected value="publication">|'
                     r'<option value="publication" selected>', page)
    assert re.search(r'name="images_shown"[^>]*value="30"|value="30"[^>]*name="images_shown"',
                     page)
    assert _edit(client, screenshot, kind="screenshot", role="publication",
                 images_shown="33").status_code == 302
    assert _edit(client, photo, kind="image", role="reference").status_code == 302
    assert _gap(client) == "33"  # the photo became her own original: no longer counted
    for kind in ("police_report", "evidence_checklist"):
        assert "图片33张" in _preview_text(client, kind), kind
    # The private chat counted as a publication adds the images it shows.
    assert _edit(client, chat, kind="screenshot", role="publication",
                 images_shown="2").status_code == 302
    assert _gap(client) == "35"
    assert reference in ids


def test_a_wrong_number_or_role_is_refused_on_the_form(motivating_log):
    client = motivating_log
    before = _item_ids(client)
    response = _add(client, kind="screenshot", images_shown="-3")
    assert response.status_code == 422
    assert "Enter a whole number." in response.get_data(as_text=True)
    response = _add(client, kind="screenshot", role="mine")
    assert response.status_code == 422
    assert _item_ids(client) == before
    assert _gap(client) == "31"


def test_the_form_is_translated(client, new_case):
    new_case(locale="zh_Hans")
    page = client.get("/evidence/add").get_data(as_text=True)
    assert "How many images does this screenshot show?" not in page
    assert "Something the poster spread" not in page
