"""A long step in parts of at most eight questions: what fits a phone screen or two (issue 12).

The questions keep their catalog order; parts are as even as they can be (11 questions make
6 + 5, not 8 + 3), and a part may go one over the limit rather than leave a lone question.
"""

from __future__ import annotations

import math

PAGE_SIZE = 8


def split(facts: list, size: int = PAGE_SIZE) -> list[list]:
    """`facts` in parts of about `size`; one empty part when there is nothing to ask."""
    if len(facts) <= size + 1:
        return [list(facts)]
    count = math.ceil(len(facts) / size)
    per_part = math.ceil(len(facts) / count)
    return [list(facts[i:i + per_part]) for i in range(0, len(facts), per_part)]


def part_of(parts: list[list], fact_id: str) -> int | None:
    """The 1-based part that asks `fact_id`, or None."""
    for number, part in enumerate(parts, start=1):
        if any(fact.id == fact_id for fact in part):
            return number
    return None
