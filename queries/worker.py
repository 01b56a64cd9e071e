"""The query engine's child process: the only place a query text meets pyoxigraph for meakg's users.

``queries.engine`` starts it (forked, or as ``python -m meakg.queries.worker`` where forking is not
safe) and talks to it over two pipes: a request is a pickled dict from the parent (trusted); an answer
is a JSON header and the answer's bytes, written by pyoxigraph's own serializers (nothing the engine
produced is unpickled by the parent). Before its first request the child takes the network away from
itself (``queries.sandbox``, unless federation is allowed), drops core dumps and bounds its memory,
so a query can neither call another address nor take down anything but this process: a stack
overflow or an abort ends the child, which the parent reports as one line and replaces.

Requests: ``{"op": "shape", "text", "prefixes"}`` answers the query's form and SELECT variables
(parsed on an empty store); ``{"op": "query", "text", "store", "prefixes", "substitutions",
"rows_format", "triples_format", "max_rows", "max_bytes", "default_graph", "named_graphs"}`` runs it
on the read-only store at ``store`` and answers its bytes.
"""

from __future__ import annotations

import io
import json
import os
import pickle
import re
import struct
import sys
from typing import TYPE_CHECKING, Any

import pyoxigraph

from meakg.ontology.errors import first_line

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer

Request = dict[str, Any]   # from the parent: see the module's docstring
Header = dict[str, Any]    # to the parent, as JSON

ROWS = {"tsv": pyoxigraph.QueryResultsFormat.TSV, "json": pyoxigraph.QueryResultsFormat.JSON,
        "xml": pyoxigraph.QueryResultsFormat.XML, "csv": pyoxigraph.QueryResultsFormat.CSV}
TRIPLES = {"ntriples": pyoxigraph.RdfFormat.N_TRIPLES, "turtle": pyoxigraph.RdfFormat.TURTLE,
           "rdfxml": pyoxigraph.RdfFormat.RDF_XML, "jsonld": pyoxigraph.RdfFormat.JSON_LD,
           "nquads": pyoxigraph.RdfFormat.N_QUADS, "trig": pyoxigraph.RdfFormat.TRIG}
# The messages pyoxigraph gives when socket() is refused (an IP address) or name resolution cannot reach DNS.
_NO_NETWORK = re.compile(r"os error 101|Network is unreachable|failed to lookup address|name resolution", re.I)


class _Refused(Exception):
    """An answer over its row or byte bound: raised from inside pyoxigraph's serializer to stop it."""

    def __init__(self, kind: str, limit: int):
        super().__init__(kind)
        self.kind, self.limit = kind, limit


class _Bounded(io.BytesIO):
    """A sink for pyoxigraph's serializers that stops the answer past *max_bytes*, or past *max_rows* lines
    after the first *header_lines* (None: not counted)."""

    def __init__(self, max_bytes: int | None, max_rows: int | None = None, *, header_lines: int = 0):
        super().__init__()
        self.max_bytes, self.max_rows, self.header_lines = max_bytes, max_rows, header_lines
        self.lines = 0

    def write(self, buffer: ReadableBuffer, /) -> int:
        data = bytes(buffer)
        if self.max_bytes is not None and self.tell() + len(data) > self.max_bytes:
            raise _Refused("bytes", self.max_bytes)
        if self.max_rows is not None:
            self.lines += data.count(b"\n")
            if self.lines > self.max_rows + self.header_lines:
                raise _Refused("rows", self.max_rows)
        return super().write(data)


class Worker:
    """The child's state: its open stores and a parse-only store for telling updates from queries."""

    def __init__(self) -> None:
        self.stores: dict[str | None, pyoxigraph.Store] = {}
        self._scratch: str | None = None

    def store(self, location: str | None) -> pyoxigraph.Store:
        if location not in self.stores:
            self.stores[location] = pyoxigraph.Store.read_only(location) if location else pyoxigraph.Store()
        return self.stores[location]

    def answer(self, request: Request) -> tuple[Header, bytes]:
        """Return the JSON header and the bytes answering *request*."""
        try:
            store = self.store(request.get("store"))
        except (OSError, RuntimeError) as err:  # RocksDB reports a damaged store as RuntimeError
            return {"error": "store", "message": first_line(err)[:300]}, b""
        text, prefixes = request["text"], request.get("prefixes")
        substitutions = {pyoxigraph.Variable(k): v for k, v in (request.get("substitutions") or {}).items()}
        try:
            named: list[pyoxigraph.NamedNode | pyoxigraph.BlankNode] = [
                pyoxigraph.NamedNode(iri) for iri in request.get("named_graphs") or ()]
            result = store.query(text, prefixes=prefixes, substitutions=substitutions or None,
                                 default_graph=_default_graph(request.get("default_graph")),
                                 named_graphs=named or None)
            if request["op"] == "shape":
                return _shape(result), b""
            return _serialize(result, request)
        except SyntaxError as err:
            if self._is_update(text, prefixes, _position(err)):
                return {"error": "update"}, b""
            return {"error": "syntax", "message": first_line(err)}, b""
        except _Refused as err:
            return {"error": err.kind, "limit": err.limit}, b""
        except (OSError, RuntimeError, ValueError) as err:
            message = first_line(err)
            if _NO_NETWORK.search(message) and not request.get("network"):
                return {"error": "network", "message": message}, b""
            return {"error": "engine", "message": message}, b""

    def _is_update(self, text: str, prefixes: dict[str, str] | None, query_error: tuple[int, int]) -> bool:
        """Whether *text* is a SPARQL update: a read-only store parses it, then refuses to write. An update
        with a syntax error of its own counts when the update parser read further than the query parser."""
        try:
            self._parse_only().update(text, prefixes=prefixes)
        except SyntaxError as err:
            return _position(err) > query_error
        except (OSError, RuntimeError, ValueError):
            return True
        return True  # pragma: no cover - a read-only store never applies an update

    def _parse_only(self) -> pyoxigraph.Store:
        if self._scratch is None:
            import shutil
            import tempfile

            folder = tempfile.mkdtemp(prefix="meakg-parse-")
            try:
                pyoxigraph.Store(folder)  # creates an empty store there, closed at once
                self.stores["#parse"] = pyoxigraph.Store.read_only(folder)
            finally:
                shutil.rmtree(folder, ignore_errors=True)  # open files stay readable
            self._scratch = folder
        return self.stores["#parse"]


def _default_graph(iris: list[str | None] | None) -> list[pyoxigraph.NamedNode | pyoxigraph.BlankNode
                                                          | pyoxigraph.DefaultGraph] | None:
    """Return the graphs that make the query's default graph (None: the store's; an IRI None: its default)."""
    if not iris:
        return None
    return [pyoxigraph.DefaultGraph() if iri is None else pyoxigraph.NamedNode(iri) for iri in iris]


def _shape(result: pyoxigraph.QuerySolutions | pyoxigraph.QueryBoolean | pyoxigraph.QueryTriples) -> Header:
    if isinstance(result, pyoxigraph.QueryBoolean):
        return {"kind": "boolean", "boolean": bool(result)}
    if isinstance(result, pyoxigraph.QueryTriples):
        return {"kind": "triples"}
    return {"kind": "rows", "variables": [v.value for v in result.variables]}


def _serialize(result: pyoxigraph.QuerySolutions | pyoxigraph.QueryBoolean | pyoxigraph.QueryTriples,
               request: Request) -> tuple[Header, bytes]:
    header = _shape(result)
    max_rows, max_bytes = request.get("max_rows"), request.get("max_bytes")
    if isinstance(result, pyoxigraph.QueryBoolean):
        fmt = request.get("rows_format")
        return header, (result.serialize(format=ROWS[fmt]) or b"") if fmt and fmt != "tsv" else b""
    if isinstance(result, pyoxigraph.QueryTriples):
        fmt = request.get("triples_format", "ntriples")
        counted = fmt in ("ntriples", "nquads")  # one triple a line
        sink = _Bounded(max_bytes, max_rows if counted else None)
        result.serialize(sink, format=TRIPLES[fmt])
        return header, sink.getvalue()
    fmt = request.get("rows_format", "tsv")
    counted = fmt == "tsv"  # a header line, then one row a line (TSV escapes line ends in terms)
    sink = _Bounded(max_bytes, max_rows if counted else None, header_lines=1)
    result.serialize(sink, format=ROWS[fmt])
    return header, sink.getvalue()


def _position(err: SyntaxError) -> tuple[int, int]:
    """Return the (line, column) of pyoxigraph's syntax error *err* ((0, 0) if it names none)."""
    found = re.match(r"error at (\d+):(\d+)", first_line(err))
    return (int(found[1]), int(found[2])) if found else (0, 0)


# ------------------------------------------------------------------ the loop, over two file descriptors


def read_frame(fd: int) -> bytes | None:
    """Return the next length-prefixed frame from *fd*, or None at its end."""
    header = _read_exactly(fd, 4)
    if header is None:
        return None
    return _read_exactly(fd, struct.unpack(">I", header)[0]) or b""


def write_frame(fd: int, data: bytes) -> None:
    """Write *data* to *fd* behind its 4-byte length."""
    view = memoryview(struct.pack(">I", len(data)) + data)
    while view:
        view = view[os.write(fd, view):]


def _read_exactly(fd: int, size: int) -> bytes | None:
    chunks, left = [], size
    while left:
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def serve(requests: int, answers: int, *, network: bool, memory: int | None, parent: int) -> None:
    """Answer requests from *requests* on *answers* until the parent closes its end; never returns normally."""
    from meakg.queries import sandbox

    sandbox.contain(memory, parent)
    refused: Header | None = None
    if not network and sandbox.supported():
        try:
            sandbox.deny_network()
        except OSError as err:  # a kernel or container that forbids seccomp: fail closed, saying why
            refused = {"error": "engine", "message": f"cannot take the network away from the query engine here "
                       f"({err.strerror or err}); nothing was run (--allow-federation runs it with the network)"}
    worker = Worker()
    while True:
        frame = read_frame(requests)
        if frame is None:
            return
        request = pickle.loads(frame)
        request["network"] = network
        header, payload = (refused, b"") if refused else worker.answer(request)
        write_frame(answers, json.dumps(header).encode("utf-8"))
        write_frame(answers, payload)


def main(argv: list[str]) -> None:
    """``python -m meakg.queries.worker PARENT_PID MEMORY [network]``: serve on stdin and stdout."""
    answers = os.dup(1)
    os.dup2(os.open(os.devnull, os.O_WRONLY), 1)  # a stray print must not corrupt the answers
    serve(0, answers, network="network" in argv[3:], memory=int(argv[2]) or None, parent=int(argv[1]))


if __name__ == "__main__":
    main(sys.argv)
