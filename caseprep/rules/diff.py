"""What changed between two rules folders, in words: routes, thresholds, citations, dates.

`caseprep rules diff OLD NEW` is the reading companion of `rules impact`: impact says which
verdicts an edit flips, the diff says what was edited ("route x, threshold volume:
evidence.images_count at least 400 → at least 300"). Texts (titles, summaries, help) are
reported as changed without quoting them; scenarios are left to `impact`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass
from typing import Any

from caseprep.rules.review import review_of
from caseprep.rules.ruleset import Rules
from caseprep.rules.schema import Citation, InForce, Jurisdiction, Route

_META = ("version", "status", "reviewed_on", "reviewed_by", "language", "paper", "currency")
_ROUTE_TEXTS = ("title", "summary", "authority", "addressee", "case_cause", "remedies",
                "evidence", "next_steps", "elements")
_ROUTE_VALUES = ("kind", "documents", "notice_template", "conduct_fact", "replaces",
                 "lighter", "serves")
_DEADLINE_VALUES = ("period", "from_fact", "bars", "stopped_by")


@dataclass(frozen=True)
class Change:
    jurisdiction: str
    where: str  # "routes[obscene_dissemination].thresholds[volume]"; "" for the file
    words: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def __str__(self) -> str:
        where = f" {self.where}:" if self.where else ":"
        return f"{self.jurisdiction}{where} {self.words}"


def diff(old: Rules, new: Rules) -> list[Change]:
    """Every change from `old` to `new`; raises RuleFileError for an invalid folder."""
    before, after = old.jurisdictions, new.jurisdictions
    changes = [Change(code, "", "jurisdiction removed")
               for code in sorted(set(before) - set(after))]
    changes += [Change(code, "", f"jurisdiction added (version {after[code].version}, "
                                 f"{len(after[code].routes)} routes)")
                for code in sorted(set(after) - set(before))]
    for code in sorted(set(before) & set(after)):
        changes += [Change(code, where, words)
                    for where, words in _jurisdiction(before[code], after[code])]
    return changes


def _jurisdiction(a: Jurisdiction, b: Jurisdiction) -> Iterator[tuple[str, str]]:
    for name in _META:
        old, new = getattr(a, name), getattr(b, name)
        if old != new:
            yield "", f"{name}: {_show(old)} → {_show(new)}"
    old_sources, new_sources = a.source_by_id, b.source_by_id
    yield from _added_removed("sources", "source", old_sources, new_sources)
    for sid in old_sources.keys() & new_sources.keys():
        for field in ("url", "note", "title"):
            if getattr(old_sources[sid], field) != getattr(new_sources[sid], field):
                yield f"sources[{sid}]", f"{field} changed"
    old_routes = {r.id: r for r in a.routes}
    new_routes = {r.id: r for r in b.routes}
    yield from _added_removed("routes", "route", old_routes, new_routes)
    for route_id in [r.id for r in b.routes if r.id in old_routes]:
        at = f"routes[{route_id}]"
        for where, words in _route(old_routes[route_id], new_routes[route_id]):
            yield at + where, words
    for entry in b.changelog:
        if entry.version not in {e.version for e in a.changelog}:
            yield "changelog", f"new entry {entry.version} ({entry.date})"
    old_names = {s.name for s in a.scenarios}
    new_names = {s.name for s in b.scenarios}
    if old_names != new_names:
        yield "scenarios", (f"{len(new_names - old_names)} added, "
                            f"{len(old_names - new_names)} removed (see `rules impact`)")


def _route(a: Route, b: Route) -> Iterator[tuple[str, str]]:
    for name in _ROUTE_VALUES:
        if getattr(a, name) != getattr(b, name):
            yield "", f"{name}: {_show(getattr(a, name))} → {_show(getattr(b, name))}"
    for name in _ROUTE_TEXTS:
        if getattr(a, name) != getattr(b, name):
            yield "", f"{name} text changed"
    yield from _in_force("", a.in_force, b.in_force)
    if review_of(a) != review_of(b):
        yield "", f"review: {_review(a)} → {_review(b)}"
    for path, words in _condition(a.condition, b.condition, ""):
        yield ".condition" + path, words
    yield from _citations("", a.citations, b.citations)
    old_t = {t.id: t for t in a.thresholds}
    new_t = {t.id: t for t in b.thresholds}
    yield from _added_removed("", "threshold", old_t, new_t)
    for tid in [t.id for t in b.thresholds if t.id in old_t]:
        at = f".thresholds[{tid}]"
        before, after = old_t[tid], new_t[tid]
        for path, words in _condition(before.condition_data(), after.condition_data(), ""):
            yield at + path, words
        if before.catch_all != after.catch_all:
            yield at, f"catch-all: {_show(before.catch_all)} → {_show(after.catch_all)}"
        yield from _in_force(at, before.in_force, after.in_force)
        yield from _citations(at, before.citations, after.citations)
    old_d = {d.id: d for d in a.deadlines}
    new_d = {d.id: d for d in b.deadlines}
    yield from _added_removed("", "deadline", old_d, new_d)
    for did in [d.id for d in b.deadlines if d.id in old_d]:
        for name in _DEADLINE_VALUES:
            old, new = getattr(old_d[did], name), getattr(new_d[did], name)
            if old != new:
                yield f".deadlines[{did}]", f"{name}: {_show(old)} → {_show(new)}"
        yield from _citations(f".deadlines[{did}]", old_d[did].citations, new_d[did].citations)


def _added_removed(at: str, what: str, old: dict[str, Any],
                   new: dict[str, Any]) -> Iterator[tuple[str, str]]:
    for key in old:
        if key not in new:
            yield at, f"{what} {key} removed"
    for key in new:
        if key not in old:
            yield at, f"{what} {key} added"


def _cite_key(citation: Citation) -> str:
    return f"{citation.source} art. {citation.article}"


def _citations(at: str, old: list[Citation], new: list[Citation]) -> Iterator[tuple[str, str]]:
    before = {_cite_key(c): c for c in old}
    after = {_cite_key(c): c for c in new}
    yield from _added_removed(at, "citation", before, after)
    for key in [k for k in after if k in before]:
        a, b = before[key], after[key]
        if a.confirmed != b.confirmed:
            yield at, (f"citation {key} "
                       f"{'now confirmed' if b.confirmed else 'no longer confirmed'}")
        if a.quote != b.quote:
            yield at, f"citation {key}: quote changed"
        if a.url != b.url:
            yield at, f"citation {key}: url {_show(a.url)} → {_show(b.url)}"
        yield from ((where, f"citation {key}: {words}")
                    for where, words in _in_force(at, a.in_force, b.in_force))
        if review_of(a) != review_of(b):
            yield at, f"citation {key}: review {_review(a)} → {_review(b)}"


def _in_force(at: str, old: InForce | None, new: InForce | None) -> Iterator[tuple[str, str]]:
    if _dates(old) != _dates(new):
        yield at, f"in force {_dates(old)} → {_dates(new)}"


def _dates(in_force: InForce | None) -> str:
    if in_force is None or (in_force.start is None and in_force.end is None):
        return "always"
    start = in_force.start.isoformat() if in_force.start else "open"
    end = in_force.end.isoformat() if in_force.end else "open"
    return f"from {start} to {end}"


def _review(item: Route | Citation) -> str:
    review = review_of(item)
    if review.state != "reviewed":
        return review.state
    role = f", {review.role}" if review.role else ""
    return f"reviewed by {review.by}{role} on {review.on}"


def _condition(old: Any, new: Any, path: str) -> Iterator[tuple[str, str]]:
    """Differences between two conditions, each leaf comparison described in words."""
    if old == new:
        return
    if _is_comparison(old) and _is_comparison(new) and old.get("fact") == new.get("fact"):
        yield path, f"{_comparison(old)} → {_comparison(new)}"
    elif isinstance(old, dict) and isinstance(new, dict) and not (
            _is_comparison(old) or _is_comparison(new)):
        for key in list(old) + [k for k in new if k not in old]:
            sub = f"{path}.{key}"
            if key not in new:
                yield sub, f"removed: {_words(old[key])}"
            elif key not in old:
                yield sub, f"added: {_words(new[key])}"
            else:
                yield from _condition(old[key], new[key], sub)
    elif isinstance(old, list) and isinstance(new, list):
        for i in range(max(len(old), len(new))):
            sub = f"{path}[{i}]"
            if i >= len(new):
                yield sub, f"removed: {_words(old[i])}"
            elif i >= len(old):
                yield sub, f"added: {_words(new[i])}"
            else:
                yield from _condition(old[i], new[i], sub)
    else:
        yield path, f"{_words(old)} → {_words(new)}"


def _is_comparison(value: Any) -> bool:
    return isinstance(value, dict) and "fact" in value


def _comparison(value: dict[str, Any]) -> str:
    ops = [f"{key.replace('_', ' ')} {_show(v)}" for key, v in value.items()
           if key not in ("fact", "reason")]
    return f"{value['fact']} {' '.join(ops)}".strip()


def _words(value: Any) -> str:
    if _is_comparison(value):
        return _comparison(value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_words(v)}" for k, v in value.items())
    if isinstance(value, list):
        return "[" + ", ".join(_words(v) for v in value) + "]"
    return _show(value)


def _show(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    return str(value)
