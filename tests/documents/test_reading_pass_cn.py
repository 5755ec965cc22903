"""Defects found by reading every page of the motivating case's packet (cn, zh_Hans interface)
as its recipients would, in the three police situations: not reported yet, refused in writing
(with the notice's date), and an administrative penalty imposed (issue 11, "done when").

Readers: the police officer (控告书, 刑事复议申请书), the procurator (立案监督申请书), the court
clerk (民事起诉状, 人格权侵害禁令申请书, 刑事自诉状), Telegram's and WeChat's reviewers (the
notices, and her Chinese copies of the English ones), the poster's lawyer (律师函). One test per
kind of defect; the case is that of test_recipient_reading.
"""

from __future__ import annotations

import datetime as dt
import re
from html import unescape

import pytest

from caseprep.documents import html, service
from caseprep.documents.pdf import render_pdf
from caseprep.rules import load_jurisdictions
from tests.documents.helpers import pdf_text
from tests.documents.test_recipient_reading import CN_DETAILS, CN_EVIDENCE

CN = load_jurisdictions()["cn"]
TODAY = dt.date(2025, 7, 1)
BASE = {**next(s for s in CN.scenarios if s.name.startswith("motivating case (issue 10)")).facts,
        "victim.is_minor": False}
SITUATIONS = {
    "not_reported": {**BASE, "police.reported": False},
    "refused": {**BASE, "police.reported": True, "police.reported_on": "2025-05-06",
                "police.response": "refused_in_writing", "police.response_on": "2025-06-27"},
    "penalty": {**BASE, "police.reported": True, "police.reported_on": "2025-05-06",
                "police.response": "penalty_imposed", "police.response_on": "2025-05-20"},
}
# Papers for an authority, a court or the poster's lawyer (not the notices: those lead their
# provisions with the basis they rest on).
FILINGS = ("police_report", "civil_complaint", "injunction_application", "private_prosecution",
           "reconsideration_application", "supervision_application", "demand_letter")
_CJK = "\u4e00-\u9fff"


def _text(markup: str) -> str:
    body = markup.split("<body", 1)[1]
    return re.sub(r"\s+", "", re.sub(r"<[^>]+>", "", body))


@pytest.fixture(scope="module")
def packets():
    """{situation: [(doc, markup)]}: every document she downloads from the Chinese interface,
    the filing versions and her Chinese copies of the English notices."""
    out = {}
    for name, facts in SITUATIONS.items():
        docs = service.packet_documents(CN, dict(facts), CN_DETAILS, CN_EVIDENCE, None,
                                        "zh_Hans", TODAY)
        out[name] = [(doc, html.render_html(doc)) for doc in docs]
    return out


def _one(packets, situation, kind):
    return next((d, m) for d, m in packets[situation] if d.kind == kind)


def test_an_administrative_complaint_does_not_close_by_asking_for_a_criminal_investigation(
        packets):
    """The 控告书 asked to 查处 a PSAPL violation, then closed "特请求公安机关依法立案侦查"."""
    for situation in ("not_reported", "refused"):
        doc, markup = _one(packets, situation, "police_report")
        assert not [r for r in doc.claimed_offences if r["kind"] == "criminal"]
        text = _text(markup).split("证据清单", 1)[0]
        assert "立案侦查" not in text, situation
        assert "依法调查处理" in text
    # After a penalty the report is about the crime: that is a request to investigate.
    _doc, markup = _one(packets, "penalty", "police_report")
    assert "依法立案侦查" in _text(markup)


def test_every_list_of_provisions_in_a_filing_is_introduced_by_a_sentence(packets):
    """The 自诉状 and 立案监督申请书 went from the facts straight to "1.《…》"; the 禁令申请书
    printed a one-item list "1.《民法典》第九百九十七条" that its next sentence cites again; the
    复议申请书 said "可能构成犯罪……相关规定如下：" over the rules on 复议 itself."""
    seen = set()
    for situation, docs in packets.items():
        for doc, markup in docs:
            if doc.kind not in FILINGS or not doc.lang.startswith("zh"):
                continue
            body = markup.split("<body", 1)[1]
            for before in re.split(r'<ol class="citations">', body)[:-1]:
                seen.add(doc.kind)
                last = re.findall(r"<p[^>]*>(.*?)</p>", before, flags=re.S)[-1]
                lead = re.sub(r"\s+", "", re.sub(r"<[^>]+>", "", last))
                assert lead.endswith("："), (situation, doc.kind, lead)
                assert "构成犯罪" not in lead or doc.kind == "police_report", (doc.kind, lead)
    assert {"private_prosecution", "supervision_application",
            "reconsideration_application"} <= seen
    doc, markup = _one(packets, "not_reported", "injunction_application")
    assert _text(markup).count("第九百九十七条") == 1 or len(doc.grounds) > 1


def test_no_stray_space_inside_chinese_sentences(packets):
    """"附：本起诉状副本 1 份；证据材料 6 项。", "共 6 项：图片 1 项、截图 5 项。",
    "第一百七十九条第一款 （条文表述有待与官方文本核对）", "状态 草案"."""
    gap = re.compile(rf"[{_CJK}，。：；）] +[\d{_CJK}（]|\d +[{_CJK}（]")
    for situation, docs in packets.items():
        for doc, markup in docs:
            # Her checklist, and the evidence list's cells (a space parts platform from poster),
            # are not read here.
            if not doc.lang.startswith("zh") or doc.kind in ("evidence_checklist",
                                                             "evidence_list"):
                continue
            body = re.sub(r"<[^>]+>", "", markup.split("<body", 1)[1])
            for line in body.splitlines():
                assert not gap.search(line.strip()), (situation, doc.kind, line.strip())


def test_the_draft_note_is_written_in_chinese_not_as_fields(packets):
    """"（规则版本 2026.11.9，状态 草案，审阅日期 2026-11-27）"."""
    doc, markup = _one(packets, "not_reported", "civil_complaint")
    note = _text(markup).split("本草稿由", 1)[1]
    assert "状态草案" not in note
    assert not re.search(r"\d{4}-\d{2}-\d{2}", note), note
    assert "规则版本" in note


def test_her_copy_of_a_notice_to_a_platform_names_the_platform_not_an_authority(packets):
    """Her Chinese copy of the English notice to Telegram said to file "主管机关所用语言的版本"."""
    copies = [(d, m) for d, m in packets["not_reported"]
              if d.kind == "takedown_notice" and not d.for_filing]
    assert copies
    for doc, markup in copies:
        text = _text(markup)
        assert "译本仅供您理解内容，不可用于提交" in text
        assert "主管机关" not in text, doc.file_stem


def test_an_english_notice_numbers_chinese_articles_in_english(packets):
    """Telegram read "Copyright Law of the PRC (2020 amendment), art. 10(1)(十二); 11" and
    "Civil Code…, art. 1194; 1196; 1197"."""
    english = [(d, m) for d, m in packets["not_reported"]
               if d.kind == "takedown_notice" and d.lang == "en"]
    assert {d.platform for d, _ in english} == {"telegram"}
    seen = []
    for doc, _markup in english:
        for citation in doc.citations:
            printed = unescape(str(doc.citation(citation)))
            seen.append(printed)
            assert not re.search(f"[{_CJK}]", printed), printed
            assert ";" not in printed, printed
    assert "Civil Code of the People's Republic of China, arts. 1194, 1196 and 1197" in seen
    assert "Copyright Law of the PRC (2020 amendment), arts. 10(1)(12) and 11" in seen
    assert "Civil Code of the People's Republic of China, art. 1195" in seen


def test_her_own_account_in_the_complaint_carries_no_instruction_to_her(packets):
    """Page 3 of the 控告书 told the police officer "提交前可自行修改"."""
    for situation in SITUATIONS:
        _doc, markup = _one(packets, situation, "police_report")
        account = _text(markup).split("附件一：控告人陈述", 1)[1]
        assert "提交前" not in account and "修改" not in account, situation
        assert account.startswith("以下为控告人本人的陈述。")


def test_the_procurator_reads_when_the_police_decided(packets):
    """"公安机关书面决定不予立案" with the notice's date known but not stated."""
    for situation, decided in (("refused", "于2025年6月27日书面决定不予立案"),
                               ("penalty", "于2025年5月20日")):
        _doc, markup = _one(packets, situation, "supervision_application")
        assert decided in _text(markup), situation


def test_papers_after_the_police_say_no_name_the_person_complained_of(packets):
    """The 复议 and 立案监督 applications spoke of "被控告人" without ever saying who he is."""
    for situation, kind in (("refused", "reconsideration_application"),
                            ("refused", "supervision_application"),
                            ("penalty", "supervision_application")):
        _doc, markup = _one(packets, situation, kind)
        head = _text(markup).split("申请事项", 1)[0]
        assert "被控告人" in head and "王某" in head and "@wang_ex" in head, (situation, kind)


def test_the_evidence_list_does_not_call_her_the_plaintiff():
    """The 证据目录 goes with the 控告书 too: "证明原告（本人）的图片被发布的事实"."""
    evidence = [*CN_EVIDENCE,
                {"kind": "image", "platform": "telegram", "poster": "@wang_ex",
                 "reference": "https://t.me/c/1234567/13", "posted_at": "2025-04-20T20:00:00"}]
    (doc,) = service.build_documents(CN, dict(SITUATIONS["not_reported"]), CN_DETAILS,
                                     evidence, ["evidence_list"], today=TODAY)
    text = _text(html.render_html(doc))
    assert "原告" not in text
    assert "证明本人的图片被发布的事实" in text


def _pages(doc) -> list[str]:
    pdf = render_pdf(html.render_html(doc))
    return [re.sub(r"\s+", "", page) for page in pdf_text(pdf).split("\f") if page.strip()]


def test_a_provision_and_its_quoted_text_stay_on_one_page(packets):
    """The 复议 and 立案监督 applications (and the 控告书) ended a page with a provision and began
    the next with its "原文：…": the officer turns the page to read what the article says."""
    checked = 0
    for situation, kind in (("refused", "reconsideration_application"),
                            ("refused", "supervision_application"),
                            ("not_reported", "police_report")):
        doc, _markup = _one(packets, situation, kind)
        title = re.sub(r"\s+", "", str(doc.t(_TITLES[kind])))
        for page in _pages(doc)[1:]:
            checked += 1
            assert not page.removeprefix(title).startswith("原文"), (situation, kind, page[:60])
    assert checked >= 4


_TITLES = {"reconsideration_application": "reconsider.title",
           "supervision_application": "supervise.title", "police_report": "cn.complaint.title"}


def test_an_attachment_refers_to_a_list_the_reader_has(packets):
    """The 复议申请书 attached "证据材料6份（见证据清单）" and has no 证据清单: the list is the
    packet's separate 证据目录."""
    doc, markup = _one(packets, "refused", "reconsideration_application")
    text = _text(markup)
    assert "证据清单" not in text
    assert f"证据材料{len(doc.evidence)}份（见证据目录）" in text
    listing = _one(packets, "refused", "evidence_list")[0]
    assert str(listing.t("list.title")) == "证据目录"
    # The 控告书 has its own 证据清单, and refers to it.
    assert "（见证据清单）" in _text(_one(packets, "refused", "police_report")[1])


def test_she_signs_on_the_page_of_what_she_declares(packets):
    """Her Chinese copy of the notice to Telegram ended page 1 with 声明 and its sentence and
    began page 2 with "通知人（签名）": a signature on a page that declares nothing."""
    checked = set()
    for doc, _markup in packets["not_reported"]:
        if doc.kind != "takedown_notice" or doc.variant == "authority_report":
            continue
        signer, declares = (("Persongivingnotice(signature)", "Ideclare") if doc.lang == "en"
                            else ("通知人（签名）", "通知人保证"))
        page = next(p for p in _pages(doc) if signer in p)
        assert declares in page, doc.file_stem
        checked.add((doc.platform, doc.lang))
    assert {("telegram", "zh_Hans"), ("telegram", "en"), ("wechat", "zh_Hans")} <= checked


def test_a_notice_to_a_platform_states_its_basis_not_a_route_title(packets):
    """The notices to WeChat and Telegram headed their provisions with the route's title for
    her, "通知平台删除（民法典第一千一百九十五条）" / "Notice to the platform to remove it (Civil
    Code art. 1195)": a label of the app, and a law named without its title marks."""
    checked = set()
    for doc, markup in packets["not_reported"]:
        if doc.kind != "takedown_notice" or doc.variant not in ("civil_code_1195",
                                                                 "icn_copyright"):
            continue
        text = _text(markup)
        assert re.sub(r"\s+", "", doc.basis_route["title"]) not in text, doc.file_stem
        intro = re.sub(r"\s+", "", str(doc.t("takedown.law_intro")))
        assert intro.endswith(("：", ":")) and intro in text, doc.file_stem
        checked.add((doc.variant, doc.lang))
    assert {("civil_code_1195", "en"), ("civil_code_1195", "zh_Hans"),
            ("icn_copyright", "en"), ("icn_copyright", "zh_Hans")} <= checked


def test_a_complaint_after_a_refusal_says_what_the_police_already_decided():
    """After a written refusal the 控告书 read as if the police had never heard of the case."""
    facts = SITUATIONS["refused"]
    (doc,) = service.build_documents(CN, dict(facts), CN_DETAILS, CN_EVIDENCE, ["police_report"],
                                     today=TODAY)
    text = _text(html.render_html(doc)).split("证据清单", 1)[0]
    assert ("控告人已于2025年5月6日就上述行为向公安机关报案，"
            "公安机关于2025年6月27日书面决定不予立案。") in text
    (first,) = service.build_documents(CN, dict(SITUATIONS["not_reported"]), CN_DETAILS,
                                       CN_EVIDENCE, ["police_report"], today=TODAY)
    assert "报案，" not in _text(html.render_html(first))


def test_chinese_channel_paths_use_chinese_quotation_marks(packets):
    """WeChat's in-app path read 右上角"…" → 投诉 → "存在侵权行为…" with ASCII quotes."""
    seen = 0
    for doc, _markup in packets["not_reported"]:
        if doc.kind == "takedown_notice" and doc.lang.startswith("zh"):
            for channel in doc.channels:
                text = " ".join(str(v) for v in channel.values() if isinstance(v, str))
                seen += 1
                assert '"' not in text, (doc.platform, text)
    assert seen


def test_the_evidence_list_shows_where_the_count_comes_from(packets):
    """The 证据目录 said "共6项：图片1项、截图5项" and nowhere how many photos each screenshot
    shows, or which item is her own original: the 34 of the 控告书 could not be traced."""
    doc, markup = _one(packets, "refused", "evidence_list")
    text = _text(markup)
    shown = [int(n) for n in re.findall(r"截图（含图片(\d+)张）", text)]
    images = sum(1 for i in doc.evidence if i.is_publication and i.kind == "image")
    assert sum(shown) + images == doc.fact("evidence.images_count") == 34
    assert "图片（本人原图，用于比对）" in text and text.count("截图（背景材料）") == 2


def test_the_complaint_asks_for_the_rest_in_the_same_sentence(packets):
    """控告事项 read "……追究其法律责任。并请依法查明……": a sentence may not begin with 并."""
    _doc, markup = _one(packets, "not_reported", "police_report")
    matter = _text(markup).split("控告事项", 1)[1].split("事实与理由", 1)[0]
    assert "。并" not in matter
    assert "追究其法律责任，并请依法查明其行为是否还构成其他违法犯罪。" in matter


def test_chinese_papers_write_large_numbers_without_a_thousands_comma(packets):
    """"约有7,000人": Chinese text writes 7000 (GB/T 15835-2011 allows no comma in prose)."""
    for doc, markup in packets["not_reported"]:
        if doc.lang.startswith("zh") and doc.kind in FILINGS:
            text = _text(markup)
            assert "7,000" not in text, doc.kind
    assert "约有7000人" in _text(_one(packets, "not_reported", "police_report")[1])


def test_a_complaint_lists_each_article_once_in_the_codes_order(packets):
    """The 民事起诉状 cited 第一千零三十四条 three times (whole, 第二款, 第三款) among 14
    provisions in the order the routes happened to list them; a lawyer cites each article
    once, in the code's order."""
    doc, markup = _one(packets, "not_reported", "civil_complaint")
    text = _text(markup)
    liability = text.split("应当承担侵权责任", 1)[1].split("故贵院对本案有管辖权", 1)[0]
    assert liability.count("第一千零三十四条") == 1
    cited = [c for c in doc.grounds if c["source"] == "civil_code"]
    numbers = [int(re.match(r"\d+", c["article"]).group()) for c in cited]
    assert numbers == sorted(numbers)
    assert liability.index("第九百九十条") < liability.index("第一千零一十九条") \
        < liability.index("第一千零三十二条")


def test_papers_plead_the_provision_broken_not_its_penalty_or_the_rule_on_time(packets):
    """The 控告书 listed PSAPL art. 42's penalty clause and Administrative Penalty Law art. 37
    (which law applies over time) as if he broke them; the 复议申请书 cited the later 复核
    step (art. 179(2)). Those citations carry their role in cn.yaml and are not pleaded."""
    doc, markup = _one(packets, "not_reported", "police_report")
    assert [c["article"] for c in doc.offence_grounds] == ["42(二), (六)"]
    text = _text(markup)
    assert "第四十二条第（二）项、第（六）项" in text or "第四十二条第二项、第六项" in text
    assert "行政处罚法》第三十七条" not in text and "五百元以下罚款" not in text
    doc, markup = _one(packets, "refused", "reconsideration_application")
    assert [c["article"] for c in doc.citations] == ["179(1)"]
    text = _text(markup)
    assert "第一百七十九条第一款" in text and "第一百七十九条第二款" not in text


def test_her_checklist_does_not_count_down_a_period_her_report_stopped(packets):
    """The PSAPL's six months run until the police learn of the act: after her report of
    2025-05-06 the checklist still said 截止日期 2025年10月20日, as if she had yet to act."""
    _doc, refused = _one(packets, "refused", "evidence_checklist")
    _doc, not_reported = _one(packets, "not_reported", "evidence_checklist")
    assert "已于2025年5月6日办理，此期限不再计算" in _text(refused)
    assert "截止日期：2025年10月20日" not in _text(refused)
    assert "截止日期：2025年10月20日" in _text(not_reported)
