"""OWL-RL reasoning: the closure of what the sources assert under the ontology, kept apart.

The closure goes into its own named graph ("inferred") so that exports can include or exclude
it and nobody mistakes an inference for something a document states. What queries rely on it for:
the class hierarchy (an ``mea:Agreement`` is an ``mea:Instrument``), inverse properties
(``mea:supportsTarget`` / ``mea:supportedBy``), the symmetric ``skos:relatedMatch``, and the
types that domains and ranges give. Inconsistencies (a node in two disjoint classes) are
returned as messages, never silently dropped.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef

from ontology.vocab import ID, graph_iri

# What owlrl derives about every resource (x owl:sameAs x, x a owl:Thing, ...) says nothing
# a query needs, and would triple the graph.
_NOISE_OBJECTS = {OWL.Thing, RDFS.Resource, OWL.NamedIndividual}
_NOISE_PREDICATES = {OWL.sameAs}
# ... nor what it derives about every term: C rdfs:subClassOf C, p owl:equivalentProperty p,
# C rdfs:subClassOf owl:Thing, p rdfs:domain owl:Thing.
_REFLEXIVE = {RDFS.subClassOf, RDFS.subPropertyOf, OWL.equivalentClass, OWL.equivalentProperty}
_REUSED = ("http://www.w3.org/", "http://purl.org/", "http://xmlns.com/", "https://schema.org/")
_PROVENANCE = (ID + "statement/", ID + "selector/")
# owlrl reports inconsistencies as blank nodes with this property (its own vocabulary).
_OWLRL_ERROR = URIRef("http://www.daml.org/2002/03/agents/agent-ont#error")


@dataclass(frozen=True)
class Reasoning:
    """The result of one OWL-RL run: what it adds, what it found inconsistent, and its size and cost."""

    inferred: Graph                     # only the new triples, noise filtered
    inconsistencies: tuple[str, ...]    # owlrl's messages, e.g. "Disjoint classes ... have a common individual ..."
    asserted: int                       # distinct triples given to the reasoner (asserted graphs + ontology)
    seconds: float

    @property
    def consistent(self) -> bool:
        return not self.inconsistencies

    @property
    def total(self) -> int:
        """Distinct triples after reasoning: what was asserted plus what the closure keeps."""
        return self.asserted + len(self.inferred)


def reason(data) -> Reasoning:
    """Return the OWL-RL closure of *data* (a Dataset, whose "inferred" graph is ignored, or a Graph).

    >>> from rdflib import Graph
    >>> g = Graph().parse(data='''
    ...   @prefix mea: <https://w3id.org/meakg/ontology#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
    ...   mea:Agreement rdfs:subClassOf mea:Instrument . <https://w3id.org/meakg/id/instrument/aewa> a mea:Agreement .''',
    ...   format="turtle")
    >>> [str(o).rsplit("#")[-1] for o in reason(g).inferred.objects()]
    ['Instrument']
    """
    import owlrl

    merged = Graph()
    # provenance (statement nodes, text selectors: graph "provenance") is nothing an RL rule can use
    if hasattr(data, "quads"):
        skip = {URIRef(graph_iri("inferred")), URIRef(graph_iri("provenance"))}
        for s, p, o, g in data.quads((None, None, None, None)):
            if g not in skip and not str(s).startswith(_PROVENANCE):
                merged.add((s, p, o))
    else:
        for triple in data:
            if not str(triple[0]).startswith(_PROVENANCE):
                merged.add(triple)
    before = set(merged)
    start = time.perf_counter()
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(merged)
    seconds = time.perf_counter() - start
    errors = sorted(str(o) for o in merged.objects(None, _OWLRL_ERROR))
    inferred = Graph()
    for s, p, o in merged:
        if (s, p, o) in before or isinstance(s, Literal) or p in _NOISE_PREDICATES:
            continue
        if (p == RDF.type or p in _REFLEXIVE or p in (RDFS.domain, RDFS.range)) and o in _NOISE_OBJECTS:
            continue
        if p in _REFLEXIVE and s == o:
            continue
        if not isinstance(s, URIRef) or str(s).startswith(_REUSED):
            continue  # statements about the reused vocabularies themselves, and owlrl's error nodes
        inferred.add((s, p, o))
    return Reasoning(inferred, tuple(errors), len(before), seconds)


def closure(ds) -> Graph:
    """Return the triples the OWL-RL closure adds to the asserted graphs and the ontology."""
    return reason(ds).inferred
