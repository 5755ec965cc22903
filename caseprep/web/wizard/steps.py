"""The wizard's steps, in the order the issue fixes, and which catalog facts each asks."""

from __future__ import annotations

from dataclasses import dataclass

from caseprep.appshell.i18n import lazy_gettext as _l

ALL_SECTIONS = ("about_you", "what_happened", "who", "where", "evidence", "police", "goals")


@dataclass(frozen=True)
class Step:
    id: str
    title: object  # a lazy string
    sections: tuple[str, ...] = ()
    # The step for sensitive facts (health, self-harm: issue 12) asks only those, late and
    # optional; every other step leaves them out.
    sensitive: bool = False

    def asks(self, fact) -> bool:
        return fact.section in self.sections and bool(fact.sensitive) == self.sensitive


STEPS: tuple[Step, ...] = (
    Step("safety", _l("Safety first")),
    Step("jurisdictions", _l("Where")),
    # about_you facts (age, ...) only make sense once places are chosen, so they open
    # "what happened" instead of sharing the places page.
    Step("what_happened", _l("What happened"), ("about_you", "what_happened")),
    Step("who", _l("Who did it"), ("who",)),
    Step("where", _l("Where it was shared"), ("where",)),
    Step("evidence", _l("Evidence so far"), ("evidence", "police")),
    Step("wellbeing", _l("How you are"), ALL_SECTIONS, sensitive=True),
    Step("goals", _l("What you want"), ("goals",)),
    Step("results", _l("Results")),
)
STEP_IDS = tuple(step.id for step in STEPS)
QUESTION_STEPS = tuple(step for step in STEPS if step.sections)


def get_step(step_id: str) -> Step | None:
    return next((step for step in STEPS if step.id == step_id), None)


def neighbours(step_id: str) -> tuple[str | None, str | None]:
    """The previous and next step ids of `step_id`."""
    i = STEP_IDS.index(step_id)
    before = STEP_IDS[i - 1] if i > 0 else None
    after = STEP_IDS[i + 1] if i + 1 < len(STEP_IDS) else None
    return before, after


def step_for_fact(fact) -> str:
    """The step that asks `fact` (a catalog FactDef)."""
    for step in QUESTION_STEPS:
        if step.asks(fact):
            return step.id
    return "what_happened"
