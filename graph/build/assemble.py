"""Assemble the dataset: one named graph per source, plus reference, ontology and inferred graphs."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from rdflib import RDF, Dataset, Literal, URIRef
from rdflib.namespace import DCTERMS, XSD

from meakg.graph.build.dataset import new_dataset  # noqa: F401  (the one dataset factory, re-exported)
from meakg.ontology.resources import ONTOLOGY_FILE
from meakg.ontology.vocab import graph_iri


@dataclass(frozen=True)
class Summary:
    """What a build holds: triples per named graph and nodes per class (asserted and inferred types)."""

    triples: dict[str, int]
    classes: dict[str, int]

    def __str__(self) -> str:
        width = max(map(len, [*self.triples, *self.classes]))
        lines = ["Triples per graph:"]
        lines += [f"  {name:<{width}}  {count:>6}" for name, count in self.triples.items()]
        lines.append("Nodes per class:")
        lines += [f"  {name:<{width}}  {count:>6}" for name, count in self.classes.items()]
        return "\n".join(lines)


def build(sources_dir: Path | None = None, *, reason: bool = True, documents=None) -> Dataset:
    """Return the dataset built from the source documents in *sources_dir* (default: the bundled ones),
    or from *documents* (``loaders.Source`` records, see ``documents()``) when given."""
    from meakg import loaders
    from meakg.graph import progress
    from meakg.loaders.reference import load_reference

    if documents is None:
        documents = loaders.sources(sources_dir or loaders.SOURCES_DIR)
    ds = new_dataset()
    ontology = ds.graph(URIRef(graph_iri("ontology")))
    ontology.parse(ONTOLOGY_FILE, format="turtle")
    from meakg.loaders.provenance import is_provenance

    reference = ds.graph(URIRef(graph_iri("reference")))
    provenance = ds.graph(URIRef(graph_iri("provenance")))   # per-statement locators, selectors: never reasoned over
    for triple in load_reference().to_triples():   # a link out's statement, citing its sources, is provenance too
        (provenance if is_provenance(triple) else reference).add(triple)
    for source in documents:
        with progress.step(f"Reading {source.path.name} ({source.loader})"):
            graph = ds.graph(URIRef(graph_iri(source.key)))
            for triple in _document_triples(source):
                graph.add(triple)
            for triple in loaders.load(source, load_reference()):
                (provenance if is_provenance(triple) else graph).add(triple)
    if reason:
        from meakg.graph.build.reason import closure

        with progress.step("Reasoning (OWL 2 RL closure)"):
            inferred = ds.graph(URIRef(graph_iri("inferred")))
            for triple in closure(ds):
                inferred.add(triple)
    return ds


def _document_triples(source):
    from meakg.loaders.rdf import MEA, document_iri, text

    node = document_iri(source.key)
    yield node, RDF.type, MEA.Document
    yield node, DCTERMS.title, text(source.title)
    yield node, DCTERMS.date, Literal(source.date, datatype=XSD.gYear)
    yield node, DCTERMS.publisher, Literal(source.publisher)
    yield node, DCTERMS.identifier, Literal(source.symbol or source.key)
    yield node, DCTERMS.source, Literal(f"loaders/sources/{source.path.name}")


def summarize(ds: Dataset) -> Summary:
    """Count the triples of each named graph and the typed nodes of each class of the ontology."""
    triples = {}
    for g in sorted(ds.graphs(), key=lambda g: str(g.identifier)):
        if len(g):
            triples[str(g.identifier).rsplit("/", 1)[-1]] = len(g)
    # a node typed in two graphs (asserted and inferred) is counted once; the ontology's own typing is not data
    typed = {(s, o) for s, _, o, g in ds.quads((None, RDF.type, None, None)) if g != URIRef(graph_iri("ontology"))}
    shown = {"skos:Concept", "skos:ConceptScheme", "org:Organization", "org:Post", "prov:Agent"}
    names = (ds.namespace_manager.normalizeUri(o) for _, o in typed)
    classes = Counter(name for name in names if name.startswith("mea:") or name in shown)
    return Summary(triples, dict(sorted(classes.items())))
