"""Every kind in every shipped jurisdiction, from the rule file's own scenario facts: the PDF
and DOCX text hold the parties, the rule file's citations, the evidence and no template
syntax; a Chinese PDF embeds a CJK font."""

from __future__ import annotations

import datetime as dt

import pytest

from caseprep.documents import html, model, service
from caseprep.documents.docx import render_docx
from caseprep.documents.pdf import render_pdf
from caseprep.rules import assess, load_jurisdictions
from tests.documents.helpers import docx_text, pdf_fonts, pdf_text, printed_article, squash

JURISDICTIONS = load_jurisdictions()
DETAILS = {"victim.name": "Test Victim 测试", "perpetrator.handles": "@handle_zz9"}
TODAY = dt.date(2026, 11, 25)


def _evidence(platforms):
    platform = (platforms or ["telegram"])[0]
    return [{"index": i, "kind": "image", "platform": platform, "reference": f"t.me/c/77/{i}",
             "poster": "@poster_q7", "posted_at": f"2026-02-1{i}T10:00:00",
             "sha256": f"{i:x}" * 64} for i in range(1, 4)]


def _scenario_for(jurisdiction, kind):
    """The first scenario whose assessment has an active route producing `kind`."""
    for scenario in jurisdiction.scenarios:
        facts = dict(scenario.facts)
        result = assess(jurisdiction, facts, lang=jurisdiction.language, today=TODAY).to_dict()
        if any(kind in r["documents"] and r["status"] in ("met", "unknown")
               for r in result["routes"]):
            return facts
    return dict(jurisdiction.scenarios[0].facts)


# Documents that list no evidence items (they attach the evidence list or need none).
NO_EVIDENCE_TABLE = ("evidence_checklist", "pseudonym_motion", "receipt_request",
                     "reconsideration_application", "supervision_application",
                     "demand_letter",  # a letter to the poster does not list the evidence
                     "case_timeline")  # the evidence log per day, not item by item
CASES = [(code, kind) for code in sorted(JURISDICTIONS) for kind in model.KINDS]


@pytest.fixture(scope="module")
def rendered():
    """(code, kind) -> list of (Document, pdf text, docx text, pdf fonts); built once."""
    out = {}
    for code, kind in CASES:
        jurisdiction = JURISDICTIONS[code]
        facts = _scenario_for(jurisdiction, kind)
        evidence = _evidence(facts.get("distribution.platforms"))
        docs = service.build_documents(jurisdiction, facts, DETAILS, evidence, [kind],
                                       today=TODAY)
        rows = []
        for doc in docs[:2]:  # takedown: the first two notices are enough
            markup = html.render_html(doc)
            pdf = render_pdf(markup)
            rows.append((doc, pdf_text(pdf), docx_text(render_docx(doc, markup)),
                         pdf_fonts(pdf), evidence))
        out[(code, kind)] = rows
    return out


def test_shipped_rules_are_there():
    assert {"cn", "us"} <= set(JURISDICTIONS)


@pytest.mark.parametrize(("code", "kind"), CASES)
def test_document_from_scenario_facts(rendered, code, kind):
    rows = rendered[(code, kind)]
    assert rows, f"{code} {kind}: nothing generated"
    for doc, pdf, word, fonts_used, evidence in rows:
        # The authority's language, or for a notice the language its platform reads.
        assert doc.for_filing
        assert doc.lang == JURISDICTIONS[code].language or kind == "takedown_notice"
        for text in (pdf, word):
            assert "{{" not in text and "{%" not in text and "{#" not in text
            assert "None" not in text.split() and "Undefined" not in text
        # A US plaintiff is "Jane Doe" by default: her name is in no public filing.
        pseudonymous = kind == "pseudonym_motion" or (code.split("-")[0] == "us"
                                                      and kind == "civil_complaint")
        if kind != "evidence_checklist" and not pseudonymous:
            assert "Test Victim 测试" in word
            assert squash("Test Victim 测试") in squash(pdf)
        if kind in ("police_report", "civil_complaint"):
            assert "@handle_zz9" in word and "@handle_zz9" in pdf
        expected = evidence
        if kind == "takedown_notice":
            on_platform = {i.reference for i in doc.platform_items}
            expected = [item for item in evidence if item["reference"] in on_platform]
            if not expected:  # a notice to a platform the log has nothing on
                assert any("网址或消息链接" in p or "URLs" in p for p in doc.placeholders)
        if kind not in NO_EVIDENCE_TABLE:
            for item in expected:
                assert item["reference"] in word
                assert squash(item["reference"]) in squash(pdf)
        if kind == "evidence_list":
            for item in evidence:  # printed as two lines of 32 hex digits
                assert item["sha256"][:32] in pdf and item["sha256"][32:] in pdf
                assert item["sha256"] in squash(word)
        # A filing pleads its grounds: the met routes' citations (all when none is met).
        # A cn 控告书 cites the offences it claims (test_cn_offence_papers.py).
        cited = doc.offence_grounds if doc.variant == "cn" and kind == "police_report" \
            else doc.grounds if kind in ("police_report", "civil_complaint",
                                        "injunction_application") \
            else doc.motion_citations if kind == "pseudonym_motion" \
            else doc.grounds if kind == "demand_letter" \
            else doc.citations  # the pleaded (role `ground`) citations of its routes
        pleads = doc.claimed_offences if doc.variant == "cn" and kind == "police_report" \
            else doc.routes  # a 控告书 claiming nothing cites nothing as broken
        if kind in ("police_report", "civil_complaint", "takedown_notice") and pleads:
            assert cited, f"{code} {kind}: routes without citations"
        if kind != "evidence_checklist":
            for citation in cited:
                assert squash(printed_article(doc, citation)) in squash(pdf), citation
                assert printed_article(doc, citation) in word
                # (a cn edition stands after the title marks: 《…》（2012年修正）第…条)
                if citation.get("cite") and (doc.lang == "en"
                                             or doc.jurisdiction.startswith("us")):
                    # "15 U.S.C. § 6851(b)(1)(A)", in a US paper's reading copies too
                    assert squash(citation["cite"]) in squash(pdf), citation["cite"]
                else:
                    assert squash(citation["instrument"]) in squash(pdf).replace("》", "")
        for route in doc.routes if kind in ("police_report", "takedown_notice") else []:
            if doc.variant == "cn" and kind == "police_report":  # by charge and provision
                if route in doc.claimed_offences:
                    assert squash(route.get("case_cause") or doc.offence_name(route)) \
                        in squash(pdf)
                continue
            if doc.jurisdiction == "kr" and kind == "police_report" \
                    and route.get("kind") == "criminal" and route.get("case_cause"):
                # A 고소장 names an offence by its 죄명 (test_reading_pass_us_kr.py), except
                # one undecided only on her own age then (test_reading_pass_kr_polish.py).
                hers = route["status"] != "met" and route.get("missing_facts") and all(
                    f.startswith("victim.") for f in route["missing_facts"])
                assert (squash(route["case_cause"]) in squash(pdf)) != bool(hers), route["id"]
                continue
            if route.get("id") == "dsc_7_3_deletion_support":
                # a request for the Center's deletion support introduces its provisions
                assert squash(str(doc.t("takedown.support_law_intro"))) in squash(pdf)
                continue
            if kind == "takedown_notice" and doc.variant in ("civil_code_1195", "icn_copyright"):
                # A cn notice states its basis by its provisions, not by the route's title
                # for her (test_reading_pass_cn.py).
                assert squash(str(doc.t("takedown.law_intro"))) in squash(pdf)
                continue
            assert squash(route["title"]) in squash(pdf)
        if doc.lang.startswith("zh"):
            assert any("CJK" in line and " yes " in line for line in fonts_used.splitlines())


def test_default_plan_for_the_motivating_case_has_notices_per_platform():
    cn = JURISDICTIONS["cn"]
    facts = next(dict(s.facts) for s in cn.scenarios if "motivating" in s.name)
    assessment = assess(cn, facts, lang="zh_Hans", today=TODAY).to_dict()
    specs = service.plan(assessment, facts)
    kinds = {s.kind for s in specs}
    assert {"civil_complaint", "takedown_notice", "evidence_list"} <= kinds
    platform_notices = [s for s in specs if s.kind == "takedown_notice" and s.platform]
    assert {s.platform for s in platform_notices} == set(facts["distribution.platforms"])
