"""rdflib datasets and the mapping between pyoxigraph and rdflib terms: the one dataset factory.

Build, export, validate and publish make their datasets here, so every one binds the same fixed
prefixes (``ontology.vocab.PREFIXES``) and none of rdflib's defaults.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported when called: the query path needs neither
    import pyoxigraph
    from rdflib import Dataset, Graph
    from rdflib.term import Identifier


def new_dataset() -> Dataset:
    """Return an empty rdflib Dataset bound to the fixed prefixes only (none of rdflib's defaults): the one
    factory that build, export, validate and publish use.

    >>> from meakg.ontology.vocab import PREFIXES
    >>> sorted(prefix for prefix, _ in new_dataset().namespaces()) == sorted(PREFIXES)
    True
    """
    from rdflib import Dataset
    from rdflib.namespace import NamespaceManager

    from meakg.ontology.vocab import PREFIXES

    ds = Dataset()
    ds.namespace_manager = NamespaceManager(ds, bind_namespaces="none")
    for prefix, namespace in PREFIXES.items():
        ds.bind(prefix, namespace, override=True, replace=True)
    return ds


def to_dataset(quads: Iterable[pyoxigraph.Quad]) -> Dataset:
    """Return pyoxigraph *quads* as an rdflib Dataset made by new_dataset (quads in the default graph stay there)."""
    import pyoxigraph

    term = converter()
    ds = new_dataset()
    graphs: dict[object, Graph] = {}
    for q in quads:
        name = q.graph_name
        graph = graphs.get(name)
        if graph is None:
            default = isinstance(name, pyoxigraph.DefaultGraph)
            graph = graphs[name] = ds.default_graph if default else ds.graph(term(name))
        graph.add((term(q.subject), term(q.predicate), term(q.object)))
    return ds


def converter() -> Callable[[object], Identifier]:
    """Return a function from pyoxigraph terms (and graph names but the default graph) to rdflib terms, caching
    each.

    >>> import pyoxigraph
    >>> term = converter()
    >>> term(pyoxigraph.Literal("x")), term(pyoxigraph.NamedNode("http://a"))
    (rdflib.term.Literal('x'), rdflib.term.URIRef('http://a'))
    """
    import pyoxigraph
    from rdflib import BNode, Literal, URIRef

    xsd_string = "http://www.w3.org/2001/XMLSchema#string"
    cache: dict[object, Identifier] = {}

    def term(t: object) -> Identifier:
        found = cache.get(t)
        if found is not None:
            return found
        if isinstance(t, pyoxigraph.NamedNode):
            found = URIRef(t.value)
        elif isinstance(t, pyoxigraph.BlankNode):
            found = BNode(t.value)
        elif isinstance(t, pyoxigraph.Literal):
            if t.language:
                found = Literal(t.value, lang=t.language)
            elif t.datatype.value == xsd_string:
                found = Literal(t.value)  # rdflib keeps "x" and "x"^^xsd:string apart; the parsers do not
            else:
                found = Literal(t.value, datatype=URIRef(t.datatype.value))
        else:
            raise TypeError(f"expected an IRI, blank node or literal, found {t!r}")
        cache[t] = found
        return found

    return term


def to_oxigraph(t):
    """Return the pyoxigraph term for the rdflib term *t* (a graph's identifier gives a NamedNode)."""
    import pyoxigraph
    from rdflib import BNode, Literal

    if isinstance(t, Literal):
        if t.language:
            return pyoxigraph.Literal(str(t), language=t.language)
        if t.datatype is not None:
            return pyoxigraph.Literal(str(t), datatype=pyoxigraph.NamedNode(str(t.datatype)))
        return pyoxigraph.Literal(str(t))
    if isinstance(t, BNode):
        return pyoxigraph.BlankNode(str(t))
    return pyoxigraph.NamedNode(str(t))
