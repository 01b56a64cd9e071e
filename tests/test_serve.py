"""The SPARQL endpoint: the build over HTTP, read-only, bounded, a good linked-data citizen, stopped cleanly."""

import csv
import io
import json
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pyoxigraph
import pytest
from service_listener import Listener  # tests/: conftest puts it on the path

from meakg.graph.export.describe import DATASET, DESCRIPTION
from meakg.graph.export.rdf import choose, load
from meakg.graph.folders import MARKER
from meakg.graph.serve.endpoint import free_port, start
from meakg.ontology.errors import MeakgError
from meakg.ontology.vocab import thing

ROOT = Path(__file__).resolve().parent.parent
PLAN = thing("plan", "cbd-cms-joint-work-plan-2016-2018")
AEWA = thing("instrument", "aewa")
QUERY = (ROOT / "queries" / "target-alignment.rq").read_text(encoding="utf-8")
CROSS_JOIN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
SD = "http://www.w3.org/ns/sparql-service-description#"
JSON = "application/sparql-results+json"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from meakg.graph.site.write import build_site

    out = tmp_path_factory.mktemp("site") / "site"
    build_site(out)
    return out


@pytest.fixture(scope="module")
def server(tmp_path_factory, site):
    handle = start(port=0, location=tmp_path_factory.mktemp("oxigraph") / "store", timeout=30, site=site)
    yield handle
    handle.stop()


def request(url, *, data=None, method=None, headers=None):
    """Return (status, content type, body text) of an HTTP request, errors included."""
    req = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=60) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read().decode("utf-8")
    except urllib.error.HTTPError as err:
        return err.code, err.headers.get("Content-Type", ""), err.read().decode("utf-8", "replace")


def get(server, query, accept=JSON):
    return request(server.query_url + "?" + urllib.parse.urlencode({"query": query}), headers={"Accept": accept})


def json_rows(body):
    data = json.loads(body)
    return data["head"]["vars"], [{k: v["value"] for k, v in b.items()} for b in data["results"]["bindings"]]


def triples(body, fmt=pyoxigraph.RdfFormat.TURTLE):
    return {(str(q.subject), str(q.predicate), str(q.object)) for q in pyoxigraph.parse(body.encode(), format=fmt)}


def test_server_listens_on_loopback_and_reports_its_query_url(server):
    assert server.host == "127.0.0.1"
    assert server.query_url == f"http://127.0.0.1:{server.port}/query"


def test_get_query_returns_json_results_with_the_19_alignments_of_the_plan(server):
    status, content_type, body = get(server, QUERY)
    assert status == 200 and content_type == "application/sparql-results+json; charset=utf-8"
    variables, rows = json_rows(body)
    assert {"msTarget", "aichiTarget", "plan"} <= set(variables)
    assert len([row for row in rows if row["plan"] == PLAN]) == 19


def test_default_graph_holds_each_triple_once_though_two_graphs_state_it(server):
    # the document's title is stated in its own graph and again in the description graph
    title = ("SELECT (COUNT(*) AS ?n) WHERE { <https://w3id.org/meakg/id/document/cbd-cms-joint-work-plan-2016-2018> "
             "<http://purl.org/dc/terms/title> ?title }")
    in_graphs = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { " + title.split("WHERE { ", 1)[1] + " }"
    assert json_rows(get(server, title)[2])[1] == [{"n": "1"}]
    assert json_rows(get(server, in_graphs)[2])[1] == [{"n": "2"}]


def test_post_query_returns_csv_results(server):
    status, content_type, body = request(server.query_url, data=QUERY.encode("utf-8"), method="POST",
                                         headers={"Content-Type": "application/sparql-query", "Accept": "text/csv"})
    assert status == 200 and content_type.startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(body)))
    assert len([row for row in rows if row["plan"] == PLAN]) == 19


def test_form_encoded_post_gives_the_same_rows_as_get(server):
    _, _, by_get = get(server, QUERY)
    status, _, by_post = request(server.query_url, data=urllib.parse.urlencode({"query": QUERY}).encode(),
                                 method="POST", headers={"Content-Type": "application/x-www-form-urlencoded",
                                                         "Accept": JSON})
    assert status == 200
    assert json_rows(by_post) == json_rows(by_get)


def test_served_graphs_hold_what_the_build_holds_plus_a_description_naming_the_endpoint(server):
    from meakg.graph.export.catalogue import QUERIES_GRAPH
    from meakg.graph.export.catalogue import triples as catalogue_triples

    expected = choose(load(), "all", endpoint=server.query_url)
    query = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    counts = {row["g"]: int(row["n"]) for row in json_rows(get(server, query)[2])[1]}
    assert counts == {str(g.identifier): len(g) for g in expected.graphs() if len(g)} | {
        QUERIES_GRAPH: len(catalogue_triples(server.query_url))}
    endpoint_query = (f"SELECT ?e WHERE {{ GRAPH <{DESCRIPTION}> {{ <{DATASET}> "
                      "<http://rdfs.org/ns/void#sparqlEndpoint> ?e } }")
    assert json_rows(get(server, endpoint_query)[2])[1] == [{"e": server.query_url}]


def test_updates_uploads_and_deletes_are_refused(server):
    triple = "<https://example.org/s> <https://example.org/p> <https://example.org/o>"
    refused = "this endpoint is read-only: updates and uploads are refused\n"
    for url, data, method, kind in [
            (server.url + "/update", f"INSERT DATA {{ {triple} }}", "POST", "application/sparql-update"),
            (server.query_url, f"INSERT DATA {{ {triple} }}", "POST", "application/sparql-update"),
            (server.query_url, urllib.parse.urlencode({"update": f"INSERT DATA {{ {triple} }}"}), "POST",
             "application/x-www-form-urlencoded"),
            (server.url + "/store?default", f"{triple} .\n", "PUT", "application/n-triples"),
            (server.url + "/store?default", f"{triple} .\n", "POST", "application/n-triples"),
            (server.url + "/store?default", None, "DELETE", None)]:
        status, _, body = request(url, data=data and data.encode(), method=method,
                                  headers={"Content-Type": kind} if kind else {})
        assert (status, body) == (403, refused), (url, method)
    status, _, body = get(server, f"INSERT DATA {{ {triple} }}")
    assert (status, body) == (403, "query: expected a query (SELECT, ASK, CONSTRUCT or DESCRIBE), found a SPARQL "
                                   "update: meakg only reads the graph, updates are refused\n")
    assert json.loads(get(server, f"ASK {{ {triple} }}")[2])["boolean"] is False


def test_starting_on_a_busy_port_fails_with_a_clear_error(server, tmp_path):
    with pytest.raises(MeakgError, match=f"could not serve on 127.0.0.1:{server.port}"):
        start(port=server.port, location=tmp_path / "store")


def test_a_host_name_with_two_addresses_is_refused_naming_them(tmp_path, monkeypatch):
    import waitress.server

    real = waitress.server.create_server

    def two_addresses(app, *, host, port, **options):  # as waitress serves a name that resolves to two
        return real(app, listen="127.0.0.1:0 127.0.0.1:0", **options)

    monkeypatch.setattr(waitress.server, "create_server", two_addresses)
    with pytest.raises(MeakgError) as err:
        start(host="localhost", port=0, location=tmp_path / "store")
    message = str(err.value)
    assert message.startswith("could not serve on localhost:0: expected a host with one address, found 2 (127.0.0.1:")
    assert message.endswith("); give one of them, such as 127.0.0.1")


def test_endpoint_lists_every_saved_query_as_a_sparql_executable(server):
    from meakg.graph.export.catalogue import LISTING
    from meakg.queries import catalogue

    status, _, body = get(server, LISTING)
    assert status == 200
    _, rows = json_rows(body)
    assert [r["query"].rsplit("/", 1)[-1] for r in rows] == catalogue.names()


def test_the_root_is_the_sites_home_page(server, site):
    status, content_type, body = request(server.url + "/", headers={"Accept": "text/html"})
    assert (status, content_type) == (200, "text/html; charset=utf-8")
    assert body == (site / "index.html").read_text(encoding="utf-8")


# ------------------------------------------------------------------ the store folder: only what meakg made


def test_a_store_folder_meakg_did_not_make_is_refused_and_left_untouched(tmp_path):
    folder = tmp_path / "receipts"
    folder.mkdir()
    (folder / "2026.txt").write_text("keep me")
    with pytest.raises(MeakgError) as err:
        start(port=0, location=folder)
    assert str(err.value) == (f"--store {folder}: expected a new or empty folder, or a store meakg serve made (it "
                              f"holds {MARKER}); found a folder meakg did not make, and left it untouched")
    assert [p.name for p in folder.iterdir()] == ["2026.txt"]


def test_serve_store_dot_refuses_the_current_folder_and_deletes_nothing(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    done = subprocess.run([sys.executable, "-m", "meakg", "serve", "--port", "0", "--store", "."], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, "MEAKG_BUILD_DIR": str(ROOT / "build")})
    assert done.returncode == 2
    assert done.stderr == (f"Error: --store .: expected a new or empty folder, or a store meakg serve made (it holds "
                           f"{MARKER}); found a folder meakg did not make, and left it untouched\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_a_store_meakg_made_is_replaced_on_the_next_start(tmp_path):
    location = tmp_path / "store"
    with start(port=0, location=location, timeout=10, max_concurrent=1):
        pass
    assert (location / MARKER).is_file()
    with start(port=0, location=location, timeout=10, max_concurrent=1) as again:
        assert json.loads(get(again, "ASK { ?s ?p ?o }")[2])["boolean"] is True
    assert sorted(p.name for p in tmp_path.iterdir()) == ["store"]


# ------------------------------------------------------------------ command line


def serve_cli(port, store, site):
    """Start `meakg serve` and return (process, the first line it printed), waiting at most 60 s."""
    process = subprocess.Popen([sys.executable, "-m", "meakg", "serve", "--port", str(port), "--store", str(store),
                                "--site", str(site)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in process.stdout], daemon=True).start()
    try:
        return process, lines.get(timeout=90)
    except queue.Empty:
        process.kill()
        process.wait(10)
        pytest.fail(f"meakg serve printed nothing: {process.stderr.read()}")


def children_of(pid):
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "stat").read_text().rsplit(")", 1)[1].split()[1] == str(pid):
                    found.append(int(entry.name))
            except (OSError, IndexError):
                pass
    return found


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_cli_serve_prints_the_query_url_and_stops_cleanly_on_a_signal(sig, tmp_path, site):
    port = free_port()
    process, first = serve_cli(port, tmp_path / "store", site)
    try:
        assert first == f"SPARQL endpoint (read-only): http://127.0.0.1:{port}/query\n"
        status, _, body = request(f"http://127.0.0.1:{port}/query?" + urllib.parse.urlencode({"query": "ASK {}"}),
                                  headers={"Accept": JSON})
        assert status == 200
        engines = children_of(process.pid)
        assert engines  # the engine children, reached by pipes
        process.send_signal(sig)
        assert process.wait(30) == 0
        assert "Traceback" not in process.stderr.read()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(10)
    with pytest.raises(OSError):
        urllib.request.urlopen(f"http://127.0.0.1:{port}/query?query=ASK%7B%7D", timeout=5)
    assert [pid for pid in engines if alive(pid)] == []


def alive(pid):
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            if Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z":
                return False
        except OSError:
            return False
        time.sleep(0.1)
    return True


def test_the_engine_listens_on_no_port(server):
    # the old private loopback port answered any local process, SERVICE and all; now the engine has only pipes
    listening = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if fields[3] == "0A":  # LISTEN
                listening.add(int(fields[9]))  # the socket's inode
    # the engines are this Python's children (a browser test's chromedriver, also a child, listens by design)
    python = os.path.realpath(sys.executable)
    engines = [pid for pid in children_of(os.getpid()) if os.path.realpath(f"/proc/{pid}/exe") == python]
    for pid in engines:
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            target = os.readlink(fd)
            assert not (target.startswith("socket:[") and int(target[8:-1]) in listening), (pid, target)
    assert engines


# ------------------------------------------------------------------ bounds: federation, crashes, time, size


@pytest.fixture(scope="module")
def tight(tmp_path_factory):
    """An endpoint with a 1 s timeout and one query at a time."""
    handle = start(port=0, location=tmp_path_factory.mktemp("tight") / "store", timeout=1, max_concurrent=1,
                   idle_timeout=2)
    yield handle
    handle.stop()


def test_a_federated_query_however_spelt_is_refused_with_400_and_never_connects(server):
    listener = Listener()
    url = f"<http://127.0.0.1:{listener.port}/sparql>"
    for text in (f"SELECT * WHERE {{ {{}} .SERVICE {url} {{ ?s ?p ?o }} }}",
                 f"SELECT * WHERE {{ # comment\rSERVICE {url} {{ ?s ?p ?o }} }}",
                 f"PREFIX mea: <urn:x#> SELECT * WHERE {{ {{ ?s mea:a\\' ?o }} UNION "
                 f"{{ SERVICE {url} {{ ?s ?p ?o }} }} }} #'"):
        for status, _, body in (get(server, text), request(server.query_url, data=text.encode(), method="POST",
                                                          headers={"Content-Type": "application/sparql-query"})):
            assert (status, body) == (400, "query: SERVICE (a federated query) is refused: the query engine has no "
                                           "network access unless federation is allowed (--allow-federation)\n")
    assert listener.connections == 0
    listener.close()


def test_a_query_that_crashes_the_engine_is_400_and_other_clients_are_served_meanwhile(server):
    flat = "SELECT * WHERE { " + " UNION ".join(["{ ?s ?p ?o }"] * 10_000) + " }"
    answers: queue.Queue = queue.Queue()
    stop = threading.Event()

    def ask():
        while not stop.is_set():
            answers.put(get(server, "ASK {}")[0])

    askers = [threading.Thread(target=ask) for _ in range(3)]
    for thread in askers:
        thread.start()
    try:
        for _ in range(3):
            status, _, body = request(server.query_url, data=flat.encode(), method="POST",
                                      headers={"Content-Type": "application/sparql-query"})
            assert (status, body) == (400, "query: the query engine crashed on this query (SIGSEGV, a stack overflow: "
                                           "the query is too large or nested too deeply for the engine); nothing was "
                                           "answered\n")
    finally:
        stop.set()
        for thread in askers:
            thread.join(60)
    statuses = [answers.get_nowait() for _ in range(answers.qsize())]
    assert statuses and set(statuses) == {200}  # before: 42 of 58 other clients' ASK {} failed


def test_a_query_over_the_timeout_gets_503_and_the_next_query_is_answered_at_once(tight):
    started = time.monotonic()
    status, content_type, body = get(tight, CROSS_JOIN, "text/csv")
    assert (status, content_type, body) == (503, "text/plain; charset=utf-8",
                                            "query: the query ran longer than 1 s (the limit)\n")
    assert time.monotonic() - started < 5
    status, _, body = get(tight, "ASK {}")  # the child was killed, not left running: its place is free
    assert status == 200 and json.loads(body)["boolean"] is True


def test_at_most_max_concurrent_queries_run_and_the_others_are_told_busy(tight):
    answers: queue.Queue = queue.Queue()
    threads = [threading.Thread(target=lambda: answers.put(get(tight, CROSS_JOIN, "text/csv")[::2])) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    bodies = sorted(answers.get_nowait() for _ in threads)
    assert all(status == 503 for status, _ in bodies)
    assert "busy: 1 queries are running (the limit); try again shortly\n" in [body for _, body in bodies]


def test_an_answer_over_max_bytes_is_503_not_a_cut_off_200(tmp_path):
    with start(port=0, location=tmp_path / "store", max_bytes=1000, max_concurrent=1) as small:
        status, _, body = get(small, "CONSTRUCT WHERE { ?s ?p ?o }", "application/n-triples")
        assert (status, body) == (503, "query: the answer is larger than 1,000 bytes (the limit); add LIMIT to the "
                                       "query\n")
        assert json.loads(get(small, "ASK {}")[2])["boolean"] is True


def raw(server, data: bytes, *, wait=5.0) -> bytes:
    """Send *data* on one connection and return everything the server answers until it goes quiet or closes."""
    with socket.create_connection((server.host, server.port), timeout=wait) as sock:
        sock.sendall(data)
        found = b""
        try:
            while chunk := sock.recv(65536):
                found += chunk
        except TimeoutError:
            pass
    return found


def test_a_chunked_post_is_one_request_with_one_answer(server):
    query = b"ASK { ?s ?p ?o }"
    body = b"%x\r\n%s\r\n%x\r\n%s\r\n0\r\n\r\n" % (8, query[:8], len(query) - 8, query[8:])
    answer = raw(server, b"POST /query HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
                         b"Accept: application/sparql-results+json\r\nTransfer-Encoding: chunked\r\n"
                         b"Connection: close\r\n\r\n" + body)
    assert answer.count(b"HTTP/1.1 ") == 1  # was answered as two requests: a desync behind a proxy
    assert answer.startswith(b"HTTP/1.1 200 OK\r\n") and answer.endswith(b'{"head":{},"boolean":true}')


def test_keep_alive_answers_two_requests_on_one_connection(server):
    ask = (b"GET /query?query=ASK%7B%7D HTTP/1.1\r\nHost: x\r\nAccept: application/sparql-results+json\r\n\r\n")
    answer = raw(server, ask + ask.replace(b"\r\n\r\n", b"\r\nConnection: close\r\n\r\n"))
    assert answer.count(b"HTTP/1.1 200 OK") == 2


def test_half_open_connections_are_closed_when_idle_and_add_no_threads(tight):
    threads_before = threading.active_count()
    idle = [socket.create_connection((tight.host, tight.port)) for _ in range(300)]
    try:
        assert json.loads(get(tight, "ASK {}")[2])["boolean"] is True  # served beside them
        assert threading.active_count() <= threads_before + 1  # was one thread per connection: 2,000 gave 2,003
        idle[0].settimeout(10)
        assert idle[0].recv(10) == b""  # closed by the server after the idle timeout (2 s here)
    finally:
        for sock in idle:
            sock.close()


# ------------------------------------------------------------------ a linked-data citizen: CORS, IRIs, descriptions


def test_the_cors_preflight_and_a_query_from_another_origin_are_allowed(server):
    req = urllib.request.Request(server.query_url, method="OPTIONS", headers={
        "Origin": "http://other.example", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type"})
    with urllib.request.urlopen(req, timeout=30) as response:
        assert response.status == 204
        assert response.headers["Access-Control-Allow-Origin"] == "*"
        assert "POST" in response.headers["Access-Control-Allow-Methods"].split(", ")
        assert response.headers["Access-Control-Allow-Headers"] == "content-type"
    req = urllib.request.Request(server.query_url, data=b"ASK {}", method="POST", headers={
        "Origin": "http://other.example", "Content-Type": "application/sparql-query", "Accept": JSON})
    with urllib.request.urlopen(req, timeout=30) as response:
        assert response.headers["Access-Control-Allow-Origin"] == "*"
        assert json.loads(response.read())["boolean"] is True


def test_an_iri_answers_turtle_to_a_client_with_its_triples_and_provenance_statements(server):
    status, content_type, body = request(server.url + "/id/instrument/aewa", headers={"Accept": "text/turtle"})
    assert (status, content_type) == (200, "text/turtle; charset=utf-8")
    found = triples(body)
    assert (f"<{AEWA}>", "<https://w3id.org/meakg/ontology#informeaId>", '"aewa"') in found
    about = {s for s, p, o in found if p == "<http://www.w3.org/1999/02/22-rdf-syntax-ns#subject>" and o == f"<{AEWA}>"}
    assert about and all(s.startswith("<https://w3id.org/meakg/id/statement/") for s in about)
    assert {s for s, _, _ in found} == {f"<{AEWA}>"} | about  # bounded: the node and its statements, nothing else
    ntriples = request(server.url + "/id/instrument/aewa", headers={"Accept": "application/n-triples"})[2]
    assert triples(ntriples, pyoxigraph.RdfFormat.N_TRIPLES) == found
    jsonld = request(server.url + "/id/instrument/aewa.jsonld")[2]
    assert triples(jsonld, pyoxigraph.RdfFormat.JSON_LD) == found


def test_an_iri_answers_its_page_to_a_browser(server, site):
    accept = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
    status, content_type, body = request(server.url + "/id/instrument/aewa", headers={"Accept": accept})
    assert (status, content_type) == (200, "text/html; charset=utf-8")
    assert body == (site / "id" / "instrument" / "aewa.html").read_text(encoding="utf-8")


def test_the_ontology_and_a_saved_query_resolve_by_content_negotiation(server, site):
    assert request(server.url + "/ontology", headers={"Accept": "text/html"})[2] == \
        (site / "ontology.html").read_text(encoding="utf-8")
    ontology = triples(request(server.url + "/ontology", headers={"Accept": "text/turtle"})[2])
    assert ("<https://w3id.org/meakg/ontology>", "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>",
            "<http://www.w3.org/2002/07/owl#Ontology>") in ontology
    page = request(server.url + "/query/target-alignment", headers={"Accept": "text/html"})[2]
    assert page == (site / "queries" / "target-alignment.html").read_text(encoding="utf-8")
    entry = triples(request(server.url + "/query/target-alignment", headers={"Accept": "text/turtle"})[2])
    assert ("<https://w3id.org/meakg/query/target-alignment>", "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>",
            "<http://www.w3.org/ns/shacl#SPARQLSelectExecutable>") in entry


def test_a_locator_sends_a_browser_to_its_place_in_the_source_page_and_unknown_iris_are_404(server):
    req = urllib.request.Request(server.url + "/id/locator/cbd-cms-joint-work-plan-2016-2018/row-7",
                                 headers={"Accept": "text/html"})
    opener = urllib.request.build_opener(type("NoRedirect", (urllib.request.HTTPRedirectHandler,),
                                              {"redirect_request": lambda *a: None}))
    with pytest.raises(urllib.error.HTTPError) as err:
        opener.open(req, timeout=30)
    assert (err.value.code, err.value.headers["Location"]) == (
        303, "/sources/cbd-cms-joint-work-plan-2016-2018.html#row-7")
    assert request(server.url + "/id/instrument/no-such-thing", headers={"Accept": "text/turtle"})[0] == 404
    assert request(server.url + "/id/../../etc/passwd", headers={"Accept": "text/html"})[0] == 404
    assert request(server.url + "/id/instrument/aewa", headers={"Accept": "image/png"})[0] == 406


def test_the_service_description_says_what_the_endpoint_does(server):
    status, content_type, body = request(server.query_url, headers={"Accept": "text/turtle"})
    assert (status, content_type) == (200, "text/turtle; charset=utf-8")
    graph = pyoxigraph.Store()
    graph.load(body.encode(), format=pyoxigraph.RdfFormat.TURTLE)
    features = {r["f"].value for r in graph.query(f"SELECT ?f WHERE {{ ?s <{SD}feature> ?f }}")}
    assert features == {SD + "UnionDefaultGraph"}  # not BasicFederatedQuery: SERVICE is refused
    regime = [r["r"].value for r in graph.query(f"SELECT ?r WHERE {{ ?s <{SD}defaultEntailmentRegime> ?r }}")]
    assert regime == ["http://www.w3.org/ns/entailment/OWL-RDF-Based"]
    named = {r["g"].value: int(r["n"].value) for r in graph.query(
        f"SELECT ?g ?n WHERE {{ ?x <{SD}name> ?g ; <{SD}graph> [ <http://rdfs.org/ns/void#triples> ?n ] }}")}
    served = {row["g"]: int(row["n"]) for row in json_rows(get(
        server, "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")[2])[1]}
    assert named == served
    formats = {r["f"].value.rsplit("/", 1)[1] for r in graph.query(f"SELECT ?f WHERE {{ ?s <{SD}resultFormat> ?f }}")}
    assert formats == {"SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                       "Turtle", "N-Triples", "JSON-LD", "RDF_XML"}


def test_the_void_is_served_at_its_well_known_address(server):
    status, _, body = request(server.url + "/.well-known/void", headers={"Accept": "application/n-triples"})
    assert status == 200
    query = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{DESCRIPTION}> {{ ?s ?p ?o }} }}"
    stored = get(server, query, "application/n-triples")[2]
    assert triples(body, pyoxigraph.RdfFormat.N_TRIPLES) == triples(stored, pyoxigraph.RdfFormat.N_TRIPLES)
    assert (f"<{DATASET}>", "<http://rdfs.org/ns/void#sparqlEndpoint>", f"<{server.query_url}>") in \
        triples(body, pyoxigraph.RdfFormat.N_TRIPLES)


# ------------------------------------------------------------------ in a real browser


def test_a_page_on_another_origin_queries_the_endpoint_in_chromium(server, browser, tmp_path):
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    (tmp_path / "page.html").write_text(f"""<!doctype html><html><head><title>other origin</title></head><body>
<p id="out">waiting</p><script>
fetch({json.dumps(server.query_url)}, {{method: "POST", headers: {{"Content-Type": "application/sparql-query",
  "Accept": "application/sparql-results+json"}},
  body: "SELECT (COUNT(*) AS ?n) WHERE {{ ?t a <https://w3id.org/meakg/ontology#AichiTarget> }}"}})
  .then(r => r.json())
  .then(d => {{ document.getElementById("out").textContent = "n=" + d.results.bindings[0].n.value; }})
  .catch(e => {{ document.getElementById("out").textContent = "failed: " + e; }});
</script></body></html>""")

    class Quiet(SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(tmp_path), **kwargs)

        def log_message(self, *args):
            pass

    other = ThreadingHTTPServer(("127.0.0.1", 0), Quiet)  # another port: another origin
    threading.Thread(target=other.serve_forever, daemon=True).start()
    try:
        browser.get(f"http://127.0.0.1:{other.server_address[1]}/page.html")
        deadline = time.monotonic() + 30
        while browser.find_element("id", "out").text == "waiting" and time.monotonic() < deadline:
            time.sleep(0.1)
        assert browser.find_element("id", "out").text == "n=20"  # the pre-flight passed, the answer was readable
    finally:
        other.shutdown()
        other.server_close()


def test_an_iri_opened_in_chromium_shows_its_page(server, browser):
    browser.get(server.url + "/id/instrument/aewa")
    assert "AEWA" in browser.title or "African-Eurasian" in browser.title
    assert browser.current_url == server.url + "/id/instrument/aewa"
