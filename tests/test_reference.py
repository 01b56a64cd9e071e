"""Curated reference data: names resolve to one node, every fact cites its source."""

from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

from meakg.loaders.rdf import DCTERMS, MEA, RDF, SKOS, iri
from meakg.loaders.reference import load_reference
from meakg.ontology.errors import SourceError


@pytest.fixture(scope="module")
def graph() -> Graph:
    g = Graph()
    for triple in load_reference().to_triples():
        g.add(triple)
    return g


@pytest.mark.parametrize("printed, key", [
    ("WAAM", "west-african-aquatic-mammals"),
    ("Western African Elephant MOU", "west-african-elephants"),
    ("the Wadden Sea Seals", "wadden-sea-seals"),
    ("Sharks MOU", "sharks"),
    ("Dugongs", "dugong"),
])
def test_printed_names_resolve_to_one_instrument(printed, key):
    assert load_reference().instrument(printed, path=Path("d.txt"), line=1).key == key


def test_cms_sec_is_the_cms_secretariat():
    assert load_reference().agent("CMS Sec.", path=Path("d.txt"), line=1).iri == iri("agent", "cms-secretariat")


def test_unknown_instrument_names_file_and_line():
    with pytest.raises(SourceError) as err:
        load_reference().instrument("Penguin MOU", path=Path("doc.txt"), line=7)
    assert str(err.value) == ("doc.txt:7: expected an instrument of ontology/reference/instruments.yaml, "
                              "found 'Penguin MOU'")


def test_instruments_have_kind_acronym_and_name(graph):
    aewa = iri("instrument", "aewa")
    assert (aewa, RDF.type, MEA.Agreement) in graph
    assert graph.value(aewa, MEA.acronym) == Literal("AEWA")
    assert str(graph.value(aewa, SKOS.prefLabel)) == (
        "Agreement on the Conservation of African-Eurasian Migratory Waterbirds")
    assert (iri("instrument", "siberian-crane"), RDF.type, MEA.MOU) in graph


def test_targets_carry_notation_title_and_scheme(graph):
    aichi12 = iri("target", "aichi", "12")
    assert graph.value(aichi12, SKOS.notation) == Literal("12")
    assert str(graph.value(aichi12, SKOS.prefLabel)) == "Reducing risk of extinction"
    assert graph.value(aichi12, SKOS.inScheme) == iri("scheme", "aichi-targets")
    assert graph.value(aichi12, SKOS.broader) == iri("goal", "aichi", "C")
    assert len(set(graph.subjects(RDF.type, MEA.MigratorySpeciesTarget))) == 16


def test_reference_facts_cite_their_source(graph):
    assert str(graph.value(iri("target", "aichi", "1"), DCTERMS.source)) == "https://www.cbd.int/cepa/target1/"
    assert str(graph.value(iri("instrument", "accobams"), DCTERMS.source)).startswith("https://www.informea.org/")


def test_malformed_reference_yaml_names_file_and_line(tmp_path: Path):
    (tmp_path / "targets.yaml").write_text("aichi: [1, 2\n")
    (tmp_path / "instruments.yaml").write_text("conventions: []\n")
    with pytest.raises(SourceError) as err:
        load_reference.__wrapped__(tmp_path)
    assert err.value.path == tmp_path / "targets.yaml" and err.value.line == 2


def test_every_target_scheme_holds_mea_targets(graph):
    counts = {str(scheme).rsplit("/", 1)[1]: len({t for t in graph.subjects(SKOS.inScheme, scheme)
                                                  if set(graph.objects(t, RDF.type)) & {MEA.Target, MEA.AichiTarget,
                                                                                         MEA.MigratorySpeciesTarget}})
              for scheme in graph.subjects(RDF.type, SKOS.ConceptScheme)}
    assert {k: v for k, v in counts.items() if v} == {
        "aichi-targets": 20, "migratory-species-targets": 16, "kmgbf": 23, "spms-2024-2032": 18}


def test_no_concept_is_both_a_top_concept_and_narrower_in_its_scheme(graph):
    # qSKOS "top concept having broader concepts": a top concept of a scheme has no broader concept in it
    clashes = [(c, b) for c, scheme in graph.subject_objects(SKOS.topConceptOf)
               for b in graph.objects(c, SKOS.broader) if (b, SKOS.inScheme, scheme) in graph]
    assert clashes == []
    assert len(list(graph.subject_objects(SKOS.topConceptOf))) == 5 + 16 + 4 + 23 + 6


def test_spms_2024_targets_are_narrower_than_their_goals(graph):
    assert graph.value(iri("target", "spms-2024", "5.4"), SKOS.broader) == iri("goal", "spms-2024", "5")
    broader = {str(t).rsplit("/", 1)[1]: str(g).rsplit("/", 1)[1]
               for t, g in graph.subject_objects(SKOS.broader) if "/spms-2024/" in str(t)}
    assert len(broader) == 18 and all(target.split(".")[0] == goal for target, goal in broader.items())


# ------------------------------------------------------------ sources: IRIs, primary, or said to be unverified

def test_every_reference_source_is_an_iri_and_none_is_a_mirror_or_dump_site(graph):
    from meakg.loaders.sourcing import MIRRORS

    sources = set(graph.objects(None, DCTERMS.source))
    assert sources and all(isinstance(s, URIRef) for s in sources), [s for s in sources if not isinstance(s, URIRef)]
    hosts = {str(s).split("/")[2] for s in sources if str(s).startswith("http")}
    assert not [h for h in hosts if any(m in h for m in MIRRORS) or h.endswith("wikipedia.org")]
    for banned in ("en-academic.com", "docslib.org", "vdocument.in", "spotidoc.com", "docsbay.net"):
        assert banned in MIRRORS


def test_nodes_that_cited_nothing_now_cite_a_primary_source(graph):
    cited = {key: sorted(str(o) for o in graph.objects(iri(kind, key), DCTERMS.source)) for kind, key in (
        ("agent", "aewa-secretariat"), ("instrument", "cites"), ("instrument", "unfccc"),
        ("instrument", "slender-billed-curlew"), ("instrument", "west-african-elephants"))}
    assert cited["slender-billed-curlew"] == ["https://www.cms.int/slender-billed-curlew/es/node/4086"]
    assert cited["west-african-elephants"] == ["https://www.cms.int/west-african-elephants/en/node/4436"]
    assert cited["unfccc"][0].startswith("https://unfccc.int/")
    assert "https://w3id.org/meakg/id/locator/unep-cms-cop11-doc-16-2-common-services/annex-to-annex-2/para-3" in \
        cited["aewa-secretariat"]
    assert cited["cites"]


def test_every_agent_cites_a_source_for_its_name_and_its_printed_names(graph):
    # BLG, CSAB, GRASP and UNEP cited nothing (issue 16): instruments.yaml gave them no source, and the
    # source of their mentions.yaml entry (where the documents print them) did not reach the node
    loc = "https://w3id.org/meakg/id/locator/"
    cited = {key: sorted(str(o) for o in graph.objects(iri("agent", key), DCTERMS.source))
             for key in ("blg", "csab", "grasp", "unep")}
    assert cited["blg"] == ["http://cbd.int/2011-2020/actors/blg", loc + "cbd-cms-joint-work-plan-2016-2018/para-1",
                            loc + "cms-capacity-building-work-plan-2012-2014/action-requested/d",
                            "https://www.cbd.int/blg/"]
    doc_16_2 = loc + "unep-cms-cop11-doc-16-2-common-services/"
    assert cited["grasp"] == ["http://www.un-grasp.org/the-partnership/governance/council/",
                              doc_16_2 + "annex-1/para-17", doc_16_2 + "table-2/gorilla-agreement/technical-assistance"]
    assert cited["unep"] == ["http://www.unep.org/newyork/AboutUNEP/tabid/52259/Default.aspx",
                             doc_16_2 + "annex-1/para-1"]
    assert loc + "cbd-cms-joint-work-plan-2016-2018/para-1" in cited["csab"]
    assert "document-dump" in str(graph.value(iri("agent", "csab"), MEA.unverified))
    agents = {s for s in graph.subjects(RDF.type, None) if "/id/agent/" in str(s)}
    assert len(agents) > 10 and not [a for a in agents if graph.value(a, DCTERMS.source) is None]


def test_an_instrument_or_agent_without_a_source_is_an_error_at_its_line(tmp_path: Path):
    (tmp_path / "targets.yaml").write_text("aichi:\n  scheme: A\n")
    (tmp_path / "instruments.yaml").write_text("conventions:\n  - {acronym: X, name: Y, source: 'https://x.org/'}\n"
                                               "organisations:\n  - {acronym: BLG, name: Biodiversity Liaison Group}\n")
    with pytest.raises(SourceError) as err:
        load_reference.__wrapped__(tmp_path)
    assert (err.value.path.name, err.value.line) == ("instruments.yaml", 4)
    assert err.value.message == ("expected a 'source' (where its facts were read: a web page or loc:<document>/<ref>) "
                                 "for 'BLG', found none")


def test_a_place_in_a_bundled_document_is_cited_by_its_locator(graph):
    basel = iri("instrument", "basel")
    assert graph.value(basel, DCTERMS.source) == URIRef(
        "https://w3id.org/meakg/id/locator/unep-cms-cop11-doc-16-2-common-services/annex-1/para-5")


def test_what_no_primary_source_confirmed_is_said_in_the_graph(graph):
    unverified = {str(s).split("/id/")[1]: str(o) for s, o in graph.subject_objects(MEA.unverified)}
    assert unverified["target/aichi/11"] == ("the short title is the usual CBD quick-guide heading, not confirmed "
                                             "against a published copy")
    assert "Women4Biodiversity" in unverified["target/gbf/12"]
    assert {"instrument/cites", "instrument/sharks", "instrument/ramsar", "scheme/spms-2024-2032"} <= set(unverified)
    assert all(lit.language == "en" for lit in graph.objects(None, MEA.unverified))


def test_a_source_that_is_not_an_iri_is_an_error_at_its_line(tmp_path: Path):
    (tmp_path / "targets.yaml").write_text("aichi:\n  scheme: A\n  source: CBD quick-guide heading\n")
    (tmp_path / "instruments.yaml").write_text(
        "conventions:\n  - {acronym: X, name: Y, source: 'https://docslib.org/d'}\n")
    with pytest.raises(SourceError) as err:
        load_reference.__wrapped__(tmp_path)
    assert (err.value.path, err.value.line) == (tmp_path / "targets.yaml", 3)
    assert err.value.message == ("expected a source IRI (https://... or a CURIE such as loc:<document>/<ref>), "
                                 "found 'CBD quick-guide heading'")
    (tmp_path / "targets.yaml").write_text("aichi:\n  scheme: A\n")
    with pytest.raises(SourceError) as err:
        load_reference.__wrapped__(tmp_path)
    assert (err.value.path.name, err.value.line) == ("instruments.yaml", 2)
    assert err.value.message == ("expected a primary source, not a mirror or document-dump site, "
                                 "found 'https://docslib.org/d'")
