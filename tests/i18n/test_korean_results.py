"""The Korean results page leads with the route that fits her: in the self-taken walk (an
adult whose former partner spread pictures she took of herself), SPA art. 14(2). The
possession offence 14(4) is open too, and its shorter limitation period used to put it
first; both go in the same 고소장, so the rule file's order picks which one leads."""

from __future__ import annotations

import re

from tests.i18n.test_korean import PASSPHRASE, SELF_TAKEN, _csrf

# What the walk in a browser also answers (tests/browser/test_korean_walk.py).
MORE = {"f_victim__is_minor": "no", "f_content__created_with_consent": "yes",
        "f_content__filming_known": "yes", "f_content__still_online": "yes",
        "f_content__insulting_or_false_text": "no", "f_victim__is_woman": "yes",
        "f_incident__posted_on": "2025-03-10", "f_incident__first_known": "2025-03-12"}


def _walk(client) -> None:
    """The self-taken walk as a person does it: a step asks more once earlier answers are in
    and comes in parts, so each is answered until it moves on."""
    page = client.get("/new").get_data(as_text=True)
    client.post("/new", data={"csrf_token": _csrf(page), "passphrase": PASSPHRASE,
                              "passphrase_again": PASSPHRASE, "locale": "ko",
                              "lives_in": "kr"})
    for step, answers in SELF_TAKEN.items():
        answers = {**answers, **MORE} if step == "what_happened" else answers
        url = f"/wizard/{step}"
        for _page in range(5):
            page = client.get(url).get_data(as_text=True)
            asked = re.search(r'name="asked" value="([^"]*)"', page)
            response = client.post(url, data={
                "csrf_token": _csrf(page), "asked": asked.group(1) if asked else "", **answers})
            assert response.status_code == 303, step
            after = response.headers["Location"]
            if f"/wizard/{step}" not in after:  # the step grows, or has a next part
                break
            url = after[after.index("/wizard/"):]


def _statuses(page: str) -> dict[str, str]:
    return {rid: status for status, rid in
            re.findall(r'class="card route route--(\w+)" id="route-kr-(\w+)"', page)}


def test_start_here_leads_with_distribution_of_what_she_filmed_herself(app, client):
    _walk(client)
    page = client.get("/wizard/results").get_data(as_text=True)
    statuses = _statuses(page)
    # Both offences are open; 14(4) has the earlier limitation date (5 years, not 7).
    assert statuses["spa_14_2_distribution"] == statuses["spa_14_4_possession"] == "met"
    start = page[page.index('class="start-here"'):]
    start = start[:start.index("</section>")]
    steps = re.findall(r'<h3 class="step-first__title"><a [^>]*>([^<]+)</a></h3>', start)
    kr = app.extensions["caseprep.rules"].jurisdictions["kr"]
    titles = {route.id: route.title["ko"] for route in kr.routes}
    assert titles["spa_14_2_distribution"] in steps
    assert titles["spa_14_4_possession"] not in start
