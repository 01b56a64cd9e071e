"""Where a query text meets pyoxigraph: in a child process that has no network, can crash, and is killed
at its deadline (``Engine``), or in process for meakg's own texts (``evaluate``).

Every query a user gives (``meakg sparql``, ``meakg query``, ``import meakg``, the endpoint) runs in an
``Engine``: a child (``queries.worker``) that opened the build's store read-only, with the network taken
away (``queries.sandbox``) unless federation is allowed. The bounds are the process's, not a reading of
the text: a ``SERVICE`` call, however spelt, finds no network and is refused; a query that overflows
the engine's stack (10,000 UNIONs, a 150,000-step path) ends the child, and the caller gets one line;
a query still running at its deadline has its child killed, so the time bound is exact. The child is
forked where that is safe (a process with one thread: the command line), else started with
``python -m meakg.queries.worker``, and is reused until it dies or is killed.

>>> engine = Engine()   # an empty store
>>> engine.query("ASK {}", where="q.rq").boolean
True
>>> engine.query("SELECT ?s WHERE { ?s ?p }", where="q.rq")
Traceback (most recent call last):
...
meakg.queries.engine.EngineError: q.rq:1: SPARQL syntax error at column 26: expected one of LATERAL, SERVICE, [_]
>>> engine.close()
"""

from __future__ import annotations

import atexit
import json
import os
import pickle
import re
import select
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph

from meakg.ontology.errors import QueryError, first_line
from meakg.queries import limits
from meakg.queries.worker import Header, Request, serve, write_frame

_SYNTAX_AT = re.compile(r"^error at (\d+):(\d+): ?")
Term = pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal   # what a parameter is bound to
Solutions = pyoxigraph.QuerySolutions | pyoxigraph.QueryBoolean | pyoxigraph.QueryTriples


class EngineError(QueryError):
    """A query the engine refused or could not answer; ``kind`` says why (syntax, update, network, rows, bytes,
    timeout, crash, store, engine), so the endpoint can choose its HTTP status; ``detail``, the engine's words."""

    def __init__(self, message: str, kind: str, detail: str = ""):
        super().__init__(message)
        self.kind, self.detail = kind, detail


@dataclass(frozen=True)
class Answer:
    """What the engine answered: ``kind`` rows, boolean or triples; SELECT variables; the answer's bytes."""

    kind: str
    variables: tuple[str, ...] = ()
    boolean: bool | None = None
    payload: bytes = b""


class Engine:
    """A query engine in a child process over the read-only store at *location* (None: an empty store).

    One query at a time (callers share it behind a lock); ``close()`` ends the child.
    """

    def __init__(self, location: Path | str | None = None, *, memory: int | None = limits.MAX_MEMORY):
        self.location = None if location is None else str(location)
        self.memory = memory
        self._children: dict[bool, _Child] = {}
        self._lock = threading.Lock()

    def query(self, text: str, *, where: str = "query", prefixes: Mapping[str, str] | None = None,
              substitutions: Mapping[str, Term] | None = None, timeout: float | None = limits.DEFAULT_TIMEOUT,
              max_rows: int | None = None, max_bytes: int | None = None, allow_service: bool = False,
              rows_format: str = "tsv", triples_format: str = "ntriples",
              default_graph: list[str | None] | None = None, named_graphs: list[str] | None = None) -> Answer:
        """Run *text* and return its answer: rows as SPARQL TSV (or *rows_format*), triples as N-Triples
        (or *triples_format*); any failure is one ``QueryError`` line starting with *where*.

        *max_rows* and *max_bytes* bound the answer (an error, never a cut-off answer); *timeout*
        (seconds, None: none) is when the child is killed; *allow_service* runs it in a child that
        has the network. *default_graph* lists the graphs that make the default graph (None in it: the
        store's default graph), *named_graphs* those GRAPH may name.
        """
        limits.check_size(text, where=where)
        request = {"op": "query", "text": text, "store": self.location, "prefixes": _plain(prefixes),
                   "substitutions": dict(substitutions or {}), "max_rows": max_rows, "max_bytes": max_bytes,
                   "rows_format": rows_format, "triples_format": triples_format,
                   "default_graph": default_graph, "named_graphs": named_graphs}
        return self._ask(request, where=where, timeout=timeout, network=allow_service)

    def shape(self, text: str, *, where: str, prefixes: Mapping[str, str] | None = None,
              timeout: float | None = limits.PARSE_TIMEOUT) -> Answer:
        """Return the form of *text* (rows, boolean, triples) and its SELECT variables, parsed on an empty store."""
        limits.check_size(text, where=where)
        request = {"op": "shape", "text": text, "store": None, "prefixes": _plain(prefixes)}
        return self._ask(request, where=where, timeout=timeout, network=False)

    def at(self, location: Path | str | None) -> Engine:
        """Return an engine over the store at *location* that shares this one's children (one process for both)."""
        other = Engine(location, memory=self.memory)
        other._children, other._lock = self._children, self._lock
        return other

    def close(self) -> None:
        """End the child processes (they are started again by the next query)."""
        with self._lock:
            for child in self._children.values():
                child.kill()
            self._children.clear()

    def kill(self) -> None:
        """Kill the running child at once, from any thread: its query is answered as stopped."""
        for child in list(self._children.values()):
            child.kill()

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def start(self, *, allow_service: bool = False) -> None:
        """Start the child now if it is not running (so the next query does not wait for it)."""
        with self._lock:
            self._child(allow_service)

    def _child(self, network: bool) -> _Child:
        child = self._children.get(network)
        if child is None or not child.alive():
            child = self._children[network] = _Child.start(network=network, memory=self.memory)
        return child

    def _ask(self, request: Request, *, where: str, timeout: float | None, network: bool) -> Answer:
        deadline = None if not timeout else time.monotonic() + timeout  # starting a child counts too
        with self._lock:
            child = self._child(network)
            try:
                child.send(pickle.dumps(request))
                header = json.loads(child.receive(deadline))
                payload = child.receive(deadline)
            except TimeoutError:
                child.kill()
                del self._children[network]
                raise EngineError(f"{where}: the query ran longer than {timeout:g} s (the limit; "
                                  "raise it with --timeout S)", "timeout") from None
            except (EOFError, OSError):
                status = child.kill()
                del self._children[network]
                raise EngineError(f"{where}: {_crash(status, self.memory)}", "crash") from None
        if "error" in header:
            raise _error(header, where)
        return Answer(header["kind"], tuple(header.get("variables", ())), header.get("boolean"), payload)


_default: Engine | None = None
_default_lock = threading.Lock()


def shared() -> Engine:
    """Return this process's engine (an empty store; ``.at(location)`` for a build's), started when first used."""
    global _default
    with _default_lock:
        if _default is None:
            _default = Engine()
            atexit.register(_default.close)
        return _default


def shape(text: str, *, where: str) -> Answer:
    """Return the form and SELECT variables of *text*, parsed in the shared engine's child (an empty store).

    >>> shape("SELECT ?a ?b WHERE {}", where="q").variables
    ('a', 'b')
    """
    return shared().shape(text, where=where)


def evaluate(store: pyoxigraph.Store, text: str, *, where: str,
             substitutions: Mapping[pyoxigraph.Variable, Term] | None = None,
             prefixes: Mapping[str, str] | None = None) -> Solutions:
    """Return pyoxigraph's answer to *text* on *store*, in this process: for texts meakg trusts (its own
    saved queries run by the site, tests). A syntax or evaluation error is one ``QueryError`` line.

    >>> import pyoxigraph
    >>> evaluate(pyoxigraph.Store(), "ASK {}", where="q.rq")
    <QueryBoolean true>
    """
    try:
        return store.query(text, substitutions=dict(substitutions) if substitutions else None,
                           prefixes=_plain(prefixes))
    except SyntaxError as err:
        raise syntax_error(first_line(err), where) from None
    except (OSError, RuntimeError, ValueError) as err:
        raise QueryError(f"{where}: {first_line(err)}") from None


def syntax_error(message: str, where: str) -> QueryError:
    """Return pyoxigraph's syntax error *message* as a QueryError naming *where*, the line and the column.

    >>> str(syntax_error("error at 2:5: expected one of SELECT", "q.rq"))
    'q.rq:2: SPARQL syntax error at column 5: expected one of SELECT'
    """
    at = _SYNTAX_AT.match(message)
    if at:
        return QueryError(f"{where}:{at[1]}: SPARQL syntax error at column {at[2]}: {message[at.end():]}")
    return QueryError(f"{where}: SPARQL syntax error: {message}")


def _error(header: Header, where: str) -> EngineError:
    kind = header["error"]
    if kind == "syntax":
        return EngineError(str(syntax_error(header["message"], where)), kind)
    if kind == "update":
        message = ("expected a query (SELECT, ASK, CONSTRUCT or DESCRIBE), found a SPARQL update: meakg only reads "
                   "the graph, updates are refused")
    elif kind == "network":
        message = limits.SERVICE_REFUSED
    elif kind == "rows":
        return EngineError(str(limits.too_many_rows(header["limit"], where)), kind)
    elif kind == "store":
        message = f"cannot open the store ({header['message']})"
    elif kind == "bytes":
        message = f"the answer is larger than {header['limit']:,} bytes (the limit); add LIMIT to the query"
    else:
        message = header["message"]
    return EngineError(f"{where}: {message}", kind, header.get("message", ""))


def _crash(status: int | None, memory: int | None) -> str:
    """Say why the engine's child ended without answering (its wait status)."""
    if status is not None and os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        name = signal.Signals(number).name if number in signal.Signals._value2member_map_ else f"signal {number}"
        if number in (signal.SIGSEGV, signal.SIGBUS):
            why = "a stack overflow: the query is too large or nested too deeply for the engine"
        elif number == signal.SIGABRT:
            why = (f"it aborted: the query needed more than the engine's {memory / 2**30:g} GiB of memory"
                   if memory else "it aborted") + ", or the engine failed"
        else:
            why = "it was stopped"
        return f"the query engine crashed on this query ({name}, {why}); nothing was answered"
    code = os.WEXITSTATUS(status) if status is not None and os.WIFEXITED(status) else None
    return f"the query engine stopped on this query (exit status {code}); nothing was answered"


def _plain(prefixes: Mapping[str, str] | None) -> dict[str, str] | None:
    return dict(prefixes) if prefixes else None


class _Child:
    """One engine child process and its two pipes."""

    def __init__(self, pid: int, requests: int, answers: int, process: subprocess.Popen[bytes] | None = None):
        self.pid, self.requests, self.answers, self.process = pid, requests, answers, process
        self.status: int | None = None

    @classmethod
    def start(cls, *, network: bool, memory: int | None) -> _Child:
        """Fork the child if this process has one thread (cheap, and safe), else start a fresh Python."""
        if _single_threaded():
            return cls._fork(network=network, memory=memory)
        command = [sys.executable, "-m", "meakg.queries.worker", str(os.getpid()), str(memory or 0)]
        process = subprocess.Popen(command + (["network"] if network else []), stdin=subprocess.PIPE,
                                   stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, close_fds=True)
        assert process.stdin is not None and process.stdout is not None  # both PIPE
        return cls(process.pid, process.stdin.fileno(), process.stdout.fileno(), process)

    @classmethod
    def _fork(cls, *, network: bool, memory: int | None) -> _Child:
        down_read, down_write = os.pipe()
        up_read, up_write = os.pipe()
        parent = os.getpid()
        pid = os.fork()
        if pid == 0:  # the child: never returns into the caller's code
            try:
                null = os.open(os.devnull, os.O_RDWR)
                for fd in (0, 1, 2):
                    os.dup2(null, fd)  # the engine's panic text must not reach the user's terminal
                keep = {0, 1, 2, down_read, up_write}
                for fd in _open_fds():
                    if fd not in keep:
                        _close(fd)
                serve(down_read, up_write, network=network, memory=memory, parent=parent)
            finally:
                os._exit(0)
        os.close(down_read)
        os.close(up_write)
        return cls(pid, down_write, up_read)

    def alive(self) -> bool:
        return self.status is None and self._poll() is None

    def send(self, data: bytes) -> None:
        write_frame(self.requests, data)

    def receive(self, deadline: float | None) -> bytes:
        size = int.from_bytes(self._read(4, deadline), "big")
        return self._read(size, deadline)

    def _read(self, size: int, deadline: float | None) -> bytes:
        chunks, left = [], size
        while left:
            wait = None if deadline is None else deadline - time.monotonic()
            if wait is not None and (wait <= 0 or not select.select([self.answers], [], [], wait)[0]):
                raise TimeoutError
            chunk = os.read(self.answers, min(left, 1 << 20))
            if not chunk:
                raise EOFError
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)

    def kill(self) -> int | None:
        """Kill the child (if still running), close its pipes and return its wait status."""
        if self.status is None:
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.status = self._wait()
            if self.process is not None:  # its pipes are file objects of the Popen
                for pipe in (self.process.stdin, self.process.stdout):
                    if pipe is not None:
                        pipe.close()
            else:
                _close(self.requests)
                _close(self.answers)
        return self.status

    def _poll(self) -> int | None:
        try:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
        except ChildProcessError:
            return 0
        if pid:
            self.status = status
            return status
        return None

    def _wait(self) -> int | None:
        if self.process is not None:
            self.process.wait()
            code = self.process.returncode
            return (-code) & 0x7F if code < 0 else code << 8  # as os.waitpid's status
        try:
            return os.waitpid(self.pid, 0)[1]
        except ChildProcessError:
            return None


def _single_threaded() -> bool:
    """Whether forking is safe here: Linux, and this process runs one thread (no lock held elsewhere)."""
    if sys.platform != "linux":
        return False
    try:
        return len(os.listdir("/proc/self/task")) == 1
    except OSError:
        return False


def _open_fds() -> list[int]:
    try:
        return [int(fd) for fd in os.listdir("/proc/self/fd")]
    except OSError:
        return list(range(3, 256))


def _close(fd: int) -> None:
    try:
        os.close(fd)
    except OSError:
        pass
