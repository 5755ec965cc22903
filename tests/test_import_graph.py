"""No import circles inside caseprep/, and no import hidden in a function without a reason.

The graph is built from the source (ast), not by importing: an edge A -> B for every
`import`/`from ... import` in A naming caseprep module B, at module level and inside functions
alike (a function-level import that closes a loop is still a loop, only a later one). Imports
under `if TYPE_CHECKING:` are left out: they never run.

Importing caseprep.a.b runs caseprep/a/__init__.py first, so that is an edge as well.

An import inside a function is allowed only with a reason (`# lazy: ...`) on the line before
it or at its end; one reason above a run of imports covers the run. E.g. a heavy dependency
kept off the CLI's start-up path.
"""

from __future__ import annotations

import ast
import functools
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent.parent / "caseprep"
LAZY_MARK = "# lazy:"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE_DIR.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@functools.cache
def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(PACKAGE_DIR.rglob("*.py"))
            if "migrations" not in p.relative_to(PACKAGE_DIR).parts[:1]}


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


class _ImportCollector(ast.NodeVisitor):
    """Every import of one module: (target module, line number, inside a function?)."""

    def __init__(self, module: str, is_package: bool, known: set[str]):
        self.module, self.is_package, self.known = module, is_package, known
        self.found: list[tuple[str, int, bool]] = []
        self.run_start: dict[int, int] = {}
        self._depth = 0

    def _target(self, name: str) -> str | None:
        while name and name not in self.known:
            name = name.rpartition(".")[0]
        return name or None

    def _add(self, name: str, node: ast.stmt) -> None:
        target = self._target(name)
        if not target or target == self.module:
            return
        # Importing caseprep.a.b runs caseprep/a/__init__.py first: an edge to that package
        # too, unless it is one of this module's own packages (already being imported; named
        # outright, as in `from caseprep.a import bp`, it is an edge like any other).
        own = {self.module.rsplit(".", n)[0] for n in range(self.module.count(".") + 1)}
        parts = target.split(".")
        for depth in range(2, len(parts) + 1):
            name = ".".join(parts[:depth])
            if name in self.known and (name == target or name not in own):
                self.found.append((name, node.lineno, self._depth > 0))

    def visit_If(self, node: ast.If) -> None:
        if _is_type_checking(node.test):
            for child in node.orelse:
                self.visit(child)
            return
        self.generic_visit(node)

    def _visit_function(self, node) -> None:
        self._depth += 1
        self.generic_visit(node)
        self._depth -= 1

    def generic_visit(self, node: ast.AST) -> None:
        # A run of import statements in one block shares the reason written above its first.
        for field in ("body", "orelse", "finalbody"):
            first = None
            block = getattr(node, field, None)
            for stmt in block if isinstance(block, list) else ():
                if isinstance(stmt, ast.Import | ast.ImportFrom):
                    first = first or stmt.lineno
                    self.run_start[stmt.lineno] = first
                else:
                    first = None
        super().generic_visit(node)

    visit_FunctionDef = visit_AsyncFunctionDef = visit_Lambda = _visit_function

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            if alias.name.split(".")[0] == "caseprep":
                self._add(alias.name, node)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.level:
            base = self.module.split(".")
            if not self.is_package:
                base = base[:-1]
            base = base[:len(base) - (node.level - 1)]
            source = ".".join(base + ([node.module] if node.module else []))
        else:
            source = node.module or ""
        if source.split(".")[0] != "caseprep":
            return
        for alias in node.names:
            submodule = f"{source}.{alias.name}"
            self._add(submodule if submodule in self.known else source, node)


@functools.cache
def _imports() -> dict[str, list[tuple[str, int, bool]]]:
    """Per module: (imported module, line of the statement's run of imports, in a function?)."""
    modules = _modules()
    known = set(modules)
    found = {}
    for name, path in modules.items():
        collector = _ImportCollector(name, path.name == "__init__.py", known)
        collector.visit(ast.parse(path.read_text(encoding="utf-8"), str(path)))
        found[name] = [(target, collector.run_start.get(line, line), lazy)
                       for target, line, lazy in collector.found]
    return found


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle per strongly connected component of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                connect(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return [_one_cycle(graph, set(c)) for c in components]


def _one_cycle(graph: dict[str, set[str]], members: set[str]) -> list[str]:
    """A shortest loop through the component's first module, for the failure message."""
    start = min(members)
    paths = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for nxt in sorted(graph[node] & members):
            if nxt == start:
                return paths[node] + [start]
            if nxt not in paths:
                paths[nxt] = paths[node] + [nxt]
                queue.append(nxt)
    raise AssertionError("a strongly connected component always holds a cycle")


def test_collector_sees_module_and_function_level_imports():
    """The graph builder itself: a loop closed only inside a function is still found."""
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycles(graph) == [["a", "b", "c", "a"]]
    source = ("from caseprep.cases import crypto\n"
              "def f():\n    from caseprep import rules  # lazy: test\n")
    collector = _ImportCollector("caseprep.x", False,
                                 {"caseprep.cases", "caseprep.cases.crypto", "caseprep.rules"})
    collector.visit(ast.parse(source))
    assert collector.found == [("caseprep.cases", 1, False), ("caseprep.cases.crypto", 1, False),
                               ("caseprep.rules", 3, True)]


def test_no_import_cycles():
    graph = {module: {target for target, _line, _lazy in found}
             for module, found in _imports().items()}
    cycles = _cycles(graph)
    assert not cycles, "import cycles inside caseprep/:\n" + "\n".join(
        " -> ".join(cycle) for cycle in cycles)


def _has_reason(lines: list[str], lineno: int) -> bool:
    """`# lazy:` at the end of the line, or in the comment lines just above it."""
    if LAZY_MARK in lines[lineno - 1]:
        return True
    above = lineno - 2
    while above >= 0 and lines[above].strip().startswith("#"):
        if lines[above].strip().startswith(LAZY_MARK):
            return True
        above -= 1
    return False


def test_function_level_imports_state_a_reason():
    unexplained = []
    for module, found in _imports().items():
        path = _modules()[module]
        lines = path.read_text(encoding="utf-8").splitlines()
        unexplained += sorted({f"{path.relative_to(PACKAGE_DIR.parent)}:{line}"
                               for _target, line, lazy in found
                               if lazy and not _has_reason(lines, line)})
    assert not unexplained, (
        "imports inside functions need a '# lazy: <reason>' comment (or move them to the "
        "top of the module):\n" + "\n".join(unexplained))


# Who may import whom (docs/architecture.md, "Layers"): a prefix, and the prefixes it must
# never import. The services know nothing of Flask or of the front ends; the shell knows
# no front end; the rules core stands alone; a front end never imports the other.
FORBIDDEN = {
    "caseprep.rules": ("caseprep.cases", "caseprep.evidence", "caseprep.documents",
                       "caseprep.assessment", "caseprep.appshell", "caseprep.web",
                       "caseprep.api", "caseprep.cli"),
    "caseprep.cases": ("caseprep.appshell", "caseprep.web", "caseprep.api", "caseprep.cli"),
    "caseprep.evidence": ("caseprep.appshell", "caseprep.web", "caseprep.api", "caseprep.cli"),
    "caseprep.documents": ("caseprep.appshell", "caseprep.web", "caseprep.api", "caseprep.cli"),
    "caseprep.assessment": ("caseprep.appshell", "caseprep.web", "caseprep.api", "caseprep.cli"),
    "caseprep.appshell": ("caseprep.web", "caseprep.api", "caseprep.cli"),
    "caseprep.web": ("caseprep.api", "caseprep.cli"),
    "caseprep.api": ("caseprep.web", "caseprep.cli"),
}


def _within(module: str, prefix: str) -> bool:
    return module == prefix or module.startswith(prefix + ".")


def test_each_layer_imports_only_what_is_below_it():
    wrong = [f"{module} imports {target}"
             for module, found in _imports().items()
             for layer, forbidden in FORBIDDEN.items() if _within(module, layer)
             for target, _line, _lazy in found
             if any(_within(target, f) for f in forbidden)]
    assert not wrong, "imports across the layers:\n" + "\n".join(sorted(set(wrong)))
