"""Every kind of document has the same shape (CONTRIBUTING.md, "Add a kind of document"): checked on the code."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest

from meakg import loaders

ROOT = Path(loaders.__file__).resolve().parent
FILES = ["__init__.py", "parse.py", "records.py", "triples.py"]


def calls(path: Path) -> set[str]:
    """Names of the functions and methods *path* calls, outside docstrings (so doctests do not count)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            func = node.func
            found.add(func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", ""))
    return found


@pytest.mark.parametrize("kind", sorted(loaders.LOADERS))
def test_each_kind_is_a_package_with_the_same_files_and_its_kind_name(kind: str) -> None:
    module = loaders.loader(kind)
    folder = Path(module.__file__).parent
    assert folder.parent == ROOT
    assert [name for name in FILES if not (folder / name).is_file()] == []
    assert module.KIND == kind


@pytest.mark.parametrize("kind", sorted(loaders.LOADERS))
def test_parse_takes_the_text_the_path_and_the_reference(kind: str) -> None:
    parameters = list(inspect.signature(loaders.loader(kind).parse).parameters.values())
    assert [(p.name, p.kind.name) for p in parameters[:3]] == [
        ("text", "POSITIONAL_OR_KEYWORD"), ("path", "KEYWORD_ONLY"), ("reference", "KEYWORD_ONLY")]
    # anything more is what a document's layout file states: keyword-only, with a default
    assert [(p.name, p.kind.name, p.default) for p in parameters[3:]] == (
        [("layout", "KEYWORD_ONLY", None)] if kind == "capacity-building" else [])


@pytest.mark.parametrize("kind", sorted(loaders.LOADERS))
def test_to_triples_only_maps_no_lookup_no_error_path(kind: str) -> None:
    triples = Path(loaders.loader(kind).__file__).parent / "triples.py"
    tree = ast.parse(triples.read_text(encoding="utf-8"))
    raises = [node.lineno for node in ast.walk(tree) if isinstance(node, ast.Raise)]
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert raises == []
    assert imported & {"meakg.ontology.errors", "meakg.loaders.reference", "meakg.loaders.citations", "meakg.loaders.text"} == set()
    assert calls(triples) & {"load_reference", "agent", "instrument", "find_citations", "SourceError"} == set()


def test_no_loader_module_reads_the_reference_itself() -> None:
    # the reference is passed to parse; only loaders/reference.py loads it
    reading = sorted(str(path.relative_to(ROOT)) for path in ROOT.rglob("*.py")
                     if path.name != "reference.py" and "load_reference" in calls(path))
    assert reading == []
