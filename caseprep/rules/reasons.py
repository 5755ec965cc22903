"""Human-readable reasons for comparisons, e.g. "evidence.images_count is 34, needs at least 400".

Phrases are marked for the Babel catalog (`_`) and translated per request language; fact
names and values use the catalog's labels when it has them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

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
        if isinstance(value, dt.date):
            return value.isoformat()
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


def compare(ctx: ReasonContext, op: str, fact: str, have, want, ok: bool) -> str:
    """The reason for one decided comparison."""
    s = ctx.subject(fact)
    h = ctx.value(fact, have)
    w = ctx.value(fact, want)
    if op == "known":
        answered = ok == bool(want)
        if answered:
            return ctx.t(_("%(fact)s is answered"), fact=s)
        return ctx.t(_("%(fact)s is not answered"), fact=s)
    if op in ("at_least", "at_most") and isinstance(want, dt.date):
        if op == "at_least":
            msg = _("%(fact)s is %(have)s, on or after %(need)s") if ok else _(
                "%(fact)s is %(have)s, needs %(need)s or later"
            )
        else:
            msg = _("%(fact)s is %(have)s, on or before %(need)s") if ok else _(
                "%(fact)s is %(have)s, needs %(need)s or earlier"
            )
        return ctx.t(msg, fact=s, have=h, need=w)
    if op == "at_least":
        msg = _("%(fact)s is %(have)s, at least %(need)s") if ok else _(
            "%(fact)s is %(have)s, needs at least %(need)s"
        )
        return ctx.t(msg, fact=s, have=h, need=w)
    if op == "at_most":
        msg = _("%(fact)s is %(have)s, at most %(need)s") if ok else _(
            "%(fact)s is %(have)s, needs at most %(need)s"
        )
        return ctx.t(msg, fact=s, have=h, need=w)
    if op == "is":
        if ok:
            return ctx.t(_("%(fact)s: %(have)s"), fact=s, have=h)
        return ctx.t(_("%(fact)s: %(have)s, needs %(need)s"), fact=s, have=h, need=w)
    if op == "in":
        if ok:
            return ctx.t(_("%(fact)s: %(have)s"), fact=s, have=h)
        return ctx.t(_("%(fact)s: %(have)s, needs one of: %(need)s"), fact=s, have=h, need=w)
    if op == "contains":
        if ok:
            return ctx.t(_("%(fact)s includes %(need)s"), fact=s, need=w)
        return ctx.t(_("%(fact)s does not include %(need)s"), fact=s, need=w)
    # contains_any
    if ok:
        matched = [v for v in want if v in have]
        return ctx.t(_("%(fact)s includes %(need)s"), fact=s, need=ctx.value(fact, matched))
    return ctx.t(_("%(fact)s includes none of: %(need)s"), fact=s, need=w)


def at_least_n(ctx: ReasonContext, met: int, n: int, total: int) -> str:
    return ctx.t(
        _("%(met)s of %(total)s alternatives met, needs %(n)s"), met=met, total=total, n=n
    )
