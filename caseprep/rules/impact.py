"""What a rule change does: every verdict that differs between two rules folders.

Every scenario and every published case of either folder is assessed against both folders'
rule files (the same facts, the same day), so a reviewer sees the verdicts an edit flips —
not the edits to the expectations — before accepting it (issue 19, `caseprep rules impact`).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass, field
from typing import Any

from caseprep.rules.catalog import FactValueError
from caseprep.rules.corpus import load_cases
from caseprep.rules.engine import Assessment, assess
from caseprep.rules.ruleset import Rules
from caseprep.rules.schema import Jurisdiction

ABSENT = "absent"  # the route is not in that folder's rule file
ERROR = "error"  # that folder's catalog refused the item's facts


@dataclass(frozen=True)
class Item:
    """One set of facts to assess: a scenario or a published case of one jurisdiction."""

    jurisdiction: str
    kind: str  # "scenario" or "case"
    name: str
    facts: dict[str, Any]
    today: dt.date | None

    @property
    def key(self) -> tuple[Any, ...]:
        return (self.jurisdiction, self.kind, self.name,
                json.dumps(self.facts, sort_keys=True, default=str), self.today)


@dataclass
class VerdictChange:
    jurisdiction: str
    item_kind: str
    item: str
    route: str
    old: str
    new: str
    old_reasons: list[str] = field(default_factory=list)
    new_reasons: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Impact:
    items: int = 0
    changes: list[VerdictChange] = field(default_factory=list)
    only_old: list[str] = field(default_factory=list)  # jurisdictions removed
    only_new: list[str] = field(default_factory=list)  # jurisdictions added

    @property
    def items_changed(self) -> int:
        return len({(c.jurisdiction, c.item_kind, c.item) for c in self.changes})

    def summary(self) -> str:
        line = (f"{self.items} item(s) assessed; {len(self.changes)} verdict(s) differ "
                f"in {self.items_changed} item(s)")
        if self.only_old:
            line += f"; removed: {', '.join(self.only_old)}"
        if self.only_new:
            line += f"; added: {', '.join(self.only_new)}"
        return line

    def to_dict(self) -> dict[str, Any]:
        return {"items": self.items, "changes": [c.to_dict() for c in self.changes],
                "items_changed": self.items_changed, "only_old": self.only_old,
                "only_new": self.only_new, "summary": self.summary()}


def impact(old: Rules, new: Rules, today: dt.date | None = None) -> Impact:
    """Assess every item of both folders with both; raises RuleFileError for an invalid folder.

    `today` is the day for items that do not fix their own (scenarios without `today:`).
    """
    today = today or dt.date.today()
    old_found, new_found = old.jurisdictions, new.jurisdictions
    result = Impact(only_old=sorted(set(old_found) - set(new_found)),
                    only_new=sorted(set(new_found) - set(old_found)))
    for code in sorted(set(old_found) & set(new_found)):
        before, after = old_found[code], new_found[code]
        old_items, new_items = _items(old, before), _items(new, after)
        old_keys = {item.key for item in old_items}
        unique = list({item.key: item for item in old_items + new_items}.values())
        names = [(item.kind, item.name) for item in unique]
        for item in unique:
            label = item.name
            if names.count((item.kind, item.name)) > 1:  # the edit changed its own facts
                side = "old" if item.key in old_keys else "new"
                label = f"{item.name} (facts as in the {side} folder)"
            result.items += 1
            result.changes.extend(_compare(item, label, before, after, today))
    return result


def _items(rules: Rules, jurisdiction: Jurisdiction) -> list[Item]:
    items = [Item(jurisdiction.code, "scenario", s.name, dict(s.facts), s.today)
             for s in jurisdiction.scenarios]
    cases, _errors = load_cases(rules.folder, jurisdiction)  # `rules test --cases` lists these
    items += [Item(jurisdiction.code, "case", c.id, dict(c.facts), c.decided_on) for c in cases]
    return items


def _compare(item: Item, label: str, before: Jurisdiction, after: Jurisdiction,
             today: dt.date) -> list[VerdictChange]:
    day = item.today or today
    old, old_error = _assess(before, item, day)
    new, new_error = _assess(after, item, day)
    if old is None or new is None:  # one side could not be assessed (old_error, new_error)
        if old_error == new_error:
            return []
        return [VerdictChange(item.jurisdiction, item.kind, label, "*",
                              ERROR if old_error else "assessed", ERROR if new_error else
                              "assessed", [old_error] if old_error else [],
                              [new_error] if new_error else [])]
    changes = []
    route_ids = [r.id for r in old.routes] + [r.id for r in new.routes
                                              if old.route(r.id) is None]
    for route_id in route_ids:
        was, now = old.route(route_id), new.route(route_id)
        was_status = was.status if was else ABSENT
        now_status = now.status if now else ABSENT
        if was_status != now_status:
            changes.append(VerdictChange(item.jurisdiction, item.kind, label, route_id,
                                         was_status, now_status,
                                         list(was.reasons) if was else [],
                                         list(now.reasons) if now else []))
    return changes


def _assess(jurisdiction: Jurisdiction, item: Item,
            day: dt.date) -> tuple[Assessment | None, str]:
    try:
        return assess(jurisdiction, item.facts, lang="en", today=day), ""
    except FactValueError as exc:
        return None, str(exc)
