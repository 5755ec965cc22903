"""Korean platforms in the directory: a notice to KakaoTalk or Naver is written in Korean to
the platform's entity with its own channels; one to LINE (read in English and Japanese) in
English. And no Latin word leaks into a Korean document's footer."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from caseprep.documents import html, service
from caseprep.documents.pdf import render_pdf
from caseprep.rules import Rules, load_jurisdictions
from caseprep.rules.catalog import default_rules_dir
from tests.documents.helpers import pdf_text, squash
from tests.i18n.test_korean_documents import DETAILS_KO, SELF_TAKEN_FACTS

KOREAN_PLATFORMS = ("kakaotalk", "naver", "daum", "line", "band")
TODAY = dt.date(2026, 11, 27)
EVIDENCE = [
    {"index": 1, "kind": "screenshot", "platform": "kakaotalk",
     "reference": "오픈채팅방 '○○' 메시지", "poster": "@ex_handle",
     "posted_at": "2026-02-01T21:00:00", "sha256": "a" * 64},
    {"index": 2, "kind": "screenshot", "platform": "naver",
     "reference": "https://cafe.naver.com/x/1", "poster": "ex_handle",
     "posted_at": "2026-02-02T21:00:00", "sha256": "b" * 64},
]


def test_every_korean_platform_has_its_own_entry_with_korean_texts():
    directory = Rules(default_rules_dir()).platforms
    for platform_id in KOREAN_PLATFORMS:
        entry = directory.get(platform_id)
        assert entry.id == platform_id, f"{platform_id} falls back to {entry.id}"
        assert "ko" in entry.name and entry.legal_entity is not None
        for channel in entry.channels:
            if channel.path:
                assert "ko" in channel.path, (platform_id, channel)
        for law in entry.subject_to:
            assert "ko" in law.law, platform_id


@pytest.fixture(scope="module")
def notices():
    kr = load_jurisdictions()["kr"]
    facts = dict(SELF_TAKEN_FACTS, **{"distribution.platforms": ["kakaotalk", "naver", "line"]})
    docs = service.build_documents(kr, facts, DETAILS_KO, EVIDENCE, ["takedown_notice"],
                                   today=TODAY)
    out = {}
    for doc in docs:
        if doc.platform:
            out[doc.platform] = (doc, squash(pdf_text(render_pdf(html.render_html(doc)))))
    return out


@pytest.mark.parametrize(("platform", "entity", "channel"), [
    ("kakaotalk", "주식회사 카카오", "https://cs.kakao.com"),
    ("naver", "네이버 주식회사", "https://help.naver.com"),
])
def test_a_notice_to_a_korean_platform_is_korean_and_addressed_to_its_entity(
        notices, platform, entity, channel):
    doc, text = notices[platform]
    assert doc.lang == "ko"
    assert str(doc.addressee).startswith(entity)
    assert squash(f"수신: {entity}") in text
    assert squash("「정보통신망 이용촉진 및 정보보호 등에 관한 법률」 제44조의2") in text
    assert channel in text and squash("제출 경로") in text and squash("보낼 곳") not in text
    assert "Reportof" not in text and "Whattosend" not in text
    # Only this platform's publications are listed.
    other = "cafe.naver.com" if platform == "kakaotalk" else "오픈채팅방"
    assert squash(other) not in text


def test_a_notice_to_line_is_in_a_language_line_reads(notices):
    doc, text = notices["line"]
    assert doc.lang == "en" and str(doc.addressee).startswith("LY Corporation")
    assert "Tapandholdthemessage" in text


LATIN_WORD = re.compile(r"\b[A-Za-z]{4,}\b")
# Latin a Korean document may print: the product, formats, platform and account names.
ALLOWED = {"caseprep", "https", "help", "naver", "kakao", "ex_handle", "handle", "cafe"}


def test_no_english_word_in_a_korean_documents_html_or_pdf():
    """The footer printed the rule file's status as the YAML value ("draft")."""
    kr = load_jurisdictions()["kr"]
    facts = dict(SELF_TAKEN_FACTS, **{"distribution.platforms": ["kakaotalk"]})
    docs = service.build_documents(kr, facts, DETAILS_KO, EVIDENCE[:1],
                                   ["police_report", "takedown_notice"], today=TODAY)
    korean = [doc for doc in docs if doc.lang == "ko"]
    assert {doc.kind for doc in korean} == {"police_report", "takedown_notice"}
    for doc in korean:
        page = html.render_html(doc)
        body = re.sub(r"<[^>]+>", " ", page.split("<body", 1)[1].split(">", 1)[1])
        assert "초안" in body and "규칙 상태" in body
        for text in (body, pdf_text(render_pdf(page))):
            assert not re.search(r"(?i)\bdraft\b", text), doc.kind
            leaked = {w for w in LATIN_WORD.findall(text) if w.lower() not in ALLOWED}
            assert not leaked, (doc.kind, leaked)
