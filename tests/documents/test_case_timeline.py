"""The case drawn as a timeline (kind case_timeline): dates in order, the deadlines of open
routes, the evidence log per day with counts that add up to the log, the steps she added;
a vertical line with a mark per entry in the PDF; only made when chosen."""

from __future__ import annotations

import copy
import datetime as dt
import re

import pytest

from caseprep.documents import html, service
from caseprep.documents.chronology import EVENTS_KEY
from caseprep.documents.model import build
from caseprep.documents.pdf import render_pdf
from caseprep.evidence.posted import posted_counts, role_of
from caseprep.rules import load_jurisdictions
from caseprep.rules.dates import ApproxDate
from tests.documents.helpers import docx_text, pdf_text
from tests.documents.sample_data import cn_assessment

TODAY = dt.date(2026, 11, 27)
# As the catalog coerces them: a date, and a rough date known to the month.
FACTS = {"incident.first_known": dt.date(2026, 3, 1), "incident.made_on": ApproxDate("2025-05"),
         "content.kinds": ["everyday_photo"]}
# 3 postings on 20 Feb, 2 on 21 Feb, one item with no posting date; captures on 2 and 4 Mar.
EVIDENCE = [
    *({"kind": "image", "posted_at": "2026-02-20T10:00:00", "captured_at": "2026-03-02"}
      for _ in range(3)),
    *({"kind": "screenshot", "posted_at": "2026-02-21T23:59:00Z", "captured_at": "2026-03-04"}
      for _ in range(2)),
    {"kind": "web_page", "posted_at": "", "captured_at": "2026-03-04T08:00:00"},
    # Her own original (saved, never a posting) and a picture only possibly hers (nowhere).
    {"kind": "image", "role": "reference", "posted_at": "2026-02-20T09:00:00",
     "captured_at": "2026-03-04"},
    {"kind": "image", "role": "possible", "posted_at": "2026-02-20T10:00:00",
     "captured_at": "2026-03-04"},
]
EVENTS = [
    {"id": "e2", "type": "notice_sent", "on": "2026-03-08", "note": "", "reference": ""},
    {"id": "e1", "type": "police_report", "on": "2026-03-05", "note": "",
     "reference": "受案回执 4711"},
]


def _doc(lang="zh_Hans", assessment=None, today=TODAY, events=EVENTS):
    return build("case_timeline", assessment or cn_assessment(), FACTS, EVIDENCE, lang,
                 {EVENTS_KEY: events}, today=today,
                 fact_names={"incident.first_known": {"en": "Date she found out",
                                                      "zh_Hans": "知道此事的日期"},
                             "incident.made_on": {"en": "Date the photo was made",
                                                  "zh_Hans": "拍摄日期"}})


@pytest.mark.parametrize("lang", ["zh_Hans", "en", "ko"])
def test_points_are_in_date_order_with_deadlines_events_and_the_logs_counts(lang):
    doc = _doc(lang)
    points = doc.chronology
    isos = [p.iso for p in points]
    assert isos == sorted(isos)
    assert [p.source for p in points if p.source != "evidence"] == [
        "fact", "fact", "event", "event", "deadline"]
    # The met civil route's limitation period; the not-met criminal route has none shown.
    deadline = next(p for p in points if p.source == "deadline")
    assert deadline.iso == "2029-03-01" and deadline.title == "诉讼时效三年"
    days = [p for p in points if p.source == "evidence"]
    assert [p.iso for p in days] == ["2026-02-20", "2026-02-21", "2026-03-02", "2026-03-04"]
    # The same count as the results and the other documents (caseprep.evidence.posted).
    publications = [e for e in EVIDENCE if role_of(e) == "publication"]
    # Every publication with a posting date, once: the undated web page has no day.
    assert posted_counts(EVIDENCE).publications == len(publications) == 6
    assert sum(p.posted for p in days) == sum(1 for e in publications if e["posted_at"]) == 5
    assert sum(p.captured for p in days) == sum(
        1 for e in EVIDENCE if e["captured_at"] and role_of(e) != "possible") == 7
    assert [p.posted for p in days] == [3, 2, 0, 0]
    police = next(p for p in points if p.source == "event" and p.iso == "2026-03-05")
    assert police.detail == "受案回执 4711"
    assert doc.placeholders == []
    rough = {"zh_Hans": "2025年5月", "en": "May 2025", "ko": "2025. 5."}[lang]
    assert points[0].when == rough and points[0].approx


def test_the_html_draws_every_point_with_its_mark_in_order_and_the_counts():
    doc = _doc("zh_Hans")
    markup = html.render_html(doc)
    rows = re.findall(r'<tr class="chron chron--(\w+)[^"]*" data-date="([\d-]+)" '
                      r'data-source="\w+" data-posted="(\d+)" data-captured="(\d+)">', markup)
    assert [r[1] for r in rows] == [p.iso for p in doc.chronology]
    assert [r[1] for r in rows] == sorted(r[1] for r in rows)
    for source, *_ in rows:
        assert f"chron-dot--marker chron-dot--{source}" in markup
    counts = dict(re.findall(r'data-count="(\w+)">(\d+)<', markup))
    assert counts == {"events": "2", "days": "4", "posted": "5", "captured": "7",
                      "deadlines": "1"}
    assert "border-left" in markup  # the line the marks sit on
    assert "案件时间线" in markup and "2029年3月1日" in markup and "2025年5月" in markup
    assert "向公安机关报案" in markup  # cn wording of the step
    assert "Telegram" not in markup  # nothing but what was given
    assert "仅知月份或年份的日期" in markup  # the rough date of May 2025 is explained


def test_the_pdf_and_docx_say_the_dates_in_order():
    doc = _doc("zh_Hans")
    text = re.sub(r"\s+", "", pdf_text(render_pdf(html.render_html(doc))))
    order = ["2025年5月", "2026年2月20日", "2026年3月1日", "2026年3月5日", "2029年3月1日"]
    positions = [text.index(day) for day in order]
    assert positions == sorted(positions)
    assert "案件时间线" in text and "诉讼时效三年" in text and "登记发布3条" in text
    words = docx_text(service.render(doc, "docx").data)
    assert "受案回执 4711" in words and "诉讼时效三年" in words


def test_a_passed_deadline_is_marked_and_shared_deadlines_are_one_point():
    assessment = cn_assessment()
    civil = next(r for r in assessment["routes"] if r["id"] == "portrait_right")
    twin = copy.deepcopy(civil)
    twin.update(id="reputation_right", title="侵害名誉权")
    assessment["routes"].append(twin)
    doc = _doc("en", assessment, today=dt.date(2030, 1, 1))
    deadlines = [p for p in doc.chronology if p.source == "deadline"]
    assert len(deadlines) == 1
    assert deadlines[0].passed and "侵害肖像权" in deadlines[0].detail \
        and "侵害名誉权" in deadlines[0].detail
    assert "(this date has passed)" in html.render_html(doc)


def test_without_steps_or_dates_it_says_so():
    assessment = dict(cn_assessment(), routes=[])
    doc = build("case_timeline", assessment, {}, [], "en", {}, today=TODAY)
    assert doc.chronology == []
    markup = html.render_html(doc)
    assert "No dated entries yet." in markup and "known only to the month" not in markup


def test_it_is_made_only_when_chosen():
    assessment = cn_assessment()
    assert "case_timeline" not in {s.kind for s in service.plan(assessment, FACTS)}
    chosen = service.plan(assessment, FACTS, ["case_timeline", "evidence_list"])
    assert [s.kind for s in chosen] == ["evidence_list", "case_timeline"]


def _date_facts():
    catalog = load_jurisdictions()["cn"].catalog
    return sorted(fid for fid, fact in catalog.facts.items() if fact.type == "date")


@pytest.mark.parametrize("lang", ["zh_Hans", "en", "ko"])
def test_every_date_of_her_account_is_named_in_the_third_person(lang):
    """The catalog's labels speak to her ("Date you found out", "你提起民事诉讼的日期"); a
    chronology handed to a clerk or a lawyer names the same dates without "you"."""
    facts = {fid: dt.date(2026, 1, 1) + dt.timedelta(days=n)
             for n, fid in enumerate(_date_facts())}
    doc = build("case_timeline", cn_assessment(), facts, [], lang, {}, today=TODAY,
                fact_names={fid: {lang: "SHOULD NOT BE USED"} for fid in facts})
    titles = [p.title for p in doc.chronology if p.source == "fact"]
    assert len(titles) == len(facts) >= 10
    for title in titles:
        assert "SHOULD NOT BE USED" not in title
        assert not re.search(r"\byou\b|\byour\b|你|내가|나를", title, re.IGNORECASE), title
