"""Errors of the rules core, in the form an NGO can act on: file, line, path, what is wrong."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from pydantic import ValidationError


@dataclass(frozen=True, order=True)
class RuleError:
    """One problem in a rule or catalog file, e.g. `cn.yaml:123: routes[3].id: duplicate ...`."""

    file: str
    line: int | None
    path: str
    message: str
    # The folder of `file`, when known: `located()` prints the path an editor can open, while
    # `str()` keeps the short form the rule files' own `# expect:` lines use.
    folder: str = field(default="", compare=False)

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"

    def located(self) -> str:
        """The error with the file's path, e.g. `/srv/rules/cn.yaml:12: code: ...`."""
        if not self.folder:
            return str(self)
        return str(replace(self, file=str(Path(self.folder) / self.file), folder=""))


def in_folder(errors: list[RuleError], folder: Path | str) -> list[RuleError]:
    """`errors` of files in `folder`, so that they print their path (`RuleError.located`)."""
    return [e if e.folder else replace(e, folder=str(folder)) for e in errors]


class RuleFileError(ValueError):
    """One or more files are invalid; `errors` lists every problem found, not only the first."""

    def __init__(self, errors: list[RuleError]):
        self.errors = list(errors)
        super().__init__("\n".join(e.located() for e in self.errors))


# Where each value of a YAML file is: its path (keys and list indexes) -> 1-based line.
Lines = dict[tuple[Any, ...], int]


def format_path(parts: tuple[Any, ...]) -> str:
    """('routes', 3, 'condition', 'all', 1, 'fact') -> 'routes[3].condition.all[1].fact'."""
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def line_for(lines: Lines, path: tuple[Any, ...]) -> int | None:
    """The line of `path`, or of its nearest ancestor present in the file."""
    parts = tuple(path)
    while parts:
        if parts in lines:
            return lines[parts]
        parts = parts[:-1]
    return lines.get(())


def from_pydantic(exc: ValidationError, name: str, lines: Lines,
                  fields: tuple[str, ...] = ()) -> list[RuleError]:
    """Translate a pydantic ValidationError into file:line: path: message errors.

    `fields` are the known field names, used for a did-you-mean on unknown fields.
    """
    import difflib

    out = []
    for err in exc.errors(include_url=False):
        loc = tuple(err["loc"])
        kind = err["type"]
        if kind == "missing":
            message = "required field is missing"
        elif kind == "extra_forbidden":
            field = loc[-1]
            message = f"unknown field {field!r}"
            if fields:
                close = difflib.get_close_matches(str(field), fields, n=1)
                if close:
                    message += f" (did you mean {close[0]!r}?)"
        elif kind == "dict_type":
            message = "expected a mapping (a text is {en: ..., zh_Hans: ...})"
        elif kind == "list_type":
            message = "expected a list"
        else:
            message = err["msg"]
            if "input" in err and not isinstance(err["input"], dict | list):
                message += f" (got {err['input']!r})"
        # Union/tagged errors put type names in loc; keep only the data path.
        data_loc = tuple(p for p in loc if isinstance(p, int) or not _is_type_tag(p))
        out.append(RuleError(name, line_for(lines, data_loc), format_path(data_loc), message))
    return out


def _is_type_tag(part: str) -> bool:
    return "[" in part or part in {"str", "int", "bool", "date", "list", "dict", "function-after"}
