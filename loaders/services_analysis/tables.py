"""Tables of a common-services analysis: instrument x secretariat function (or implementation-support
activity) -> a status such as "Yes", "Shared" or "Interim Shared".

Each cell is printed on a line of its own, prefixed by a tab; rows are separated by blank lines;
the first row is the header ("Instrument", then one column per function). In Doc.16.2's Table 1
the "Gorilla Agreement" row has a blank line between its name and its cells: a row of one cell
followed by a row one cell short is read as one row.
"""

from __future__ import annotations

import re
from pathlib import Path

from meakg.loaders.reference import Reference
from meakg.loaders.services_analysis.parts import Region
from meakg.loaders.services_analysis.records import Cell, Function, Table, key_of
from meakg.loaders.text import Locator, squash
from meakg.ontology.errors import SourceError
from meakg.ontology.vocab import slug

_SCHEMES = re.compile(r"(Secretariat Functions|Implementation Support Activities)", re.IGNORECASE)
_STATUS = re.compile(r"(Yes|Shared|Interim Shared|Currently no funds)\b\s*(.*)", re.IGNORECASE)
_COORDINATED = re.compile(r"Implementation to be coordinated\s+(?:by\s+|through\s+)?([A-Z][\w-]*)")
_UNIT_NOTE = re.compile(r"^([A-Z]+)[ /-]([A-Z]+) unit$")


def _rows(region: Region) -> list[list[tuple[int, str]]]:
    rows: list[list[tuple[int, str]]] = [[]]
    for number, line in region.lines:
        if not line.strip():
            if rows[-1]:
                rows.append([])
        else:
            rows[-1].append((number, squash(line)))
    return [r for r in rows if r]


def parse_table(region: Region, *, path: Path, reference: Reference,
                units: dict[frozenset[str], str] | None = None) -> Table:
    """Return the table's functions and cells, or fail naming the line of a malformed row.

    *units* maps the parent secretariats of a joint unit (``{"CMS", "AEWA"}``) to the unit's agent
    key, so that a cell's "CMS AEWA unit" names the pilot unit the document describes.
    """
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
        raise SourceError(path, first_line,
                          f"expected {label} to have a header row and data rows, found {len(rows)} row(s)")
    header, *data = rows
    functions = tuple(Function(scheme, column, cell,
                               Locator(path, line, f"table-{region.number}/header/{key_of(cell)}",
                                       f"{label}, column {column} header", table=label, column=column))
                      for column, (line, cell) in enumerate(header[1:], start=1))
    cells = []
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
        for function, (cell_line, value) in zip(functions, values, strict=True):
            status, status_label, note, provided_by = _status(value, path=path, line=cell_line)
            provider = ""
            if len(provided_by) == 1:
                provider = reference.agent(provided_by[0], path=path, line=cell_line).key
            elif provided_by:
                provider = (units or {}).get(frozenset(provided_by), "")
            locator = Locator(path, cell_line, f"table-{region.number}/{instrument.key}/{function.key}",
                              f"{label}, row {name}, column {function.short}", table=label, row=row_no,
                              column=function.column)
            cells.append(Cell(region.number, instrument.key, function, value, status, status_label, note,
                              provided_by, provider, locator))
    first, last = region.caption_lines
    caption = Locator(path, first, f"table-{region.number}/caption", f"{label}, caption", table=label,
                      last_line=last if last > first else 0) if first else None
    return Table(region.number, region.caption, scheme, scheme_label, functions, tuple(cells), caption)


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
        raise SourceError(path, line, "expected a cell value like 'Yes', 'Shared', 'Interim Shared', "
                          f"'Currently no funds' or 'Implementation to be coordinated GRASP', found {value!r}")
    status, note = m[1][0].upper() + m[1][1:].lower(), squash(m[2])
    units = _UNIT_NOTE.match(note)
    return slug(status), status.replace("shared", "Shared"), note, tuple(units.groups()) if units else ()


