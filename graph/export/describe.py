"""Describe the dataset for partners: VoID statistics and DCAT/DCTERMS metadata, in their own named graph.

Every export, the endpoint and every publish carry the graph ``https://w3id.org/meakg/graph/description``.
Its counts are read from the dataset itself, its dates from the source documents (the latest
document's year, never the clock), its version from pyproject.toml, so the same build gives the
same description. Besides the counts it says where the files are (a ``dcat:Distribution`` per export
format with its download URL, IANA media type and W3C format IRI; the N-Triples file as the
``void:dataDump``), how the data links out (a ``void:Linkset`` per link predicate and target dataset,
counted in the data), and who publishes it and how to reach them (``dcterms:publisher``,
``dcat:contactPoint``).

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

from rdflib import RDF, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, VOID

from meakg.graph.export.formats import FILES, SSSOM, Format
from meakg.ontology.errors import MeakgError
from meakg.ontology.vocab import BASE, GRAPHS, ID, ONTOLOGY_IRI, PREFIXES, Kind, curie, graph_iri, slug, thing

DESCRIPTION = URIRef(graph_iri("description"))
DATASET = URIRef(thing(Kind.DATASET, "meakg"))
IANA = "https://www.iana.org/assignments/media-types/"  # media types as IRIs, as in the W3C DCAT 3 examples
TITLE = "meakg: a knowledge graph of multilateral environmental agreements"
# The ontology declares the licence of what meakg publishes; this is only used if it says nothing.
DEFAULT_LICENSE = URIRef("https://creativecommons.org/licenses/by/4.0/")
SPECIAL_GRAPHS = ("reference", "provenance", "ontology", "inferred", "description")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
DCAT3 = Namespace(str(DCAT))  # DCAT 3 terms (version, endpointURL, ...) rdflib's closed DCAT namespace may lack
PUBLISHER = URIRef(thing(Kind.AGENT, "meakg"))  # this project: publishes the dataset, creates the SSSOM rows
PUBLISHER_NAME = "meakg project"
HOMEPAGE = URIRef(BASE)  # the w3id.org/meakg/ root, redirected to the project's site
DUMP = Format.NTRIPLES  # the one void:dataDump: several would mean the dataset is split across them
SPARQL_PROTOCOL = URIRef("https://www.w3.org/TR/sparql11-protocol/")
SSSOM_SCHEMA = URIRef("https://w3id.org/sssom/schema/")
# The project prefixes (ontology.vocab.PREFIXES) whose namespaces are other datasets our links point into:
# prefix -> (slug of the target's void:Dataset, its title). A link into any other namespace is in no linkset.
# What links a thing of ours to another dataset's (a citation by dcterms:source, or a provenance statement's
# rdf:object, points there too, but is not a link a partner joins on).
LINK_PREDICATES = {PREFIXES["skos"] + m for m in ("exactMatch", "closeMatch", "broadMatch", "narrowMatch",
                                                  "relatedMatch")} | {
    "https://schema.org/sameAs", "http://www.w3.org/2002/07/owl#sameAs", "http://www.w3.org/2000/01/rdf-schema#seeAlso"}
LINK_TARGETS = {
    "cbdterm": ("cbd-thesaurus", "CBD thesaurus terms"),
    "informea": ("informea-treaties", "InforMEA treaty pages"),
}


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
    links: dict[tuple[str, str], int]  # (link target prefix, predicate IRI) -> triples from our things into it


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
    links: Counter[tuple[str, str]] = Counter()
    for s, p, o in triples:
        properties[str(p)] += 1
        if p == RDF.type and isinstance(o, URIRef):
            typed.setdefault(str(o), set()).add(s)
        elif isinstance(o, URIRef) and str(s).startswith(ID) and str(p) in LINK_PREDICATES:
            target = _link_target(str(o))
            if target:
                links[(target, str(p))] += 1
    return Statistics(
        triples=len(triples),
        entities=sum(1 for s in subjects if isinstance(s, URIRef) and str(s).startswith(ID)),
        distinct_subjects=len(subjects),
        distinct_objects=len({o for _, _, o in triples}),
        classes={c: len(members) for c, members in sorted(typed.items())},
        properties=dict(sorted(properties.items())),
        graphs={str(g.identifier): len(g) for g in graphs},
        links=dict(sorted(links.items())),
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
    add((DATASET, DCAT3.version, Literal(version())))
    license_ = _license(ds)
    add((DATASET, DCTERMS.license, license_))
    add((DATASET, DCTERMS.conformsTo, URIRef(ONTOLOGY_IRI)))
    add((DATASET, VOID.uriSpace, Literal(ID)))
    _publisher(g)
    _distributions(g, license_=license_, endpoint=endpoint)
    _linksets(g, stats)
    _type_values(g)
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
                        (VOID.distinctSubjects, stats.distinct_subjects),
                        (VOID.distinctObjects, stats.distinct_objects),
                        (VOID.classes, len(stats.classes)), (VOID.properties, len(stats.properties))):
        add((DATASET, name, Literal(count)))
    for namespace in sorted({n for p in [*stats.classes, *stats.properties] if (n := _namespace(p)) is not None}):
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


def _publisher(g: Graph) -> None:
    """Add who publishes the dataset (a foaf:Agent) and how to reach them (a vCard, as DCAT asks)."""
    contact = URIRef(f"{DATASET}/contact")
    g.add((DATASET, DCTERMS.publisher, PUBLISHER))
    g.add((PUBLISHER, RDF.type, FOAF.Agent))
    g.add((PUBLISHER, FOAF.name, Literal(PUBLISHER_NAME, lang="en")))
    g.add((PUBLISHER, FOAF.homepage, HOMEPAGE))
    g.add((DATASET, DCAT.contactPoint, contact))
    g.add((contact, RDF.type, VCARD.Organization))
    g.add((contact, VCARD.fn, Literal(PUBLISHER_NAME, lang="en")))
    g.add((contact, VCARD.hasURL, HOMEPAGE))


def _distributions(g: Graph, *, license_: URIRef, endpoint: str | None) -> None:
    """Add a dcat:Distribution per published file (and the endpoint, when there is one) and the void:dataDump.

    No dcat:byteSize: every RDF file carries this description, so stating its size would change it.
    """
    for name, published in FILES.items():
        node = URIRef(f"{DATASET}/distribution/{name}")
        download = URIRef(published.download_url)
        g.add((DATASET, DCAT.distribution, node))
        g.add((node, RDF.type, DCAT.Distribution))
        g.add((node, DCTERMS.title, Literal(f"{TITLE.split(':')[0]} as {published.title}", lang="en")))
        g.add((node, DCAT.downloadURL, download))
        g.add((node, DCAT.accessURL, download))
        g.add((node, DCAT.mediaType, URIRef(IANA + published.media_type)))
        g.add((node, DCTERMS.license, license_))
        if published.format_iri:
            g.add((node, DCTERMS["format"], URIRef(published.format_iri)))
        if name == SSSOM:
            g.add((node, DCTERMS.conformsTo, SSSOM_SCHEMA))
            g.add((node, DCTERMS.description, Literal(
                "The target alignments and published crosswalks as an SSSOM mapping set (a subset of the dataset).",
                lang="en")))
    g.add((DATASET, VOID.dataDump, URIRef(FILES[DUMP.value].download_url)))
    if endpoint:
        node, service = URIRef(f"{DATASET}/distribution/sparql"), URIRef(f"{DATASET}/service/sparql")
        g.add((DATASET, VOID.sparqlEndpoint, URIRef(endpoint)))
        g.add((DATASET, DCAT.distribution, node))
        g.add((node, RDF.type, DCAT.Distribution))
        g.add((node, DCTERMS.title, Literal("SPARQL endpoint", lang="en")))
        g.add((node, DCAT.accessURL, URIRef(endpoint)))
        g.add((node, DCAT.accessService, service))
        g.add((node, DCTERMS.license, license_))
        g.add((service, RDF.type, DCAT.DataService))
        g.add((service, DCTERMS.title, Literal("meakg SPARQL endpoint", lang="en")))
        g.add((service, DCAT3.endpointURL, URIRef(endpoint)))
        g.add((service, DCTERMS.conformsTo, SPARQL_PROTOCOL))
        g.add((service, DCAT3.servesDataset, DATASET))


# The classes DCAT gives the values of these properties as their range, stated so that a profile's shapes
# (DCAT-AP checks sh:class) need no vocabularies loaded beside the description.
VALUE_CLASSES = {DCTERMS.license: DCTERMS.LicenseDocument, DCAT.mediaType: DCTERMS.MediaType,
                 DCTERMS["format"]: DCTERMS.MediaTypeOrExtent, DCTERMS.conformsTo: DCTERMS.Standard,
                 DCAT.contactPoint: VCARD.Kind}


def _type_values(g: Graph) -> None:
    for predicate, cls in VALUE_CLASSES.items():
        for value in set(g.objects(None, predicate)):
            g.add((value, RDF.type, cls))


def _linksets(g: Graph, stats: Statistics) -> None:
    """Add a void:Linkset per (target dataset, link predicate), with the triples counted in the data."""
    for prefix in sorted({target for target, _ in stats.links}):
        key, title = LINK_TARGETS[prefix]
        target = URIRef(thing(Kind.DATASET, key))
        g.add((target, RDF.type, VOID.Dataset))
        g.add((target, DCTERMS.title, Literal(title, lang="en")))
        g.add((target, VOID.uriSpace, Literal(PREFIXES[prefix])))
    for (prefix, predicate), count in stats.links.items():
        key, title = LINK_TARGETS[prefix]
        predicate_curie = curie(predicate) or predicate
        node = URIRef(f"{DATASET}/linkset/{key}/{slug(predicate_curie.replace(':', '-'))}")
        g.add((DATASET, VOID.subset, node))
        g.add((node, RDF.type, VOID.Linkset))
        g.add((node, DCTERMS.title, Literal(f"Links to the {title} ({predicate_curie})", lang="en")))
        g.add((node, VOID.subjectsTarget, DATASET))
        g.add((node, VOID.objectsTarget, URIRef(thing(Kind.DATASET, key))))
        g.add((node, VOID.linkPredicate, URIRef(predicate)))
        g.add((node, VOID.triples, Literal(count)))


def _link_target(iri: str) -> str | None:
    """Return the project prefix of the other dataset *iri* belongs to, if it is one we link into."""
    compact = curie(iri)
    prefix = compact.split(":", 1)[0] if compact else None
    return prefix if prefix in LINK_TARGETS else None


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
        doc = URIRef(thing(Kind.DOCUMENT, name))
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
        raise MeakgError(f"two {kind}es share the partition IRI {part}; expected distinct slugs,"
                         f" found a clash at {iri}")
    seen.add(part)
    return part
