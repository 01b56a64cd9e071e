"""Bounds on queries, one place for all of them: how long a query text may be, how long it may run, how
many rows and bytes an answer may have, how much memory the engine's child may use, and the words
each refusal is said in.

The bounds are enforced by the process that runs the query (``queries.engine``): no network (so no
``SERVICE`` call, however the text spells it), a child killed at its deadline, a crash ending only the
child. Nothing here reads the query text beyond its length.

>>> check_size("ASK {}")
>>> check_size("#" * (MAX_QUERY_CHARS + 1), where="q.rq")
Traceback (most recent call last):
...
meakg.ontology.errors.QueryError: q.rq: the query is 1,000,001 characters long (expected at most 1,000,000)
"""

from __future__ import annotations

from meakg.ontology.errors import QueryError

MAX_QUERY_CHARS = 1_000_000
MAX_QUERY_FILE_BYTES = 4 * MAX_QUERY_CHARS   # a query file or stdin: UTF-8 takes up to 4 bytes a character
DEFAULT_TIMEOUT = 60.0       # seconds: `meakg sparql`, `meakg query`, meakg.query and meakg.sparql
PARSE_TIMEOUT = 10.0         # seconds to parse a query file's text (its header's columns are checked against it)
DEFAULT_MAX_ROWS = 100_000
MAX_MEMORY = 4 * 2**30       # bytes of address space for the engine's child
SERVICE_REFUSED = ("SERVICE (a federated query) is refused: the query engine has no network access "
                   "unless federation is allowed (--allow-federation)")


def check_size(text: str, *, where: str = "query") -> None:
    """Fail with a one-line QueryError if *text* is longer than MAX_QUERY_CHARS."""
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(f"{where}: the query is {len(text):,} characters long (expected at most {MAX_QUERY_CHARS:,})")


def too_many_rows(limit: int, where: str = "query") -> QueryError:
    """Return the error for an answer longer than *limit* rows.

    >>> str(too_many_rows(10, "q"))
    'q: the answer has more than 10 rows (the limit; add LIMIT to the query or raise it with --max-rows N)'
    """
    return QueryError(f"{where}: the answer has more than {limit:,} rows (the limit; add LIMIT to the query "
                      "or raise it with --max-rows N)")
