"""The package's import graph, read from the code: no cycles, no module uses
another module's private names (what two modules share is a public name of a
third), and each folder imports only the layers its docstring allows."""

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
    ("integrations.otel", "_lock"): "the OpenTelemetry SDK's multi-processor lock, held while its processor list is rewrapped",
}

# The layers, as each folder's docstring states them: what a layer may import
# besides itself. "engine" is the engine wrapper, the modules at the top.
LAYERS: dict[str, set[str]] = {
    "engine": set(),
    "integrations": {"engine"},
    "security": {"engine", "integrations"},
    "archive": {"engine", "security"},
    "cli": {"engine", "integrations", "security", "archive"},
}
# The paths the README documents that moved: each imports the module it
# re-exports and nothing else, and nothing in the package imports it.
# spark_submit is spark-submit's script, run as a file (absolute imports).
DOCUMENTED = {
    "stdlib": "integrations.stdlib",
    "otel": "integrations.otel",
    "guard": "security.guard",
    "otel_guard": "security.otel_guard",
    "spark": "archive.spark",
    "report_html": "archive.report_html",
    "spark_submit": "cli.main",
}
ROOT_MODULE = "__init__"  # the package itself, pii_tagger/__init__.py


def _name(path: Path) -> str:
    """A module's dotted name inside the package (``archive.scan``); a folder's
    ``__init__.py`` is the folder's name, the package's own is ``__init__``."""
    parts = list(path.relative_to(PACKAGE).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts) or ROOT_MODULE


def _modules() -> dict[str, ast.Module]:
    return {_name(path): ast.parse(path.read_text(encoding="utf-8"), str(path)) for path in sorted(PACKAGE.rglob("*.py"))}


def _package_of(name: str, modules: set[str]) -> list[str]:
    """The parts of the package ``name`` is in (a folder's ``__init__`` is in its folder)."""
    if name == ROOT_MODULE:
        return []
    parts = name.split(".")
    is_folder = any(m.startswith(name + ".") for m in modules)
    return parts if is_folder else parts[:-1]


def _imports(name: str, tree: ast.Module, modules: set[str]) -> list[tuple[str, list[str]]]:
    """(module of ours, names taken from it) for every import in ``tree``,
    at the top or inside a function."""
    known = modules | {"_native"}  # the compiled engine: a module with no source here
    found: list[tuple[str, list[str]]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            parts = (node.module or "").split(".") if node.module else []
            if node.level:
                base = _package_of(name, modules)
                base = base[: len(base) - (node.level - 1)] if node.level > 1 else base
            elif parts[:1] == ["pii_tagger"]:
                base, parts = [], parts[1:]
            else:
                continue
            target = ".".join(base + parts) or ROOT_MODULE
            taken = []
            for alias in node.names:
                sub = ".".join(base + parts + [alias.name])
                if sub in known:
                    found.append((sub, []))
                else:
                    taken.append(alias.name)
            if taken:
                found.append((target, taken))
        elif isinstance(node, ast.Import):
            found += [(a.name.split(".", 1)[1], []) for a in node.names if a.name.startswith("pii_tagger.")]
    return [(module, names) for module, names in found if module in known and module != name]


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: {m for m, _ in _imports(name, tree, set(modules))} - {"_native"} for name, tree in modules.items()}


def _layer(name: str) -> str:
    first = name.split(".")[0]
    return first if first in LAYERS else "engine"


def _forbidden(graph: dict[str, set[str]]) -> list[str]:
    """Every import the layer rules (and the documented paths' rule) forbid."""
    wrong = []
    for name, imported in sorted(graph.items()):
        if name in DOCUMENTED:
            if imported != {DOCUMENTED[name]}:
                wrong.append(f"{name} (a documented path) imports {sorted(imported)}, not only {DOCUMENTED[name]}")
            continue
        for module in sorted(imported):
            if module in DOCUMENTED:
                wrong.append(f"{name} imports the documented path {module}, not {DOCUMENTED[module]}")
            elif _layer(module) != _layer(name) and _layer(module) not in LAYERS[_layer(name)]:
                wrong.append(f"{name} ({_layer(name)}) imports {module} ({_layer(module)})")
    return wrong


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
    assert "engine" in graph["integrations.otel"] and "integrations.otel_redaction" in graph["security.otel_guard"]
    assert "engine" in graph["integrations.stdlib"] and ROOT_MODULE in graph["integrations.stdlib"]  # default_redactor
    assert {"cli.sre", "archive.spark"} <= graph["cli.main"]  # from . import sre; from ..archive import spark (in a function)
    assert graph["stdlib"] == {"integrations.stdlib"} and graph["spark_submit"] == {"cli.main"}  # relative and absolute


def test_the_cycle_finder_finds_cycles() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycles() -> None:
    assert _cycles(_graph()) == []


def test_the_layer_check_finds_forbidden_imports() -> None:
    allowed = {"integrations.otel": {"engine"}, "archive.scan": {"security.guard", "archive.files"}, "cli.main": {"archive.scan"}}
    assert _forbidden(allowed) == []
    assert _forbidden({"integrations.otel": {"archive.scan"}}) == ["integrations.otel (integrations) imports archive.scan (archive)"]
    assert _forbidden({"engine": {"security.guard"}}) == ["engine (engine) imports security.guard (security)"]
    assert _forbidden({"security.guard": {"cli.main"}}) == ["security.guard (security) imports cli.main (cli)"]
    assert _forbidden({"archive.scan": {"guard"}}) == ["archive.scan imports the documented path guard, not security.guard"]
    assert _forbidden({"otel": {"integrations.otel", "engine"}}) == [
        "otel (a documented path) imports ['engine', 'integrations.otel'], not only integrations.otel"
    ]


def test_each_folder_imports_only_what_its_docstring_allows() -> None:
    graph = _graph()
    assert {_layer(name) for name in graph} == set(LAYERS)  # every layer has modules
    assert set(DOCUMENTED) <= set(graph)
    assert _forbidden(graph) == []


def test_each_folder_is_its_docstring_alone() -> None:
    """A folder's ``__init__.py`` says what it holds and may import, and holds no code."""
    modules = _modules()
    for folder in set(LAYERS) - {"engine"}:
        tree = modules[folder]
        doc = ast.get_docstring(tree)
        assert doc and len(tree.body) == 1, folder
        assert "import" in doc, folder


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
    return {m for path in PACKAGE.rglob("*.py") for m in re.findall(r'"(pii_tagger\.[a-z_]+)"', path.read_text(encoding="utf-8"))}


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
    assert plugin.load().__name__ == "pii_tagger.security.pytest_plugin"


def test_the_console_script_and_spark_submits_script_run_the_command_line() -> None:
    (script,) = [e for e in entry_points(group="console_scripts") if e.name == "pii-tagger"]
    from pii_tagger import spark_submit
    from pii_tagger.cli.main import main

    assert script.load() is main and spark_submit.main is main


def _layout_section() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return readme.split("\n## Layout\n", 1)[1].split("\n## ", 1)[0]


def _layout_disagrees(section: str) -> list[str]:
    """The folders and modules of the tree that the README's Layout section does not name, and the
    ``name.py`` it names that the tree does not hold."""
    tree = {p.relative_to(PACKAGE) for p in PACKAGE.rglob("*.py") if p.name != "__init__.py"}
    files = {p.name for p in tree}
    folders = {p.parts[0] for p in tree if len(p.parts) > 1}
    missing = sorted(f"{f}/" for f in folders if f"`{f}/`" not in section) + sorted(f for f in files if f"`{f}`" not in section)
    return missing + sorted(f"no {n}" for n in set(re.findall(r"`([a-z_]+\.py)`", section)) - files - {"__init__.py", "test_layout.py", "planted.py"})


def test_the_readmes_layout_names_every_folder_and_module() -> None:
    assert _layout_disagrees(_layout_section()) == []
    assert _layout_disagrees(_layout_section().replace("`scan.py`", "`scanner.py`")) == ["scan.py", "no scanner.py"]
