"""The one place a query text meets pyoxigraph: checked against ``queries.limits``, then evaluated.

``evaluate`` is what ``queries.header`` (parsing a saved query on an empty store) and
``queries.catalogue`` (running one) both call; whatever goes wrong comes back as one ``QueryError``
line naming *where* (a SPARQL syntax error with its line and column).

>>> import pyoxigraph
>>> evaluate(pyoxigraph.Store(), "ASK {}", where="q.rq")
<QueryBoolean true>
>>> evaluate(pyoxigraph.Store(), "SELECT ?s WHERE { ?s ?p }", where="q.rq")
Traceback (most recent call last):
...
meakg.ontology.errors.QueryError: q.rq:1: SPARQL syntax error at column 26: expected one of LATERAL, SERVICE, [_]
"""

from __future__ import annotations

import re

from meakg.ontology.errors import QueryError
from meakg.queries import limits

_SYNTAX_AT = re.compile(r"^error at (\d+):(\d+): ?")


def evaluate(store, text: str, *, where: str, substitutions=None, prefixes=None, allow_service: bool = True):
    """Return pyoxigraph's answer to *text* on *store* (lazy: solutions are read by the caller).

    The text is checked first (``queries.limits``: nesting depth, SERVICE unless *allow_service*);
    a syntax or evaluation error is a ``QueryError`` of one line starting with *where*.
    """
    limits.check(text, allow_service=allow_service, where=where)
    try:
        return store.query(text, substitutions=substitutions or None,
                           prefixes=dict(prefixes) if prefixes else None)
    except SyntaxError as err:
        message = first_line(err)
        at = _SYNTAX_AT.match(message)
        if at:
            raise QueryError(f"{where}:{at[1]}: SPARQL syntax error at column {at[2]}: {message[at.end():]}") from None
        raise QueryError(f"{where}: SPARQL syntax error: {message}") from None
    except (OSError, RuntimeError, ValueError) as err:
        raise QueryError(f"{where}: {first_line(err)}") from None


def first_line(err: BaseException) -> str:
    """Return the first line of *err*'s message, its whitespace collapsed (pyoxigraph's run over several).

    >>> first_line(ValueError("bad  IRI\\n  at column 3"))
    'bad IRI'
    """
    text = str(err.args[0] if err.args else err).strip()
    return " ".join(text.split("\n", 1)[0].split())
