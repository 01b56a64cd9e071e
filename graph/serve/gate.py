"""The endpoint's application: the SPARQL 1.1 Protocol, the IRIs it names, CORS, and the bounds on every query.

A WSGI application served by waitress (``graph.serve.endpoint``), which does the HTTP: chunked request
bodies, keep-alive, idle connections closed after a timeout, a fixed pool of threads and a bound on
open connections. Queries run in a pool of ``queries.engine.Engine`` children over the store, one
query each at a time: no network (SERVICE refused unless federation is allowed), killed at the
deadline (HTTP 503), a crash ending only that child (HTTP 400; the next query gets a new one). The
engine listens nowhere: the gate talks to it over pipes.

Paths: ``/query`` (GET or POST; without a query, the service description), ``/store?graph=IRI`` or
``?default`` (read), ``/.well-known/void`` (the VoID description), ``/id/...``, ``/ontology``,
``/query/<name>`` (an IRI's page for a browser, its triples for an RDF client: content negotiation),
and the static site. Every answer carries ``Access-Control-Allow-Origin: *``; ``OPTIONS`` is the CORS
pre-flight. Updates, uploads and other methods are refused (403, 405).
"""

from __future__ import annotations

import mimetypes
import queue
import threading
import time
import urllib.parse
from pathlib import Path

import pyoxigraph

from meakg.graph.export.formats import FILES as PUBLISHED
from meakg.graph.export.formats import SSSOM
from meakg.graph.serve import negotiate
from meakg.graph.serve.service import serialize
from meakg.graph.site.links import page_path
from meakg.ontology.vocab import ID, ONTOLOGY_IRI, graph_iri
from meakg.queries.engine import Engine, EngineError
from meakg.queries.header import QUERY_BASE
from meakg.queries.limits import MAX_QUERY_FILE_BYTES

DEFAULT_MAX_CONCURRENT = 4
DEFAULT_MAX_BYTES = 64 * 1024 * 1024
MAX_BODY = MAX_QUERY_FILE_BYTES  # bytes of a POST body (waitress answers 413 above it)
STATUS = {200: "200 OK", 204: "204 No Content", 303: "303 See Other", 400: "400 Bad Request", 403: "403 Forbidden",
          404: "404 Not Found", 405: "405 Method Not Allowed", 406: "406 Not Acceptable",
          413: "413 Request Entity Too Large", 503: "503 Service Unavailable"}
CORS = [("Access-Control-Allow-Origin", "*")]
PREFLIGHT = [("Access-Control-Allow-Methods", "GET, HEAD, POST, OPTIONS"), ("Access-Control-Max-Age", "86400")]
STATUS_OF = {"timeout": 503, "bytes": 503, "update": 403}  # any other refusal of the engine: 400
QUERIES = graph_iri("queries")
PROVENANCE = graph_iri("provenance")
DESCRIPTION = graph_iri("description")
READ_ONLY = "this endpoint is read-only: updates and uploads are refused"
TEXT = "text/plain; charset=utf-8"
# what a w3id IRI of a file points at: the JSON-LD context, and every file the description offers for download
# (a dcat:distribution: the export in each RDF syntax, the SSSOM mapping set), made once from the build
FILES = {"/context.jsonld": "application/ld+json; charset=utf-8",
         **{"/" + f.path: f"{f.media_type}; charset=utf-8" for f in PUBLISHED.values()}}
EXPORTS = {"/" + f.path: name for name, f in PUBLISHED.items()}


class Reply:
    """An HTTP answer: status, headers, body."""

    def __init__(self, status: int, body: bytes = b"", content_type: str | None = TEXT, headers=()):
        self.status, self.body = status, body
        self.headers = ([("Content-Type", content_type)] if content_type and body else []) + list(headers)


def text(status: int, message: str, **kw) -> Reply:
    return Reply(status, (message + "\n").encode("utf-8"), **kw)


class Gate:
    """The WSGI application over the read-only store at *location*."""

    def __init__(self, location: Path, *, query_url: str, timeout: float,
                 max_concurrent: int = DEFAULT_MAX_CONCURRENT, max_bytes: int = DEFAULT_MAX_BYTES,
                 allow_service: bool = False, site: Path | None = None, service=()):
        self.query_url, self.timeout, self.max_bytes = query_url, timeout, max_bytes
        self.max_concurrent, self.allow_service, self.site = max_concurrent, allow_service, site
        self.service = list(service)  # the sd:Service triples
        self._files: dict[str, bytes] = {}
        self._files_lock = threading.Lock()
        self.engines: queue.LifoQueue[Engine] = queue.LifoQueue()
        self.all_engines = [Engine(location) for _ in range(max_concurrent)]
        for engine in self.all_engines:
            self.engines.put(engine)

    def close(self) -> None:
        """End every engine child (a query running now is answered 400)."""
        for engine in self.all_engines:
            engine.kill()
            engine.close()

    def __call__(self, environ, start_response):
        try:
            reply = self.route(environ)
        except _Refusal as refusal:
            reply = refusal.reply
        headers = reply.headers + CORS + [("Content-Length", str(len(reply.body)))]
        start_response(STATUS[reply.status], headers)
        return [b"" if environ["REQUEST_METHOD"] == "HEAD" else reply.body]

    # ------------------------------------------------------------------ routing

    def route(self, environ) -> Reply:
        method, path = environ["REQUEST_METHOD"], _path(environ)
        if method == "OPTIONS":
            asked = environ.get("HTTP_ACCESS_CONTROL_REQUEST_HEADERS") or "Accept, Content-Type"
            return Reply(204, headers=PREFLIGHT + [("Access-Control-Allow-Headers", asked)])
        if method in ("PUT", "DELETE", "PATCH") or (method == "POST" and path != "/query"):
            return text(403, READ_ONLY)
        if method not in ("GET", "HEAD", "POST"):
            return text(405, f"expected GET, HEAD, POST or OPTIONS, found {method}",
                        headers=[("Allow", "GET, HEAD, POST, OPTIONS")])
        params = urllib.parse.parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True)
        accept = environ.get("HTTP_ACCEPT", "")
        if path == "/query":
            return self.sparql(environ, params, accept)
        if path == "/update":
            return text(403, READ_ONLY)
        if path == "/store":
            return self.graph_store(params, accept)
        if path == "/.well-known/void":
            return self.construct(_graph_query(DESCRIPTION), accept)
        if path in FILES:  # the JSON-LD context and the SSSOM mapping set, where their w3id IRIs point
            return Reply(200, self.file(path), FILES[path])
        for base, prefix in (("/id/", ID), ("/query/", QUERY_BASE)):
            if path.startswith(base) and len(path) > len(base):
                return self.resource(prefix + path[len(base):], accept)
        if path in ("/ontology", "/ontology.ttl", "/ontology.nt", "/ontology.jsonld", "/ontology.rdf"):
            return self.resource(ONTOLOGY_IRI + path[len("/ontology"):], accept)
        return self.static(path)

    def sparql(self, environ, params, accept: str) -> Reply:
        posted = environ["REQUEST_METHOD"] == "POST"
        body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0)) if posted else b""
        kind = environ.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
        if kind == "application/sparql-update" or "update" in params:
            return text(403, READ_ONLY)
        if kind == "application/x-www-form-urlencoded":
            form = urllib.parse.parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
            if "update" in form:
                return text(403, READ_ONLY)
            params = {**params, **form}
        elif kind == "application/sparql-query":
            params = {**params, "query": [body.decode("utf-8", "replace")]}
        if "query" not in params:
            if posted:
                return text(400, "expected a query: ?query=..., a form field query=..., or an application/sparql-query "
                                 "body")
            fmt = negotiate.choose(accept, negotiate.GRAPH) or "turtle"
            return Reply(200, serialize(self.service, fmt), _media(negotiate.GRAPH[fmt]), [("Vary", "Accept")])
        if len(params["query"]) != 1:
            return text(400, f"expected one query, found {len(params['query'])}")
        graphs = {key: [iri for iri in params.get(key, []) if _valid_iri(iri)] or None
                  for key in ("default-graph-uri", "named-graph-uri")}
        return self.answer(params["query"][0], accept, default_graph=graphs["default-graph-uri"],
                           named_graphs=graphs["named-graph-uri"])

    def graph_store(self, params, accept: str) -> Reply:
        if "default" in params:
            return self.construct("CONSTRUCT WHERE { ?s ?p ?o }", accept)
        graph = params.get("graph", [""])[0]
        if not _valid_iri(graph):
            return text(400, "expected ?graph=IRI (a graph of this dataset) or ?default")
        return self.construct(_graph_query(graph), accept)

    def resource(self, iri: str, accept: str) -> Reply:
        """An IRI of ours: its page for a browser (the site), its description for an RDF client."""
        iri, suffix = _split_suffix(iri)
        fmt = negotiate.SUFFIXES.get(suffix) or negotiate.choose(accept, negotiate.PAGE)
        if fmt is None:
            return text(406, "expected to be asked for one of: " + ", ".join(negotiate.PAGE.values()))
        if not _valid_iri(iri):
            return text(404, f"no such resource: {iri}")
        if fmt == "html":
            page = page_path(iri)
            if page is None:
                return text(404, f"no page for {iri}")
            if "#" in page:
                return Reply(303, headers=[("Location", "/" + page)])
            return self.static("/" + page, vary=True)
        reply = self.construct(_description_query(iri), accept, fmt=fmt)
        if reply.status == 200 and not _has_triples(reply.body, fmt):
            return text(404, f"the graph says nothing about {iri}")
        return reply

    def file(self, path: str) -> bytes:
        """The bytes of the context (ontology/context.jsonld) or a published export (every graph, with the
        description naming this endpoint), made once."""
        with self._files_lock:
            if path not in self._files:
                if path == "/context.jsonld":
                    from meakg.graph.export.rdf import CONTEXT_FILE

                    self._files[path] = CONTEXT_FILE.read_bytes()
                else:
                    from meakg.graph.export.exports import export

                    endpoint = None if EXPORTS[path] == SSSOM else self.query_url
                    self._files[path] = export(EXPORTS[path], endpoint=endpoint).text.encode("utf-8")
            return self._files[path]

    def static(self, path: str, *, vary: bool = False) -> Reply:
        """A file of the site (``meakg site``), never outside its folder."""
        if self.site is None or not self.site.is_dir():
            if path == "/":
                return text(200, f"meakg SPARQL endpoint: {self.query_url} (no site: run 'meakg site' to write one)")
            return text(404, f"not found: {path} (this endpoint serves no site: run 'meakg site')")
        root = self.site.resolve()
        relative = path.lstrip("/") or "index.html"
        target = (root / relative).resolve()
        if target.is_dir():
            target = target / "index.html"
        if root not in target.parents or not target.is_file():
            return text(404, f"not found: {path}")
        media = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        return Reply(200, target.read_bytes(), _media(media), [("Vary", "Accept")] if vary else [])

    # ------------------------------------------------------------------ running queries

    def construct(self, query: str, accept: str, *, fmt: str | None = None) -> Reply:
        fmt = fmt or negotiate.choose(accept, negotiate.GRAPH)
        if fmt is None:
            return text(406, "expected to be asked for one of: " + ", ".join(negotiate.GRAPH.values()))
        return self.answer(query, accept, triples_format=fmt)

    def answer(self, query: str, accept: str, *, triples_format: str | None = None, **graphs) -> Reply:
        started = time.monotonic()
        rows = negotiate.choose(accept, negotiate.ROWS) or "json"
        triples = triples_format or negotiate.choose(accept, negotiate.GRAPH) or "turtle"
        try:
            engine = self.engines.get(timeout=self.timeout)
        except queue.Empty:
            return text(503, f"busy: {self.max_concurrent} queries are running (the limit); try again shortly",
                        headers=[("Retry-After", "5")])
        timed_out = f"query: the query ran longer than {self.timeout:g} s (the limit)"
        try:
            left = self.timeout - (time.monotonic() - started)
            if left <= 0:  # its whole time went waiting for a place
                return text(503, timed_out)
            answer = engine.query(query, where="query", timeout=left, max_bytes=self.max_bytes,
                                  allow_service=self.allow_service, rows_format=rows, triples_format=triples, **graphs)
        except EngineError as err:
            if err.kind in ("timeout", "crash"):  # its child was killed or died: start the next one now
                threading.Thread(target=engine.start, kwargs={"allow_service": self.allow_service},
                                 daemon=True).start()
            return text(STATUS_OF.get(err.kind, 400), timed_out if err.kind == "timeout" else str(err))
        finally:
            self.engines.put(engine)
        media = negotiate.GRAPH[triples] if answer.kind == "triples" else negotiate.ROWS[rows]
        return Reply(200, answer.payload, _media(media), [("Vary", "Accept")])


class _Refusal(Exception):
    def __init__(self, reply: Reply):
        self.reply = reply


def _path(environ) -> str:
    raw = environ.get("PATH_INFO", "/") or "/"
    try:
        return raw.encode("latin-1").decode("utf-8")  # WSGI hands the path decoded as Latin-1
    except UnicodeError:
        raise _Refusal(text(400, "expected a path in UTF-8")) from None


def _media(media: str) -> str:
    textual = media.startswith("text/") or media.endswith(("+json", "+xml", "/json", "/ld+json"))
    return f"{media}; charset=utf-8" if textual else media


def _valid_iri(iri: str) -> bool:
    try:
        pyoxigraph.NamedNode(iri)
    except ValueError:
        return False
    return bool(iri) and not any(c in iri for c in "<>\"{}|^`\\ ")


def _split_suffix(iri: str) -> tuple[str, str]:
    for suffix in negotiate.SUFFIXES:
        if iri.endswith(suffix):
            return iri[:-len(suffix)], suffix
    return iri, ""


def _description_query(iri: str) -> str:
    """A bounded description of *iri*: the ontology graph for the ontology; a saved query's catalogue entry
    (its nodes in the queries graph); else the node's triples and the provenance statements about it."""
    if iri == ONTOLOGY_IRI:
        return _graph_query(graph_iri("ontology"))
    if iri.startswith(QUERY_BASE):
        return (f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{QUERIES}> {{ "
                f"<{iri}> (<urn:meakg:any>|!<urn:meakg:any>)* ?s . ?s ?p ?o }} }}")
    return (f"CONSTRUCT {{ <{iri}> ?p ?o . ?statement ?sp ?so }} WHERE {{ {{ <{iri}> ?p ?o }} UNION "
            f"{{ GRAPH <{PROVENANCE}> {{ ?statement <http://www.w3.org/1999/02/22-rdf-syntax-ns#subject> <{iri}> ; "
            "?sp ?so } } }")


def _graph_query(graph: str) -> str:
    return f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"


def _has_triples(body: bytes, fmt: str) -> bool:
    if fmt == "jsonld":
        return body.strip() not in (b"[]", b"{}", b"")
    if fmt == "rdfxml":
        return b"rdf:Description" in body or b"<rdf:Description" in body
    return any(line.strip() and not line.lstrip().startswith((b"@prefix", b"PREFIX", b"#"))
               for line in body.splitlines())
