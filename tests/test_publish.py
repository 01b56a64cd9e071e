"""Publishing with the Graph Store Protocol: into a real Oxigraph, idempotent, dry runs, failures, credentials."""

import base64
import json
import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from meakg.graph.export.describe import DESCRIPTION
from meakg.graph.serve.endpoint import free_port, oxigraph_binary
from meakg.graph.serve.publish import PublishError, auth_header, publish, uploads
from meakg.loaders import sources
from meakg.ontology.errors import MeakgError
from meakg.ontology.vocab import graph_iri
from meakg.queries import catalogue

ROOT = Path(__file__).resolve().parent.parent
USER, PASSWORD, TOKEN = "partner", "s3cret-pa55word", "tok-0123456789abcdef"
STALE = "<https://example.org/stale> <https://example.org/p> <https://example.org/o> .\n"


@pytest.fixture(scope="module")
def expected():
    return {u.graph: u.triples for u in uploads()}


@pytest.fixture
def oxigraph(tmp_path):
    """A read-write Oxigraph server on a free loopback port; yields its base URL."""
    port = free_port()
    process = subprocess.Popen([oxigraph_binary(), "serve", "--location", str(tmp_path / "store"),
                                "--bind", f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(url + "/query?query=ASK%7B%7D", timeout=2).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("oxigraph serve did not start")
                time.sleep(0.05)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)


def counts(url):
    query = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    req = urllib.request.Request(url + "/query?" + urllib.parse.urlencode({"query": query}),
                                 headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(req, timeout=30) as response:
        rows = json.load(response)["results"]["bindings"]
    return {row["g"]["value"]: int(row["n"]["value"]) for row in rows}


class Recorder:
    """A tiny Graph Store: records each request and answers with the next status from *statuses*."""

    def __init__(self, statuses, body=b""):
        self.requests, self.statuses, self.body = [], list(statuses), body
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def do_PUT(self):
                length = int(self.headers.get("Content-Length", 0))
                recorder.requests.append((self.path, dict(self.headers), self.rfile.read(length)))
                status = recorder.statuses.pop(0) if recorder.statuses else 500
                auth = self.headers.get("Authorization", "").encode()
                secret = auth.split(b" ", 1)[-1]
                body = (recorder.body.replace(b"{auth}", auth).replace(b"{auth-cut}", secret[:10])
                        .replace(b"{auth-upper}", secret.upper()).replace(b"{auth-base64}", base64.b64encode(secret)))
                self.send_response(status)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/store"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(10)

    def graphs(self):
        return [urllib.parse.parse_qs(urllib.parse.urlsplit(path).query)["graph"][0] for path, _, _ in self.requests]


@pytest.fixture
def recorder_factory():
    made = []

    def make(statuses, body=b""):
        made.append(Recorder(statuses, body))
        return made[-1]

    yield make
    for recorder in made:
        recorder.close()


def run_cli(*args, env=None):
    return subprocess.run([sys.executable, "-m", "meakg", *args], cwd=ROOT, capture_output=True, text=True,
                          encoding="utf-8", env={**os.environ, **(env or {})}, timeout=120)


# ------------------------------------------------------------------ into a real store


def test_uploads_are_every_named_graph_with_the_description_last(expected):
    graphs = [u.graph for u in uploads()]
    assert graphs[-1] == str(DESCRIPTION)
    assert set(graphs) == {graph_iri(s.key) for s in sources()} | {
        graph_iri(n) for n in ("reference", "provenance", "ontology", "inferred", "queries", "description")}


def test_publish_sends_every_saved_query_as_a_sparql_executable(oxigraph):
    publish(oxigraph + "/store", sparql_endpoint=oxigraph + "/query")
    query = ("PREFIX sh: <http://www.w3.org/ns/shacl#> PREFIX schema: <https://schema.org/> SELECT ?q WHERE { GRAPH <"
             + graph_iri("queries") + "> { ?q a sh:SPARQLExecutable ; schema:target <" + oxigraph + "/query> } }")
    request = urllib.request.Request(oxigraph + "/query?" + urllib.parse.urlencode({"query": query}),
                                     headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        rows = json.loads(response.read())["results"]["bindings"]
    assert sorted(r["q"]["value"].rsplit("/", 1)[-1] for r in rows) == catalogue.names()


def test_publish_puts_each_named_graph_into_oxigraph_with_its_triple_count(oxigraph, expected):
    result = publish(oxigraph + "/store")
    assert [u.graph for u in result.uploads] == list(expected)
    assert counts(oxigraph) == expected


def test_publishing_again_replaces_rather_than_duplicates(oxigraph, expected):
    stale = urllib.request.Request(oxigraph + "/store?" + urllib.parse.urlencode({"graph": graph_iri("reference")}),
                                   data=STALE.encode(), method="POST",
                                   headers={"Content-Type": "application/n-triples"})
    urllib.request.urlopen(stale, timeout=30).close()
    publish(oxigraph + "/store")
    publish(oxigraph + "/store")
    assert counts(oxigraph) == expected  # the stale triple went with the first PUT; nothing doubled


def test_cli_publish_into_oxigraph_reports_each_graph(oxigraph, expected):
    done = run_cli("publish", "--endpoint", oxigraph + "/store")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == f"Publishing to {oxigraph}/store:"
    assert lines[-1] == f"Published {len(expected)} graphs ({sum(expected.values())} triples)."
    assert len(lines) == len(expected) + 2
    assert counts(oxigraph) == expected


# ------------------------------------------------------------------ dry run


def test_dry_run_sends_nothing(recorder_factory, expected):
    recorder = recorder_factory([])
    result = publish(recorder.url, dry_run=True)
    assert result.dry_run and {u.graph: u.triples for u in result.uploads} == expected
    assert recorder.requests == []


def test_cli_dry_run_lists_graphs_and_counts_and_sends_nothing(recorder_factory, expected):
    recorder = recorder_factory([])
    done = run_cli("publish", "--endpoint", recorder.url, "--dry-run")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        f"Would publish {len(expected)} graphs ({sum(expected.values())} triples) to {recorder.url}:",
        *(f"  {count:>7}  <{graph}>" for graph, count in expected.items())]
    assert recorder.requests == []


# ------------------------------------------------------------------ failures


def test_a_store_failing_midway_says_which_graphs_made_it(recorder_factory, expected):
    recorder = recorder_factory([201, 500], body=b"disk full")
    graphs = list(expected)
    with pytest.raises(PublishError) as err:
        publish(recorder.url)
    assert [u.graph for u in err.value.published] == graphs[:1]
    assert err.value.failed.graph == graphs[1]
    assert [u.graph for u in err.value.remaining] == graphs[2:]
    assert recorder.graphs() == graphs[:2]
    assert str(err.value) == (
        f"publishing to {recorder.url} failed at graph <{graphs[1]}>: HTTP 500 Internal Server Error (disk full). "
        f"Published before the failure: <{graphs[0]}>. Not published: "
        + ", ".join(f"<{g}>" for g in graphs[1:]) + ". Publishing again replaces every graph.")


def test_cli_failure_midway_exits_2_and_names_the_graphs(recorder_factory, expected):
    recorder = recorder_factory([204, 500])
    graphs = list(expected)
    done = run_cli("publish", "--endpoint", recorder.url)
    assert done.returncode == 2
    assert done.stderr.startswith(f"Error: publishing to {recorder.url} failed at graph <{graphs[1]}>")
    assert f"Published before the failure: <{graphs[0]}>." in done.stderr
    assert "Traceback" not in done.stderr
    assert f"<{graphs[0]}>  HTTP 204" in done.stdout


def test_a_store_that_cannot_be_reached_is_a_publish_error():
    with pytest.raises(PublishError, match="Published before the failure: none"):
        publish(f"http://127.0.0.1:{free_port()}/store")


@pytest.mark.parametrize("endpoint", ["ftp://example.org/store", "localhost:7878/store"])
def test_an_endpoint_that_is_not_http_is_refused(endpoint):
    with pytest.raises(MeakgError, match="expected an http\\(s\\) Graph Store endpoint"):
        publish(endpoint, dry_run=True)


# ------------------------------------------------------------------ credentials


def test_basic_and_bearer_credentials_come_from_the_environment(recorder_factory):
    basic = "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
    assert auth_header({"MEAKG_PUBLISH_USER": USER, "MEAKG_PUBLISH_PASSWORD": PASSWORD}) == basic
    assert auth_header({"MEAKG_PUBLISH_TOKEN": TOKEN, "MEAKG_PUBLISH_USER": USER}) == f"Bearer {TOKEN}"
    assert auth_header({}) is None
    recorder = recorder_factory([201] * 20)
    with pytest.warns(UserWarning, match="plain http"):
        publish(recorder.url, env={"MEAKG_PUBLISH_TOKEN": TOKEN})
    assert {headers["Authorization"] for _, headers, _ in recorder.requests} == {f"Bearer {TOKEN}"}


def test_half_of_a_basic_login_is_refused_without_showing_it():
    with pytest.raises(MeakgError) as err:
        auth_header({"MEAKG_PUBLISH_PASSWORD": PASSWORD})
    assert PASSWORD not in str(err.value)
    assert str(err.value) == ("expected both MEAKG_PUBLISH_USER and MEAKG_PUBLISH_PASSWORD for Basic authentication,"
                              " found only MEAKG_PUBLISH_PASSWORD")


@pytest.mark.parametrize("env", [{"MEAKG_PUBLISH_USER": USER, "MEAKG_PUBLISH_PASSWORD": PASSWORD},
                                 {"MEAKG_PUBLISH_TOKEN": TOKEN}], ids=["basic", "bearer"])
@pytest.mark.parametrize("echo", [b"bad credentials: {auth}", b"{auth-cut}", b"{auth-upper}", b"{auth-base64}"],
                         ids=["whole", "truncated", "upper-cased", "base64"])
def test_credentials_never_appear_in_output_however_the_store_echoes_them(recorder_factory, env, echo):
    recorder = recorder_factory([201, 401], body=echo)
    done = run_cli("publish", "--endpoint", recorder.url, env=env)
    assert done.returncode == 2
    assert ("HTTP 401 Unauthorized (the store's answer is not shown: it could echo the credentials)"
            in done.stderr)
    secrets = [PASSWORD, TOKEN, base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()]
    shown = (done.stdout + done.stderr).lower()
    for secret in secrets:
        for form in (secret, secret[:8], secret.upper(), base64.b64encode(secret.encode()).decode()):
            assert form.lower() not in shown
    assert recorder.requests[0][1]["Authorization"].split(" ", 1)[1] in secrets


def test_without_credentials_the_stores_answer_is_shown(recorder_factory):
    recorder = recorder_factory([500], body=b"disk full")
    with pytest.raises(PublishError, match=r"HTTP 500 Internal Server Error \(disk full\)"):
        publish(recorder.url, env={})


@pytest.mark.parametrize("env, kind", [({"MEAKG_PUBLISH_TOKEN": TOKEN}, "a Bearer token (MEAKG_PUBLISH_TOKEN)"),
                                       ({"MEAKG_PUBLISH_USER": USER, "MEAKG_PUBLISH_PASSWORD": PASSWORD},
                                        "a Basic login (MEAKG_PUBLISH_USER, MEAKG_PUBLISH_PASSWORD)")],
                         ids=["bearer", "basic"])
def test_credentials_over_plain_http_get_a_warning_first(recorder_factory, env, kind):
    recorder = recorder_factory([201] * 20)
    done = run_cli("publish", "--endpoint", recorder.url, env=env)
    assert done.returncode == 0
    assert done.stderr == (f"Warning: sending {kind} over plain http to 127.0.0.1: anyone on the way can read it; "
                           "use an https endpoint\n")
    with pytest.warns(UserWarning, match="over plain http to 127.0.0.1"):
        publish(recorder.url, env=env, dry_run=True)
    assert run_cli("publish", "--endpoint", recorder.url, "--dry-run", env={"MEAKG_PUBLISH_TOKEN": ""}).stderr == ""


def test_an_endpoint_url_with_credentials_is_refused_without_echoing_it():
    done = run_cli("publish", "--endpoint", f"http://{USER}:{PASSWORD}@127.0.0.1:1/store")
    assert done.returncode == 2
    assert PASSWORD not in done.stdout + done.stderr
    assert done.stderr.startswith("Error: expected an endpoint URL without credentials")


def test_the_published_description_can_name_the_stores_sparql_endpoint(oxigraph):
    publish(oxigraph + "/store", sparql_endpoint=oxigraph + "/query")
    query = (f"SELECT ?e WHERE {{ GRAPH <{DESCRIPTION}> {{ ?d <http://rdfs.org/ns/void#sparqlEndpoint> ?e }} }}")
    req = urllib.request.Request(oxigraph + "/query?" + urllib.parse.urlencode({"query": query}),
                                 headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(req, timeout=30) as response:
        rows = json.load(response)["results"]["bindings"]
    assert [row["e"]["value"] for row in rows] == [oxigraph + "/query"]


# ------------------------------------------------------- hardening: what a hostile or odd server or environment does


@pytest.fixture
def not_http():
    """A server that answers every request with a non-HTTP line echoing the request's Authorization header."""
    import socket

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    url = f"http://127.0.0.1:{listener.getsockname()[1]}/store"

    def answer():
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            with conn:
                request = b""
                while b"\r\n\r\n" not in request:
                    chunk = conn.recv(65536)
                    if not chunk:
                        break
                    request += chunk
                auth = [line for line in request.split(b"\r\n") if line.lower().startswith(b"authorization:")]
                conn.sendall(b"NOT-HTTP " + (auth[0].split(b":", 1)[1].strip() if auth else b"") + b"\r\n\r\n")

    thread = threading.Thread(target=answer, daemon=True)
    thread.start()
    yield url
    listener.close()


def test_a_server_echoing_the_request_as_a_bad_status_line_never_shows_the_token(not_http):
    done = run_cli("publish", "--endpoint", not_http, env={"MEAKG_PUBLISH_TOKEN": TOKEN})
    assert done.returncode == 2
    assert TOKEN not in done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    warning, error = done.stderr.splitlines()  # the plain-http warning, then the one-line error
    assert warning.startswith("Warning: sending a Bearer token (MEAKG_PUBLISH_TOKEN) over plain http")
    assert "failed at graph" in error and "the server did not answer in HTTP (BadStatusLine)" in error


def test_a_token_ending_in_a_carriage_return_is_sent_without_it(recorder_factory):
    recorder = recorder_factory([201] * 20)
    done = run_cli("publish", "--endpoint", recorder.url, env={"MEAKG_PUBLISH_TOKEN": TOKEN + "\r\n"})
    assert done.returncode == 0, done.stderr
    assert {headers["Authorization"] for _, headers, _ in recorder.requests} == {f"Bearer {TOKEN}"}


@pytest.mark.parametrize("token, found", [(TOKEN + "\u20ac", "a character outside Latin-1 at position 21"),
                                          ("tok\rx" + TOKEN, "a control character at position 4")],
                         ids=["euro-sign", "inner-carriage-return"])
def test_a_token_no_header_can_carry_is_one_line_naming_the_position_not_the_token(recorder_factory, token, found):
    recorder = recorder_factory([201] * 20)
    done = run_cli("publish", "--endpoint", recorder.url, env={"MEAKG_PUBLISH_TOKEN": token})
    assert done.returncode == 2
    assert done.stderr == ("Error: expected MEAKG_PUBLISH_TOKEN to hold printable Latin-1 characters only, "
                           f"found {found}\n")
    assert TOKEN not in done.stdout and recorder.requests == []


def test_an_endpoint_with_a_port_that_is_not_a_number_is_one_line():
    done = run_cli("publish", "--endpoint", "http://127.0.0.1:78x/store", env={"MEAKG_PUBLISH_TOKEN": TOKEN})
    assert done.returncode == 2
    assert done.stderr == ("Error: expected an http(s) Graph Store endpoint with a numeric port (0-65535), such as "
                           "http://localhost:7878/store, found 'http://127.0.0.1:78x/store'\n")
