"""How one capacity-building plan prints its work plan table: facts of that document's extraction,
stated as data beside it (``loaders/sources/<key>.table.yaml``, named by ``layout`` in sources.yaml)
and checked by tests, never tuned in the code.

- ``columns.title.width``: characters in the widest line of the title column (a longer line cannot
  be title alone); ``columns.methodology.width`` likewise. Each names its ``widest`` line, so a
  test can find it in the text.
- ``quirks``: rows printed in an unusual way, with the cells they must read as (tests only).

Without a layout the widths are unknown and no width rule applies.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class TableLayout:
    """The widths of the title and methodology columns, in characters (infinite: unknown)."""

    title_width: float = math.inf
    methodology_width: float = math.inf

    @classmethod
    def from_data(cls, data: dict | None) -> TableLayout:
        """Return the layout a ``<key>.table.yaml`` states (None: unknown widths).

        >>> TableLayout.from_data({"columns": {"title": {"width": 23}, "methodology": {"width": 38}}})
        TableLayout(title_width=23, methodology_width=38)
        """
        columns = (data or {}).get("columns", {})
        title, methodology = columns.get("title", {}), columns.get("methodology", {})
        return cls(title.get("width", math.inf), methodology.get("width", math.inf))


UNKNOWN = TableLayout()   # no layout stated: no width rule applies


def read_layout(path: Path) -> dict:
    """Read a layout file; a YAML error or anything but a mapping of columns is a SourceError with the line."""
    import yaml

    from meakg.ontology.errors import SourceError

    text = path.read_text(encoding="utf-8")
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        raise SourceError(path, mark.line + 1 if mark else 1,
                          f"expected valid YAML: {getattr(err, 'problem', err)}") from None
    if not isinstance(data, dict) or not isinstance(data.get("columns"), dict):
        raise SourceError(path, 1, "expected a mapping with 'columns' (title, methodology: {width, widest}), "
                                   f"found {type(data).__name__}")
    for name, column in data["columns"].items():
        width = column.get("width") if isinstance(column, dict) else None
        if name not in ("title", "methodology") or not isinstance(width, int):
            line = next((n for n, row in enumerate(text.splitlines(), 1) if row.strip().startswith(f"{name}:")), 1)
            raise SourceError(path, line,
                              f"expected 'title' or 'methodology' with an integer width, found {name!r}: {column!r}")
    return data
