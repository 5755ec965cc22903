"""Fixtures of the rules-core tests: a small valid rule folder and its catalog."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from caseprep.rules import load_catalog, load_jurisdictions

FIXTURES = Path(__file__).parent / "fixtures"
VALID = FIXTURES / "valid"
BROKEN = Path(__file__).parent / "broken"


@pytest.fixture
def catalog():
    return load_catalog(VALID)


@pytest.fixture
def xx():
    return load_jurisdictions(VALID)["xx"]


@pytest.fixture
def rules_copy(tmp_path):
    """A private copy of the valid rule folder (tests that edit files must not share them)."""
    target = tmp_path / "rules"
    shutil.copytree(VALID, target)
    return target
