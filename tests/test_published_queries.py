"""The saved queries as published in the catalogue graph (sib-swiss style, SHACL prefixes and parameters): a partner
who reads them from the endpoint and runs them there, as SHACL says (the declared prefixes prepended), gets the rows
``meakg query`` gives with the defaults, and with another value once they change the VALUES row."""

import urllib.parse
import urllib.request

import pyoxigraph
import pytest

from meakg.graph.build.current import open_store
from meakg.graph.export.catalogue import QUERIES_GRAPH
from meakg.graph.serve.endpoint import start
from meakg.ontology.vocab import PREFIXES
from meakg.queries import catalogue
from meakg.queries.render import published

SH = "http://www.w3.org/ns/shacl#"
PUBLISHED = f"""PREFIX sh: <{SH}>
SELECT ?query ?form ?text ?prefixes WHERE {{ GRAPH <{QUERIES_GRAPH}> {{
  ?query a sh:SPARQLExecutable ; ?form ?text ; sh:prefixes ?prefixes .
  FILTER (?form IN (sh:select, sh:construct, sh:describe, sh:ask)) }} }}"""
DECLARED = f"""PREFIX sh: <{SH}>
SELECT ?prefix ?namespace WHERE {{ GRAPH <{QUERIES_GRAPH}> {{
  ?declarations sh:declare [ sh:prefix ?prefix ; sh:namespace ?namespace ] }} }} ORDER BY ?prefix"""
PARAMETERS = f"""PREFIX sh: <{SH}>
SELECT ?query ?name ?optional ?default ?kind ?datatype ?description WHERE {{ GRAPH <{QUERIES_GRAPH}> {{
  ?query sh:parameter ?p . ?p a sh:Parameter ; sh:path ?path ; sh:name ?name ; sh:optional ?optional .
  OPTIONAL {{ ?p sh:defaultValue ?default }} OPTIONAL {{ ?p sh:nodeKind ?kind }} OPTIONAL {{ ?p sh:datatype ?datatype }}
  OPTIONAL {{ ?p sh:description ?description }} FILTER (STRENDS(STR(?path), CONCAT("#", ?name))) }} }}"""
RESULTS = {"json": ("application/sparql-results+json", pyoxigraph.QueryResultsFormat.JSON),
           "nt": ("application/n-triples", pyoxigraph.RdfFormat.N_TRIPLES)}


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory):
    server = start(port=0, location=tmp_path_factory.mktemp("endpoint") / "store")
    yield server
    server.stop()


def ask(endpoint, text: str, kind: str = "json"):
    accept, fmt = RESULTS[kind]
    request = urllib.request.Request(endpoint.query_url, data=urllib.parse.urlencode({"query": text}).encode(),
                                     headers={"Accept": accept, "Content-Type": "application/x-www-form-urlencoded"})
    with urllib.request.urlopen(request, timeout=60) as answer:
        body = answer.read()
    if kind == "nt":
        return sorted(str(t) for t in pyoxigraph.parse(body, format=fmt))
    return pyoxigraph.parse_query_results(body, format=fmt)


def rows(results) -> list[tuple]:
    if isinstance(results, pyoxigraph.QueryBoolean):
        return [(bool(results),)]
    variables = results.variables
    return [tuple(solution[v] for v in variables) for solution in results]


@pytest.fixture(scope="module")
def catalogue_at_endpoint(endpoint) -> dict[str, tuple[str, str]]:
    """Every published query by name: (form, the text a SHACL processor runs: declared prefixes, then sh:select)."""
    declared = "".join(f"PREFIX {p.value}: <{n.value}>\n" for p, n in rows(ask(endpoint, DECLARED)))
    found = {}
    for query, form, text, _ in rows(ask(endpoint, PUBLISHED)):
        found[query.value.rsplit("/", 1)[1]] = (form.value.rsplit("#", 1)[1], declared + text.value)
    return found


def expected(name: str, params: dict[str, str] | None = None):
    result = catalogue.run(name, store=open_store(), params=params or {})
    if result.triples is not None:
        return sorted(str(t) for t in result.triples)
    if result.boolean is not None:
        return [(result.boolean,)]
    return [tuple(row) for row in result.rows]


def run_published(endpoint, form: str, text: str):
    if form in ("construct", "describe"):
        return ask(endpoint, text, "nt")
    return rows(ask(endpoint, text))


def test_every_saved_query_is_published_with_the_project_prefixes(catalogue_at_endpoint, endpoint):
    assert sorted(catalogue_at_endpoint) == catalogue.names()
    declared = {p.value: n.value for p, n in rows(ask(endpoint, DECLARED))}
    assert declared == PREFIXES


WITH_DEFAULTS = [n for n in catalogue.names() if not any(p.required for p in catalogue.load(n).params)]


@pytest.mark.parametrize("name", WITH_DEFAULTS)
def test_a_published_query_run_at_the_endpoint_gives_the_rows_of_meakg_query(name, catalogue_at_endpoint, endpoint):
    form, text = catalogue_at_endpoint[name]
    assert run_published(endpoint, form, text) == expected(name)


def test_instrument_profile_keeps_its_aewa_default(catalogue_at_endpoint, endpoint):
    _, text = catalogue_at_endpoint["instrument-profile"]
    answered = {row[0].value for row in run_published(endpoint, "select", text)}
    assert answered == {"AEWA"}


def test_changing_the_values_row_asks_for_another_value(catalogue_at_endpoint, endpoint):
    _, text = catalogue_at_endpoint["instrument-profile"]
    assert text.endswith('VALUES ?instrument { "AEWA" }\n')
    cms = text.replace('VALUES ?instrument { "AEWA" }', 'VALUES ?instrument { "Gorilla Agreement" }')
    assert run_published(endpoint, "select", cms) == expected("instrument-profile", {"instrument": "Gorilla Agreement"})


def test_a_required_parameter_is_published_unbound_and_binds_like_meakg_query(catalogue_at_endpoint, endpoint):
    required = [n for n in catalogue.names() if any(p.required for p in catalogue.load(n).params)]
    assert required == ["where-from"]
    _, text = catalogue_at_endpoint["where-from"]
    assert "VALUES" not in text.split("}")[-1]
    bound = text + "VALUES ?node { <https://w3id.org/meakg/id/instrument/aewa> }\n"
    assert run_published(endpoint, "select", bound) == expected("where-from", {"node": "inst:aewa"}) != []


def test_parameters_are_published_with_name_type_default_and_description(endpoint):
    params = {(q.value.rsplit("/", 1)[1], n.value): (o.value, d, k, t, desc)
              for q, n, o, d, k, t, desc in rows(ask(endpoint, PARAMETERS))}
    assert params[("instrument-profile", "instrument")] == (
        "true", pyoxigraph.Literal("AEWA"), None, pyoxigraph.NamedNode("http://www.w3.org/2001/XMLSchema#string"),
        pyoxigraph.Literal("an instrument's mea:acronym, e.g. AEWA, CMS, Gorilla Agreement", language="en"))
    plan = params[("target-alignment", "plan")]
    assert plan[:3] == ("true", pyoxigraph.NamedNode("https://w3id.org/meakg/id/plan/cbd-cms-joint-work-plan-2016-2018"),
                        pyoxigraph.NamedNode(SH + "IRI"))
    assert params[("where-from", "node")][:2] == ("false", None)
    assert params[("activities-for-target", "target")][:2] == ("true", None)  # optional, left unbound
    saved = {(q.name, p.name) for q in catalogue.list_queries() for p in q.params}
    assert set(params) == saved


def test_every_published_text_parses_alone_and_with_the_prefixes_prepended_in_two_engines(catalogue_at_endpoint):
    from rdflib.plugins.sparql import prepareQuery

    empty = pyoxigraph.Store()
    for name, (_, text) in catalogue_at_endpoint.items():
        for sparql in (text, published(catalogue.load(name))):
            empty.query(sparql)  # a syntax error raises
            prepareQuery(sparql)
