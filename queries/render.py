"""Render query answers (table, CSV, SPARQL 1.1 JSON, Markdown) and the catalogue (table, Markdown, Turtle).

CSV follows SPARQL 1.1 Query Results CSV (full IRIs, lexical forms, CRLF line ends); JSON is the
SPARQL 1.1 Query Results JSON format; the table and Markdown show IRIs as project CURIEs.
The catalogue in Turtle describes each query the way SPARQL endpoints publish their examples
(sib-swiss/sparql-examples): ``sh:SPARQLExecutable`` and ``sh:SPARQLSelectExecutable`` with the
query text in ``sh:select``.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import textwrap
from collections.abc import Iterable, Sequence
from enum import StrEnum

import pyoxigraph

from meakg.ontology.errors import QueryError
from meakg.ontology.vocab import PREFIXES, curie
from meakg.queries.catalogue import Result
from meakg.queries.engine import Term
from meakg.queries.header import QUERY_BASE, Param, ParamType, SavedQuery, to_term

# when the output is not a terminal (COLUMNS still counts); csv, json, markdown keep lines whole
TERMINAL_WIDTH = 100
MIN_COLUMN = 8            # no column is narrowed below this (or its header)
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

# a triple of the published catalogue (pyoxigraph.Triple takes these three)
RdfTriple = tuple[pyoxigraph.NamedNode, pyoxigraph.NamedNode, pyoxigraph.NamedNode | pyoxigraph.Literal]


class OutputFormat(StrEnum):
    """How ``meakg query`` prints an answer."""

    TABLE = "table"
    CSV = "csv"
    TSV = "tsv"
    JSON = "json"
    XML = "xml"
    MARKDOWN = "markdown"
    TURTLE = "turtle"
    NTRIPLES = "ntriples"
    JSONLD = "jsonld"


class CatalogueFormat(StrEnum):
    """How ``meakg queries`` prints the catalogue."""

    TABLE = "table"
    MARKDOWN = "markdown"
    TURTLE = "turtle"


def short(term: Term | None) -> str:
    """Return *term* for people: an IRI as a project CURIE where one fits, a literal by its lexical form.

    >>> short(pyoxigraph.NamedNode("https://w3id.org/meakg/id/target/aichi/12"))
    'aichi:12'
    >>> short(pyoxigraph.Literal("45000", datatype=pyoxigraph.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")))
    '45000'
    """
    if term is None:
        return ""
    if isinstance(term, pyoxigraph.NamedNode):
        return curie(term.value) or term.value
    if isinstance(term, pyoxigraph.BlankNode):
        return f"_:{term.value}"
    return term.value


def render(result: Result, fmt: OutputFormat | str = OutputFormat.TABLE) -> str:
    """Return *result* in *fmt*: table, csv, tsv, json, xml or markdown; turtle, ntriples, xml or jsonld for triples.

    >>> print(render(Result(("n",), ((pyoxigraph.Literal("4"),),)), "markdown"))
    | n |
    |---|
    | 4 |
    """
    fmt = OutputFormat(fmt)
    from meakg.queries import results

    if fmt in (OutputFormat.TSV, OutputFormat.XML):
        return results.tsv(result) if fmt is OutputFormat.TSV else results.xml(result)
    if result.triples is not None:  # CONSTRUCT or DESCRIBE: RDF, Turtle where a table was asked for
        if fmt in (OutputFormat.CSV, OutputFormat.JSON):
            raise QueryError(f"--format {fmt.value} is for rows; this query answers with triples (CONSTRUCT or "
                             "DESCRIBE): use turtle, ntriples, xml or jsonld")
        return results.rdf(result, fmt.value if fmt.value in results.RDF_FORMATS else "turtle")
    if fmt in (OutputFormat.TURTLE, OutputFormat.NTRIPLES, OutputFormat.JSONLD):
        return results.rdf(result, fmt.value)
    return {OutputFormat.TABLE: table, OutputFormat.CSV: to_csv, OutputFormat.JSON: to_json,
            OutputFormat.MARKDOWN: markdown}[fmt](result)


def table(result: Result, width: int | None = None) -> str:
    """Return *result* as an aligned text table with a row count, fitting *width* columns (the terminal's).

    Columns wider than their share are narrowed, widest first, and their cells wrap onto further
    lines; IRIs show as CURIEs.

    >>> print(table(Result(("n",), ((pyoxigraph.Literal("4"),),))))
    n
    -
    4
    (1 row)
    >>> print(table(Result(("n", "text"), ((pyoxigraph.Literal("4"), pyoxigraph.Literal("a b c d e f g h")),)),
    ...             width=12))
    n  text
    -  ---------
    4  a b c d e
       f g h
    (1 row)
    """
    if result.boolean is not None:
        return "true" if result.boolean else "false"
    cells = [[" ".join(short(t).split()) for t in row] for row in result.rows]
    lines = _grid(result.variables, cells, width)
    lines.append(f"({len(cells)} row{'' if len(cells) == 1 else 's'})")
    return "\n".join(lines)


def _grid(headers: Sequence[str], cells: list[list[str]], width: int | None, *, rule: bool = True,
          keep: tuple[int, ...] = ()) -> list[str]:
    """Return the lines of an aligned table of *cells* under *headers*, fitting *width* (the terminal's), cells
    wrapped; the columns in *keep* (names to copy) are never narrowed."""
    width = width or shutil.get_terminal_size((TERMINAL_WIDTH, 24)).columns
    natural = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(headers)]
    floors = [n if i in keep else len(h) for i, (h, n) in enumerate(zip(headers, natural, strict=True))]
    widths = _fit(natural, floors, width)
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    if rule:
        lines.append("  ".join("-" * w for w in widths))
    for row in cells:
        wrapped = [textwrap.wrap(c, w, break_on_hyphens=False) or [""] for c, w in zip(row, widths, strict=True)]
        for n in range(max(map(len, wrapped), default=1)):
            parts = ((part[n] if n < len(part) else "").ljust(w) for part, w in zip(wrapped, widths, strict=True))
            lines.append("  ".join(parts).rstrip())
    return lines


def _fit(widths: list[int], headers: list[int], total: int) -> list[int]:
    """Return column widths that fit *total* characters (two spaces between columns), narrowing the widest first.

    >>> _fit([4, 40, 10], [1, 4, 5], 30)
    [4, 12, 10]
    """
    widths = list(widths)
    room = total - 2 * (len(widths) - 1)
    floor = [max(h, min(w, MIN_COLUMN)) for w, h in zip(widths, headers, strict=True)]
    while sum(widths) > room:
        i = max(range(len(widths)), key=lambda k: (widths[k] - floor[k] > 0, widths[k]))
        if widths[i] <= floor[i]:
            break  # every column at its floor: the table is wider than the terminal
        widths[i] -= 1
    return widths


def to_csv(result: Result) -> str:
    r"""Return *result* in the SPARQL 1.1 CSV results format (CRLF line ends).

    >>> to_csv(Result(("t",), ((pyoxigraph.NamedNode("https://w3id.org/meakg/id/target/ms/8"),),)))
    't\r\nhttps://w3id.org/meakg/id/target/ms/8\r\n'
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    if result.boolean is not None:
        writer.writerow(["boolean"])
        writer.writerow(["true" if result.boolean else "false"])
        return out.getvalue()
    writer.writerow(result.variables)
    for row in result.rows:
        writer.writerow(["" if t is None else (f"_:{t.value}" if isinstance(t, pyoxigraph.BlankNode) else t.value)
                         for t in row])
    return out.getvalue()


def to_json(result: Result) -> str:
    """Return *result* in the SPARQL 1.1 Query Results JSON format.

    >>> print(to_json(Result(("t",), ((pyoxigraph.NamedNode("https://w3id.org/meakg/id/target/ms/8"),),))))
    {"head": {"vars": ["t"]}, "results": {"bindings": [{"t": {"type": "uri", "value": "https://w3id.org/meakg/id/target/ms/8"}}]}}
    """
    if result.boolean is not None:
        return json.dumps({"head": {}, "boolean": result.boolean})
    bindings = [{v: _json_term(t) for v, t in zip(result.variables, row, strict=True) if t is not None}
                for row in result.rows]
    return json.dumps({"head": {"vars": list(result.variables)}, "results": {"bindings": bindings}}, ensure_ascii=False)


def _json_term(term: Term) -> dict[str, str]:
    if isinstance(term, pyoxigraph.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, pyoxigraph.BlankNode):
        return {"type": "bnode", "value": term.value}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value not in (_XSD_STRING, _RDF_LANG_STRING):
        out["datatype"] = term.datatype.value
    return out


def markdown(result: Result) -> str:
    """Return *result* as a Markdown table (IRIs as CURIEs, '|' escaped, full text kept)."""
    if result.boolean is not None:
        return "true" if result.boolean else "false"
    lines = ["| " + " | ".join(result.variables) + " |", "|" + "---|" * len(result.variables)]
    lines += ["| " + " | ".join(_md(short(t)) for t in row) + " |" for row in result.rows]
    return "\n".join(lines)


def _md(text: str) -> str:
    return " ".join(text.replace("|", "\\|").split())


# ---------------------------------------------------------------------------------------- the catalogue

def param_summary(query: SavedQuery) -> str:
    """Return the parameters of *query* as ``name (type, default ...)``, comma-separated.

    >>> from meakg.queries.catalogue import load
    >>> param_summary(load("instrument-profile"))
    'instrument (literal, default AEWA)'
    """
    parts = []
    for p in query.params:
        if p.required:
            parts.append(f"{p.name} ({p.type.value}, required)")
        elif p.default is None:
            parts.append(f"{p.name} ({p.type.value}, optional)")
        else:
            parts.append(f"{p.name} ({p.type.value}, default {p.default})")
    return ", ".join(parts)


def catalogue(queries: Iterable[SavedQuery], fmt: CatalogueFormat | str = CatalogueFormat.TABLE, *,
              target: str | None = None, width: int | None = None) -> str:
    """Return the catalogue of *queries*: name, title and parameters, fitting *width* (or RDF, for *fmt* 'turtle')."""
    fmt = CatalogueFormat(fmt)
    queries = list(queries)
    if fmt is CatalogueFormat.TURTLE:
        return turtle(queries, target=target)
    rows = tuple((pyoxigraph.Literal(q.name), pyoxigraph.Literal(q.title), pyoxigraph.Literal(param_summary(q)))
                 for q in queries)
    result = Result(("name", "title", "parameters"), rows)
    if fmt is CatalogueFormat.MARKDOWN:
        return markdown(result)
    return "\n".join(_grid(("NAME", "TITLE", "PARAMETERS"), [[q.name, q.title, param_summary(q)] for q in queries],
                            width, rule=False, keep=(0,)))


def published(query: SavedQuery) -> str:
    """Return the text *query* is published with: its SPARQL without the header, and a trailing VALUES clause
    binding each parameter that has a default, so the text run as it is answers as ``meakg query`` does.

    A parameter is projected (pyoxigraph substitutes only projected variables), so joining the answer
    with its value keeps exactly the rows of that value; to ask for another, change the VALUES row.

    >>> from meakg.queries.catalogue import load
    >>> published(load("instrument-profile")).splitlines()[-1]
    'VALUES ?instrument { "AEWA" }'
    >>> published(load("citations")) == load("citations").sparql
    True
    """
    bound = [(p.name, str(to_term(p, p.default))) for p in query.params if p.default is not None]
    if not bound:
        return query.sparql
    if len(bound) == 1:
        values = f"VALUES ?{bound[0][0]} {{ {bound[0][1]} }}"
    else:
        values = f"VALUES ({' '.join('?' + n for n, _ in bound)}) {{ ({' '.join(t for _, t in bound)}) }}"
    return query.sparql.rstrip("\n") + "\n" + values + "\n"


def turtle(queries: Iterable[SavedQuery], *, target: str | None = None) -> str:
    """Return the catalogue as Turtle, one ``sh:SPARQLSelectExecutable`` per query (sib-swiss style);
    CONSTRUCT and DESCRIBE queries are ``sh:SPARQLConstructExecutable`` (``sh:construct``) and
    ``sh:SPARQLDescribeExecutable`` (``sh:describe``, SHACL 1.2).

    Each query's text is ``published`` (defaults bound), its ``sh:prefixes`` the catalogue node
    ``https://w3id.org/meakg/query/`` declaring the project prefixes (``sh:declare``, as SHACL-SPARQL
    asks), and each parameter an ``sh:Parameter`` (SHACL Advanced Features): ``sh:name``,
    ``sh:description``, the type as ``sh:nodeKind sh:IRI`` or ``sh:datatype``, ``sh:defaultValue``,
    ``sh:optional``, ``sh:order``.

    >>> from meakg.queries.catalogue import load
    >>> text = turtle([load("citations")])
    >>> "<https://w3id.org/meakg/query/citations> a sh:SPARQLExecutable , sh:SPARQLSelectExecutable" in text
    True
    """
    NN, L = pyoxigraph.NamedNode, pyoxigraph.Literal
    rdf, rdfs, sh, schema, dcterms = (PREFIXES[p] for p in ("rdf", "rdfs", "sh", "schema", "dcterms"))
    catalogue_node = NN(QUERY_BASE)
    triples = list(_prefix_declarations(catalogue_node))
    for q in sorted(queries, key=lambda q: q.name):
        node = NN(QUERY_BASE + q.name)
        kind = {"select": "Select", "ask": "Ask", "construct": "Construct", "describe": "Describe"}[q.form]
        triples += [
            (node, NN(rdf + "type"), NN(sh + "SPARQLExecutable")),
            (node, NN(rdf + "type"), NN(sh + f"SPARQL{kind}Executable")),
            (node, NN(rdfs + "label"), L(q.title, language="en")),
            (node, NN(rdfs + "comment"), L(q.description, language="en")),
            (node, NN(dcterms + "identifier"), L(q.name)),
            (node, NN(sh + q.form), L(published(q))),
            (node, NN(sh + "prefixes"), catalogue_node),
        ]
        triples += [(node, NN(schema + "keywords"), L(tag)) for tag in q.tags]
        if target:
            triples.append((node, NN(schema + "target"), NN(target)))
        for order, param in enumerate(q.params, start=1):
            triples += _parameter(node, param, order)
    prefixes = {p: PREFIXES[p] for p in ("dcterms", "owl", "rdf", "rdfs", "schema", "sh", "xsd")}
    data = pyoxigraph.serialize([pyoxigraph.Triple(*t) for t in triples], format=pyoxigraph.RdfFormat.TURTLE,
                                prefixes=prefixes)
    return (data or b"").decode("utf-8")


def _prefix_declarations(catalogue_node: pyoxigraph.NamedNode) -> Iterable[RdfTriple]:
    """Yield the catalogue node as an owl:Ontology declaring every project prefix (``sh:declare``)."""
    NN, L = pyoxigraph.NamedNode, pyoxigraph.Literal
    sh, xsd = PREFIXES["sh"], PREFIXES["xsd"]
    yield catalogue_node, NN(PREFIXES["rdf"] + "type"), NN(PREFIXES["owl"] + "Ontology")
    declarations = {prefix: NN(f"{QUERY_BASE}#prefix-{prefix}") for prefix in sorted(PREFIXES)}  # '-': no clash
    for declaration in declarations.values():                                        # with a parameter's path
        yield catalogue_node, NN(sh + "declare"), declaration
    for prefix, declaration in declarations.items():
        namespace = PREFIXES[prefix]
        yield declaration, NN(sh + "prefix"), L(prefix)
        yield declaration, NN(sh + "namespace"), L(namespace, datatype=NN(xsd + "anyURI"))


def _parameter(query_node: pyoxigraph.NamedNode, param: Param, order: int) -> list[RdfTriple]:
    """Return the triples of *param* as an sh:Parameter of *query_node*; its sh:path's local name is the variable."""
    NN, L = pyoxigraph.NamedNode, pyoxigraph.Literal
    rdf, sh, xsd = PREFIXES["rdf"], PREFIXES["sh"], PREFIXES["xsd"]
    node = NN(f"{query_node.value}#{param.name}")
    triples: list[RdfTriple] = [
        (query_node, NN(sh + "parameter"), node),
        (node, NN(rdf + "type"), NN(sh + "Parameter")),
        (node, NN(sh + "path"), NN(f"{QUERY_BASE}#{param.name}")),
        (node, NN(sh + "name"), L(param.name)),
        (node, NN(sh + "optional"), L("false" if param.required else "true", datatype=NN(xsd + "boolean"))),
        (node, NN(sh + "order"), L(str(order), datatype=NN(xsd + "integer"))),
    ]
    if param.type is ParamType.IRI:
        triples.append((node, NN(sh + "nodeKind"), NN(sh + "IRI")))
    else:
        datatype = "integer" if param.type is ParamType.INTEGER else "string"
        triples.append((node, NN(sh + "datatype"), NN(xsd + datatype)))
    if param.doc:
        triples.append((node, NN(sh + "description"), L(param.doc, language="en")))
    if param.default is not None:
        triples.append((node, NN(sh + "defaultValue"), to_term(param, param.default)))
    return triples
