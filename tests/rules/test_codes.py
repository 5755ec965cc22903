"""Jurisdiction codes: `cn`, `us`, `gb-eng`, `us-ca` are codes; anything else is refused with
the file's path, the field and the rule in words; a file must be named after its code."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from caseprep.cli import main
from caseprep.rules import validate_paths
from caseprep.rules.codes import code_problem


@pytest.mark.parametrize("code", ["cn", "us", "gb-eng", "us-ca", "xx_bad_duration"])
def test_codes_of_countries_and_their_parts(code):
    assert code_problem(code) is None


@pytest.mark.parametrize("code", ["CN", "gb_ENG", "g", "gb-", "chn-", "cn.yaml", "us ca", "usa1"])
def test_other_codes_are_refused_in_words(code):
    assert "lower-case letters" in code_problem(code) and "gb-eng" in code_problem(code)


def _rule_file(rules_copy, name: str, code: str):
    source = rules_copy / "xx.yaml"
    text = source.read_text(encoding="utf-8").replace("code: xx", f"code: {code}", 1)
    source.unlink()
    path = rules_copy / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_hyphenated_code_is_valid(rules_copy):
    _rule_file(rules_copy, "us-ca.yaml", "us-ca")
    found, errors = validate_paths([rules_copy])
    assert errors == [] and list(found) == ["us-ca"]


def _validate(folder):
    return CliRunner().invoke(main, ["rules", "validate", "--rules", str(folder)])


def test_a_bad_code_names_the_path_the_field_and_the_rule(rules_copy):
    path = _rule_file(rules_copy, "GB_ENG.yaml", "GB_ENG")
    result = _validate(rules_copy)
    assert result.exit_code == 1
    [line] = [line for line in result.output.splitlines() if ".yaml:" in line]
    assert line.startswith(f"{path}:2: code: 'GB_ENG' is not a jurisdiction code: ")
    assert "2 or 3 lower-case letters" in line and "(gb-eng, us-ca)" in line


def test_a_file_named_otherwise_than_its_code_names_both(rules_copy):
    path = _rule_file(rules_copy, "us-ca.yaml", "us")
    result = _validate(rules_copy)
    assert result.exit_code == 1
    assert f"{path}:2: code: code 'us' does not match the file name (us-ca.yaml)" in result.output
