"""Bounds on queries, one place for all of them: what a query text may hold before it reaches the
engine (nesting depth, SERVICE), how many rows an answer may have, how long a query may run.

Oxigraph parses and evaluates queries recursively: 5,000 nested groups overflow its stack and kill
the process (a segmentation fault), so over-deep text is refused here, before it is parsed.
``SERVICE <url>`` makes the engine send requests to any address; it is refused unless the caller
allows federation. Both checks read the text lexically (strings, IRIs and comments skipped), so
they cost microseconds and never recurse.

>>> check("SELECT * WHERE { ?s ?p ?o }")
>>> check("ASK " + "{" * 200 + "}" * 200)
Traceback (most recent call last):
...
meakg.ontology.errors.QueryError: query:1: the query nests more than 64 levels deep at column 69 (expected at most that many levels of {}, () and [] together)
"""

from __future__ import annotations

import os
import re
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from meakg.ontology.errors import QueryError

MAX_DEPTH = 64            # nesting of {}, () and [] together; the saved queries use at most 8
MAX_QUERY_BYTES = 1_000_000
DEFAULT_TIMEOUT = 60.0    # seconds, `meakg sparql` and `meakg query`
DEFAULT_MAX_ROWS = 100_000
OPEN, CLOSE = "{([", "})]"
# What the scan skips: long and short strings, IRIs (no spaces inside, so '<' as an operator is not one), comments.
_SKIP = re.compile(r'"""(?:[^"\\]|\\.|"(?!""))*"""' r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
                   r'|"(?:[^"\\\n]|\\.)*"' r"|'(?:[^'\\\n]|\\.)*'"
                   r'|<[^<>"{}|^`\\\x00-\x20]*>' r"|#[^\n]*", re.DOTALL)
_SERVICE = re.compile(r"(?<![\w:?$.\-])SERVICE(?![\w:\-])", re.IGNORECASE)


def check(text: str, *, allow_service: bool = False, where: str = "query") -> None:
    """Fail with a one-line QueryError if *text* nests deeper than MAX_DEPTH or, unless
    *allow_service*, holds a SERVICE clause (a federated query).

    >>> check("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", where="sparql")
    Traceback (most recent call last):
    ...
    meakg.ontology.errors.QueryError: sparql:1: SERVICE (a federated query) is refused at column 18: meakg does not send queries to other endpoints unless federation is allowed (--allow-federation)
    """
    if len(text) > MAX_QUERY_BYTES:
        raise QueryError(f"{where}: the query is {len(text):,} characters long (expected at most {MAX_QUERY_BYTES:,})")
    code = _blank(text)
    depth = 0
    for match in re.finditer(r"[{}()\[\]]", code):
        if match[0] in OPEN:
            depth += 1
            if depth > MAX_DEPTH:
                line, column = _position(text, match.start())
                raise QueryError(f"{where}:{line}: the query nests more than {MAX_DEPTH} levels deep at column {column} "
                                 "(expected at most that many levels of {}, () and [] together)")
        else:
            depth = max(depth - 1, 0)
    if not allow_service:
        found = _SERVICE.search(code)
        if found:
            line, column = _position(text, found.start())
            raise QueryError(f"{where}:{line}: SERVICE (a federated query) is refused at column {column}: meakg does not "
                             "send queries to other endpoints unless federation is allowed (--allow-federation)")


def too_many_rows(limit: int, where: str = "query") -> QueryError:
    """Return the error for an answer longer than *limit* rows."""
    return QueryError(f"{where}: the answer has more than {limit:,} rows (the limit; add LIMIT to the query "
                      "or raise it with --max-rows N)")


@contextmanager
def deadline(seconds: float | None, *, where: str = "query", exit_code: int = 2) -> Iterator[None]:
    """Within the block, end the whole process with a one-line error after *seconds* (None: no limit).

    For command lines: Oxigraph cannot be interrupted once a query runs, but it releases the GIL,
    so a watchdog thread can print the error and exit (``os._exit``: nothing of the half-done answer
    is printed). Not for servers: ``graph.serve`` runs each query in a process it can kill.
    """
    if not seconds:
        yield
        return
    done = threading.Event()

    def expire() -> None:
        if not done.wait(seconds):
            sys.stdout.flush()
            sys.stderr.write(f"Error: {where}: the query ran longer than {seconds:g} s (the limit; "
                             "raise it with --timeout S)\n")
            sys.stderr.flush()
            os._exit(exit_code)

    watchdog = threading.Thread(target=expire, daemon=True, name="meakg-query-deadline")
    watchdog.start()
    try:
        yield
    finally:
        done.set()


def _blank(text: str) -> str:
    """Return *text* with strings, IRIs and comments replaced by spaces (same length, same lines)."""
    return _SKIP.sub(lambda m: re.sub(r"[^\n]", " ", m[0]), text)


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1
