"""Issue 16's Korean walks in a real browser on a phone (360 px, Korean browser, no
JavaScript): an adult whose former partner posted, in a Telegram room and on KakaoTalk,
pictures she had taken of herself and sent only to him; a sexual deepfake of her posted by
someone unknown; a former partner threatening to send a video unless she pays.
Screenshots go to tests/_artifacts/walk-ko-360-*.
"""

from __future__ import annotations

import re

import pytest

from tests.browser.test_wizard_walk import _shot, _walk

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PASSPHRASE = "연이 옛 성벽 위로 날아가요 2026"
ANSWERS_KR = {
    "f_content__kinds": ["intimate_image"],
    "f_content__is_obscene": "yes",
    "f_content__self_created": "yes",
    "f_content__created_with_consent": "yes",
    "f_content__filming_known": "yes",
    "f_content__shared_with_consent": "no",
    "f_content__made_public_by_victim": "no",
    "f_content__still_online": "yes",
    "f_content__face_visible": "yes",
    "f_victim__is_woman": "yes",
    "f_victim__is_minor": "no",
    "f_incident__first_known": "2026-02-03",
    "f_incident__posted_on": "2026-02-01",
    "f_incident__narrative": "헤어진 전 남자친구에게만 보냈던 제 사진을 그 사람이 텔레그램 방과 "
                             "카카오톡 단체방에 올렸어요.",
    "f_perpetrator__identified": "yes",
    "f_perpetrator__relationship": "ex_partner",
    "f_distribution__platforms": ["telegram", "kakaotalk"],
    "f_distribution__for_profit": "no",
    "f_evidence__images_count": "12",
    "f_police__reported": "no",
    "f_goals": ["removal", "prosecution"],
}
ANSWERS_DEEPFAKE = {
    "f_content__kinds": ["manipulated_media"],
    "f_content__fake_is_intimate": "yes",
    "f_content__shared_with_consent": "no",
    "f_content__made_public_by_victim": "no",
    "f_content__still_online": "yes",
    "f_content__face_visible": "yes",
    "f_victim__is_woman": "yes",
    "f_victim__is_minor": "no",
    "f_incident__first_known": "2026-01-20",
    "f_incident__posted_on": "2026-01-15",
    "f_perpetrator__identified": "no",
    "f_distribution__platforms": ["telegram", "x"],
    "f_distribution__for_profit": "no",
    "f_evidence__images_count": "3",
    "f_police__reported": "no",
    "f_goals": ["removal", "prosecution"],
}
# Threatened, not (yet) spread: she says nothing about where it was shared, and the video
# is not online.
ANSWERS_THREAT = {
    "f_content__kinds": ["intimate_video"],
    "f_content__still_online": "no",
    "f_harm__threat_to_share": "yes",
    "f_harm__threatened_image_exists": "yes",
    "f_harm__extortion": "yes",
    "f_harm__money_demanded": "yes",
    "f_harm__amount_demanded": "3000000",
    "f_incident__threat_made_on": "2026-03-02",
    "f_victim__is_woman": "yes",
    "f_victim__is_minor": "no",
    "f_perpetrator__identified": "yes",
    "f_perpetrator__relationship": "ex_partner",
    "f_police__reported": "no",
    "f_goals": ["prosecution", "protection"],
}
WALKS = {  # name: (answers, a route the answers open)
    "self-taken": (ANSWERS_KR, "spa_14_2_distribution"),
    "deepfake": (ANSWERS_DEEPFAKE, "spa_14_2_deepfake_distribution"),
    "threat": (ANSWERS_THREAT, "spa_14_3_threat"),
}
TEXTS_KO = {"start": "새 사건 시작하기", "create": "내 사건 만들기",
            "written": "적어 두었어요. 계속하기", "next": "저장하고 계속하기"}
# Latin words a Korean page may show: brand names, formats, the product's name.
ALLOWED_LATIN = {"caseprep", "Telegram", "Esc", "PDF", "Word", "ZIP", "DOCX", "X", "AI", "URL",
                 "KCSC", "SNS", "ID", "SHA", "QQ", "RED", "Pornhub", "OnlyFans", "WeChat",
                 "Bing", "English", "Chrome", "Safari", "Firefox"}


@pytest.mark.parametrize("walk", list(WALKS))
def test_korean_walk_on_a_phone(open_context, live_server, artifacts, walk):
    answers, route_id = WALKS[walk]
    prefix = "walk-ko-360" if walk == "self-taken" else f"walk-ko-360-{walk}"
    context = open_context(viewport={"width": 360, "height": 740}, locale="ko-KR",
                           is_mobile=True, has_touch=True, java_script_enabled=False)
    page = context.new_page()
    _walk(page, live_server, {**TEXTS_KO}, {**answers}, artifacts, prefix, lives_in="kr")
    assert page.locator("html").get_attribute("lang") == "ko"
    route = page.locator(f"#route-kr-{route_id}")
    assert route.count() == 1 and "route--met" in route.get_attribute("class"), walk
    assert page.get_by_role("heading", name="여기서 시작하세요").count() == 1
    # "Start here" names the offence against her first among the police-report routes, not
    # possession by others (its shorter limitation period once put it first).
    steps = page.locator(".step-first__title a").evaluate_all("els => els.map(e => e.hash)")
    criminal = [s for s in steps if "-spa_" in s or "-criminal_act_" in s]
    assert criminal and criminal[0] == f"#route-kr-{route_id}", steps
    body = page.locator("body").inner_text()
    assert "가해자 처벌받게 하기" in body
    left = set(re.findall(r"[A-Za-z][A-Za-z'’]+", body)) - ALLOWED_LATIN
    # Places without a Korean name in their rule file are listed in English.
    assert left <= {"United", "States", "federal", "California", "New", "York"}, left
    # Nothing wider than the phone, and nothing fetched from outside; with three languages
    # the header still is one line (site name, the other two languages, quick exit).
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert page.locator(".site-header").bounding_box()["height"] <= 60
    assert context.outside_requests == []
    _shot(page, artifacts, f"{prefix}-99-results")
    with page.expect_navigation():
        page.goto(live_server + "/documents/")
    assert page.locator("html").get_attribute("lang") == "ko"
    assert "내 서류" in page.locator("h1").inner_text()
    _shot(page, artifacts, f"{prefix}-98-documents")
