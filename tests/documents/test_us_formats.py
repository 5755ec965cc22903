"""US filings (docs/documents.md): an FRCP 10(a) caption, "Jane Doe" and no name or address
when pseudonymous (the default), the 15 U.S.C. 6851 elements, damages once, gender-neutral
wording, a jury demand, a draft motion to proceed under a pseudonym; and what personal data
notices carry."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from caseprep.documents import html, service
from caseprep.documents.docx import render_docx
from caseprep.documents.pdf import render_pdf
from caseprep.rules import load_jurisdictions
from tests.documents.helpers import docx_text, pdf_text

TODAY = dt.date(2026, 11, 27)
FACTS = {"content.kinds": ["intimate_image"], "content.shared_with_consent": False,
         "content.created_with_consent": True, "content.still_online": True,
         "victim.is_minor": False, "distribution.platforms": ["x", "reddit"],
         "incident.posted_on": "2026-06-10", "perpetrator.relationship": "ex_partner"}
DETAILS = {"victim.name": "Alex Rivera", "victim.address": "12 Elm St, Springfield",
           "victim.contact": "alex@example.org", "victim.id_number": "999-00-1234",
           "perpetrator.name": "Sam Poster", "perpetrator.handles": "@sam_p"}
EVIDENCE = [
    {"kind": "image", "platform": "x", "reference": "https://x.com/sam_p/status/1",
     "poster": "@sam_p"},
    {"kind": "screenshot", "images_shown": 3, "platform": "reddit",
     "reference": "https://reddit.com/r/x/comments/abc", "poster": "u/sam_p"},
]


def _docs(kind, details=DETAILS, code="us", facts=FACTS):
    return service.build_documents(load_jurisdictions()[code], dict(facts), dict(details),
                                   EVIDENCE, [kind], today=TODAY)


def _text(doc):
    return re.sub(r"<[^>]+>", " ", html.render_html(doc).split("<body", 1)[1])


def test_us_complaint_caption_pseudonym_elements_damages_once_and_jury_demand():
    doc = _docs("civil_complaint")[0]
    text = _text(doc)
    caption = text.split("Parties", 1)[0]
    for element in ("United States District Court for the ＿＿ District of ＿＿", "JANE DOE",
                    "Plaintiff", "v.", "SAM POSTER", "Defendant", "Case No.", "COMPLAINT",
                    "JURY TRIAL DEMANDED"):
        assert element in caption, element
    assert "Alex Rivera" not in text and "Elm St" not in text  # pseudonymous: nowhere
    for element in ("individual depicted", "intimate visual depictions", "interstate",
                    "did not consent", "recklessly disregarded"):
        assert element in text, element
    prayer = text.split("Prayer for relief", 1)[1].split("Demand for jury trial", 1)[0]
    assert prayer.count("150,000") == 1 and prayer.count("damages") == 2  # one damages prayer
    assert "Fed. R. Civ. P. 38" in text and "trial by jury" in text
    assert not re.search(r"\b(she|her|hers|he|his|him)\b", text, re.IGNORECASE)


def test_the_count_pleads_the_grounds_and_not_the_remedies_or_exceptions():
    """"Liable under" lists what liability rests on (role `ground`): a damages clause, the
    pseudonym clause or the commercial-pornography exception read there as part of the claim."""
    text = _text(_docs("civil_complaint")[0])
    count = text.split("Claims for relief", 1)[1].split("Prayer for relief", 1)[0]
    assert "(b)(1)(A)" in count and "(b)(2)" in count
    # Cited as a lawyer writes it, under the section's own caption as the count's heading.
    assert "15 U.S.C. § 6851(b)(1)(A)" in count and "— civil action relating" not in count
    assert "Count 1: Civil Action Relating to Disclosure of Intimate Images" in count
    for not_a_ground in ("(b)(3)(A)(i)", "(b)(3)(A)(ii)", "(b)(3)(B)", "(b)(4)(A)"):
        assert not_a_ground not in count, not_a_ground
    # The elements come from the rule file's route, one paragraph each, before the grounds.
    assert count.index("individual depicted") < count.index("liable")


def test_the_complaint_opens_with_the_court_not_a_title_above_it():
    """A US pleading begins with the court's name; it names itself in the caption
    ("COMPLAINT" under the case number), which also gives the running head."""
    doc = _docs("civil_complaint")[0]
    markup = html.render_html(doc)
    assert "<h1>" not in markup
    first = pdf_text(render_pdf(markup)).split("\n")
    lines = [line.strip() for line in first if line.strip()]
    assert lines[0] == "COMPLAINT"  # the running head
    assert lines[1].startswith("United States District Court")
    word = docx_text(render_docx(doc, markup))
    assert word.startswith("United States District Court")


def test_named_plaintiff_when_she_chooses_her_name():
    text = _text(_docs("civil_complaint", dict(DETAILS, **{"victim.pseudonym": "no"}))[0])
    assert "Alex Rivera" in text and "JANE DOE" not in text


def test_a_draft_motion_to_proceed_under_a_pseudonym_comes_with_the_complaint():
    assert "pseudonym_motion" in {s.kind for s in service.plan(
        service_assessment(), FACTS)}
    text = _text(_docs("pseudonym_motion")[0])
    for element in ("JANE DOE", "MOTION FOR LEAVE TO PROCEED UNDER A PSEUDONYM",
                    "6851(b)(3)(B)", "protective order", "TO BE COMPLETED BY COUNSEL"):
        assert element in text, element
    assert "Alex Rivera" not in text


def service_assessment():
    from caseprep.rules import assess

    return assess(load_jurisdictions()["us"], FACTS, lang="en", today=TODAY).to_dict()


@pytest.mark.parametrize("kind", ["takedown_notice", "civil_complaint"])
def test_contact_via_lawyer_only_leaves_out_phone_address_and_id(kind):
    details = dict(DETAILS, **{"victim.pseudonym": "no", "contact.via_lawyer_only": True})
    for doc in _docs(kind, details):
        text = _text(doc)
        for personal in ("alex@example.org", "Elm St", "999-00-1234"):
            assert personal not in text, (doc.file_stem, personal)
        assert "counsel" in text


def test_notices_under_us_law_or_platform_policy_carry_no_id_number():
    for doc in _docs("takedown_notice"):
        assert "999-00-1234" not in _text(doc), doc.file_stem


def test_a_notice_to_a_platform_that_reads_only_english_is_in_english():
    cn_facts = {"content.kinds": ["everyday_photo"], "content.shared_with_consent": False,
                "content.still_online": True, "distribution.platforms": ["telegram"]}
    notices = [d for d in _docs("takedown_notice", {"victim.name": "李某某"}, "cn", cn_facts)
               if d.platform == "telegram"]
    assert notices and all(d.lang == "en" and d.for_filing for d in notices)
    assert all("Telegram Messenger Inc." in _text(d) for d in notices)


def test_a_state_complaint_pleads_state_law_in_the_state_court():
    """us-ca extends us: its complaint names no federal jurisdiction, remedy or Rule."""
    facts = dict(FACTS, **{"content.face_visible": True, "perpetrator.identified": True})
    text = _text(_docs("civil_complaint", code="us-ca", facts=facts)[0])
    assert "Superior Court of California" in text
    assert "statutes of California" in text
    for federal in ("6851", "1331", "Fed. R. Civ. P.", "district court of the United States"):
        assert federal not in text, federal


def test_a_chinese_reading_copy_of_a_us_complaint_asks_for_no_prc_party_fields():
    """民族 and 公民身份号码 are what a PRC complaint states of a party (CPL art. 124); a
    US complaint's reading copy asks only for the defendant's identifying information."""
    docs = service.build_documents(load_jurisdictions()["us"], dict(FACTS),
                                   {"victim.name": "Alex Rivera"}, EVIDENCE,
                                   ["civil_complaint"], lang="zh_Hans", today=TODAY)
    copy = next(d for d in docs if d.lang == "zh_Hans")
    text = _text(copy)
    assert "对方的身份信息" in text
    assert "民族" not in text and "公民身份号码" not in text


def test_a_us_demand_letter_threatens_us_remedies_not_an_apology_or_the_prc_police():
    """An apology is no remedy a US court orders, and 公安机关 is the PRC's police."""
    english, chinese = (
        _text(service.build_documents(load_jurisdictions()["us"], dict(FACTS), dict(DETAILS),
                                      EVIDENCE, ["demand_letter"], lang=lang, today=TODAY)[0])
        for lang in ("en", "zh_Hans"))
    assert "injunctive relief" in english and "apology" not in english
    assert "禁令救济" in chinese and "赔礼道歉" not in chinese and "公安机关" not in chinese


def test_allegations_are_numbered_on_through_the_complaint_in_the_pdf_and_the_docx():
    """FRCP 10(b): numbered paragraphs, cited as "¶ 9"; the numbering restarted in each count
    and the facts were not numbered, so a reader met three paragraphs numbered 1."""
    doc = _docs("civil_complaint")[0]
    markup = html.render_html(doc)
    for text in (pdf_text(render_pdf(markup)), docx_text(render_docx(doc, markup))):
        numbers = [int(n) for n in re.findall(r"^\s*(\d+)\. ", text, re.MULTILINE)]
        assert numbers == list(range(1, len(numbers) + 1)), numbers
        assert len(numbers) >= 2 + 4 + 6  # parties, facts, the six elements of 6851
        assert re.search(r"^\s*\d+\. Defendant is Plaintiff's former partner", text, re.M)


def test_the_prayer_for_relief_is_lettered_in_the_pdf_and_the_docx():
    """Pleadings letter the prayer's requests (a), (b), (c), apart from the numbered
    paragraphs; a reader cites "prayer (b)"."""
    doc = _docs("civil_complaint")[0]
    page = html.render_html(doc)
    for text in (pdf_text(render_pdf(page)), docx_text(render_docx(doc, page))):
        prayer = text.split("Prayer for relief", 1)[1].split("Demand for jury trial", 1)[0]
        markers = re.findall(r"(?m)^\s*([a-z0-9])\.\s", prayer)
        assert markers == ["a", "b", "c"], markers
