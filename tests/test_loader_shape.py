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
    # anything more is what a document's layout file states, for a kind that reads one: keyword-only, with a default
    reads_layout = hasattr(loaders.loader(kind), "read_layout")
    assert [(p.name, p.kind.name, p.default) for p in parameters[3:]] == (
        [("layout", "KEYWORD_ONLY", None)] if reads_layout else [])


@pytest.mark.parametrize("kind", sorted(loaders.LOADERS))
def test_each_kind_keeps_the_loader_contract(kind: str) -> None:
    assert isinstance(loaders.loader(kind), loaders.Loader)


@pytest.mark.parametrize("kind", sorted(loaders.LOADERS))
def test_to_triples_only_maps_no_lookup_no_error_path(kind: str) -> None:
    triples = Path(loaders.loader(kind).__file__).parent / "triples.py"
    tree = ast.parse(triples.read_text(encoding="utf-8"))
    raises = [node.lineno for node in ast.walk(tree) if isinstance(node, ast.Raise)]
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert raises == []
    assert imported & {"meakg.ontology.errors", "meakg.loaders.reference", "meakg.loaders.citations",
                       "meakg.loaders.text"} == set()
    assert calls(triples) & {"load_reference", "agent", "instrument", "find_citations", "SourceError"} == set()


def test_no_loader_module_reads_the_reference_itself() -> None:
    # the reference is passed to parse; only loaders/reference.py loads it
    reading = sorted(str(path.relative_to(ROOT)) for path in ROOT.rglob("*.py")
                     if path.name != "reference.py" and "load_reference" in calls(path))
    assert reading == []


def test_a_layout_file_for_a_kind_that_reads_none_is_an_error_naming_it(tmp_path: Path) -> None:
    from meakg.loaders.reference import load_reference

    layout = tmp_path / "plan.table.yaml"
    layout.write_text("columns: {}\n", encoding="utf-8")
    source = loaders.Source(loaders.SOURCES_DIR / "cbd-cms-joint-work-plan-2016-2018.txt", "joint-work-plan", "Plan",
                            "2016", "CBD", layout=layout)
    with pytest.raises(loaders.SourceError) as err:
        list(loaders.load(source, load_reference()))
    assert (err.value.path, err.value.line) == (layout, 1)
    assert err.value.message == ("expected no layout file for a joint-work-plan document (the kind reads none), "
                                 "found 'plan.table.yaml'")
