"""The layout holds: no import loops in the package, no page imports another page, and no
test module imports another test module.

Read from the source with ``ast``, so a loop hidden inside a function (an import made late
to dodge the loop at import time) counts as much as one at the top of a module.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import quality_offer
from quality_offer.ui.nav import PAGES

PACKAGE = Path(quality_offer.__file__).parent


def _modules() -> dict[str, Path]:
    out = {}
    for path in PACKAGE.rglob("*.py"):
        if "criteria" in path.relative_to(PACKAGE).parts:
            continue
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def import_graph() -> dict[str, set[str]]:
    """Module -> the package's modules it imports (anywhere in it), packages' own
    ``__init__`` re-exports left out: a package is only the door to its modules."""
    mods = _modules()
    graph: dict[str, set[str]] = {m: set() for m in mods}
    for name, path in mods.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                    target = ".".join(base + ([node.module] if node.module else []))
                else:
                    target = node.module or ""
                subs = [f"{target}.{a.name}" for a in node.names if f"{target}.{a.name}" in mods]
                targets = subs if len(subs) == len(node.names) else [target, *subs]
            elif isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            graph[name].update(t for t in targets if t in mods and t != name)
    # A package's __init__ re-exporting its own modules is not a dependency on them by the
    # modules inside that package; drop those edges so only real loops remain.
    for name, path in mods.items():
        if path.name == "__init__.py":
            graph[name] = {t for t in graph[name] if not t.startswith(name + ".")}
    return graph


def loops(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_the_package_has_no_import_loops() -> None:
    assert loops(import_graph()) == []


def test_the_loop_finder_finds_a_loop() -> None:
    assert loops({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_page_imports_another_page() -> None:
    pages = {"quality_offer.ui." + spec.render.__name__.removeprefix("render_") for spec in PAGES}
    assert len(pages) >= 9
    graph = import_graph()
    assert {p: sorted(graph[p] & pages) for p in pages if graph[p] & pages} == {}


def test_only_the_app_s_own_modules_import_streamlit() -> None:
    """Rules live in the package and pages only call them: nothing outside ``ui`` (and the
    app's start-up) may depend on Streamlit."""
    outside = []
    for name, path in _modules().items():
        if name.startswith("quality_offer.ui"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            mods = ([a.name for a in node.names] if isinstance(node, ast.Import)
                    else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            if any(m == "streamlit" or m.startswith("streamlit.") for m in mods):
                outside.append(name)
    assert outside == []


TESTS = Path(__file__).parent


def imported_test_modules(source: str, package: str) -> list[str]:
    """The test modules (``test_*``) a module of ``package`` imports, by dotted name."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            parts = package.split(".")
            base = ".".join(parts[: len(parts) - node.level + 1]) if node.level else ""
            module = ".".join(x for x in (base, node.module or "") if x)
            names = [module] + [f"{module}.{a.name}" for a in node.names]
        else:
            continue
        found += [n for n in names if n.rpartition(".")[2].startswith("test_")]
    return found


def test_no_test_module_imports_another() -> None:
    """Shared constants, helpers and fixtures live in support modules and conftest.py: a test
    module imported by another has its tests' fixtures handed over by name only, so a rename
    there breaks tests elsewhere, and running one file quietly depends on another."""
    offenders = {}
    for path in TESTS.rglob("test_*.py"):
        if "node_modules" in path.parts:
            continue
        package = ".".join(path.parent.relative_to(TESTS.parent).parts)
        found = imported_test_modules(path.read_text(encoding="utf-8"), package)
        if found:
            offenders[str(path.relative_to(TESTS))] = found
    assert offenders == {}


@pytest.mark.parametrize("line, package, imported", [
    ("from .test_upgrade import ANSWERS", "tests", ["tests.test_upgrade"]),
    ("from tests.test_versions import VERSIONS", "tests", ["tests.test_versions"]),
    ("import tests.test_gaps", "tests", ["tests.test_gaps"]),
    ("from . import test_gaps", "tests", ["tests.test_gaps"]),
    ("from ..test_upgrade import ANSWERS", "tests.browser", ["tests.test_upgrade"]),
    ("def f():\n    from .test_signin_browser import ROOT", "tests.browser",
     ["tests.browser.test_signin_browser"]),
    ("from .builders import make_audit\nfrom ..changing_framework import VERSIONS",
     "tests.browser", []),
])
def test_the_finder_sees_every_way_of_importing_a_test_module(line: str, package: str,
                                                             imported: list[str]) -> None:
    assert imported_test_modules(line, package) == imported
