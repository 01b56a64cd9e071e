"""Imports point one way: ontology (the base) <- loaders, queries <- graph <- meakg (the API); and no
module imports itself back through others, inside a package either (function-local imports count:
they hide a cycle, they do not remove it)."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = {"meakg.ontology": "ontology", "meakg.loaders": "loaders", "meakg.queries": "queries",
           "meakg.graph": "graph", "meakg": "meakg"}
# which of our layers each layer may import (itself always)
ALLOWED = {
    "meakg.ontology": set(),
    "meakg.loaders": {"meakg.ontology"},
    "meakg.queries": {"meakg.ontology"},
    "meakg.graph": {"meakg.ontology", "meakg.loaders", "meakg.queries"},
    "meakg": {"meakg.ontology", "meakg.loaders", "meakg.queries", "meakg.graph"},
}


def modules() -> dict[str, Path]:
    """Return every module of ours by its installed name, e.g. 'meakg.graph.build.store'."""
    found = {}
    for package, folder in FOLDERS.items():
        for path in sorted((ROOT / folder).rglob("*.py")):
            parts = path.relative_to(ROOT / folder).with_suffix("").parts
            if "__pycache__" in parts or (folder == "loaders" and "sources" in parts):
                continue
            name = ".".join((package, *parts))
            found[name.removesuffix(".__init__")] = path
    return found


def layer(name: str) -> str:
    """Return the layer a module belongs to: the longest of FOLDERS that prefixes it."""
    return max((p for p in FOLDERS if name == p or name.startswith(p + ".")), key=len)


def imports(path: Path, known: set[str]) -> set[tuple[str, int]]:
    """Return (module of ours, line) for every import in *path*, at any depth; ``from P import m`` names P.m
    when m is a module. (Relative imports are refused by ruff, so every import names its module in full.)"""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [f"{node.module}.{a.name}" if f"{node.module}.{a.name}" in known else node.module
                     for a in node.names]
        else:
            continue
        found |= {(name, node.lineno) for name in names if name in known}
    return found


def import_graph() -> dict[str, set[str]]:
    known = modules()
    return {name: {imported for imported, _ in imports(path, set(known)) if imported != name}
            for name, path in known.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Return the strongly connected components of more than one module (Tarjan), each sorted."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(graph.get(node, ())):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
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

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_package_imports_only_layers_below_it(package: str) -> None:
    known = modules()
    upward = [
        f"{path.relative_to(ROOT)}:{line}: imports {imported}"
        for name, path in known.items() if layer(name) == package
        for imported, line in sorted(imports(path, set(known)))
        if layer(imported) != package and layer(imported) not in ALLOWED[package]
    ]
    assert upward == []


def test_no_module_imports_itself_through_others() -> None:
    assert cycles(import_graph()) == []


def test_cycle_check_finds_a_cycle_hidden_by_a_local_import() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]


def test_layer_check_catches_an_upward_import(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("import os\ndef f():\n    from meakg.graph.build.store import open_store\n")
    assert imports(module, {"meakg.graph.build.store"}) == {("meakg.graph.build.store", 3)}
    assert layer("meakg.graph.build.store") == "meakg.graph" and layer("meakg.api") == "meakg"
