"""The package's import graph, read from the code: no cycles, and no module
uses another module's private names (what two modules share is a public
name of a third)."""

from __future__ import annotations

import ast
import importlib
import re
from importlib.metadata import entry_points
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "pii_tagger"

# Private names of other libraries that a module reaches on purpose, with why.
THIRD_PARTY_PRIVATE = {
    ("otel", "_lock"): "the OpenTelemetry SDK's multi-processor lock, held while its processor list is rewrapped",
}


def _modules() -> dict[str, ast.Module]:
    return {path.stem: ast.parse(path.read_text(encoding="utf-8"), str(path)) for path in sorted(PACKAGE.glob("*.py"))}


def _imports(name: str, tree: ast.Module, modules: set[str]) -> list[tuple[str, list[str]]]:
    """(module of ours, names taken from it) for every import in ``tree``,
    at the top or inside a function."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            absolute = (node.module or "").split(".")
            if node.level == 1 and node.module:
                found.append((node.module.split(".")[0], [a.name for a in node.names]))
            elif node.level == 1 or absolute == ["pii_tagger"]:
                found += [(a.name, []) for a in node.names if a.name in modules]
            elif absolute[0] == "pii_tagger":
                found.append((absolute[1], [a.name for a in node.names]))
        elif isinstance(node, ast.Import):
            found += [(a.name.split(".")[1], []) for a in node.names if a.name.startswith("pii_tagger.")]
    return [(module, names) for module, names in found if module in modules and module != name]


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: {m for m, _ in _imports(name, tree, set(modules))} - {"_native"} for name, tree in modules.items()}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every cycle, once, from its first module in sorted order."""
    cycles = []
    for start in sorted(graph):
        stack = [(start, [start])]
        while stack:
            module, path = stack.pop()
            for imported in sorted(graph.get(module, ())):
                if imported == start:
                    cycles.append(path)
                elif imported > start and imported not in path:
                    stack.append((imported, [*path, imported]))
    return cycles


def test_the_graph_is_read() -> None:
    graph = _graph()
    # The reader sees what is there: the integrations stand on the redactor.
    assert "engine" in graph["otel"] and "otel_redaction" in graph["otel_guard"] and "engine" in graph["stdlib"]


def test_the_cycle_finder_finds_cycles() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycles() -> None:
    assert _cycles(_graph()) == []


def test_no_module_imports_another_modules_private_names() -> None:
    modules = _modules()
    taken = [
        f"{name} imports {imported}.{n}"
        for name, tree in modules.items()
        for imported, names in _imports(name, tree, set(modules))
        if imported != "_native"
        for n in names
        if _private(n)
    ]
    assert taken == []


def test_no_module_uses_another_modules_private_attributes() -> None:
    """``x._name`` where ``_name`` is defined only in other modules of ours
    (a function, class, or attribute set on ``self``), ``self`` and ``cls`` aside."""
    modules = _modules()
    defined: dict[str, set[str]] = {}
    for name, tree in modules.items():
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and _private(node.name):
                defined.setdefault(node.name, set()).add(name)
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store) and _private(node.attr):
                defined.setdefault(node.attr, set()).add(name)
    used = []
    for name, tree in modules.items():
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Attribute) and _private(node.attr)):
                continue
            if isinstance(node.value, ast.Name) and node.value.id in ("self", "cls"):
                continue
            owners = defined.get(node.attr, set())
            if owners and name not in owners and (name, node.attr) not in THIRD_PARTY_PRIVATE:
                used.append(f"{name}:{node.lineno} {ast.unparse(node)} (defined in {', '.join(sorted(owners))})")
    assert used == []


def _resolves(dotted: str) -> bool:
    """``dotted`` is a module of the package, or a name in one."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            found: object = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for name in parts[cut:]:
            if not hasattr(found, name):
                return False
            found = getattr(found, name)
        return True
    return False


def _instrument_and_logger_names() -> set[str]:
    """The OpenTelemetry instruments and loggers the package names ``pii_tagger.*``, read from its code."""
    return {m for path in PACKAGE.glob("*.py") for m in re.findall(r'"(pii_tagger\.[a-z_]+)"', path.read_text(encoding="utf-8"))}


def test_every_path_the_readme_names_imports() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    named = set(re.findall(r"\bpii_tagger(?:\.[A-Za-z_][A-Za-z0-9_]*)+", readme))
    assert {"pii_tagger.stdlib", "pii_tagger.otel", "pii_tagger.guard", "pii_tagger.alerts"} <= named
    other = _instrument_and_logger_names()
    assert {"pii_tagger.redactions", "pii_tagger.alerts"} <= other
    assert sorted(d for d in named if not _resolves(d) and d not in other) == []
    assert not _resolves("pii_tagger.no_such_module") and not _resolves("pii_tagger.otel.no_such_name")


def test_the_pytest_plugin_entry_point_loads() -> None:
    (plugin,) = [e for e in entry_points(group="pytest11") if e.value.startswith("pii_tagger")]
    assert plugin.load().__name__ == "pii_tagger.pytest_plugin"
