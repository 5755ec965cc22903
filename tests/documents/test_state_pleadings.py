"""State complaints plead the statute (issue 17): each state's count is headed by its cause of
action, pleads the route's elements, lists only the provisions liability rests on (role
`ground`), and words the pseudonym as the state allows it (California and Illinois by statute,
the others by a motion for leave); the state police report lists no time limit or effective-date
act as an offence provision."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape

import pytest

from caseprep.documents import html, service
from caseprep.rules import load_jurisdictions

TODAY = dt.date(2026, 11, 27)
FACTS = {"content.kinds": ["intimate_image"], "content.shared_with_consent": False,
         "content.created_with_consent": True, "content.self_created": True,
         "content.made_public_by_victim": False, "content.face_visible": True,
         "harm.contact_info_shared": True, "content.still_online": True,
         "victim.is_minor": False, "distribution.platforms": ["x", "reddit"],
         "incident.posted_on": "2026-06-10", "incident.first_known": "2026-06-12",
         "perpetrator.relationship": "ex_partner"}
DETAILS = {"victim.name": "Alex Rivera", "victim.address": "12 Elm St, Springfield",
           "victim.contact": "alex@example.org", "perpetrator.name": "Sam Poster",
           "perpetrator.handles": "@sam_p"}
EVIDENCE = [{"kind": "image", "platform": "x", "reference": "https://x.com/sam_p/status/1",
             "poster": "@sam_p"}]

# state -> (the civil route met on FACTS, words the pseudonym paragraph must carry, words it
# must not). California and Illinois let the plaintiff sue as Jane Doe by statute; New York,
# Texas and Florida have no such clause in the texts read: the pleading asks leave and counsel
# completes the motion under the state's practice (the packet's draft motion is the federal
# one, so the pleading does not say a motion has been filed).
MOTION = "has moved, together with this Complaint, for leave"
ASKS = "asks the Court's leave to do so [TO BE COMPLETED BY COUNSEL: the motion for leave"
STATES = {
    "us-ca": ("ca_civil_1708_85",
              ["Civil Code section 1708.85", "Confidential Information Form",
               "MC-125", "not available for public inspection"], [MOTION, "under seal"]),
    "us-il": ("il_civil_190",
              ["740 ILCS 190/20(a)(1)", "2-401(e)", "confidential information form",
               "190/20(b)"], [MOTION]),
    "us-ny": ("ny_civil_52_b", [ASKS], [MOTION, "1708.85", "190/20"]),
    "us-tx": ("tx_civil_98b", [ASKS], ["has moved", "1708.85", "190/20"]),
    "us-fl": ("fl_civil_784_049", [ASKS], [MOTION, "1708.85", "190/20"]),
}


def _doc(code, kind, facts=FACTS):
    docs = service.build_documents(load_jurisdictions()[code], dict(facts), dict(DETAILS),
                                   EVIDENCE, [kind], today=TODAY)
    assert len(docs) == 1
    return docs[0]


def _text(doc):
    body = html.render_html(doc).split("<body", 1)[1]
    text = unescape(re.sub(r"<[^>]+>", " ", body))
    return re.sub(r"\s+", " ", text).replace("\u00a0", " ")


def _written(citation):
    """A citation as an English filing prints it (the source's cite pattern, else the article)."""
    return (citation.get("cite") or citation["article"]).replace("\u00a0", " ")


def _counts(text):
    return text.split("Claims for relief", 1)[1].split("Prayer for relief", 1)[0]


@pytest.mark.parametrize("code", sorted(STATES))
def test_the_count_is_the_cause_of_action_with_its_elements_and_only_its_grounds(code):
    route_id = STATES[code][0]
    doc = _doc(code, "civil_complaint")
    route = next(r for r in doc.routes if r["id"] == route_id)
    assert route["status"] == "met"
    counts = _counts(_text(doc))
    heading = route["case_cause"].replace("\u00a0", " ")
    assert f"Count 1: {heading}" in counts
    assert route["title"] not in counts  # the results page's title is not the count's name
    assert route["elements"], "a civil route with a read ground pleads its elements"
    own = counts.split(heading, 1)[1].split("Count 2:", 1)[0]
    for element in route["elements"]:
        assert element in own, element
    # The elements come before the provisions, which are the grounds and nothing else.
    assert own.index(route["elements"][-1]) < own.index("liable to Plaintiff")
    grounds = [c for c in route["citations"] if c["role"] == "ground"]
    others = [c for c in route["citations"] if c["role"] != "ground"]
    assert any(_written(c) in own for c in grounds)
    for other in (c for r in doc.routes for c in r["citations"] if c["role"] != "ground"):
        assert _written(other) not in counts, (other["role"], _written(other))
    if code != "us-tx":  # 98B's damages clause is its only non-ground citation; others have more
        assert len(others) >= 1


@pytest.mark.parametrize("code", sorted(STATES))
def test_the_pseudonym_paragraph_is_the_states_own(code):
    _, present, absent = STATES[code]
    text = _text(_doc(code, "civil_complaint"))
    parties = text.split("Parties", 1)[1].split("Jurisdiction and venue", 1)[0]
    assert "Jane Doe" in parties and "Alex Rivera" not in text
    for words in present:
        assert words in parties, words
    for words in absent:
        assert words not in parties, words


def test_a_deepfake_count_alone_asks_leave_in_california():
    """1708.86 carries no pseudonym clause in what was read: the statute's paragraph is
    1708.85's, so a complaint with only the deepfake count asks leave."""
    facts = dict(FACTS, **{"content.kinds": ["manipulated_media"],
                           "content.fake_is_intimate": True})
    doc = _doc("us-ca", "civil_complaint", facts)
    assert [r["id"] for r in doc.routes] == ["ca_civil_1708_86"]
    text = _text(doc)
    assert "Count 1: Creation and Disclosure of Sexually Explicit Digitized Material" in text
    assert ASKS in text and MOTION not in text and "MC-125" not in text


@pytest.mark.parametrize(("lang", "words"), [("zh_Hans", "MC-125"), ("ko", "MC-125"),
                                             ("zh_Hans", "190/20(b)"), ("ko", "190/20(b)")])
def test_the_states_pseudonym_wording_is_in_every_language(lang, words):
    code = "us-ca" if words == "MC-125" else "us-il"
    docs = service.build_documents(load_jurisdictions()[code], dict(FACTS), dict(DETAILS),
                                   EVIDENCE, ["civil_complaint"], lang=lang, today=TODAY)
    text = _text(docs[0])
    assert words in text and "Jane Doe" in text


@pytest.mark.parametrize("code", sorted(STATES))
def test_the_police_report_lists_no_time_limit_or_effective_date(code):
    doc = _doc(code, "police_report")
    text = _text(doc)
    provisions = text.split("Provisions that may apply", 1)[1].split("Evidence", 1)[0]
    shown = [c for r in doc.routes for c in r["citations"] if c["role"] == "ground"]
    assert shown and any(_written(c) in provisions for c in shown)
    for route in doc.routes:
        for c in route["citations"]:
            if c["role"] in ("time_limit", "in_force"):
                assert _written(c) not in provisions, _written(c)


@pytest.mark.parametrize(("code", "left_out"), [("us-ca", "SB 23"), ("us-ny", "ch. 109")])
def test_the_acts_left_out_of_the_police_report_are_really_on_its_route(code, left_out):
    """California's SB 23 time limit and New York's 2019 session law are cited on the reported
    route (so the check above is not vacuous) and do not appear among its provisions."""
    doc = _doc(code, "police_report")
    cited = [c for r in doc.routes for c in r["citations"]
             if c["role"] in ("time_limit", "in_force")]
    assert any(left_out in c["article"] for c in cited)
    provisions = _text(doc).split("Provisions that may apply", 1)[1].split("Evidence", 1)[0]
    assert left_out not in provisions


def test_an_undecided_threat_is_no_count_beside_a_claim_that_is_met():
    """New York and Illinois: the threat count is pleaded when she says a threat was made,
    not while it is undecided beside the met dissemination count."""
    for code, heading in (("us-ny", "Threatened Dissemination or Publication"),
                          ("us-il", "Threatened Dissemination of a Private Sexual Image")):
        undecided = _doc(code, "civil_complaint")
        assert any(r["status"] == "unknown" and "threat" in r["id"] for r in undecided.routes)
        assert heading not in _counts(_text(undecided))
        threatened = _doc(code, "civil_complaint", dict(FACTS, **{
            "harm.threat_to_share": True, "incident.threat_made_on": "2026-06-01"}))
        counts = _counts(_text(threatened))
        assert "Count 1:" in counts and heading in counts, code


def test_a_texas_suit_is_an_original_petition_with_the_rule_47_statement():
    text = _text(_doc("us-tx", "civil_complaint"))
    caption = text.split("Parties", 1)[0]
    assert "PLAINTIFF'S ORIGINAL PETITION" in caption and "COMPLAINT" not in caption
    assert "filed with this pleading" in text and "this Complaint" not in text
    assert "within the jurisdictional limits of the Court (Tex. R. Civ. P. 47(b))" in text
    other = _text(_doc("us-ca", "civil_complaint"))  # the other states keep "Complaint"
    assert "COMPLAINT" in other.split("Parties", 1)[0] and "Petition" not in other
