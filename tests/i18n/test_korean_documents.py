"""Korean legal writing for documents: citations as the statutes number themselves, dates."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import yaml

from caseprep import paths
from caseprep.documents import html, service
from caseprep.documents.korean import korean_articles, korean_date, resolve_particles
from caseprep.documents.pdf import render_pdf
from caseprep.documents.phrases import LANGUAGES, load_phrases
from caseprep.rules import load_jurisdictions
from tests.documents.helpers import pdf_fonts, pdf_text, squash


@pytest.mark.parametrize(("article", "expected"), [
    ("14(2)", "제14조제2항"),
    ("15", "제15조"),
    ("15-3", "제15조의3"),
    ("23-2(1)", "제23조의2제1항"),
    ("766(2), (3)", "제766조제2항·제3항"),
    ("249(1)4, 5", "제249조제1항제4호·제5호"),
    ("249(1)4; 252(1); 253(3)", "제249조제1항제4호, 제252조제1항, 제253조제3항"),
    ("44-7(1)1, 9; (3); (4)", "제44조의7제1항제1호·제9호, 제3항, 제4항"),
    ("7-3(1)-(5)", "제7조의3제1항부터 제5항까지"),
    ("20(1); 20(4)2", "제20조제1항, 제20조제4항제2호"),
    ("14(2) (before Act No. 15977)", "제14조제2항 (before Act No. 15977)"),
    # Supplementary provisions are cited as the rule file writes them, never renumbered.
    ("부칙 <제17264호> 1", "부칙 <제17264호> 1"),
    ("부칙 <제21066호> 1; 7", "부칙 <제21066호> 1; 7"),
])
def test_articles_are_cited_the_korean_way(article, expected):
    assert korean_articles(article) == expected


def _articles(node) -> set[str]:
    """Every `article:` value anywhere in a loaded rule file."""
    if isinstance(node, dict):
        found = {str(node["article"])} if "article" in node else set()
        return found.union(*(_articles(value) for value in node.values()))
    if isinstance(node, list):
        return set().union(*(_articles(item) for item in node))
    return set()


def test_every_article_of_the_korean_rule_file_is_cited_without_losing_a_number():
    """Each number of a citation in jurisdictions/kr.yaml survives the conversion, in order."""
    with (paths.resource_dir("jurisdictions") / "kr.yaml").open(encoding="utf-8") as fh:
        articles = _articles(yaml.safe_load(fh))
    assert len(articles) > 20
    for article in articles:
        cited = korean_articles(article)
        assert re.findall(r"\d+", cited) == re.findall(r"\d+", article), (article, cited)
        assert "(" not in cited or "Act No." in cited or "부칙" in cited, cited


def test_dates_are_printed_as_korean_papers_print_them():
    assert korean_date(dt.date(2026, 2, 1)) == "2026. 2. 1."
    assert korean_date(dt.date(2025, 12, 18)) == "2025. 12. 18."


@pytest.mark.parametrize(("written", "printed"), [
    ("고소인은(는) 피고소인을(를) 고소합니다", "고소인은 피고소인을 고소합니다"),
    ("원고은(는) 피고을(를) 상대로", "원고는 피고를 상대로"),
    ("피고소인이(가) 게시하였습니다", "피고소인이 게시하였습니다"),
    ("사진 34장과(와) 동영상 2개과(와)", "사진 34장과 동영상 2개와"),
    ("반포등(성폭력처벌법 제14조제2항)으로(로)", "반포등(성폭력처벌법 제14조제2항)으로"),
    ("협박(형법 제283조)으로(로)", "협박(형법 제283조)으로"),
    ("텔레그램 단체방으로(로)", "텔레그램 단체방으로"),
    ("서울으로(로)", "서울로"),
    ("「형법」으로(로)", "「형법」으로"),
    ("에게 [작성 필요: 청구 금액]을(를) 지급하라", "에게 [작성 필요: 청구 금액]을 지급하라"),
    ("금 50,000,000원을(를)", "금 50,000,000원을"),
    ('<span class="placeholder">[법률사무소]</span>은(는)',
     '<span class="placeholder">[법률사무소]</span>는'),
    ("Telegram은(는)", "Telegram은(는)"),  # unknown sound: the written pair stays
])
def test_particles_follow_the_sound_before_them(written, printed):
    assert resolve_particles(written) == printed


# --- Korean documents: wording in every language, the 고소장 and the 소장 as Korean readers expect

SLOT = re.compile(r"\{(\w+)\}")
HANGUL = re.compile(r"[\uac00-\ud7a3]")
SELF_TAKEN_FACTS = {
    "content.kinds": ["intimate_image"], "content.self_created": True,
    "content.created_with_consent": True, "content.shared_with_consent": False,
    "content.still_online": True, "victim.is_minor": False, "victim.is_woman": True,
    "incident.posted_on": "2026-02-01", "incident.first_known": "2026-02-03",
    "perpetrator.identified": True, "perpetrator.relationship": "ex_partner",
    "distribution.platforms": ["telegram", "kakaotalk"], "distribution.for_profit": False,
    "evidence.images_count": 12, "harm.serious_mental_harm": True,
    "goals": ["removal", "prosecution", "compensation"],
}
DETAILS_KO = {"victim.name": "김지은", "victim.contact": "010-0000-0000",
              "perpetrator.name": "박○○", "perpetrator.handles": "@ex_handle",
              "claims.amount": "금 30,000,000원",
              "narrative": "헤어진 뒤 그 사람이 제가 보낸 사진을 단체방에 올렸어요."}
EVIDENCE = [{"index": i, "kind": "screenshot", "platform": "telegram",
             "reference": f"t.me/c/1234/{i}", "poster": "@ex_handle",
             "posted_at": f"2026-02-0{i}T21:00:00", "sha256": f"{i:x}" * 64} for i in (1, 2)]


def _slots(wording) -> set[str]:
    """The {name} slots of a phrase (of all its plural forms)."""
    forms = wording.values() if isinstance(wording, dict) else [wording]
    return {slot for form in forms for slot in SLOT.findall(form)}


def test_every_document_phrase_is_in_every_language_and_korean_keeps_the_slots():
    for key, entry in load_phrases().items():
        assert set(LANGUAGES) <= set(entry), f"{key}: missing {set(LANGUAGES) - set(entry)}"
        assert isinstance(entry["ko"], str), f"{key}: Korean has one form for every count"
        assert _slots(entry["ko"]) == _slots(entry["en"]), key
        words = SLOT.sub("", entry["ko"])
        assert HANGUL.search(words) or not re.search(r"[A-Za-z]{4}", words), key


@pytest.fixture(scope="module")
def korean_filings():
    """The kr 고소장 and 소장 for the self-taken case, as PDF text (and the fonts used)."""
    kr = load_jurisdictions()["kr"]
    out = {}
    for doc in service.build_documents(kr, SELF_TAKEN_FACTS, DETAILS_KO, EVIDENCE,
                                       ["police_report", "civil_complaint"],
                                       today=dt.date(2026, 11, 27)):
        pdf = render_pdf(html.render_html(doc))
        out[doc.kind] = (doc, squash(pdf_text(pdf)), pdf_fonts(pdf))
    return out


def test_the_police_report_is_a_goso_jang_with_every_element(korean_filings):
    doc, text, fonts = korean_filings["police_report"]
    assert doc.lang == "ko" and doc.for_filing
    for element in ("고 소 장", "1. 고소인", "2. 피고소인", "3. 고소취지", "4. 고소사실",
                    "5. 고소이유", "6. 증거자료", "7. 관련 사건의 수사 및 재판 여부",
                    "① 중복 고소 여부", "② 관련 형사사건 수사 유무", "③ 관련 민사소송 유무",
                    "형법 제156조 무고죄", "경찰서장 귀하", "별지: 고소인의 진술서"):
        assert squash(element) in text, element
    # The purpose names the offences by their 죄명 (the routes' case_cause), each once, not
    # the police's own duty to request deletion.
    purpose = text.split("3.고소취지")[1].split("4.고소사실")[0]
    charge = "성폭력범죄의처벌등에관한특례법위반(카메라등이용촬영·반포등)"
    assert purpose.startswith("고소인은피고소인을" + charge)
    assert purpose.count(charge) == 1  # 14(1) and 14(2) share it
    # Only what her answers establish: the undecided threat offence is left to the 고소이유.
    assert "촬영물등이용협박" not in purpose
    # … by its 죄명 and provision, as the police name it (not the results page's title).
    threat = "성폭력범죄의처벌등에관한특례법위반(촬영물등이용협박)"
    assert squash(threat + "(「성폭력범죄의 처벌 등에 관한 특례법」 제14조의3") \
        in text.split("5.고소이유")[1]
    assert "요청 의무" not in purpose and "제14조제2항" not in purpose
    # Facts in the formal third person, with the Korean date and resolved particles.
    assert squash("피고소인은 2026. 2. 1. 고소인의 동의 없이") in text
    assert "은(는)" not in text and "을(를)" not in text and "이(가)" not in text
    # The police are asked to request deletion, under the route that obliges them to; that
    # duty is not among the provisions the accused's acts fall under.
    assert squash("제23조의2)에 따라 방송미디어통신심의위원회") in text
    reasons = text.split("5.고소이유")[1].split("6.증거자료")[0]
    pleaded, requests = reasons.split(squash("고소인은 수사를 개시하고"))
    duty = squash("「성폭력범죄의 처벌 등에 관한 특례법」 제23조의2")
    assert duty not in pleaded and squash("경찰의 삭제·접속차단 요청 의무") not in pleaded
    assert duty in requests  # cited as the ground of the request
    assert squash("「성폭력범죄의 처벌 등에 관한 특례법」 제14조제2항") in text
    assert "@ex_handle" in text and "t.me/c/1234/2" in text
    assert any("CJK-KR" in line and " yes " in line for line in fonts.splitlines())


def test_korean_filings_need_no_fallback_font(korean_filings):
    """Every glyph is in the document's own Korean face: a fallback font (DejaVu for a ☐ the
    CJK face lacks) prints in another style and is one more font to subset per PDF."""
    for kind, (_doc, _text, fonts) in korean_filings.items():
        names = [line.split()[0] for line in fonts.splitlines()[2:]]
        assert names and all("CJK-KR" in name for name in names), (kind, names)


def test_korean_filings_do_not_plead_supplementary_provisions(korean_filings):
    """A 부칙 says when a text came into force (role in_force): no provision his acts fall
    under, so a 고소장 or 소장 does not list it among them."""
    for kind, (_doc, text, _fonts) in korean_filings.items():
        assert "부칙" not in text, kind


def test_the_civil_complaint_is_a_so_jang_with_every_element(korean_filings):
    doc, text, _fonts = korean_filings["civil_complaint"]
    for element in ("소 장", "원고", "피고", "손해배상(기) 청구의 소", "청구취지", "청구원인",
                    "입증방법", "첨부서류", "지방법원 귀중"):
        assert squash(element) in text, element
    assert squash("피고는 원고에게 금 30,000,000원을 지급하라.") in text
    assert squash("소송비용은 피고가 부담한다.") in text
    assert "원고는" in text and "은(는)" not in text and "을(를)" not in text
    assert squash("「민법」 제750조") in text


def test_a_threat_not_yet_carried_out_is_not_told_as_a_posting():
    """Threatened, nothing spread (no platform, no date, not online): the 고소사실 state the
    threat and the demand, never that the accused posted the video."""
    kr = load_jurisdictions()["kr"]
    facts = {"content.kinds": ["intimate_video"], "content.still_online": False,
             "harm.threat_to_share": True, "harm.threatened_image_exists": True,
             "harm.extortion": True, "incident.threat_made_on": "2026-03-02",
             "victim.is_minor": False, "perpetrator.identified": True,
             "perpetrator.relationship": "ex_partner"}
    doc, = service.build_documents(kr, facts, DETAILS_KO, [], ["police_report"],
                                   today=dt.date(2026, 11, 27))
    text = squash(pdf_text(render_pdf(html.render_html(doc))))
    told = text.split("4.고소사실")[1].split("5.고소이유")[0]
    assert squash("피고소인은 고소인에게 촬영물을 유포하겠다고 협박하였습니다.") in told
    assert "게시하였습니다" not in told
    assert text.split("3.고소취지")[1].startswith(
        "고소인은피고소인을성폭력범죄의처벌등에관한특례법위반(촬영물등이용협박)")
