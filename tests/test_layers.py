"""Imports point one way: ontology (the base) <- loaders, queries <- graph. Nothing imports upward."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# which of our packages each package may import (itself always)
ALLOWED = {
    "ontology": set(),
    "loaders": {"ontology"},
    "queries": {"ontology"},
    "graph": {"ontology", "loaders", "queries"},
    "meakg": {"ontology", "loaders", "queries", "graph"},
}


def imported_packages(path: Path) -> set[tuple[str, int]]:
    """Return (top-level package, line) for every import in *path* of one of our packages."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found |= {(name.split(".")[0], node.lineno) for name in names if name.split(".")[0] in ALLOWED}
    return found


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_package_imports_only_layers_below_it(package: str) -> None:
    upward = [
        f"{path.relative_to(ROOT)}:{line}: imports {imported}"
        for path in sorted((ROOT / package).rglob("*.py"))
        for imported, line in sorted(imported_packages(path))
        if imported != package and imported not in ALLOWED[package]
    ]
    assert upward == []


def test_layer_check_catches_an_upward_import(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("import os\nfrom graph.store import open_store\n")
    assert imported_packages(module) == {("graph", 2)}
