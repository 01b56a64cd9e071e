"""OWL-RL reasoning: what the closure adds that queries rely on, kept apart, and what it catches."""

from __future__ import annotations

import pytest
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import SKOS

from meakg.graph.build.assemble import ONTOLOGY_FILE
from meakg.graph.build.current import ensure_built
from meakg.graph.build.reason import reason
from meakg.graph.check.validate import read_file
from meakg.ontology.vocab import ONTOLOGY, graph_iri

MEA = lambda name: URIRef(ONTOLOGY + name)  # noqa: E731
ID = "https://w3id.org/meakg/id/"
INFERRED = URIRef(graph_iri("inferred"))


@pytest.fixture(scope="module")
def built():
    """The stored build as a Dataset, with its 'inferred' graph."""
    return read_file(ensure_built())


@pytest.fixture(scope="module")
def inferred(built) -> Graph:
    return built.graph(INFERRED)


def _asserted(built) -> Graph:
    graph = Graph()
    for s, p, o, g in built.quads((None, None, None, None)):
        if g != INFERRED and not str(g).endswith("/ontology"):
            graph.add((s, p, o))
    return graph


def _instances(graph: Graph, cls: URIRef) -> set[str]:
    return {str(s) for s in graph.subjects(RDF.type, cls)}


def test_an_agreement_is_an_instrument_only_through_reasoning(built, inferred) -> None:
    aewa = URIRef(ID + "instrument/aewa")
    assert (aewa, RDF.type, MEA("Instrument")) not in _asserted(built)
    assert (aewa, RDF.type, MEA("Instrument")) in inferred


def test_every_convention_agreement_and_mou_is_an_instrument(built, inferred) -> None:
    asserted = _asserted(built)
    kinds = set().union(*(_instances(asserted, MEA(k)) for k in ("Convention", "Agreement", "MOU")))
    assert kinds and kinds <= _instances(inferred, MEA("Instrument"))


def test_supported_by_is_the_inverse_of_supports_target(built, inferred) -> None:
    asserted = _asserted(built)
    pairs = set(asserted.subject_objects(MEA("supportsTarget")))
    assert pairs
    assert {(t, a) for a, t in pairs} <= set(inferred.subject_objects(MEA("supportedBy")))
    assert not list(asserted.triples((None, MEA("supportedBy"), None)))


def test_related_match_is_symmetric_aichi_4_matches_ms_5(built, inferred) -> None:
    aichi4, ms5 = URIRef(ID + "target/aichi/4"), URIRef(ID + "target/ms/5")
    assert (ms5, SKOS.relatedMatch, aichi4) in _asserted(built)
    assert (aichi4, SKOS.relatedMatch, ms5) in inferred


def test_a_query_for_instruments_needs_the_inferred_graph(built) -> None:
    query = f"SELECT (COUNT(DISTINCT ?i) AS ?n) WHERE {{ ?i a <{MEA('Instrument')}> }}"
    without = int(next(iter(_asserted(built).query(query)))[0])
    union = _asserted(built)
    for triple in built.graph(INFERRED):
        union.add(triple)
    with_closure = int(next(iter(union.query(query)))[0])
    assert without == 0
    assert with_closure >= 34  # the reference data's 8 conventions, 7 agreements and 19 MOUs at least


def test_inferred_graph_holds_nothing_asserted(built, inferred) -> None:
    assert not set(inferred) & set(_asserted(built))


def test_inferred_graph_leaves_out_owlrl_noise(inferred) -> None:
    from rdflib import OWL

    assert not list(inferred.triples((None, OWL.sameAs, None)))
    assert not list(inferred.triples((None, RDF.type, OWL.Thing)))
    assert not list(inferred.triples((None, RDF.type, RDFS.Resource)))
    assert not [(s, p) for s, p, o in inferred if s == o]
    assert not list(inferred.triples((None, None, OWL.Thing)))


def test_inferred_graph_keeps_the_class_hierarchy_closed(inferred) -> None:
    # AichiTarget < Target < skos:Concept is asserted in two steps; the closure adds the jump.
    assert (MEA("AichiTarget"), RDFS.subClassOf, SKOS.Concept) in inferred


def test_the_real_graph_is_consistent(built) -> None:
    assert reason(built).inconsistencies == ()


def test_reason_counts_triples_before_and_after(built) -> None:
    result = reason(built)
    assert result.total == result.asserted + len(result.inferred)
    assert len(result.inferred) == len(built.graph(INFERRED))


def _instrument_graph(*types: str) -> Graph:
    graph = Graph().parse(ONTOLOGY_FILE, format="turtle")
    for name in types:
        graph.add((URIRef(ID + "instrument/aewa"), RDF.type, MEA(name)))
    return graph


def test_a_node_both_agreement_and_mou_is_reported_inconsistent() -> None:
    result = reason(_instrument_graph("Agreement", "MOU"))
    assert not result.consistent
    assert result.inconsistencies == (
        f"Disjoint classes {ONTOLOGY}Agreement and {ONTOLOGY}MOU have a common individual {ID}instrument/aewa",)


def test_an_agreement_alone_is_consistent() -> None:
    assert reason(_instrument_graph("Agreement")).consistent


def test_an_aichi_target_that_is_also_a_migratory_species_target_is_inconsistent() -> None:
    graph = Graph().parse(ONTOLOGY_FILE, format="turtle")
    graph.add((URIRef(ID + "target/aichi/4"), RDF.type, MEA("AichiTarget")))
    graph.add((URIRef(ID + "target/aichi/4"), RDF.type, MEA("MigratorySpeciesTarget")))
    assert len(reason(graph).inconsistencies) == 1


def test_the_reduced_closure_infers_exactly_what_the_full_closure_does_on_the_real_build(built, inferred) -> None:
    fast, full = reason(built), reason(built, full=True)
    assert len(fast.inferred) == len(full.inferred) > 1000
    assert set(fast.inferred) == set(full.inferred) == set(inferred)
    assert fast.inconsistencies == full.inconsistencies == ()


def test_with_equality_every_triple_is_closed_and_sameas_copies_statements() -> None:
    g = Graph().parse(format="turtle", data="""
        @prefix owl: <http://www.w3.org/2002/07/owl#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        @prefix i: <https://w3id.org/meakg/id/instrument/> .
        i:aewa owl:sameAs i:aewa-agreement . i:aewa rdfs:label "AEWA" .""")
    assert (URIRef(ID + "instrument/aewa-agreement"), RDFS.label, Literal("AEWA")) in reason(g).inferred


def test_owlrl_never_sees_a_blank_node_and_inferences_about_them_come_back_as_the_same_nodes(monkeypatch):
    # owlrl searches a list of the blank nodes it met for every triple: deeply nested blank nodes
    # in a partner's file made reasoning quadratic (16,000 levels: 39 s). They go in as IRIs.
    import owlrl
    from rdflib import BNode

    seen = []
    expand = owlrl.DeductiveClosure.expand
    monkeypatch.setattr(owlrl.DeductiveClosure, "expand",
                        lambda self, graph: seen.append(sum(isinstance(t, BNode) for tr in graph for t in tr))
                        or expand(self, graph))
    g = Graph().parse(ONTOLOGY_FILE, format="turtle")
    activity, target = URIRef(ID + "activity/x"), BNode("t1")
    g.add((target, MEA("supportedBy"), activity))
    g.add((target, MEA("supportedBy"), BNode("t2")))
    result = reason(g)
    assert seen == [0]
    assert (activity, MEA("supportsTarget"), target) in result.inferred
    assert not [t for t in result.inferred if "urn:meakg:reasoning" in " ".join(map(str, t))]
    assert not [s for s in result.inferred.subjects() if isinstance(s, BNode)]


def test_statements_closed_document_by_document_give_owlrls_full_closure_of_two_copies(tmp_path) -> None:
    # Two copies of every document share instruments, targets and agents (the reference data's) and
    # are read apart, each its own part: a rule joining statements of two documents would show here.
    import importlib.util
    from pathlib import Path

    from meakg.graph.build.assemble import build
    from meakg.graph.build.parts import Base

    assert Base().rules is not None  # the ontology has no rule joining two statements: the per-statement path runs
    spec = importlib.util.spec_from_file_location("scale", Path(__file__).parent.parent / "benchmarks" / "scale.py")
    scale = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scale)
    ds = build(scale.generate_documents(tmp_path / "sources", 2))
    full = reason(ds, full=True)
    assert len(ds.graph(INFERRED)) > 2000
    assert set(ds.graph(INFERRED)) == set(full.inferred)
    assert full.inconsistencies == ()


def test_a_rule_that_joins_two_statements_makes_the_closure_owlrls_own() -> None:
    g = Graph().parse(format="turtle", data="""
        @prefix owl: <http://www.w3.org/2002/07/owl#> . @prefix mea: <https://w3id.org/meakg/ontology#> .
        @prefix i: <https://w3id.org/meakg/id/instrument/> .
        mea:partOf a owl:TransitiveProperty . i:a mea:partOf i:b . i:b mea:partOf i:c .""")
    from meakg.graph.build.reason import Rules, _schema

    assert Rules.compile(_schema(set(g))) is None
    assert (URIRef(ID + "instrument/a"), MEA("partOf"), URIRef(ID + "instrument/c")) in reason(g).inferred
