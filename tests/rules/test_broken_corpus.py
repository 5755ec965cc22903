"""Every broken rule file under broken/ gives exactly the errors written at its end."""

import time

import pytest

from caseprep.rules import validate_paths

from .conftest import BROKEN

CASES = sorted(BROKEN.glob("xx_*.yaml"))


def _expected(path):
    return [line[len("# expect: "):] for line in path.read_text().splitlines()
            if line.startswith("# expect: ")]


def test_corpus_is_there():
    assert len(CASES) >= 20


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_broken_file_gives_its_exact_errors(path):
    expected = _expected(path)
    assert expected, f"{path.name} states no expected error"
    started = time.perf_counter()
    found, errors = validate_paths([path])
    assert time.perf_counter() - started < 2  # hostile files fail fast, never hang
    assert found == {}
    assert [str(e) for e in errors] == expected
