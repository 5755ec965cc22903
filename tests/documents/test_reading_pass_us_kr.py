"""Defects found by reading every page of a US adult case (federal and the five states) and a
Korean self-taken case as their recipients would: a court clerk and the defendant's lawyer, a
police officer, a platform's reviewer, a Korean investigator and court clerk (issues 11, 17).

The US case: her ex-partner posted intimate photos on X and Reddit (each rule file's first
scenario, a met civil and criminal route); the Korean case: her ex-partner spread pictures she
took herself in a KakaoTalk group (kr's first scenario).
"""

from __future__ import annotations

import re

import pytest

from caseprep.documents import html, service
from caseprep.documents.pdf import render_pdf
from caseprep.rules import load_jurisdictions
from tests.documents.helpers import pdf_text

JURISDICTIONS = load_jurisdictions()
US_DETAILS = {"victim.name": "Alex Rivera", "victim.contact": "alex@example.org",
              "perpetrator.name": "Sam Poster", "perpetrator.handles": "@sam_p"}
US_EVIDENCE = [
    {"kind": "screenshot", "images_shown": 2, "platform": "x", "poster": "@sam_p",
     "reference": "https://x.com/sam_p/status/1", "posted_at": "2026-10-01T21:00:00"},
    {"kind": "screenshot", "images_shown": 3, "platform": "reddit", "poster": "u/sam_p",
     "reference": "https://reddit.com/r/x/comments/abc", "posted_at": "2026-10-02T21:00:00"},
]
KR_DETAILS = {"victim.name": "김지은", "victim.contact": "010-0000-0000",
              "perpetrator.name": "박○○", "perpetrator.handles": "@ex_handle"}


def _facts(code, **more):
    scenario = JURISDICTIONS[code].scenarios[0]
    platforms = ["kakaotalk"] if code == "kr" else ["x", "reddit"]
    facts = {**scenario.facts, "content.still_online": True, "victim.is_minor": False,
             "perpetrator.identified": True, "distribution.platforms": platforms, **more}
    return facts, scenario.today


def _doc(code, kind, lang=None, details=US_DETAILS, evidence=US_EVIDENCE):
    facts, today = _facts(code)
    docs = service.build_documents(JURISDICTIONS[code], facts, dict(details), evidence,
                                   [kind], lang=lang, today=today)
    return next(d for d in docs if d.lang == (lang or JURISDICTIONS[code].language))


def _text(doc):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html.render_html(doc).split("<body", 1)[1]))


def _kr(kind):
    return _doc("kr", kind, details=KR_DETAILS, evidence=[])


def test_the_korean_complaint_names_the_undecided_offences_by_charge_once_each():
    """The undecided list printed the results page's route titles: '2020년 5월 19일 전의
    촬영물 등을 이용한 협박(형법 제283조)' beside '협박(형법 제283조)' — two entries for one
    provision, one of them about a law that ended five years before the posting."""
    text = _text(_kr("police_report"))
    reasons = text.split("고소이유", 1)[1].split("증거자료", 1)[0]
    assert "2020년 5월 19일 전의" not in reasons
    assert "2020년 5월 19일부터" not in reasons  # no in-force note in a heading either
    assert reasons.count("협박(「형법」 제283조") == 1, reasons
    assert "성폭력범죄의처벌등에관한특례법위반(카메라등이용촬영·반포등)" in reasons


def test_the_relationship_is_stated_in_the_papers_wording_not_the_wizards_answer():
    """'예전에 사귀던 사람 또는 전 배우자' and 'My former partner' are the wizard's choices."""
    korean = _text(_kr("police_report"))
    assert "예전에 사귀던 사람" not in korean and "고소인과의 관계: 전 교제 상대" in korean
    english = _text(_doc("us", "police_report"))
    assert "My former partner" not in english and "former partner" in english


def test_the_korean_complaint_speaks_in_the_formal_register():
    """'표시하세요' is the 해요체 of the app; the standard form asks '해당란에 체크하여 주시기
    바랍니다'."""
    text = _text(_kr("police_report"))
    assert "표시하세요" not in text and "체크하여 주시기 바랍니다" in text


def test_us_papers_write_dates_the_american_way():
    for code in ("us", "us-ca"):
        text = _text(_doc(code, "civil_complaint"))
        assert "On October 1, 2026" in text, code
        assert "1 October 2026" not in text, code


@pytest.mark.parametrize("kind", ["civil_complaint", "pseudonym_motion"])
def test_federal_papers_cite_the_code_with_the_section_sign(kind):
    text = _text(_doc("us", kind))
    assert not re.search(r"U\.S\.C\. (?!§)", text), re.findall(r".{30}U\.S\.C\. \d.{10}", text)
    assert "28 U.S.C. § 1331" in text or kind != "civil_complaint"


@pytest.mark.parametrize("lang", ["zh_Hans", "ko"])
@pytest.mark.parametrize("kind", ["civil_complaint", "police_report"])
def test_a_reading_copy_of_a_us_paper_keeps_the_lawyers_citation(kind, lang):
    """The Korean copy printed '15 U.S.C. 6851 — civil action relating to disclosure of intimate
    images (b)(1)(A)', the Chinese '…第223条(h)款（由TAKE IT DOWN法案第2条增设） (h)(2)(A)'."""
    text = _text(_doc("us", kind, lang=lang))
    assert "civil action relating to" not in text and "inserted by" not in text
    assert "增设） (h)" not in text
    assert ("15 U.S.C. § 6851(b)(1)(A)" if kind == "civil_complaint"
            else "47 U.S.C. § 223(h)(2)(A)") in text


def test_the_jurisdiction_allegation_is_numbered_with_the_others():
    """FRCP 10(b): every allegation in a numbered paragraph; the jurisdiction and venue
    paragraph stood unnumbered between ¶ 2 and ¶ 3."""
    doc = _doc("us", "civil_complaint")
    text = pdf_text(render_pdf(html.render_html(doc)))
    assert re.search(r"(?m)^\s*3\. This action arises under", text), text[:1500]
    numbers = [int(n) for n in re.findall(r"(?m)^\s*(\d+)\. ", text)]
    assert numbers == list(range(1, len(numbers) + 1)), numbers


@pytest.mark.parametrize(("code", "number"), [("us-ny", "Index No."), ("us-tx", "Cause No."),
                                              ("us-ca", "Case No."), ("us", "Case No.")])
def test_the_caption_numbers_the_case_as_the_court_does(code, number):
    """New York's Supreme Court files by index number (CPLR 2101(c)), Texas by cause number."""
    caption = _text(_doc(code, "civil_complaint")).split("Parties", 1)[0]
    assert number in caption
    assert number == "Case No." or "Case No." not in caption


def test_the_evidence_list_says_what_a_screenshot_of_a_post_proves_and_counts_in_english():
    """A screenshot of his post proves the post, not 'what the page or group showed at capture
    time (e.g. members, views)' (a hint for a screenshot of a group); '2 items: screenshot 2.'"""
    text = _text(_doc("us", "evidence_list"))
    assert "e.g. members" not in text
    assert "2 items: 2 screenshots." in text


def test_counsel_signs_a_us_pleading_with_the_details_rule_11_asks():
    """FRCP 11(a): the paper states the signer's address, e-mail address and telephone number
    (and state courts ask the bar number)."""
    for code in ("us", "us-ca"):
        signature = _text(_doc(code, "civil_complaint")).split("Counsel for Plaintiff", 1)[1]
        for line in ("bar number", "address", "telephone", "e-mail"):
            assert line in signature.lower(), (code, line)


def test_the_defendant_is_named_as_the_defined_party_in_the_caption_and_the_paragraphs():
    text = _text(_doc("us", "civil_complaint"))
    caption = text.split("Parties", 1)[0]
    assert "SAM POSTER" in caption
    assert "The defendant used" not in text and "Defendant used the accounts" in text


@pytest.mark.parametrize(("kind", "signer"), [("police_report", "고소인 김지은 (서명 또는 인)"),
                                              ("civil_complaint", "원고 김지은 (서명 또는 인)")])
def test_a_korean_filing_is_dated_then_signed_by_name_in_the_formal_register(kind, signer):
    """Korean forms end with the date, then '고소인 ○○○ (인)'; the draft put a signature line
    before a 'Date:' field, asked for '연락처(전화 / 이메일)' (the app's hint) and told her
    '다듬으세요' (해요체) in the 고소장's annex."""
    text = _text(_kr(kind))
    assert "날짜:" not in text and "(전화 / 이메일)" not in text and "다듬으세요" not in text
    assert signer in text
    assert text.index("______년 ____월 ____일") < text.index(signer)


def test_the_korean_copy_of_a_us_police_report_reports_and_does_not_file_a_goso():
    """The English asks that a case be opened; its Korean copy read as a Korean 고소장
    ('고소하오니 … 엄중히 처벌하여 주시기 바랍니다'), a step US law does not have."""
    text = _text(_doc("us", "police_report", lang="ko"))
    assert "고소" not in text and "엄중히 처벌" not in text
    assert "신고인" in text and "사건으로 접수하여 주시기 바랍니다" in text


def test_a_us_police_report_names_its_addressee_at_the_top():
    """An English report is addressed at its head; 'To: Federal Bureau of Investigation' came
    last, after the requests, where a Chinese paper puts 此致."""
    for lang, to in (("en", "To: Federal Bureau of Investigation"), ("zh_Hans", "致：")):
        text = _text(_doc("us", "police_report", lang=lang if lang != "en" else None))
        assert to in text, lang
        assert text.index(to) < text.index("Alex Rivera"), lang
        assert "此致" not in text


def test_a_pseudonym_motion_is_titled_as_filed_and_introduces_its_authority():
    """'(draft)' is no part of a motion's title; a bare '1. 15 U.S.C. § 6851(b)(3)(B)' stood
    under the relief requested without a word."""
    text = _text(_doc("us", "pseudonym_motion"))
    assert "(draft)" not in text
    relief = text.split("Relief requested", 1)[1]
    assert relief.index("Plaintiff relies on") < relief.index("15 U.S.C. § 6851(b)(3)(B)")


def test_the_chinese_copy_of_a_us_complaint_has_no_stray_space_or_latin_comma():
    """'【待补充：对方的身份信息】。 被告使用的账号：@sam_p, u/sam_p。'"""
    details = dict(US_DETAILS, **{"perpetrator.handles": "@sam_p, u/sam_p"})
    text = html.render_html(_doc("us", "civil_complaint", lang="zh_Hans", details=details))
    assert "被告使用的账号" in text and "。 被告使用" not in text
    assert "@sam_p、u/sam_p" in text.split("被告使用的账号", 1)[1]


def test_counsel_signs_after_the_jury_demand_and_the_exhibits_follow():
    """A complaint ends with the jury demand and counsel's signature; the exhibit list is
    attached after it (it stood between the demand and the signature)."""
    text = _text(_doc("us", "civil_complaint"))
    assert text.index("Demand for jury trial") < text.index("Counsel for Plaintiff") \
        < text.index("Exhibits")


def test_the_checklist_speaks_of_options_not_the_engines_routes():
    text = _text(_doc("us", "evidence_checklist"))
    assert not re.search(r"\broutes?\b", text), re.findall(r".{40}\broutes?\b.{10}", text)
