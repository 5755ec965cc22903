"""The results page: routes by kind, plain statuses, gaps as bars, deadlines, citations."""

from __future__ import annotations

import re

import pytest

from tests.web.conftest import PASSPHRASE
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


def test_routes_are_grouped_by_what_she_wants(results_page):
    html = results_page()
    headings = re.findall(r"<h3>([^<]+)</h3>", html)
    # She has not said what she wants: every group, in the usual order.
    assert headings == ["Getting the photos taken down", "Getting the person punished",
                        "Compensation and an apology"]


def test_her_goals_order_the_groups_and_start_here(client, new_case):
    new_case()
    for step, answers in MOTIVATING.items():
        _post(client, step, answers)
    _post(client, "goals", {"f_goals": ["compensation", "prosecution"]})
    _post(client, "who", {"f_perpetrator__identified": "yes"})
    html = client.get("/wizard/results").get_data(as_text=True)
    headings = re.findall(r"<h3>([^<]+)</h3>", html)
    groups = [h for h in headings if h in ("Getting the photos taken down",
                                            "Getting the person punished",
                                            "Compensation and an apology")]
    # Her goals first (in the page's usual order: a list answer has none), then the others.
    assert groups == ["Getting the person punished", "Compensation and an apology",
                      "Getting the photos taken down"]
    steps = re.findall(r'<h3 class="step-first__title"><a [^>]*>([^<]+)</a></h3>', html)
    assert steps == ["Police penalty", "Portrait rights claim"]  # the open ones
    start = html[html.index('class="start-here"'):html.index("</section>")]
    assert "Civil complaint" in start  # the document to take
    assert "Deadline" in start


def test_a_route_closed_by_an_answer_folds_into_one_line(client, new_case):
    new_case()
    _post(client, "what_happened", {"f_content__is_obscene": "no",
                                    "f_content__kinds": ["everyday_photo"]})
    html = client.get("/wizard/results").get_data(as_text=True)
    folded = html[html.index('class="card not-applicable"'):]
    folded = folded[:folded.index("</details>")]
    assert "Checked and not applicable: 1 route" in folded
    line = re.search(r'<li id="route-zz-obscene_spread">(.*?)</li>', folded, re.S).group(1)
    assert "Spreading obscene images" in line
    assert "Sexually explicit content: no. This route is for when the answer is yes" in line
    assert 'class="card route' not in folded


def test_police_refusal_explains_the_count(client, new_case):
    new_case()
    for step, answers in MOTIVATING.items():
        _post(client, step, answers)
    html = client.get("/wizard/results").get_data(as_text=True)
    assert "police-note" not in html
    _post(client, "evidence", {"f_police__reported": "yes"})
    _post(client, "evidence", {"f_police__reported": "yes",
                               "f_police__response": "refused_in_writing"})
    html = client.get("/wizard/results").get_data(as_text=True)
    note = html[html.index('class="card notice police-note"'):]
    note = note[:note.index("</section>")]
    assert "The police said no" in note
    assert "A count decides only 1 route here." in note
    assert "1 route is open to you now without any count" in note


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
    assert ('href="/wizard/evidence?return=results&amp;ask=evidence.videos_count'
            '#f_evidence__videos_count"') in criminal


def test_unknown_routes_link_to_the_deciding_questions(results_page):
    civil = _route(results_page(), "portrait_right")
    assert ('href="/wizard/who?return=results&amp;ask=perpetrator.identified'
            '#f_perpetrator__identified"') in civil


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


def test_the_case_records_which_rules_version_its_results_used(client, new_case, app):
    """Issue 19: a lawyer can later tell which law a result was made with."""
    from caseprep.appshell.extensions import get_db
    from caseprep.assessment import RULES_USED_RECORD
    from caseprep.cases import service

    code = new_case()
    client.get("/wizard/results")
    client.get("/wizard/results")
    with app.app_context():
        case = service.open_case(get_db(), app.config["CASEPREP"], code, PASSPHRASE)
        used = case.read_record(RULES_USED_RECORD)["used"]
    assert [(u["jurisdiction"], u["version"], u["status"]) for u in used] == [
        ("zz", "2026.11.0", "draft")]
    assert used[0]["first_used"] == used[0]["last_used"]
