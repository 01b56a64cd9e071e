"""The SPARQL endpoint: Oxigraph's server over the build, queried over HTTP, read-only, stopped cleanly."""

import csv
import io
import json
import queue
import signal
import subprocess
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from graph.describe import DATASET, DESCRIPTION
from graph.export import choose, load
from graph.serve import free_port, start
from ontology.vocab import thing

ROOT = Path(__file__).resolve().parent.parent
PLAN = thing("plan", "cbd-cms-joint-work-plan-2016-2018")
SAVED_QUERY = ROOT / "queries" / "target-alignment.rq"
# Until the catalogue's target-alignment.rq exists, a query of our own answering the same question.
OWN_QUERY = """PREFIX mea: <https://w3id.org/meakg/ontology#>
SELECT ?msTarget ?aichiTarget ?plan WHERE {
  ?alignment a mea:TargetAlignment ; mea:inPlan ?plan ; mea:sourceTarget ?msTarget ; mea:alignedTarget ?aichiTarget .
} ORDER BY ?msTarget ?aichiTarget"""
QUERY = SAVED_QUERY.read_text(encoding="utf-8") if SAVED_QUERY.exists() else OWN_QUERY


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    handle = start(port=0, location=tmp_path_factory.mktemp("oxigraph") / "store", timeout=30)
    yield handle
    handle.stop()


def request(url, *, data=None, method=None, headers=None):
    """Return (status, content type, body text) of an HTTP request, errors included."""
    req = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=30) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read().decode("utf-8")
    except urllib.error.HTTPError as err:
        return err.code, err.headers.get("Content-Type", ""), err.read().decode("utf-8", "replace")


def get(server, query, accept):
    return request(server.query_url + "?" + urllib.parse.urlencode({"query": query}), headers={"Accept": accept})


def json_rows(body):
    data = json.loads(body)
    return data["head"]["vars"], [{k: v["value"] for k, v in b.items()} for b in data["results"]["bindings"]]


def test_server_listens_on_loopback_and_reports_its_query_url(server):
    assert server.host == "127.0.0.1"
    assert server.query_url == f"http://127.0.0.1:{server.port}/query"
    assert "serve-read-only" in server.command
    assert server.command[server.command.index("--timeout-s") + 1] == "30"


def test_get_query_returns_json_results_with_the_19_alignments_of_the_plan(server):
    status, content_type, body = get(server, QUERY, "application/sparql-results+json")
    assert status == 200 and content_type.startswith("application/sparql-results+json")
    variables, rows = json_rows(body)
    assert {"msTarget", "aichiTarget", "plan"} <= set(variables)
    assert len([row for row in rows if row["plan"] == PLAN]) == 19


def test_default_graph_holds_each_triple_once_though_two_graphs_state_it(server):
    # the document's title is stated in its own graph and again in the description graph
    title = ("SELECT (COUNT(*) AS ?n) WHERE { <https://w3id.org/meakg/id/document/cbd-cms-joint-work-plan-2016-2018> "
             "<http://purl.org/dc/terms/title> ?title }")
    in_graphs = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { " + title.split("WHERE { ", 1)[1] + " }"
    assert json_rows(get(server, title, "application/sparql-results+json")[2])[1] == [{"n": "1"}]
    assert json_rows(get(server, in_graphs, "application/sparql-results+json")[2])[1] == [{"n": "2"}]


def test_post_query_returns_csv_results(server):
    status, content_type, body = request(server.query_url, data=QUERY.encode("utf-8"), method="POST",
                                         headers={"Content-Type": "application/sparql-query", "Accept": "text/csv"})
    assert status == 200 and content_type.startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(body)))
    assert len([row for row in rows if row["plan"] == PLAN]) == 19


def test_form_encoded_post_gives_the_same_rows_as_get(server):
    _, _, by_get = get(server, QUERY, "application/sparql-results+json")
    status, _, by_post = request(server.query_url, data=urllib.parse.urlencode({"query": QUERY}).encode(),
                                 method="POST", headers={"Content-Type": "application/x-www-form-urlencoded",
                                                         "Accept": "application/sparql-results+json"})
    assert status == 200
    assert json_rows(by_post) == json_rows(by_get)


def test_queries_without_graph_clauses_see_every_named_graph(server):
    # the alignments are in the plan's graph, their class declaration in the ontology graph, the counts in description
    query = """PREFIX mea: <https://w3id.org/meakg/ontology#> PREFIX owl: <http://www.w3.org/2002/07/owl#>
               PREFIX void: <http://rdfs.org/ns/void#>
               ASK { ?a a mea:TargetAlignment . mea:TargetAlignment a owl:Class . ?d void:triples ?n }"""
    status, _, body = get(server, query, "application/sparql-results+json")
    assert status == 200 and json.loads(body)["boolean"] is True


def test_served_graphs_hold_what_the_build_holds_plus_a_description_naming_the_endpoint(server):
    from graph.catalogue_graph import QUERIES_GRAPH, triples

    expected = choose(load(), "all", endpoint=server.query_url)
    query = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    _, _, body = get(server, query, "application/sparql-results+json")
    counts = {row["g"]: int(row["n"]) for row in json_rows(body)[1]}
    assert counts == {str(g.identifier): len(g) for g in expected.graphs() if len(g)} | {
        QUERIES_GRAPH: len(triples(server.query_url))}
    endpoint_query = f"SELECT ?e WHERE {{ GRAPH <{DESCRIPTION}> {{ <{DATASET}> <http://rdfs.org/ns/void#sparqlEndpoint> ?e }} }}"
    assert json_rows(get(server, endpoint_query, "application/sparql-results+json")[2])[1] == [{"e": server.query_url}]


def test_updates_are_refused(server):
    triple = "<https://example.org/s> <https://example.org/p> <https://example.org/o>"
    status, _, _ = request(server.url + "/update", data=f"INSERT DATA {{ {triple} }}".encode(), method="POST",
                           headers={"Content-Type": "application/sparql-update"})
    assert status == 403
    status, _, _ = request(server.url + "/store?default", data=f"{triple} .\n".encode(), method="PUT",
                           headers={"Content-Type": "application/n-triples"})
    assert status == 403
    assert json.loads(get(server, f"ASK {{ {triple} }}", "application/sparql-results+json")[2])["boolean"] is False


def test_starting_on_a_busy_port_fails_with_a_clear_error(server, tmp_path):
    from ontology.errors import MeakgError

    with pytest.raises(MeakgError, match=f"could not serve on 127.0.0.1:{server.port}"):
        start(port=server.port, location=tmp_path / "store", wait=20)


# ------------------------------------------------------------------ command line


def serve_cli(port, store):
    """Start `meakg serve` and return (process, the first line it printed), waiting at most 60 s."""
    process = subprocess.Popen([sys.executable, "-m", "graph.cli", "serve", "--port", str(port), "--store", str(store)],
                               cwd=ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in process.stdout], daemon=True).start()
    try:
        return process, lines.get(timeout=60)
    except queue.Empty:
        process.kill()
        process.wait(10)
        pytest.fail(f"meakg serve printed nothing: {process.stderr.read()}")


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_cli_serve_prints_the_query_url_and_stops_cleanly_on_a_signal(sig, tmp_path):
    port = free_port()
    process, first = serve_cli(port, tmp_path / "store")
    try:
        assert first == f"SPARQL endpoint (read-only): http://127.0.0.1:{port}/query\n"
        status, _, body = request(f"http://127.0.0.1:{port}/query?" + urllib.parse.urlencode({"query": "ASK {}"}),
                                  headers={"Accept": "application/sparql-results+json"})
        assert status == 200
        process.send_signal(sig)
        assert process.wait(30) == 0
        assert "Traceback" not in process.stderr.read()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(10)
    with pytest.raises(OSError):  # the oxigraph child went with it
        urllib.request.urlopen(f"http://127.0.0.1:{port}/query?query=ASK%7B%7D", timeout=5)


def test_endpoint_lists_every_saved_query_as_a_sparql_executable(server):
    from graph.catalogue_graph import LISTING
    from queries import catalogue

    status, _, body = get(server, LISTING, "application/sparql-results+json")
    assert status == 200
    _, rows = json_rows(body)
    assert [r["query"].rsplit("/", 1)[-1] for r in rows] == catalogue.names()
    assert {r["title"] for r in rows} >= {"Current GBF targets the joint activities relate to, through published mappings"}


def test_served_catalogue_names_the_endpoint_as_each_querys_target(server):
    query = ("PREFIX schema: <https://schema.org/> SELECT DISTINCT ?target WHERE { GRAPH <https://w3id.org/meakg/graph/queries>"
             " { ?q schema:target ?target } }")
    _, rows = json_rows(get(server, query, "application/sparql-results+json")[2])
    assert rows == [{"target": server.query_url}]


def test_query_page_is_served_at_the_root(server):
    status, content_type, body = request(server.url + "/", headers={"Accept": "text/html"})
    assert status == 200 and content_type.startswith("text/html") and "<title>Oxigraph server</title>" in body
