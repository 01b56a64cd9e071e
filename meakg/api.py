"""The functions behind ``import meakg``: build, query, sparql, validate, export, with typed answers.

An answer's values are plain Python values a notebook can use as they are, yet never ambiguous:
IRIs are ``IRI`` and language-tagged text ``LangString``, both ``str`` subclasses (they compare, sort,
hash, print and sit in a DataFrame like the text they hold, and ``isinstance`` tells them apart from a
plain ``str`` that happens to hold a URL). rdflib terms would do the same job but cost rdflib's import
on the query path and do not compare equal to plain strings; pyoxigraph terms stay available with
``terms=True``. Typed literals become int, Decimal, float, bool, datetime.date and datetime.datetime.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph

from meakg.ontology.vocab import curie

if TYPE_CHECKING:  # for the annotations only: importing them here would load the build and query code
    import pandas

    from meakg.graph.build.assemble import Summary
    from meakg.graph.check.validate import Validation
    from meakg.queries.catalogue import Result
    from meakg.queries.engine import Engine
    from meakg.queries.header import SavedQuery

XSD = "http://www.w3.org/2001/XMLSchema#"
INTEGERS = {XSD + t for t in ("integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
                              "nonPositiveInteger", "negativeInteger", "unsignedInt", "unsignedLong",
                              "unsignedShort", "unsignedByte", "gYear")}
Term = pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal
_store_cache: dict[tuple[str, int], pyoxigraph.Store] = {}


class IRI(str):
    """An IRI in an answer: a ``str`` (it compares, sorts, hashes and shows in a DataFrame as its text), of its own
    type so that it is never mistaken for a literal that happens to hold a URL.

    >>> aichi12 = IRI("https://w3id.org/meakg/id/target/aichi/12")
    >>> aichi12 == "https://w3id.org/meakg/id/target/aichi/12", isinstance(aichi12, IRI), aichi12.curie
    (True, True, 'aichi:12')
    """

    __slots__ = ()

    @property
    def curie(self) -> str | None:
        """The IRI as a project CURIE (``aichi:12``), or None if no project prefix fits."""
        return curie(self)

    def __repr__(self) -> str:
        return f"IRI({str.__repr__(self)})"


class LangString(str):
    """A language-tagged string: its text as a ``str``, and its language tag in ``.lang``.

    >>> title = LangString("Joint Work Plan", "en")
    >>> title == "Joint Work Plan", title.lang
    (True, 'en')
    """

    __slots__ = ("lang",)
    lang: str

    def __new__(cls, text: str, lang: str) -> LangString:
        value = super().__new__(cls, text)
        value.lang = lang
        return value

    def __repr__(self) -> str:
        return f"LangString({str.__repr__(self)}, lang={self.lang!r})"

    def __reduce__(self) -> tuple[type[LangString], tuple[str, str]]:  # pickles (and copies) keep the tag
        return LangString, (str(self), self.lang)


class _Default:
    """The command line's bound (``meakg.queries.limits``), read when a query runs: importing meakg.queries here,
    while ``meakg`` itself is imported, would shadow the function ``meakg.queries`` with the package."""

    def __repr__(self) -> str:
        return "<as on the command line>"


DEFAULT = _Default()
# a value of an answer (None where unbound); with terms=True, the pyoxigraph term
Value = IRI | LangString | str | int | Decimal | float | bool | datetime.date | datetime.datetime | None
Cell = Value | Term


def values(term: Term | None, *, terms: bool = False) -> Cell:
    """Return *term* as a Python value: int, Decimal, float, bool, datetime.date or datetime.datetime for typed
    literals, LangString for a language-tagged one, str for a plain one, IRI for an IRI.

    >>> values(pyoxigraph.Literal("45000.50", datatype=pyoxigraph.NamedNode(XSD + "decimal")))
    Decimal('45000.50')
    >>> values(pyoxigraph.NamedNode("https://w3id.org/meakg/id/target/aichi/12"))
    IRI('https://w3id.org/meakg/id/target/aichi/12')
    >>> values(pyoxigraph.Literal("Aichi Target 12", language="en"))
    LangString('Aichi Target 12', lang='en')
    """
    if term is None or terms:
        return term
    if isinstance(term, pyoxigraph.NamedNode):
        return IRI(term.value)
    if isinstance(term, pyoxigraph.BlankNode):
        return f"_:{term.value}"
    if term.language:
        return LangString(term.value, term.language)
    datatype = term.datatype.value if term.datatype else ""
    try:
        if datatype in INTEGERS:
            return int(term.value)
        if datatype == XSD + "decimal":
            return Decimal(term.value)
        if datatype in (XSD + "double", XSD + "float"):
            return float(term.value)
        if datatype == XSD + "boolean":
            return term.value in ("true", "1")
        if datatype == XSD + "date":
            return datetime.date.fromisoformat(term.value)
        if datatype == XSD + "dateTime":
            return datetime.datetime.fromisoformat(term.value)
    except (ValueError, ArithmeticError):  # Decimal says InvalidOperation, an ArithmeticError
        return term.value  # an ill-typed literal keeps its lexical form
    return term.value


@dataclass(frozen=True)
class Answer:
    """A query's answer: column names and rows of typed values; ``boolean`` for ASK, ``triples`` for CONSTRUCT."""

    columns: tuple[str, ...]
    rows: list[tuple[Cell, ...]]
    boolean: bool | None = None
    triples: tuple[pyoxigraph.Triple, ...] | None = None

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[dict[str, Cell]]:
        """Iterate the rows as dicts, column name to value."""
        return (dict(zip(self.columns, row, strict=True)) for row in self.rows)

    def to_dataframe(self) -> pandas.DataFrame:
        """Return the rows as a pandas DataFrame with typed columns (pandas is the optional extra:
        pip install 'meakg[pandas]').

        A column of integers is ``Int64``, of numbers with decimals ``Float64`` (the exact ``Decimal``
        stays in ``rows``), of booleans ``boolean``, of dates ``datetime64``; missing values are
        ``pd.NA``/``NaT``. Text stays ``object``, as pandas keeps strings, so each cell keeps its type:
        ``IRI``, ``LangString`` or ``str``.
        """
        try:
            import pandas
        except ImportError:
            from meakg.ontology.errors import MeakgError

            raise MeakgError("to_dataframe needs pandas, which is not installed"
                             " (expected it from: python -m pip install 'meakg[pandas]')") from None
        frame = pandas.DataFrame(self.rows, columns=list(self.columns), dtype=object)
        for index, column in enumerate(self.columns):
            dtype = _column_type([row[index] for row in self.rows])
            if dtype == "datetime":
                frame[column] = pandas.to_datetime(frame[column])
            elif dtype is not None:
                frame[column] = frame[column].astype(dtype)
        return frame

    def __str__(self) -> str:
        from meakg.queries.render import table

        return table(self._result)

    @property
    def _result(self) -> Result:
        from meakg.queries.catalogue import Result

        rows = tuple(tuple(_term(v) for v in row) for row in self.rows)
        return Result(self.columns, rows, self.boolean, self.triples)


def build(sources: Path | None = None) -> Summary:
    """Build the graph from the bundled documents (or the folder *sources*) into the build every function then
    reads (graph.store), and return its summary."""
    from meakg.graph.build.assemble import Summary
    from meakg.graph.build.current import make
    from meakg.graph.build.sources import Sources

    manifest = make(Sources(str(Path(sources).resolve()) if sources else None))
    _store_cache.clear()
    return Summary(manifest.triples, manifest.classes)


def queries() -> list[SavedQuery]:
    """Return the saved queries (name, title, description, params), sorted by name.

    >>> "gbf-targets-for-joint-activities" in [q.name for q in queries()]
    True
    """
    from meakg.queries.catalogue import list_queries

    return list_queries()


def query(name: str, *, terms: bool = False, timeout: float | None | _Default = DEFAULT,
          max_rows: int | None | _Default = DEFAULT, allow_federation: bool = False, **params: object) -> Answer:
    """Run the saved query *name* with *params* (values as in the header: 'aichi:12', 'AEWA', 12); typed answer.

    Bounded as on the command line: the query runs in the engine's child process, killed after
    *timeout* seconds, with no network unless *allow_federation*; more than *max_rows* rows is an
    error (defaults: 60 s, 100,000 rows; None: no bound). A value the graph does not hold raises a
    UserWarning naming the closest existing values.
    """
    import warnings

    from meakg.queries import catalogue
    from meakg.queries.hints import unknown_values

    timeout, max_rows = _bounds(timeout, max_rows)
    saved, values_ = catalogue.load(name), {k: str(v) for k, v in params.items()}
    result = _on_build(lambda engine: catalogue.run(saved, store=engine, params=values_, max_rows=max_rows,
                                                    timeout=timeout, allow_service=allow_federation))
    if values_:
        for warning in unknown_values(saved, values_, _store(), empty=not result.rows and result.triples is None):
            warnings.warn(warning, UserWarning, stacklevel=2)
    return _answer(result, terms)


def sparql(text: str, *, terms: bool = False, timeout: float | None | _Default = DEFAULT,
           max_rows: int | None | _Default = DEFAULT, allow_federation: bool = False) -> Answer:
    """Run an ad-hoc SPARQL query (project prefixes predeclared): SELECT, ASK, CONSTRUCT or DESCRIBE.

    Bounded as ``query`` is: a query the engine cannot run (a stack overflow, a SERVICE call
    without *allow_federation*, the timeout) raises a one-line ``QueryError``; Python goes on.
    """
    from meakg.queries import catalogue

    timeout, max_rows = _bounds(timeout, max_rows)
    result = _on_build(lambda engine: catalogue.run_text(text, store=engine, where="sparql", max_rows=max_rows,
                                                         timeout=timeout, allow_service=allow_federation))
    return _answer(result, terms)


def validate(file: Path | None = None, *, with_build: bool = False) -> Validation:
    """Check the stored build (or an RDF *file*) against the SHACL shapes; return the report (``.conforms``,
    ``.findings``)."""
    from meakg.graph.check.validate import validate as run

    return run(file, with_build=with_build and file is not None)


def export(format: str | None = None, *, out: Path | None = None, graphs: str | None = None) -> str:
    """Return the build in *format* (turtle, ntriples, nquads, trig, jsonld, rdfxml, or sssom; by default the one
    *out*'s extension implies, else turtle); write it to *out* if given. *graphs* picks named graphs (RDF only)."""
    from meakg.graph.export.exports import export as run

    return run(format, out=out, graphs=graphs).text


def _bounds(timeout: float | None | _Default, max_rows: int | None | _Default) -> tuple[float | None, int | None]:
    from meakg.queries.limits import DEFAULT_MAX_ROWS, DEFAULT_TIMEOUT

    return (DEFAULT_TIMEOUT if isinstance(timeout, _Default) else timeout,
            DEFAULT_MAX_ROWS if isinstance(max_rows, _Default) else max_rows)


def _on_build(run: Callable[[Engine], Result]) -> Result:
    """Return *run(engine)* on the current build's store, in the engine child the whole process shares."""
    from meakg.graph.build.current import run_on_build

    return run_on_build(run)


def _store() -> pyoxigraph.Store:
    """Return the current build's store opened in this process (for hints on parameter values), reused while
    the stored build is unchanged."""
    from meakg.graph.build.current import ensure_built, open_store

    path = ensure_built()
    key = (str(path.resolve()), path.stat().st_mtime_ns)
    if key not in _store_cache:
        _store_cache.clear()
        _store_cache[key] = open_store()
    return _store_cache[key]


def _answer(result: Result, terms: bool) -> Answer:
    rows = [tuple(values(t, terms=terms) for t in row) for row in result.rows]
    return Answer(result.variables, rows, result.boolean, result.triples)


def _column_type(values: list[Cell]) -> str | None:
    """Return the pandas dtype for a column of *values* (None: leave it object).

    >>> _column_type([1, None, 3]), _column_type([Decimal("1.5"), 2]), _column_type(["a", IRI("https://x.org/")])
    ('Int64', 'Float64', None)
    >>> _column_type([1, 2 ** 63]) is None   # beyond Int64: kept as Python ints
    True
    """
    kinds = {type(v) for v in values if v is not None}
    if not kinds:
        return None
    if kinds == {bool}:
        return "boolean"
    if kinds == {int}:  # beyond Int64 (or as floats) they would lose digits: left as exact Python ints
        return "Int64" if all(-2 ** 63 <= v < 2 ** 63 for v in values if isinstance(v, int)) else None
    if kinds <= {int, float, Decimal}:
        return "Float64"
    if kinds == {datetime.date}:
        return "datetime"  # pandas.to_datetime picks the datetime64 resolution
    return None


def _term(value: Cell) -> Term | None:
    """Return the RDF term of a typed *value* (the inverse of ``values``), for printing an answer as a table."""
    if isinstance(value, (pyoxigraph.NamedNode, pyoxigraph.Literal, pyoxigraph.BlankNode)) or value is None:
        return value
    if isinstance(value, IRI):
        return pyoxigraph.NamedNode(value)
    if isinstance(value, LangString):
        return pyoxigraph.Literal(str(value), language=value.lang)
    datatype = {bool: "boolean", int: "integer", Decimal: "decimal", float: "double", datetime.date: "date",
                datetime.datetime: "dateTime"}.get(type(value))
    if datatype is None:
        return pyoxigraph.Literal(str(value))
    if isinstance(value, bool):
        lexical = str(value).lower()
    elif isinstance(value, (datetime.date, datetime.datetime)):
        lexical = value.isoformat()
    else:
        lexical = str(value)
    return pyoxigraph.Literal(lexical, datatype=pyoxigraph.NamedNode(XSD + datatype))
