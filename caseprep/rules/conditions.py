"""Conditions are data: `all`/`any`/`not`/`at_least_n` over comparisons of facts.

Evaluation is three-valued (True, False, None = unknown because a fact is missing) and
explains itself: each outcome carries the reasons of the clauses that decided it and, when
unknown, the facts whose answers could still decide it. Parsing checks every fact id and
value against the catalog and reports all problems with their path.

Evaluation is a plain walk of the tree, one `Outcome` per node, each reason rendered when it
is needed (the rendered sentences are cached in `reasons`). The compiled form it replaced
(closures per rule file and language) was faster by about half a millisecond of a cn
assessment, on a wizard page of ~50 ms: not worth its code (docs/performance.md).
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from caseprep.rules import dates
from caseprep.rules import reasons as R
from caseprep.rules.catalog import FactDef, FactsCatalog
from caseprep.rules.schema import ReasonOverride

COMPARISONS = ("is", "in", "contains", "contains_any", "at_least", "at_most", "known")
COMBINATORS = ("all", "any", "not", "at_least_n")
_ALL_KEYS = ("fact", *COMPARISONS, *COMBINATORS, "of", "reason")
_MISSING = object()


@dataclass(slots=True)
class Outcome:
    """Result of evaluating a node: value True/False/None, why, and what is missing.

    Only an unknown outcome lists missing facts: once a node is decided, no answer to another
    fact can change it, so asking for one would waste her time.
    """

    value: bool | None
    reasons: list[str]
    missing: list[str] = field(default_factory=list)


def _missing_of(outcomes: list[Outcome]) -> list[str]:
    """The facts missing from the unknown outcomes, first mention first, each once."""
    return list(dict.fromkeys(f for o in outcomes if o.value is None for f in o.missing))


class Node:
    """Base of condition nodes."""

    def evaluate(self, facts: dict[str, Any], ctx: R.ReasonContext,
                 negated: bool = False) -> Outcome:
        """The node's value, the reasons that decided it, and the facts still missing.

        `negated`: the node sits under an odd number of `not`s. Its value is the same, but its
        reasons are worded from the route's side (issue 12: no inverted `not` reasons).
        """
        raise NotImplementedError  # pragma: no cover

    def fact_ids(self) -> list[str]:  # pragma: no cover
        raise NotImplementedError

    def at_least_leaves(self) -> list[Compare]:
        """Numeric `at_least` comparisons not under a `not` (the alternatives that make gaps)."""
        return []

    def standalone_leaves(self) -> list[Compare]:
        """The `at_least` leaves that, once reached, satisfy this node on their own.

        A leaf inside a combination ("two items each at half the standard") is a gap too,
        but reaching it alone decides nothing, so it must not be offered as the closest one.
        """
        return []


@dataclass(slots=True)
class Compare(Node):
    fact: str
    op: str
    value: object

    def evaluate(self, facts: dict[str, Any], ctx: R.ReasonContext,
                 negated: bool = False) -> Outcome:
        fact = self.fact
        if self.op == "known":
            ok = (fact in facts) == bool(self.value)
            return Outcome(ok, [R.compare(ctx, "known", fact, None, self.value, ok, negated)])
        have = facts.get(fact, _MISSING)
        if have is _MISSING:
            return Outcome(None, [R.not_answered(ctx, fact)], [fact])
        result = _TESTS[self.op](have, self.value)
        if result is None:  # an approximate date on both sides of the wanted one
            return Outcome(None, [R.too_vague(ctx, fact)], [fact])
        return Outcome(result, [R.compare(ctx, self.op, fact, have, self.value, result, negated)])

    def test(self, facts: dict[str, Any]) -> bool | None:
        """The value alone, without reasons (used for fast checks)."""
        if self.op == "known":
            return (self.fact in facts) == bool(self.value)
        if self.fact not in facts:
            return None
        return _TESTS[self.op](facts[self.fact], self.value)

    def fact_ids(self) -> list[str]:
        return [self.fact]

    def at_least_leaves(self) -> list[Compare]:
        return [self] if self.op == "at_least" and isinstance(self.value, int) else []

    def standalone_leaves(self) -> list[Compare]:
        return self.at_least_leaves()


_TESTS: dict[str, Callable[[Any, Any], bool | None]] = {
    "is": lambda have, want: have == want,
    "in": lambda have, want: have in want,
    "contains": lambda have, want: want in have,
    "contains_any": lambda have, want: any(v in have for v in want),
    "at_least": dates.compare_at_least,
    "at_most": dates.compare_at_most,
}


@dataclass(slots=True)
class AllOf(Node):
    parts: list[Node]

    def evaluate(self, facts: dict[str, Any], ctx: R.ReasonContext,
                 negated: bool = False) -> Outcome:
        # False when any part is false (and only the false parts say why); unknown when any
        # is unknown; else true.
        outs = [p.evaluate(facts, ctx, negated) for p in self.parts]
        false = [r for o in outs if o.value is False for r in o.reasons]
        if false:
            return Outcome(False, false)
        every = [r for o in outs for r in o.reasons]
        missing = _missing_of(outs)
        return Outcome(None, every, missing) if missing else Outcome(True, every)

    def fact_ids(self) -> list[str]:
        return [f for p in self.parts for f in p.fact_ids()]

    def at_least_leaves(self) -> list[Compare]:
        return [c for p in self.parts for c in p.at_least_leaves()]

    def standalone_leaves(self) -> list[Compare]:
        return self.parts[0].standalone_leaves() if len(self.parts) == 1 else []


@dataclass(slots=True)
class AnyOf(Node):
    parts: list[Node]

    def evaluate(self, facts: dict[str, Any], ctx: R.ReasonContext,
                 negated: bool = False) -> Outcome:
        # True when any part is true (and only the true parts say why); unknown when any is
        # unknown; else false.
        outs = [p.evaluate(facts, ctx, negated) for p in self.parts]
        true = [r for o in outs if o.value is True for r in o.reasons]
        if true:
            return Outcome(True, true)
        every = [r for o in outs for r in o.reasons]
        missing = _missing_of(outs)
        return Outcome(None, every, missing) if missing else Outcome(False, every)

    def fact_ids(self) -> list[str]:
        return [f for p in self.parts for f in p.fact_ids()]

    def at_least_leaves(self) -> list[Compare]:
        return [c for p in self.parts for c in p.at_least_leaves()]

    def standalone_leaves(self) -> list[Compare]:
        return [c for p in self.parts for c in p.standalone_leaves()]


@dataclass(slots=True)
class Not(Node):
    part: Node

    def evaluate(self, facts: dict[str, Any], ctx: R.ReasonContext,
                 negated: bool = False) -> Outcome:
        out = self.part.evaluate(facts, ctx, not negated)
        return Outcome(None if out.value is None else not out.value, out.reasons, out.missing)

    def fact_ids(self) -> list[str]:
        return self.part.fact_ids()


@dataclass(slots=True)
class AtLeastN(Node):
    n: int
    parts: list[Node]

    def evaluate(self, facts: dict[str, Any], ctx: R.ReasonContext,
                 negated: bool = False) -> Outcome:
        # The summary ("2 of 3 circumstances apply") comes first; when met, only the parts
        # that are true follow it, otherwise every part's reasons do.
        outs = [p.evaluate(facts, ctx, negated) for p in self.parts]
        met = sum(1 for o in outs if o.value is True)
        unknown = sum(1 for o in outs if o.value is None)
        summary = R.at_least_n(ctx, met, self.n, len(self.parts))
        if met >= self.n:
            return Outcome(True, [summary, *(r for o in outs if o.value for r in o.reasons)])
        every = [summary, *(r for o in outs for r in o.reasons)]
        if met + unknown < self.n:
            return Outcome(False, every)
        return Outcome(None, every, _missing_of(outs))

    def fact_ids(self) -> list[str]:
        return [f for p in self.parts for f in p.fact_ids()]

    def at_least_leaves(self) -> list[Compare]:
        return [c for p in self.parts for c in p.at_least_leaves()]

    def standalone_leaves(self) -> list[Compare]:
        if self.n > 1:
            return []
        return [c for p in self.parts for c in p.standalone_leaves()]


@dataclass(slots=True)
class Worded(Node):
    """A condition whose reasons a rule file words itself (`reason: {if_true, if_false}`).

    The value and missing facts are the inner node's; once decided, its reasons are replaced
    by the rule file's sentence for that value (when it gives one).
    """

    part: Node
    wording: ReasonOverride

    def evaluate(self, facts: dict[str, Any], ctx: R.ReasonContext,
                 negated: bool = False) -> Outcome:
        out = self.part.evaluate(facts, ctx, negated)
        own = self.wording.if_true if out.value is True else \
            self.wording.if_false if out.value is False else None
        text = R.override(ctx, own) if own else ""
        return Outcome(out.value, [text], out.missing) if text else out

    def fact_ids(self) -> list[str]:
        return self.part.fact_ids()

    def at_least_leaves(self) -> list[Compare]:
        return self.part.at_least_leaves()

    def standalone_leaves(self) -> list[Compare]:
        return self.part.standalone_leaves()


# --- parsing ------------------------------------------------------------------------------

Problem = tuple[tuple[Any, ...], str]  # (path inside the file, message)


def parse(raw: Any, path: tuple[Any, ...],
          catalog: FactsCatalog) -> tuple[Node | None, list[Problem]]:
    """Build a condition tree from YAML data; return (node or None, every problem found)."""
    problems: list[Problem] = []
    node = _parse(raw, path, catalog, problems)
    return (node if not problems else None), problems


def _parse(raw: Any, path: tuple[Any, ...], catalog: FactsCatalog,
           problems: list[Problem]) -> Node | None:
    if not isinstance(raw, dict):
        problems.append((path, "a condition must be a mapping like {fact: ..., is: ...}"))
        return None
    if "reason" in raw:
        wording = _parse_wording(raw["reason"], path + ("reason",), problems)
        node = _parse({k: v for k, v in raw.items() if k != "reason"}, path, catalog, problems)
        return Worded(node, wording) if node is not None and wording is not None else None
    unknown = [k for k in raw if k not in _ALL_KEYS]
    for key in unknown:
        close = difflib.get_close_matches(str(key), _ALL_KEYS, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        problems.append((path + (key,), f"unknown condition key {key!r}{hint}"))
    if unknown:
        return None
    if "fact" in raw:
        return _parse_compare(raw, path, catalog, problems)
    ops = [k for k in COMBINATORS if k in raw]
    if len(ops) != 1:
        problems.append((path, "a condition needs `fact` with one comparison, or exactly one "
                               "of all / any / not / at_least_n"))
        return None
    op = ops[0]
    if op == "not":
        extra = [k for k in raw if k != "not"]
        if extra:
            problems.append((path + (extra[0],), f"unexpected key {extra[0]!r} beside `not`"))
        part = _parse(raw["not"], path + ("not",), catalog, problems)
        return Not(part) if part else None
    if op == "at_least_n":
        n = raw["at_least_n"]
        items = raw.get("of")
        extra = [k for k in raw if k not in ("at_least_n", "of")]
        for key in extra:
            problems.append((path + (key,), f"unexpected key {key!r} beside `at_least_n`"))
        if isinstance(n, bool) or not isinstance(n, int) or n < 1:
            problems.append((path + ("at_least_n",), f"must be a whole number of at least 1, "
                                                     f"got {n!r}"))
        if not isinstance(items, list) or not items:
            problems.append((path + ("of",), "`at_least_n` needs a non-empty list `of`"))
            return None
        if isinstance(n, int) and not isinstance(n, bool) and n > len(items):
            problems.append((path + ("at_least_n",),
                             f"needs {n} of only {len(items)} alternatives: can never be met"))
        parsed = [_parse(item, path + ("of", i), catalog, problems)
                  for i, item in enumerate(items)]
        parts = [part for part in parsed if part is not None]
        return AtLeastN(n, parts) if len(parts) == len(parsed) and isinstance(n, int) else None
    items = raw[op]
    extra = [k for k in raw if k != op]
    for key in extra:
        problems.append((path + (key,), f"unexpected key {key!r} beside `{op}`"))
    if not isinstance(items, list) or not items:
        problems.append((path + (op,), f"`{op}` needs a non-empty list of conditions"))
        return None
    parsed = [_parse(item, path + (op, i), catalog, problems) for i, item in enumerate(items)]
    parts = [part for part in parsed if part is not None]
    if len(parts) < len(parsed):
        return None
    return AllOf(parts) if op == "all" else AnyOf(parts)


def _parse_wording(raw: Any, path: tuple[Any, ...],
                   problems: list[Problem]) -> ReasonOverride | None:
    """A condition's own reason texts, or None (with problems) when they are malformed."""
    try:
        wording = ReasonOverride.model_validate(raw)
    except ValidationError as exc:
        for error in exc.errors():
            problems.append((path + tuple(error["loc"]), error["msg"]))
        return None
    if not (wording.if_true or wording.if_false):
        problems.append((path, "`reason` needs `if_true`, `if_false` or both"))
        return None
    return wording


def _parse_compare(raw: Any, path: tuple[Any, ...], catalog: FactsCatalog,
                   problems: list[Problem]) -> Compare | None:
    fact_id = raw["fact"]
    ops = [k for k in COMPARISONS if k in raw]
    others = [k for k in raw if k not in ("fact", *COMPARISONS)]
    for key in others:
        problems.append((path + (key,), f"unexpected key {key!r} in a comparison"))
    if len(ops) != 1:
        problems.append((path, f"a comparison needs exactly one of {', '.join(COMPARISONS)}"
                               + (f", got {', '.join(ops)}" if ops else "")))
        return None
    op = ops[0]
    value = raw[op]
    if not isinstance(fact_id, str):
        problems.append((path + ("fact",), f"fact must be a fact id, got {fact_id!r}"))
        return None
    fact = catalog.facts.get(fact_id)
    if fact is None:
        close = difflib.get_close_matches(fact_id, list(catalog.facts), n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        problems.append((path + ("fact",), f"unknown fact {fact_id!r}{hint}"))
        return None
    message = check_operand(fact, op, value)
    if message:
        problems.append((path + (op,), message))
        return None
    if op in ("in", "contains_any"):
        value = tuple(value)
    return Compare(fact_id, op, value)


def check_operand(fact: FactDef, op: str, value: Any) -> str | None:
    """Why `value` cannot be compared with `op` to this fact, or None when it can."""
    kind = fact.type
    if op == "known":
        return None if isinstance(value, bool) else f"`known` takes true or false, got {value!r}"
    if op in ("at_least", "at_most"):
        if kind == "int":
            ok = isinstance(value, int) and not isinstance(value, bool)
            return None if ok else f"`{op}` on int fact {fact.id} needs a whole number, " \
                                   f"got {value!r}"
        if kind == "date":
            return None if isinstance(value, dt.date) else \
                f"`{op}` on date fact {fact.id} needs a date YYYY-MM-DD, got {value!r}"
        return f"`{op}` does not apply to {kind} fact {fact.id} (only int and date facts)"
    if op in ("contains", "contains_any"):
        if kind != "list":
            return f"`{op}` only applies to list facts; {fact.id} is {kind}" + \
                (" (use `is` or `in`)" if kind == "enum" else "")
        items = [value] if op == "contains" else value
        if op == "contains_any" and (not isinstance(value, list) or not value):
            return f"`contains_any` needs a non-empty list of values, got {value!r}"
        return _check_values(fact, items)
    if kind == "list":
        return f"`{op}` does not apply to list fact {fact.id} (use `contains` or `contains_any`)"
    if op == "in":
        if not isinstance(value, list) or not value:
            return f"`in` needs a non-empty list of values, got {value!r}"
        for item in value:
            message = _check_scalar(fact, item)
            if message:
                return message
        return None
    return _check_scalar(fact, value)


def _check_scalar(fact: FactDef, value: Any) -> str | None:
    kind = fact.type
    if kind == "bool":
        return None if isinstance(value, bool) else \
            f"bool fact {fact.id} compares with true or false, got {value!r}"
    if kind == "int":
        return None if isinstance(value, int) and not isinstance(value, bool) else \
            f"int fact {fact.id} compares with a whole number, got {value!r}"
    if kind == "date":
        return None if isinstance(value, dt.date) else \
            f"date fact {fact.id} compares with a date YYYY-MM-DD, got {value!r}"
    if kind == "enum":
        return _check_values(fact, [value])
    return None if isinstance(value, str) else f"text fact {fact.id} compares with text, " \
                                               f"got {value!r}"


def _check_values(fact: FactDef, items: Any) -> str | None:
    for item in items:
        if not isinstance(item, str):
            return f"values of {fact.id} are names, got {item!r}"
        if fact.values and item not in fact.values:
            close = difflib.get_close_matches(item, fact.values, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            return f"{item!r} is not a value of {fact.id}{hint}; allowed: {', '.join(fact.values)}"
    return None
