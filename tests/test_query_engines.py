"""Saved queries mean one thing on any engine: Oxigraph (meakg's store), rdflib's own engine and Comunica
(an engine of another family, from npm) give the same answer to every saved query, SELECT, ASK and
CONSTRUCT alike, over the same graph: the build's N-Quads with every named graph (the inferred one
included) merged into the default graph, as a partner loads our export.

Each query runs with its default parameters, with other values, and as written (parameters unbound,
header ignored: what another store runs). Parameters are bound the way each engine offers:
pyoxigraph's substitutions, rdflib's initBindings, Comunica's initialBindings. Answers are compared
as multisets of rows (numbers by value, whatever their datatype), graphs by isomorphism; not in order,
since Comunica orders strings by locale collation (JavaScript's localeCompare), SPARQL by code point.
Comunica runs once, all queries in one batch (``tests/npm/engines/sparql.mjs``).
"""

from __future__ import annotations

import importlib.util
import json
import re
from collections import Counter
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from meakg.graph.build.current import ensure_built, open_store
from meakg.queries import catalogue

SPEC = importlib.util.spec_from_file_location("other_engines", Path(__file__).with_name("other_engines.py"))
other_engines = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(other_engines)

ID = "https://w3id.org/meakg/id/"
XSD = "http://www.w3.org/2001/XMLSchema#"
NUMBERS = {XSD + name for name in ("integer", "decimal", "double", "float", "int", "long", "short", "byte",
                                   "nonNegativeInteger", "positiveInteger", "negativeInteger", "nonPositiveInteger",
                                   "unsignedInt", "unsignedLong", "unsignedShort", "unsignedByte")}
AS_WRITTEN = None   # no parameters bound, the header ignored

# Values beside the defaults: the cases each query was written for, and one step to the side of them.
OTHER_VALUES = {
    "activities-for-target": [{"target": "aichi:12"}, {"target": "ms:8"}],
    "gbf-targets-for-joint-activities": [{"gbfTarget": "gbf:16"}],
    "instrument-profile": [{"instrument": "Raptors"}, {"instrument": "EUROBATS"}, {"instrument": "CMS"}],
    "mentions": [{"named": "agent:unep"}],
    "target-alignment": [{"plan": ID + "plan/no-such-plan"}],
    "where-from": [  # one node of each kind: what each citation rule is for
        {"node": ID + "activity/cbd-cms-joint-work-plan-2016-2018/4.4"},   # listed in three rows
        {"node": "inst:aewa"},                                            # reference data, cited by documents
        {"node": "aichi:12"},                                             # inferred inverse and symmetric links
        {"node": ID + "agent/joint-cms-family-secretariat"},              # statements with nodes of their own
        {"node": ID + "locator/cbd-cms-joint-work-plan-2016-2018/row-7"},  # a locator
        {"node": ID + "selector/cbd-cms-joint-work-plan-2016-2018/row-7/quote"},
        {"node": ID + "document/cbd-cms-joint-work-plan-2016-2018"},
        {"node": "mea:JointActivity"},                                    # the ontology
        {"node": ID + "decision/cms-resolution-11.28"},                   # cited, with entailed types
    ],
}
# Too slow unbound on Comunica (minutes) and refused unbound by the catalogue: run with values only.
REQUIRED_ONLY = {"where-from"}


def cases() -> list[tuple[str, str, dict | None]]:
    """Return (query, case id, parameter values or AS_WRITTEN) for every saved query."""
    found = []
    for name in catalogue.names():
        query = catalogue.load(name)
        if not any(p.required for p in query.params):
            found.append((name, "defaults", {}))
        for number, values in enumerate(OTHER_VALUES.get(name, []), start=1):
            found.append((name, f"value-{number}", values))
        if query.params and name not in REQUIRED_ONLY:
            found.append((name, "as-written", AS_WRITTEN))
    return found


CASES = cases()


# ------------------------------------------------------------------------------------------------ one term, 3 engines

def number(lexical: str, datatype: str) -> tuple | None:
    try:
        return ("number", Decimal(lexical)) if datatype in NUMBERS else None
    except InvalidOperation:
        return None


def from_oxigraph(term) -> tuple | None:
    if term is None:
        return None
    if isinstance(term, pyoxigraph.NamedNode):
        return ("iri", term.value)
    if isinstance(term, pyoxigraph.BlankNode):
        return ("blank",)
    datatype = "" if term.language else term.datatype.value
    return number(term.value, datatype) or ("literal", term.value, term.language or "", datatype)


def from_rdflib(term) -> tuple | None:
    if term is None:
        return None
    if isinstance(term, URIRef):
        return ("iri", str(term))
    if isinstance(term, BNode):
        return ("blank",)
    datatype = str(term.datatype or ("" if term.language else XSD + "string"))
    return number(str(term), datatype) or ("literal", str(term), term.language or "", datatype)


def from_ntriples(text: str | None) -> tuple | None:
    """Read a term as sparql.mjs writes it: <iri>, _:b, or a JSON string with @lang or ^^<datatype>."""
    if text is None:
        return None
    if text.startswith("<"):
        return ("iri", text[1:-1])
    if text.startswith("_:"):
        return ("blank",)
    quoted, language, datatype = re.fullmatch(r'(".*")(?:@(\S+)|\^\^<(.*)>)', text, re.S).groups()
    value = json.loads(quoted)
    return number(value, datatype or "") or ("literal", value, language or "", "" if language else datatype)


# ------------------------------------------------------------------------------------------------ the answers

@pytest.fixture(scope="module")
def store():
    return open_store()


@pytest.fixture(scope="module")
def merged() -> Graph:
    """The build as a partner loads it into rdflib: every named graph's triples in one graph."""
    dataset = Dataset()
    dataset.parse(str(ensure_built()), format="nquads")
    graph = Graph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        graph.add((s, p, o))
    return graph


def bound(name: str, values: dict | None) -> dict:
    """Return the pyoxigraph terms to bind for *values* (defaults filled in); none for AS_WRITTEN."""
    return {} if values is AS_WRITTEN else catalogue.bind(catalogue.load(name), values)


def to_rdflib(term):
    if isinstance(term, pyoxigraph.NamedNode):
        return URIRef(term.value)
    # rdflib reads "AEWA" as a literal without datatype, and tells it from "AEWA"^^xsd:string
    plain = term.language or term.datatype.value == XSD + "string"
    return Literal(term.value, lang=term.language, datatype=None if plain else URIRef(term.datatype.value))


def answer_of_oxigraph(store, name: str, values: dict | None):
    query = catalogue.load(name)
    result = catalogue.execute(query.text, store=store, substitutions=bound(name, values), where=name)
    if result.boolean is not None:
        return result.boolean
    if result.triples is not None:
        return graph_of("\n".join(f"{t} ." for t in result.triples))
    return result.variables, Counter(tuple(from_oxigraph(t) for t in row) for row in result.rows)


def answer_of_rdflib(graph: Graph, name: str, values: dict | None):
    query = catalogue.load(name)
    result = graph.query(query.text, initBindings={k: to_rdflib(v) for k, v in bound(name, values).items()})
    if result.type == "ASK":
        return bool(result.askAnswer)
    if result.type == "CONSTRUCT":
        return graph_of(result.graph.serialize(format="nt"))
    variables = tuple(str(v) for v in result.vars)
    return variables, Counter(tuple(from_rdflib(row[v]) for v in variables) for row in result)


def answer_of_comunica(answer: dict):
    assert "error" not in answer, answer["error"]
    if "boolean" in answer:
        return answer["boolean"]
    if "triples" in answer:
        return graph_of("\n".join(" ".join(triple) + " ." for triple in answer["triples"]))
    return tuple(answer["variables"]), Counter(tuple(from_ntriples(t) for t in row) for row in answer["rows"])


def graph_of(ntriples: str) -> Graph:
    """Return the triples as an rdflib graph, "x"^^xsd:string read as "x" (the same literal in RDF 1.1)."""
    graph = Graph()
    for s, p, o in Graph().parse(data=ntriples, format="nt"):
        plain = isinstance(o, Literal) and o.datatype == URIRef(XSD + "string")
        graph.add((s, p, Literal(str(o)) if plain else o))
    return graph


@pytest.fixture(scope="module")
def comunica(store) -> dict:
    """Comunica's answers to every case, by case id: one Node process for the whole batch."""
    batch = [{"id": f"{name}/{case}", "text": catalogue.load(name).text,
              "bindings": {k: other_engines.as_json(v) for k, v in bound(name, values).items()}}
             for name, case, values in CASES]
    return other_engines.comunica(ensure_built(), batch)


def same(left, right) -> bool:
    if isinstance(left, Graph):
        return isomorphic(left, right)
    return left == right


# ------------------------------------------------------------------------------------------------ the tests

@pytest.mark.parametrize(("name", "case", "values"), CASES, ids=[f"{n}-{c}" for n, c, _ in CASES])
def test_saved_query_gives_the_same_answer_on_oxigraph_rdflib_and_comunica(name, case, values, store, merged, comunica):
    oxigraph = answer_of_oxigraph(store, name, values)
    assert same(answer_of_comunica(comunica[f"{name}/{case}"]), oxigraph), "Comunica differs from Oxigraph"
    assert same(answer_of_rdflib(merged, name, values), oxigraph), "rdflib differs from Oxigraph"
    if case == "defaults":
        assert oxigraph if isinstance(oxigraph, (bool, Graph)) else oxigraph[1], "every query answers on the real graph"


def test_every_saved_query_is_run_with_its_defaults_and_another_value():
    run = {(name, case == "defaults" or case == "as-written") for name, case, _ in CASES}
    for name in catalogue.names():
        query = catalogue.load(name)
        assert (name, True) in run or name in REQUIRED_ONLY, name
        if query.params:
            assert (name, False) in run, f"{name} has parameters: give it another value in OTHER_VALUES"


def test_a_difference_between_engines_is_caught():
    # numbers by value whatever their datatype: 12.5 and 12.50 are equal, 12.5 and 13 are not
    decimal = pyoxigraph.NamedNode(XSD + "decimal")
    assert from_ntriples(f'"12.50"^^<{XSD}decimal>') == from_oxigraph(pyoxigraph.Literal("12.5", datatype=decimal))
    assert from_ntriples(f'"12.5"^^<{XSD}double>') == from_rdflib(Literal("12.5", datatype=URIRef(XSD + "decimal")))
    assert from_ntriples(f'"13"^^<{XSD}integer>') != from_rdflib(Literal("12.5", datatype=URIRef(XSD + "decimal")))
    assert from_ntriples('"AEWA"@en') != from_rdflib(Literal("AEWA"))
    plain = from_ntriples(f'"AEWA"^^<{XSD}string>')
    assert plain == from_rdflib(Literal("AEWA")) == from_oxigraph(pyoxigraph.Literal("AEWA"))
    assert not same(graph_of("<urn:a> <urn:p> <urn:b> ."), graph_of("<urn:a> <urn:p> <urn:c> ."))


def test_without_the_npm_engines_the_test_fails_saying_how_to_install_them(monkeypatch, tmp_path):
    monkeypatch.setattr(other_engines, "ENGINES", tmp_path)   # a folder without node_modules
    with pytest.raises(pytest.fail.Exception, match=r"run `python tests/install_tools.py`"):
        other_engines.comunica(tmp_path / "meakg.nq", [])
