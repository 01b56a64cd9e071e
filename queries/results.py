"""Query answers in the formats other SPARQL tools read, written by pyoxigraph's own serializers.

SELECT and ASK answers: SPARQL 1.1 Query Results TSV and XML (as well as CSV and JSON, which
``queries.render`` writes). CONSTRUCT and DESCRIBE answers are RDF: Turtle (the project prefixes),
N-Triples, RDF/XML or JSON-LD. pyoxigraph serializes results only from a live answer, so a
materialised answer is replayed through ``VALUES`` on an empty store: the rows come back in
order, each term exactly as it was.

>>> import pyoxigraph
>>> from meakg.queries.catalogue import Result
>>> print(tsv(Result(("n",), ((pyoxigraph.Literal("4"),),))), end="")
?n
"4"
"""

from __future__ import annotations

import pyoxigraph

from meakg.ontology.errors import QueryError
from meakg.ontology.vocab import PREFIXES
from meakg.queries.catalogue import Result
from meakg.queries.engine import Term

RDF_FORMATS = {"turtle": pyoxigraph.RdfFormat.TURTLE, "ntriples": pyoxigraph.RdfFormat.N_TRIPLES,
               "xml": pyoxigraph.RdfFormat.RDF_XML, "jsonld": pyoxigraph.RdfFormat.JSON_LD}


def tsv(result: Result) -> str:
    """Return *result* in the SPARQL 1.1 Query Results TSV format (terms in SPARQL syntax)."""
    return (_replay(result).serialize(format=pyoxigraph.QueryResultsFormat.TSV) or b"").decode("utf-8")


def xml(result: Result) -> str:
    """Return *result* in the SPARQL Query Results XML format; RDF/XML for a CONSTRUCT or DESCRIBE answer.

    >>> from meakg.queries.catalogue import Result
    >>> xml(Result((), (), boolean=True))
    '<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#"><head></head><boolean>true</boolean></sparql>'
    """
    if result.triples is not None:
        return rdf(result, "xml")
    return (_replay(result).serialize(format=pyoxigraph.QueryResultsFormat.XML) or b"").decode("utf-8")


def rdf(result: Result, fmt: str = "turtle") -> str:
    """Return the triples of a CONSTRUCT or DESCRIBE answer as *fmt* (turtle, ntriples, xml, jsonld)."""
    if result.triples is None:
        raise QueryError(f"--format {fmt} is for CONSTRUCT and DESCRIBE queries, which answer with triples;"
                         " this query answers with rows (use table, csv, tsv, json, xml or markdown)")
    used = {p: ns for p, ns in PREFIXES.items() if any(ns in str(t) for t in result.triples)}
    prefixes = used if fmt in ("turtle", "xml") else None
    data = pyoxigraph.serialize(list(result.triples), format=RDF_FORMATS[fmt], prefixes=prefixes)
    return (data or b"").decode("utf-8")


def _replay(result: Result) -> pyoxigraph.QuerySolutions | pyoxigraph.QueryBoolean:
    if result.triples is not None:
        raise QueryError("this query answers with triples (CONSTRUCT or DESCRIBE): use --format turtle, ntriples, "
                         "xml or jsonld")
    if result.boolean is not None:
        text = "ASK {}" if result.boolean else "ASK { FILTER(false) }"
    elif not result.variables:
        text = "SELECT * WHERE {}"
    else:
        names = " ".join(f"?{v}" for v in result.variables)
        rows = " ".join("(" + " ".join("UNDEF" if t is None else _sparql(t) for t in row) + ")" for row in result.rows)
        text = f"SELECT {names} WHERE {{ VALUES ({names}) {{ {rows} }} }}"
    answer = pyoxigraph.Store().query(text)
    assert not isinstance(answer, pyoxigraph.QueryTriples)  # an ASK or a SELECT
    return answer


def _sparql(term: Term) -> str:
    if isinstance(term, pyoxigraph.BlankNode):
        raise QueryError("cannot write a blank node in TSV or XML results here; use --format json or csv")
    return str(term)  # N-Triples syntax, which SPARQL reads
