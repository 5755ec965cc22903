"""Documents from a fixed assessment: every kind renders to HTML, PDF and DOCX with the same
content, placeholders are marked and listed, and user text stays literal everywhere."""

from __future__ import annotations

import io

import docx as python_docx
import pytest

from caseprep.documents import html, model, service
from caseprep.documents.docx import render_docx
from caseprep.documents.pdf import render_pdf
from caseprep.rules import assess, load_jurisdictions
from tests.documents import sample_data as sd
from tests.documents.helpers import docx_text, docx_xml, pdf_text, printed_article, squash


def doc_title(markup: str) -> str:
    return markup.split("<title>", 1)[1].split("</title>", 1)[0]


XSS = '<script>alert("x")</script><b onmouseover=alert(1)>bold</b> & "quotes"'


def _build(kind, assessment=None, details=None, evidence=None, lang=None):
    assessment = assessment or sd.cn_assessment()
    kwargs = {}
    if kind == "takedown_notice":
        spec = next(s for s in service.plan(assessment, sd.FACTS, [kind]))
        kwargs = {"platform": spec.platform, "basis_route_id": spec.basis_route_id,
                  "variant": spec.variant}
    return model.build(kind, assessment, sd.FACTS, sd.EVIDENCE if evidence is None else evidence,
                       lang, sd.DETAILS if details is None else details, **kwargs)


@pytest.mark.parametrize("kind", model.KINDS)
def test_each_kind_renders_the_same_content_in_html_pdf_and_docx(kind):
    doc = _build(kind)
    markup = html.render_html(doc)
    pdf = pdf_text(render_pdf(markup))
    word = docx_text(render_docx(doc, markup))
    for text in (markup, pdf, word):
        assert "{{" not in text and "{%" not in text and "{#" not in text
        assert "Undefined" not in text
    if kind not in ("evidence_checklist", "pseudonym_motion"):  # the motion names Jane Doe
        assert "李某某" in pdf and "李某某" in word
    if kind in ("police_report", "civil_complaint", "evidence_list", "takedown_notice"):
        for item in sd.EVIDENCE:
            assert squash(item["reference"]) in squash(pdf)
            assert item["reference"] in word
    for route in doc.routes if kind != "evidence_checklist" else []:
        for citation in route["citations"]:
            assert squash(printed_article(doc, citation)) in squash(pdf)
            assert printed_article(doc, citation) in word
    # Same headings in both.
    word_doc = python_docx.Document(io.BytesIO(render_docx(doc, markup)))
    headings = [p.text for p in word_doc.paragraphs
                if p.style.name.startswith(("Heading", "Title"))]
    if "<h1>" in markup:
        assert headings and headings[0] == doc_title(markup)
    else:  # a captioned US pleading names itself in its caption, not above the court
        assert kind in ("civil_complaint", "pseudonym_motion") and "caption" in markup
        assert doc_title(markup) not in headings and word_doc.core_properties.title
    for heading in headings:
        assert squash(heading) in squash(pdf)


def test_missing_details_become_marked_placeholders_and_are_listed():
    doc = _build("civil_complaint", details={})
    markup = html.render_html(doc)
    assert "【待补充：对方的身份信息（性别、出生日期、民族、住所、公民身份号码等）】" \
        in doc.placeholders
    assert doc.addressee == "＿＿人民法院"  # the rule file's blank, marked
    for placeholder in doc.placeholders:
        assert placeholder in markup
    assert markup.count('class="placeholder"') >= len(doc.placeholders)
    word = render_docx(doc, markup)
    assert "【待补充：本人姓名】" in docx_text(word)
    assert 'w:highlight w:val="yellow"' in docx_xml(word)
    assert "＿＿人民法院" in pdf_text(render_pdf(markup))


def test_given_details_leave_no_placeholder():
    details = {"victim.name": "王某", "victim.id_number": "110101199001011234",
               "victim.address": "北京市", "victim.contact": "1380000", "perpetrator.name": "张某",
               "perpetrator.id_info": "男", "court": "北京互联网法院", "claims.amount": "50000"}
    doc = _build("civil_complaint", details=details)
    assert doc.placeholders == []
    assert "北京互联网法院" in html.render_html(doc)


def test_english_placeholders_in_an_english_filing():
    doc = _build("civil_complaint", assessment=sd.us_assessment(), details={})
    assert "[TO BE COMPLETED: your full legal name]" in doc.placeholders
    # The rule file's omit_details: no national ID number in US filings.
    assert not any("ID number" in p for p in doc.placeholders)
    assert doc.addressee == "United States District Court for the ＿＿ District of ＿＿"


def test_the_checklist_lists_gaps_and_every_placeholder():
    jurisdiction_free = sd.cn_assessment()
    doc = _build("evidence_checklist", assessment=jurisdiction_free)
    doc.all_placeholders = ["【待补充：本人住址】"]
    text = pdf_text(render_pdf(html.render_html(doc)))
    assert "现有34，标准400（图片数量）" in text
    assert "【待补充：本人住址】" in text
    assert "对网页和聊天记录进行公证或可信时间戳取证" in text


def test_version_in_the_persons_language_is_marked_not_for_filing():
    doc = _build("police_report", lang="en")
    assert not doc.for_filing
    markup = html.render_html(doc)
    assert "not for filing" in markup
    assert "not for filing" in pdf_text(render_pdf(markup))
    assert "not for filing" in docx_text(render_docx(doc, markup))
    assert "not for filing" not in html.render_html(_build("police_report"))


@pytest.mark.parametrize("kind", ["police_report", "civil_complaint"])
def test_xss_looking_narrative_is_literal_text_in_html_pdf_and_docx(kind):
    details = dict(sd.DETAILS, narrative=XSS, **{"victim.name": "<i>Eve</i>"})
    if kind == "civil_complaint":  # prints her address, not her own account
        details["victim.address"] = XSS
    doc = _build(kind, details=details)
    markup = html.render_html(doc)
    assert "<script>" not in markup and "<b onmouseover" not in markup
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in markup
    assert "&lt;i&gt;Eve&lt;/i&gt;" in markup
    assert squash(XSS) in squash(pdf_text(render_pdf(markup)))
    word = docx_text(render_docx(doc, markup))
    assert XSS in word and "<i>Eve</i>" in word


def test_narrative_keeps_its_line_breaks_in_docx():
    doc = _build("police_report", details=dict(sd.DETAILS, narrative="第一行\n第二行"))
    xml = docx_xml(render_docx(doc, html.render_html(doc)))
    assert "第一行</w:t></w:r><w:r><w:br/>" in xml


def test_paper_size_follows_the_jurisdiction():
    from pypdf import PdfReader

    cn = _build("evidence_list")
    us = _build("evidence_list", assessment=sd.us_assessment())
    cn_box = PdfReader(io.BytesIO(render_pdf(html.render_html(cn)))).pages[0].mediabox
    us_box = PdfReader(io.BytesIO(render_pdf(html.render_html(us)))).pages[0].mediabox
    assert (round(float(cn_box.width)), round(float(cn_box.height))) == (595, 842)  # A4
    assert (round(float(us_box.width)), round(float(us_box.height))) == (612, 792)  # Letter
    section = python_docx.Document(io.BytesIO(render_docx(us, html.render_html(us)))).sections[0]
    assert abs(section.page_width.inches - 8.5) < 0.01


def test_pdf_has_page_numbers_in_the_documents_language():
    doc = _build("police_report")
    text = pdf_text(render_pdf(html.render_html(doc)))
    assert "第 1 页，共" in text


def test_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="unknown document kind"):
        model.build("love_letter", sd.cn_assessment(), {}, [])


def test_a_notice_to_one_platform_lists_only_its_own_posts():
    evidence = [dict(sd.EVIDENCE[0], platform="Telegram", reference="t.me/c/1/1"),
                dict(sd.EVIDENCE[1], platform="weibo", reference="weibo.com/p/2"),
                dict(sd.EVIDENCE[1], platform="", reference="no-platform-ref")]
    assessment = sd.cn_assessment()
    notice = model.build("takedown_notice", assessment, sd.FACTS, evidence, None, sd.DETAILS,
                         platform="telegram", basis_route_id="platform_notice",
                         variant="civil_code_1195")
    markup = html.render_html(notice)
    assert "t.me/c/1/1" in markup and "no-platform-ref" in markup
    assert "weibo.com/p/2" not in markup
    other = model.build("takedown_notice", assessment, sd.FACTS, evidence[:2], None, sd.DETAILS,
                        platform="qq", basis_route_id="platform_notice",
                        variant="civil_code_1195")
    assert "【待补充：侵权内容的网址或消息链接】" in other.placeholders
    assert "t.me/c/1/1" not in html.render_html(other)


def test_a_live_us_assessment_builds_a_letter_size_complaint_with_citations():
    us = load_jurisdictions()["us"]
    facts = us.catalog.coerce({"content.kinds": ["intimate_image"],
                               "content.shared_with_consent": False})
    assessment = assess(us, facts, lang=us.language).to_dict()
    labels, questions, names = model.fact_texts(us.catalog)
    doc = model.build("civil_complaint", assessment, facts, [], None,
                      {"victim.name": "Jane Roe", "victim.pseudonym": "no"},
                      fact_labels=labels, fact_questions=questions, fact_names=names)
    assert doc.lang == "en" and doc.paper == "letter"
    assert any(c["article"] for r in doc.routes for c in r["citations"])
    assert "Jane Roe" in docx_text(render_docx(doc, html.render_html(doc)))


def test_evidence_list_counts_items_and_says_what_each_proves():
    doc = _build("evidence_list")
    markup = html.render_html(doc)
    assert "共2项：图片1项、截图1项。" in markup
    assert "证明本人的图片被发布的事实" in markup  # by kind
    assert "群成员数截图" in markup  # the item's own note wins


def test_police_report_names_a_known_perpetrator():
    doc = _build("police_report", details=dict(sd.DETAILS, **{
        "perpetrator.name": "张某", "perpetrator.id_info": "男，住某市"}))
    markup = html.render_html(doc)
    assert "张某" in markup and "男，住某市" in markup
    assert "身份不明" not in markup
    assert "身份不明" in html.render_html(_build("police_report"))


def test_control_characters_from_pasted_chats_do_not_break_any_format():
    hostile = "ctrl\x00\x0b\x1b\x7f \u202eevil\u200b end"
    doc = _build("police_report", details=dict(sd.DETAILS, narrative=hostile),
                 evidence=[dict(sd.EVIDENCE[0], poster="a\x1bb")])
    markup = html.render_html(doc)
    assert render_pdf(markup).startswith(b"%PDF")
    text = docx_text(render_docx(doc, markup))
    assert "ctrl\ufffd\ufffd\ufffd" in text and "\u202eevil" in text and "a\ufffdb" in text


def test_take_it_down_request_has_every_element_of_a_valid_request():
    doc = model.build("takedown_notice", sd.us_assessment(), sd.FACTS, sd.EVIDENCE, None,
                      sd.DETAILS, platform="telegram", basis_route_id="take_it_down_removal",
                      variant=service.takedown_variant(sd.us_assessment()["routes"][0]))
    assert doc.variant == "take_it_down"
    text = pdf_text(render_pdf(html.render_html(doc)))
    for element in ("Identification and location of the depiction", "t.me/c/123/45",
                    "good-faith belief that the intimate visual depiction",
                    "Contact information", "138 0000 0000", "(signature)"):
        assert element in text, element


def test_dmca_notice_has_the_six_elements():
    route = dict(sd.us_assessment()["routes"][0], id="dmca", notice_template="dmca",
                 citations=[{"instrument": "17 U.S.C. 512(c)(3)", "article": "(c)(3)(A)",
                             "quote": "", "url": None, "confirmed": True}])
    assessment = sd.us_assessment()
    assessment["routes"].append(route)
    doc = model.build("takedown_notice", assessment, sd.FACTS, sd.EVIDENCE, None, sd.DETAILS,
                      platform="telegram", basis_route_id="dmca",
                      variant=service.takedown_variant(route))
    assert doc.variant == "dmca"
    text = squash(pdf_text(render_pdf(html.render_html(doc))))
    for element in ("(signature)", "Thecopyrightedwork", "t.me/c/123/45", "Contactinformation",
                    "goodfaithbelief", "underpenaltyofperjury"):
        assert element in text, element


def test_police_report_separates_open_routes_from_those_awaiting_facts():
    assessment = sd.cn_assessment()
    assessment["routes"][0]["status"] = "met"
    markup = html.render_html(model.build("police_report", assessment, sd.FACTS, sd.EVIDENCE,
                                          None, sd.DETAILS))
    matter = markup.split("控告事项", 1)[1].split("事实与理由", 1)[0]
    accused, to_establish = matter.split("并请依法查明", 1)
    # Named by provision (the sample route has no charge name), never by its title.
    assert "《中华人民共和国刑法》第三百六十四条规定的犯罪" in accused
    assert "散布他人隐私" not in accused
    # The undecided one is mentioned in a few words, not named as if claimed.
    assert "散布他人隐私" not in to_establish
    assert to_establish.startswith("其行为是否还构成其他违法犯罪。")


def test_folded_yaml_spaces_between_chinese_characters_are_dropped():
    assessment = sd.cn_assessment()
    folded = "对网页进行公证 或可信时间戳取证。 保留原始设备 and keep it"
    assessment["routes"][2]["evidence"] = [folded]
    doc = _build("evidence_checklist", assessment=assessment)
    markup = html.render_html(doc)
    assert "对网页进行公证或可信时间戳取证。保留原始设备 and keep it" in markup
