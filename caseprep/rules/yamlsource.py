"""Read a YAML file with safe_load semantics while remembering the line of every node.

Why not `yaml.safe_load`: an NGO editing a rule file needs `cn.yaml:123`, so we read the
parser's events (libyaml's, when PyYAML has it) and build plain data ourselves, with the line
of every value. Aliases and anchors are refused (billion-laughs style files cannot expand),
nesting depth and file size are bounded, and duplicate mapping keys are reported instead of
silently keeping the last one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from caseprep.rules.errors import Lines, RuleError, format_path

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 40

_PLAIN_TAGS = {
    f"tag:yaml.org,2002:{name}"
    for name in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map")
}


_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# A parser event (a yaml.Event subclass) from either loader; typed loosely because the stubs
# give every event's mark as optional, while the parser always sets it.
Event = Any
_STR = "tag:yaml.org,2002:str"
_MERGE = "tag:yaml.org,2002:merge"


class _Refused(Exception):
    def __init__(self, message: str, mark: Any):
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
    loader = _Loader(text)
    reader = _Reader(name, loader)
    try:
        data = reader.document()
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
        loader.dispose()
    return data, reader.lines, reader.errors


class _Reader:
    """Build plain data from the C parser's events in one pass, recording each value's line.

    One pass instead of composing a node tree and walking it: composing made a node (and two
    marks) per value and was most of a cold load. The checks come first for every event, so
    an alias, an anchor or deep nesting is refused before anything is built from it; tags
    resolve as `yaml.safe_load` resolves them. `keep=False` reads past a value that is
    dropped (a duplicate key's, a refused tag's) with the checks but without building it.
    """

    def __init__(self, name: str, loader: Any):
        self.name = name
        self.lines: Lines = {}
        self.errors: list[RuleError] = []
        self._next = loader.get_event
        self._resolve = loader.resolve
        self._constructor = yaml.constructor.SafeConstructor()

    def document(self) -> object:
        self._next()  # StreamStartEvent
        start = self._next()
        if isinstance(start, yaml.StreamEndEvent):
            return None
        data = self._value(self._next(), (), 0, True)
        self._next()  # DocumentEndEvent
        extra = self._next()
        if not isinstance(extra, yaml.StreamEndEvent):
            # Like yaml's composer: one document only (the rest is still checked first).
            depth, event = 0, extra
            while not isinstance(event := self._checked(self._next(), depth),
                                 yaml.StreamEndEvent):
                if isinstance(event, yaml.CollectionStartEvent):
                    depth += 1
                elif isinstance(event, yaml.CollectionEndEvent):
                    depth -= 1
            raise yaml.composer.ComposerError("expected a single document in the stream",
                                              start.start_mark, "but found another document",
                                              extra.start_mark)
        return data

    def _checked(self, event: Event, depth: int) -> Event:
        """Refuse aliases, anchors and deep nesting (billion-laughs style files)."""
        if isinstance(event, yaml.AliasEvent):
            raise _Refused("YAML aliases (*name) are not allowed in rule files", event.start_mark)
        if getattr(event, "anchor", None):
            raise _Refused("YAML anchors (&name) are not allowed in rule files", event.start_mark)
        if isinstance(event, yaml.CollectionStartEvent) and depth >= MAX_DEPTH:
            raise _Refused(f"nesting deeper than {MAX_DEPTH} levels", event.start_mark)
        return event

    def _value(self, event: Event, path: tuple[Any, ...], depth: int, keep: bool) -> object:
        """The value that starts with `event` (its events are read to its end)."""
        self._checked(event, depth)
        if keep:
            self.lines.setdefault(path, _line(event))
        if isinstance(event, yaml.ScalarEvent):
            return self._scalar(event, path) if keep else None
        kind = yaml.MappingNode if isinstance(event, yaml.MappingStartEvent) else yaml.SequenceNode
        tag = event.tag
        if tag is None or tag == "!":
            tag = self._resolve(kind, None, event.implicit)
        if tag not in _PLAIN_TAGS:
            if keep:
                self._error(event, path, f"YAML tag {tag!r} is not allowed in rule files")
            keep = False
        if kind is yaml.SequenceNode:
            items: list[object] = []
            while not isinstance(event := self._next(), yaml.SequenceEndEvent):
                items.append(self._value(event, path + (len(items),), depth + 1, keep))
            return items if keep else None
        result: dict[Any, Any] = {}  # keys as YAML reads them: text, numbers, booleans
        while not isinstance(key_event := self._next(), yaml.MappingEndEvent):
            key_keep, key_path = keep, path
            if not isinstance(key_event, yaml.ScalarEvent):
                if keep:
                    self._error(key_event, path, "mapping keys must be plain values")
                self._value(key_event, path, depth + 1, False)
                key_keep = False
            else:
                self._checked(key_event, depth + 1)
                key_tag = self._scalar_tag(key_event) if keep else None
                if key_tag == _MERGE:
                    self._error(key_event, path, "YAML merge keys (<<) are not allowed")
                    key_keep = False
                elif keep:
                    key = self._scalar(key_event, path, key_tag)
                    if not isinstance(key, str | int | bool) or key is None:
                        key = str(key)
                    key_path = path + (key,)
                    if key in result:
                        self._error(key_event, key_path, f"duplicate key {key!r}")
                        key_keep = False
                    else:
                        self.lines[key_path] = _line(key_event)
            value = self._value(self._next(), key_path, depth + 1, key_keep)
            if key_keep:
                result[key_path[-1]] = value
        return result if keep else None

    def _scalar_tag(self, event: Event) -> str:
        tag = event.tag
        if tag is None or tag == "!":
            tag = self._resolve(yaml.ScalarNode, event.value, event.implicit)
        return str(tag)

    def _scalar(self, event: Event, path: tuple[Any, ...], key_tag: str | None = None) -> object:
        """The scalar's value as safe_load reads it; a key's tag (`key_tag`) is read, not
        checked."""
        tag = key_tag or self._scalar_tag(event)
        if tag == _STR:
            return event.value
        if key_tag is None and tag not in _PLAIN_TAGS:
            self._error(event, path, f"YAML tag {tag!r} is not allowed in rule files")
            return None
        node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
        try:
            return self._constructor.construct_object(node, deep=True)
        except yaml.constructor.ConstructorError as exc:
            self._error(event, path, f"YAML error: {exc.problem}")
            return None
        except ValueError as exc:  # e.g. a 5,000-digit number or a date like 2026-13-45
            self._error(event, path, f"cannot read value {_short(event.value)}: {exc}")
            return None

    def _error(self, event: Event, path: tuple[Any, ...], message: str) -> None:
        line = _line(event)
        self.errors.append(RuleError(self.name, line, format_path(path), message))


def _line(event: Event) -> int:
    """The 1-based line an event starts on."""
    return int(event.start_mark.line) + 1


def _short(text: str) -> str:
    return repr(text if len(text) <= 40 else text[:37] + "...")


