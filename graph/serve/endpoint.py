"""A read-only SPARQL endpoint over the built graph: waitress for HTTP, the gate's application, engines in children.

``start()`` binds the public address first (so the port is known and held), loads the stored build
(every named graph, the description naming the endpoint, the saved-query catalogue) into an Oxigraph
store directory with ``oxigraph load``, and serves it with ``graph.serve.gate``'s application under
waitress: a production WSGI server (pure Python, no dependencies) that reads chunked request bodies as
one request, keeps connections alive, closes idle ones after a timeout and serves them from a fixed
pool of threads with a bound on open connections. Queries run in ``queries.engine`` children that
listen on no port at all: the gate talks to them over pipes. ``start()`` returns a ``Server`` handle
that tests and notebooks use directly; ``run()`` is the command line's wrapper that waits for Ctrl-C.

The store directory is meakg's only if it says so: a folder is filled only when it is new, empty, or
holds the marker (``graph/folders.py``: ``.meakg``, kind ``endpoint-store``) a previous load wrote; anything else
is refused, untouched.
"""

from __future__ import annotations

import atexit
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from meakg.graph.export.catalogue import QUERIES_GRAPH, listing_url
from meakg.graph.export.catalogue import nquads as catalogue_nquads
from meakg.graph.folders import MARKER, claim_directory, owned, remove_owned
from meakg.ontology.errors import MeakgError

if TYPE_CHECKING:
    import pyoxigraph

    from meakg.graph.serve.gate import Gate

LOOPBACK = "127.0.0.1"
DEFAULT_PORT = 7878
DEFAULT_TIMEOUT = 30.0   # seconds per query, waiting included
KIND = "endpoint-store"  # the kind of folder meakg serve makes (graph/folders.py marks and owns folders)
MAX_CONNECTIONS = 500    # open connections waitress serves at once; more wait in the listen backlog
IDLE_TIMEOUT = 30        # seconds an idle keep-alive or half-open connection is kept


@dataclass
class Server:
    """A running endpoint: where it listens, its store directory, its application and HTTP server."""

    host: str
    port: int
    location: Path
    gate: Gate | None = field(repr=False, default=None)
    http: Any = field(repr=False, default=None)   # waitress's server
    thread: threading.Thread | None = field(repr=False, default=None)
    _stopping: threading.Event = field(repr=False, default_factory=threading.Event)

    @property
    def url(self) -> str:
        return f"http://{_url_host(self.host)}:{self.port}"

    @property
    def query_url(self) -> str:
        """The SPARQL 1.1 Protocol query endpoint (GET ?query= or POST)."""
        return self.url + "/query"

    def stop(self, timeout: float = 10.0) -> None:
        """Stop serving: close every connection, end the engine children."""
        self._stopping.set()
        if self.http is not None:
            http, self.http = self.http, None
            http.trigger.pull_trigger(lambda: [d.close() for d in list(http._map.values())])
            if self.thread is not None:
                self.thread.join(timeout)
            http.task_dispatcher.shutdown(timeout=timeout)
        if self.gate is not None:
            self.gate.close()
        atexit.unregister(self.stop)

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def oxigraph_binary() -> str:
    """Return the path of the ``oxigraph`` program (from the oxigraph PyPI package, next to this Python)."""
    beside = Path(sys.executable).parent / "oxigraph"
    found = str(beside) if beside.exists() else shutil.which("oxigraph")
    if not found:
        raise MeakgError("cannot find the 'oxigraph' program; expected it from the oxigraph package "
                         "(python -m pip install oxigraph)")
    return found


def free_port(host: str = LOOPBACK) -> int:
    """Return a TCP port nobody listens on at *host* right now.

    >>> 1024 <= free_port() <= 65535
    True
    """
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def claim(location: Path) -> None:
    """Fail unless *location* may be (re)filled: nothing there, an empty folder, or a store meakg serve made.

    >>> claim(Path("/"))
    Traceback (most recent call last):
    ...
    meakg.ontology.errors.MeakgError: --store /: expected a new or empty folder, or a store meakg serve made ...
    """
    location = Path(location)
    if location.is_symlink() or (location.exists() and not location.is_dir()):
        raise MeakgError(f"--store {location}: expected a folder for the endpoint's store, found "
                         f"{'a symbolic link' if location.is_symlink() else 'a file'}, and left it untouched")
    if location.is_dir() and not owned(location, KIND) and any(location.iterdir()):
        raise MeakgError(f"--store {location}: expected a new or empty folder, or a store meakg serve made (it holds "
                         f"{MARKER}); found a folder meakg did not make, and left it untouched")


def load_store(location: Path, *, endpoint: str | None = None, directory: Path | None = None) -> Path:
    """Fill the store directory *location* with the stored build, its description and the catalogue; return it.

    The data goes into a fresh folder that then takes *location*'s place, so a failed load leaves the
    previous store as it was; *location* must pass ``claim``.
    """
    from meakg.graph.build.store import MERGE_NAMED_GRAPHS
    from meakg.graph.export.rdf import choose, load

    location = Path(location)
    claim(location)
    quads = choose(load(directory), "all", endpoint=endpoint).serialize(format="nquads", encoding="utf-8")
    quads += catalogue_nquads(endpoint)  # the saved queries, sh:SPARQLExecutable, in their own graph
    try:
        location.parent.mkdir(parents=True, exist_ok=True)
        fresh = Path(tempfile.mkdtemp(dir=location.parent, prefix=f".{location.name}.", suffix=".loading"))
    except OSError as err:
        raise MeakgError(f"{location.parent}: cannot write the endpoint's store ({err.strerror or err});"
                         " give --store a writable directory") from None
    try:
        claim_directory(fresh, kind=KIND)
        done = subprocess.run([oxigraph_binary(), "load", "--location", str(fresh), "--format", "nq"],
                              input=quads, capture_output=True, timeout=300)
        if done.returncode == 0:
            done = subprocess.run([oxigraph_binary(), "update", "--location", str(fresh),
                                   "--update", MERGE_NAMED_GRAPHS], capture_output=True, timeout=300)
        if done.returncode != 0:
            raise MeakgError(f"oxigraph load into {location} failed: {done.stderr.decode('utf-8', 'replace').strip()}")
        _swap(fresh, location)
    finally:
        if fresh.exists():
            shutil.rmtree(fresh, ignore_errors=True)
    return location


def _swap(fresh: Path, location: Path) -> None:
    """Put *fresh* in *location*'s place; the old folder (checked by ``claim``) goes only after."""
    if not location.exists():
        os.replace(fresh, location)
        return
    old = claim_directory(Path(tempfile.mkdtemp(dir=location.parent, prefix=f".{location.name}.", suffix=".old")),
                          kind=KIND)
    os.replace(location, old / "store")
    os.replace(fresh, location)
    remove_owned(old)   # the store it holds passed ``claim``: meakg's own, or empty


def start(host: str = LOOPBACK, port: int = DEFAULT_PORT, *, timeout: float | None = DEFAULT_TIMEOUT,
          location: Path | None = None, directory: Path | None = None, max_concurrent: int | None = None,
          allow_service: bool = False, site: Path | None = None, max_bytes: int | None = None,
          idle_timeout: float = IDLE_TIMEOUT) -> Server:
    """Load the build into *location* and serve it read-only on *host*:*port*; return the running server.

    *port* 0 picks a free port. *timeout* is the per-query limit in seconds (None: the default, 30 s);
    *max_concurrent* how many queries run at once (default 4); *allow_service* lets SERVICE clauses
    through; *site* is the folder of ``meakg site`` pages the IRIs' HTML answers come from; *max_bytes*
    bounds an answer (default 64 MB); a connection idle for *idle_timeout* seconds is closed.
    """
    from waitress.server import BaseWSGIServer, create_server
    from waitress.task import ThreadedTaskDispatcher

    from meakg.graph.build.store import build_dir
    from meakg.graph.serve.gate import DEFAULT_MAX_BYTES, DEFAULT_MAX_CONCURRENT, MAX_BODY, Gate

    timeout = timeout or DEFAULT_TIMEOUT
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)  # a queue of waiting requests is the design
    location = Path(location or build_dir() / "endpoint")
    claim(location)
    # threads beyond the engines: a request waiting for an engine is timed from its arrival only while a
    # thread holds it (waitress queues what no thread takes)
    threads, app = 4 * (max_concurrent or DEFAULT_MAX_CONCURRENT) + 4, _Application()
    try:  # no threads yet (the dispatcher's start below), so the engines' children are forked, which is cheap
        http = create_server(app, host=host, port=port, threads=threads, _dispatcher=ThreadedTaskDispatcher(),
                             connection_limit=MAX_CONNECTIONS, channel_timeout=idle_timeout, ident="meakg",
                             cleanup_interval=max(1, int(idle_timeout / 2)),
                             max_request_body_size=MAX_BODY, expose_tracebacks=False,
                             clear_untrusted_proxy_headers=True)
    except (OSError, ValueError) as err:
        raise MeakgError(f"could not serve on {host}:{port}: {getattr(err, 'strerror', None) or err}"
                         " (expected a free port; try --port 0 for any free one)") from None
    if not isinstance(http, BaseWSGIServer):  # a name with several addresses: one server on each
        listening = ", ".join(f"{h}:{p}" for h, p in http.effective_listen)
        http.close()
        raise MeakgError(f"could not serve on {host}:{port}: expected a host with one address, found "
                         f"{len(http.effective_listen)} ({listening}); give one of them, such as {LOOPBACK}")
    server = Server(host, http.effective_port, location, http=http)
    atexit.register(server.stop)  # a forgotten handle must not leave children behind
    try:
        load_store(location, endpoint=server.query_url, directory=directory)
        server.gate = Gate(location, query_url=server.query_url, timeout=timeout,
                           max_concurrent=max_concurrent or DEFAULT_MAX_CONCURRENT, allow_service=allow_service,
                           site=site, max_bytes=max_bytes or DEFAULT_MAX_BYTES)
        server.gate.service = _service_description(server.gate)
        app.gate = server.gate
        http.task_dispatcher.set_thread_count(threads)
        server.thread = threading.Thread(target=http.run, daemon=True, name="meakg-http")
        server.thread.start()
    except BaseException:  # including Ctrl-C while loading
        server.stop()
        raise
    return server


def _service_description(gate: Gate) -> list[pyoxigraph.Triple]:
    """Count each graph's triples through the engines (starting them now, while forking is cheap), then describe."""
    from meakg.graph.serve.service import description
    from meakg.queries.catalogue import from_answer

    for engine in gate.all_engines:
        engine.query("ASK {}")
    counting = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    engine = gate.all_engines[0]
    counts: dict[str | None, int] = {g: int(n or 0) for g, n in from_answer(engine.query(counting)).values()}
    [(total,)] = from_answer(engine.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")).values()
    counts[None] = int(total or 0)
    return description(gate.query_url, counts, timeout=gate.timeout, max_bytes=gate.max_bytes,
                       max_concurrent=gate.max_concurrent, federation=gate.allow_service)


def run(host: str = LOOPBACK, port: int = DEFAULT_PORT, *, timeout: float | None = None,
        location: Path | None = None, echo=print, max_concurrent: int | None = None,
        allow_service: bool = False, site: Path | None = None) -> None:
    """Serve until SIGINT or SIGTERM, then stop the server and return (the CLI exits 0)."""
    from meakg.graph.build.store import build_dir

    stopping: list[int] = []
    server: Server | None = None

    def stop(signum, frame):
        stopping.append(signum)
        if server is None:
            raise _Interrupted  # still loading or starting: unwind (start() stops what it started)
        server._stopping.set()

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        try:
            site = site_of_build(site, echo, write=False) if site else site_of_build(build_dir() / "site", echo)
            server = start(host, port, timeout=timeout, location=location, max_concurrent=max_concurrent,
                           allow_service=allow_service, site=site)
        except _Interrupted:
            return
        echo(f"SPARQL endpoint (read-only): {server.query_url}")
        echo(f"Graph Store (read-only):     {server.url}/store")
        echo(f"Service description:         {server.query_url} (GET, no query)")
        echo(f"VoID:                        {server.url}/.well-known/void")
        echo(f"Pages and RDF of each IRI:   {server.url}/id/...  {server.url}/ontology  {server.url}/query/NAME")
        echo(f"Saved queries (sh:SPARQLExecutable, graph <{QUERIES_GRAPH}>): {listing_url(server.query_url)}")
        echo("Press Ctrl-C to stop.")
        while not server._stopping.wait(0.5):
            pass
    finally:
        if server is not None:
            server.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def site_of_build(folder: Path, echo, *, write: bool = True, directory: Path | None = None) -> Path:
    """Return *folder*, the site whose pages the IRIs resolve to, once it shows the current build: written first
    (*write*) when it is missing or was made from another build, else, when stale, said so on stderr.
    """
    from meakg.graph.build.current import ensure_current
    from meakg.graph.site.write import build_site, made_from

    made = made_from(folder)
    if made == ensure_current(directory).key:
        return folder
    if not write:
        print(f"Warning: the pages in {folder} were not made from the current build (they stay as they are; "
              f"'meakg site --out {folder}' writes them again)", file=sys.stderr)
        return folder
    missing = not (folder / "index.html").is_file()
    build_site(folder, directory=directory)
    echo(f"Wrote the site (the pages of the IRIs) to {folder}"
         + ("" if missing else ": its pages were made from another build"))
    return folder


class _Interrupted(Exception):
    """SIGINT or SIGTERM arrived before the server was up."""


class _Application:
    """What waitress calls: the gate, once the store is loaded (waitress accepts nothing before ``run``)."""

    gate: Gate | None = None

    def __call__(self, environ, start_response):
        if self.gate is not None:
            return self.gate(environ, start_response)
        start_response("503 Service Unavailable", [("Content-Type", "text/plain; charset=utf-8")])
        return [b"starting; try again shortly\n"]


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host and not host.startswith("[") else host
