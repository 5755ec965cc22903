"""A long step in parts of at most about eight questions (issue 12, item 4)."""

from types import SimpleNamespace

import pytest

from caseprep.web.wizard import paging


def _facts(count):
    return [SimpleNamespace(id=f"f.{i}") for i in range(count)]


@pytest.mark.parametrize(("count", "sizes"), [
    (0, [0]), (3, [3]), (8, [8]), (9, [9]), (10, [5, 5]), (11, [6, 5]), (17, [6, 6, 5]),
    (20, [7, 7, 6]),
])
def test_parts_are_even_and_small(count, sizes):
    parts = paging.split(_facts(count))
    assert [len(p) for p in parts] == sizes
    assert [f.id for p in parts for f in p] == [f"f.{i}" for i in range(count)]  # order kept


def test_part_of_finds_the_question():
    parts = paging.split(_facts(12))
    assert paging.part_of(parts, "f.0") == 1
    assert paging.part_of(parts, "f.11") == 2
    assert paging.part_of(parts, "nope") is None
