"""A settled rules folder is looked at once a second at most; an edit still shows up then.

The clock is a fake one: `catalog.time` is swapped for an object whose `monotonic()` the
test moves on, so nothing here waits or depends on the machine's speed.
"""

from __future__ import annotations

import os
import time
import types

import pytest

from caseprep.rules import RuleFileError, load_catalog, load_jurisdictions
from caseprep.rules import catalog as catalog_module
from caseprep.rules.loader import clear_caches


@pytest.fixture
def clock(monkeypatch):
    """A monotonic clock the test moves; the wall clock stays real (file times use it)."""
    now = [1000.0]
    fake = types.SimpleNamespace(monotonic=lambda: now[0], time_ns=time.time_ns)
    monkeypatch.setattr(catalog_module, "time", fake)
    clear_caches()
    yield now
    clear_caches()


@pytest.fixture
def settled(monkeypatch):
    """Files count as settled at once (a fresh copy would otherwise be looked at every call)."""
    monkeypatch.setattr(catalog_module, "SETTLED_SECONDS", 0.0)


def _edit(path, old, new):
    path.write_text(path.read_text().replace(old, new))
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))


def test_a_settled_folder_is_looked_at_again_after_a_second(rules_copy, clock, settled):
    first = load_jurisdictions(rules_copy)
    _edit(rules_copy / "xx.yaml", 'version: "2026.11.1"', 'version: "2026.11.2"')
    clock[0] += 0.5
    assert load_jurisdictions(rules_copy) is first  # within the second: not looked at
    clock[0] += 0.6
    second = load_jurisdictions(rules_copy)
    assert second is not first
    assert second["xx"].version == "2026.11.2"


def test_clear_caches_forgets_the_last_look(rules_copy, clock, settled):
    first = load_jurisdictions(rules_copy)
    catalog = load_catalog(rules_copy)
    _edit(rules_copy / "xx.yaml", 'version: "2026.11.1"', 'version: "2026.11.2"')
    _edit(rules_copy / "facts.yaml", "version: 1", "version: 2")
    clear_caches()
    assert load_jurisdictions(rules_copy)["xx"].version == "2026.11.2"
    assert load_jurisdictions(rules_copy) is not first
    assert load_catalog(rules_copy) is not catalog
    assert load_catalog(rules_copy).version == 2


def test_the_catalog_is_looked_at_again_after_a_second(rules_copy, clock, settled):
    first = load_catalog(rules_copy)
    _edit(rules_copy / "facts.yaml", "version: 1", "version: 2")
    assert load_catalog(rules_copy) is first
    clock[0] += 1.5
    assert load_catalog(rules_copy).version == 2


def test_files_that_just_changed_are_looked_at_on_every_call(rules_copy, clock):
    # A copy made a moment ago has not settled: an edit shows up on the very next call.
    first = load_jurisdictions(rules_copy)
    assert load_jurisdictions(rules_copy) is first
    _edit(rules_copy / "xx.yaml", 'version: "2026.11.1"', 'version: "2026.11.2"')
    assert load_jurisdictions(rules_copy)["xx"].version == "2026.11.2"


def test_a_broken_edit_keeps_failing_until_fixed(rules_copy, clock, settled):
    good = load_jurisdictions(rules_copy)
    path = rules_copy / "xx.yaml"
    _edit(path, "fact: content.is_obscene,", "fact: content.obscene,")
    clock[0] += 1.5
    with pytest.raises(RuleFileError):
        load_jurisdictions(rules_copy)
    with pytest.raises(RuleFileError):  # a failure is not remembered as a look
        load_jurisdictions(rules_copy)
    _edit(path, "fact: content.obscene,", "fact: content.is_obscene,")
    fixed = load_jurisdictions(rules_copy)
    assert fixed is not good and set(fixed) == {"xx"}


def test_the_default_folder_follows_the_environment(rules_copy, tmp_path, clock, settled,
                                                    monkeypatch):
    other = tmp_path / "other"
    other.mkdir()
    (other / "facts.yaml").write_text((rules_copy / "facts.yaml").read_text())
    monkeypatch.setenv("CASEPREP_RULES_PATH", str(rules_copy))
    assert set(load_jurisdictions()) == {"xx"}
    monkeypatch.setenv("CASEPREP_RULES_PATH", str(other))
    assert load_jurisdictions() == {}  # another folder: not the last look's result
