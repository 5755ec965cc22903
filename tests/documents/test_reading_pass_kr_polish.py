"""The kr papers of the self-taken case (an adult's pictures spread by her ex-partner in a
KakaoTalk group, kr's first scenario) read once more as a Korean investigator, a court clerk
and the Digital Sexual Crime Victim Support Center read them."""

from __future__ import annotations

from caseprep.documents import service
from tests.documents.test_reading_pass_us_kr import JURISDICTIONS, KR_DETAILS, _facts, _text


def _kr_docs(kind, **more):
    facts, today = _facts("kr", **more)
    docs = service.build_documents(JURISDICTIONS["kr"], facts, dict(KR_DETAILS), [], [kind],
                                   today=today)
    return [d for d in docs if d.lang == "ko"]


def _notice(route_id):
    return next(d for d in _kr_docs("takedown_notice")
                if (d.basis_route or {}).get("id") == route_id)


def test_the_centre_is_asked_for_deletion_support_not_sent_a_report_of_illegal_content():
    """The notice to the 디지털성범죄피해자지원센터 was titled '불법 정보 신고서' and asked it to
    act against the poster's account and keep the platform's logs, which the Center cannot do:
    it searches for the material, asks for its deletion, monitors for reposting and collects
    evidence of the spreading for a police report (성평등가족부's description of the service)."""
    text = _text(_notice("dsc_7_3_deletion_support"))
    assert "불법 정보 신고서" not in text and "삭제지원 요청서" in text
    assert "신고인" not in text and "요청인" in text
    assert "계정에 대하여 조치" not in text and "접속 기록을 보존" not in text
    assert "삭제를 지원" in text and "모니터링" in text and "증거자료를 수집" in text
    # the provisions are introduced, not headed by the results page's route title
    assert "삭제지원(성폭력방지법 제7조의3·제7조의4)" not in text
    assert "이 요청은 다음 규정에 근거합니다" in text


def test_the_review_commission_still_receives_a_report():
    text = _text(_notice("kcsc_44_7_review"))
    assert "불법 정보 신고서" in text and "신고인" in text


def test_an_adults_complaint_does_not_name_child_exploitation_material_on_an_unasked_age():
    """She said she is an adult; the route stays undecided because her age when the pictures
    were made is unanswered (victim.age_at_creation), which the Youth Act's definition (art.
    2(1), (5)) makes the question. Only she can answer it: the 고소장 does not put to the
    police a charge that would say she was a minor."""
    reasons = _text(_kr_docs("police_report")[0]).split("고소이유", 1)[1]
    assert "아동·청소년의성보호에관한법률위반" not in reasons
    assert "협박(「형법」 제283조" in reasons  # other undecided offences stay listed
    minor_then = _text(_kr_docs("police_report", **{"victim.age_at_creation": 17})[0])
    assert "아동·청소년의성보호에관한법률위반(성착취물제작·배포등)" in minor_then


def test_korean_filings_carry_no_app_wording_or_polite_haeyo_instruction():
    """'아직 증거 기록에 항목이 없습니다' is the evidence log's screen; '확인하세요' is 해요체;
    the annex told the complainant '제출하기 전에 다듬어 주시기 바랍니다', an instruction
    to her the investigator reads."""
    texts = [_text(d) for kind in ("police_report", "civil_complaint", "takedown_notice")
             for d in _kr_docs(kind)]
    assert len(texts) == 5
    for text in texts:
        for wording in ("증거 기록에 항목", "확인하세요", "다듬어", "하세요."):
            assert wording not in text, (wording, text[:60])
    assert "고소인이 직접 작성한 글입니다." in texts[0]
    assert "[작성 필요: 제출할 증거자료]" in texts[0] and "[작성 필요: 제출할 증거자료]" in texts[1]


def test_a_korean_request_is_dated_then_signed_by_name_like_the_complaint():
    """The three deletion requests ended '신고인 (서명 또는 인): ______________' and then the
    date: a Korean paper gives the date, then the signer by role and name with (서명 또는 인),
    as the 고소장 and the 소장 do."""
    notices = _kr_docs("takedown_notice")
    assert len(notices) == 3
    for doc in notices:
        text = _text(doc)
        assert "(서명 또는 인): ____" not in text
        signer = next(s for s in ("요청인 김지은 (서명 또는 인)", "신고인 김지은 (서명 또는 인)")
                      if s in text)
        assert text.index("______년 ____월 ____일") < text.index(signer)


def test_the_request_quotes_the_right_to_ask_for_deletion_support():
    """The request quoted only art. 7-3's cost paragraph (the offender pays); the Center reads
    it as a request under art. 7-3(2), which gives her (the 삭제지원요청자) the right to ask."""
    text = _text(_notice("dsc_7_3_deletion_support"))
    assert "삭제를 위한 지원을 요청할 수 있다" in text
    assert "삭제지원요청자" in text
