"""The catalogue of saved queries: list them, load them, run them with typed parameters.

A saved query is a ``queries/<name>.rq`` file: a grlc-style YAML header behind ``#+ `` (title,
description, params, columns, tags), then plain SPARQL 1.1; ``queries.header`` reads and checks
that format. Parameters are ordinary variables of the query, bound at run time through pyoxigraph's
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
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

import pyoxigraph

from ontology.errors import QueryError
from ontology.vocab import PREFIXES, QUERIES
from queries import limits

QUERY_DIR = Path(__file__).resolve().parent
QUERY_BASE = QUERIES
NAME = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
_XSD_INTEGER = pyoxigraph.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
_SYNTAX_AT = re.compile(r"^error at (\d+):(\d+): ?")

Term = pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal


class ParamType(str, Enum):
    """How a parameter's value is read: an IRI (full or a project CURIE), a plain literal, an integer."""

    IRI = "iri"
    LITERAL = "literal"
    INTEGER = "integer"


@dataclass(frozen=True)
class Param:
    """A parameter of a saved query; ``required`` when the header gives no ``default`` at all."""

    name: str
    type: ParamType
    doc: str = ""
    default: str | None = None      # as written in the header; None leaves the variable unbound
    required: bool = False


@dataclass(frozen=True)
class SavedQuery:
    """A saved query: its header fields and its full text (header comments included)."""

    name: str
    path: Path | None
    title: str
    description: str
    params: tuple[Param, ...]
    columns: tuple[str, ...]
    tags: tuple[str, ...]
    text: str
    form: str = "select"            # select | ask | construct | describe

    @property
    def iri(self) -> str:
        """The query's IRI, e.g. https://w3id.org/meakg/query/target-alignment."""
        return QUERY_BASE + self.name

    @property
    def sparql(self) -> str:
        """The query text without its ``#+`` header: what other SPARQL tools need."""
        return "".join(line for line in self.text.splitlines(keepends=True) if not line.startswith("#+")).lstrip("\n")

    def param(self, name: str) -> Param:
        for param in self.params:
            if param.name == name:
                return param
        raise QueryError(f"unknown parameter {name!r} for query {self.name} (expected: {_names(self.params)})")


@dataclass(frozen=True)
class Result:
    """The answer to a query: variable names and rows of terms (None where unbound); ``boolean`` for ASK."""

    variables: tuple[str, ...]
    rows: tuple[tuple[Term | None, ...], ...]
    boolean: bool | None = None
    triples: tuple | None = None    # CONSTRUCT and DESCRIBE: the answer's triples (pyoxigraph.Triple), sorted

    def values(self) -> list[tuple[str | None, ...]]:
        """Return the rows as plain strings (IRIs in full, literals by their lexical form).

        >>> Result(("n",), ((pyoxigraph.Literal("4"), ),)).values()
        [('4',)]
        """
        return [tuple(None if t is None else t.value for t in row) for row in self.rows]


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
    from queries.header import parse  # the file format checks with to_term and _query: it sits above this module

    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise QueryError(f"cannot read query file {_shown(path)} ({err.__class__.__name__}: {err})") from None
    return parse(text, path=path)


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


def expand(value: str) -> str:
    """Return the full IRI of *value*: a CURIE with a project prefix, ``<iri>`` or an absolute IRI.

    >>> expand("aichi:12")
    'https://w3id.org/meakg/id/target/aichi/12'
    >>> expand("<https://w3id.org/meakg/id/instrument/aewa>")
    'https://w3id.org/meakg/id/instrument/aewa'
    """
    value = value.strip()
    if value.startswith("<") and value.endswith(">"):
        return value[1:-1]
    prefix, sep, local = value.partition(":")
    if sep and prefix in PREFIXES:
        return PREFIXES[prefix] + local
    if sep and (local.startswith("//") or prefix in ("urn", "mailto", "tag")):
        return value
    known = ", ".join(sorted(PREFIXES))
    raise ValueError(f"expected a full IRI or a CURIE with a project prefix ({known}), found {value!r}")


def to_term(param: Param, value: str) -> Term:
    """Return *value* as the typed term *param* expects.

    >>> to_term(Param("n", ParamType.INTEGER), "12")
    <Literal value=12 datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#integer>>
    """
    if param.type is ParamType.LITERAL:
        return pyoxigraph.Literal(value)
    if param.type is ParamType.INTEGER:
        if not re.fullmatch(r"[+-]?\d+", value.strip()):
            raise QueryError(f"parameter {param.name!r} expects an integer, found {value!r}")
        return pyoxigraph.Literal(_canonical_integer(value), datatype=_XSD_INTEGER)
    try:
        return pyoxigraph.NamedNode(expand(value))
    except ValueError as err:
        raise QueryError(f"parameter {param.name!r} expects an IRI: {_first_line(err)}") from None


def _canonical_integer(value: str) -> str:
    """Return the canonical form of an integer of any length (int() refuses over 4,300 digits).

    >>> _canonical_integer(" +007 "), _canonical_integer("-0")
    ('7', '0')
    """
    value = value.strip()
    sign = "-" if value.startswith("-") else ""
    digits = value.lstrip("+-").lstrip("0") or "0"
    return ("" if digits == "0" else sign) + digits


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
            raise QueryError(f"missing parameter {param.name!r} for query {query.name} (give --param {param.name}=VALUE: {param.doc or param.type.value})")
        elif param.default is not None:
            bound[param.name] = to_term(param, param.default)
    return bound


def run(query: SavedQuery | str, *, store, params: Mapping[str, str] | None = None,
        max_rows: int | None = None, allow_service: bool = False) -> Result:
    """Run a saved query (or the one called *query*) on *store* with *params* bound; return its answer.

    >>> run("aichi-targets-without-joint-activity", store=pyoxigraph.Store()).variables
    ('aichiTarget', 'title')
    """
    if isinstance(query, str):
        query = load(query)
    bound = bind(query, params or {})
    return execute(query.text, store=store, substitutions=bound, where=query.name, max_rows=max_rows,
                   allow_service=allow_service)


def run_text(text: str, *, store, where: str = "query", max_rows: int | None = None,
             allow_service: bool = False) -> Result:
    """Run an ad-hoc SPARQL query; the project prefixes (mea:, aichi:, inst:, ...) are predeclared.

    >>> run_text("ASK { ?t a mea:AichiTarget }", store=pyoxigraph.Store()).boolean
    False
    """
    return execute(text, store=store, prefixes=PREFIXES, where=where, max_rows=max_rows, allow_service=allow_service)


def execute(text: str, *, store, substitutions: Mapping[str, Term] | None = None,
            prefixes: Mapping[str, str] | None = None, where: str = "query", max_rows: int | None = None,
            allow_service: bool = False) -> Result:
    """Run *text* (SELECT, ASK, CONSTRUCT or DESCRIBE) on *store* (its default graph); return the answer in full.

    The text is checked first (``queries.limits``: nesting depth, SERVICE unless *allow_service*);
    an answer longer than *max_rows* is an error rather than a cut-off table.

    >>> execute("SELECT ?n WHERE { BIND(?x + 1 AS ?n) }", store=pyoxigraph.Store(),
    ...         substitutions={"x": pyoxigraph.Literal("41", datatype=_XSD_INTEGER)}).values()
    Traceback (most recent call last):
    ...
    ontology.errors.QueryError: query: The SPARQL query does not contains variable ?x in its SELECT projection
    >>> execute("SELECT ?x ?n WHERE { BIND(?x + 1 AS ?n) }", store=pyoxigraph.Store(),
    ...         substitutions={"x": pyoxigraph.Literal("41", datatype=_XSD_INTEGER)}).values()
    [('41', '42')]
    """
    subs = {pyoxigraph.Variable(name): term for name, term in (substitutions or {}).items()}
    result = _query(store, text, where=where, substitutions=subs, prefixes=prefixes, allow_service=allow_service)
    if isinstance(result, pyoxigraph.QueryBoolean):
        return Result((), (), boolean=bool(result))
    triples = isinstance(result, pyoxigraph.QueryTriples)
    variables = () if triples else tuple(v.value for v in result.variables)
    rows = []
    try:
        for solution in result:
            if max_rows is not None and len(rows) >= max_rows:
                raise limits.too_many_rows(max_rows, where)
            rows.append(solution if triples else tuple(solution[v] for v in variables))
    except (OSError, RuntimeError, ValueError) as err:  # raised while evaluating: a SERVICE refused, a bad IRI
        if isinstance(err, QueryError):
            raise
        raise QueryError(f"{where}: {_first_line(err)}") from None
    if triples:
        return Result((), (), triples=tuple(sorted(rows, key=str)))
    return Result(variables, tuple(rows))


def _query(store, text: str, *, where: str, substitutions=None, prefixes=None, allow_service: bool = True):
    limits.check(text, allow_service=allow_service, where=where)
    try:
        return store.query(text, substitutions=substitutions or None,
                           prefixes=dict(prefixes) if prefixes else None)
    except SyntaxError as err:
        message = _first_line(err)
        at = _SYNTAX_AT.match(message)
        if at:
            raise QueryError(f"{where}:{at[1]}: SPARQL syntax error at column {at[2]}: {message[at.end():]}") from None
        raise QueryError(f"{where}: SPARQL syntax error: {message}") from None
    except (OSError, RuntimeError, ValueError) as err:
        raise QueryError(f"{where}: {_first_line(err)}") from None


def _first_line(err: BaseException) -> str:
    text = str(err.args[0] if err.args else err).strip()
    return " ".join(text.split("\n", 1)[0].split())


def _names(params: Iterable[Param]) -> str:
    return ", ".join(p.name for p in params) or "none"


def _shown(path: Path) -> str:
    """Return *path* relative to the working directory when it is below it (shorter error lines)."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)
