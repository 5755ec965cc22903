"""The timeline page: dated answers, added steps, deadlines, and the calendar download."""

from __future__ import annotations

import re

from icalendar import Calendar

from tests.web.conftest import csrf_token
from tests.web.test_wizard import _post


def _page(client):
    return client.get("/timeline").get_data(as_text=True)


def test_timeline_needs_an_open_case(client):
    response = client.get("/timeline")
    assert response.status_code in (302, 303)


def test_added_steps_and_dated_answers_appear_in_order(client, new_case):
    new_case()
    _post(client, "what_happened", {"f_content__is_obscene": "yes",
                                    "f_incident__first_known": "2025-03-02"})
    page = _page(client)
    form = {"csrf_token": csrf_token(page), "type": "police_report", "on": "2025-05-06",
            "reference": "Receipt 4711", "note": ""}
    assert client.post("/timeline/events", data=form).status_code == 303
    page = _page(client)
    found = page.index("March 2, 2025"), page.index("May 6, 2025")
    assert found[0] < found[1]
    assert "Reported to the police" in page and "Receipt 4711" in page
    # zz's five-year limitation from the day she found out is on the timeline.
    assert "March 2, 2030" in page and "Limitation period" in page


def test_an_added_step_can_be_removed(client, new_case):
    new_case()
    page = _page(client)
    client.post("/timeline/events", data={"csrf_token": csrf_token(page), "type": "other",
                                          "on": "2025-01-09", "note": "spoke to a counsellor"})
    page = _page(client)
    event_id = re.search(r'name="event_id" value="([0-9a-f]+)"', page).group(1)
    client.post("/timeline/events/remove", data={"csrf_token": csrf_token(page),
                                                 "event_id": event_id})
    assert "spoke to a counsellor" not in _page(client)


def test_a_bad_date_is_refused_with_a_message(client, new_case):
    new_case()
    page = _page(client)
    response = client.post("/timeline/events", data={"csrf_token": csrf_token(page),
                                                     "type": "other", "on": "someday"})
    assert response.status_code == 422
    assert "Not a valid date value" in response.get_data(as_text=True)


def test_calendar_download_is_neutral_unless_she_asks(client, new_case):
    new_case()
    _post(client, "what_happened", {"f_content__is_obscene": "yes",
                                    "f_incident__first_known": "2025-03-02"})
    page = _page(client)
    response = client.post("/timeline/calendar.ics", data={"csrf_token": csrf_token(page)})
    assert response.mimetype == "text/calendar"
    assert "no-store" in response.headers["Cache-Control"]
    events = Calendar.from_ical(response.data).walk("VEVENT")
    assert [str(e["SUMMARY"]) for e in events] == ["Reminder"]
    detailed = client.post("/timeline/calendar.ics", data={"csrf_token": csrf_token(page),
                                                           "detailed": "y"})
    assert [str(e["SUMMARY"]) for e in Calendar.from_ical(detailed.data).walk("VEVENT")] == [
        "Limitation period (Spreading obscene images)"]
