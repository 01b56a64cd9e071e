"""The shapes give the same verdict on any SHACL engine: meakg's own (what `meakg validate` runs, which gives
pySHACL's findings exactly on these graphs and more: tests/test_check_engine.py) and shacl-engine (npm,
another family; its SPARQL runs on Comunica) find the same results, each a focus node,
a named shape, a constraint component and a severity: on the real build, on the valid base graph of
tests/test_validate.py, and on that graph broken in every way its cases break it (three graphs, so that
every rule fires). Both read the data graph meakg validates: the ontology and the OWL-RL closure merged in.
(shacl-engine looks rdfs:subClassOf up in the shapes graph, not the data graph, rdf-ext/shacl-engine#42:
with the closure every node carries its superclasses, so both read sh:class and sh:targetClass alike.)
shacl-engine runs once, all graphs in one batch (``tests/npm/engines/shacl.mjs``).
"""

from __future__ import annotations

import importlib.util
from collections import Counter
from pathlib import Path

import pytest

from meakg.graph.build.current import ensure_built
from meakg.graph.check.validate import SHAPES_FILE, Finding, Severity, data_graph, validate


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name(f"{name}.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


other_engines = _load("other_engines")
cases = _load("test_validate")   # the base graph and its broken copies, one per rule


def broken(group: int, groups: int = 3):
    """Return the base graph broken by every case of one group (cases i with i % groups == group).

    Each case breaks one rule; applied together, some undo others (one deletes a notation another
    changes), so the cases are spread over three graphs, and every rule fires in one of them."""
    def graph():
        broken_graph = cases._graph()
        for n, (*_, update) in enumerate(cases.CASES):
            if n % groups == group:
                broken_graph.update(cases.PREFIXES.replace("@prefix", "PREFIX").replace(" .\n", "\n") + update)
        return broken_graph
    return graph


GRAPHS = {"base": cases._graph} | {f"broken-{n}": broken(n) for n in range(3)}


def verdict(findings) -> Counter:
    """Return the findings as (focus, shape, constraint component, severity), counted."""
    return Counter((f.focus, f.shape, f.component, f.severity.value) for f in findings)


def verdict_of_shacl_engine(results: list[dict]) -> Counter:
    local = lambda term: term.strip("<>").rsplit("#", 1)[-1]  # noqa: E731
    return Counter((r["focus"].strip("<>"), local(r["shape"]), local(r["component"]), local(r["severity"]))
                   for r in results)


@pytest.fixture(scope="module")
def pyshacl_verdicts() -> dict[str, Counter]:   # meakg's engine's verdicts, which are pySHACL's
    found = {key: verdict(validate(graph(), reason=True).findings) for key, graph in GRAPHS.items()}
    return found | {"build": verdict(validate().findings)}


@pytest.fixture(scope="module")
def shacl_engine_verdicts(tmp_path_factory) -> dict[str, Counter]:
    folder = tmp_path_factory.mktemp("shacl-engine")
    files = {"build": ensure_built()}   # the build's N-Quads: ontology and closure included
    for key, graph in GRAPHS.items():
        files[key] = folder / f"{key}.nt"
        data_graph(graph(), reason=True).serialize(files[key], format="nt", encoding="utf-8")
    answers = other_engines.shacl_engine(SHAPES_FILE, files)
    errors = {key: a["error"] for key, a in answers.items() if isinstance(a, dict)}
    assert not errors, errors
    return {key: verdict_of_shacl_engine(results) for key, results in answers.items()}


@pytest.mark.parametrize("key", ["build", *GRAPHS])
def test_shapes_give_the_same_verdict_on_pyshacl_and_shacl_engine(key, pyshacl_verdicts, shacl_engine_verdicts):
    assert shacl_engine_verdicts[key] == pyshacl_verdicts[key]


def test_the_build_gives_2_warnings_and_the_broken_graphs_break_every_rule(pyshacl_verdicts):
    # the two warnings: Migratory Species Targets 3 and 9 have no joint activity; every reference fact cites a source
    severities = Counter(severity for (_, _, _, severity), n in pyshacl_verdicts["build"].items() for _ in range(n))
    assert severities == {"Warning": 2}
    assert not pyshacl_verdicts["base"]
    fired = {shape for key in GRAPHS if key.startswith("broken") for _, shape, _, _ in pyshacl_verdicts[key]}
    assert fired >= {shape for shape, *_ in cases.CASES}


def test_a_different_verdict_is_caught():
    finding = Finding(Severity.VIOLATION, "BudgetShape", "minimum above maximum", "https://x/b",
                      component="LessThanOrEqualsConstraintComponent")
    same = {"focus": "<https://x/b>", "shape": "<https://w3id.org/meakg/shapes#BudgetShape>",
            "component": "http://www.w3.org/ns/shacl#LessThanOrEqualsConstraintComponent",
            "severity": "http://www.w3.org/ns/shacl#Violation"}
    assert verdict_of_shacl_engine([same]) == verdict([finding])
    assert verdict_of_shacl_engine([same | {"severity": "http://www.w3.org/ns/shacl#Warning"}]) != verdict([finding])
    assert verdict_of_shacl_engine([same, same]) != verdict([finding])
