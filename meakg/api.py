"""The functions behind ``import meakg``: build, query, sparql, validate, export, with typed answers."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pyoxigraph

XSD = "http://www.w3.org/2001/XMLSchema#"
INTEGERS = {XSD + t for t in ("integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
                              "nonPositiveInteger", "negativeInteger", "unsignedInt", "unsignedLong",
                              "unsignedShort", "unsignedByte", "gYear")}
_store_cache: dict = {}


def values(term, *, terms: bool = False):
    """Return *term* as a Python value: int, Decimal, float, bool, datetime.date, or str (IRIs, strings).

    >>> values(pyoxigraph.Literal("45000.50", datatype=pyoxigraph.NamedNode(XSD + "decimal")))
    Decimal('45000.50')
    >>> values(pyoxigraph.NamedNode("https://w3id.org/meakg/id/target/aichi/12"))
    'https://w3id.org/meakg/id/target/aichi/12'
    """
    if term is None or terms:
        return term
    if isinstance(term, pyoxigraph.NamedNode):
        return term.value
    if isinstance(term, pyoxigraph.BlankNode):
        return f"_:{term.value}"
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
    except ValueError:
        return term.value  # an ill-typed literal keeps its lexical form
    return term.value


@dataclass(frozen=True)
class Answer:
    """A query's answer: column names and rows of typed values; ``boolean`` for ASK, ``triples`` for CONSTRUCT."""

    columns: tuple[str, ...]
    rows: list[tuple]
    boolean: bool | None = None
    triples: tuple | None = None

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[dict]:
        """Iterate the rows as dicts, column name to value."""
        return (dict(zip(self.columns, row)) for row in self.rows)

    def to_dataframe(self):
        """Return the rows as a pandas DataFrame (pandas is the optional extra: pip install 'meakg[pandas]')."""
        try:
            import pandas
        except ImportError:
            from meakg.ontology.errors import MeakgError

            raise MeakgError("to_dataframe needs pandas, which is not installed"
                             " (expected it from: python -m pip install 'meakg[pandas]')") from None
        return pandas.DataFrame(self.rows, columns=list(self.columns))

    def __str__(self) -> str:
        from meakg.queries.render import table

        return table(self._result)

    @property
    def _result(self):
        from meakg.queries.catalogue import Result

        return Result(self.columns, tuple(tuple(_term(v) for v in row) for row in self.rows), self.boolean, self.triples)


def build(sources: Path | None = None):
    """Build the graph from the bundled documents (or the folder *sources*) into the build every function then
    reads (graph.store), and return its summary."""
    from meakg.graph.build.assemble import Summary
    from meakg.graph.build.current import make
    from meakg.graph.build.sources import Sources

    manifest = make(Sources(str(Path(sources).resolve()) if sources else None))
    _store_cache.clear()
    return Summary(manifest.triples, manifest.classes)


def queries() -> list:
    """Return the saved queries (name, title, description, params), sorted by name.

    >>> "gbf-targets-for-joint-activities" in [q.name for q in queries()]
    True
    """
    from meakg.queries.catalogue import list_queries

    return list_queries()


def query(name: str, *, terms: bool = False, **params) -> Answer:
    """Run the saved query *name* with *params* (values as in the header: 'aichi:12', 'AEWA', 12); typed answer.

    A value the graph does not hold raises a UserWarning naming the closest existing values.
    """
    import warnings

    from meakg.queries import catalogue
    from meakg.queries.hints import unknown_values

    saved, store, values_ = catalogue.load(name), _store(), {k: str(v) for k, v in params.items()}
    result = catalogue.run(saved, store=store, params=values_)
    for warning in unknown_values(saved, values_, store, empty=not result.rows and result.triples is None):
        warnings.warn(warning, UserWarning, stacklevel=2)
    return _answer(result, terms)


def sparql(text: str, *, terms: bool = False) -> Answer:
    """Run an ad-hoc SPARQL query (project prefixes predeclared): SELECT, ASK, CONSTRUCT or DESCRIBE."""
    from meakg.queries import catalogue

    return _answer(catalogue.run_text(text, store=_store(), where="sparql"), terms)


def validate(file: Path | None = None, *, with_build: bool = False):
    """Check the stored build (or an RDF *file*) against the SHACL shapes; return the report (``.conforms``, ``.findings``)."""
    from meakg.graph.check.validate import validate as run

    return run(file, with_build=with_build and file is not None)


def export(format: str = "turtle", *, out: Path | None = None, graphs: str = "all") -> str:
    """Return the build in *format* (turtle, ntriples, nquads, trig, jsonld, rdfxml, or sssom); write it to *out* if given."""
    from meakg.graph.export.rdf import export as run
    from meakg.graph.export.rdf import format_for

    chosen = format_for(format, Path(out) if out else None, extra=("sssom",))
    if chosen == "sssom":
        from meakg.graph.export.sssom import export as run_sssom

        return run_sssom(out)
    return run(chosen, graphs=graphs, out=out)


def _store():
    """Return the in-memory store of the current build, reused while the stored build is unchanged."""
    from meakg.graph.build.current import ensure_built, open_store

    path = ensure_built()
    key = (str(path.resolve()), path.stat().st_mtime_ns)
    if key not in _store_cache:
        _store_cache.clear()
        _store_cache[key] = open_store()
    return _store_cache[key]


def _answer(result, terms: bool) -> Answer:
    rows = [tuple(values(t, terms=terms) for t in row) for row in result.rows]
    return Answer(result.variables, rows, result.boolean, result.triples)


def _term(value):
    if isinstance(value, (pyoxigraph.NamedNode, pyoxigraph.Literal, pyoxigraph.BlankNode)) or value is None:
        return value
    if isinstance(value, str) and value.startswith(("http://", "https://")):
        return pyoxigraph.NamedNode(value)
    return pyoxigraph.Literal(str(value))
