"""The SPARQL endpoint: Oxigraph's server over the build, queried over HTTP, read-only, stopped cleanly."""

import csv
import io
import json
import queue
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from meakg.graph.export.describe import DATASET, DESCRIPTION
from meakg.graph.export.rdf import choose, load
from meakg.graph.serve.endpoint import free_port, start
from meakg.ontology.vocab import thing

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
    from meakg.graph.export.catalogue import QUERIES_GRAPH, triples

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
    from meakg.ontology.errors import MeakgError

    with pytest.raises(MeakgError, match=f"could not serve on 127.0.0.1:{server.port}"):
        start(port=server.port, location=tmp_path / "store", wait=20)


# ------------------------------------------------------------------ command line


def serve_cli(port, store):
    """Start `meakg serve` and return (process, the first line it printed), waiting at most 60 s."""
    process = subprocess.Popen([sys.executable, "-m", "meakg", "serve", "--port", str(port), "--store", str(store)],
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
    from meakg.graph.export.catalogue import LISTING
    from meakg.queries import catalogue

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


# ------------------------------------------------------------------ hardening: bounds and refusals

CROSS_JOIN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
DEEP = "ASK {" + "{" * 5000 + "}" * 5000 + "}"


@pytest.fixture(scope="module")
def tight(tmp_path_factory):
    """An endpoint with a 1 s timeout and one query at a time."""
    handle = start(port=0, location=tmp_path_factory.mktemp("tight") / "store", timeout=1, max_concurrent=1)
    yield handle
    handle.stop()


def test_an_over_deep_query_is_refused_with_400_and_the_server_stays_up(server):
    status, content_type, body = request(server.query_url, data=DEEP.encode(), method="POST",
                                         headers={"Content-Type": "application/sparql-query"})
    assert (status, content_type) == (400, "text/plain; charset=utf-8")
    assert body == ("query:1: the query nests more than 64 levels deep at column 69 "
                    "(expected at most that many levels of {}, () and [] together)\n")
    assert json.loads(get(server, "ASK {}", "application/sparql-results+json")[2])["boolean"] is True
    assert server.process.poll() is None and server.restarts == 0


def test_a_federated_query_is_refused_unless_federation_is_allowed(server):
    status, _, body = get(server, "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
                          "application/sparql-results+json")
    assert status == 400
    assert body.startswith("query:1: SERVICE (a federated query) is refused at column 18")


def test_updates_through_the_query_url_and_other_methods_are_refused(server):
    assert request(server.url + "/store?default", method="DELETE")[0] == 403
    status, _, _ = request(server.url + "/store?default", data=b"<a:s> <a:p> <a:o> .\n", method="POST",
                           headers={"Content-Type": "application/n-triples"})
    assert status == 403


def test_a_query_over_the_timeout_gets_503_not_a_truncated_200(tight):
    started = time.monotonic()
    status, content_type, body = get(tight, CROSS_JOIN, "text/csv")
    elapsed = time.monotonic() - started
    assert (status, content_type, body) == (503, "text/plain; charset=utf-8", "the query ran longer than 1 s (the limit)\n")
    assert elapsed < 5


def test_at_most_max_concurrent_queries_run_and_the_others_are_told_busy(tight):
    answers: queue.Queue = queue.Queue()
    threads = [threading.Thread(target=lambda: answers.put(get(tight, CROSS_JOIN, "text/csv")[::2])) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    bodies = sorted(answers.get_nowait() for _ in threads)
    assert all(status == 503 for status, _ in bodies)
    assert ("busy: 1 queries are running (the limit); try again shortly\n" in [body for _, body in bodies])


def test_a_query_running_on_after_its_timeout_gets_the_engine_restarted_so_others_are_served(tight):
    # Oxigraph's own timeout stops a large join seconds late; its slot would keep everyone else out
    before = tight.restarts
    assert get(tight, CROSS_JOIN, "text/csv")[0] == 503
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and tight.restarts == before:
        time.sleep(0.1)
    assert tight.restarts == before + 1
    while time.monotonic() < deadline:
        status, _, body = get(tight, "ASK {}", "application/sparql-results+json")
        if status == 200:
            break
        assert body == "the query engine is restarting; try again shortly\n"
        time.sleep(0.1)
    assert status == 200 and json.loads(body)["boolean"] is True


def test_the_engine_is_started_again_if_it_dies(tight):
    before = tight.restarts
    while tight.process.poll() is not None:  # a restart of the test before may still be under way
        time.sleep(0.1)
    tight.process.kill()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        status, _, body = get(tight, "ASK {}", "application/sparql-results+json")
        if status == 200:
            break
        time.sleep(0.2)
    assert status == 200 and json.loads(body)["boolean"] is True
    assert tight.restarts == before + 1


def test_an_answer_over_max_bytes_is_503_not_a_cut_off_200(server):
    from meakg.graph.serve.gate import Gate

    host, port = server.command[server.command.index("--bind") + 1].rsplit(":", 1)
    gate = Gate(("127.0.0.1", 0), (host, int(port)), timeout=30, max_bytes=1000)
    threading.Thread(target=gate.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{gate.server_address[1]}/query?" + urllib.parse.urlencode(
            {"query": "CONSTRUCT WHERE { ?s ?p ?o }"})
        status, _, body = request(url, headers={"Accept": "application/n-triples"})
        assert (status, body) == (503, "the answer is larger than 1,000 bytes (the limit); add LIMIT to the query\n")
        small = request(url.split("?")[0] + "?query=ASK%7B%7D", headers={"Accept": "application/sparql-results+json"})
        assert small[0] == 200 and json.loads(small[2])["boolean"] is True
    finally:
        gate.shutdown()
        gate.server_close()
