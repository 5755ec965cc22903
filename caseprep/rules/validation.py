"""Check a rule file against the schema and the facts catalog; report every problem.

Structural problems come from pydantic (translated to file:line: path form); the checks
here work on the raw data, so they still run when the structure is partly wrong, and an NGO
sees all problems of a file at once.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import Any

from pydantic import ValidationError

from caseprep.rules import conditions, timing
from caseprep.rules.catalog import FactsCatalog, FactValueError, coerce_value
from caseprep.rules.codes import code_problem
from caseprep.rules.durations import parse_period
from caseprep.rules.errors import Lines, RuleError, format_path, from_pydantic, line_for
from caseprep.rules.schema import FIELD_NAMES, ROUTE_DOCUMENT_KINDS, Jurisdiction
from caseprep.rules.text import LANG_CODE, missing_languages

STATUSES = ("met", "not_met", "unknown", "time_barred")
_ROUTE_TEXT_FIELDS = ("title", "summary", "authority", "addressee", "case_cause")
_ROUTE_TEXT_LISTS = ("remedies", "evidence", "next_steps", "elements")
_THRESHOLD_KEYS = ("id", "label", "citations", "in_force", "catch_all")


class _Report:
    def __init__(self, name: str, lines: Lines):
        self.name = name
        self.lines = lines
        self.errors: list[RuleError] = []

    def add(self, path: tuple[Any, ...], message: str) -> None:
        self.errors.append(RuleError(self.name, line_for(self.lines, path), format_path(path),
                                     message))


def _dicts(value: Any) -> list[tuple[int, dict[str, Any]]]:
    return [(i, v) for i, v in enumerate(value) if isinstance(v, dict)] \
        if isinstance(value, list) else []


def _is_fact(value: Any, catalog: FactsCatalog) -> bool:
    return isinstance(value, str) and value in catalog.facts


def _unknown_fact(fact_id: Any, catalog: FactsCatalog) -> str:
    return f"unknown fact {fact_id!r}{_did_you_mean(fact_id, catalog.facts)}"


def _did_you_mean(word: object, options: Iterable[str]) -> str:
    close = difflib.get_close_matches(str(word), list(options), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def validate_jurisdiction(data: Any, lines: Lines, name: str, catalog: FactsCatalog,
                          expected_code: str | None = None) -> tuple[Jurisdiction | None,
                                                                     list[RuleError]]:
    """Return (the compiled Jurisdiction or None, every error found)."""
    report = _Report(name, lines)
    if not isinstance(data, dict):
        report.add((), "a rule file must be a mapping (code:, name:, routes:, ...)")
        return None, report.errors
    model = None
    try:
        model = Jurisdiction.model_validate(data)
    except ValidationError as exc:
        report.errors.extend(from_pydantic(exc, name, lines, FIELD_NAMES))
    compiled = _check_semantics(data, report, catalog, expected_code)
    if report.errors or model is None:
        return None, sorted(report.errors, key=_sort_key)
    _attach(model, compiled, catalog, name)
    return model, []


def _sort_key(err: RuleError) -> tuple[int, str, str]:
    return (err.line or 0, err.path, err.message)


def _check_semantics(data: dict[str, Any], report: _Report, catalog: FactsCatalog,
                     expected_code: str | None) -> dict[int, Any]:
    code = data.get("code")
    problem = code_problem(code) if isinstance(code, str) else None
    if problem:
        report.add(("code",), problem)
    elif expected_code and isinstance(code, str) and code != expected_code:
        report.add(("code",), f"code {code!r} does not match the file name "
                              f"({expected_code}.yaml)")
    language = data.get("language")
    langs = ["en"]
    if isinstance(language, str):
        if not LANG_CODE.match(language):
            report.add(("language",), f"{language!r} is not a language code like en or zh_Hans")
        elif language not in langs:
            langs.append(language)
    required = tuple(langs)
    _need_text(report, data.get("name"), ("name",), required)

    source_ids: dict[str, int] = {}
    for i, source in _dicts(data.get("sources")):
        sid = source.get("id")
        if isinstance(sid, str):
            if sid in source_ids:
                report.add(("sources", i, "id"), f"duplicate source id {sid!r}")
            source_ids[sid] = i
        _need_text(report, source.get("title"), ("sources", i, "title"), (required[-1],))

    compiled: dict[int, Any] = {}
    route_ids: dict[str, int] = {}
    for r, route in _dicts(data.get("routes")):
        at = ("routes", r)
        rid = route.get("id")
        if isinstance(rid, str):
            if rid in route_ids:
                report.add(at + ("id",), f"duplicate route id {rid!r} (first at routes"
                                         f"[{route_ids[rid]}])")
            else:
                route_ids[rid] = r
        compiled[r] = _check_route(route, at, report, catalog, source_ids, required)
    _check_time(data, report, catalog, route_ids)
    _check_changelog(data.get("changelog"), report, source_ids, route_ids)

    for s, scenario in _dicts(data.get("scenarios")):
        _check_scenario(scenario, ("scenarios", s), report, catalog, route_ids)
    return compiled


def _need_text(report: _Report, text: Any, path: tuple[Any, ...],
               required: tuple[str, ...]) -> None:
    if not isinstance(text, dict):
        return  # wrong type: pydantic reports it
    for code in text:
        if not isinstance(code, str) or not LANG_CODE.match(code):
            report.add(path + (code,), f"{code!r} is not a language code like en or zh_Hans")
    for code in missing_languages(text, required):
        report.add(path, f"missing {code} text")


def _check_citations(citations: Any, path: tuple[Any, ...], report: _Report,
                     source_ids: dict[str, int], required_one: bool) -> None:
    if required_one and not (isinstance(citations, list) and citations):
        report.add(path, "missing citation: a route needs at least one (source + article)")
        return
    for c, citation in _dicts(citations):
        source = citation.get("source")
        if isinstance(source, str) and source not in source_ids:
            report.add(path + (c, "source"), f"citation names unknown source {source!r}"
                                             f"{_did_you_mean(source, source_ids)}")


def _check_changelog(changelog: Any, report: _Report, source_ids: dict[str, int],
                     route_ids: dict[str, int]) -> None:
    """Changelog entries name routes of this file and a source id of it (or a URL)."""
    for e, entry in _dicts(changelog):
        source = entry.get("source")
        if isinstance(source, str) and not source.startswith(("http://", "https://")) \
                and source not in source_ids:
            report.add(("changelog", e, "source"), f"changelog names unknown source {source!r}"
                                                   f"{_did_you_mean(source, source_ids)}")
        for i, route_id in enumerate(entry.get("routes") or []):
            if isinstance(route_id, str) and route_id not in route_ids:
                report.add(("changelog", e, "routes", i), f"changelog names unknown route "
                                                          f"{route_id!r}"
                                                          f"{_did_you_mean(route_id, route_ids)}")


def _check_route(route: dict[str, Any], at: tuple[Any, ...], report: _Report,
                 catalog: FactsCatalog, source_ids: dict[str, int],
                 required: tuple[str, ...]) -> tuple[Any, list[Any], list[Any]]:
    for field in _ROUTE_TEXT_FIELDS:
        _need_text(report, route.get(field), at + (field,), required)
    for field in _ROUTE_TEXT_LISTS:
        for i, text in _dicts(route.get(field)):
            _need_text(report, text, at + (field, i), required)
    _check_citations(route.get("citations"), at + ("citations",), report, source_ids, True)

    condition = None
    if isinstance(route.get("condition"), dict):
        condition, problems = conditions.parse(route["condition"], at + ("condition",), catalog)
        for path, message in problems:
            report.add(path, message)

    groups: list[Any] = []  # each group's parsed condition, None where it failed
    seen: set[str] = set()
    for g, group in _dicts(route.get("thresholds")):
        gat = at + ("thresholds", g)
        gid = group.get("id")
        if isinstance(gid, str):
            if gid in seen:
                report.add(gat + ("id",), f"duplicate threshold id {gid!r}")
            seen.add(gid)
        _need_text(report, group.get("label"), gat + ("label",), required)
        _check_citations(group.get("citations"), gat + ("citations",), report, source_ids, False)
        raw = {k: v for k, v in group.items() if k not in _THRESHOLD_KEYS}
        if not raw:
            report.add(gat, "a threshold needs alternatives: `any`, `all`, `at_least_n` + `of`, "
                            "or a comparison")
            groups.append(None)
            continue
        node, problems = conditions.parse(raw, gat, catalog)
        for path, message in problems:
            report.add(path, message)
        if group.get("catch_all") is not None:
            _check_catch_all(group["catch_all"], group, gat + ("catch_all",), report, catalog)
        groups.append(node)

    documents = route.get("documents")
    for i, kind in enumerate(documents if isinstance(documents, list) else []):
        if isinstance(kind, str) and kind not in ROUTE_DOCUMENT_KINDS:
            report.add(at + ("documents", i),
                       f"unknown document kind {kind!r}"
                       f"{_did_you_mean(kind, ROUTE_DOCUMENT_KINDS)}; expected "
                       f"one of {', '.join(ROUTE_DOCUMENT_KINDS)}")
    _check_addressing(route, at, report)

    periods = []
    for d, deadline in _dicts(route.get("deadlines")):
        dat = at + ("deadlines", d)
        _need_text(report, deadline.get("label"), dat + ("label",), required)
        for i, text in _dicts(deadline.get("extended_by")):
            _need_text(report, text, dat + ("extended_by", i), required)
        _check_citations(deadline.get("citations"), dat + ("citations",), report, source_ids,
                         False)
        period = None
        if "period" in deadline:
            try:
                period = parse_period(deadline["period"])
            except ValueError as exc:
                report.add(dat + ("period",), f"bad ISO duration: {exc}")
        periods.append(period)
        for key in ("from_fact", "stopped_by"):
            fact_id = deadline.get(key)
            if not isinstance(fact_id, str):
                continue
            fact = catalog.facts.get(fact_id)
            if fact is None:
                report.add(dat + (key,), _unknown_fact(fact_id, catalog))
            elif fact.type != "date":
                report.add(dat + (key,), f"{key} must be a date fact; {fact_id} is {fact.type}")
    return condition, groups, periods


def _check_addressing(route: dict[str, Any], at: tuple[Any, ...], report: _Report) -> None:
    """Who a route's documents are addressed to is data: `addressee`, `notice_template`.

    Both may be left out (a document then prints a placeholder to complete, a notice the
    plain platform report); what is given must fit the route's documents.
    """
    documents = route.get("documents")
    documents = documents if isinstance(documents, list) else []
    template = route.get("notice_template")
    if template is not None and "takedown_notice" not in documents:
        report.add(at + ("notice_template",), "notice_template is only for a route whose "
                                              "documents include takedown_notice")
    if template == "authority_report" and route.get("addressee") is None:
        report.add(at + ("notice_template",), "an authority_report goes to the route's "
                                              "addressee: add `addressee`")


def _check_catch_all(fact_id: Any, group: dict[str, Any], path: tuple[Any, ...], report: _Report,
                     catalog: FactsCatalog) -> None:
    """A catch-all must be an askable yes/no that the group's `any` offers as `{fact: X, is: true}`.

    Then, left unanswered, it keeps the group unknown, never a definite "not met".
    """
    fact = catalog.facts.get(fact_id) if isinstance(fact_id, str) else None
    if fact is None:
        report.add(path, _unknown_fact(fact_id, catalog))
        return
    if fact.type != "bool" or fact.derived_from:
        report.add(path, f"a catch-all must be a yes/no question she is asked; {fact_id} is "
                         f"{'derived' if fact.derived_from else fact.type}")
    alternatives = group.get("any")
    alternatives = alternatives if isinstance(alternatives, list) else []
    if not any(isinstance(alt, dict) and alt.get("fact") == fact_id and alt.get("is") is True
               for alt in alternatives):
        report.add(path, f"the catch-all {fact_id} must be one of the group's alternatives, "
                         f"written {{fact: {fact_id}, is: true}} in its `any` list")


def _check_time(data: Any, report: _Report, catalog: FactsCatalog,
                route_ids: dict[str, int]) -> None:
    """In-force windows run forwards; conduct facts are dates; `replaces` names a route."""
    def window(value: Any, path: tuple[Any, ...]) -> None:
        if isinstance(value, dict):
            start, end = value.get("from"), value.get("to")
            if start is not None and end is not None and hasattr(start, "year") \
                    and hasattr(end, "year") and end < start:
                report.add(path, f"in_force ends ({end}) before it starts ({start})")

    def date_fact(fact_id: Any, path: tuple[Any, ...]) -> None:
        if not isinstance(fact_id, str) or fact_id == "today":
            return
        fact = catalog.facts.get(fact_id)
        if fact is None:
            report.add(path, _unknown_fact(fact_id, catalog))
        elif fact.type != "date":
            report.add(path, f"the conduct date must be a date fact; {fact_id} is {fact.type}")

    date_fact(data.get("conduct_fact"), ("conduct_fact",))
    for r, route in _dicts(data.get("routes")):
        at = ("routes", r)
        window(route.get("in_force"), at + ("in_force",))
        date_fact(route.get("conduct_fact"), at + ("conduct_fact",))
        for g, group in _dicts(route.get("thresholds")):
            window(group.get("in_force"), at + ("thresholds", g, "in_force"))
        for c, citation in _dicts(route.get("citations")):
            window(citation.get("in_force"), at + ("citations", c, "in_force"))
        replaced = route.get("replaces")
        if replaced is not None:
            if replaced not in route_ids:
                report.add(at + ("replaces",), f"replaces unknown route {replaced!r}"
                                               f"{_did_you_mean(replaced, route_ids)}")
            elif replaced == route.get("id"):
                report.add(at + ("replaces",), "a route cannot replace itself")
            elif not isinstance(route.get("in_force"), dict) \
                    or route["in_force"].get("from") is None:
                report.add(at + ("in_force",), "a route that replaces another needs "
                                               "in_force.from (the day the new law took effect)")
        if route.get("lighter") is not None and replaced is None:
            report.add(at + ("lighter",), "`lighter` compares with the route this one "
                                          "replaces: add `replaces`")


def check_expectations(facts: Any, expect: Any, name: str, lines: Lines,
                       jurisdiction: Jurisdiction) -> list[RuleError]:
    """Facts and expected verdicts of a published case, checked like a scenario's."""
    report = _Report(name, lines)
    route_ids = {r.id: i for i, r in enumerate(jurisdiction.routes)}
    _check_scenario({"facts": facts, "expect": expect}, (), report, jurisdiction.catalog,
                    route_ids)
    return report.errors


def _check_scenario(scenario: dict[str, Any], at: tuple[Any, ...], report: _Report,
                    catalog: FactsCatalog, route_ids: dict[str, int]) -> None:
    facts = scenario.get("facts")
    if isinstance(facts, dict):
        for fact_id, value in facts.items():
            fact = catalog.facts.get(fact_id)
            if fact is None:
                report.add(at + ("facts", fact_id), _unknown_fact(fact_id, catalog))
                continue
            if value is None:
                continue
            try:
                coerce_value(fact, value)
            except FactValueError as exc:
                report.add(at + ("facts", fact_id), f"wrong value for the fact: {exc.message}")
    expect = scenario.get("expect")
    if not isinstance(expect, dict):
        return
    for route_id, want in expect.items():
        eat = at + ("expect", route_id)
        if route_id not in route_ids:
            report.add(eat, f"scenario expects route {route_id!r}, which does not exist"
                            f"{_did_you_mean(route_id, route_ids)}")
        _check_expectation(want, eat, report, catalog)


def _check_expectation(want: Any, eat: tuple[Any, ...], report: _Report,
                       catalog: FactsCatalog) -> None:
    if isinstance(want, str):
        if want not in STATUSES:
            report.add(eat, f"expected status must be one of {', '.join(STATUSES)}, got {want!r}")
        return
    if not isinstance(want, dict):
        report.add(eat, "an expectation is a status or a mapping with status/gaps/missing_facts")
        return
    allowed = ("status", "gaps", "missing_facts", "closest_gap", "reasons_include")
    for key in want:
        if key not in allowed:
            report.add(eat + (key,), f"unknown expectation key {key!r}"
                                     f"{_did_you_mean(key, allowed)}")
    status = want.get("status")
    if status is not None and status not in STATUSES:
        report.add(eat + ("status",), f"must be one of {', '.join(STATUSES)}, got {status!r}")
    gaps = want.get("gaps")
    if gaps is not None:
        if not isinstance(gaps, list):
            report.add(eat + ("gaps",), "gaps must be a list of {fact, need, have}")
        for g, gap in enumerate(gaps if isinstance(gaps, list) else []):
            if not isinstance(gap, dict) or "fact" not in gap:
                report.add(eat + ("gaps", g), "a gap needs at least `fact`")
            elif not _is_fact(gap["fact"], catalog):
                report.add(eat + ("gaps", g, "fact"), _unknown_fact(gap["fact"], catalog))
    closest = want.get("closest_gap")
    if closest is not None and not (isinstance(closest, str) and closest in catalog.facts):
        report.add(eat + ("closest_gap",), f"closest_gap names a fact id, got {closest!r}")
    missing = want.get("missing_facts")
    if missing is not None:
        for m, fact_id in enumerate(missing if isinstance(missing, list) else [missing]):
            if not _is_fact(fact_id, catalog):
                report.add(eat + ("missing_facts", m), _unknown_fact(fact_id, catalog))


def _attach(model: Jurisdiction, compiled: dict[int, Any], catalog: FactsCatalog,
            name: str) -> None:
    model._catalog = catalog
    model._file = name
    for r, route in enumerate(model.routes):
        condition, groups, periods = compiled[r]
        route._condition = condition
        for group, node in zip(route.thresholds, groups, strict=True):
            group._condition = node
        for deadline, period in zip(route.deadlines, periods, strict=True):
            deadline._period = period
    for route in model.routes:  # once every route's periods are known
        route._timing = timing.route_timing(model, route)
