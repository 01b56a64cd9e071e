"""meakg's SHACL engine (graph/check/engine.py) gives pySHACL's findings exactly: the same focus node, shape,
severity, constraint component, message, path and value, label and source line, on the real build, on the
base graph of tests/test_validate.py broken by its cases, and on copies of the real build broken at random
(seeded, so a failure can be replayed). Across them every constraint component the shapes use fires.
"""

from __future__ import annotations

import importlib.util
import random
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import RDF, SH, BNode, Graph, Literal, URIRef

from meakg.graph.build.current import load_merged, open_store
from meakg.graph.check.shapes import Shape, Unsupported, read
from meakg.graph.check.validate import check, data_graph, shapes_graph

SEEDS = (1, 2, 3)
ID, XSD = "https://w3id.org/meakg/id/", URIRef("http://www.w3.org/2001/XMLSchema#")
# what a broken document may hold where a shape expects something else (nothing pySHACL fails on: it raises
# a TypeError comparing a year with a number, and refuses a blank node beside sh:lessThanOrEquals)
WRONG = (Literal("seeded text"), Literal("seeded", lang="fr"), Literal(""), URIRef(ID + "seeded/nothing"),
         Literal("-7", datatype=XSD + "integer"), Literal("1e12", datatype=XSD + "double"),
         Literal("12.5", datatype=XSD + "decimal"), Literal("0", datatype=XSD + "decimal"),
         Literal("150", datatype=XSD + "decimal"))
# added up or counted in a SPARQL constraint: a number only (rdflib's SPARQL raises on text where the standard
# leaves the sum unbound; Oxigraph does)
NUMBERS = tuple(w for w in WRONG if isinstance(w, Literal) and isinstance(w.value, (int, float, Decimal)))
COUNTED = {URIRef("https://w3id.org/meakg/ontology#" + name) for name in ("percent", "instrumentCount")}


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name(f"{name}.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


engines = _load("test_shape_engines")   # the base graph and its three broken copies


def _paths(shape: Shape, found: set) -> set:
    """Return the predicates the property paths of *shape* (and the shapes inside it) follow."""
    if shape.path is not None:
        found |= {URIRef(step.predicate) for step in shape.path}
    inner = [c.value for c in shape.constraints if c.component in ("Node", "Not")]
    inner += [s for c in shape.constraints if c.component in ("Or", "And") for s in c.value]
    inner += [c.value[0] for c in shape.constraints if c.component == "QualifiedValueShape"]
    for other in [*inner, *shape.properties]:
        _paths(other, found)
    return found


def broken_build(seed: int, changes: int = 120) -> Graph:
    """Return the real build's merged graph with statements the shapes read changed at random: three of each
    predicate given a wrong value, then *changes* more, each a value replaced (by a wrong one or by another
    statement's of the same predicate), a statement deleted, or a second value added."""
    rng = random.Random(seed)
    graph = Graph()
    for triple in load_merged():
        graph.add(triple)
    predicates = {RDF.type} | {p for shape in read(shapes_graph()) for p in _paths(shape, set())}
    candidates = sorted((t for t in graph if t[1] in predicates), key=lambda t: tuple(map(str, t)))
    by_predicate: dict = {}
    for triple in candidates:
        by_predicate.setdefault(triple[1], []).append(triple)
    # three statements of each predicate given a wrong value, then statements at random
    for triple in [t for p in sorted(by_predicate) for t in rng.sample(by_predicate[p], min(3, len(by_predicate[p])))]:
        graph.remove(triple)
        graph.add((triple[0], triple[1], rng.choice(NUMBERS if triple[1] in COUNTED else WRONG)))
    for s, p, o in rng.sample(candidates, changes):
        action = rng.choice(("replace", "replace", "delete", "add"))
        wrong = NUMBERS if p in COUNTED else WRONG
        new = rng.choice(wrong) if rng.random() < 0.5 else rng.choice(by_predicate[p])[2]
        if action != "add":
            graph.remove((s, p, o))
        if action != "delete":
            graph.add((s, p, new))
    return graph


def _same(graph=None, store=None) -> Counter:
    """Assert that both engines find the same on *graph* (or the store's graph); return the components found."""
    shapes = shapes_graph()
    ours = check(graph, shapes, store=store)
    theirs = check(graph, shapes, store=store, engine="pyshacl")
    assert ours.findings == theirs.findings
    assert ours.conforms == theirs.conforms
    assert _report_terms(ours.report) == _report_terms(theirs.report)
    assert len(set(ours.report.subjects(RDF.type, SH.ValidationResult))) == len(ours.findings)
    return Counter(f.component for f in ours.findings)


def _report_terms(report: Graph) -> set:
    """The report's statements with blank nodes blotted out (results and shapes are blank nodes; pySHACL
    copies a shape's blank nodes once more inside each shape it copies, so the statements are compared as a set)."""
    return {tuple("_" if isinstance(t, BNode) else t for t in triple) for triple in report}


@pytest.fixture(scope="module")
def fired() -> Counter:
    return Counter()


def test_the_shapes_are_all_read_by_the_engine() -> None:
    # else validation would fall back to pySHACL, minutes at 100x
    assert len(read(shapes_graph())) > 40


def test_the_build_gives_the_same_findings(fired) -> None:
    fired.update(_same(store=open_store()))


@pytest.mark.parametrize("key", list(engines.GRAPHS))
def test_the_base_graph_and_its_broken_copies_give_the_same_findings(key, fired) -> None:
    fired.update(_same(data_graph(engines.GRAPHS[key](), reason=True)))


@pytest.mark.parametrize("seed", SEEDS)
def test_the_build_broken_at_random_gives_the_same_findings(seed, fired) -> None:
    found = _same(broken_build(seed))
    assert sum(found.values()) >= 20    # the changes did break something
    fired.update(found)


def test_every_constraint_component_the_shapes_use_fired(fired) -> None:
    names = {"QualifiedValueShape": "QualifiedMinCount", "Sparql": "SPARQL"}
    used = {names.get(c.component, c.component) + "ConstraintComponent"
            for shape in read(shapes_graph()) for s in [shape, *shape.properties] for c in s.constraints}
    assert used - set(fired) == set()


def test_blank_nodes_in_a_partners_file_give_the_same_findings() -> None:
    # nodes without IRIs: the focus node and the value are blank nodes, copied into the report with their triples
    graph = Graph().parse(format="turtle", data=engines.cases.PREFIXES + """
        [] a mea:BudgetEstimate ; schema:minValue 95000.0 ; schema:maxValue 90000.0 ; schema:currency "US$" ;
           mea:budgetStatus concept:budget-status\\/estimated .
        [] a mea:CostShare ; mea:post id:post\\/p2 ; mea:percent "120"^^xsd:decimal ; mea:instrument [ a mea:MOU ] .
        id:post\\/p2 a org:Post ; mea:grade "senior" ; rdfs:label "P2" .
    """)
    assert read(shapes_graph())   # the engine reads every shape (a blank post would go to pySHACL: see below)
    found = _same(data_graph(graph, reason=True))
    assert found["LessThanOrEqualsConstraintComponent"] == 1 and found["PatternConstraintComponent"] == 1
    assert found["MaxInclusiveConstraintComponent"] == 1


def test_shapes_beyond_the_engine_and_blank_nodes_it_cannot_pre_bind_go_to_pyshacl() -> None:
    # sh:equals is no part of what the engine reads; an aggregate's $this cannot be a blank node in a query
    equals = Graph().parse(format="turtle", data="""@prefix sh: <http://www.w3.org/ns/shacl#> .
        <https://x/#S> a sh:NodeShape ; sh:targetNode <https://x/a> ; sh:message "a and b differ" ;
            sh:property [ sh:path <https://x/p> ; sh:equals <https://x/q> ; sh:message "p is not q" ] .""")
    with pytest.raises(Unsupported):
        read(equals)
    data = Graph().parse(format="turtle", data="<https://x/a> <https://x/p> 1 ; <https://x/q> 2 .")
    assert [(f.message, f.component) for f in check(data, equals).findings] == [
        ("p is not q", "EqualsConstraintComponent"), ("p is not q", "EqualsConstraintComponent")]
    blank_post = Graph().parse(format="turtle", data=engines.cases.PREFIXES + """
        [] a mea:CostShare ; mea:post [ a org:Post ; mea:grade "P2" ; rdfs:label "P2" ] ; mea:percent 90.0 ;
           mea:instrument inst:cms .""")
    findings = check(data_graph(blank_post, reason=True), shapes_graph()).findings
    assert ("CostShareTotalShape", "the cost shares of this post add up to 90.0 per cent, not 100") in {
        (f.shape, f.message) for f in findings}   # pySHACL's sum, written as rdflib adds decimals
