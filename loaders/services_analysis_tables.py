"""Tables of a common-services analysis: instrument x secretariat function (or implementation-support
activity) -> a status such as "Yes", "Shared" or "Interim Shared".

Each cell is printed on a line of its own, prefixed by a tab; rows are separated by blank lines;
the first row is the header ("Instrument", then one column per function). In Doc.16.2's Table 1
the "Gorilla Agreement" row has a blank line between its name and its cells: a row of one cell
followed by a row one cell short is read as one row.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ontology.errors import SourceError
from ontology.vocab import slug
from loaders.rdf import MEA, RDF, RDFS, Literal, Triple, URIRef, concept_triples, derived, iri, scheme_triples
from loaders.reference import load_reference
from loaders.services_analysis_parts import Region, key_of
from loaders.text import Locator, squash

_SCHEMES = re.compile(r"(Secretariat Functions|Implementation Support Activities)", re.IGNORECASE)
_STATUS = re.compile(r"(Yes|Shared|Interim Shared|Currently no funds)\b\s*(.*)", re.IGNORECASE)
_COORDINATED = re.compile(r"Implementation to be coordinated\s+(?:by\s+|through\s+)?([A-Z][\w-]*)")
_UNIT_NOTE = re.compile(r"^([A-Z]+)[ /-]([A-Z]+) unit$")


@dataclass(frozen=True)
class Function:
    """A column of a table: a secretariat function or implementation-support activity."""

    scheme: str               # "secretariat-functions" or "implementation-support-activities"
    column: int               # 1-based among the function columns
    label: str                # the header as printed, whitespace normalised
    locator: Locator

    @property
    def key(self) -> str:
        return key_of(self.label)

    @property
    def short(self) -> str:
        return squash(re.sub(r"\([^)]*\)", " ", self.label))


@dataclass(frozen=True)
class Cell:
    """One cell: how an instrument provides one function."""

    table: int
    instrument: str           # instrument key (IRI slug)
    function: Function
    value: str                # as printed
    status: str               # key of a function-status concept: "yes", "interim-shared", "to-be-coordinated-by-grasp"
    status_label: str
    note: str                 # printed text after the status ("CMS AEWA unit"); "" if none
    provided_by: tuple[str, ...]   # acronyms of the organisations the cell names ("GRASP"; ("CMS", "AEWA") for a joint unit)
    locator: Locator


@dataclass(frozen=True)
class Table:
    number: int
    caption: str
    scheme: str
    scheme_label: str
    functions: tuple[Function, ...]
    cells: tuple[Cell, ...]


def _rows(region: Region) -> list[list[tuple[int, str]]]:
    rows: list[list[tuple[int, str]]] = [[]]
    for number, line in region.lines:
        if not line.strip():
            if rows[-1]:
                rows.append([])
        else:
            rows[-1].append((number, squash(line)))
    return [r for r in rows if r]


def parse_table(region: Region, *, path: Path) -> Table:
    """Return the table's functions and cells, or fail naming the line of a malformed row."""
    label = f"Table {region.number}"
    scheme_match = _SCHEMES.search(region.caption)
    first_line = region.lines[0][0] if region.lines else 1
    if not scheme_match:
        raise SourceError(path, first_line - 1, f"expected a {label} caption naming 'Secretariat Functions' or "
                          f"'Implementation Support Activities', found {region.caption!r}")
    scheme_label = scheme_match[1].title()
    scheme = slug(scheme_label)
    rows = _rows(region)
    if len(rows) < 2:
        raise SourceError(path, first_line, f"expected {label} to have a header row and data rows, found {len(rows)} row(s)")
    header, *data = rows
    functions = tuple(Function(scheme, column, cell, Locator(path, line, f"table-{region.number}/header/{key_of(cell)}",
                                                             f"{label}, column {column} header", table=label, column=column))
                      for column, (line, cell) in enumerate(header[1:], start=1))
    reference, cells = load_reference(), []
    merged: list[list[tuple[int, str]]] = []
    for row in data:   # a lone instrument name, then its cells after a blank line, is one row
        if merged and len(merged[-1]) == 1 and len(row) == len(functions):
            merged[-1] += row
        else:
            merged.append(row)
    for row_no, row in enumerate(merged, start=1):
        (line, name), values = row[0], row[1:]
        if len(values) != len(functions):
            raise SourceError(path, line, f"expected {len(functions)} cells after the instrument {name!r} in {label} "
                              f"(one per column), found {len(values)}")
        instrument = reference.instrument(name, path=path, line=line)
        for function, (cell_line, value) in zip(functions, values):
            status, status_label, note, provided_by = _status(value, path=path, line=cell_line)
            locator = Locator(path, cell_line, f"table-{region.number}/{instrument.key}/{function.key}",
                              f"{label}, row {name}, column {function.short}", table=label, row=row_no,
                              column=function.column)
            cells.append(Cell(region.number, instrument.key, function, value, status, status_label, note,
                              provided_by, locator))
    return Table(region.number, region.caption, scheme, scheme_label, functions, tuple(cells))


def _status(value: str, *, path: Path, line: int) -> tuple[str, str, str, tuple[str, ...]]:
    """Return (status key, status label, note, organisations named) for a printed cell value.

    >>> _status("Yes CMS AEWA unit", path=Path("d"), line=1)
    ('yes', 'Yes', 'CMS AEWA unit', ('CMS', 'AEWA'))
    >>> _status("Implementation to be coordinated GRASP", path=Path("d"), line=1)[:2]
    ('to-be-coordinated-by-grasp', 'To be coordinated by GRASP')
    """
    if m := _COORDINATED.fullmatch(value):
        return f"to-be-coordinated-by-{slug(m[1])}", f"To be coordinated by {m[1]}", "", (m[1],)
    m = _STATUS.fullmatch(value)
    if not m:
        raise SourceError(path, line, "expected a cell value like 'Yes', 'Shared', 'Interim Shared', 'Currently no funds' "
                          f"or 'Implementation to be coordinated GRASP', found {value!r}")
    status, note = m[1][0].upper() + m[1][1:].lower(), squash(m[2])
    units = _UNIT_NOTE.match(note)
    return slug(status), status.replace("shared", "Shared"), note, tuple(units.groups()) if units else ()


def table_triples(table: Table, *, units: dict[frozenset[str], URIRef]) -> Iterator[Triple]:
    """Yield the table's function concepts and one mea:FunctionStatus per cell.

    *units* maps the parent secretariats of a joint unit (``{"CMS", "AEWA"}``) to the unit's node,
    so that a cell's "CMS AEWA unit" points at the pilot unit the document describes.
    """
    reference = load_reference()
    yield from scheme_triples(table.scheme, table.scheme_label)
    yield from scheme_triples("function-status", "Function status")
    for function in table.functions:
        yield from concept_triples(table.scheme, function.key, function.label, notation=str(function.column))
        yield from derived(iri("concept", table.scheme, function.key), function.locator, quote=function.label)
    document = table.cells[0].locator.document if table.cells else ""
    for cell in table.cells:
        node = iri("function-status", document, f"table-{cell.table}", cell.instrument, cell.function.key)
        status = iri("concept", "function-status", cell.status)
        yield node, RDF.type, MEA.FunctionStatus
        yield node, RDFS.label, Literal(cell.locator.label + f": {cell.value}")
        yield node, MEA.instrument, iri("instrument", cell.instrument)
        yield node, MEA.function, iri("concept", table.scheme, cell.function.key)
        yield node, MEA.status, status
        yield from concept_triples("function-status", cell.status, cell.status_label)
        if cell.note:
            yield node, MEA.note, Literal(cell.note)
        if len(cell.provided_by) == 1:
            agent = reference.agent(cell.provided_by[0], path=cell.locator.path, line=cell.locator.line)
            yield node, MEA.providedBy, agent.iri
        elif cell.provided_by and frozenset(cell.provided_by) in units:
            yield node, MEA.providedBy, units[frozenset(cell.provided_by)]
        yield from derived(node, cell.locator, quote=cell.value)
