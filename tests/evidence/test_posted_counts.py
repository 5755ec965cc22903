"""One count of what the poster spread (caseprep.evidence.posted): her originals and context
items never count, a screenshot counts the images it shows, and the log's tally, the derived
facts and the documents all give the same numbers."""

from __future__ import annotations

import pytest

from caseprep.evidence.items import InvalidField, clean_fields
from caseprep.evidence.posted import posted_counts

# The motivating case in small: her original, a private chat, a screenshot of the group
# showing 30 of her photos, 4 images imported from the Telegram export, a video.
LOG = [
    {"kind": "image", "role": "reference", "name": "my_wechat_photo.jpg"},
    {"kind": "screenshot", "role": "context", "notes": "chat with him"},
    {"kind": "screenshot", "images_shown": 30, "platform": "telegram"},
    *({"kind": "image", "platform": "telegram", "poster": "@ex"} for _ in range(4)),
    {"kind": "video", "platform": "telegram"},
    {"kind": "screenshot", "platform": "telegram"},  # count not given: 0, never guessed
]


def test_counts_only_what_the_poster_spread():
    counted = posted_counts(LOG)
    assert (counted.images, counted.videos) == (34, 1)
    assert counted.references == 1
    assert counted.publications == 7


def test_the_role_and_images_shown_fields_are_checked():
    assert clean_fields({"kind": "screenshot", "images_shown": "12", "role": "publication"}) \
        == {"kind": "screenshot", "images_shown": 12, "role": "publication"}
    with pytest.raises(InvalidField):
        clean_fields({"kind": "screenshot", "images_shown": "-1"})
    with pytest.raises(InvalidField):
        clean_fields({"kind": "image", "role": "mine"})


def test_documents_print_the_logs_count_not_the_answer():
    from caseprep.documents import html, service
    from caseprep.rules import load_jurisdictions

    cn = load_jurisdictions()["cn"]
    facts = {"content.kinds": ["everyday_photo"], "content.shared_with_consent": False,
             "distribution.platforms": ["telegram"], "evidence.images_count": 1}
    for kind in ("police_report", "evidence_checklist"):
        doc = service.build_documents(cn, facts, {}, LOG, [kind])[0]
        assert doc.facts["evidence.images_count"] == 34
        markup = html.render_html(doc)
        body = markup.split("<body", 1)[1].replace(" ", "")
        assert "图片34张" in body and "图片1张" not in body


def test_the_logs_tally_uses_the_same_count():
    import datetime as dt

    from caseprep.evidence.items import Evidence
    from caseprep.evidence.service import counts

    now = dt.datetime(2026, 11, 27, tzinfo=dt.UTC)
    items = [Evidence(id=i, kind=row["kind"], created_at=now, has_file=False,
                      has_thumbnail=False, details={k: v for k, v in row.items() if k != "kind"})
             for i, row in enumerate(LOG, start=1)]
    tally = counts(items)
    assert (tally["image"], tally["video"]) == (34, 1)
