"""Reasons in human words: why one comparison opens or closes a route (issue 12, item 3).

A reason says what she answered and, when that closes the route, what the route is for:
"Age when made: 22. This route is for 13 or under." — never the operator ("at_most"), never
"needs". Phrases are chosen per operator and per kind of fact (yes/no, number, date, choice,
list), from the route's point of view: a comparison under a `not` is phrased as the negated
comparison, so "still online: yes" on an open route is not shown as a failure. Sensitive facts
(`sensitive: true` in the catalog: self-harm, illness) are never phrased as something she
lacks. A rule file may override the wording of any condition (`reason:` in the condition).

Phrases are marked for the Babel catalog (`_`) and translated per request language; fact
names and values use the catalog's labels when it has them.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from caseprep.rules import dates
from caseprep.rules.catalog import FactDef, FactsCatalog
from caseprep.rules.messages import _, translate
from caseprep.rules.text import Text, pick

# The comparison a `not` turns each operator into (numbers shift by one: not >= 400 is <= 399).
_NEGATED = {"is": "is_not", "in": "not_in", "contains": "not_contains",
            "contains_any": "contains_none", "at_least": "below", "at_most": "above"}


@dataclass(frozen=True, eq=False)
class ReasonContext:
    """What reasons are rendered with: language and the facts catalog.

    A key of the reason caches, made anew for every assessment: equal when the language is
    and the catalog is the same object (the generated dataclass methods build two tuples per
    look-up, and an assessment looks up about 140 sentences).
    """

    lang: str
    catalog: FactsCatalog | None

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ReasonContext) and self.lang == other.lang \
            and self.catalog is other.catalog

    def __hash__(self) -> int:
        return hash(self.lang) ^ id(self.catalog)

    def t(self, message: str, **values: Any) -> str:
        return translate(message, self.lang) % values

    def fact(self, fact_id: str) -> FactDef | None:
        return self.catalog.facts.get(fact_id) if self.catalog is not None else None

    def subject(self, fact_id: str) -> str:
        fact = self.fact(fact_id)
        if fact is not None and fact.label:
            return pick(fact.label, self.lang)
        if fact is not None and fact.question:  # no short label: the question, as a name
            return pick(fact.question, self.lang).rstrip("?？ ")
        return fact_id

    def sensitive(self, fact_id: str) -> bool:
        fact = self.fact(fact_id)
        return bool(getattr(fact, "sensitive", False))

    def value(self, fact_id: str, value: Any) -> str:
        if isinstance(value, bool):
            return translate(_("yes"), self.lang) if value else translate(_("no"), self.lang)
        if dates.is_date(value):
            return dates.spoken(value, self.lang)
        if isinstance(value, list | tuple | set | frozenset):
            if not value:
                return translate(_("nothing"), self.lang)
            return translate(_(", "), self.lang).join(self.value(fact_id, v) for v in value)
        fact = self.fact(fact_id)
        if fact is not None and fact.value_labels and value in fact.value_labels:
            return pick(fact.value_labels[value], self.lang)
        return str(value)


@functools.lru_cache(maxsize=4096)
def not_answered(ctx: ReasonContext, fact: str) -> str:
    if ctx.sensitive(fact):
        return ctx.t(_("You have not answered the optional question on %(fact)s; you may "
                       "leave it"), fact=ctx.subject(fact))
    return ctx.t(_("Not answered yet: %(fact)s"), fact=ctx.subject(fact))


def too_vague(ctx: ReasonContext, fact: str) -> str:
    return ctx.t(_("%(fact)s is known only roughly; the exact date decides this"),
                 fact=ctx.subject(fact))


def compare(ctx: ReasonContext, op: str, fact: str, have: Any, want: Any, ok: bool,
            negated: bool = False) -> str:
    """The reason for one decided comparison.

    `ok` is the comparison's own value; `negated` says it sits under an odd number of `not`s,
    so the route is helped when `ok` is false. Cached like `dates.spoken`: an assessment says
    the same sentences again and again (her answers meet the same comparisons in many routes,
    and change one at a time between pages); see docs/performance.md for what that saves.
    """
    return _compare(ctx, op, fact, tuple(have) if isinstance(have, list) else have, want, ok,
                    negated)


@functools.lru_cache(maxsize=8192)
def _compare(ctx: ReasonContext, op: str, fact: str, have: Any, want: Any, ok: bool,
             negated: bool) -> str:
    if op == "known":
        # Whether it is answered is a plain fact, the same on either side of a `not`.
        if ok == bool(want):
            return ctx.t(_("Answered: %(fact)s"), fact=ctx.subject(fact))
        return not_answered(ctx, fact)
    effective, want = _effective(op, want, negated, ctx.fact(fact))
    helped = ok != negated
    if helped:
        text = _helping_phrase(ctx, effective, fact)
        if effective == "contains_any":
            have = [v for v in want if v in have]
    else:
        text = _blocking_phrase(ctx, effective, fact)
    return text % {"fact": ctx.subject(fact), "need": ctx.value(fact, want),
                   "have": ctx.value(fact, have)}


def _effective(op: str, want: Any, negated: bool,
               fact: FactDef | None) -> tuple[str, object]:
    """The operator and value the route asks for once a `not` is applied.

    A yes/no fact under `not` simply wants the other answer; a whole number under `not`
    becomes the bound just past it (not at least 400 = 399 or fewer).
    """
    if not negated:
        return op, want
    if op == "is" and isinstance(want, bool):
        return "is", not want
    if op in ("at_least", "at_most") and isinstance(want, int) and not isinstance(want, bool):
        return ("at_most", want - 1) if op == "at_least" else ("at_least", want + 1)
    return _NEGATED[op], want


def _helping_phrase(ctx: ReasonContext, op: str, fact: str) -> str:
    """The reason when the answer is what the route asks for: say what she answered."""
    if ctx.sensitive(fact):
        return translate(_("You told us about %(fact)s; this is taken into account"), ctx.lang)
    phrases = {
        "at_least": _("%(fact)s: %(have)s, which reaches the %(need)s this route looks for"),
        "at_most": _("%(fact)s: %(have)s, within the %(need)s this route covers"),
        "contains": _("%(fact)s: %(need)s"),
        "contains_any": _("%(fact)s: %(have)s"),
        "not_contains": _("%(fact)s: not %(need)s"),
        "contains_none": _("%(fact)s: none of %(need)s"),
    }
    date_phrases = {
        "at_least": _("%(fact)s: %(have)s, within the time this route covers"),
        "at_most": _("%(fact)s: %(have)s, within the time this route covers"),
        "below": _("%(fact)s: %(have)s, within the time this route covers"),
        "above": _("%(fact)s: %(have)s, within the time this route covers"),
    }
    if _is_date_fact(ctx, fact) and op in date_phrases:
        return translate(date_phrases[op], ctx.lang)
    return translate(phrases.get(op, _("%(fact)s: %(have)s")), ctx.lang)


def _blocking_phrase(ctx: ReasonContext, op: str, fact: str) -> str:
    """The reason when the answer keeps the route closed: what she answered, what it is for."""
    if ctx.sensitive(fact):
        # Never "you would qualify if you had harmed yourself": say what the route is kept
        # for, and that it is nothing she has to show.
        return translate(_("This route is kept for the most serious harm (%(fact)s). It is not "
                           "something you have to show"), ctx.lang)
    if _is_date_fact(ctx, fact):
        phrases = {
            "at_least": _("%(fact)s: %(have)s. This route covers only %(need)s or later"),
            "at_most": _("%(fact)s: %(have)s. This route covers only %(need)s or earlier"),
            "below": _("%(fact)s: %(have)s. This route covers only dates before %(need)s"),
            "above": _("%(fact)s: %(have)s. This route covers only dates after %(need)s"),
        }
        if op in phrases:
            return translate(phrases[op], ctx.lang)
    phrases = {
        "is": _("%(fact)s: %(have)s. This route is for when the answer is %(need)s"),
        "is_not": _("%(fact)s: %(have)s. This route is not for that situation"),
        "in": _("%(fact)s: %(have)s. This route is for: %(need)s"),
        "not_in": _("%(fact)s: %(have)s. This route is not for that situation"),
        "at_least": _("%(fact)s: %(have)s. This route starts at %(need)s"),
        "at_most": _("%(fact)s: %(have)s. This route is for %(need)s or under"),
        "contains": _("This route is about %(need)s; that is not among your answers to "
                      "%(fact)s"),
        "contains_any": _("This route is about %(need)s; none of these is among your answers "
                          "to %(fact)s"),
        "not_contains": _("This route is not for cases with %(need)s (%(fact)s)"),
        "contains_none": _("This route is not for cases with %(need)s (%(fact)s)"),
    }
    return translate(phrases[op], ctx.lang)


def _is_date_fact(ctx: ReasonContext, fact: str) -> bool:
    definition = ctx.fact(fact)
    return getattr(definition, "type", None) == "date"


def at_least_n(ctx: ReasonContext, met: int, n: int, total: int) -> str:
    """The summary of "at least n of these": how many apply and how many the route looks for."""
    if met >= n:
        return ctx.t(_("%(met)s of these %(total)s circumstances apply; %(n)s are enough"),
                     met=met, total=total, n=n)
    return ctx.t(_("%(met)s of these %(total)s circumstances apply; this route looks for "
                   "%(n)s"), met=met, total=total, n=n)


def override(ctx: ReasonContext, text: Text | None) -> str:
    """A rule file's own wording of a reason, in the request's language."""
    return pick(text, ctx.lang)
