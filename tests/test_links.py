"""Links out and current frameworks: every link has a source and matches its identifier pattern; the GBF and
SPMS 2024-2032 schemes are complete where sourced; mappings are published ones, row by row."""

import re

import pytest
import yaml
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SKOS

from meakg.graph.build.current import open_store
from meakg.graph.check.validate import check, shapes_graph
from meakg.loaders.links import REFERENCE_DIR, links, mappings, node, to_triples
from meakg.loaders.rdf import DCTERMS, MEA, RDF, SCHEMA, iri
from meakg.loaders.reference import load_reference
from meakg.queries import catalogue

LINKS = yaml.safe_load((REFERENCE_DIR / "links.yaml").read_text(encoding="utf-8"))
FRAMEWORKS = yaml.safe_load((REFERENCE_DIR / "frameworks.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def graph() -> Graph:
    g = Graph()
    for triple in to_triples():
        g.add(triple)
    return g


@pytest.fixture(scope="module")
def reference() -> Graph:
    """The whole reference graph: the framework schemes are in it (loaders.schemes), beside the links."""
    g = Graph()
    for triple in load_reference().to_triples():
        g.add(triple)
    return g


def test_every_link_has_a_source_and_matches_an_identifier_pattern():
    found = links()
    # Aichi and GBF targets, GBF goals; CMS and the 26 CMS family instruments with an InforMEA name; CBD and Basel
    assert len(found) == 20 + 23 + 4 + 27 + 2
    for link in found:
        assert link.sources and all(s.startswith(("https://", "http://")) for s in link.sources), link
        assert any(re.fullmatch(p, link.target) for p in LINKS["patterns"].values()), link.target


def test_each_link_carries_its_sources_in_the_graph(graph):
    # the link's rdf:Statement cites where the identifier (and the page's address pattern) was read
    link = (iri("instrument", "basel"), SCHEMA.sameAs, URIRef("https://www.informea.org/treaties/basel"))
    assert link in graph
    [statement] = [s for s in graph.subjects(RDF.subject, link[0]) if (s, RDF.object, link[2]) in graph]
    assert (statement, RDF.type, RDF.Statement) in graph and graph.value(statement, RDF.predicate) == SCHEMA.sameAs
    assert sorted(str(o).rsplit("/", 1)[-1] for o in graph.objects(statement, DCTERMS.source)) == [
        "informea_odata.sql", "treaties.tpl.php"]
    statements = set(graph.subjects(RDF.type, RDF.Statement))
    linked = {(graph.value(s, RDF.subject), graph.value(s, RDF.predicate), graph.value(s, RDF.object))
              for s in statements}
    out = {t for t in graph if t[1] in (SKOS.exactMatch, SCHEMA.sameAs, SKOS.relatedMatch)}
    assert out == linked and all(isinstance(o, URIRef) for s in statements for o in graph.objects(s, DCTERMS.source))


def test_concepts_link_to_cbd_thesaurus_codes_with_skos_and_things_to_informea_with_schema_same_as(graph):
    assert (iri("target", "aichi", "12"), SKOS.exactMatch,
            URIRef("https://api.cbd.int/api/v2013/thesaurus/terms/AICHI-TARGET-12")) in graph
    assert (iri("target", "gbf", "3"), SKOS.exactMatch,
            URIRef("https://api.cbd.int/api/v2013/thesaurus/terms/GBF-TARGET-03")) in graph
    assert (iri("instrument", "aewa"), SCHEMA.sameAs, URIRef("https://www.informea.org/treaties/aewa")) in graph
    owl_same_as = URIRef("http://www.w3.org/2002/07/owl#sameAs")
    assert not list(graph.triples((None, owl_same_as, None)))


def test_the_two_mous_listed_by_informea_and_the_conventions_its_template_shows_are_linked(graph):
    # etc/cms_document_schema.sql lists slender-billed-curlew (nid 10) and west-african-elephants (nid 16);
    # InforMEA's page template links treaties/cbd and treaties/basel
    for key in ("slender-billed-curlew", "west-african-elephants", "cbd", "basel"):
        [page] = graph.objects(iri("instrument", key), SCHEMA.sameAs)
        assert str(page) == "https://www.informea.org/treaties/" + key
    assert not list(graph.objects(iri("instrument", "ramsar"), SCHEMA.sameAs))   # listed as open: not confirmed


def test_wikidata_is_listed_as_open_not_guessed(graph):
    assert any("Wikidata" in item for item in LINKS["open"])
    assert not [o for o in graph.objects(None, SCHEMA.sameAs) if "wikidata" in str(o)]


def test_link_shape_rejects_an_identifier_outside_its_pattern():
    g = Graph()
    g.add((iri("target", "aichi", "12"), SKOS.exactMatch, URIRef("https://api.cbd.int/api/v2013/thesaurus/terms/AICHI-TARGET-21")))
    g.add((iri("instrument", "aewa"), SCHEMA.sameAs, URIRef("https://www.informea.org/en/treaties/AEWA")))
    findings = check(g, shapes_graph()).findings
    assert sorted((f.shape, f.message) for f in findings) == [
        ("LinkShape", "links to something that is neither an InforMEA treaty page nor a Wikidata item"),
        ("LinkShape", "links to something that is not a CBD thesaurus target or goal code "
                      "(AICHI-TARGET-nn, GBF-TARGET-nn, GBF-GOAL-X)"),
    ]


def test_gbf_has_23_targets_and_4_goals_each_citing_its_source(reference):
    graph = reference
    scheme = iri("scheme", "kmgbf")
    members = set(graph.subjects(SKOS.inScheme, scheme))
    goals = {m for m in members if (m, RDF.type, MEA.Goal) in graph}
    assert len(members - goals) == 23 and len(goals) == 4
    assert all(graph.value(m, DCTERMS.source) for m in members)
    assert str(graph.value(iri("target", "gbf", "3"), SKOS.prefLabel)) == "Conserve 30% of Land, Waters and Seas"
    assert str(graph.value(iri("goal", "gbf", "C"), SKOS.prefLabel)) == "Goal C"  # its short name is not confirmed


def test_spms_2024_has_six_goals_and_the_sourced_targets(reference):
    graph = reference
    scheme = iri("scheme", "spms-2024-2032")
    goals = {m for m in graph.subjects(SKOS.inScheme, scheme) if (m, RDF.type, MEA.Goal) in graph}
    assert sorted(str(graph.value(g, SKOS.notation)) for g in goals) == ["1", "2", "3", "4", "5", "6"]
    assert graph.value(iri("target", "spms-2024", "1.2"), SKOS.notation) == Literal("1.2")


def test_every_mapping_is_a_published_row_with_its_source(graph):
    rows = mappings()
    assert len(rows) == 7 + 9
    for mapping in rows:
        m = URIRef(mapping.iri)
        assert (m, RDF.type, MEA.PublishedMapping) in graph
        assert graph.value(m, DCTERMS.source) == URIRef(mapping.source)
        assert (URIRef(node(mapping.from_)), SKOS.relatedMatch, URIRef(node(mapping.to))) in graph
    assert ("aichi:16", "gbf:13", "https://dart.informea.org/taxonomy/term/1678") in {
        (m.from_, m.to, m.source) for m in rows}


def test_saved_query_names_the_mapping_each_gbf_row_went_through():
    result = catalogue.run("gbf-targets-for-joint-activities", store=open_store(), params={"gbfTarget": "gbf:21"})
    rows = result.records()
    assert [(r["gbfNumber"], r["aichiTarget"].rsplit("/", 1)[-1], r["notation"], r["mapping"].rsplit("/", 1)[-1],
             r["mappingSource"]) for r in rows] == [
        ("21", "18", "12.1", "aichi-18-gbf-21", "https://dart.informea.org/taxonomy/term/1680")]


def test_saved_query_covers_only_aichi_targets_with_a_published_mapping():
    result = catalogue.run("gbf-targets-for-joint-activities", store=open_store())
    pairs = sorted({(int(r[1]), int(r[3].rsplit("/", 1)[-1])) for r in result.values()})
    # Aichi 16 maps to GBF 13, but no joint activity serves Aichi 16: no row, nothing inferred
    assert pairs == [(6, 9), (16, 1), (16, 4), (21, 18)]
