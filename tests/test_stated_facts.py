"""Facts the documents state in passing, as data: the counts of Doc.16.2 paragraph 2 (checked against
the typology by StatedCountShape), savings told apart from costs (paragraph 58), the common
administration of Annex to Annex 2 paragraph 23, the JWP footnote's reference, and qualifiers of
budget amounts ("per regional training")."""

from __future__ import annotations

import pytest
from rdflib import RDF, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV

from meakg import loaders
from meakg.graph.build.assemble import build
from meakg.graph.check.validate import validate
from meakg.loaders.rdf import MEA
from meakg.loaders.reference import load_reference
from meakg.ontology.vocab import ID, graph_iri

REFERENCE = load_reference()
SOURCES = {s.key: s for s in loaders.sources()}
DOC = "unep-cms-cop11-doc-16-2-common-services"
JWP = "cbd-cms-joint-work-plan-2016-2018"
CB = "cms-capacity-building-work-plan-2012-2014"


@pytest.fixture(scope="module")
def graphs():
    return {key: set(loaders.load(source, REFERENCE)) for key, source in SOURCES.items()}


def value(triples, s, p):
    return next(o for s_, p_, o in triples if s_ == s and p_ == p)


def test_paragraph_2_counts_seven_agreements_and_nineteen_mous_as_data(graphs) -> None:
    counts = {(value(graphs[DOC], s, MEA.countedClass), value(graphs[DOC], s, MEA.instrumentCount),
               value(graphs[DOC], s, PROV.wasDerivedFrom))
              for s, p, o in graphs[DOC] if p == RDF.type and o == MEA.StatedCount}
    para_2 = URIRef(ID + f"locator/{DOC}/annex-1/para-2")
    assert counts == {(MEA.Agreement, Literal(7), para_2), (MEA.MOU, Literal(19), para_2)}


def test_a_count_that_disagrees_with_the_typology_is_a_violation_and_the_real_ones_agree() -> None:
    ds = build(reason=True)
    assert not [f for f in validate(ds).findings if f.shape == "StatedCountShape"]
    graph = ds.graph(URIRef(graph_iri(DOC)))
    node = URIRef(ID + f"stated-count/{DOC}/annex-1/para-2/mou")
    graph.set((node, MEA.instrumentCount, Literal(18)))
    found = [f for f in validate(ds).findings if f.shape == "StatedCountShape"]
    assert [(f.severity.value, f.message, f.focus) for f in found] == [
        ("Violation", "the document counts 18 but the typology places 19 instruments of that class", str(node))]


def test_the_savings_of_paragraph_58_are_savings_and_the_pilot_figure_a_cost(graphs) -> None:
    kinds = {str(s).rsplit("/", 2)[-2] + "/" + str(s).rsplit("/", 1)[-1]: o
             for s, p, o in graphs[DOC] if p == RDF.type and "/cost-figure/" in str(s)}
    assert {k for k, o in kinds.items() if o == MEA.Saving} == {"para-58/staff-costs", "para-58/meeting-costs",
                                                                 "para-58/operational-costs"}
    assert [o for k, o in kinds.items() if not k.startswith("para-58/")] == [MEA.CostFigure]


def test_the_common_administration_of_aewa_cms_and_eurobats_is_an_arrangement_with_its_paragraph(graphs) -> None:
    node = URIRef(ID + f"arrangement/{DOC}/annex-to-annex-2/para-23/common-administration")
    assert {o for s, p, o in graphs[DOC] if s == node and p == MEA.instrument} == {
        URIRef(ID + "instrument/" + k) for k in ("aewa", "cms", "eurobats")}
    assert value(graphs[DOC], node, PROV.wasDerivedFrom) == URIRef(ID + f"locator/{DOC}/annex-to-annex-2/para-23")


def test_the_jwp_footnote_is_a_locator_citing_resolution_11_2(graphs) -> None:
    note = URIRef(ID + f"locator/{JWP}/footnote-1")
    assert value(graphs[JWP], note, MEA.line) == Literal(20)
    assert value(graphs[JWP], note, DCTERMS.references) == URIRef(ID + "decision/cms-resolution-11.2")


def test_activity_1_4s_budget_is_per_regional_training(graphs) -> None:
    budget = URIRef(ID + f"budget/{CB}/1.4")
    assert str(value(graphs[CB], budget, MEA.per)) == "regional training"
    assert [o for s, p, o in graphs[CB] if p == MEA.per] == [value(graphs[CB], budget, MEA.per)]
