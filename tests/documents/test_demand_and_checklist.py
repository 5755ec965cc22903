"""The demand letter to the poster (律师函 / cease-and-desist) and the checklist's evidence that
holds in court (issue 11, items 6 and 7)."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from caseprep.documents import html, service
from caseprep.rules import load_jurisdictions

TODAY = dt.date(2026, 11, 27)
FACTS = {
    "cn": {"content.kinds": ["everyday_photo"], "content.shared_with_consent": False,
           "content.still_online": True, "distribution.platforms": ["telegram"],
           "incident.posted_on": "2026-03-01"},
    "us": {"content.kinds": ["intimate_image"], "content.shared_with_consent": False,
           "content.created_with_consent": True, "victim.is_minor": False,
           "distribution.platforms": ["x"], "incident.posted_on": "2026-06-10"},
}
DETAILS = {"victim.name": "Alex 李", "victim.address": "12 Elm St 幸福路1号",
           "victim.contact": "alex@example.org 13800000000",
           "victim.id_number": "110101199001011234", "perpetrator.handles": "@ex_1"}


def _text(code, kind):
    doc = service.build_documents(load_jurisdictions()[code], FACTS[code], DETAILS, [], [kind],
                                  today=TODAY)[0]
    return re.sub(r"<[^>]+>", "", html.render_html(doc).split("<body", 1)[1])


@pytest.mark.parametrize("code", ["cn", "us"])
def test_demand_letter_warns_her_and_never_carries_her_address_phone_or_id(code):
    text = _text(code, "demand_letter")
    for personal in ("Elm St", "幸福路", "alex@example.org", "13800000000", "110101199001011234"):
        assert personal not in text, personal
    assert "Alex 李" in text and "@ex_1" in text
    # The safety warning is for her, on screen before download (tests/documents/test_web.py):
    # the PDF the poster receives cannot have a box deleted from it.
    assert "删除本框" not in text and "delete this box" not in text and "safety" not in text
    assert ("请通过本所律师" in text) if code == "cn" else ("only through the undersigned" in text)


def test_cn_demand_letter_elements():
    text = _text("cn", "demand_letter")
    for element in ("律师函", "致：@ex_1（被函告人）", "委托人", "一、基本事实", "二、法律依据",
                    "第一千零一十九条", "三、委托人的要求", "删除", "停止", "书面确认",
                    "律师事务所（盖章）"):
        assert element in text, element


@pytest.mark.parametrize(("code", "elements"), [
    ("cn", ("公证保全", "可信时间戳", "录屏", "SHA-256", "民事诉讼证据的若干规定")),
    ("us", ("SHA-256", "902(14)", "chain of custody")),
])
def test_checklist_says_how_evidence_holds_in_court(code, elements):
    text = _text(code, "evidence_checklist")
    for element in elements:
        assert element in text, element
