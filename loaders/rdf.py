"""Building blocks every loader uses to turn records into triples: namespaces, IRIs, locators, citations."""

from __future__ import annotations

from collections.abc import Iterator

from rdflib import RDF, RDFS, XSD, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, ORG, PROV, SKOS

from meakg.loaders.citations import Cited
from meakg.loaders.text import Locator
from meakg.ontology.vocab import ONTOLOGY, PREFIXES, Kind, document, locator, thing

MEA = Namespace(ONTOLOGY)
SCHEMA = Namespace(PREFIXES["schema"])
Triple = tuple[URIRef, URIRef, URIRef | Literal]

__all__ = ["MEA", "SCHEMA", "RDF", "RDFS", "XSD", "DCTERMS", "ORG", "PROV", "SKOS", "Literal", "URIRef", "Triple",
           "Kind", "iri", "document_iri", "locator_iri", "locator_triples", "derived", "cited_iri", "citation_triples",
           "text", "scheme_triples", "concept_triples"]


def iri(kind: Kind, *keys: str) -> URIRef:
    """Return the IRI of a thing of *kind* named by natural *keys* (see ontology.vocab.thing).

    >>> iri(Kind.INSTRUMENT, "AEWA")
    rdflib.term.URIRef('https://w3id.org/meakg/id/instrument/aewa')
    """
    return URIRef(thing(kind, *keys))


def document_iri(key: str) -> URIRef:
    """Return the IRI of the document whose key is *key*."""
    return URIRef(document(key))


def locator_iri(loc: Locator) -> URIRef:
    """Return the IRI of a locator: its document key, then its readable ref."""
    return URIRef(locator(loc.document, loc.ref))


def text(value: str) -> Literal:
    """Return an English literal (all text the sources print is English)."""
    return Literal(value, lang="en")


def locator_triples(loc: Locator, *, quote: str = "") -> Iterator[Triple]:
    """Yield the triples describing *loc*: its document, line, readable label and structured parts."""
    node = locator_iri(loc)
    yield node, RDF.type, MEA.Locator
    yield node, DCTERMS.isPartOf, document_iri(loc.document)
    yield node, RDFS.label, Literal(loc.label)
    yield node, MEA.line, Literal(loc.line)
    if loc.last_line > loc.line:
        yield node, MEA.lastLine, Literal(loc.last_line)
    for prop, value in ((MEA.section, loc.section), (MEA.paragraph, loc.paragraph), (MEA.table, loc.table)):
        if value:
            yield node, prop, Literal(value)
    if loc.row:
        yield node, MEA.row, Literal(loc.row)
    if loc.column:
        yield node, MEA.column, Literal(loc.column)
    if quote:
        yield node, MEA.quote, text(quote)


def derived(node: URIRef, loc: Locator, *, quote: str = "") -> Iterator[Triple]:
    """Yield ``node prov:wasDerivedFrom loc`` and the locator's own triples."""
    yield node, PROV.wasDerivedFrom, locator_iri(loc)
    yield from locator_triples(loc, quote=quote)


def cited_iri(cited: Cited) -> URIRef:
    """Return the node of a cited decision, meeting or document: one node per key in every source."""
    return iri(Kind(cited.kind), cited.key)


def citation_triples(citing: URIRef, citations: list[Cited]) -> Iterator[Triple]:
    """Yield ``citing dcterms:references cited`` and a description of each cited thing."""
    classes = {"decision": MEA.Decision, "meeting": MEA.Meeting, "document": MEA.Document}
    for cited in citations:
        node = cited_iri(cited)
        yield citing, DCTERMS.references, node
        yield node, RDF.type, classes[cited.kind]
        yield node, RDFS.label, Literal(cited.label)
        yield node, DCTERMS.identifier, Literal(cited.label if cited.kind != "document" else cited.printed)
        if cited.issuer:
            yield node, MEA.issuedUnder, iri(Kind.INSTRUMENT, cited.issuer)


def scheme_triples(key: str, label: str) -> Iterator[Triple]:
    """Yield the SKOS concept scheme ``id/scheme/<key>`` (a code list) with its label."""
    scheme = iri(Kind.SCHEME, key)
    yield scheme, RDF.type, SKOS.ConceptScheme
    yield scheme, SKOS.prefLabel, text(label)


def concept_triples(scheme_key: str, key: str, label: str, *, notation: str = "",
                    cls: URIRef = SKOS.Concept) -> Iterator[Triple]:
    """Yield the concept ``id/concept/<scheme_key>/<key>``: a top concept of its (flat) scheme.

    >>> [str(o).rsplit("/", 2)[-2:] for _, p, o in concept_triples("budget-status", "estimated", "Estimated")
    ...  if p == SKOS.inScheme]
    [['scheme', 'budget-status']]
    """
    node, scheme = iri(Kind.CONCEPT, scheme_key, key), iri(Kind.SCHEME, scheme_key)
    yield node, RDF.type, cls
    yield node, SKOS.inScheme, scheme
    yield node, SKOS.topConceptOf, scheme
    yield node, SKOS.prefLabel, text(label)
    if notation:
        yield node, SKOS.notation, Literal(notation)
