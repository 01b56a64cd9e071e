"""Map a resolution list to triples: each resolution a mea:Decision (the node citations point at)."""

from __future__ import annotations

from collections.abc import Iterator

from meakg.loaders.rdf import DCTERMS, MEA, RDF, RDFS, Kind, Literal, Triple, derived, iri, text
from meakg.loaders.resolution_list.records import ResolutionList


def to_triples(document: ResolutionList) -> Iterator[Triple]:
    for resolution in document.resolutions:
        node = iri(Kind.DECISION, resolution.key)
        yield node, RDF.type, MEA.Decision
        yield node, RDFS.label, Literal(resolution.label)
        yield node, DCTERMS.identifier, Literal(resolution.label)
        yield node, DCTERMS.title, text(resolution.title)
        yield node, MEA.issuedUnder, iri(Kind.INSTRUMENT, document.instrument)
        yield from derived(node, resolution.locator, quote=f"{resolution.number} {resolution.title}")
