"""The saved-query catalogue as a named graph, so partners find the queries where they look: in the store.

``meakg serve`` loads it next to the data and ``meakg publish`` sends it; each saved query is a
``sh:SPARQLExecutable`` (as ``meakg queries --format turtle`` writes it, sib-swiss style) in the
graph ``https://w3id.org/meakg/graph/queries``, naming the endpoint as ``schema:target`` when known.
Its text binds the parameters' defaults (a trailing VALUES row), so run as it is it answers as
``meakg query`` does; its ``sh:prefixes`` declare the project prefixes and each parameter is an
``sh:Parameter`` (name, type, default, description): see ``meakg.queries.render.turtle``.

>>> b"<https://w3id.org/meakg/graph/queries>" in nquads()
True
"""

from __future__ import annotations

import urllib.parse

import pyoxigraph

from meakg.ontology.vocab import graph_iri

QUERIES_GRAPH = graph_iri("queries")
LISTING = ("PREFIX sh: <http://www.w3.org/ns/shacl#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
           "SELECT ?query ?title ?sparql WHERE { GRAPH <" + QUERIES_GRAPH + "> { ?query a sh:SPARQLExecutable ; "
           "rdfs:label ?title ; (sh:select|sh:construct|sh:describe|sh:ask) ?sparql } } ORDER BY ?query")


def triples(target: str | None = None) -> list:
    """Return the catalogue's triples (pyoxigraph), with *target* as each query's schema:target."""
    from meakg.queries.catalogue import list_queries
    from meakg.queries.render import turtle

    text = turtle(list_queries(), target=target)
    return list(pyoxigraph.parse(text.encode("utf-8"), format=pyoxigraph.RdfFormat.TURTLE))


def nquads(target: str | None = None) -> bytes:
    """Return the catalogue as sorted N-Quads in its named graph."""
    graph = pyoxigraph.NamedNode(QUERIES_GRAPH)
    quads = [pyoxigraph.Quad(t.subject, t.predicate, t.object, graph) for t in triples(target)]
    text = (pyoxigraph.serialize(quads, format=pyoxigraph.RdfFormat.N_QUADS) or b"").decode("utf-8")
    lines = sorted(set(text.splitlines()))
    return ("\n".join(lines) + "\n").encode("utf-8")


def ntriples(target: str | None = None) -> bytes:
    """Return the catalogue as sorted N-Triples (the body of a Graph Store Protocol PUT)."""
    text = (pyoxigraph.serialize(triples(target), format=pyoxigraph.RdfFormat.N_TRIPLES) or b"").decode("utf-8")
    lines = sorted(set(text.splitlines()))
    return ("\n".join(lines) + "\n").encode("utf-8")


def listing_url(query_url: str) -> str:
    """Return a GET URL that lists the saved queries at the SPARQL endpoint *query_url*.

    >>> listing_url("http://127.0.0.1:7878/query").startswith("http://127.0.0.1:7878/query?query=PREFIX")
    True
    """
    return query_url + "?" + urllib.parse.urlencode({"query": LISTING})
