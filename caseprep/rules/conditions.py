"""Conditions are data: `all`/`any`/`not`/`at_least_n` over comparisons of facts.

Evaluation is three-valued (True, False, None = unknown because a fact is missing) and
explains itself: each outcome carries the reasons of the clauses that decided it and, when
unknown, the facts whose answers could still decide it. Parsing checks every fact id and
value against the catalog and reports all problems with their path.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Callable
from dataclasses import dataclass, field

from pydantic import ValidationError

from caseprep.rules import dates
from caseprep.rules import reasons as R
from caseprep.rules.schema import ReasonOverride

COMPARISONS = ("is", "in", "contains", "contains_any", "at_least", "at_most", "known")
COMBINATORS = ("all", "any", "not", "at_least_n")
_ALL_KEYS = ("fact", *COMPARISONS, *COMBINATORS, "of", "reason")
_MISSING = object()


@dataclass(slots=True)
class Outcome:
    """Result of evaluating a node: value True/False/None, why, and what is missing."""

    value: bool | None
    reasons: list[str]
    missing: list[str] = field(default_factory=list)


# A compiled node: `run(facts, reasons, missing) -> True | False | None`. It appends the
# reasons of its outcome to `reasons` and, when unknown, the facts that could decide it to
# `missing` (duplicates allowed: whoever reads `missing` keeps the first of each). A decided
# node leaves no missing facts behind. Appending to two shared lists instead of building an
# Outcome per node is what makes an assessment cheap; `Node.evaluate` wraps it.
Run = Callable[[dict, list, list], "bool | None"]
_COMPILED_LIMIT = 16  # contexts (languages) kept per node; `lang` may come from a request
_REASONS_LIMIT = 512  # rendered reasons kept per comparison and language


class Node:
    """Base of condition nodes."""

    def evaluate(self, facts: dict, ctx: R.ReasonContext) -> Outcome:
        """The node's value, the reasons that decided it, and the facts still missing."""
        reasons: list[str] = []
        missing: list[str] = []
        value = self.compiled(ctx)(facts, reasons, missing)
        return Outcome(value, reasons, list(dict.fromkeys(missing)))

    def compiled(self, ctx: R.ReasonContext, negated: bool = False) -> Run:
        """This node compiled for `ctx` (built once per context, then reused).

        `negated`: the node sits under an odd number of `not`s. Its value is the same, but its
        reasons are worded from the route's side (issue 12: no inverted `not` reasons).
        """
        cache = self._compiled
        key = (ctx, negated)
        run = cache.get(key)
        if run is None:
            if len(cache) >= _COMPILED_LIMIT:
                cache.clear()
            run = cache[key] = self._compile(ctx, negated)
        return run

    def _compile(self, ctx: R.ReasonContext, negated: bool) -> Run:  # pragma: no cover
        raise NotImplementedError

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
    _compiled: dict = field(default_factory=dict, compare=False, repr=False)

    def _compile(self, ctx, negated):
        fact = self.fact
        render = R.compare_renderer(ctx, self.op, fact, self.value, negated)
        if self.op == "known":
            wanted = bool(self.value)
            on_true, on_false = render(None, True), render(None, False)

            def known(facts, reasons, missing):
                ok = (fact in facts) == wanted
                reasons.append(on_true if ok else on_false)
                return ok
            return known

        unanswered = R.not_answered(ctx, fact)
        vague = R.too_vague(ctx, fact)
        want = self.value
        op = self.op
        # Rendered reasons by answer: an assessment renders the same few sentences again and
        # again (a case's answers change one at a time), so most calls are a dict look-up.
        rendered: dict = {}

        def reason(have, ok) -> str:
            key = tuple(have) if isinstance(have, list) else have
            text = rendered.get(key)
            if text is None:
                if len(rendered) >= _REASONS_LIMIT:
                    rendered.clear()
                text = rendered[key] = render(have, ok)
            return text

        test = _TESTS[op]

        def compare(facts, reasons, missing):
            have = facts.get(fact, _MISSING)
            if have is _MISSING:
                reasons.append(unanswered)
                missing.append(fact)
                return None
            ok = test(have, want)
            if ok is None:  # an approximate date on both sides of the wanted one
                reasons.append(vague)
                missing.append(fact)
                return None
            reasons.append(reason(have, ok))
            return ok
        return compare

    def test(self, facts: dict) -> bool | None:
        """The value alone, without reasons (used for fast checks)."""
        if self.op == "known":
            return (self.fact in facts) == bool(self.value)
        if self.fact not in facts:
            return None
        return _compare(self.op, facts[self.fact], self.value)

    def fact_ids(self):
        return [self.fact]

    def at_least_leaves(self):
        return [self] if self.op == "at_least" and isinstance(self.value, int) else []

    def standalone_leaves(self):
        return self.at_least_leaves()


_TESTS = {
    "is": lambda have, want: have == want,
    "in": lambda have, want: have in want,
    "contains": lambda have, want: want in have,
    "contains_any": lambda have, want: any(v in have for v in want),
    "at_least": dates.compare_at_least,
    "at_most": dates.compare_at_most,
}


def _compare(op: str, have, want) -> bool:
    test = _TESTS.get(op)
    if test is None:  # pragma: no cover - parse() only builds known operators
        raise ValueError(op)
    return test(have, want)


def _keep(reasons: list, start: int, spans: list[tuple[int, int]]) -> None:
    """Keep, of `reasons[start:]`, only the slices in `spans` (in order).

    Callers skip it when every part is kept (the spans then cover all of `reasons[start:]`).
    """
    kept = [r for begin, end in spans for r in reasons[begin:end]]
    del reasons[start:]
    reasons.extend(kept)


def _combined(parts: list, decisive: bool):
    """`all` (decisive=False) or `any` (decisive=True) of three-valued compiled parts.

    The result is `decisive` as soon as one part is; then only the decisive parts' reasons
    are kept and no fact is reported missing. Otherwise unknown if any part is unknown.
    """

    def combined(facts, reasons, missing):
        start, missing_start = len(reasons), len(missing)
        spans = None  # made on the first decisive part only: most calls need none
        unknown = False
        for part in parts:
            begin = len(reasons)
            value = part(facts, reasons, missing)
            if value is decisive:
                if spans is None:
                    spans = []
                spans.append((begin, len(reasons)))
            elif value is None:
                unknown = True
        if spans is not None:
            if len(spans) < len(parts):
                _keep(reasons, start, spans)
            del missing[missing_start:]
            return decisive
        return None if unknown else not decisive

    return combined


@dataclass(slots=True)
class AllOf(Node):
    parts: list[Node]
    _compiled: dict = field(default_factory=dict, compare=False, repr=False)

    def _compile(self, ctx, negated):
        # False when any part is false (and only the false parts say why); unknown when any
        # is unknown; else true.
        return _combined([p.compiled(ctx, negated) for p in self.parts], decisive=False)

    def fact_ids(self):
        return [f for p in self.parts for f in p.fact_ids()]

    def at_least_leaves(self):
        return [c for p in self.parts for c in p.at_least_leaves()]

    def standalone_leaves(self):
        return self.parts[0].standalone_leaves() if len(self.parts) == 1 else []


@dataclass(slots=True)
class AnyOf(Node):
    parts: list[Node]
    _compiled: dict = field(default_factory=dict, compare=False, repr=False)

    def _compile(self, ctx, negated):
        # True when any part is true (and only the true parts say why); unknown when any is
        # unknown; else false.
        return _combined([p.compiled(ctx, negated) for p in self.parts], decisive=True)

    def fact_ids(self):
        return [f for p in self.parts for f in p.fact_ids()]

    def at_least_leaves(self):
        return [c for p in self.parts for c in p.at_least_leaves()]

    def standalone_leaves(self):
        return [c for p in self.parts for c in p.standalone_leaves()]


@dataclass(slots=True)
class Not(Node):
    part: Node
    _compiled: dict = field(default_factory=dict, compare=False, repr=False)

    def _compile(self, ctx, negated):
        part = self.part.compiled(ctx, not negated)

        def not_(facts, reasons, missing):
            value = part(facts, reasons, missing)
            return None if value is None else not value
        return not_

    def fact_ids(self):
        return self.part.fact_ids()


@dataclass(slots=True)
class AtLeastN(Node):
    n: int
    parts: list[Node]
    _compiled: dict = field(default_factory=dict, compare=False, repr=False)

    def _compile(self, ctx, negated):
        parts = [p.compiled(ctx, negated) for p in self.parts]
        n, total = self.n, len(self.parts)
        summaries = [R.at_least_n(ctx, met, n, total) for met in range(total + 1)]

        def at_least_n(facts, reasons, missing):
            # The summary ("2 of 3 alternatives met") comes first; when met, only the parts
            # that are true follow it, otherwise every part's reasons do.
            start, missing_start = len(reasons), len(missing)
            reasons.append("")  # the summary's place, filled in once the count is known
            true_spans = []
            unknown = 0
            for part in parts:
                begin = len(reasons)
                value = part(facts, reasons, missing)
                if value is True:
                    true_spans.append((begin, len(reasons)))
                elif value is None:
                    unknown += 1
            met = len(true_spans)
            reasons[start] = summaries[met]
            if met >= n:
                if met < total:
                    _keep(reasons, start + 1, true_spans)
                del missing[missing_start:]
                return True
            if met + unknown < n:
                del missing[missing_start:]
                return False
            return None
        return at_least_n

    def fact_ids(self):
        return [f for p in self.parts for f in p.fact_ids()]

    def at_least_leaves(self):
        return [c for p in self.parts for c in p.at_least_leaves()]

    def standalone_leaves(self):
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
    _compiled: dict = field(default_factory=dict, compare=False, repr=False)

    def _compile(self, ctx, negated):
        part = self.part.compiled(ctx, negated)
        on_true = R.override(ctx, self.wording.if_true) if self.wording.if_true else None
        on_false = R.override(ctx, self.wording.if_false) if self.wording.if_false else None

        def worded(facts, reasons, missing):
            start = len(reasons)
            value = part(facts, reasons, missing)
            text = on_true if value is True else on_false if value is False else None
            if text:
                del reasons[start:]
                reasons.append(text)
            return value
        return worded

    def fact_ids(self):
        return self.part.fact_ids()

    def at_least_leaves(self):
        return self.part.at_least_leaves()

    def standalone_leaves(self):
        return self.part.standalone_leaves()


# --- parsing ------------------------------------------------------------------------------

Problem = tuple[tuple, str]  # (path inside the file, message)


def parse(raw, path: tuple, catalog) -> tuple[Node | None, list[Problem]]:
    """Build a condition tree from YAML data; return (node or None, every problem found)."""
    problems: list[Problem] = []
    node = _parse(raw, path, catalog, problems)
    return (node if not problems else None), problems


def _parse(raw, path, catalog, problems) -> Node | None:
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
        parts = [_parse(item, path + ("of", i), catalog, problems) for i, item in enumerate(items)]
        return AtLeastN(n, parts) if all(parts) and isinstance(n, int) else None
    items = raw[op]
    extra = [k for k in raw if k != op]
    for key in extra:
        problems.append((path + (key,), f"unexpected key {key!r} beside `{op}`"))
    if not isinstance(items, list) or not items:
        problems.append((path + (op,), f"`{op}` needs a non-empty list of conditions"))
        return None
    parts = [_parse(item, path + (op, i), catalog, problems) for i, item in enumerate(items)]
    if not all(parts):
        return None
    return AllOf(parts) if op == "all" else AnyOf(parts)


def _parse_wording(raw, path, problems) -> ReasonOverride | None:
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


def _parse_compare(raw, path, catalog, problems) -> Compare | None:
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


def check_operand(fact, op: str, value) -> str | None:
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


def _check_scalar(fact, value) -> str | None:
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


def _check_values(fact, items) -> str | None:
    for item in items:
        if not isinstance(item, str):
            return f"values of {fact.id} are names, got {item!r}"
        if fact.values and item not in fact.values:
            close = difflib.get_close_matches(item, fact.values, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            return f"{item!r} is not a value of {fact.id}{hint}; allowed: {', '.join(fact.values)}"
    return None
