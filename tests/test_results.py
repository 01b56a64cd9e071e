"""Answers in every SPARQL results format, RDF for CONSTRUCT and DESCRIBE, warnings for values the graph lacks."""

import io
import subprocess
import sys
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import Graph
from rdflib.query import Result as RdflibResult

from meakg.graph.build.current import open_store
from meakg.queries import catalogue
from meakg.queries.render import render

ROOT = Path(__file__).resolve().parent.parent


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "meakg", *args], cwd=ROOT, capture_output=True, text=True,
                          encoding="utf-8")


@pytest.fixture(scope="module")
def answer():
    return catalogue.run("target-alignment", store=open_store())


@pytest.mark.parametrize("fmt", ["tsv", "xml", "csv", "json"])
def test_results_parse_with_a_sparql_results_parser_to_the_same_rows(fmt, answer):
    text = render(answer, fmt)
    parsed = RdflibResult.parse(io.BytesIO(text.encode("utf-8")), format=fmt)
    assert [str(v) for v in parsed.vars] == list(answer.variables)
    assert [tuple(str(row[v]) for v in parsed.vars) for row in parsed] == [tuple(r) for r in answer.values()]


@pytest.mark.parametrize("fmt", ["tsv", "xml"])
def test_pyoxigraph_reads_its_own_results_back(fmt, answer):
    text = render(answer, fmt)
    back = pyoxigraph.parse_query_results(text.encode("utf-8"),
                                          format=getattr(pyoxigraph.QueryResultsFormat, fmt.upper()))
    assert [tuple(row[v] for v in back.variables) for row in back] == [tuple(r) for r in answer.rows]


def test_ask_answers_as_xml_and_tsv():
    result = catalogue.run_text("ASK { aichi:12 skos:exactMatch cbdterm:AICHI-TARGET-12 }", store=open_store())
    assert render(result, "xml").endswith("<boolean>true</boolean></sparql>")
    assert bool(RdflibResult.parse(io.BytesIO(render(result, "xml").encode()), format="xml")) is True


def test_cli_construct_returns_turtle():
    done = run_cli("sparql", "CONSTRUCT WHERE { gbf:6 skos:relatedMatch ?aichi }")
    assert done.returncode == 0, done.stderr
    assert set(Graph().parse(data=done.stdout, format="turtle")) == {(
        pyoxigraph_iri("https://w3id.org/meakg/id/target/gbf/6"),
        pyoxigraph_iri("http://www.w3.org/2004/02/skos/core#relatedMatch"),
        pyoxigraph_iri("https://w3id.org/meakg/id/target/aichi/9"))}
    assert "gbf:6 skos:relatedMatch aichi:9 ." in done.stdout


def pyoxigraph_iri(value):
    from rdflib import URIRef

    return URIRef(value)


def test_cli_describe_as_ntriples():
    done = run_cli("sparql", "DESCRIBE inst:aewa", "--format", "ntriples")
    assert done.returncode == 0, done.stderr
    assert ("<https://w3id.org/meakg/id/instrument/aewa> <https://schema.org/sameAs> "
            "<https://www.informea.org/treaties/aewa> .") in done.stdout.splitlines()


def test_cli_saved_construct_query_answers_rdf():
    done = run_cli("query", "published-mappings-as-skos", "--format", "ntriples")
    assert done.returncode == 0, done.stderr
    # relatedMatch, and each mapping node: type, from, to, source, words
    assert len(Graph().parse(data=done.stdout, format="nt")) == 16 + 16 * 5


def test_csv_for_a_construct_is_refused_with_the_formats_that_fit():
    done = run_cli("sparql", "CONSTRUCT WHERE { gbf:6 ?p ?o }", "--format", "csv")
    assert done.returncode == 2
    assert done.stderr == ("Error: --format csv is for rows; this query answers with triples (CONSTRUCT or DESCRIBE):"
                           " use turtle, ntriples, xml or jsonld\n")


def test_unknown_target_warns_with_the_closest_targets():
    done = run_cli("query", "activities-for-target", "-p", "target=aichi:99", "--format", "csv")
    assert done.returncode == 0
    assert done.stdout == "target,activity,notation,label,plan,locator\n"
    assert done.stderr == ("Warning: parameter 'target': the graph holds no aichi:99; "
                           "closest: aichi:9, aichi:19, aichi:8\n")


def test_acronym_in_the_wrong_case_warns_with_the_right_one():
    done = run_cli("query", "instrument-profile", "-p", "instrument=aewa", "--format", "csv")
    assert done.stderr == "Warning: parameter 'instrument': nothing in the graph is named 'aewa'; closest: 'AEWA'\n"


def test_a_value_the_graph_holds_gives_no_warning():
    done = run_cli("query", "activities-for-target", "-p", "target=aichi:12", "--format", "csv")
    assert done.returncode == 0 and done.stderr == ""


def test_version():
    done = run_cli("--version")
    assert done.returncode == 0 and done.stdout.startswith("meakg 0.")
