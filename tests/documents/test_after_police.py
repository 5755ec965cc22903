"""After the police say no (issue 11, item 5): the cn routes that produce a request for a
受案回执, a 刑事复议申请书 with its 7-day deadline from the notice date, a 立案监督申请书 (Criminal
Procedure Law art. 113) and a 刑事自诉状 (art. 210), and the elements of each."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from caseprep.documents import html, service
from caseprep.rules import assess, load_jurisdictions

TODAY = dt.date(2026, 11, 27)
BASE = {"content.kinds": ["everyday_photo"], "content.shared_with_consent": False,
        "content.still_online": True, "distribution.platforms": ["telegram"],
        "incident.posted_on": "2026-03-01", "police.reported": True,
        "police.reported_on": "2026-11-01"}
DETAILS = {"victim.name": "李某某", "victim.contact": "138 0000 0000",
           "perpetrator.handles": "@ex_1"}


def _text(kind, **facts):
    cn = load_jurisdictions()["cn"]
    doc = service.build_documents(cn, dict(BASE, **facts), DETAILS, [], [kind], today=TODAY)[0]
    return doc, re.sub(r"<[^>]+>", "", html.render_html(doc).split("<body", 1)[1])


@pytest.mark.parametrize(("response", "kinds"), [
    ("refused_orally", {"receipt_request", "supervision_application", "private_prosecution"}),
    ("refused_in_writing", {"reconsideration_application", "supervision_application",
                            "private_prosecution"}),
    ("nothing_yet", {"receipt_request"}),
    ("case_opened", set()),
])
def test_the_police_answer_decides_the_documents(response, kinds):
    cn = load_jurisdictions()["cn"]
    facts = dict(BASE, **{"police.response": response, "police.response_on": "2026-11-22"})
    planned = {s.kind for s in service.plan(assess(cn, facts, "zh_Hans", TODAY).to_dict(), facts)}
    after = {"receipt_request", "reconsideration_application", "supervision_application",
             "private_prosecution"}
    assert planned & after == kinds


def test_receipt_request():
    _, text = _text("receipt_request", **{"police.response": "refused_orally"})
    for element in ("受案回执申请书", "申请人", "申请事项", "出具接报案回执", "2026年11月1日",
                    "此致", "＿＿市公安局＿＿分局（派出所）", "申请人（签名）"):
        assert element in text, element


def test_reconsideration_states_the_decision_and_the_seven_day_deadline():
    doc, text = _text("reconsideration_application",
                      **{"police.response": "refused_in_writing",
                         "police.response_on": "2026-11-22"})
    for element in ("刑事复议申请书", "申请事项", "请求撤销贵局于2026年11月22日作出的不予立案决定",
                    "文书编号", "事实与理由", "第一百七十九条", "此致", "＿＿市公安局＿＿分局",
                    "不予立案通知书复印件"):
        assert element in text, element
    assert "截止日期：2026年11月29日" in text  # 7 days from the notice date


def test_supervision_application_cites_article_113_and_goes_to_the_procuratorate():
    _, text = _text("supervision_application", **{"police.response": "refused_orally"})
    for element in ("立案监督申请书", "说明不立案的理由", "第一百一十三条", "口头表示不予立案",
                    "此致", "＿＿市＿＿区人民检察院"):
        assert element in text, element


def test_private_prosecution_has_the_form_of_a_zisuzhuang():
    _, text = _text("private_prosecution", **{"police.response": "penalty_imposed"})
    for element in ("刑事自诉状", "自诉人：李某某", "被告人：", "案由和诉讼请求",
                    "追究被告人的刑事责任", "事实与理由", "第二百一十条", "证据和证据来源",
                    "此致", "＿＿人民法院", "自诉人（签名）"):
        assert element in text, element
