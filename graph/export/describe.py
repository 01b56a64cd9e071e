"""Describe the dataset for partners: VoID statistics and DCAT/DCTERMS metadata, in their own named graph.

Every export, the endpoint and every publish carry the graph ``https://w3id.org/meakg/graph/description``.
Its counts are read from the dataset itself, its dates from the source documents (the latest
document's year, never the clock), its version from pyproject.toml, so the same build gives the
same description.

>>> from rdflib import Dataset, Literal, URIRef
>>> ds = Dataset()
>>> g = ds.graph(URIRef("https://w3id.org/meakg/graph/plan"))
>>> _ = g.add((URIRef("https://w3id.org/meakg/id/plan/p"), URIRef("http://purl.org/dc/terms/title"), Literal("P")))
>>> stats = statistics(ds)
>>> (stats.triples, stats.entities, stats.distinct_subjects)
(1, 1, 1)
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from rdflib import RDF, Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, VOID

from meakg.ontology.errors import MeakgError
from meakg.ontology.vocab import GRAPHS, ID, ONTOLOGY_IRI, PREFIXES, curie, graph_iri, slug, thing

DESCRIPTION = URIRef(graph_iri("description"))
DATASET = URIRef(thing("dataset", "meakg"))
DCAT_VERSION = URIRef(str(DCAT) + "version")  # DCAT 3; rdflib's closed DCAT namespace predates it
TITLE = "meakg: a knowledge graph of multilateral environmental agreements"
# The ontology declares the licence of what meakg publishes; this is only used if it says nothing.
DEFAULT_LICENSE = URIRef("https://creativecommons.org/licenses/by/4.0/")
SPECIAL_GRAPHS = ("reference", "provenance", "ontology", "inferred", "description")


@dataclass(frozen=True)
class Statistics:
    """VoID counts over the union of the data graphs (the description graph excluded)."""

    triples: int
    entities: int
    distinct_subjects: int
    distinct_objects: int
    classes: dict[str, int]       # class IRI -> distinct typed subjects
    properties: dict[str, int]    # property IRI -> triples
    graphs: dict[str, int]        # graph IRI -> triples


def data_graphs(ds: Dataset) -> list[Graph]:
    """Return the non-empty named graphs of *ds* other than the description, sorted by IRI."""
    return sorted((g for g in ds.graphs() if isinstance(g.identifier, URIRef) and g.identifier != DESCRIPTION
                   and str(g.identifier).startswith(GRAPHS) and len(g)), key=lambda g: str(g.identifier))


def statistics(ds: Dataset) -> Statistics:
    """Count triples, entities, subjects, class and property partitions over the data graphs of *ds*."""
    graphs = data_graphs(ds)
    triples = {t for g in graphs for t in g}
    subjects = {s for s, _, _ in triples}
    typed: dict[str, set] = {}
    properties: Counter[str] = Counter()
    for s, p, o in triples:
        properties[str(p)] += 1
        if p == RDF.type and isinstance(o, URIRef):
            typed.setdefault(str(o), set()).add(s)
    return Statistics(
        triples=len(triples),
        entities=sum(1 for s in subjects if isinstance(s, URIRef) and str(s).startswith(ID)),
        distinct_subjects=len(subjects),
        distinct_objects=len({o for _, _, o in triples}),
        classes={c: len(members) for c, members in sorted(typed.items())},
        properties=dict(sorted(properties.items())),
        graphs={str(g.identifier): len(g) for g in graphs},
    )


def version() -> str:
    """Return meakg's version, as installed."""
    from importlib.metadata import version as installed

    return installed("meakg")


def describe(ds: Dataset, *, endpoint: str | None = None) -> Graph:
    """Return the description graph of *ds*: a void:Dataset and dcat:Dataset with counts, sources and licence.

    *endpoint* is the SPARQL query URL when the data is being served (``void:sparqlEndpoint``).
    """
    stats = statistics(ds)
    g = Graph(identifier=DESCRIPTION, bind_namespaces="none")
    for prefix, namespace in PREFIXES.items():
        g.bind(prefix, namespace)
    add = g.add
    add((DATASET, RDF.type, VOID.Dataset))
    add((DATASET, RDF.type, DCAT.Dataset))
    add((DATASET, DCTERMS.title, Literal(TITLE, lang="en")))
    add((DATASET, DCTERMS.description, Literal(
        "Instruments, targets, work plans, activities, secretariat services and budgets of multilateral "
        "environmental agreements (CMS Family, CBD), extracted from their documents with a locator for every fact.",
        lang="en")))
    add((DATASET, DCAT_VERSION, Literal(version())))
    add((DATASET, DCTERMS.license, _license(ds)))
    add((DATASET, DCTERMS.conformsTo, URIRef(ONTOLOGY_IRI)))
    add((DATASET, VOID.uriSpace, Literal(ID)))
    if endpoint:
        add((DATASET, VOID.sparqlEndpoint, URIRef(endpoint)))
    latest = None
    for doc, identifier, title, date in _source_documents(ds):
        add((DATASET, DCTERMS.source, doc))
        add((doc, DCTERMS.identifier, identifier))
        add((doc, DCTERMS.title, title))
        if date is not None:
            add((doc, DCTERMS.date, date))
            latest = date if latest is None or str(date) > str(latest) else latest
    if latest is not None:
        add((DATASET, DCTERMS.created, latest))
        add((DATASET, DCTERMS.issued, latest))
    for name, count in ((VOID.triples, stats.triples), (VOID.entities, stats.entities),
                        (VOID.distinctSubjects, stats.distinct_subjects), (VOID.distinctObjects, stats.distinct_objects),
                        (VOID.classes, len(stats.classes)), (VOID.properties, len(stats.properties))):
        add((DATASET, name, Literal(count)))
    for namespace in sorted({_namespace(p) for p in [*stats.classes, *stats.properties]} - {None}):
        add((DATASET, VOID.vocabulary, URIRef(namespace)))
    seen: set[URIRef] = set()
    for cls, count in stats.classes.items():
        part = _partition("class", cls, seen)
        add((DATASET, VOID.classPartition, part))
        add((part, VOID["class"], URIRef(cls)))
        add((part, VOID.entities, Literal(count)))
    for prop, count in stats.properties.items():
        part = _partition("property", prop, seen)
        add((DATASET, VOID.propertyPartition, part))
        add((part, VOID.property, URIRef(prop)))
        add((part, VOID.triples, Literal(count)))
    # each named graph is a subset named by its graph IRI, so a partner can check what arrived
    for graph, count in stats.graphs.items():
        node = URIRef(graph)
        add((DATASET, VOID.subset, node))
        add((node, RDF.type, VOID.Dataset))
        add((node, VOID.triples, Literal(count)))
    return g


def _license(ds: Dataset) -> URIRef:
    ontology = ds.graph(URIRef(graph_iri("ontology")))
    found = sorted(o for o in ontology.objects(URIRef(ONTOLOGY_IRI), DCTERMS.license) if isinstance(o, URIRef))
    return found[0] if found else DEFAULT_LICENSE


def _source_documents(ds: Dataset):
    """Yield (document, identifier, title, date) for each source graph's document, sorted by IRI."""
    found = []
    for g in data_graphs(ds):
        name = str(g.identifier)[len(GRAPHS):]
        if name in SPECIAL_GRAPHS:
            continue
        doc = URIRef(thing("document", name))
        identifier = g.value(doc, DCTERMS.identifier) or Literal(name)
        title = g.value(doc, DCTERMS.title) or Literal(name)
        date = g.value(doc, DCTERMS.date)
        found.append((doc, identifier, title, date))
    return sorted(found)


def _namespace(iri: str) -> str | None:
    compact = curie(iri)
    return PREFIXES[compact.split(":", 1)[0]] if compact else None


def _partition(kind: str, iri: str, seen: set[URIRef]) -> URIRef:
    """Return the IRI of the class or property partition of *iri*, e.g. .../partition/class/mea-targetalignment."""
    compact = curie(iri)
    key = compact.replace(":", "-", 1) if compact else iri
    part = URIRef(f"{DATASET}/partition/{kind}/{slug(key)}")
    if part in seen:  # slugs lowercase: two terms differing only in case would share a partition
        raise MeakgError(f"two {kind}es share the partition IRI {part}; expected distinct slugs, found a clash at {iri}")
    seen.add(part)
    return part
