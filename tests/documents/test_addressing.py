"""Who each document is addressed to, from data: the rule files' `addressee` and
`notice_template`, the jurisdiction's `omit_details`, and the platform directory
(jurisdictions/platforms.yaml). One notice per platform, naming only that platform's posts."""

from __future__ import annotations

import datetime as dt

import pytest

from caseprep.documents import html, service
from caseprep.rules import load_jurisdictions
from caseprep.rules.schema import NOTICE_TEMPLATES

JURISDICTIONS = load_jurisdictions()
TODAY = dt.date(2026, 11, 27)
CN_FACTS = {
    "content.kinds": ["everyday_photo"],
    "content.shared_with_consent": False,
    "content.still_online": True,
    "distribution.platforms": ["telegram", "wechat"],
    "distribution.audience_max": 7000,
    "incident.posted_on": "2026-03-01",
}
EVIDENCE = [
    {"kind": "image", "platform": "telegram", "reference": "https://t.me/c/1/10",
     "poster": "@ex_1"},
    {"kind": "screenshot", "platform": "wechat", "reference": "wechat-moments-post-7",
     "poster": "ex_wx"},
    {"kind": "image", "platform": "", "reference": "", "name": "my_original.jpg",
     "role": "reference"},
    {"kind": "screenshot", "platform": "telegram", "reference": "private chat",
     "role": "context"},
]


def _docs(code, facts, kinds, details=None):
    return service.build_documents(JURISDICTIONS[code], facts, details or {}, EVIDENCE, kinds,
                                   today=TODAY)


@pytest.mark.parametrize("code", sorted(JURISDICTIONS))
def test_every_route_that_makes_a_report_or_complaint_names_an_addressee(code):
    for route in JURISDICTIONS[code].routes:
        if {"police_report", "civil_complaint"} & set(route.documents):
            assert route.addressee, route.id
        if "takedown_notice" in route.documents:
            assert route.notice_template in NOTICE_TEMPLATES, route.id


def test_cn_police_report_is_addressed_to_a_police_station_not_help_text():
    doc = _docs("cn", CN_FACTS, ["police_report"])[0]
    assert doc.addressee == "＿＿市公安局＿＿分局（派出所）"
    tail = html.render_html(doc).split('class="addressee"', 1)[1].split("</div>", 1)[0]
    assert "此致" in tail and "＿＿市公安局＿＿分局（派出所）" in tail
    for help_text in ("110", "；", "可以到", "人民法院"):
        assert help_text not in tail


def test_cn_civil_complaint_goes_to_the_court_she_names_else_a_blank_court():
    assert _docs("cn", CN_FACTS, ["civil_complaint"])[0].addressee == "＿＿人民法院"
    named = _docs("cn", CN_FACTS, ["civil_complaint"], {"court": "上海市长宁区人民法院"})[0]
    assert named.addressee == "上海市长宁区人民法院"


def test_us_documents_leave_out_the_id_number_by_the_rule_files_omit_details():
    assert "victim.id_number" in JURISDICTIONS["us"].omit_details
    facts = {"content.kinds": ["intimate_image"], "content.shared_with_consent": False,
             "victim.is_minor": False, "distribution.platforms": ["x"]}
    for doc in _docs("us", facts, ["police_report", "takedown_notice"]):
        assert "victim.id_number" not in doc.details


def test_one_notice_per_platform_naming_only_that_platforms_posts():
    notices = _docs("cn", CN_FACTS, ["takedown_notice"])
    to_platform = [d for d in notices if d.variant != "authority_report"]
    assert {d.platform for d in to_platform} == {"telegram", "wechat"}
    for doc in to_platform:
        listed = {item.reference for item in doc.platform_items}
        assert listed == {"https://t.me/c/1/10"} if doc.platform == "telegram" \
            else listed == {"wechat-moments-post-7"}
        markup = html.render_html(doc)
        # Her own original and the private chat are never content to remove.
        assert "my_original.jpg" not in markup and "private chat" not in markup


def test_notices_are_addressed_to_the_directorys_entity_with_its_channels():
    notices = _docs("cn", CN_FACTS, ["takedown_notice"])
    wechat = next(d for d in notices if d.platform == "wechat" and d.variant == "civil_code_1195")
    assert wechat.addressee == "深圳市腾讯计算机系统有限公司（微信）"
    markup = html.render_html(wechat)
    assert "致：深圳市腾讯计算机系统有限公司（微信）投诉处理部门" in markup
    assert "https://weixin110.qq.com" in markup
    telegram = next(d for d in notices if d.platform == "telegram"
                    and d.variant == "civil_code_1195")
    assert "abuse@telegram.org" in html.render_html(telegram)
    report = next(d for d in notices if d.variant == "authority_report")
    assert report.addressee == "违法和不良信息举报中心"


def test_each_notice_template_has_a_template_file():
    from caseprep import paths

    folder = paths.resource_dir("templates") / "documents" / "takedown_notice"
    for name in NOTICE_TEMPLATES:
        assert (folder / f"{name}.html").is_file(), name


def test_the_evidence_list_says_her_original_proves_who_is_shown():
    doc = _docs("cn", CN_FACTS, ["evidence_list"])[0]
    original = next(i for i in doc.evidence if i.role == "reference")
    assert doc.proves(original) == "原始照片，证明被发布照片中的人是本人"
