"""The matrices of the site, read from the saved queries: target alignment (an SVG heatmap), Doc.16.2
Tables 1 and 2, the typology and the capacity-building budgets (an SVG range chart).

Values come from the saved queries' answers; the links (to what a cell counts, and to the source
row or cell it cites) come from the graph: a locator label names one locator, and the nodes
derived from that locator are what the cell stands for.

>>> colour(0, 4), colour(4, 4)
('#ffffff', '#0b4f6c')
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape

from meakg.graph.site.data import DERIVED, ID, ONTOLOGY, SKOS, Data, Locator
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


# ------------------------------------------------------------------------------ target alignment

@dataclass(frozen=True)
class Pair:
    ms: str            # notation
    aichi: str
    count: int
    alignment: str | None
    locator: Locator | None
    activities: tuple[str, ...]

    @property
    def anchor(self) -> str:
        return f"pair-ms-{self.ms}-aichi-{self.aichi}"


@dataclass(frozen=True)
class Alignment:
    plan: str
    ms_targets: tuple[tuple[str, str, str], ...]      # (notation, IRI, title) of every MS Target
    aichi_targets: tuple[tuple[str, str, str], ...]
    pairs: tuple[Pair, ...]
    ms_without: tuple[tuple[str, str], ...]           # saved query answers: (notation, title)
    aichi_without: tuple[tuple[str, str], ...]


def _targets(data: Data, cls: str) -> tuple[tuple[str, str, str], ...]:
    found = [(data.value(t, SKOS + "notation") or "", t, data.value(t, SKOS + "prefLabel") or "")
             for t in data.entities() if ONTOLOGY + cls in data.types(t)]
    return tuple(sorted(found, key=lambda t: (int(t[0]) if t[0].isdigit() else 999, t[0])))


def alignment(data: Data, store) -> Alignment:
    """Return the MS x Aichi alignment of the default plan of the ``target-alignment`` query."""
    query = catalogue.load("target-alignment")
    result = catalogue.run(query, store=store)
    labels = locators_by_label(data)
    ms = _targets(data, "MigratorySpeciesTarget")
    aichi = _targets(data, "AichiTarget")
    iri = {("ms", n): t for n, t, _ in ms} | {("aichi", n): t for n, t, _ in aichi}
    plan = query.param("plan").default or ""
    joint = [a for a in data.entities() if ONTOLOGY + "JointActivity" in data.types(a)
             and plan in data.values(a, ONTOLOGY + "inPlan")]
    pairs = []
    for row in result.rows:
        values = dict(zip(result.variables, (t.value if t is not None else "" for t in row), strict=True))
        ms_iri, aichi_iri = iri.get(("ms", values["msTarget"])), iri.get(("aichi", values["aichiTarget"]))
        serving = tuple(a for a in joint if {ms_iri, aichi_iri} <= set(data.values(a, ONTOLOGY + "supportsTarget")))
        locator = labels.get(values["locator"])
        pairs.append(Pair(values["msTarget"], values["aichiTarget"], int(values["activityCount"]),
                          derived_from(data, locator, "TargetAlignment"), locator, serving))
    without = {name: tuple((r[0], r[1]) for r in catalogue.run(name, store=store).values())
               for name in ("ms-targets-without-joint-activity", "aichi-targets-without-joint-activity")}
    return Alignment(plan, ms, aichi, tuple(pairs), without["ms-targets-without-joint-activity"],
                     without["aichi-targets-without-joint-activity"])


def heatmap_svg(al: Alignment) -> str:
    """Return the alignment as an SVG heatmap: MS Targets down, Aichi Targets across, a link per cell, and
    each row's and column's total of activity listings."""
    size, left, top = 30, 84, 52
    grid_w, grid_h = size * len(al.aichi_targets), size * len(al.ms_targets)
    width, height = left + grid_w + 56, top + grid_h + 74
    most = max((p.count for p in al.pairs), default=0)
    row = {n: i for i, (n, _, _) in enumerate(al.ms_targets)}
    col = {n: i for i, (n, _, _) in enumerate(al.aichi_targets)}
    empty_ms, empty_aichi = {n for n, _ in al.ms_without}, {n for n, _ in al.aichi_without}
    summary = (f"Heatmap: {len(al.pairs)} pairs of Migratory Species Target and Aichi Target; "
               f"Migratory Species Targets without joint activity: {', '.join(sorted(empty_ms, key=int)) or 'none'}; "
               f"Aichi Targets without joint activity: {', '.join(sorted(empty_aichi, key=int)) or 'none'}.")
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="heatmap" role="group" aria-labelledby="heatmap-title" '
           f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">',
           f'<title id="heatmap-title">{escape(summary)}</title>',
           f'<text x="{left}" y="14" class="axis">Aichi Targets →</text>',
           f'<text x="4" y="{top - 24}" class="axis">MS Targets ↓</text>',
           f'<text x="{left + grid_w + 28}" y="{top - 8}" text-anchor="middle" class="axis">Total</text>',
           f'<text x="{left - 8}" y="{top + grid_h + 19}" text-anchor="end" class="axis">Total</text>']
    for n, (notation, _, title) in enumerate(al.aichi_targets):
        x, middle = left + n * size, left + n * size + size / 2
        band, label = ("band empty", "label empty") if notation in empty_aichi else ("band", "label")
        total = sum(p.count for p in al.pairs if p.aichi == notation)
        out.append(f'<rect x="{x}" y="{top}" width="{size}" height="{grid_h}" class="{band}"/>')
        out.append(f'<text x="{middle:g}" y="{top - 8}" text-anchor="middle" class="{label}">'
                   f'<title>Aichi Target {escape(notation)}: {escape(title)}</title>{escape(notation)}</text>')
        out.append(f'<text x="{middle:g}" y="{top + grid_h + 19}" text-anchor="middle" class="total">{total}</text>')
    for n, (notation, _, title) in enumerate(al.ms_targets):
        y, baseline = top + n * size, top + n * size + size / 2 + 4
        band, label = ("band empty", "label empty") if notation in empty_ms else ("band", "label")
        total = sum(p.count for p in al.pairs if p.ms == notation)
        out.append(f'<rect x="{left}" y="{y}" width="{grid_w}" height="{size}" class="{band}"/>')
        out.append(f'<text x="{left - 8}" y="{baseline:g}" text-anchor="end" class="{label}">'
                   f'<title>Migratory Species Target {escape(notation)}: {escape(title)}</title>'
                   f'MS {escape(notation)}</text>')
        out.append(f'<text x="{left + grid_w + 28}" y="{baseline:g}" text-anchor="middle" class="total">{total}</text>')
    for i in range(len(al.aichi_targets) + 1):
        x = left + i * size
        out.append(f'<line x1="{x}" y1="{top}" x2="{x}" y2="{top + grid_h}" class="grid"/>')
    for i in range(len(al.ms_targets) + 1):
        y = top + i * size
        out.append(f'<line x1="{left}" y1="{y}" x2="{left + grid_w}" y2="{y}" class="grid"/>')
    for pair in al.pairs:
        if pair.ms not in row or pair.aichi not in col:
            continue
        x, y = left + col[pair.aichi] * size, top + row[pair.ms] * size
        ink = "light" if most and pair.count > most / 2 else "dark"
        out.append(f'<a href="#{pair.anchor}" class="cell" data-ms="{pair.ms}" data-aichi="{pair.aichi}" '
                   f'data-count="{pair.count}"><title>MS Target {pair.ms} / Aichi Target {pair.aichi}: '
                   f'{pair.count} joint activities</title>'
                   f'<rect x="{x + 1}" y="{y + 1}" width="{size - 2}" height="{size - 2}" '
                   f'fill="{colour(pair.count, most)}"/><text x="{x + size / 2:g}" y="{y + size / 2 + 4:g}" '
                   f'text-anchor="middle" class="{ink}">{pair.count}</text></a>')
    legend_y = top + grid_h + 38
    out.append(f'<text x="4" y="{legend_y + 14}" class="axis">Activities</text>')
    for n in range(1, most + 1):
        x = left + (n - 1) * size
        ink = "light" if n > most / 2 else "dark"
        out.append(f'<rect x="{x + 1}" y="{legend_y}" width="{size - 2}" height="20" fill="{colour(n, most)}" '
                   f'class="key"/>'
                   f'<text x="{x + size / 2:g}" y="{legend_y + 14}" text-anchor="middle" class="{ink}">{n}</text>')
    out.append("</svg>")
    return "\n".join(out)


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


def function_grid(data: Data, store, name: str, column: str, title: str) -> Grid:
    """Return Table 1 (``instrument-functions``) or Table 2 (``implementation-support``) as a grid."""
    result = catalogue.run(name, store=store)
    labels = locators_by_label(data)
    rows: dict[str, str | None] = {}
    columns: dict[str, str | None] = {}
    cells = {}
    for v in result.records():
        locator = labels.get(v["locator"] or "")
        node = derived_from(data, locator, "FunctionStatus")
        rows.setdefault(v["instrument"], instrument(data, v["instrument"]))
        columns.setdefault(v[column], data.value(node, ONTOLOGY + "function") if node else None)
        provider = data.label(v["providedBy"]) if v.get("providedBy") else ""
        extra = " ".join(x for x in (v.get("note") or "", provider) if x)
        cells[(v["instrument"], v[column])] = Cell(v["value"], node, locator, extra, slug_class(v["value"]))
    return Grid(title, name, tuple(rows.items()), tuple(columns.items()), cells)


def typology_grid(data: Data, store) -> Grid:
    """Return the typology (kind x category) from ``typology-summary``: instrument counts per cell."""
    result = catalogue.run("typology-summary", store=store)
    labels = locators_by_label(data)
    rows: dict[str, str | None] = {}
    columns: dict[str, str | None] = {}
    cells = {}
    for v in result.records():
        locator = labels.get(v["locator"] or "")
        category = derived_from(data, locator, "TypologyCategory")
        rows.setdefault(v["category"], category)
        columns.setdefault(v["kind"], ONTOLOGY + v["kind"])
        cells[(v["category"], v["kind"])] = Cell(v["instrumentCount"], category, locator, css="count")
    members: dict[tuple[str, str], list] = {}
    listing = catalogue.run("instrument-typology", store=store)
    for v in listing.records():   # one instrument per row, however many places the answer cites for it
        found = members.setdefault((v["category"], v["kind"]), [])
        if (v["instrument"], instrument(data, v["instrument"])) not in found:
            found.append((v["instrument"], instrument(data, v["instrument"])))
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
    result = catalogue.run("capacity-building-budget", store=store)
    labels = locators_by_label(data)
    found = []
    for v in result.records():
        locator = labels.get(v["locator"] or "")
        found.append(Budget(v["activity"], v["title"], float(v["minAmount"]) if v["minAmount"] else None,
                            float(v["maxAmount"]) if v["maxAmount"] else None, v["currency"] or "",
                            v["status"] or "", v["printed"] or "",
                            derived_from(data, locator, "CapacityBuildingActivity"), locator))
    return tuple(found)


def budget_svg(items: tuple[Budget, ...], href) -> str:
    """Return the budget ranges as an SVG chart: one bar per activity with an amount, minimum to maximum."""
    shown = [b for b in items if b.high is not None]
    most = max((b.high for b in shown), default=1.0) or 1.0
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
    for i, b in enumerate(shown):
        y = top + i * bar
        x0, x1 = left + scale * (b.low or 0) / most, left + scale * b.high / most
        span = f"{b.low:,.0f}-{b.high:,.0f}" if b.low != b.high else f"{b.high:,.0f}"
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
