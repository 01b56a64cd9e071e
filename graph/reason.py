"""OWL-RL reasoning: the closure of what the sources assert under the ontology, kept apart.

The closure goes into its own named graph ("inferred") so that exports can include or exclude
it and nobody mistakes an inference for something a document states.
"""

from __future__ import annotations

from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef

from graph.vocab import graph_iri

# What owlrl derives about every resource (x owl:sameAs x, x a owl:Thing, ...) says nothing
# a query needs, and would triple the graph.
_NOISE_OBJECTS = {OWL.Thing, RDFS.Resource, OWL.NamedIndividual}
_NOISE_PREDICATES = {OWL.sameAs}


def closure(ds) -> Graph:
    """Return the triples the OWL-RL closure adds to the asserted graphs and the ontology."""
    import owlrl

    merged = Graph()
    for s, p, o, g in ds.quads((None, None, None, None)):
        if g != URIRef(graph_iri("inferred")):
            merged.add((s, p, o))
    before = set(merged)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(merged)
    inferred = Graph()
    for s, p, o in merged:
        if (s, p, o) in before or isinstance(s, Literal) or p in _NOISE_PREDICATES:
            continue
        if p == RDF.type and o in _NOISE_OBJECTS:
            continue
        if not isinstance(s, URIRef) or str(s).startswith(("http://www.w3.org/", "http://purl.org/", "http://xmlns.com/", "https://schema.org/")):
            continue  # statements about the reused vocabularies themselves
        inferred.add((s, p, o))
    return inferred
