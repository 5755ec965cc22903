import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from caseprep.rules.yamlsource import MAX_FILE_BYTES, YamlLoadError, load_yaml, load_yaml_text


def test_lines_are_recorded_for_keys_and_items():
    data, lines, errors = load_yaml_text("a: 1\nb:\n  - {c: 2026-11-25}\n  - x\n", "t.yaml")
    assert data == {"a": 1, "b": [{"c": dt.date(2026, 11, 25)}, "x"]}
    assert lines[("b",)] == 2
    assert lines[("b", 0, "c")] == 3
    assert lines[("b", 1)] == 4
    assert errors == []


def test_safe_load_semantics_for_scalars():
    data, _, _ = load_yaml_text("a: yes\nb: 0x10\nc: ~\nd: '12'\ne: 1.5\n", "t.yaml")
    assert data == {"a": True, "b": 16, "c": None, "d": "12", "e": 1.5}


def test_duplicate_key_is_reported_with_its_line():
    data, _, errors = load_yaml_text("a: 1\nb: 2\na: 3\n", "t.yaml")
    assert data["a"] == 1
    assert [str(e) for e in errors] == ["t.yaml:3: a: duplicate key 'a'"]


@pytest.mark.parametrize(
    "text, message",
    [
        ("a: &x [1]\nb: *x\n", "t.yaml:1: YAML anchors (&name) are not allowed in rule files"),
        ("b: *x\n", "t.yaml:1: YAML aliases (*name) are not allowed in rule files"),
        ("[" * 200 + "]" * 200, "t.yaml:1: nesting deeper than 40 levels"),
        ("a: [1\n", "t.yaml:2: YAML error"),
    ],
)
def test_refused_documents(text, message):
    with pytest.raises(YamlLoadError) as info:
        load_yaml_text(text, "t.yaml")
    assert str(info.value).startswith(message)


def test_billion_laughs_is_refused_quickly():
    lol = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    for i, name in enumerate("bcdefghi"):
        prev = "abcdefghi"[i]
        lol += f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]\n"
    with pytest.raises(YamlLoadError, match="anchors"):
        load_yaml_text(lol, "t.yaml")


def test_python_tags_and_merge_keys_are_errors_not_objects():
    data, _, errors = load_yaml_text(
        "a: !!python/object/apply:os.system [echo]\n<<: {b: 1}\nc: !!set {x: null}\n", "t.yaml"
    )
    assert data == {"a": None, "c": None}
    messages = [e.message for e in errors]
    assert any("python/object/apply" in m for m in messages)
    assert any("merge keys" in m for m in messages)
    assert any("yaml.org,2002:set" in m for m in messages)


def test_huge_file_is_refused(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_text("a: " + "x" * (MAX_FILE_BYTES + 1))
    with pytest.raises(YamlLoadError, match="larger than"):
        load_yaml(path)


def test_non_utf8_file_is_refused(tmp_path):
    path = tmp_path / "latin.yaml"
    path.write_bytes(b"a: \xe9t\xe9\n")
    with pytest.raises(YamlLoadError, match="not UTF-8"):
        load_yaml(path)


def test_unreadable_scalars_are_errors_not_crashes():
    data, _, errors = load_yaml_text("a: " + "1" * 5000 + "\nb: 2026-13-45\n", "t.yaml")
    assert data == {"a": None, "b": None}
    assert [e.line for e in errors] == [1, 2]
    assert errors[1].message == "cannot read value '2026-13-45': month must be in 1..12"


YAMLISH = st.text(alphabet=st.sampled_from(list("ab:-[]{}&*!|>'\"#%@ \n\t,?01.\x00\x85\u2028")),
                  max_size=60)


@settings(max_examples=400, deadline=None)
@given(st.one_of(YAMLISH, st.text(max_size=40)))
def test_any_text_loads_or_gives_a_located_error(text):
    try:
        data, lines, errors = load_yaml_text(text, "t.yaml")
    except YamlLoadError as exc:
        assert exc.error.file == "t.yaml"
        return
    assert all(e.file == "t.yaml" for e in errors)
