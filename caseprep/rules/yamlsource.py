"""Read a YAML file with safe_load semantics while remembering the line of every node.

Why not `yaml.safe_load`: an NGO editing a rule file needs `cn.yaml:123`, so we compose the
node tree with yaml.SafeLoader and build plain data ourselves. Aliases and anchors are refused
(billion-laughs style files cannot expand), nesting depth and file size are bounded, and
duplicate mapping keys are reported instead of silently keeping the last one.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from caseprep.rules.errors import RuleError, format_path

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 40

Lines = dict[tuple, int]
_PLAIN_TAGS = {
    f"tag:yaml.org,2002:{name}"
    for name in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map")
}


_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _check_events(text: str) -> None:
    """Refuse aliases, anchors, merge keys and deep nesting before anything is composed."""
    depth = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.AliasEvent):
            raise _Refused("YAML aliases (*name) are not allowed in rule files", event.start_mark)
        if getattr(event, "anchor", None):
            raise _Refused("YAML anchors (&name) are not allowed in rule files", event.start_mark)
        if isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise _Refused(f"nesting deeper than {MAX_DEPTH} levels", event.start_mark)
        elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
            depth -= 1


class _Refused(Exception):
    def __init__(self, message: str, mark):
        self.message = message
        self.line = mark.line + 1 if mark else None


class YamlLoadError(Exception):
    """The file cannot be read as YAML; `error` says where and why."""

    def __init__(self, error: RuleError):
        self.error = error
        super().__init__(str(error))


def load_yaml(path: Path, display_name: str | None = None) -> tuple[object, Lines, list[RuleError]]:
    """Return (data, lines, errors): plain data, {path tuple: 1-based line}, soft errors.

    Raises YamlLoadError when the file cannot be parsed at all.
    """
    name = display_name or path.name
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise YamlLoadError(RuleError(name, None, "", f"cannot read file: {exc.strerror}")) from exc
    if len(raw) > MAX_FILE_BYTES:
        raise YamlLoadError(
            RuleError(name, None, "", f"file is larger than {MAX_FILE_BYTES // 1024} KiB")
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise YamlLoadError(RuleError(name, None, "", "file is not UTF-8 text")) from exc
    return load_yaml_text(text, name)


def load_yaml_text(text: str, name: str) -> tuple[object, Lines, list[RuleError]]:
    """Like load_yaml, from a string (`name` is used in error messages)."""
    loader = None
    try:
        _check_events(text)
        loader = _Loader(text)
        node = loader.get_single_node()
    except _Refused as exc:
        raise YamlLoadError(RuleError(name, exc.line, "", exc.message)) from exc
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = exc.problem or exc.context or "invalid YAML"
        raise YamlLoadError(RuleError(name, line, "", f"YAML error: {problem}")) from exc
    except yaml.YAMLError as exc:
        raise YamlLoadError(RuleError(name, None, "", f"YAML error: {exc}")) from exc
    finally:
        if loader is not None:
            loader.dispose()
    if node is None:
        return None, {}, []
    builder = _Builder(name)
    data = builder.build(node, ())
    return data, builder.lines, builder.errors


class _Builder:
    """Turn a composed node tree into dicts/lists/scalars, recording each node's line."""

    def __init__(self, name: str):
        self.name = name
        self.lines: Lines = {}
        self.errors: list[RuleError] = []
        self._constructor = yaml.constructor.SafeConstructor()

    def build(self, node: yaml.Node, path: tuple):
        self.lines.setdefault(path, node.start_mark.line + 1)
        if node.tag not in _PLAIN_TAGS:
            self._error(node, path, f"YAML tag {node.tag!r} is not allowed in rule files")
            return None
        if isinstance(node, yaml.MappingNode):
            result: dict = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    self._error(key_node, path, "mapping keys must be plain values")
                    continue
                if key_node.tag == "tag:yaml.org,2002:merge":
                    self._error(key_node, path, "YAML merge keys (<<) are not allowed")
                    continue
                key = self._scalar(key_node, path)
                if not isinstance(key, str | int | bool) or key is None:
                    key = str(key)
                if key in result:
                    self._error(key_node, path + (key,), f"duplicate key {key!r}")
                    continue
                self.lines[path + (key,)] = key_node.start_mark.line + 1
                result[key] = self.build(value_node, path + (key,))
            return result
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, path + (i,)) for i, item in enumerate(node.value)]
        return self._scalar(node, path)

    def _scalar(self, node: yaml.ScalarNode, path: tuple):
        try:
            return self._constructor.construct_object(node, deep=True)
        except yaml.constructor.ConstructorError as exc:
            self._error(node, path, f"YAML error: {exc.problem}")
            return None
        except ValueError as exc:  # e.g. a 5,000-digit number or a date like 2026-13-45
            self._error(node, path, f"cannot read value {_short(node.value)}: {exc}")
            return None

    def _error(self, node: yaml.Node, path: tuple, message: str) -> None:
        line = node.start_mark.line + 1
        self.errors.append(RuleError(self.name, line, format_path(path), message))


def _short(text: str) -> str:
    return repr(text if len(text) <= 40 else text[:37] + "...")


