"""Any damage to a valid rule file gives errors, never an exception (hypothesis mutations)."""

from __future__ import annotations

import copy
import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from caseprep.rules import load_catalog
from caseprep.rules.validation import validate_jurisdiction
from caseprep.rules.yamlsource import load_yaml

from .conftest import VALID

CATALOG = load_catalog(VALID)
DATA, LINES, _ = load_yaml(VALID / "xx.yaml")

JUNK = st.one_of(
    st.none(), st.booleans(), st.integers(-5, 10**6), st.text(max_size=8),
    st.dates(dt.date(2000, 1, 1), dt.date(2030, 1, 1)),
    st.lists(st.one_of(st.none(), st.integers(), st.text(max_size=4)), max_size=3),
    st.dictionaries(st.sampled_from(["fact", "is", "all", "any", "en", "id", "x"]),
                    st.one_of(st.none(), st.integers(), st.text(max_size=4)), max_size=3),
)


def _paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, prefix + (key,))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _paths(value, prefix + (i,))


PATHS = [p for p in _paths(DATA) if p]


def _replace(data, path, value):
    node = data
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(PATHS), JUNK), min_size=1, max_size=4))
def test_mutated_rule_file_gives_errors_not_exceptions(mutations):
    data = copy.deepcopy(DATA)
    for path, value in mutations:
        try:
            _replace(data, path, value)
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation removed the parent
    model, errors = validate_jurisdiction(data, LINES, "xx.yaml", CATALOG, "xx")
    assert (model is None) == bool(errors)
    for error in errors:
        assert error.file == "xx.yaml" and error.message
    if model is not None:
        from caseprep.rules import assess

        assess(model, {})  # whatever validation lets through can be assessed
