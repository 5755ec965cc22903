"""Review states and staleness (issue 19): a fixed "today", each kind of finding, the CLI."""

import datetime as dt
import json

import pytest
import yaml
from click.testing import CliRunner

from caseprep.cli import main
from caseprep.rules import RuleFileError, Rules
from caseprep.rules.review import last_change, review_summary, staleness

TODAY = dt.date(2026, 11, 27)


def _edit(folder, change):
    path = folder / "xx.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return Rules(folder)


def _route(data, route_id):
    return next(r for r in data["routes"] if r["id"] == route_id)


@pytest.fixture
def reviewed(rules_copy):
    """Every route reviewed on 2026-06-01, every citation confirmed: nothing stale yet."""

    def change(data):
        for route in data["routes"]:
            route["review"] = {"state": "reviewed", "by": "Testland Legal Aid",
                               "role": "lawyer", "on": "2026-06-01"}
            for citation in route.get("citations", []):
                citation["confirmed"] = True
            for threshold in route.get("thresholds", []):
                for citation in threshold.get("citations", []):
                    citation["confirmed"] = True
            for deadline in route.get("deadlines", []):
                for citation in deadline.get("citations", []):
                    citation["confirmed"] = True
    _edit(rules_copy, change)
    return rules_copy


def _kinds(rules, today=TODAY, **kw):
    return [(f.kind, f.where) for f in staleness(rules.jurisdictions, today, **kw)]


def test_a_fully_reviewed_file_has_nothing_stale(reviewed):
    assert _kinds(Rules(reviewed)) == []


def test_shipped_fixture_routes_without_review_are_drafts(rules_copy):
    found = _kinds(Rules(rules_copy))
    drafts = [where for kind, where in found if kind == "route_draft"]
    assert drafts == ["routes[obscene_dissemination]", "routes[group_founder]",
                      "routes[portrait_right]", "routes[takedown]"]
    assert ("citation_unconfirmed", "routes[obscene_dissemination].thresholds[volume]"
            ".citations[0]") in found
    assert review_summary(Rules(rules_copy).jurisdiction("xx")) == {
        "reviewed": 0, "needs-review": 0, "draft": 4}


def test_review_older_than_the_interval(reviewed):
    rules = Rules(reviewed)
    # 2026-06-01 + 12 months = 2027-06-01: stale the day after, not on it.
    assert _kinds(rules, dt.date(2027, 6, 1)) == []
    stale = _kinds(rules, dt.date(2027, 6, 2))
    assert [k for k, _ in stale].count("review_old") == 4
    assert ("file_review_old", "reviewed_on") not in stale  # reviewed_on 2026-11-25
    assert ("file_review_old", "reviewed_on") in _kinds(rules, dt.date(2027, 11, 26))
    # A shorter interval makes the same reviews stale sooner.
    assert len(_kinds(rules, dt.date(2026, 12, 2), interval="P6M")) == 4


def test_needs_review_and_to_verify_and_in_force_dates(reviewed):
    def change(data):
        route = _route(data, "portrait_right")
        route["review"] = {"state": "needs-review", "note": "Civil Code amended"}
        route["in_force"] = {"from": None, "to": "2026-12-31"}
        _route(data, "takedown")["in_force"] = {"from": "2025-01-01", "to": "2026-11-26"}
        data["sources"][1]["note"] = "Read in a mirror; to verify against the gazette."

    rules = _edit(reviewed, change)
    found = _kinds(rules)
    assert ("route_needs_review", "routes[portrait_right]") in found
    assert ("in_force_soon", "routes[portrait_right]") in found  # 34 days ahead
    assert ("in_force_ended", "routes[takedown]") in found
    assert ("source_to_verify", "sources[civil_code]") in found
    assert len(found) == 4
    # 90 days is the default window; 30 days does not reach 2026-12-31.
    assert ("in_force_soon", "routes[portrait_right]") not in _kinds(rules, soon_days=30)


def test_reviewed_needs_by_and_on(rules_copy):
    def change(data):
        data["routes"][0]["review"] = {"state": "reviewed", "on": "2026-06-01"}

    with pytest.raises(RuleFileError) as exc:
        _edit(rules_copy, change).jurisdiction("xx")
    assert "routes[0].review" in str(exc.value)
    assert "needs `by`" in str(exc.value)


def test_changelog_names_known_routes_and_last_change(rules_copy):
    def change(data):
        data["changelog"] = [
            {"version": "2026.11.1", "date": "2026-11-01", "changes": {"en": "first"},
             "routes": ["portrait_right", "takedown"]},
            {"version": "2026.11.2", "date": "2026-11-20", "changes": {"en": "volume"},
             "why": {"en": "new interpretation"}, "source": "criminal_law",
             "routes": ["obscene_dissemination"]},
        ]

    xx = _edit(rules_copy, change).jurisdiction("xx")
    assert last_change(xx).version == "2026.11.2"
    assert last_change(xx, "takedown").version == "2026.11.1"
    assert last_change(xx, "group_founder") is None

    def typo(data):
        data["changelog"][0]["routes"] = ["portrait_rigth"]
        data["changelog"][1]["source"] = "criminal_lwa"

    with pytest.raises(RuleFileError) as exc:
        _edit(rules_copy, typo).jurisdiction("xx")
    text = str(exc.value)
    assert "unknown route 'portrait_rigth' (did you mean 'portrait_right'?)" in text
    assert "unknown source 'criminal_lwa'" in text


def test_cli_review_json_and_words(rules_copy):
    runner = CliRunner()
    args = ["rules", "review", "--rules", str(rules_copy), "--today", "2026-11-27"]
    words = runner.invoke(main, args)
    assert words.exit_code == 0, words.output
    assert "xx routes[takedown]: route not reviewed (draft) [route_draft]" in words.output
    assert words.output.strip().splitlines()[-1].startswith("6 finding(s) as of 2026-11-27")
    data = json.loads(runner.invoke(main, [*args, "--json"]).output)
    assert data["today"] == "2026-11-27"
    assert len(data["findings"]) == 6
    assert {"jurisdiction", "kind", "where", "message"} == set(data["findings"][0])
    bad = runner.invoke(main, [*args, "--interval", "a year"])
    assert bad.exit_code == 2
