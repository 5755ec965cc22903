"""What the results page puts first (issue 12, items 1 and 2).

"Start here": at most three next steps, ranked by what she wants (the `goals` fact) and by
what is open now, each with the documents to take and the deadline. Routes she can use are
grouped by what she wants; routes a settled answer excludes fold into one "checked and not
applicable" list. When the police said no, or already punished the person, a plain note says
why their count may not matter and which routes stay open.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from caseprep.web.documents.forms import KIND_LABELS
from caseprep.web.wizard import rules_access

# The groups of the results page, in the order shown when she has not said what she wants.
GOALS = ("removal", "prosecution", "compensation", "protection")
GOAL_TITLES = {
    "removal": _l("Getting the photos taken down"),
    "prosecution": _l("Getting the person punished"),
    "compensation": _l("Compensation and an apology"),
    "protection": _l("Keeping the person away from you"),
}
GROUP_OF_GOAL = {"removal": "removal", "prosecution": "prosecution",
                 "compensation": "compensation", "apology": "compensation",
                 "protection": "protection"}
SERVES_BY_KIND = {"takedown": ("removal",), "criminal": ("prosecution",),
                  "administrative": ("prosecution",), "civil": ("compensation",)}
# Within a group: open routes, then undecided ones, then those whose time may have run out.
STATUS_ORDER = {"met": 0, "time_barred": 1, "not_met": 2, "unknown": 3}
REFUSED = ("refused_in_writing", "refused_orally")
PUNISHED = ("penalty_imposed",)
MAX_STEPS = 3


def her_goals(facts: dict) -> list[str]:
    """The result groups she asked for, in the page's order; every group when she did not say."""
    wanted = {GROUP_OF_GOAL[g] for g in facts.get("goals") or () if g in GROUP_OF_GOAL}
    return [g for g in GOALS if g in wanted] or list(GOALS)


def route_groups(code: str, route: dict) -> list[str]:
    """The groups a route serves: the rule file's `serves`, else by the route's kind."""
    jurisdiction = rules_access.jurisdictions().get(code)
    model = jurisdiction.route(route["id"]) if jurisdiction is not None else None
    serves = (model.serves if model is not None else None) \
        or SERVES_BY_KIND.get(route["kind"]) or ()
    groups = [GROUP_OF_GOAL[g] for g in serves if g in GROUP_OF_GOAL]
    return list(dict.fromkeys(groups)) or ["compensation"]


def group(code: str, routes: list[dict], goals: list[str]) -> tuple[list[dict], list[dict]]:
    """(groups of usable routes, the "checked and not applicable" routes).

    Not applicable: closed by an answer. A route closed only by a count (34 of 400 pictures)
    stays in its group with its gap: more evidence can still open it.

    A route is shown once, in the first of its groups that she wants (else its first group);
    her groups come first, the others after them.
    """
    order = goals + [g for g in GOALS if g not in goals]
    by_group: dict[str, list[dict]] = {g: [] for g in order}
    not_applicable = []
    for route in routes:
        if route["status"] == "not_met" and not route["gaps"]:
            not_applicable.append({"id": route["id"], "title": route["title"],
                                   "reason": route["reasons"][0] if route["reasons"] else ""})
            continue
        served = route_groups(code, route)
        home = next((g for g in order if g in served and g in goals), served[0])
        route["groups"] = served
        by_group.setdefault(home, []).append(route)
    groups = []
    for goal, items in by_group.items():
        if not items:
            continue
        items.sort(key=lambda r: STATUS_ORDER.get(r["status"], 3))  # stable: file order kept
        groups.append({"goal": goal, "title": GOAL_TITLES[goal], "wanted": goal in goals,
                       "open": [r for r in items if r["status"] == "met"],
                       "undecided": [r for r in items if r["status"] == "unknown"],
                       "late": [r for r in items if r["status"] == "time_barred"],
                       # Not met on a count alone: more evidence could still open them.
                       "short": [r for r in items if r["status"] == "not_met"]})
    return groups, not_applicable


def start_here(shown: list[dict], goals: list[str]) -> list[dict]:
    """At most three next steps: for each goal she has, the best route open now; then others.

    Best: a route that produces a document she can take, then the earliest deadline, then
    the rule file's order (which puts the usual first step first). Open routes of one place
    that lead to the same paper (one police report names every offence) are one step: the
    first of them in the rule file stands for them, ranked by the earliest deadline among
    them, so a lesser offence with a shorter limitation period does not lead.
    """
    candidates = []
    pairs = [(place, route) for place in shown for route in place["routes"]]
    same_paper: dict[tuple, tuple] = {}  # (place, goals, paper) -> (earliest due, first order)
    for order, (jur, route) in enumerate(pairs):
        if route["status"] == "met":
            due = min((d["due"] for d in route["deadlines"] if d.get("due")), default="9999")
            paper = (jur["jurisdiction"], tuple(route.get("groups", ())),
                     route["documents"][0] if route["documents"] else route["id"])
            first_due, first = same_paper.get(paper, (due, order))
            same_paper[paper] = (min(due, first_due), first)
            candidates.append((paper, order, jur, route))
    firsts = [((not route["documents"], *same_paper[paper]), jur, route)
              for paper, order, jur, route in candidates
              if same_paper[paper][1] == order]
    picked: list[tuple[dict, dict, str]] = []
    for goal in goals + [g for g in GOALS if g not in goals]:
        # The goal's own kind of route first: a takedown notice for removal, not a lawsuit.
        usual = {kind for kind, served in SERVES_BY_KIND.items() if goal in served}
        ranked = sorted((c for c in firsts if goal in c[2].get("groups", ())),
                        key=lambda c: (c[2]["kind"] not in usual, c[0]))
        for _key, jur, route in ranked:
            if all(route is not p[1] for p in picked):
                picked.append((jur, route, goal))
                break
        if len(picked) == MAX_STEPS:
            break
    several = len(shown) > 1
    return [_step(jur, route, goal, several) for jur, route, goal in picked]


def _step(jur: dict, route: dict, goal: str, several: bool) -> dict:
    deadline = next((d for d in route["deadlines"] if d.get("due_text")), None)
    return {
        "route": route,
        "jurisdiction": jur["jurisdiction"],
        "place": jur["name"] if several else "",
        "goal_title": GOAL_TITLES[goal],
        "action": route["next_steps"][0] if route["next_steps"] else route["summary"],
        "where": route["authority"],
        "documents": [KIND_LABELS[k] for k in route["documents"] if k in KIND_LABELS],
        "deadline": deadline,
        "period": next((d for d in route["deadlines"] if not d.get("due_text")), None),
    }


def police_note(facts: dict, shown: list[dict]) -> dict | None:
    """Why the police's count may not matter, when they said no or punished him already.

    The routes a count decides are those with a threshold on a count of evidence (the facts
    the evidence log counts); every other route needs no count.
    """
    response = facts.get("police.response")
    if response not in REFUSED + PUNISHED:
        return None
    counted, open_without_count = [], []
    for jur in shown:
        for route in jur["routes"]:
            if _counted(jur["jurisdiction"], route["id"]):
                counted.append(route)
            elif route["status"] == "met":
                open_without_count.append(route)
    closed = [r for r in counted if r["status"] == "not_met"]
    return {"punished": response in PUNISHED, "counted": len(counted),
            "closed": len(closed),
            # Why those never applied, said once (they usually share the first reason).
            "closed_reasons": list(dict.fromkeys(r["reasons"][0] for r in closed
                                                 if r["reasons"])),
            "undecided": [r for r in counted if r["status"] != "not_met"],
            "open_count": len(open_without_count)}


def _counted(code: str, route_id: str) -> bool:
    """Whether a threshold of the route compares a count of evidence (pictures, views...)."""
    jurisdiction = rules_access.jurisdictions().get(code)
    model = jurisdiction.route(route_id) if jurisdiction is not None else None
    if jurisdiction is None or model is None:
        return False
    catalog = jurisdiction.catalog
    for threshold in model.thresholds:
        node = threshold._condition
        for leaf in node.at_least_leaves() if node is not None else ():
            fact = catalog.facts.get(leaf.fact)
            if fact is not None and (fact.derived_from or fact.section == "evidence"):
                return True
    return False
