"""The cn criminal papers as a police officer or procurator reads them (issue 11, documents
at the desk): an act already punished under the PSAPL is not asked to be punished again; the
offences a paper claims are those met on her facts, never a run of undecided ones; an offence
is named by its charge and provision, never by the results page's route title ("——2026年以前
的行为")."""

from __future__ import annotations

import re

import pytest

from caseprep.documents import html, service
from tests.documents.test_recipient_reading import (
    CN_DETAILS,
    CN_EVIDENCE,
    CN_FACTS,
    CN_REFUSED,
    CN_TODAY,
    JURISDICTIONS,
    _docs,
)

CN = JURISDICTIONS["cn"]
PAPERS = ["police_report", "receipt_request", "reconsideration_application",
          "supervision_application", "private_prosecution"]
# 34 photos with insulting captions, one post seen over 5,000 times: insult (art. 246) met.
SEEN = {"evidence.views_count": 6000}
PSAPL_2012_42 = ("《中华人民共和国治安管理处罚法》（2012年修正，施行至2025年12月31日）"
                 "第四十二条第（二）项、第（六）项规定的违反治安管理行为")
INSULT = "侮辱罪、诽谤罪（《中华人民共和国刑法》第二百四十六条第一款）"


def _paper(facts, kind):
    (doc, text), = _docs("cn", facts, [kind], CN_DETAILS, CN_EVIDENCE, CN_TODAY)
    return doc, text


def _matter(text):
    return text.split("控告事项", 1)[1].split("事实与理由", 1)[0]


def _undecided_names(doc):
    """Every way the paper could name the undecided offences: title, charge, provision."""
    names = []
    for route in doc.offences:
        if route["status"] != "met":
            names.append(re.sub(r"\s+", "", route["title"]))
            names.append(re.sub(r"\s+", "", doc.offence_name(route)))
    return names


def test_an_act_already_punished_under_the_psapl_is_not_asked_to_be_punished_again():
    """He was detained for five days; the 控告书 still asked the police to 查处 the same act
    under PSAPL art. 42 and pleaded art. 42 as the provision he broke."""
    doc, text = _paper(CN_FACTS, "police_report")
    assert doc.fact("police.response") == "penalty_imposed"
    matter = _matter(text)
    assert "治安管理处罚法" not in matter and "查处" not in matter
    assert "请求公安机关依法立案侦查" in matter
    reasons = text.split("事实与理由", 1)[1].split("证据清单", 1)[0]
    assert "涉嫌违反下列规定" not in reasons and "第四十二条" not in reasons
    # What is left is the crime, and the penalty does not stand in its way (read: APL 2021
    # arts. 27(1), 35(1) in the LawRefBook/Laws mirror).
    assert "公安机关已于2025年5月20日对被控告人的上述行为给予治安管理处罚" in reasons
    assert "控告人不再就同一行为请求给予治安管理处罚" in reasons
    assert "《中华人民共和国行政处罚法》第二十七条第一款、第三十五条" in reasons
    assert "不排除被控告人的刑事责任" in reasons


def test_with_no_penalty_imposed_the_psapl_violation_is_still_reported():
    """The other side of the rule: refused in writing, nothing punished yet."""
    doc, text = _paper(CN_REFUSED, "police_report")
    matter = _matter(text)
    assert PSAPL_2012_42 in matter and "请求公安机关依法受理、查处" in matter
    assert "不排除被控告人的刑事责任" not in text


@pytest.mark.parametrize("kind", ["supervision_application", "private_prosecution"])
def test_papers_after_a_penalty_say_it_does_not_exclude_criminal_liability(kind):
    _, text = _paper(CN_FACTS, kind)
    assert "仅给予了治安管理处罚" in text
    assert "《中华人民共和国行政处罚法》第二十七条第一款、第三十五条" in text
    assert "治安管理处罚法（2012年修正" not in text


def test_papers_with_a_crime_met_after_a_penalty_pursue_the_crime_only():
    doc, text = _paper({**CN_FACTS, **SEEN}, "police_report")
    matter = _matter(text)
    assert f"控告人控告被控告人涉嫌{INSULT}，请求公安机关依法立案侦查" in matter
    assert "治安管理处罚法" not in matter
    reasons = text.split("事实与理由", 1)[1].split("证据清单", 1)[0]
    listed = reasons.split("涉嫌违反下列规定", 1)[1]
    assert "《中华人民共和国刑法》第二百四十六条第一款" in listed
    assert "治安管理处罚法" not in listed


@pytest.mark.parametrize("kind", ["police_report", "reconsideration_application",
                                  "supervision_application", "receipt_request"])
def test_undecided_offences_are_never_listed_as_claimed(kind):
    """控告事项 named eight offences, six of them undecided (extortion with no money asked,
    a group "mainly for obscene content" for everyday photos): a scattergun."""
    facts = {**CN_REFUSED, "police.response": "refused_orally"} \
        if kind == "receipt_request" else CN_REFUSED
    doc, text = _paper(facts, kind)
    assert [r for r in doc.offences if r["status"] == "unknown"], "the case has undecided ones"
    for name in _undecided_names(doc):
        assert name not in text, (kind, name)
    for undecided in ("敲诈勒索", "寻衅滋事", "建立、管理主要用于传播淫秽电子信息的群组"):
        assert undecided not in text, (kind, undecided)


def test_the_paper_names_what_is_met_and_mentions_the_rest_in_a_few_words():
    doc, text = _paper({**CN_REFUSED, **SEEN}, "police_report")
    matter = _matter(text)
    assert f"控告人控告被控告人涉嫌{INSULT}、{PSAPL_2012_42}，请求公安机关依法立案侦查" in matter
    assert matter.endswith("并请依法查明其行为是否还构成其他违法犯罪。")
    (reconsider, rtext), = _docs("cn", {**CN_REFUSED, **SEEN}, ["reconsideration_application"],
                                 CN_DETAILS, CN_EVIDENCE, CN_TODAY)
    assert f"依法对{INSULT}立案侦查" in rtext and "治安管理处罚法" not in rtext.split("此致")[0]
    (_, private), = _docs("cn", {**CN_FACTS, **SEEN}, ["private_prosecution"], CN_DETAILS,
                          CN_EVIDENCE, CN_TODAY)
    assert f"被告人涉嫌{INSULT}，请求人民法院依法追究被告人的刑事责任" in private


def test_with_nothing_met_the_request_names_no_offence():
    _, text = _paper(CN_REFUSED, "reconsideration_application")
    assert "依法对本案立案侦查" in text
    assert "可能构成犯罪" in text
    _, text = _paper({**CN_REFUSED, "police.response": "refused_orally"}, "receipt_request")
    assert f"控告他人涉嫌{PSAPL_2012_42}。" in text  # the one violation met


def test_a_receipt_request_with_nothing_met_names_what_was_reported_in_general_words():
    facts = {**CN_REFUSED, "police.response": "refused_orally",
             "content.insulting_or_false_text": False, "harm.contact_info_shared": False,
             "content.kinds": ["everyday_photo"]}
    doc, text = _paper(facts, "receipt_request")
    assert not doc.claimed_offences and doc.undecided_offences
    assert "控告他人涉嫌违法犯罪。" in text and "【待补充：所控告的罪名】" not in text


@pytest.mark.parametrize("kind", PAPERS)
def test_offences_are_named_by_charge_and_provision_not_by_route_title(kind):
    """"散布他人隐私、偷拍、公然侮辱、诽谤（治安管理处罚法2012年文本第四十二条）——2026年以前
    的行为" was printed as the offence: a title written for the results page."""
    facts = {**CN_REFUSED, **SEEN}
    if kind == "receipt_request":
        facts["police.response"] = "refused_orally"
    if kind == "private_prosecution":
        facts = {**CN_FACTS, **SEEN}
    doc, text = _paper(facts, kind)
    assert "——" not in text and "以前的行为" not in text and "起的行为" not in text
    for route in doc.offences:
        assert re.sub(r"\s+", "", route["title"]) not in text, (kind, route["id"])
    assert INSULT in text, kind


def test_the_edition_of_a_law_stands_after_its_title_as_a_lawyer_writes_it():
    """"《中华人民共和国治安管理处罚法（2012年修正，施行至2025年12月31日）》": the edition inside
    the title marks; a lawyer writes 《…治安管理处罚法》（2012年修正…）第四十二条. A name's own
    number stays inside: 《中华人民共和国刑法修正案（九）》, 《…解释（二）》（法释〔2010〕3号）."""
    doc, text = _paper(CN_REFUSED, "police_report")
    assert "治安管理处罚法（2012年修正" not in text
    assert "《中华人民共和国治安管理处罚法》（2012年修正，施行至2025年12月31日）第四十二条" in text
    cite = {"instrument": "最高人民法院、最高人民检察院关于办理利用互联网、移动通讯终端、"
                          "声讯台制作、复制、出版、贩卖、传播淫秽电子信息刑事案件具体应用法律"
                          "若干问题的解释（二）（法释〔2010〕3号）", "article": "3"}
    assert str(doc.citation(cite)).endswith("问题的解释（二）》（法释〔2010〕3号）第三条")
    assert str(doc.citation({"instrument": "中华人民共和国刑法修正案（九）", "article": "17"})) \
        == "《中华人民共和国刑法修正案（九）》第十七条"


def test_an_offence_name_is_escaped_once():
    """The English reading copy printed "People&amp;amp;#39;s Republic": the provision was
    escaped as it was named, and again as it was printed."""
    (english,) = service.build_documents(CN, dict({**CN_REFUSED, **SEEN}), CN_DETAILS,
                                         CN_EVIDENCE, ["police_report"], "en", CN_TODAY)
    markup = html.render_html(english)
    matter = markup.split("Matters complained of", 1)[1].split("Facts and reasons", 1)[0]
    assert "Criminal Law of the People&#39;s Republic of China, art. 246(1)" in matter
    assert "&amp;" not in matter
