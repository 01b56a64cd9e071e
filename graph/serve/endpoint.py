"""A read-only SPARQL endpoint over the built graph, served by Oxigraph's own server.

``start()`` loads the stored build (every named graph, plus the description graph naming the
endpoint) into an Oxigraph store directory with ``oxigraph load``, then runs ``oxigraph
serve-read-only`` on it, on a private loopback port, with the merge of the named graphs as the default
graph (saved queries without GRAPH clauses see every graph, each triple once). The public address
is ``graph.gate``'s: it checks each query (depth, SERVICE), bounds how many run at once, and sends an
answer only when it is complete within the timeout (else HTTP 503). If the engine process dies, it
is started again. ``start()`` returns a ``Server`` handle that tests and notebooks use directly;
``run()`` is the command line's wrapper that waits for Ctrl-C.

One server per store directory: a new start reloads the directory it is given.
"""

from __future__ import annotations

import atexit
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from meakg.graph.export.catalogue import QUERIES_GRAPH, listing_url
from meakg.graph.export.catalogue import nquads as catalogue_nquads
from meakg.ontology.errors import MeakgError

LOOPBACK = "127.0.0.1"
DEFAULT_PORT = 7878
DEFAULT_TIMEOUT = 30.0  # seconds per query


@dataclass
class Server:
    """A running Oxigraph server: where it listens, its process, its store directory."""

    host: str
    port: int
    location: Path
    process: subprocess.Popen
    command: list[str]
    _log: object = field(repr=False, default=None)
    gate: object = field(repr=False, default=None)
    restarts: int = 0
    _stopping: threading.Event = field(repr=False, default_factory=threading.Event)

    @property
    def url(self) -> str:
        return f"http://{_url_host(self.host)}:{self.port}"

    @property
    def query_url(self) -> str:
        """The SPARQL 1.1 Protocol query endpoint (GET ?query= or POST)."""
        return self.url + "/query"

    def log(self) -> str:
        """Return what the server has written to stderr so far."""
        if self._log is None or self._log.closed:
            return ""
        self._log.seek(0)
        return self._log.read().decode("utf-8", "replace")

    def stop(self, timeout: float = 10.0) -> int | None:
        """Terminate the server (SIGTERM, then SIGKILL after *timeout* seconds) and return its exit code."""
        self._stopping.set()
        if self.gate is not None:
            self.gate.shutdown()
            self.gate.server_close()
            self.gate = None
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout)
        if self._log is not None and not self._log.closed:
            self._log.close()
        atexit.unregister(self.stop)
        return self.process.returncode

    def stop_engine(self) -> None:
        """Kill the engine (a query outlived its timeout and grace); watch() starts it again."""
        if self.process.poll() is None:
            self.process.kill()

    def watch(self) -> None:
        """Start the engine again whenever it dies (until stop()): one bad request must not end the endpoint."""
        while not self._stopping.wait(0.2):
            if self.process.poll() is not None and not self._stopping.is_set():
                self.restarts += 1
                self.process = subprocess.Popen(self.command, stdout=self._log, stderr=self._log,
                                                stdin=subprocess.DEVNULL)

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc) -> None:
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


def load_store(location: Path, *, endpoint: str | None = None, directory: Path | None = None) -> Path:
    """Fill the Oxigraph store directory *location* with the stored build and its description; return it.

    The data goes into a fresh directory that then replaces *location*, so a failed load leaves
    the previous store as it was.
    """
    from meakg.graph.build.store import MERGE_NAMED_GRAPHS
    from meakg.graph.export.rdf import choose, load

    quads = choose(load(directory), "all", endpoint=endpoint).serialize(format="nquads", encoding="utf-8")
    quads += catalogue_nquads(endpoint)  # the saved queries, sh:SPARQLExecutable, in their own graph
    location = Path(location)
    try:
        location.parent.mkdir(parents=True, exist_ok=True)
        fresh = Path(tempfile.mkdtemp(dir=location.parent, prefix=f".{location.name}.", suffix=".loading"))
    except OSError as err:
        raise MeakgError(f"{location.parent}: cannot write the endpoint's store ({err.strerror or err});"
                         " give --store a writable directory") from None
    try:
        done = subprocess.run([oxigraph_binary(), "load", "--location", str(fresh), "--format", "nq"],
                              input=quads, capture_output=True, timeout=300)
        if done.returncode == 0:
            done = subprocess.run([oxigraph_binary(), "update", "--location", str(fresh), "--update", MERGE_NAMED_GRAPHS],
                                  capture_output=True, timeout=300)
        if done.returncode != 0:
            raise MeakgError(f"oxigraph load into {location} failed: {done.stderr.decode('utf-8', 'replace').strip()}")
        if location.exists():
            shutil.rmtree(location)
        os.replace(fresh, location)
    finally:
        if fresh.exists():
            shutil.rmtree(fresh, ignore_errors=True)
    return location


def start(host: str = LOOPBACK, port: int = DEFAULT_PORT, *, timeout: float | None = DEFAULT_TIMEOUT,
          location: Path | None = None, directory: Path | None = None, wait: float = 30.0,
          max_concurrent: int | None = None, allow_service: bool = False) -> Server:
    """Load the build into *location* and start a read-only endpoint on *host*:*port*; return its handle.

    *port* 0 picks a free port. *timeout* is the per-query limit in seconds (None: the default, 30 s);
    *max_concurrent* how many queries run at once (default 4); *allow_service* lets SERVICE clauses
    through. Waits up to *wait* seconds for the server to answer a query, and fails (stopping it) otherwise.
    """
    from meakg.graph.build.store import build_dir
    from meakg.graph.serve.gate import DEFAULT_MAX_CONCURRENT, Gate

    timeout = timeout or DEFAULT_TIMEOUT
    port = port or free_port(host)
    _check_port(host, port)
    location = Path(location or build_dir() / "oxigraph")
    endpoint = f"http://{_url_host(host)}:{port}/query"
    load_store(location, endpoint=endpoint, directory=directory)
    engine_port = free_port(LOOPBACK)
    command = [oxigraph_binary(), "serve-read-only", "--location", str(location),
               "--bind", f"{LOOPBACK}:{engine_port}",
               "--timeout-s", str(int(timeout) if float(timeout).is_integer() else timeout)]
    log = tempfile.TemporaryFile()
    server = Server(host, port, location, subprocess.Popen(command, stdout=log, stderr=log,
                                                           stdin=subprocess.DEVNULL), command, log)
    atexit.register(server.stop)  # a forgotten handle must not leave a server behind
    try:
        try:
            server.gate = Gate((host, port), (LOOPBACK, engine_port), timeout=timeout,
                               max_concurrent=max_concurrent or DEFAULT_MAX_CONCURRENT, allow_service=allow_service,
                               stop_engine=server.stop_engine)
        except OSError as err:
            raise MeakgError(f"could not serve on {host}:{port}: {err.strerror}"
                             " (expected a free port; try --port 0 for any free one)") from None
        threading.Thread(target=server.gate.serve_forever, daemon=True, name="meakg-gate").start()
        _wait_until_ready(server, wait)
        threading.Thread(target=server.watch, daemon=True, name="meakg-engine-watch").start()
    except BaseException:  # including Ctrl-C while waiting
        server.stop()
        raise
    return server


def run(host: str = LOOPBACK, port: int = DEFAULT_PORT, *, timeout: float | None = None,
        location: Path | None = None, echo=print, max_concurrent: int | None = None,
        allow_service: bool = False) -> None:
    """Serve until SIGINT or SIGTERM, then stop the server and return (the CLI exits 0).

    Raises MeakgError if the server stops on its own.
    """
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
            server = start(host, port, timeout=timeout, location=location, max_concurrent=max_concurrent,
                           allow_service=allow_service)
        except _Interrupted:
            return
        echo(f"SPARQL endpoint (read-only): {server.query_url}")
        echo(f"Graph Store (read-only):     {server.url}/store")
        echo(f"Query page:                  {server.url}/  (saved queries: graph <{QUERIES_GRAPH}>)")
        echo(f"Saved queries (sh:SPARQLExecutable): {listing_url(server.query_url)}")
        echo("Press Ctrl-C to stop.")
        while not server._stopping.wait(0.5):
            pass
    finally:
        if server is not None:
            server.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)


class _Interrupted(Exception):
    """SIGINT or SIGTERM arrived before the server was up."""


def _check_port(host: str, port: int) -> None:
    """Fail if something already listens on *host*:*port* (its answers would pass for ours)."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as servers do: TIME_WAIT is no obstacle
        try:
            sock.bind((host, port))
        except OSError as err:
            raise MeakgError(f"oxigraph could not serve on {host}:{port}: {err.strerror}"
                             " (expected a free port; try --port 0 for any free one)") from None


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


def _wait_until_ready(server: Server, wait: float) -> None:
    probe = server.query_url + "?" + urllib.parse.urlencode({"query": "ASK {}"})
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            log = server.log().strip()
            server.stop()
            raise MeakgError(f"oxigraph could not serve on {server.host}:{server.port}: {log[-500:]}")
        try:
            with urllib.request.urlopen(probe, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            time.sleep(0.05)
    server.stop()
    raise MeakgError(f"oxigraph did not answer on {server.query_url} within {wait:g} s")
