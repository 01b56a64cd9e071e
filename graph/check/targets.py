"""SPARQL targets run on Oxigraph: the same focus nodes, found in one fast query instead of rdflib's engine.

A shape's ``sh:target [ a sh:SPARQLTarget ; sh:select ... ]`` (SHACL Advanced Features) selects
its focus nodes with a SELECT over the data graph. pySHACL runs it on rdflib's SPARQL engine, which
joins slowly. ``with_target_nodes`` runs each such query once on an in-memory Oxigraph copy of the
data and hands pySHACL a shapes graph in which the target is replaced by ``sh:targetNode`` for each
node found: by definition the same focus nodes, so the same report. meakg's own shapes
(ontology/shapes.ttl) use core targets only, so that every SHACL engine reads them alike (shacl-engine
runs no SHACL-AF target); this serves a shapes file given to ``validate`` that has SPARQL targets.
"""

from __future__ import annotations

SH = "http://www.w3.org/ns/shacl#"


def with_target_nodes(data, shapes, *, store=None):
    """Return a copy of *shapes* whose SPARQL targets are replaced by sh:targetNode for each node they select in *data*.

    *store*, an Oxigraph store whose default graph holds *data* (the build's), saves copying it.

    >>> from rdflib import Graph
    >>> shapes = Graph().parse(format="turtle", data='''
    ...   @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
    ...   ex:S a sh:NodeShape ; sh:target [ a sh:SPARQLTarget ; sh:select "SELECT ?this WHERE { ?this ?p 1 }" ] .''')
    >>> data = Graph().parse(format="turtle", data="<http://example.org/a> <http://example.org/p> 1 .")
    >>> [str(o) for o in with_target_nodes(data, shapes).objects(predicate=None) if "example.org/a" in str(o)]
    ['http://example.org/a']
    """
    import pyoxigraph
    from rdflib import RDF, Graph, URIRef

    from meakg.graph.build.dataset import converter, to_oxigraph

    sh = lambda name: URIRef(SH + name)  # noqa: E731
    targets = [(shape, target) for shape, target in shapes.subject_objects(sh("target"))
               if (target, RDF.type, sh("SPARQLTarget")) in shapes]
    if not targets:
        return shapes
    if store is None:
        store = pyoxigraph.Store()
        store.bulk_extend(pyoxigraph.Quad(*map(to_oxigraph, triple)) for triple in data)
    out = Graph()
    for prefix, namespace in shapes.namespaces():
        out.bind(prefix, namespace)
    skip = {target for _, target in targets}
    for s, p, o in shapes:
        if s in skip or (p == sh("target") and o in skip):
            continue
        out.add((s, p, o))
    term = converter()
    for shape, target in targets:
        query = prefixes(shapes, target) + str(shapes.value(target, sh("select")))
        for solution in store.query(query):
            node = solution["this"]
            if node is not None:
                out.add((shape, sh("targetNode"), term(node)))
    return out


def prefixes(shapes, node) -> str:
    """Return the PREFIX lines the sh:prefixes of *node* (a SPARQL target or constraint) declare."""
    from rdflib import URIRef

    lines = []
    for holder in shapes.objects(node, URIRef(SH + "prefixes")):
        for declaration in shapes.objects(holder, URIRef(SH + "declare")):
            prefix = shapes.value(declaration, URIRef(SH + "prefix"))
            namespace = shapes.value(declaration, URIRef(SH + "namespace"))
            lines.append(f"PREFIX {prefix}: <{namespace}>\n")
    return "".join(sorted(set(lines)))
