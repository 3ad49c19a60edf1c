"""The layers of docs/architecture.md, held by the code: no import cycle in the package (lazy imports inside
functions count), nothing below the entry points imports Flask or click; and in tests/, every test module sits in
a layer folder and none imports another."""

from __future__ import annotations

import ast
from pathlib import Path

from ecograph.settings import PROJECT_ROOT
from tests.helpers.paths import TESTS

PACKAGE = PROJECT_ROOT / "ecograph"


def _module(path: Path) -> str:
    parts = path.relative_to(PROJECT_ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Every module path.py imports, at the top or inside a function, as absolute names."""
    module = _module(path)
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            found |= {base} | {f"{base}.{a.name}" for a in node.names}
    return found


def _graph() -> dict[str, set[str]]:
    modules = {_module(p): p for p in PACKAGE.rglob("*.py")}
    graph = {}
    for name, path in modules.items():
        # importing from a package one belongs to (its __init__) is how a package is used, not a cycle
        graph[name] = {m for m in _imports(path) if m in modules and m != name and not name.startswith(m + ".")}
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm, without recursion)."""
    index: dict = {}
    low: dict = {}
    on_stack, stack, found, counter = set(), [], [], 0
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_the_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycles():
    assert _cycles(_graph()) == []


def test_nothing_below_the_entry_points_imports_flask_or_click():
    graph_of = {_module(p): _imports(p) for p in PACKAGE.rglob("*.py")}
    entry = ("ecograph.http", "ecograph.cli")
    wrong = sorted(f"{m} imports {x}" for m, found in graph_of.items() if not m.startswith(entry) and m != "ecograph.docs.reference"
                   for x in found if x.split(".")[0] in ("flask", "click", "waitress"))
    assert wrong == []


LAYERS = ("pipeline", "shacl", "engine", "http", "cli", "data")  # tests/<layer>/, as docs/architecture.md draws them


def _test_modules() -> list[Path]:
    return sorted(TESTS.rglob("test_*.py"))


def test_no_test_module_imports_another():
    """Shared code lives in tests/helpers/ (and the corpus of tests/hostile/): no module of tests/, helpers included,
    imports a test module or a conftest.py (pytest's: their fixtures reach a module without an import)."""
    names = {_module(p) for p in _test_modules()} | {_module(p) for p in TESTS.rglob("conftest.py")}
    wrong = sorted(f"{_module(p)} imports {m}" for p in TESTS.rglob("*.py") for m in _imports(p) if m in names)
    assert wrong == []
    assert "tests.test_architecture" in names and "tests.conftest" in names  # the check sees the layout


def test_every_test_module_sits_in_a_layer_folder():
    """tests/<layer>/test_*.py, each folder a package (module names stay unique); only this module stays on top."""
    wrong = sorted(str(p.relative_to(TESTS)) for p in _test_modules()
                   if p.parent.relative_to(TESTS).parts not in [(layer,) for layer in LAYERS] and p != Path(__file__).resolve())
    assert wrong == []
    assert all((TESTS / layer / "__init__.py").is_file() for layer in LAYERS)
