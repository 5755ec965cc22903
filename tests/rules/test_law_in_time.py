"""Law in time: in-force windows, the lighter-law transition, changed thresholds, catch-alls,
approximate dates and limitation periods that bar — each boundary day on both sides."""

import datetime as dt

import pytest

from caseprep.rules import assess, load_jurisdictions
from caseprep.rules.catalog import FactValueError, coerce_value
from caseprep.rules.dates import ApproxDate
from caseprep.rules.loader import validate_paths

from .conftest import FIXTURES

TIMED = FIXTURES / "timed"
DAY = dt.timedelta(days=1)


@pytest.fixture
def tt():
    return load_jurisdictions(TIMED)["tt"]


def status(j, route, facts, today=dt.date(2026, 6, 1), lang="en"):
    return assess(j, facts, lang=lang, today=today).route(route)


@pytest.mark.parametrize(("posted", "old", "new"), [
    (dt.date(2025, 12, 31), "met", "not_met"),
    (dt.date(2026, 1, 1), "not_met", "met"),
])
def test_heavier_new_law_does_not_reach_back(tt, posted, old, new):
    facts = {"content.is_obscene": True, "incident.posted_on": posted}
    assert status(tt, "crime_old", facts).status == old
    assert status(tt, "crime_new", facts).status == new


def test_not_in_force_says_when_the_law_took_effect(tt):
    route = status(tt, "crime_new", {"content.is_obscene": True,
                                     "incident.posted_on": dt.date(2021, 3, 4)})
    assert route.status == "not_met"
    assert route.reasons == ["This law took effect on January 1, 2026; what you describe "
                             "happened March 4, 2021"]
    zh = status(tt, "crime_new", {"content.is_obscene": True,
                                  "incident.posted_on": dt.date(2021, 3, 4)}, lang="zh_Hans")
    assert "2026年1月1日" in zh.reasons[0] and "2021年3月4日" in zh.reasons[0]


@pytest.mark.parametrize(("today", "old", "new"), [
    # Decided before the lighter law took effect: the old law governs 2025 conduct.
    (dt.date(2025, 12, 31), "met", "not_met"),
    # Decided from the day it took effect: the lighter law reaches back to 2025 conduct.
    (dt.date(2026, 1, 1), "not_met", "met"),
])
def test_lighter_new_law_reaches_back_once_in_force(tt, today, old, new):
    facts = {"content.is_obscene": True, "incident.posted_on": dt.date(2025, 6, 1)}
    assert status(tt, "fine_old", facts, today=today).status == old
    route = status(tt, "fine_new", facts, today=today)
    assert route.status == new
    if new == "met":
        assert any("lighter than the law it replaced" in r for r in route.reasons)
    else:
        assert status(tt, "fine_old", facts, today=today).status == "met"


def test_old_route_names_the_lighter_law_that_replaced_it(tt):
    route = status(tt, "fine_old", {"content.is_obscene": True,
                                    "incident.posted_on": dt.date(2025, 6, 1)})
    assert route.status == "not_met"
    assert "New fine (lighter)" in route.reasons[0]


@pytest.mark.parametrize(("posted", "expected"), [
    (dt.date(2025, 5, 18), "not_met"),
    (dt.date(2025, 5, 19), "met"),
])
def test_civil_statute_applies_from_its_own_effective_date(tt, posted, expected):
    facts = {"incident.posted_on": posted, "incident.first_known": dt.date(2026, 1, 1)}
    assert status(tt, "civil_new", facts).status == expected


def test_unknown_date_is_unknown_and_asks_for_it(tt):
    route = status(tt, "crime_new", {"content.is_obscene": True})
    assert route.status == "unknown"
    assert route.missing_facts == ["incident.posted_on"]
    assert assess(tt, {"content.is_obscene": True}).next_questions[0] == "incident.posted_on"


def test_facts_that_rule_a_route_out_do_not_need_the_date(tt):
    route = status(tt, "crime_new", {"content.is_obscene": False})
    assert route.status == "not_met"
    assert route.missing_facts == []
    assert all("when it happened" not in r for r in route.reasons)


@pytest.mark.parametrize(("posted", "expected"), [
    ("2025-12", "met"),        # all of December 2025 is before the change
    ("2026-01", "not_met"),
    ("2025", "met"),
    ("2026", "not_met"),
])
def test_approximate_dates_decide_when_the_whole_range_agrees(tt, posted, expected):
    facts = {"content.is_obscene": True, "incident.posted_on": posted}
    assert status(tt, "crime_old", facts).status == expected


def test_approximate_date_straddling_the_change_stays_unknown(tt):
    facts = {"incident.posted_on": "2025-05", "incident.first_known": dt.date(2026, 1, 1)}
    route = status(tt, "civil_new", facts)
    assert route.status == "unknown"
    assert route.missing_facts == ["incident.posted_on"]
    assert "too rough" in route.reasons[0]


def test_citation_in_force_later_is_left_out(tt):
    facts = {"incident.posted_on": dt.date(2025, 6, 1), "incident.first_known": dt.date(2026, 1, 1)}
    articles = [c["article"] for c in status(tt, "civil_new", facts).citations]
    assert articles == ["3"]
    facts["incident.posted_on"] = dt.date(2026, 6, 1)
    articles = [c["article"] for c in status(tt, "civil_new", facts, today=dt.date(2026, 7, 1))
                .citations]
    assert articles == ["3", "3 (as amended)"]


@pytest.mark.parametrize(("posted", "images", "expected"), [
    (dt.date(2019, 12, 31), 60, "not_met"),   # old threshold: 100
    (dt.date(2019, 12, 31), 100, "met"),
    (dt.date(2020, 1, 1), 60, "met"),         # new threshold: 50
])
def test_threshold_in_force_at_the_conduct_applies(tt, posted, images, expected):
    facts = {"incident.posted_on": posted, "evidence.images_count": images}
    route = status(tt, "counted", facts, today=dt.date(2021, 1, 1))
    assert route.status == expected
    if expected == "not_met":
        assert {g["threshold"] for g in route.gaps} == {"before_2020"}


def test_unanswered_catch_all_is_unknown_never_not_met(tt):
    facts = {"incident.posted_on": dt.date(2021, 1, 1), "evidence.images_count": 10}
    route = status(tt, "counted", facts, today=dt.date(2022, 1, 1))
    assert route.status == "unknown"
    assert "harm.other_serious" in route.missing_facts
    facts["harm.other_serious"] = False
    assert status(tt, "counted", facts, today=dt.date(2022, 1, 1)).status == "not_met"


@pytest.mark.parametrize(("today", "expected"), [
    (dt.date(2026, 1, 1), "met"),            # the last day of the five years
    (dt.date(2026, 1, 2), "time_barred"),
])
def test_limitation_turns_met_into_time_barred_from_the_day_after(tt, today, expected):
    facts = {"incident.posted_on": dt.date(2021, 1, 1), "evidence.images_count": 60}
    route = status(tt, "counted", facts, today=today)
    assert route.status == expected
    if expected == "time_barred":
        assert route.time_bar["likelihood"] == "likely"
        assert route.time_bar["due"] == "2026-01-01"
        assert "probably run out" in route.reasons[-1]


def test_time_bar_with_ways_to_extend_is_only_possible(tt):
    facts = {"incident.posted_on": dt.date(2025, 6, 1), "incident.first_known": dt.date(2025, 6, 1)}
    route = status(tt, "civil_new", facts, today=dt.date(2027, 6, 2))
    assert route.status == "time_barred"
    assert route.time_bar["likelihood"] == "possible"
    assert route.time_bar["extended_by"] == ["Later postings start it again"]
    assert "Later postings start it again" in route.reasons[-1]
    assert status(tt, "civil_new", facts, today=dt.date(2027, 6, 1)).status == "met"


def test_approximate_start_inside_the_due_range_is_a_possible_bar(tt):
    facts = {"incident.posted_on": dt.date(2021, 1, 1), "evidence.images_count": 60,
             "incident.first_known": dt.date(2021, 1, 1)}
    facts["incident.posted_on"] = "2021-01"
    route = status(tt, "counted", facts, today=dt.date(2026, 1, 15))
    assert route.status == "time_barred"
    assert route.time_bar["likelihood"] == "possible"


def test_unknown_limitation_start_is_asked_for_a_met_route(tt):
    facts = {"incident.posted_on": dt.date(2025, 6, 1)}
    route = status(tt, "civil_new", facts)
    assert route.status == "met"
    assert route.missing_facts == ["incident.first_known"]
    assert "incident.first_known" in assess(tt, facts, today=dt.date(2026, 6, 1)).next_questions


def test_the_timed_fixture_scenarios_pass(tt):
    from caseprep.rules.scenarios import run_scenarios

    assert all(r.passed for r in run_scenarios(tt))


@pytest.mark.parametrize(("text", "first", "last"), [
    ("2021-05", dt.date(2021, 5, 1), dt.date(2021, 5, 31)),
    ("2024-02", dt.date(2024, 2, 1), dt.date(2024, 2, 29)),
    ("2021", dt.date(2021, 1, 1), dt.date(2021, 12, 31)),
])
def test_approximate_dates_cover_their_month_or_year(text, first, last):
    value = ApproxDate(text)
    assert (value.earliest, value.latest) == (first, last)
    assert value == text


@pytest.mark.parametrize("bad", ["2021-13", "21", "May 2021", "2021-5-1"])
def test_bad_dates_are_refused_with_the_forms_accepted(catalog, bad):
    with pytest.raises(FactValueError, match="YYYY-MM-DD, a month YYYY-MM or a year YYYY"):
        coerce_value(catalog.facts["incident.first_known"], bad)


def _write(tmp_path, text):
    folder = tmp_path / "rules"
    folder.mkdir()
    (folder / "facts.yaml").write_text((TIMED / "facts.yaml").read_text())
    (folder / "tt.yaml").write_text(text)
    return folder


def _broken(tmp_path, old, new):
    source = (TIMED / "tt.yaml").read_text()
    assert old in source
    _, errors = validate_paths([_write(tmp_path, source.replace(old, new, 1))])
    return [f"{e.path}: {e.message}" for e in errors]


@pytest.mark.parametrize(("old", "new", "expected"), [
    pytest.param("          - {fact: harm.other_serious, is: true}\n", "",
                 ("routes[5].thresholds[1].catch_all", "must be one of the group's"),
                 id="catch-all-is-an-alternative"),
    pytest.param("catch_all: harm.other_serious", "catch_all: harm.derived_flag",
                 ("is derived",), id="catch-all-is-asked-not-counted"),
    pytest.param("replaces: fine_old", "replaces: fine_olde",
                 ("replaces unknown route 'fine_olde' (did you mean 'fine_old'?)",),
                 id="replaces-names-a-route"),
    pytest.param("in_force: {from: 2000-01-01, to: 2025-12-31}",
                 "in_force: {from: 2026-01-01, to: 2025-12-31}",
                 ("routes[0].in_force", "ends (2025-12-31) before it starts"),
                 id="in-force-runs-forwards"),
    pytest.param("civil: conduct_time", "civil: newest_law", ("transition.civil",),
                 id="transition-rule-is-known"),
])
def test_time_and_catch_all_mistakes_are_reported(tmp_path, old, new, expected):
    errors = _broken(tmp_path, old, new)
    assert any(all(text in e for text in expected) for e in errors), errors


def test_a_duty_judged_on_the_day_of_the_request_uses_today(tmp_path):
    source = (TIMED / "tt.yaml").read_text().replace(
        "    in_force: {from: 2025-05-19}\n",
        "    in_force: {from: 2025-05-19}\n    conduct_fact: today\n", 1)
    folder = _write(tmp_path, source)
    tt = load_jurisdictions(folder)["tt"]
    facts = {"incident.posted_on": dt.date(2020, 1, 1), "incident.first_known": dt.date(2026, 1, 1)}
    assert status(tt, "civil_new", facts, today=dt.date(2025, 5, 19)).status == "met"
    assert status(tt, "civil_new", facts, today=dt.date(2025, 5, 18)).status == "not_met"


def test_an_old_law_with_a_limitation_period_needs_no_date(tmp_path):
    """Conduct before a law in force longer than its limitation period would be out of time
    anyway: the unknown date does not keep the route undecided (the limitation asks its own)."""
    source = (TIMED / "tt.yaml").read_text().replace(
        "    in_force: {from: 2025-05-19}\n", "    in_force: {from: 2000-01-01}\n", 1).replace(
        ", in_force: {from: 2026-06-01}}", "}")  # no dated citation: nothing else needs it
    tt = load_jurisdictions(_write(tmp_path, source))["tt"]
    facts = {"incident.first_known": dt.date(2026, 1, 1)}
    assert status(tt, "civil_new", facts).status == "met"
    # A law younger than its limitation period still needs the date.
    assert load_jurisdictions(TIMED)["tt"].route("civil_new") is not None
    assert status(load_jurisdictions(TIMED)["tt"], "civil_new", facts).status == "unknown"


def _stopped_by_first_known(tmp_path):
    """The fixture's five-year prosecution limit, stopped by the (date) fact first_known."""
    source = (TIMED / "tt.yaml").read_text().replace(
        "        from_fact: incident.posted_on\n        bars: true\n",
        "        from_fact: incident.posted_on\n        bars: true\n"
        "        stopped_by: incident.first_known\n", 1)
    return load_jurisdictions(_write(tmp_path, source))["tt"]


@pytest.mark.parametrize(("stopped", "expected", "likelihood"), [
    (dt.date(2026, 1, 1), "met", None),              # on the last day: in time
    (dt.date(2026, 1, 2), "time_barred", "likely"),  # a day late
    ("2026-01", "time_barred", "possible"),          # the month straddles the due date
    (None, "time_barred", "possible"),               # not said: she may have acted in time
])
def test_an_act_in_time_stops_a_limitation_period(tmp_path, stopped, expected, likelihood):
    tt = _stopped_by_first_known(tmp_path)
    facts = {"incident.posted_on": dt.date(2021, 1, 1), "evidence.images_count": 60}
    if stopped is not None:
        facts["incident.first_known"] = coerce_value(tt.catalog.facts["incident.first_known"],
                                                     stopped)
    route = status(tt, "counted", facts, today=dt.date(2026, 6, 1))
    assert route.status == expected
    if likelihood:
        assert route.time_bar["likelihood"] == likelihood
        # Only an unanswered stop date is asked: it is the one answer that can lift the bar.
        assert route.missing_facts == ([] if stopped else ["incident.first_known"])


def test_stopped_by_must_be_a_date_fact(tmp_path):
    errors = _broken(tmp_path, "        from_fact: incident.posted_on\n        bars: true\n",
                     "        from_fact: incident.posted_on\n        bars: true\n"
                     "        stopped_by: evidence.images_count\n")
    assert any("stopped_by must be a date fact" in e for e in errors), errors
