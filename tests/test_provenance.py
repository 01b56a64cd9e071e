"""Statement-level provenance and exact selectors (loaders.provenance): each statement a document
makes is cited to the locator(s) that state it, and every locator's offsets slice its source text
to its quote."""

from __future__ import annotations

import hashlib

import pytest
from rdflib import RDF, Literal, URIRef
from rdflib.namespace import PROV

from meakg import loaders
from meakg.graph.build.assemble import build
from meakg.graph.build.current import open_store
from meakg.graph.build.reason import reason
from meakg.loaders.provenance import LOCATOR_PROPERTIES, OA, is_provenance, statement_iri
from meakg.loaders.rdf import MEA
from meakg.loaders.reference import load_reference
from meakg.ontology.vocab import ID, graph_iri
from meakg.queries import catalogue

REFERENCE = load_reference()
SOURCES = {s.key: s for s in loaders.sources()}
DOC = "unep-cms-cop11-doc-16-2-common-services"


@pytest.fixture(scope="module")
def dataset():
    return build(reason=False)


@pytest.fixture(scope="module")
def store():
    return open_store()


def answer(store, name, **params):
    return catalogue.run(name, store=store, params=params).records()


def test_eurobats_is_covered_by_the_proposed_secretariat_as_paragraph_31_says_not_figure_2(store) -> None:
    rows = [r for r in answer(store, "instrument-profile", instrument="EUROBATS")
            if r["property"] == "covered by (proposal)"]
    assert [(r["value"], r["locator"]) for r in rows] == [
        ("Proposed joint CMS Family Secretariat", "Annex 1, paragraph 31")]


def test_where_from_cites_each_statement_of_the_joint_secretariat_to_its_own_locator(store) -> None:
    rows = answer(store, "where-from", node=ID + "agent/joint-cms-family-secretariat")
    covers = {(r["value"].rsplit("/", 1)[1], r["locator"], r["line"]) for r in rows
              if r["property"].endswith("#covers")}
    assert covers == {(key, "Annex 1, paragraph 31", "247") for key in ("aewa", "cms", "eurobats")}
    typed = {r["locator"] for r in rows if r["property"].endswith("#type") and r["value"].endswith("org#Organization")}
    assert typed == {"Figure 2"}


def test_a_joint_activity_listed_in_two_rows_has_each_target_cited_to_the_listing_in_its_row(store) -> None:
    # "Continue cooperate in the context of the Collaborative Partnership ..." is listed in the rows of
    # MS Targets 5, 6 and 8 (rows 4, 5, 7); Aichi Target 12 is stated only by its listing in row 7
    # (Target 8 / Target 12)
    rows = answer(store, "where-from", node=ID + "activity/cbd-cms-joint-work-plan-2016-2018/4.4")
    cited = {r["locator"] for r in rows if r["value"] == ID + "target/aichi/12"}
    assert cited == {"Table, row 7, activity 2"}


def locators_of(triples: list) -> dict:
    """Return the locators each content triple is cited to: its statement node's, else its subject's."""
    derived, nodes = {}, {}
    for s, p, o in triples:
        if p == PROV.wasDerivedFrom:
            (nodes if str(s).startswith(ID + "statement/") else derived).setdefault(s, set()).add(o)
    return {t: nodes.get(statement_iri(t)) or derived.get(t[0], set()) for t in triples if not is_provenance(t)}


def test_every_statement_a_document_makes_has_a_locator_and_only_code_lists_are_editorial() -> None:
    for source in SOURCES.values():
        triples = list(loaders.load(source, REFERENCE))
        locators = {s for s, p, o in triples if p == RDF.type and o == MEA.Locator}
        unstated = {t for t, where in locators_of(triples).items()
                    if not where and t[1] != PROV.wasDerivedFrom
                    and not (t[0] in locators and t[1] in LOCATOR_PROPERTIES)}
        kinds = {str(s)[len(ID):].split("/")[0] for s, _, _ in unstated}
        assert kinds <= {"scheme", "concept"}, (source.key, sorted(unstated)[:3])


def test_a_statement_has_a_node_only_where_its_locators_differ_from_its_subjects() -> None:
    triples = list(loaders.load(SOURCES[DOC], REFERENCE))
    cited = locators_of(triples)
    secretariat = URIRef(ID + "agent/joint-cms-family-secretariat")
    para_31, figure_2 = (URIRef(ID + f"locator/{DOC}/{ref}") for ref in ("annex-1/para-31", "figure-2"))
    assert cited[(secretariat, MEA.covers, URIRef(ID + "instrument/eurobats"))] == {para_31}
    assert cited[(secretariat, RDF.type, URIRef("http://www.w3.org/ns/org#Organization"))] == {figure_2}
    cell = URIRef(ID + f"function-status/{DOC}/table-1/gorilla-agreement/administrative-services")
    status = (cell, MEA.status, URIRef(ID + "concept/function-status/interim-shared"))
    assert cited[status] == {URIRef(ID + f"locator/{DOC}/table-1/gorilla-agreement/administrative-services")}
    assert (statement_iri(status), RDF.type, RDF.Statement) not in set(triples)


@pytest.mark.parametrize("key", sorted(SOURCES))
def test_every_locators_offsets_slice_its_source_to_its_quote(dataset, key) -> None:
    text = loaders.text.normalise(loaders.read_text(SOURCES[key].path))
    prov = dataset.graph(URIRef(graph_iri("provenance")))
    doc = URIRef(ID + "document/" + key)
    assert prov.value(doc, MEA.sha256) == Literal(hashlib.sha256(text.encode("utf-8")).hexdigest())
    locators = set(dataset.graph(URIRef(graph_iri(key))).subjects(RDF.type, MEA.Locator))
    assert len(locators) > 30
    for loc in locators:
        selectors = {prov.value(s, RDF.type): s for s in prov.objects(loc, OA.hasSelector)}
        position, quote = selectors[OA.TextPositionSelector], selectors[OA.TextQuoteSelector]
        start, end = prov.value(position, OA.start).toPython(), prov.value(position, OA.end).toPython()
        assert 0 <= start < end <= len(text), loc
        assert text[start:end] == str(prov.value(quote, OA.exact)), loc
        assert text[:start].endswith(str(prov.value(quote, OA.prefix))), loc
        assert text[end:].startswith(str(prov.value(quote, OA.suffix))), loc


def test_a_table_cell_selects_the_words_of_the_cell_not_its_whole_line(dataset) -> None:
    prov = dataset.graph(URIRef(graph_iri("provenance")))
    words = URIRef(ID + f"selector/{DOC}/table-1/gorilla-agreement/administrative-services/quote")
    assert str(prov.value(words, OA.exact)) == "Interim Shared"


def test_the_reasoner_never_reads_the_provenance_graph(dataset) -> None:
    data = {t for g in dataset.graphs() if g.identifier != URIRef(graph_iri("provenance")) for t in g}
    result = reason(dataset)
    assert result.asserted == len(data)
    assert not any(str(s).startswith(ID + "statement/") for s in result.inferred.subjects())
