"""Serialise the dataset deterministically: fixed prefixes, sorted output, no clock."""

from __future__ import annotations

from rdflib import Dataset, Graph, URIRef

from graph.vocab import PREFIXES, graph_iri


def select(ds: Dataset, graphs: str) -> Graph:
    """Return one graph holding the union of the named graphs chosen by *graphs*.

    *graphs* is 'asserted' (sources and reference data), 'ontology', 'inferred', 'all', or a
    '+'-joined combination such as 'asserted+ontology'.
    """
    wanted = set(graphs.split("+"))
    special = {"ontology": URIRef(graph_iri("ontology")), "inferred": URIRef(graph_iri("inferred"))}
    union = Graph()
    for prefix, namespace in PREFIXES.items():
        union.bind(prefix, namespace, override=True, replace=True)
    for g in ds.graphs():
        kind = next((name for name, iri in special.items() if g.identifier == iri), "asserted")
        if "all" in wanted or kind in wanted:
            for triple in g:
                union.add(triple)
    return union


def serialize(ds: Dataset, *, fmt: str = "turtle", graphs: str = "all") -> str:
    """Return the chosen graphs of *ds* serialised as *fmt* (Turtle by default)."""
    return select(ds, graphs).serialize(format=fmt)
