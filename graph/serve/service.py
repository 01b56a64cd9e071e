"""The endpoint's SPARQL 1.1 Service Description (``sd:Service``), saying what this endpoint does and no more.

Oxigraph's own description was generic: it announced ``sd:BasicFederatedQuery`` (which the endpoint
refuses) and simple entailment (though the default graph holds the OWL 2 RL closure). This one lists
the query language, the result formats the endpoint writes, the default graph (the merge of the named
graphs, the OWL 2 RL closure included: ``sd:UnionDefaultGraph``, entailment regime OWL RDF-Based with
the RL profile, materialised at build time) and each named graph with its triple count, and states
the limits in words (no vocabulary has terms for them). Federation is announced only when allowed.

>>> text = turtle(description("http://127.0.0.1:7878/query", {None: 10, "https://w3id.org/meakg/graph/x": 10},
...                           timeout=30, max_bytes=1000, max_concurrent=4, federation=False))
>>> "sd:UnionDefaultGraph" in text, "BasicFederatedQuery" in text
(True, False)
"""

from __future__ import annotations

import pyoxigraph

from meakg.queries.limits import MAX_QUERY_CHARS

SD = "http://www.w3.org/ns/sparql-service-description#"
FORMATS = "http://www.w3.org/ns/formats/"
RESULT_FORMATS = ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                  "Turtle", "N-Triples", "JSON-LD", "RDF_XML")
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
VOID_TRIPLES = "http://rdfs.org/ns/void#triples"
COMMENT = "http://www.w3.org/2000/01/rdf-schema#comment"
SEE_ALSO = "http://www.w3.org/2000/01/rdf-schema#seeAlso"
PREFIXES = {"sd": SD, "formats": FORMATS, "void": "http://rdfs.org/ns/void#",
            "rdfs": "http://www.w3.org/2000/01/rdf-schema#", "xsd": "http://www.w3.org/2001/XMLSchema#"}
XSD_INTEGER = pyoxigraph.NamedNode("http://www.w3.org/2001/XMLSchema#integer")


def description(query_url: str, counts: dict[str | None, int], *, timeout: float, max_bytes: int,
                max_concurrent: int, federation: bool) -> list[pyoxigraph.Triple]:
    """Return the service description of the endpoint at *query_url*; *counts* maps each named graph
    (None: the default graph) to its triple count."""
    service = pyoxigraph.NamedNode(query_url)
    triples = []

    def add(s, p, o):
        triples.append(pyoxigraph.Triple(s, pyoxigraph.NamedNode(p), o))

    def iri(value):
        return pyoxigraph.NamedNode(value)

    add(service, RDF_TYPE, iri(SD + "Service"))
    add(service, SD + "endpoint", service)
    add(service, SD + "supportedLanguage", iri(SD + "SPARQL11Query"))
    for name in RESULT_FORMATS:
        add(service, SD + "resultFormat", iri(FORMATS + name))
    add(service, SD + "feature", iri(SD + "UnionDefaultGraph"))
    if federation:
        add(service, SD + "feature", iri(SD + "BasicFederatedQuery"))
    add(service, SD + "defaultEntailmentRegime", iri("http://www.w3.org/ns/entailment/OWL-RDF-Based"))
    add(service, SD + "defaultSupportedEntailmentProfile", iri("http://www.w3.org/ns/owl-profile/RL"))
    add(service, SEE_ALSO, iri(query_url.rsplit("/", 1)[0] + "/.well-known/void"))
    add(service, COMMENT, pyoxigraph.Literal(
        "Read-only: SPARQL 1.1 queries (SELECT, ASK, CONSTRUCT, DESCRIBE) by GET or POST; updates and uploads are "
        "refused (HTTP 403). The default graph is the merge of the named graphs, each triple once, including the "
        "OWL 2 RL closure materialised at build time (graph <https://w3id.org/meakg/graph/inferred>), so queries "
        f"see RL entailments without reasoning at query time. Limits: a query of at most {MAX_QUERY_CHARS:,} "
        f"characters; {timeout:g} s per query, waiting included (else HTTP 503); answers of at most {max_bytes:,} "
        f"bytes (else HTTP 503); {max_concurrent} queries at once, the others wait their turn. SERVICE (federated "
        + ("query) is allowed." if federation else "query) is refused: the query engine has no network access."),
        language="en"))
    dataset = pyoxigraph.BlankNode("dataset")
    add(service, SD + "defaultDataset", dataset)
    add(dataset, RDF_TYPE, iri(SD + "Dataset"))
    default = pyoxigraph.BlankNode("default-graph")
    add(dataset, SD + "defaultGraph", default)
    add(default, RDF_TYPE, iri(SD + "Graph"))
    add(default, VOID_TRIPLES, pyoxigraph.Literal(str(counts.get(None, 0)), datatype=XSD_INTEGER))
    add(default, COMMENT, pyoxigraph.Literal("The merge of the named graphs, each triple once.", language="en"))
    for number, name in enumerate(sorted(g for g in counts if g is not None), 1):
        named, graph = pyoxigraph.BlankNode(f"named-{number}"), pyoxigraph.BlankNode(f"graph-{number}")
        add(dataset, SD + "namedGraph", named)
        add(named, RDF_TYPE, iri(SD + "NamedGraph"))
        add(named, SD + "name", iri(name))
        add(named, SD + "graph", graph)
        add(graph, RDF_TYPE, iri(SD + "Graph"))
        add(graph, VOID_TRIPLES, pyoxigraph.Literal(str(counts[name]), datatype=XSD_INTEGER))
    return triples


def serialize(triples: list[pyoxigraph.Triple], fmt: str) -> bytes:
    """Return *triples* in *fmt* (turtle, ntriples, jsonld, rdfxml), with the prefixes above where it has them."""
    formats = {"turtle": pyoxigraph.RdfFormat.TURTLE, "ntriples": pyoxigraph.RdfFormat.N_TRIPLES,
               "jsonld": pyoxigraph.RdfFormat.JSON_LD, "rdfxml": pyoxigraph.RdfFormat.RDF_XML}
    prefixes = PREFIXES if fmt in ("turtle", "rdfxml") else None
    return pyoxigraph.serialize(triples, format=formats[fmt], prefixes=prefixes) or b""


def turtle(triples: list[pyoxigraph.Triple]) -> str:
    """Return *triples* as Turtle text."""
    return serialize(triples, "turtle").decode("utf-8")
