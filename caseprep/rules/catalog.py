"""The facts catalog (jurisdictions/facts.yaml): every fact a rule may use, and its type.

`FactsCatalog.coerce` is the one place where answers become typed values, so the wizard,
the API, the CLI and scenario files all agree on what `evidence.images_count: "34"` means.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import time
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from caseprep import paths
from caseprep.rules import errors as rule_errors
from caseprep.rules.dates import ApproxDate
from caseprep.rules.errors import RuleError, RuleFileError, line_for
from caseprep.rules.text import LANG_CODE, Text, missing_languages
from caseprep.rules.yamlsource import YamlLoadError, load_yaml

FactType = Literal["bool", "int", "enum", "list", "date", "text"]
Section = Literal["about_you", "what_happened", "who", "where", "evidence", "police", "goals"]
CATALOG_FILE = "facts.yaml"
CATALOG_LANGS = ("en", "zh_Hans")
_TRUE = {"true", "yes", "1", "on"}
_FALSE = {"false", "no", "0", "off"}


# What a fact id looks like (FactDef.id); a key that does not is not repeated in messages.
_FACT_ID_SHAPE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$")


class FactValueError(ValueError):
    """An answer that does not fit the catalog (unknown fact id or wrong value).

    The message names the fact and what is wrong, never the value: a caller may log it, and
    an answer is case content ("case content never appears in logs"). A key that is not
    shaped like a fact id may itself be content, so it is not repeated in the message
    either (`fact_id` still holds it, for the caller to point at the field).
    """

    def __init__(self, fact_id: str, message: str):
        self.fact_id = fact_id
        self.message = message
        shown = fact_id if len(fact_id) <= 80 and _FACT_ID_SHAPE.match(fact_id) else (
            "(a key that is not a fact id)")
        super().__init__(f"{shown}: {message}")


class FactDef(BaseModel):
    """One fact: its id, type, allowed values and the question that asks for it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$")
    type: FactType
    values: list[str] | None = None
    value_labels: dict[str, Text] | None = None
    section: Section
    question: Text
    help: Text | None = None
    label: Text | None = None  # optional short name used in reasons; falls back to the id
    derived_from: str | None = None
    min: int | None = None
    max: int | None = None
    # Document kinds this fact fills in: the wizard asks it whenever the case may produce one
    # of them, even if no route's condition reads it (where the images are, who did it...).
    documents: tuple[str, ...] = ()
    # About her health or self-harm: asked late and optional, never phrased as what she lacks.
    sensitive: bool = False


class _CatalogFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: int
    facts: list[FactDef]


class FactsCatalog:
    """The loaded catalog: `facts` in file order (dict order is the catalog order)."""

    def __init__(self, facts: list[FactDef], version: int = 1, source: str = ""):
        self.version = version
        self.source = source
        self.facts: dict[str, FactDef] = {f.id: f for f in facts}
        self.order: dict[str, int] = {fid: i for i, fid in enumerate(self.facts)}
        # The facts a person is asked (the others are counted from the evidence log).
        self.askable: frozenset[str] = frozenset(
            fid for fid, fact in self.facts.items() if not fact.derived_from)
        self.stamp: tuple[Any, ...] | None = None  # (file, mtime) when loaded by load_catalog

    def __contains__(self, fact_id: str) -> bool:
        return fact_id in self.facts

    def coerce(self, mapping: dict[str, Any]) -> dict[str, Any]:
        """Check and convert answers; None means unknown and drops the key."""
        if not isinstance(mapping, dict):
            raise FactValueError("", "facts must be a mapping of fact id to value")
        out = {}
        for fact_id, value in mapping.items():
            fact = self.facts.get(fact_id)
            if fact is None:
                raise FactValueError(str(fact_id), "unknown fact" + self._did_you_mean(fact_id))
            if value is None:
                continue
            out[fact_id] = coerce_value(fact, value)
        return out

    def accepted(self, mapping: dict[str, Any]) -> dict[str, Any]:
        """`coerce` for answers stored under an earlier catalog: an answer this catalog no
        longer takes (a fact or value a rules update removed) is dropped rather than raised,
        so the wizard asks it again instead of failing her case's pages."""
        out = {}
        for fact_id, value in mapping.items():
            fact = self.facts.get(fact_id)
            if fact is None or value is None:
                continue
            try:
                out[fact_id] = coerce_value(fact, value)
            except FactValueError:
                continue
        return out

    def _did_you_mean(self, fact_id: object) -> str:
        import difflib

        close = difflib.get_close_matches(str(fact_id), list(self.facts), n=1)
        return f" (did you mean {close[0]!r}?)" if close else ""


def coerce_value(fact: FactDef, value: object) -> Any:
    """One answer converted to the fact's type, or FactValueError."""
    fid = fact.id
    kind = fact.type
    if kind == "bool":
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
            return value.strip().lower() in _TRUE
        raise FactValueError(fid, f"expected yes/no (true or false){_got(value)}")
    if kind == "int":
        if isinstance(value, bool):
            raise FactValueError(fid, "expected a whole number, got true/false")
        if isinstance(value, str):
            text = value.strip().replace(",", "").replace("_", "")
            if not text.lstrip("-").isdecimal() or len(text) > 18:
                raise FactValueError(fid, "expected a whole number (digits only, at most 18)")
            value = int(text)
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if not isinstance(value, int):
            raise FactValueError(fid, f"expected a whole number{_got(value)}")
        if fact.min is not None and value < fact.min:
            raise FactValueError(fid, f"must be at least {fact.min}")
        if fact.max is not None and value > fact.max:
            raise FactValueError(fid, f"must be at most {fact.max}")
        return value
    if kind == "enum":
        if not isinstance(value, str) or (fact.values and value not in fact.values):
            raise FactValueError(fid,
                                 f"expected one of {fact.values}{_got(value, fact.values)}")
        return value
    if kind == "list":
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list | tuple | set | frozenset):
            raise FactValueError(fid, f"expected a list{_got(value)}")
        result = []
        for number, item in enumerate(items, start=1):
            if not isinstance(item, str) or (fact.values and item not in fact.values):
                raise FactValueError(fid, f"item {number} is not one of {fact.values}")
            if item not in result:
                result.append(item)
        return result
    if kind == "date":
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value.strip())
            except ValueError:
                pass
            try:
                return ApproxDate(value)
            except ValueError:
                pass
        if isinstance(value, int) and not isinstance(value, bool):
            try:
                return ApproxDate(str(value))
            except ValueError:
                pass
        raise FactValueError(
            fid, f"expected a date YYYY-MM-DD, a month YYYY-MM or a year YYYY{_got(value)}")
    if not isinstance(value, str):
        raise FactValueError(fid, f"expected text{_got(value)}")
    return value


def _got(value: object, allowed: list[str] | None = None) -> str:
    """", got <what kind of value>" in words, never the value itself (it is case content)."""
    if isinstance(value, bool):
        kind = "true/false"
    elif isinstance(value, float) and not value.is_integer():
        kind = "a number with a fraction"
    elif isinstance(value, int | float):
        kind = "a number"
    elif isinstance(value, str):
        if not allowed:
            return ""  # the expectation already says what text would do
        kind = "text not in the list"
    elif isinstance(value, list | tuple | set | frozenset):
        kind = "a list"
    elif isinstance(value, dict):
        kind = "a mapping"
    elif isinstance(value, dt.date):
        kind = "a date"
    else:
        kind = "a value of another kind"
    return f", got {kind}"


def default_rules_dir() -> Path:
    """CASEPREP_RULES_PATH when set, else the shipped jurisdictions/ folder."""
    configured = os.environ.get("CASEPREP_RULES_PATH")
    return Path(configured) if configured else paths.resource_dir("jurisdictions")


def catalog_file(path: Path | str | None) -> Path:
    path = Path(path) if path is not None else default_rules_dir()
    return path / CATALOG_FILE if path.is_dir() else path


def read_catalog(path: Path) -> tuple[FactsCatalog | None, list[RuleError]]:
    """Parse and check a catalog file; return (catalog or None, every error found)."""
    name = path.name
    try:
        data, lines, errs = load_yaml(path)
    except YamlLoadError as exc:
        return None, [exc.error]
    errs = list(errs)
    try:
        parsed = _CatalogFile.model_validate(data)
    except ValidationError as exc:
        return None, errs + rule_errors.from_pydantic(exc, name, lines)
    seen: set[str] = set()
    for i, fact in enumerate(parsed.facts):
        def err(msg: str, *sub: object, i: int = i) -> None:
            at = ("facts", i, *sub)
            errs.append(RuleError(name, line_for(lines, at), rule_errors.format_path(at), msg))

        if fact.id in seen:
            err(f"duplicate fact id {fact.id!r}", "id")
        seen.add(fact.id)
        if fact.type == "enum" and not fact.values:
            err("an enum fact needs `values`", "values")
        if fact.values is not None and fact.type not in ("enum", "list"):
            err(f"`values` only applies to enum and list facts, not {fact.type}", "values")
        for value in fact.value_labels or {}:
            if value not in (fact.values or []):
                err(f"label for {value!r}, which is not in `values`", "value_labels", value)
        if (fact.min is not None or fact.max is not None) and fact.type != "int":
            err("`min`/`max` only apply to int facts", "min" if fact.min is not None else "max")
        for field in ("question", "help", "label"):
            text = getattr(fact, field)
            if text is None:
                continue
            for code in text:
                if not LANG_CODE.match(code):
                    err(f"{code!r} is not a language code like en or zh_Hans", field, code)
        for code in missing_languages(fact.question, CATALOG_LANGS):
            err(f"missing {code} text", "question")
    if errs:
        return None, errs
    return FactsCatalog(parsed.facts, parsed.version, str(path)), []


_cache: dict[tuple[str, int], FactsCatalog] = {}

# The web app asks for the catalog and the jurisdictions on every request, and a look at the
# files (resolving the path, a stat per file) costs more than an assessment. A folder whose
# files have not changed for SETTLED_SECONDS is looked at at most once per RECHECK_SECONDS,
# so an NGO's edit is still picked up without a restart, within a second; while its files
# are changing (just edited, just copied), every call looks at them.
RECHECK_SECONDS = 1.0
SETTLED_SECONDS = 2.0
_checked: dict[tuple[Any, ...], tuple[float, object]] = {}  # call key -> (monotonic time, result)


def recent_look(kind: str,
                path: Path | str | None) -> tuple[tuple[Any, ...], object | None]:
    """The key of a `kind` call for `path`, and what a look for it found less than
    RECHECK_SECONDS ago (None when there was none, or it is older).

    The key holds what the argument depends on: the environment for the default folder,
    the working directory for a relative path.
    """
    key: tuple[str, str | None, str | None]
    if path is None:
        key = kind, None, os.environ.get("CASEPREP_RULES_PATH")
    else:
        text = os.fspath(path)
        key = kind, text, None if os.path.isabs(text) else os.getcwd()
    seen = _checked.get(key)
    if seen is not None and time.monotonic() - seen[0] < RECHECK_SECONDS:
        return key, seen[1]
    return key, None


def remember_look(key: tuple[Any, ...], result: object, *stats: os.stat_result) -> None:
    """Remember a successful look at the files behind `stats`, unless one of them changed in
    the last SETTLED_SECONDS. The status change time counts too, because a copy keeps the
    modification time of its source (shutil.copy2, cp -p, rsync -t)."""
    changed_ns = max(max(st.st_mtime_ns, st.st_ctime_ns) for st in stats)
    if changed_ns > time.time_ns() - int(SETTLED_SECONDS * 1e9):
        return  # still changing: look again next time
    if len(_checked) > 64:
        _checked.clear()
    _checked[key] = (time.monotonic(), result)


def load_catalog(path: Path | str | None = None) -> FactsCatalog:
    """The catalog from `path` (file or folder; default: the rules folder), cached by mtime."""
    call, recent = recent_look("catalog", path)
    if isinstance(recent, FactsCatalog):  # what this function kept for `call`
        return recent
    file = catalog_file(path).resolve()
    try:
        stat = file.stat()
    except OSError as exc:
        raise RuleFileError([RuleError(file.name, None, "", "catalog file not found")]) from exc
    key = (str(file), stat.st_mtime_ns)
    catalog = _cache.get(key)
    if catalog is None:
        catalog, errs = read_catalog(file)
        if catalog is None:
            raise RuleFileError(errs)
        catalog.stamp = key
        _cache.clear() if len(_cache) > 16 else None
        _cache[key] = catalog
    remember_look(call, catalog, stat)
    return catalog
