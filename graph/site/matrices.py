"""The matrices of the site, read from the saved queries: Doc.16.2 Tables 1 and 2, the typology, the
capacity-building budgets (an SVG range chart) and who is named where (the target alignments, one per plan,
are ``alignment``'s).

Values come from the saved queries' answers; the links (to what a cell counts, and to the source
row or cell it cites) come from the graph: a locator label names one locator, and the nodes
derived from that locator are what the cell stands for.

>>> colour(0, 4), colour(4, 4)
('#ffffff', '#0b4f6c')
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from html import escape

from meakg.graph.site.data import DERIVED, ID, ONTOLOGY, Data, Locator, bound
from meakg.queries import catalogue

STATUS_CLASSES = ("yes", "shared", "interim-shared", "currently-no-funds", "to-be-coordinated-by-grasp")


def colour(count: int, most: int) -> str:
    """Return the fill of a heatmap cell holding *count* of at most *most*: white to dark teal."""
    if count <= 0 or most <= 0:
        return "#ffffff"
    low, high = (0xd7, 0xee, 0xf2), (0x0b, 0x4f, 0x6c)
    share = count / most
    return "#" + "".join(f"{round(a + (b - a) * share):02x}" for a, b in zip(low, high, strict=True))


def slug_class(text: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in text.lower()).split())


@dataclass(frozen=True)
class Cell:
    """One matrix cell: its printed value, the node it stands for and the locator it cites."""

    value: str
    node: str | None
    locator: Locator | None
    note: str = ""
    css: str = ""


def locators_by_label(data: Data) -> dict[str, Locator]:
    """Return each locator label that names exactly one locator, with that locator."""
    found: dict[str, list[Locator]] = {}
    for loc in data.locators.values():
        found.setdefault(loc.label, []).append(loc)
    return {label: locs[0] for label, locs in found.items() if len(locs) == 1}


def derived_from(data: Data, locator: Locator | None, cls: str | None = None) -> str | None:
    """Return the node derived from *locator* (of class *cls*, when given), the first by IRI."""
    if locator is None:
        return None
    nodes = sorted(q[0] for q in data.by_object.get(locator.iri, ()) if q[1] == DERIVED)
    nodes = [n for n in nodes if cls is None or ONTOLOGY + cls in data.types(n)]
    return nodes[0] if nodes else None


# ------------------------------------------------------------------------------ tables of Doc.16.2

@dataclass(frozen=True)
class Grid:
    """A matrix of cells: row headers (label, node), column headers, cells by (row, column)."""

    title: str
    query: str
    rows: tuple[tuple[str, str | None], ...]
    columns: tuple[tuple[str, str | None], ...]
    cells: dict
    members: dict = field(default_factory=dict)   # (row, column) -> ((label, node), ...) a cell counts

    def cell(self, row: str, column: str) -> Cell | None:
        return self.cells.get((row, column))


def instrument(data: Data, acronym: str) -> str | None:
    """Return the instrument whose ``mea:acronym`` is *acronym*, or None."""
    if "_acronyms" not in data.__dict__:
        found: dict[str, str] = {}
        for q in sorted(data.quads):
            if q[1] == ONTOLOGY + "acronym" and q[0].startswith(ID + "instrument/"):
                found.setdefault(q[2], q[0])
        data.__dict__["_acronyms"] = found
    return data.__dict__["_acronyms"].get(acronym)


def located_rows(data: Data, store, name: str) -> Iterator[tuple[dict[str, str | None], Locator | None]]:
    """Yield each row of the saved query *name* with the locator its ``locator`` column names (a label naming
    none, or several, gives None)."""
    labels = locators_by_label(data)
    for row in catalogue.run(name, store=store).records():
        yield row, labels.get(row["locator"] or "")


def function_grid(data: Data, store, name: str, column: str, title: str) -> Grid:
    """Return Table 1 (``instrument-functions``) or Table 2 (``implementation-support``) as a grid."""
    rows: dict[str, str | None] = {}
    columns: dict[str, str | None] = {}
    cells = {}
    for v, locator in located_rows(data, store, name):
        node = derived_from(data, locator, "FunctionStatus")
        acronym, heading, value = bound(v, "instrument"), bound(v, column), bound(v, "value")
        rows.setdefault(acronym, instrument(data, acronym))
        columns.setdefault(heading, data.value(node, ONTOLOGY + "function") if node else None)
        provider = data.label(by) if (by := v.get("providedBy")) else ""
        extra = " ".join(x for x in (v.get("note") or "", provider) if x)
        cells[(acronym, heading)] = Cell(value, node, locator, extra, slug_class(value))
    return Grid(title, name, tuple(rows.items()), tuple(columns.items()), cells)


def typology_grid(data: Data, store) -> Grid:
    """Return the typology (kind x category) from ``typology-summary``: instrument counts per cell."""
    rows: dict[str, str | None] = {}
    columns: dict[str, str | None] = {}
    cells = {}
    for v, locator in located_rows(data, store, "typology-summary"):
        category, kind = derived_from(data, locator, "TypologyCategory"), bound(v, "kind")
        rows.setdefault(bound(v, "category"), category)
        columns.setdefault(kind, ONTOLOGY + kind)
        cells[(bound(v, "category"), kind)] = Cell(bound(v, "instrumentCount"), category, locator, css="count")
    members: dict[tuple[str, str], list] = {}
    listing = catalogue.run("instrument-typology", store=store)
    for v in listing.records():   # one instrument per row, however many places the answer cites for it
        found = members.setdefault((bound(v, "category"), bound(v, "kind")), [])
        member = (bound(v, "instrument"), instrument(data, bound(v, "instrument")))
        if member not in found:
            found.append(member)
    order = ("Convention", "Agreement", "MOU")  # as the typology paragraphs present them
    cols = tuple(sorted(columns.items(), key=lambda c: order.index(c[0]) if c[0] in order else 9))
    return Grid("Instruments by typology category and kind", "typology-summary", tuple(rows.items()), cols, cells,
                {key: tuple(found) for key, found in members.items()})


# ------------------------------------------------------------------------------ budgets

@dataclass(frozen=True)
class Budget:
    notation: str
    title: str
    low: float | None
    high: float | None
    currency: str
    status: str
    printed: str
    activity: str | None
    locator: Locator | None


def budgets(data: Data, store) -> tuple[Budget, ...]:
    """Return the capacity-building budget estimates of ``capacity-building-budget``, in table order."""
    found = []
    for v, locator in located_rows(data, store, "capacity-building-budget"):
        found.append(Budget(bound(v, "activity"), bound(v, "title"), float(v["minAmount"]) if v["minAmount"] else None,
                            float(v["maxAmount"]) if v["maxAmount"] else None, v["currency"] or "",
                            v["status"] or "", v["printed"] or "",
                            derived_from(data, locator, "CapacityBuildingActivity"), locator))
    return tuple(found)


def budget_svg(items: tuple[Budget, ...], href) -> str:
    """Return the budget ranges as an SVG chart: one bar per activity with an amount, minimum to maximum."""
    shown = [(b, b.high) for b in items if b.high is not None]
    most = max((high for _, high in shown), default=1.0) or 1.0
    left, bar, scale, top = 60, 30, 560, 24
    height = top + bar * len(shown) + 30
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="ranges" role="group" aria-labelledby="budget-title" '
           f'width="{left + scale + 150}" height="{height}" viewBox="0 0 {left + scale + 150} {height}">',
           f'<title id="budget-title">Budget ranges of {len(shown)} capacity-building activities with an amount, '
           f'largest maximum {most:,.0f}</title>']
    for step in range(5):
        x = left + scale * step / 4
        out.append(f'<line x1="{x:g}" y1="{top - 6}" x2="{x:g}" y2="{height - 24}" class="grid"/>'
                   f'<text x="{x:g}" y="{height - 8}" text-anchor="middle" class="tick">{most * step / 4:,.0f}</text>')
    for i, (b, high) in enumerate(shown):
        y = top + i * bar
        x0, x1 = left + scale * (b.low or 0) / most, left + scale * high / most
        span = (f"up to {high:,.0f}" if b.low is None   # the shapes allow a maximum alone
                else f"{b.low:,.0f}-{high:,.0f}" if b.low != high else f"{high:,.0f}")
        out.append(f'<a href="{escape(href(b.activity))}" class="range" data-activity="{escape(b.notation)}">'
                   f'<title>Activity {escape(b.notation)}: {escape(b.title)}: {span} {escape(b.currency)}</title>'
                   f'<text x="{left - 8}" y="{y + 19}" text-anchor="end" class="label">{escape(b.notation)}</text>'
                   f'<rect x="{x0:.1f}" y="{y + 4}" width="{max(x1 - x0, 4):.1f}" height="{bar - 8}"/>'
                   f'<text x="{x1 + 6:.1f}" y="{y + 19}" class="amount">{span} {escape(b.currency)}</text></a>')
    out.append("</svg>")
    return "\n".join(out)


# ------------------------------------------------------------------------------ who is named where

NAMED_KINDS = ("agent/", "initiative/", "event/")   # organisations, initiatives and events, not targets


@dataclass(frozen=True)
class Named:
    """Documents x organisations (initiatives, events): how many places of each document name each."""

    documents: tuple[str, ...]                              # document keys
    rows: tuple[tuple[str, tuple[int, ...], int], ...]      # (node, places per document, total)


def named_grid(data: Data) -> Named:
    """Return, for every organisation, initiative and event the documents name, its places per document."""
    counts: dict[str, dict[str, int]] = {}
    for node, mentions in data.mentions.items():
        if not node.startswith(tuple(ID + k for k in NAMED_KINDS)):
            continue
        places = {m.locator for m in mentions}      # a place naming it twice is one place
        for locator in places:
            loc = data.locators.get(locator)
            if loc is not None:
                counts.setdefault(node, {}).setdefault(loc.document, 0)
                counts[node][loc.document] += 1
    documents = tuple(sorted({d for per in counts.values() for d in per}))
    rows = [(node, tuple(per.get(d, 0) for d in documents), sum(per.values())) for node, per in counts.items()]
    rows.sort(key=lambda r: (-r[2], data.label(r[0]).lower()))
    return Named(documents, tuple(rows))
