"""The house rules a newcomer relies on: packages in layers that import only downward, no import cycle,
no module over 600 lines and no class over 350 (ARCHITECTURE.md draws the picture)."""

from __future__ import annotations

import ast
from pathlib import Path

import grimp
import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "objector"
# Top to bottom; a module may import from its own layer and the layers below it. Modules directly under
# objector/ (errors, paths, text, clock, i18n, cldr, kept, reference, resources, csv_input) are the bottom layer.
LAYERS = ("cli", "doctor", "inbox", "tracking", "letters", "journal", "people", "law")
ENTRY_POINTS = {"objector.__main__"}


@pytest.fixture(scope="module")
def graph():
    return grimp.build_graph("objector", exclude_type_checking_imports=True)


def layer(module: str) -> int:
    part = module.split(".")[1] if "." in module else ""
    return LAYERS.index(part) if part in LAYERS else len(LAYERS)


def test_imports_point_down_the_layers(graph):
    upward = sorted(
        f"{importer} -> {imported}"
        for importer in graph.modules - ENTRY_POINTS
        for imported in graph.find_modules_directly_imported_by(importer)
        if layer(imported) < layer(importer)
    )
    assert upward == []


def test_the_bottom_layer_imports_no_domain_package(graph):
    bottom = [m for m in graph.modules if layer(m) == len(LAYERS) and m not in ENTRY_POINTS and m != "objector"]
    assert {"objector.errors", "objector.i18n", "objector.paths"} <= set(bottom)
    for module in bottom:
        assert all(layer(imported) == len(LAYERS) for imported in graph.find_modules_directly_imported_by(module)), module


def strongly_connected(nodes: set[str], edges: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iterative: the groups of modules that import each other round a cycle."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups = []
    for root in sorted(nodes):
        if root in index:
            continue
        work = [(root, iter(sorted(edges[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    groups.append(sorted(group))
    return groups


def test_no_import_cycle(graph):
    edges = {m: set(graph.find_modules_directly_imported_by(m)) for m in graph.modules}
    assert strongly_connected(set(graph.modules), edges) == []


def test_cycle_finder_finds_a_cycle():
    assert strongly_connected({"a", "b", "c"}, {"a": {"b"}, "b": {"a"}, "c": {"a"}}) == [["a", "b"]]


def test_every_package_says_what_it_owns():
    for package in PACKAGE.iterdir():
        if (package / "__init__.py").is_file() and package.name in LAYERS:
            assert ast.get_docstring(ast.parse((package / "__init__.py").read_text("utf-8"))), package.name


def test_no_module_over_600_lines_and_no_class_over_350():
    too_long, too_big = [], []
    for path in sorted(PACKAGE.rglob("*.py")):
        text = path.read_text("utf-8")
        if text.count("\n") > 600:
            too_long.append(f"{path.relative_to(PACKAGE)}: {text.count(chr(10))}")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.ClassDef) and node.end_lineno - node.lineno + 1 > 350:
                too_big.append(f"{path.relative_to(PACKAGE)}:{node.name}")
    assert too_long == [] and too_big == []
