"""The results page: routes by kind, plain statuses, gaps as bars, deadlines, citations."""

from __future__ import annotations

import re

import pytest

from tests.web.test_wizard import _post

MOTIVATING = {
    "what_happened": {"f_content__kinds": ["everyday_photo"], "f_content__is_obscene": "yes",
                      "f_incident__first_known": "2026-01-10"},
    "where": {"f_distribution__for_profit": "no"},
    "evidence": {"f_evidence__images_count": "34", "f_evidence__videos_count": "0"},
}


@pytest.fixture
def results_page(client, new_case):
    def render(locale="en"):
        new_case(locale=locale)
        for step, answers in MOTIVATING.items():
            assert _post(client, step, answers).status_code == 303
        response = client.get("/wizard/results")
        assert response.status_code == 200
        return response.get_data(as_text=True)

    return render


def test_routes_are_grouped_by_kind_in_order(results_page):
    html = results_page()
    headings = re.findall(r"<h3>([^<]+)</h3>", html)
    assert headings == ["Criminal: a police report", "Administrative: a police penalty",
                        "Civil: a claim in court", "Takedown: platforms and regulators"]


def test_statuses_in_plain_words(results_page):
    html = results_page()
    criminal = _route(html, "obscene_spread")
    assert "route--not_met" in criminal
    assert "this route is not open yet" in criminal
    assert "route--met" in _route(html, "police_penalty")
    assert "This route looks open to you" in _route(html, "police_penalty")
    assert "Not decided yet" in _route(html, "portrait_right")


def test_threshold_gap_is_drawn_as_a_bar(results_page):
    criminal = _route(results_page(), "obscene_spread")
    assert '<progress value="34" max="400">' in criminal
    assert "34 of 400" in criminal
    assert "8%" in criminal  # 34 / 400 = 8.5%, never rounded up
    assert '<progress value="0" max="40">' in criminal  # the videos alternative
    closest = re.search(r'<div class="gap gap--closest">.*?<progress[^>]*>', criminal, re.S)
    assert closest and "34 of 400" in closest.group(0)  # the closest of the alternatives
    assert '<progress value="34" max="400">' in closest.group(0)
    assert "Every threshold of this route (2)" in criminal


def test_a_count_not_given_yet_reads_not_counted(client, new_case):
    new_case()
    _post(client, "what_happened", MOTIVATING["what_happened"])
    _post(client, "where", MOTIVATING["where"])
    _post(client, "evidence", {"f_evidence__images_count": "34"})
    criminal = _route(client.get("/wizard/results").get_data(as_text=True), "obscene_spread")
    assert "route--unknown" in criminal
    assert "not counted yet, 40 needed" in criminal
    assert 'href="/wizard/evidence?return=results#f_evidence__videos_count"' in criminal


def test_unknown_routes_link_to_the_deciding_questions(results_page):
    civil = _route(results_page(), "portrait_right")
    assert 'href="/wizard/who?return=results#f_perpetrator__identified"' in civil


def test_authority_deadline_and_citations(results_page):
    html = results_page()
    criminal = _route(html, "obscene_spread")
    assert "The local police station" in criminal
    assert "5 years" in criminal
    assert "January 10, 2031" in criminal  # 2026-01-10 + P5Y, formatted by Babel
    assert "confirmed from the text" in criminal
    assert "not yet confirmed" in criminal
    assert "Count every image" in criminal  # next steps
    assert "Draft rules" in html and "2026.11.0" in html and "November 1, 2026" in html


def test_results_in_chinese_use_the_rule_files_texts_and_chinese_dates(results_page):
    html = results_page(locale="zh_Hans")
    assert "测试国" in html
    assert "传播淫秽物品" in html and "当地派出所" in html
    assert "2031年1月10日" in html
    assert '<progress value="34" max="400">' in html


def test_results_without_open_case_redirect(client):
    assert client.get("/wizard/results").status_code == 302


def _route(html: str, route_id: str) -> str:
    pattern = rf'<article class="card route [^"]*" id="route-zz-{route_id}">(.*?)</article>'
    match = re.search(pattern, html, re.S)
    assert match, route_id
    return match.group(0)
