"""What a saved query is, and its file format: a ``#+`` YAML header read and checked key by key, then SPARQL.

A saved query is a ``queries/<name>.rq`` file: a grlc-style YAML header behind ``#+ `` (title,
description, params, columns, tags), then plain SPARQL 1.1. ``SavedQuery`` and its typed ``Param``
are what one is; ``to_term`` reads a parameter's value as the term it expects. ``parse`` checks the
header (known keys, typed parameters and their defaults, columns equal to the SELECT list) and the
query behind it (it parses; a SELECT has ORDER BY); each error names the file and line
(``QueryFileError``). Listing, loading, binding and running are ``queries.catalogue``'s.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

import pyoxigraph
import yaml

from meakg.ontology.errors import QueryError, first_line
from meakg.ontology.vocab import PREFIXES, QUERIES
from meakg.queries.engine import shape

QUERY_BASE = QUERIES
HEADER_KEYS = ("title", "description", "params", "columns", "tags")
REQUIRED_KEYS = ("title", "description", "columns")
PARAM_KEYS = ("type", "default", "doc")
_YAML = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: a third of the cold start otherwise
_XSD_INTEGER = pyoxigraph.NamedNode("http://www.w3.org/2001/XMLSchema#integer")


class ParamType(StrEnum):
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


def _names(params: Iterable[Param]) -> str:
    return ", ".join(p.name for p in params) or "none"


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


def to_term(param: Param, value: str) -> pyoxigraph.NamedNode | pyoxigraph.Literal:
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
        raise QueryError(f"parameter {param.name!r} expects an IRI: {first_line(err)}") from None


def _canonical_integer(value: str) -> str:
    """Return the canonical form of an integer of any length (int() refuses over 4,300 digits).

    >>> _canonical_integer(" +007 "), _canonical_integer("-0")
    ('7', '0')
    """
    value = value.strip()
    sign = "-" if value.startswith("-") else ""
    digits = value.lstrip("+-").lstrip("0") or "0"
    return ("" if digits == "0" else sign) + digits


def shown_path(path: Path) -> str:
    """Return *path* relative to the working directory when it is below it (shorter error lines)."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


# ---------------------------------------------------------------------------------------- the file format

class QueryFileError(QueryError):
    """A saved query file is malformed; carries the file and the 1-based line.

    >>> print(QueryFileError(Path("q.rq"), 3, "unknown header key 'titel'"))
    q.rq:3: unknown header key 'titel'
    """

    def __init__(self, path: Path | str, line: int, message: str) -> None:
        super().__init__(f"{shown_path(Path(path))}:{line}: {message}")
        self.path, self.line, self.message = Path(path), line, message


def parse(text: str, *, path: Path) -> SavedQuery:
    """Return the saved query in *text*: header checked key by key, SPARQL parsed, columns compared.

    >>> q = parse("#+ title: Ten\\n#+ description: d\\n#+ columns: [n]\\n"
    ...           "SELECT ?n WHERE { BIND(10 AS ?n) } ORDER BY ?n\\n", path=Path("ten.rq"))
    >>> q.name, q.columns
    ('ten', ('n',))
    """
    header = [line[2:].removeprefix(" ") for line in _header_lines(text)]
    projection, form = _projection(text, path)
    if not header:
        return SavedQuery(path.stem, path, "", "", (), projection, (), text, form)
    yaml_text = "\n".join(header)
    root = _header_root(yaml_text, path)
    fields = _header_fields(root, path)
    data = _header_data(yaml_text, path)
    if form in ("construct", "describe"):
        return _graph_query(data, fields, root, text, path, form)
    for key in REQUIRED_KEYS:
        if not data.get(key):
            raise QueryFileError(path, 1,
                                 f"missing header key {key!r} (a saved query needs: {', '.join(REQUIRED_KEYS)})")
    columns_line = fields["columns"]
    columns = data["columns"]
    if not isinstance(columns, list) or not all(isinstance(c, str) for c in columns):
        raise QueryFileError(path, columns_line, f"expected columns as a list of variable names, found {columns!r}")
    if tuple(columns) != projection:
        raise QueryFileError(path, columns_line, f"columns {columns} differ from the SELECT list {list(projection)}")
    params = _params(data.get("params") or {}, fields.get("params", 1), root, path)
    for param in params:
        # pyoxigraph substitutes only projected variables (SEP-0007); this also shows what was asked.
        if param.name not in projection:
            raise QueryFileError(path, fields["params"],
                                 f"parameter {param.name!r} must be a column of the SELECT list")
    if not re.search(r"\bORDER\s+BY\b", _strip_comments(text), re.IGNORECASE):
        raise QueryFileError(path, len(header) + 1, "expected ORDER BY, so that answers diff cleanly")
    tags = data.get("tags") or []
    if not isinstance(tags, list):
        raise QueryFileError(path, fields["tags"], f"expected tags as a list, found {tags!r}")
    query = SavedQuery(path.stem, path, str(data["title"]).strip(), " ".join(str(data["description"]).split()),
                       params, projection, tuple(str(t) for t in tags), text)
    for param in params:
        if param.default is not None:
            try:
                to_term(param, param.default)
            except QueryError as err:
                raise QueryFileError(path, fields["params"], f"default of {err}") from None
    return query


def _graph_query(data: dict[str, Any], fields: dict[str, int], root: yaml.MappingNode, text: str, path: Path,
                 form: str) -> SavedQuery:
    """Return a saved CONSTRUCT or DESCRIBE query: title and description required, no columns, no ORDER BY."""
    for key in ("title", "description"):
        if not data.get(key):
            raise QueryFileError(path, 1,
                                 f"missing header key {key!r} (a saved {form.upper()} query needs: title, description)")
    if data.get("columns"):
        raise QueryFileError(path, fields["columns"],
                             f"a {form.upper()} query answers with triples: expected no columns")
    params = _params(data.get("params") or {}, fields.get("params", 1), root, path)
    return SavedQuery(path.stem, path, str(data["title"]).strip(), " ".join(str(data["description"]).split()),
                      params, (), tuple(str(t) for t in data.get("tags") or []), text, form)


def _header_lines(text: str) -> list[str]:
    lines = []
    for line in text.splitlines():
        if not line.startswith("#+"):
            break
        lines.append(line)
    return lines


def _header_root(yaml_text: str, path: Path) -> yaml.MappingNode:
    """Return the header's YAML node tree (it keeps line numbers); fail on YAML errors."""
    try:
        root = yaml.compose(yaml_text, Loader=_YAML)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        raise QueryFileError(path, mark.line + 1 if mark else 1,
                             f"expected a YAML header: {getattr(err, 'problem', err)}") from None
    if not isinstance(root, yaml.MappingNode):
        raise QueryFileError(path, 1, "expected a YAML mapping (title: ..., description: ...) behind '#+ '")
    return root


def _header_data(yaml_text: str, path: Path) -> dict[str, Any]:
    """Return the header as plain values (a mapping: _header_root checked it); a YAML tag asking for an object
    (``!!python/...``) is refused."""
    try:
        data: dict[str, Any] = yaml.load(yaml_text, Loader=_YAML)
        return data
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None) or getattr(err, "context_mark", None)
        tag = re.search(r"tag '([^']*)'", str(getattr(err, "problem", "")) or "")
        found = f"the YAML tag {tag[1]!r}" if tag else repr(getattr(err, "problem", str(err)))
        raise QueryFileError(path, mark.line + 1 if mark else 1, f"refused {found}: a header holds plain values "
                             "(text, lists, mappings), never objects; nothing was run") from None


def _header_fields(root: yaml.MappingNode, path: Path) -> dict[str, int]:
    """Return each top-level header key with its file line; fail on unknown keys."""
    fields = {}
    for key, _ in root.value:
        line = key.start_mark.line + 1
        if key.value not in HEADER_KEYS:
            raise QueryFileError(path, line,
                                 f"unknown header key {key.value!r} (expected one of: {', '.join(HEADER_KEYS)})")
        fields[key.value] = line
    return fields


def _params(data: object, line: int, root: yaml.MappingNode, path: Path) -> tuple[Param, ...]:
    if not isinstance(data, dict):
        raise QueryFileError(path, line,
                             f"expected params as a mapping of name to {{type, default, doc}}, found {data!r}")
    lines = _param_lines(root)
    params = []
    for name, spec in data.items():
        at = lines.get(name, line)
        if not isinstance(spec, dict):
            raise QueryFileError(path, at, f"expected parameter {name!r} as {{type: ..., default: ..., doc: ...}}, "
                                           f"found {spec!r}")
        for key in spec:
            if key not in PARAM_KEYS:
                raise QueryFileError(path, at, f"unknown key {key!r} of parameter {name!r} "
                                               f"(expected one of: {', '.join(PARAM_KEYS)})")
        try:
            kind = ParamType(str(spec.get("type")))
        except ValueError:
            raise QueryFileError(path, at, f"expected the type of parameter {name!r} to be one of: iri, literal, "
                                           f"integer; found {spec.get('type')!r}") from None
        default = spec.get("default")
        params.append(Param(str(name), kind, " ".join(str(spec.get("doc") or "").split()),
                            None if default is None else str(default), required="default" not in spec))
    return tuple(params)


def _param_lines(root: yaml.MappingNode) -> dict[str, int]:
    for key, value in root.value:
        if key.value == "params" and isinstance(value, yaml.MappingNode):
            return {k.value: k.start_mark.line + 1 for k, _ in value.value}
    return {}


def _strip_comments(text: str) -> str:
    # A comment starts with '#' at the start of a line or after a space; IRIs hold '#' without a
    # space before it (<...ontology#>). Good enough for the ORDER BY check.
    return "\n".join(re.sub(r"(?:^|\s)#.*$", "", line) for line in text.splitlines())


def _projection(text: str, path: Path) -> tuple[tuple[str, ...], str]:
    """Return the SELECT list of *text* and its form, parsing it on an empty store (syntax errors name the line)."""
    result = shape(text, where=shown_path(path))  # in the engine's child: a query too large for it ends only that
    if result.kind == "triples":
        describe = re.search(r"^\s*DESCRIBE\b", _strip_comments(_body(text)), re.I | re.M)
        return (), "describe" if describe else "construct"
    if result.kind != "rows":
        raise QueryFileError(path, 1, "expected a SELECT, CONSTRUCT or DESCRIBE query")
    return result.variables, "select"


def _body(text: str) -> str:
    """Return *text* without its PREFIX and BASE lines (what remains starts with the query form)."""
    return re.sub(r"(?im)^\s*(PREFIX\s+\S*:\s*<[^>]*>|BASE\s*<[^>]*>)", "", text)
