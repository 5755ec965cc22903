"""Assessments in the shape of docs/architecture.md, for tests that must not depend on the
shipped rule files' exact wording (those are exercised in test_shipped_rules.py)."""

from __future__ import annotations

CN_CITE_364 = {"instrument": "中华人民共和国刑法", "article": "364", "url": None,
               "quote": "传播淫秽的书刊、影片、音像、图片或者其他淫秽物品，情节严重的",
               "confirmed": True}
CN_CITE_1019 = {"instrument": "中华人民共和国民法典", "article": "1019", "url": None,
                "quote": "未经肖像权人同意，不得制作、使用、公开肖像权人的肖像", "confirmed": True}
CN_CITE_1195 = {"instrument": "中华人民共和国民法典", "article": "1195", "url": None,
                "quote": "", "confirmed": True}
US_CITE_TIDA = {"instrument": "47 U.S.C.", "article": "223a", "url": None, "quote": "",
                "confirmed": True}
US_CITE_6851 = {"instrument": "15 U.S.C.", "article": "6851", "url": None,
                "quote": "liquidated damages in the amount of $150,000", "confirmed": True}


CN_POLICE = "＿＿市公安局＿＿分局（派出所）"


def _route(rid, kind, status, title, citations, documents, **extra):
    route = {"id": rid, "kind": kind, "status": status, "title": title, "summary": title + "。",
             "citations": citations, "reasons": [], "gaps": [], "closest_gap": None,
             "missing_facts": [], "authority": "", "deadlines": [], "remedies": [],
             "documents": documents, "evidence": [], "next_steps": []}
    route.update(extra)
    return route


def cn_assessment():
    gap = {"fact": "evidence.images_count", "have": 34, "need": 400, "threshold": "volume",
           "label": "图片数量"}
    return {
        "jurisdiction": "cn", "name": "中国大陆", "rules_version": "2026.11.1",
        "rules_status": "draft", "reviewed_on": "2026-11-25", "language": "zh_Hans",
        "paper": "A4", "next_questions": [],
        "routes": [
            _route("obscene_dissemination", "criminal", "not_met", "传播淫秽物品罪",
                   [CN_CITE_364], ["police_report", "evidence_checklist"], gaps=[gap],
                   closest_gap=gap, authority="公安机关", addressee=CN_POLICE),
            _route("privacy_admin", "administrative", "unknown", "散布他人隐私（治安管理处罚）",
                   [], ["police_report"], authority="县级以上公安机关", addressee=CN_POLICE,
                   missing_facts=["harm.harassed_by_others"]),
            _route("portrait_right", "civil", "met", "侵害肖像权", [CN_CITE_1019],
                   ["civil_complaint", "evidence_checklist"], authority="人民法院",
                   addressee="＿＿人民法院",
                   evidence=["对网页和聊天记录进行公证或可信时间戳取证"],
                   next_steps=["向侵权行为地或被告住所地人民法院起诉"],
                   deadlines=[{"id": "limitation", "label": "诉讼时效三年", "period": "P3Y",
                               "from_fact": "incident.first_known", "due": "2029-03-01",
                               "citations": []}]),
            _route("platform_notice", "takedown", "met", "通知平台删除", [CN_CITE_1195],
                   ["takedown_notice"], authority="网络服务提供者",
                   notice_template="civil_code_1195"),
        ],
    }


def us_assessment():
    return {
        "jurisdiction": "us", "name": "United States (federal)", "rules_version": "2026.11.1",
        "rules_status": "draft", "reviewed_on": "2026-11-25", "language": "en",
        "paper": "letter", "next_questions": [], "omit_details": ["victim.id_number"],
        "routes": [
            _route("take_it_down_removal", "takedown", "met", "TAKE IT DOWN Act removal request",
                   [US_CITE_TIDA], ["takedown_notice"], authority="The platform",
                   notice_template="take_it_down"),
            _route("civil_6851", "civil", "met", "Civil action for disclosure of intimate images",
                   [US_CITE_6851], ["civil_complaint", "evidence_checklist"],
                   authority="United States district court",
                   addressee="United States District Court for the ＿＿ District of ＿＿",
                   remedies=["Liquidated damages of $150,000 or actual damages"]),
            _route("tida_offence", "criminal", "unknown", "Publication of intimate depiction",
                   [US_CITE_TIDA], ["police_report"], authority="FBI (tips.fbi.gov)",
                   addressee="Federal Bureau of Investigation, ＿＿ Field Office"),
        ],
    }


FACTS = {
    "content.kinds": ["everyday_photo"],
    "distribution.platforms": ["telegram"],
    "distribution.audience_max": 200000,
    "evidence.images_count": 34,
    "incident.first_known": "2026-03-01",
    "incident.narrative": "我的照片被人从微信朋友圈下载后发到了电报群里。",
}

EVIDENCE = [
    {"index": 1, "kind": "image", "platform": "telegram", "reference": "https://t.me/c/123/45",
     "poster": "@poster_one", "posted_at": "2026-02-20T10:00:00", "captured_at": "2026-03-02",
     "sha256": "a" * 64, "size": 1234, "notes": ""},
    {"index": 2, "kind": "screenshot", "platform": "telegram", "reference": "t.me/c/123/46",
     "poster": "@poster_two", "posted_at": "2026-02-21T11:00:00", "captured_at": "2026-03-02",
     "sha256": "b" * 64, "size": 5678, "notes": "群成员数截图"},
]

DETAILS = {"victim.name": "李某某", "victim.contact": "138 0000 0000",
           "perpetrator.handles": "@poster_one"}
