"""Saved queries are plain SPARQL 1.1: rdflib's engine, reading the flat merge of the build (what a
partner loads from our Turtle export), gives the same rows as Oxigraph's store that meakg uses."""

from collections import Counter

import pytest
from rdflib import Dataset, Graph, Literal, URIRef

from meakg.graph.build.current import ensure_built, open_store
from meakg.queries import catalogue, header

# Values for required parameters, so that every saved query runs.
REQUIRED = {"where-from": {"node": "inst:aewa"}}


@pytest.fixture(scope="module")
def merged() -> Graph:
    ds = Dataset()
    ds.parse(str(ensure_built()), format="nquads")
    graph = Graph()
    for s, p, o, _ in ds.quads((None, None, None, None)):
        graph.add((s, p, o))
    return graph


@pytest.fixture(scope="module")
def store():
    return open_store()


def _rdflib_term(param, value: str):
    return URIRef(header.expand(value)) if param.type.value == "iri" else Literal(value)


@pytest.mark.parametrize("name", catalogue.names())
def test_saved_query_gives_the_same_rows_on_rdflib_and_oxigraph(name, merged, store):
    query = catalogue.load(name)
    if query.form == "construct":
        oxigraph_triples = {(t.subject.value, t.predicate.value, t.object.value)
                            for t in catalogue.run(query, store=store).triples}
        rdflib_triples = {(str(s), str(p), str(o)) for s, p, o in merged.query(query.text)}
        assert oxigraph_triples and rdflib_triples == oxigraph_triples
        return
    values = {p.name: p.default for p in query.params if p.default is not None} | REQUIRED.get(name, {})
    oxigraph_rows = Counter(tuple(None if t is None else t.value for t in row)
                            for row in catalogue.run(query, store=store, params=values).rows)
    bindings = {p.name: _rdflib_term(p, values[p.name]) for p in query.params if p.name in values}
    rdflib_rows = Counter(tuple(None if t is None else str(t) for t in row)
                          for row in merged.query(query.text, initBindings=bindings))
    assert oxigraph_rows, "every saved query answers something on the real graph"
    assert rdflib_rows == oxigraph_rows
