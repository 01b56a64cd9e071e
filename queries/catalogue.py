"""The catalogue of saved queries: list them, load them, run them with typed parameters.

A saved query is a ``queries/<name>.rq`` file: a grlc-style YAML header behind ``#+ `` (title,
description, params, columns, tags), then plain SPARQL 1.1; ``queries.header`` says what one is
(``SavedQuery``, typed ``Param``) and reads and checks that format, and ``queries.engine`` is where
a query text meets pyoxigraph. Parameters are ordinary variables of the query, bound at run time through pyoxigraph's
``substitutions`` (never pasted into the text), so the same file runs unchanged, with the
parameters unbound, on any SPARQL 1.1 store.

This module imports neither rdflib nor the loaders: ``meakg query`` pays only for yaml (in
``queries.header``) and pyoxigraph. Rendering (table, CSV, SPARQL JSON, Markdown, Turtle) lives in
``queries.render``.

>>> query = load("target-alignment")
>>> query.columns[:3], [p.name for p in query.params]
(('msTarget', 'msLabel', 'aichiTarget'), ['plan'])
"""

from __future__ import annotations

import difflib
import os
import re
import stat
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

import pyoxigraph

from meakg.ontology.errors import QueryError, first_line
from meakg.ontology.vocab import PREFIXES
from meakg.queries import limits
from meakg.queries.engine import Answer, Engine, Term, evaluate
from meakg.queries.header import SavedQuery, parse, shown_path, to_term

QUERY_DIR = Path(str(files(__package__)))
NAME = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Result:
    """The answer to a query: variable names and rows of terms (None where unbound); ``boolean`` for ASK."""

    variables: tuple[str, ...]
    rows: tuple[tuple[Term | None, ...], ...]
    boolean: bool | None = None
    triples: tuple[pyoxigraph.Triple, ...] | None = None    # CONSTRUCT and DESCRIBE: the answer's triples, sorted

    def values(self) -> list[tuple[str | None, ...]]:
        """Return the rows as plain strings (IRIs in full, literals by their lexical form).

        >>> Result(("n",), ((pyoxigraph.Literal("4"), ),)).values()
        [('4',)]
        """
        return [tuple(None if t is None else t.value for t in row) for row in self.rows]

    def records(self) -> list[dict[str, str | None]]:
        """Return the rows as plain strings keyed by variable name.

        >>> Result(("n",), ((pyoxigraph.Literal("4"), ),)).records()
        [{'n': '4'}]
        """
        return [dict(zip(self.variables, row, strict=True)) for row in self.values()]


# ---------------------------------------------------------------------------------------- list and load

def names(directory: Path = QUERY_DIR) -> list[str]:
    """Return the names of the saved queries in *directory*, sorted.

    >>> "target-alignment" in names()
    True
    """
    return sorted(p.stem for p in Path(directory).glob("*.rq"))


def list_queries(directory: Path = QUERY_DIR) -> list[SavedQuery]:
    """Return every saved query in *directory*, sorted by name (each header checked).

    >>> [q.name for q in list_queries()] == names()
    True
    """
    return [load_file(Path(directory) / f"{name}.rq") for name in names(directory)]


def load(name: str, directory: Path = QUERY_DIR) -> SavedQuery:
    """Return the saved query called *name*, or fail with a one-line error suggesting close names."""
    path = Path(directory) / f"{name}.rq"
    if not NAME.match(name) or not path.is_file():
        known = names(directory)
        close = difflib.get_close_matches(name, known, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise QueryError(f"unknown query {name!r}{hint} ('meakg queries' lists the {len(known)} saved queries)")
    return load_file(path)


def load_file(path: Path) -> SavedQuery:
    """Return the query in *path*; a file without a ``#+`` header is an ad-hoc query without parameters.

    >>> load_file(QUERY_DIR / "citations.rq").columns[:2]
    ('cited', 'kind')
    """
    path = Path(path)
    try:
        text = read_query_file(path).decode("utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise QueryError(f"cannot read query file {shown_path(path)} ({err.__class__.__name__}: {err})") from None
    return parse(text, path=path)


def read_query_file(path: Path) -> bytes:
    """Return the bytes of the query file *path*: a regular file of at most ``limits.MAX_QUERY_FILE_BYTES``.

    A FIFO would block and ``/dev/zero`` never ends: the file is opened without waiting and checked
    by what it is, not by its name.

    >>> read_query_file(Path("/dev/zero"))
    Traceback (most recent call last):
    ...
    meakg.ontology.errors.QueryError: /dev/zero: expected a query file (a regular file), found a character device
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise QueryError(f"{shown_path(path)}: expected a query file (a regular file), found {_kind(info.st_mode)}")
        data, most = b"", limits.MAX_QUERY_FILE_BYTES + 1
        while len(data) < most and (more := os.read(fd, most - len(data))):
            data += more
    finally:
        os.close(fd)
    if len(data) > limits.MAX_QUERY_FILE_BYTES:
        raise QueryError(f"{shown_path(path)}: expected a query file of at most {limits.MAX_QUERY_FILE_BYTES:,} bytes, "
                         "found a larger one")
    return data


def _kind(mode: int) -> str:
    kinds = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"),
             (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))
    return next((name for test, name in kinds if test(mode)), "something else")


# ---------------------------------------------------------------------------------------- bind and run

def parse_params(pairs: Iterable[str]) -> dict[str, str]:
    """Return ``NAME=VALUE`` command-line pairs as a dict; a pair without '=' or given twice is an error.

    >>> parse_params(["target=aichi:12"])
    {'target': 'aichi:12'}
    """
    values: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise QueryError(f"expected a parameter as NAME=VALUE, found {pair!r}")
        if name.strip() in values:
            raise QueryError(f"parameter {name.strip()!r} given twice")
        values[name.strip()] = value
    return values


def bind(query: SavedQuery, values: Mapping[str, str]) -> dict[str, Term]:
    """Return the terms to substitute: given values, then defaults; unknown or missing ones are errors.

    >>> bind(load("activities-for-target"), {"target": "ms:8"})
    {'target': <NamedNode value=https://w3id.org/meakg/id/target/ms/8>}
    """
    for name in values:
        query.param(name)  # unknown names fail here
    bound: dict[str, Term] = {}
    for param in query.params:
        if param.name in values:
            bound[param.name] = to_term(param, values[param.name])
        elif param.required:
            raise QueryError(f"missing parameter {param.name!r} for query {query.name} "
                             f"(give --param {param.name}=VALUE: {param.doc or param.type.value})")
        elif param.default is not None:
            bound[param.name] = to_term(param, param.default)
    return bound


def run(query: SavedQuery | str, *, store: Engine | pyoxigraph.Store, params: Mapping[str, str] | None = None,
        max_rows: int | None = None, timeout: float | None = limits.DEFAULT_TIMEOUT,
        allow_service: bool = False) -> Result:
    """Run a saved query (or the one called *query*) on *store* with *params* bound; return its answer.

    *store* is an ``engine.Engine`` (a child process: what users' queries run in, with its bounds) or
    a pyoxigraph store (in this process: meakg's own callers, such as the site).

    >>> run("aichi-targets-without-joint-activity", store=pyoxigraph.Store()).variables
    ('aichiTarget', 'title')
    """
    if isinstance(query, str):
        query = load(query)
    bound = bind(query, params or {})
    return execute(query.text, store=store, substitutions=bound, where=query.name, max_rows=max_rows,
                   timeout=timeout, allow_service=allow_service)


def run_text(text: str, *, store: Engine | pyoxigraph.Store, where: str = "query", max_rows: int | None = None,
             timeout: float | None = limits.DEFAULT_TIMEOUT, allow_service: bool = False) -> Result:
    """Run an ad-hoc SPARQL query; the project prefixes (mea:, aichi:, inst:, ...) are predeclared.

    >>> run_text("ASK { ?t a mea:AichiTarget }", store=pyoxigraph.Store()).boolean
    False
    """
    return execute(text, store=store, prefixes=PREFIXES, where=where, max_rows=max_rows, timeout=timeout,
                   allow_service=allow_service)


def execute(text: str, *, store: Engine | pyoxigraph.Store, substitutions: Mapping[str, Term] | None = None,
            prefixes: Mapping[str, str] | None = None, where: str = "query", max_rows: int | None = None,
            timeout: float | None = limits.DEFAULT_TIMEOUT, allow_service: bool = False) -> Result:
    """Run *text* (SELECT, ASK, CONSTRUCT or DESCRIBE) on *store* (its default graph); return the answer in full.

    On an ``Engine`` the query runs in its child: no network unless *allow_service*, killed after
    *timeout* seconds. An answer longer than *max_rows* is an error rather than a cut-off table.

    >>> execute("SELECT ?n WHERE { BIND(?x + 1 AS ?n) }", store=pyoxigraph.Store(),
    ...         substitutions={"x": pyoxigraph.Literal(41)}).values()
    Traceback (most recent call last):
    ...
    meakg.ontology.errors.QueryError: query: The SPARQL query does not contains variable ?x in its SELECT projection
    >>> with Engine() as engine:
    ...     execute("SELECT ?x ?n WHERE { BIND(?x + 1 AS ?n) }", store=engine,
    ...             substitutions={"x": pyoxigraph.Literal(41)}).values()
    [('41', '42')]
    """
    if isinstance(store, Engine):
        answer = store.query(text, where=where, prefixes=prefixes, substitutions=substitutions, timeout=timeout,
                             max_rows=max_rows, allow_service=allow_service)
        return from_answer(answer)
    subs = {pyoxigraph.Variable(name): term for name, term in (substitutions or {}).items()}
    result = evaluate(store, text, where=where, substitutions=subs, prefixes=prefixes)
    if isinstance(result, pyoxigraph.QueryBoolean):
        return Result((), (), boolean=bool(result))
    triples = isinstance(result, pyoxigraph.QueryTriples)
    variables = () if isinstance(result, pyoxigraph.QueryTriples) else tuple(v.value for v in result.variables)
    answers: list[Any] = []   # triples, or rows of terms
    try:
        for solution in result:
            if max_rows is not None and len(answers) >= max_rows:
                raise limits.too_many_rows(max_rows, where)
            answers.append(solution if triples else tuple(solution[v] for v in variables))
    except (OSError, RuntimeError, ValueError) as err:  # raised while evaluating: a bad IRI
        if isinstance(err, QueryError):
            raise
        raise QueryError(f"{where}: {first_line(err)}") from None
    if triples:
        return Result((), (), triples=tuple(sorted(answers, key=str)))
    return Result(variables, tuple(answers))


def from_answer(answer: Answer) -> Result:
    """Return the engine child's *answer* (SPARQL TSV rows, N-Triples) as a Result of pyoxigraph terms.

    >>> from_answer(Answer("rows", ("n",), None, b"?n\\n42\\n")).values()
    [('42',)]
    """
    if answer.kind == "boolean":
        return Result((), (), boolean=answer.boolean)
    if answer.kind == "triples":
        quads = pyoxigraph.parse(answer.payload, format=pyoxigraph.RdfFormat.N_TRIPLES)
        return Result((), (), triples=tuple(sorted((q.triple for q in quads), key=str)))
    solutions = pyoxigraph.parse_query_results(answer.payload, format=pyoxigraph.QueryResultsFormat.TSV)
    assert isinstance(solutions, pyoxigraph.QuerySolutions)  # TSV holds rows, never a boolean
    variables = [pyoxigraph.Variable(v) for v in answer.variables]
    return Result(answer.variables, tuple(tuple(s[v] for v in variables) for s in solutions))
