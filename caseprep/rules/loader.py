"""Find, validate and cache rule files: one `<code>.yaml` per jurisdiction beside facts.yaml.

Loaded files are cached by path and modification time, so the web app does not re-parse
them per request, and an NGO's edit is picked up without a restart (within a second: a
settled folder is looked at once a second at most, see `catalog.load_catalog`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from caseprep.rules import catalog as catalog_module
from caseprep.rules.catalog import (
    CATALOG_FILE,
    FactsCatalog,
    catalog_file,
    default_rules_dir,
    load_catalog,
    read_catalog,
)
from caseprep.rules.errors import RuleError, RuleFileError, in_folder
from caseprep.rules.platforms import PLATFORMS_FILE, load_directory
from caseprep.rules.schema import Jurisdiction
from caseprep.rules.validation import validate_jurisdiction
from caseprep.rules.yamlsource import YamlLoadError, load_yaml

_file_cache: dict[tuple[Any, ...], tuple[Jurisdiction | None, list[RuleError]]] = {}
_folder_cache: dict[tuple[Any, ...], dict[str, Jurisdiction]] = {}


def rule_files(folder: Path) -> list[Path]:
    """The jurisdiction files in `folder`: every *.yaml except the facts catalog and the
    platform directory."""
    return sorted(p for p in Path(folder).glob("*.yaml")
                  if p.name not in (CATALOG_FILE, PLATFORMS_FILE))


def read_jurisdiction(path: Path, catalog: FactsCatalog) -> tuple[Jurisdiction | None,
                                                                 list[RuleError]]:
    """Parse and validate one rule file; cached by (path, mtime, catalog)."""
    path = Path(path).resolve()
    try:
        # The catalog's file stamp, not its id(): ids are reused once an old catalog is freed.
        stamp = catalog.stamp or id(catalog)
        key = (str(path), path.stat().st_mtime_ns, path.stat().st_size, stamp)
    except OSError:
        return None, [RuleError(path.name, None, "", "file not found")]
    cached = _file_cache.get(key)
    if cached is not None:
        return cached
    try:
        data, lines, errors = load_yaml(path)
    except YamlLoadError as exc:
        result: tuple[Any, ...] = (None, [exc.error])
    else:
        model, more = validate_jurisdiction(data, lines, path.name, catalog, path.stem)
        # A value dropped by the YAML reader (e.g. a refused tag) is reported once, not twice.
        dropped = {e.path for e in errors}
        more = [e for e in more if e.path not in dropped]
        result = (None, sorted(errors + more, key=_by_line)) if errors or more else (model, [])
    if len(_file_cache) > 64:
        _file_cache.clear()
    _file_cache[key] = result
    return result


def _by_line(error: RuleError) -> tuple[int, str, str]:
    return (error.line or 0, error.path, error.message)


def _catalog_for(folder: Path) -> tuple[FactsCatalog | None, list[RuleError]]:
    own = folder / CATALOG_FILE
    if own.is_file():
        try:
            return load_catalog(own), []
        except RuleFileError as exc:
            return None, in_folder(exc.errors, folder)
    try:
        return load_catalog(None), []
    except RuleFileError as exc:
        return None, in_folder(exc.errors, catalog_file(None).parent)


def validate_paths(paths: list[Path] | None = None) -> tuple[dict[str, Jurisdiction],
                                                            list[RuleError]]:
    """Validate folders and files (default: the rules folder); return (valid ones, all errors).

    A folder is validated with its own facts.yaml; a single file with the facts.yaml beside it,
    else the shipped catalog. Naming facts.yaml itself validates only the catalog.
    """
    targets = [Path(p) for p in (paths or [default_rules_dir()])]
    found: dict[str, Jurisdiction] = {}
    where: dict[str, tuple[str, str]] = {}  # code -> (file name, folder), for messages
    errors: list[RuleError] = []
    for target in targets:
        if target.is_dir():
            folder, files = target, rule_files(target)
        elif target.is_file():
            folder, files = target.parent, [target]
        else:
            errors.append(RuleError(str(target), None, "", "no such file or folder"))
            continue
        if target.is_file() and target.name == CATALOG_FILE:
            _, catalog_errors = read_catalog(target)
            errors.extend(in_folder(catalog_errors, folder))
            continue
        catalog, catalog_errors = _catalog_for(folder)
        errors.extend(catalog_errors)
        if catalog is None:
            continue
        if target.is_dir() and (folder / PLATFORMS_FILE).is_file():
            try:
                load_directory(folder, catalog)
            except RuleFileError as exc:
                errors.extend(exc.errors)
        for file in files:
            model, file_errors = read_jurisdiction(file, catalog)
            errors.extend(in_folder(file_errors, folder))
            if model is None:
                continue
            if model.code in found:
                errors.append(RuleError(file.name, 1, "code",
                                        f"jurisdiction {model.code!r} is defined twice",
                                        str(folder)))
            found[model.code] = model
            where[model.code] = (file.name, str(folder))
    errors.extend(_check_extends(found, where))
    return found, errors


def _check_extends(found: dict[str, Jurisdiction],
                   where: dict[str, tuple[str, str]]) -> list[RuleError]:
    """`extends` names a rule file that was loaded with it, and the chain has no loop."""
    errors = []
    for code, model in found.items():
        seen, parent = [code], model.extends
        while parent is not None:
            if parent not in found:
                errors.append(RuleError(where[code][0], None, "extends",
                                        f"extends {parent!r}, but no rule file with that code "
                                        f"was loaded with it (known: {', '.join(sorted(found))})",
                                        where[code][1]))
                break
            if parent in seen:
                errors.append(RuleError(where[code][0], None, "extends",
                                        f"extends itself through {' -> '.join([*seen, parent])}",
                                        where[code][1]))
                break
            seen.append(parent)
            parent = found[parent].extends
    return errors


def load_jurisdictions(path: Path | str | None = None) -> dict[str, Jurisdiction]:
    """Every jurisdiction in the rules folder, by code; raises RuleFileError if any is invalid.

    Cached by the files' times and sizes; the files are looked at again at most once per
    `catalog.RECHECK_SECONDS` once they have settled (see `catalog.load_catalog`).
    """
    call, recent = catalog_module.recent_look("jurisdictions", path)
    if isinstance(recent, dict):  # what this function kept for `call` (a look-up's cache)
        return recent
    folder = Path(path) if path is not None else default_rules_dir()
    folder = folder.resolve()
    try:
        stats = [(p.name, p.stat()) for p in [folder / CATALOG_FILE, *rule_files(folder)]]
        folder_stat = folder.stat()
    except OSError as exc:
        raise RuleFileError([RuleError(str(folder), None, "", f"cannot read: {exc}")]) from exc
    key = (str(folder), tuple((name, st.st_mtime_ns, st.st_size) for name, st in stats))
    found = _folder_cache.get(key)
    if found is None:
        found, errors = validate_paths([folder])
        if errors:
            raise RuleFileError(errors)
        if len(_folder_cache) > 8:
            _folder_cache.clear()
        _folder_cache[key] = found
    catalog_module.remember_look(call, found, folder_stat, *(st for _, st in stats))
    return found


def clear_caches() -> None:
    """Forget every loaded file and every recent look (tests and the benchmark use this)."""
    _file_cache.clear()
    _folder_cache.clear()
    catalog_module._cache.clear()
    catalog_module._checked.clear()
