"""Law in time: does the law a route rests on apply to the conduct's date, and has time run out?

The law in force when the conduct happened applies (`conduct_time`); where the jurisdiction's
transition rule is `lighter_law` (cn Criminal Law art. 12, Administrative Penalty Law art. 37),
a later law that is lighter applies instead, to earlier conduct too. Both are data in the rule
file (`transition`, and per route `in_force`, `replaces`, `lighter`); this module reads them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from caseprep.rules import dates
from caseprep.rules.durations import Period
from caseprep.rules.messages import _
from caseprep.rules.reasons import ReasonContext
from caseprep.rules.schema import InForce, Jurisdiction, Route
from caseprep.rules.text import Text, pick

TODAY = "today"  # a route's `conduct_fact` for a duty judged on the day of the request


def window(in_force: InForce | None) -> tuple[dt.date | None, dt.date | None] | None:
    """(from, to) of an `in_force`, or None when there is none (always in force)."""
    if in_force is None or (in_force.start is None and in_force.end is None):
        return None
    return in_force.start, in_force.end


@dataclass(slots=True)
class RouteTiming:
    """What decides whether a route's law applies to the conduct.

    Worked out once when the rule file is read (`validation`, as `route._timing`): it needs
    every route of the file (a lighter successor may come later in it), and is the same for
    every assessment.
    """

    conduct_fact: str
    start: dt.date | None
    end: dt.date | None
    # A lighter law that reaches back: earlier conduct from `reach_back_from` (None: any) counts.
    reaches_back: bool
    reach_back_from: dt.date | None
    lighter_from: dt.date | None  # a lighter successor took over on this day
    lighter_title: Text | None  # the successor's title, picked in the language asked
    # The route's longest limitation period, when only its start date depends on the conduct:
    # conduct before a law in force longer than that would be out of time anyway, so an
    # unknown date need not keep the route undecided.
    settled_by: Period | None = None

    def in_force_dict(self) -> dict[str, Any] | None:
        if self.start is None and self.end is None:
            return None
        return {"from": self.start.isoformat() if self.start else None,
                "to": self.end.isoformat() if self.end else None}

    def conduct(self, facts: dict[str, Any], today: dt.date) -> Any:
        """The conduct's date: the answer to `conduct_fact`, or the day assessed for `today`."""
        return today if self.conduct_fact == TODAY else facts.get(self.conduct_fact)

    def applies(self, facts: dict[str, Any], today: dt.date, ctx: ReasonContext, reasons: list[Any],
                missing: list[Any]) -> bool | None:
        """True, False or None (the conduct's date is unknown or too rough), with the reason."""
        if self.start is not None and today < self.start:
            reasons.append(ctx.t(_("This law takes effect only on %(date)s"),
                                 date=dates.spoken(self.start, ctx.lang)))
            return False
        if self.lighter_from is not None and today >= self.lighter_from:
            reasons.append(ctx.t(_("The law changed on %(date)s and the newer law is lighter, so "
                                   "it applies instead: %(route)s"),
                                 date=dates.spoken(self.lighter_from, ctx.lang),
                                 route=pick(self.lighter_title, ctx.lang)))
            return False
        # `today`: a duty that arises when she asks (a platform's removal duty), not at the posting.
        conduct = self.conduct(facts, today)
        if conduct is None and self.settled_by is not None and self.start is not None \
                and self.settled_by.add_to(self.start) < today:
            return True
        if conduct is None:
            reasons.append(ctx.t(_("Which law applies depends on when it happened (%(fact)s)"),
                                 fact=ctx.subject(self.conduct_fact)))
            missing.append(self.conduct_fact)
            return None
        start = self.reach_back_from if self.reaches_back else self.start
        inside = dates.within(conduct, start, self.end)
        when = dates.spoken(conduct, ctx.lang)
        if inside is None:
            reasons.append(ctx.t(_("%(fact)s (%(when)s) is too rough to tell whether this law "
                                   "applies; the exact date decides it"),
                                 fact=ctx.subject(self.conduct_fact), when=when))
            missing.append(self.conduct_fact)
            return None
        if inside is False:
            first, last = dates.bounds(conduct)
            if start is not None and last < start:
                reasons.append(ctx.t(_("This law took effect on %(date)s; what you describe "
                                       "happened %(when)s"),
                                     date=dates.spoken(self.start, ctx.lang), when=when))
            else:
                reasons.append(ctx.t(_("This law applies only to conduct up to %(date)s; what "
                                       "you describe happened %(when)s"),
                                     date=dates.spoken(self.end, ctx.lang), when=when))
            return False
        if self.reaches_back and self.start is not None \
                and dates.bounds(conduct)[1] < self.start:
            reasons.append(ctx.t(_("This law took effect on %(date)s, after what you describe; "
                                   "it applies because it is lighter than the law it replaced"),
                                 date=dates.spoken(self.start, ctx.lang)))
        return True


def route_timing(jurisdiction: Jurisdiction, route: Route) -> RouteTiming | None:
    """The route's timing, or None when nothing about it (or a lighter successor) has dates."""
    own = window(route.in_force)
    rule_of = jurisdiction.transition
    successor = next((r for r in jurisdiction.routes
                      if r.replaces == route.id and r.lighter
                      and getattr(rule_of, r.kind) == "lighter_law"
                      and r.in_force is not None and r.in_force.start is not None), None)
    dated_parts = [g.in_force for g in route.thresholds] + [c.in_force for c in route.citations]
    if own is None and successor is None and not any(window(w) for w in dated_parts):
        return None
    reaches_back = bool(route.replaces and route.lighter
                        and getattr(rule_of, route.kind) == "lighter_law")
    reach_back_from = None
    if reaches_back and route.replaces is not None:
        replaced = jurisdiction.route(route.replaces)
        replaced_window = window(replaced.in_force) if replaced is not None else None
        reach_back_from = replaced_window[0] if replaced_window else None
    start, end = own if own is not None else (None, None)
    periods = [d._period for d in route.deadlines if d.bars and d._period is not None]
    settled = end is None and successor is None and route.replaces is None \
        and not any(window(w) for w in dated_parts) and periods
    return RouteTiming(
        conduct_fact=route.conduct_fact or jurisdiction.conduct_fact,
        start=start,
        end=end,
        reaches_back=reaches_back,
        reach_back_from=reach_back_from,
        lighter_from=successor.in_force.start
        if successor is not None and successor.in_force is not None else None,
        lighter_title=successor.title if successor is not None else None,
        settled_by=max(periods, key=lambda p: p.add_to(dt.date(2000, 1, 1))) if settled else None,
    )


def bar_reason(ctx: ReasonContext, shown: dict[str, Any], likely: bool) -> str:
    """Why a route is time-barred, in words, with what may extend the period.

    `shown`: the deadline as an assessment shows it (label and ways to extend in `ctx.lang`).
    """
    due = dates.spoken(dt.date.fromisoformat(shown["due"]), ctx.lang)
    if likely:
        return ctx.t(_("The time limit has probably run out (%(label)s): it ended on %(due)s"),
                     label=shown["label"], due=due)
    text = ctx.t(_("The time limit may have run out (%(label)s): it ended on or about %(due)s"),
                 label=shown["label"], due=due)
    if shown["extended_by"]:
        text += ctx.t(_(". It can be extended or start later: %(ways)s"),
                      ways="; ".join(shown["extended_by"]))
    return text
