"""The endpoint's front door: every request passes here before Oxigraph's server sees it.

Oxigraph's ``serve-read-only`` streams an answer as it computes it, so its own timeout cuts a
response that already went out as HTTP 200 (a truncated body, the error text looking like a data
row), fires late, and lets any number of queries run at once. The gate, a small threaded HTTP
server on the public address, forwards to Oxigraph on a private loopback port and:

- refuses, with HTTP 400 and one line of text, a query nesting deeper than ``queries.limits.MAX_DEPTH``
  (which would crash the engine) and, unless federation is allowed, a ``SERVICE`` clause;
- runs at most *max_concurrent* requests at once; one that waits the whole timeout for its turn
  gets HTTP 503 with ``Retry-After``;
- buffers each answer and sends it only when complete: an answer not complete within the timeout
  (counted from the request's arrival, waiting included) is HTTP 503, one larger than *max_bytes*
  is HTTP 503 too (never a cut-off 200);
- refuses writes (any method but GET, HEAD and POST, and POST anywhere but ``/query``) with 403.

A request that timed out keeps its slot until Oxigraph stops it, so the engine never runs more than
*max_concurrent* queries however many clients give up; one still running a grace period later gets
the engine stopped (``stop_engine``; ``graph.serve`` starts it again).
"""

from __future__ import annotations

import http.client
import socket
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from meakg.ontology.errors import QueryError
from meakg.queries.limits import MAX_QUERY_BYTES, check

DEFAULT_MAX_CONCURRENT = 4
DEFAULT_MAX_BYTES = 64 * 1024 * 1024
_FORWARDED = ("Accept", "Content-Type", "Accept-Encoding")
_KEPT = ("Content-Type", "Content-Encoding", "Vary")


class Gate(ThreadingHTTPServer):
    """The public server: checks each query, bounds concurrency and time, forwards to *backend* (host, port)."""

    daemon_threads = True
    request_queue_size = 64

    def __init__(self, address: tuple[str, int], backend: tuple[str, int], *, timeout: float,
                 max_concurrent: int = DEFAULT_MAX_CONCURRENT, max_bytes: int = DEFAULT_MAX_BYTES,
                 allow_service: bool = False, stop_engine=None):
        self.backend, self.query_timeout, self.max_bytes = backend, timeout, max_bytes
        self.stop_engine = stop_engine  # called when an abandoned query outlives its grace: the engine is restarted
        self.max_concurrent, self.allow_service = max_concurrent, allow_service
        self.slots = threading.BoundedSemaphore(max_concurrent)
        super().__init__(address, _Handler)


class _Handler(BaseHTTPRequestHandler):
    server: Gate
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        self._handle(b"")

    def do_HEAD(self) -> None:  # noqa: N802
        self._handle(b"")

    def do_POST(self) -> None:  # noqa: N802
        length = self.headers.get("Content-Length", "0")
        if not length.isdigit():
            return self._reply(411, "expected a Content-Length header with a number of bytes")
        if int(length) > MAX_QUERY_BYTES * 4:
            return self._reply(413, f"expected a request of at most {MAX_QUERY_BYTES * 4:,} bytes, found {int(length):,}")
        body = self.rfile.read(int(length))
        if urllib.parse.urlsplit(self.path).path != "/query":
            return self._reply(403, "this endpoint is read-only: updates and uploads are refused")
        self._handle(body)

    def _refuse_write(self) -> None:
        self._reply(403, "this endpoint is read-only: updates and uploads are refused")

    do_PUT = do_DELETE = do_PATCH = _refuse_write  # noqa: N815

    def _handle(self, body: bytes) -> None:
        parts = urllib.parse.urlsplit(self.path)
        if parts.path == "/query":
            text = _query_text(parts.query, self.headers.get("Content-Type", ""), body)
            if text is not None:
                try:
                    check(text, allow_service=self.server.allow_service, where="query")
                except QueryError as err:
                    return self._reply(400, str(err))
        timeout, started = self.server.query_timeout, time.monotonic()  # the bound covers waiting and running
        if not self.server.slots.acquire(timeout=timeout):
            return self._reply(503, f"busy: {self.server.max_concurrent} queries are running (the limit); "
                               "try again shortly", retry_after=True)
        connection = http.client.HTTPConnection(*self.server.backend, timeout=timeout)
        released, response = False, None
        try:
            headers = {name: self.headers[name] for name in _FORWARDED if self.headers.get(name)}
            try:
                connection.sock = None  # connect below, with what is left of the timeout
                connection.timeout = max(0.01, timeout - (time.monotonic() - started))
                connection.request(self.command, self.path, body=body or None, headers=headers)
                response = connection.getresponse()
                chunks, size = [], 0
                while True:
                    connection.sock.settimeout(max(0.01, timeout - (time.monotonic() - started)))
                    chunk = response.read1(65536) if self.command != "HEAD" else b""
                    if not chunk:
                        break
                    size += len(chunk)
                    if size > self.server.max_bytes:
                        threading.Thread(target=_drain, args=(connection, response, self.server), daemon=True).start()
                        released = True
                        return self._reply(503, f"the answer is larger than {self.server.max_bytes:,} bytes (the limit); "
                                           "add LIMIT to the query")
                    chunks.append(chunk)
                    if time.monotonic() - started > timeout:
                        raise TimeoutError
            except ConnectionRefusedError:
                return self._reply(503, "the query engine is restarting; try again shortly", retry_after=True)
            except TimeoutError:
                threading.Thread(target=_drain, args=(connection, response, self.server), daemon=True).start()
                released = True
                return self._reply(503, f"the query ran longer than {timeout:g} s (the limit)")
            except (OSError, http.client.HTTPException):
                return self._reply(503, "the query engine stopped while answering; try again shortly", retry_after=True)
            kept = {name: response.getheader(name) for name in _KEPT if response.getheader(name)}
            self._send(response.status, b"".join(chunks), kept)
        finally:
            if not released:
                connection.close()
                self.server.slots.release()

    def _reply(self, status: int, message: str, *, retry_after: bool = False) -> None:
        headers = {"Content-Type": "text/plain; charset=utf-8"}
        if retry_after:
            headers["Retry-After"] = "5"
        self._send(status, (message + "\n").encode("utf-8"), headers)

    def _send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
        try:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
        except OSError:
            pass  # the client went away; nothing to tell it

    def setup(self) -> None:
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # headers and body: no Nagle wait

    def log_message(self, format, *args) -> None:  # noqa: A002 - http.server's signature
        pass


def _query_text(query_string: str, content_type: str, body: bytes) -> str | None:
    """Return the SPARQL query a request carries (URL, form or direct POST), or None if it has none."""
    if body and content_type.split(";")[0].strip().lower() == "application/sparql-query":
        return body.decode("utf-8", "replace")
    form = urllib.parse.parse_qs(query_string)
    if body and content_type.split(";")[0].strip().lower() == "application/x-www-form-urlencoded":
        form.update(urllib.parse.parse_qs(body.decode("utf-8", "replace")))
    found = form.get("query")
    return "\n".join(found) if found else None


def _drain(connection: http.client.HTTPConnection, response, gate: Gate) -> None:
    """Read and drop the rest of an abandoned answer, so its slot is freed only when Oxigraph stops it.

    Oxigraph's own timeout fires late (seconds after, for a large join): if the query still runs a
    grace period (the timeout again, at least 2 s) after its answer was given up, the engine is
    stopped (and restarted by ``graph.serve``), so no query outlives about twice the timeout.
    """
    grace = max(gate.query_timeout, 2.0)
    try:
        connection.sock.settimeout(grace)
        response = response or connection.getresponse()
        deadline = time.monotonic() + grace
        while response.read1(1 << 20):
            if time.monotonic() > deadline:
                raise TimeoutError
    except TimeoutError:
        if gate.stop_engine is not None:
            gate.stop_engine()
    except (OSError, http.client.HTTPException, AttributeError):
        pass
    finally:
        connection.close()
        gate.slots.release()
