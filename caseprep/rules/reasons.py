"""Human-readable reasons for comparisons, e.g. "evidence.images_count is 34, needs at least 400".

Phrases are marked for the Babel catalog (`_`) and translated per request language; fact
names and values use the catalog's labels when it has them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from caseprep.rules import dates
from caseprep.rules.messages import _, translate
from caseprep.rules.text import pick


@dataclass(frozen=True)
class ReasonContext:
    """What reasons are rendered with: language and the facts catalog."""

    lang: str
    catalog: object  # FactsCatalog (kept loose to avoid an import cycle)

    def t(self, message: str, **values) -> str:
        return translate(message, self.lang) % values

    def subject(self, fact_id: str) -> str:
        fact = self.catalog.facts.get(fact_id) if self.catalog is not None else None
        if fact is not None and fact.label:
            return pick(fact.label, self.lang)
        return fact_id

    def value(self, fact_id: str, value) -> str:
        if isinstance(value, bool):
            return translate(_("yes"), self.lang) if value else translate(_("no"), self.lang)
        if dates.is_date(value):
            return dates.spoken(value, self.lang)
        if isinstance(value, list | tuple | set | frozenset):
            if not value:
                return translate(_("nothing"), self.lang)
            return ", ".join(self.value(fact_id, v) for v in value)
        fact = self.catalog.facts.get(fact_id) if self.catalog is not None else None
        if fact is not None and fact.value_labels and value in fact.value_labels:
            return pick(fact.value_labels[value], self.lang)
        return str(value)


def not_answered(ctx: ReasonContext, fact: str) -> str:
    return ctx.t(_("%(fact)s is not answered yet"), fact=ctx.subject(fact))


def too_vague(ctx: ReasonContext, fact: str) -> str:
    return ctx.t(_("%(fact)s is known only roughly; the exact date decides this"),
                 fact=ctx.subject(fact))


def compare(ctx: ReasonContext, op: str, fact: str, have, want, ok: bool) -> str:
    """The reason for one decided comparison."""
    return compare_renderer(ctx, op, fact, want)(have, ok)


def compare_renderer(ctx: ReasonContext, op: str, fact: str, want):
    """`render(have, ok) -> str` for one comparison in one language.

    The fact's name, the wanted value and the translated phrases are the same for every
    answer, so they are worked out once here; an assessment then only renders the answer.
    Each phrase is still formatted in one `%` step with the same values as `ctx.t`.
    """
    s = ctx.subject(fact)
    w = ctx.value(fact, want)
    lang = ctx.lang

    def phrase(message: str) -> str:
        return translate(message, lang)

    if op == "known":
        answered = phrase(_("%(fact)s is answered")) % {"fact": s}
        not_answered_ = phrase(_("%(fact)s is not answered")) % {"fact": s}
        wanted = bool(want)
        return lambda have, ok: answered if ok == wanted else not_answered_
    if op in ("at_least", "at_most"):
        if isinstance(want, dt.date):
            if op == "at_least":
                yes = phrase(_("%(fact)s is %(have)s, on or after %(need)s"))
                no = phrase(_("%(fact)s is %(have)s, needs %(need)s or later"))
            else:
                yes = phrase(_("%(fact)s is %(have)s, on or before %(need)s"))
                no = phrase(_("%(fact)s is %(have)s, needs %(need)s or earlier"))
        elif op == "at_least":
            yes = phrase(_("%(fact)s is %(have)s, at least %(need)s"))
            no = phrase(_("%(fact)s is %(have)s, needs at least %(need)s"))
        else:
            yes = phrase(_("%(fact)s is %(have)s, at most %(need)s"))
            no = phrase(_("%(fact)s is %(have)s, needs at most %(need)s"))

        def bound(have, ok):
            return (yes if ok else no) % {"fact": s, "have": ctx.value(fact, have), "need": w}
        return bound
    if op in ("is", "in"):
        yes = phrase(_("%(fact)s: %(have)s"))
        if op == "is":
            no = phrase(_("%(fact)s: %(have)s, needs %(need)s"))
        else:
            no = phrase(_("%(fact)s: %(have)s, needs one of: %(need)s"))

        def equal(have, ok):
            h = ctx.value(fact, have)
            if ok:
                return yes % {"fact": s, "have": h}
            return no % {"fact": s, "have": h, "need": w}
        return equal
    includes = phrase(_("%(fact)s includes %(need)s"))
    if op == "contains":
        yes = includes % {"fact": s, "need": w}
        no = phrase(_("%(fact)s does not include %(need)s")) % {"fact": s, "need": w}
        return lambda have, ok: yes if ok else no
    # contains_any: a match names the values it found
    none_of = phrase(_("%(fact)s includes none of: %(need)s")) % {"fact": s, "need": w}

    def any_of(have, ok):
        if not ok:
            return none_of
        matched = [v for v in want if v in have]
        return includes % {"fact": s, "need": ctx.value(fact, matched)}
    return any_of


def at_least_n(ctx: ReasonContext, met: int, n: int, total: int) -> str:
    return ctx.t(
        _("%(met)s of %(total)s alternatives met, needs %(n)s"), met=met, total=total, n=n
    )
