"""Defects found by reading every page of the motivating case (cn, zh_Hans) and a US adult case
(en) as their recipients would (issue 11, "done when"); one test per kind of defect.

The cases: her ex posted 34 of her everyday WeChat photos in a Telegram group of about 7,000;
she has three screenshots of the group (12, 12 and 10 photos), her own original, the group's
member count and their private chat; the police detained him for five days. The US case: an
ex-partner posted an intimate photo on Reddit and X.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from caseprep.documents import html, service
from caseprep.documents.pdf import render_pdf
from caseprep.rules import load_jurisdictions
from tests.documents.helpers import pdf_text

JURISDICTIONS = load_jurisdictions()
CN_TODAY = dt.date(2025, 7, 1)
CN_FACTS = {
    **next(s for s in JURISDICTIONS["cn"].scenarios
           if s.name.startswith("motivating case (issue 10)")).facts,
    "victim.is_minor": False,
    "police.reported": True, "police.reported_on": "2025-05-06",
    "police.response": "penalty_imposed", "police.response_on": "2025-05-20",
}
CN_REFUSED = {**CN_FACTS, "police.response": "refused_in_writing",
              "police.response_on": "2025-06-27"}
CN_ID = "110101199001011234"
CN_DETAILS = {"victim.name": "李某某", "victim.id_number": CN_ID,
              "victim.contact": "138 0000 0000", "victim.address": "北京市朝阳区某某路1号",
              "perpetrator.name": "王某", "perpetrator.handles": "@wang_ex"}
CN_EVIDENCE = [
    {"kind": "image", "role": "reference", "name": "my_wechat_moments_01.jpg"},
    *({"kind": "screenshot", "platform": "telegram", "images_shown": shown, "poster": "@wang_ex",
       "reference": f"https://t.me/c/1234567/{n}", "posted_at": "2025-04-20T20:00:00"}
      for n, shown in ((10, 12), (11, 12), (12, 10))),
    {"kind": "screenshot", "platform": "telegram", "role": "context",
     "reference": "https://t.me/c/1234567", "notes": "群成员数截图"},
    {"kind": "screenshot", "platform": "wechat", "role": "context", "reference": "微信私聊"},
]
US_TODAY = dt.date(2026, 11, 25)
US_FACTS = {
    **next(s for s in JURISDICTIONS["us"].scenarios
           if s.name.startswith("ex-partner posts a real intimate image")).facts,
    "perpetrator.identified": True, "distribution.platforms": ["reddit", "x"],
}
US_DETAILS = {"victim.name": "Jordan Rivera", "perpetrator.name": "Alex Morgan",
              "victim.contact": "jordan@example.com", "perpetrator.handles": "u/ex_77"}
US_EVIDENCE = [
    {"kind": "image", "role": "reference", "name": "original.jpg"},
    {"kind": "screenshot", "platform": "reddit", "images_shown": 2, "poster": "u/ex_77",
     "reference": "https://www.reddit.com/r/example/comments/abc123/",
     "posted_at": "2026-10-01T21:14:00"},
    {"kind": "image", "platform": "x", "poster": "@ex_77", "posted_at": "2026-10-01T22:00:00",
     "reference": "https://x.com/ex_77/status/1840000000000000000"},
    {"kind": "screenshot", "role": "context", "reference": "text messages"},
]


def _docs(code, facts, kinds, details, evidence, today):
    out = []
    for doc in service.build_documents(JURISDICTIONS[code], dict(facts), details, evidence,
                                       kinds, today=today):
        body = html.render_html(doc).split("<body", 1)[1]
        out.append((doc, re.sub(r"\s+", "", re.sub(r"<[^>]+>", "", body))))
    return out


@pytest.fixture(scope="module")
def cn_docs():
    return _docs("cn", CN_FACTS, None, CN_DETAILS, CN_EVIDENCE, CN_TODAY)


@pytest.fixture(scope="module")
def us_docs():
    return _docs("us", US_FACTS, None, US_DETAILS, US_EVIDENCE, US_TODAY)


def test_her_id_number_goes_only_to_a_platform_bound_by_the_law_that_asks_for_it(cn_docs):
    """A notice to Telegram (not based in China) carried her ID number though she gave it
    only for the filings that need it."""
    notices = [(doc, text) for doc, text in cn_docs if doc.kind == "takedown_notice"]
    by_platform = {(doc.platform, doc.variant): text for doc, text in notices}
    assert ("telegram", "civil_code_1195") in by_platform
    for (platform, _variant), text in by_platform.items():
        if platform == "telegram":
            assert CN_ID not in text
    assert CN_ID in by_platform[("wechat", "civil_code_1195")]
    police = next(text for doc, text in cn_docs if doc.kind == "police_report")
    assert CN_ID in police


def test_no_count_of_zero_is_stated_as_a_fact(cn_docs, us_docs):
    """"共发布图片34张、视频0个" / "3 of Plaintiff's images and 0 videos" read as a form."""
    for doc, text in cn_docs + us_docs:
        if doc.kind == "evidence_checklist":  # her own list of what she has: 0 is an answer
            continue
        assert "视频0个" not in text and "0videos" not in text, doc.kind
    police = next(text for doc, text in cn_docs if doc.kind == "police_report")
    assert "被控告人共发布控告人的图片34张。" in police
    complaint = next(text for doc, text in us_docs if doc.kind == "civil_complaint")
    assert "published3imagesofPlaintiff." in complaint


def test_where_to_sue_is_not_pleaded_as_a_ground_of_liability(cn_docs):
    """The Civil Procedure Law's venue article followed "依照下列规定应当承担侵权责任"."""
    for doc, text in cn_docs:
        if doc.kind not in ("civil_complaint", "demand_letter"):
            continue
        assert "民事诉讼法" in "".join(c["instrument"] for c in doc.procedure_citations)
        assert "民事诉讼法" not in "".join(c["instrument"] for c in doc.grounds)
        liability = text.split("应当承担侵权责任" if doc.kind == "civil_complaint"
                               else "相关规定如下", 1)[1]
        listed = liability.split("故贵院对本案有管辖权" if doc.kind == "civil_complaint"
                                 else "委托人的要求", 1)[0]
        assert "《中华人民共和国民法典》第一千零一十九条" in listed
        if doc.kind == "civil_complaint":
            venue = listed.rsplit("依照", 1)[1]
            assert venue.startswith("《中华人民共和国民事诉讼法》第二十九条")
            assert "由侵权行为地或者被告住所地人民法院管辖" in venue
            listed = listed.rsplit("依照", 1)[0]
        assert "民事诉讼法" not in listed, doc.kind


def test_criminal_procedure_papers_never_name_an_administrative_violation():
    """复议, 立案监督 and 自诉 asked to "立案侦查" / "追究刑事责任" for 治安管理处罚法 art. 42."""
    admin = [r.title["zh_Hans"] for r in JURISDICTIONS["cn"].routes
             if r.kind == "administrative"]
    papers = _docs("cn", CN_REFUSED, ["reconsideration_application", "supervision_application"],
                   CN_DETAILS, CN_EVIDENCE, CN_TODAY)
    papers += _docs("cn", CN_FACTS, ["private_prosecution"], CN_DETAILS, CN_EVIDENCE, CN_TODAY)
    assert {doc.kind for doc, _ in papers} == {"reconsideration_application",
                                              "supervision_application", "private_prosecution"}
    for doc, text in papers:
        for title in admin:
            assert re.sub(r"\s+", "", title) not in text, (doc.kind, title)
    reconsider = next(text for doc, text in papers if doc.kind == "reconsideration_application")
    # No crime is met on her facts: the request names none (undecided ones are not claimed).
    assert "依法对本案立案侦查" in reconsider and "侮辱罪" not in reconsider
    # No crime is met on her facts: the charge is for her lawyer to write, never a default.
    private = next(text for doc, text in papers if doc.kind == "private_prosecution")
    assert "被告人涉嫌【待补充：罪名（例如侮辱罪、诽谤罪，请与律师商定）】" in private


def test_dates_in_chinese_papers_are_written_the_chinese_way():
    """The reconsideration deadline printed as 2025-07-04."""
    (doc, text), = _docs("cn", CN_REFUSED, ["reconsideration_application"], CN_DETAILS,
                         CN_EVIDENCE, CN_TODAY)
    assert "截止日期：2025年7月4日" in text
    assert not re.search(r"\d{4}-\d{2}-\d{2}", text.split("此致", 1)[0])


def test_the_signature_line_names_the_signer_once(cn_docs, us_docs):
    """"Signature (signature): ____" on the notices to Telegram, Reddit and X."""
    for doc, text in cn_docs + us_docs:
        assert not re.search(r"(?i)signature\(signature\)", text), doc.kind
        assert "签名（签名）" not in text


def test_evidence_tables_say_what_each_item_is_and_add_up_to_the_count(cn_docs, us_docs):
    """The police report's list showed her own original and the private chat like any
    posting, and no screenshot said how many photos it shows: 34 came from nowhere."""
    for docs, original, context, shown in (
            (cn_docs, "（本人原图，用于比对）", "（背景材料）", r"（含图片(\d+)张）"),
            (us_docs, "(original,forcomparison)", None, r"showing(\d+)images?")):
        for doc, text in docs:
            if doc.kind not in ("police_report", "civil_complaint"):
                continue
            table = text.split(re.sub(r"\s+", "", str(doc.t("col.posted_at"))), 1)[1]
            assert original in table, doc.kind
            if context:
                assert table.count(context) == 2
            numbers = [int(n) for n in re.findall(shown, table)]
            images = sum(1 for i in doc.evidence if i.is_publication and i.kind == "image")
            assert sum(numbers) + images == doc.fact("evidence.images_count"), doc.kind


def test_the_report_counts_only_posts_by_date(us_docs):
    """"Posts recorded in the evidence log, by date" counted her original and a private chat
    as two posts of unknown date."""
    doc, text = next((d, t) for d, t in us_docs if d.kind == "police_report")
    assert sum(row["count"] for row in doc.timeline) == 2
    assert "dateunknown" not in text


def test_english_sentences_name_two_platforms_with_and(us_docs):
    """"published Plaintiff's private intimate photos on Reddit, X (Twitter)"."""
    for kind in ("civil_complaint", "demand_letter"):
        text = next(t for d, t in us_docs if d.kind == kind)
        assert "onRedditandX(Twitter)" in text, kind


def test_a_blank_names_the_party_as_the_paper_does(cn_docs):
    """The injunction application asked to complete "被告身份信息" of the 被申请人."""
    for doc, text in cn_docs:
        if doc.kind in ("injunction_application", "private_prosecution"):
            assert "被告身份信息" not in text, doc.kind
            assert "对方的身份信息" in text, doc.kind


def _pdf_pages(doc) -> list[str]:
    pdf = render_pdf(html.render_html(doc))
    return [re.sub(r"\s+", "", page) for page in pdf_text(pdf).split("\f")]


def test_page_breaks_keep_the_addressee_and_the_attachments_together():
    """此致 ended the first page of the supervision application and its procuratorate began
    the second; the police report's third attachment stood alone on a page."""
    (supervision, _), = _docs("cn", CN_REFUSED, ["supervision_application"], CN_DETAILS,
                              CN_EVIDENCE, CN_TODAY)
    (police, _), = _docs("cn", CN_FACTS, ["police_report"], CN_DETAILS, CN_EVIDENCE, CN_TODAY)
    for doc in (supervision, police):
        pages = _pdf_pages(doc)
        with_intro = [page for page in pages if "此致" in page]
        assert len(with_intro) == 1 and doc.addressee in with_intro[0], doc.kind
    attachments = [str(police.t(key, n=len(police.evidence))) for key in (
        "cn.complaint.attachment_account", "cn.complaint.attachment_evidence",
        "cn.complaint.attachment_id")]
    pages = _pdf_pages(police)
    holding = [p for p in pages if any(re.sub(r"\s+", "", a) in p for a in attachments)]
    assert len(holding) == 1, "the attachments list is split across pages"


def test_the_us_complaint_introduces_the_provisions_after_the_elements(us_docs):
    """Six numbered elements were followed by six numbered citations with no sentence
    between: a clerk reads twelve paragraphs, two numbered 1."""
    text = next(t for d, t in us_docs if d.kind == "civil_complaint")
    count = text.split("Count1:", 1)[1].split("Prayerforrelief", 1)[0]
    assert count.index("emotionaldistress.") < count.index(
        "DefendantisthereforeliabletoPlaintiffunderthefollowingprovisions:") < count.index(
        "15U.S.C.§6851(b)(1)(A)")


@pytest.mark.parametrize("code", ["cn", "us"])
def test_route_titles_printed_in_papers_to_others_are_not_addressed_to_her(code):
    """"Threatening to expose you…" in a report to the FBI, "photos you took yourself" in a
    DMCA notice to X's agent: a route title written for her reads wrong to its recipient."""
    for route in JURISDICTIONS[code].routes:
        if {"police_report", "takedown_notice", "civil_complaint"} & set(route.documents):
            assert not re.search(r"(?i)\b(you|your|yourself)\b", route.title["en"]), route.id


def test_a_notice_names_only_the_channels_that_take_it(us_docs):
    """The DMCA notice to X's copyright agent said to send it through X's TAKE IT DOWN form."""
    by_notice = {(d.platform, d.variant): t for d, t in us_docs if d.kind == "takedown_notice"}
    assert "take-it-down" in by_notice[("x", "take_it_down")]
    dmca = by_notice[("x", "dmca")]
    assert "take-it-down" not in dmca and "TakeItDownAct" not in dmca
    assert "dmca.copyright.gov" in dmca
    assert "Non-consensualintimatemedia" not in by_notice[("reddit", "dmca")]


def test_an_administrative_violation_is_not_asked_to_be_investigated_as_a_crime():
    """Only PSAPL art. 42 was met, and the 控告书 asked the police to "依法立案侦查" it. (Refused
    in writing: after a penalty the same act is not reported again, test_cn_offence_papers.)"""
    (doc, text), = _docs("cn", CN_REFUSED, ["police_report"], CN_DETAILS, CN_EVIDENCE, CN_TODAY)
    met = [r for r in doc.routes if r["status"] == "met"]
    assert met and all(r["kind"] == "administrative" for r in met)
    matter = text.split("控告事项", 1)[1].split("事实与理由", 1)[0]
    assert "请求公安机关依法受理、查处" in matter and "立案侦查" not in matter


def test_no_page_holds_only_the_draft_note():
    """The US checklist's seventh page held nothing but "Draft prepared with caseprep…"."""
    evidence = [
        {"kind": "image", "role": "reference", "name": "original.jpg", "sha256": "c" * 64,
         "captured_at": "2026-10-02T09:00:00"},
        {"kind": "screenshot", "platform": "reddit", "poster": "u/ex_partner_77",
         "reference": "https://www.reddit.com/r/example/comments/abc123/", "sha256": "d" * 64,
         "posted_at": "2026-10-01T21:14:00", "images_shown": 2},
        {"kind": "image", "platform": "x", "poster": "@ex_partner_77", "sha256": "e" * 64,
         "reference": "https://x.com/ex_partner_77/status/1840000000000000000",
         "posted_at": "2026-10-01T22:00:00"},
        {"kind": "screenshot", "role": "context", "reference": "text messages",
         "sha256": "f" * 64, "notes": "Text messages threatening to post"},
    ]
    details = {"victim.name": "Jordan Rivera", "perpetrator.name": "Alex Morgan",
               "victim.contact": "jordan.rivera@example.com, (555) 010-0123",
               "victim.address": "12 Elm Street, Springfield, IL 62701",
               "perpetrator.handles": "u/ex_partner_77, @ex_partner_77",
               "narrative": "After we broke up, my ex posted a private photo of me."}
    (doc, _), = _docs("us", US_FACTS, ["evidence_checklist"], details, evidence, US_TODAY)
    pages = [p for p in _pdf_pages(doc) if p]
    last = re.sub(r"Page\d+of\d+$", "", pages[-1]).removeprefix(
        re.sub(r"\s+", "", str(doc.t("checklist.title"))))
    assert not last.startswith("Draftpreparedwithcaseprep"), last


def test_what_counsel_completes_is_a_marked_blank(us_docs):
    """"Venue: [to be completed by counsel]" was plain text: not highlighted like the other
    blanks, easy to file as is."""
    doc = next(d for d, _ in us_docs if d.kind == "civil_complaint")
    markup = html.render_html(doc)
    venue = str(doc.t("blank.venue"))
    assert re.search(r'class="placeholder"[^>]*>' + re.escape(venue), markup)


def test_she_gets_a_copy_she_can_read_of_a_notice_in_another_language():
    """The notice to Telegram is in English (the platform's language); she signs it, and had
    no Chinese version to read what she declares."""
    files = service.generate(JURISDICTIONS["cn"], dict(CN_FACTS), CN_DETAILS, CN_EVIDENCE,
                             ["takedown_notice"], ["html"], None, CN_TODAY)
    telegram = {f.lang: f for f in files if f.name.startswith("takedown_notice-telegram-")
                and "platform_notice" in f.name}
    assert set(telegram) == {"en", "zh_Hans"}
    assert telegram["en"].for_filing and not telegram["zh_Hans"].for_filing
    copy = telegram["zh_Hans"].data.decode("utf-8")
    assert "译本仅供您理解内容，不可用于提交" in copy and "要求采取的必要措施" in copy
    # A notice already in her language gets no second copy.
    assert sum(1 for f in files if f.name.startswith("takedown_notice-wechat-")) == 2


def test_the_addressee_of_a_notice_reads_without_nested_brackets():
    """"致：Telegram Messenger Inc.（Telegram（电报））（投诉处理部门）"."""
    docs = service.build_documents(JURISDICTIONS["cn"], dict(CN_FACTS), CN_DETAILS, CN_EVIDENCE,
                                   ["takedown_notice"], "zh_Hans", CN_TODAY,
                                   notices_in_lang=True)
    addressees = {doc.platform: doc.addressee for doc in docs if doc.platform}
    assert addressees["telegram"] == "Telegram Messenger Inc.（Telegram）"
    assert addressees["wechat"] == "深圳市腾讯计算机系统有限公司（微信）"
    for doc in docs:
        if doc.platform:
            text = re.sub(r"<[^>]+>", "", html.render_html(doc))
            assert f"致：{doc.addressee}投诉处理部门" in text
