"""The target alignments of the site: one matrix per joint work plan, its targets of one scheme down and of the
other across, drawn as an SVG heatmap with row and column totals.

A plan's two schemes are read from the graph (the ``skos:inScheme`` of the targets its alignments join:
whatever schemes its table's header named, Aichi, SPMS 2015-2023, the Kunming-Montreal GBF, SPMS 2024-2032
or another of the reference data); the pairs and their counts are the ``target-alignment`` question's answer
for that plan; the activities each cell counts, the row stating it and the targets no activity of the plan
serves are read from the graph.

>>> short_name("GBF Target 3", "3"), short_name("SPMS 2024-2032 Target 2.2", "2.2")
('GBF Target', 'SPMS 2024-2032 Target')
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from html import escape

from meakg.graph.site.data import DCT, ID, ONTOLOGY, RDF_TYPE, SKOS, Data, Locator, bound
from meakg.graph.site.matrices import colour
from meakg.ontology.vocab import natural_key
from meakg.queries import catalogue

TARGET = ONTOLOGY + "Target"
ALIGNMENT = ONTOLOGY + "TargetAlignment"


def short_name(alt_label: str, notation: str) -> str:
    """Return what a scheme calls one of its targets: a target's ``skos:altLabel`` without its number."""
    return alt_label.removesuffix(" " + notation) if alt_label.endswith(" " + notation) else alt_label


@dataclass(frozen=True)
class Scheme:
    """A target scheme as a matrix shows it: its name, what a target is called, its targets in order."""

    iri: str
    name: str                                   # skos:prefLabel: "Kunming-Montreal Global Biodiversity Framework"
    short: str                                  # "GBF Target"
    prefix: str                                 # the targets' IRI segment: id/target/<prefix>/<number>
    targets: tuple[tuple[str, str, str], ...]   # (notation, IRI, title) in natural order

    @property
    def plural(self) -> str:
        return self.short + "s"

    def target(self, notation: str) -> tuple[str, str]:
        """Return the IRI and title of the target numbered *notation*."""
        return next((iri, title) for n, iri, title in self.targets if n == notation)


@dataclass(frozen=True)
class Pair:
    """A cell: a target of each scheme the plan aligns, and the joint activities of the plan serving both."""

    source: str                 # notation of the target down
    aligned: str                # notation of the target across
    count: int
    alignment: str | None
    locator: Locator | None
    activities: tuple[str, ...]
    anchor: str                 # id of the pair's row on the page: pair-ms-5-aichi-7


@dataclass(frozen=True)
class Alignment:
    """One plan's matrix: its schemes, the pairs, and the targets of each scheme the plan leaves without activity."""

    plan: str
    title: str
    document: str                               # key of the document stating the plan (its source page)
    path: str                                   # site path of the matrix page
    source: Scheme
    aligned: Scheme
    pairs: tuple[Pair, ...]
    source_without: tuple[str, ...]             # notations, in the scheme's order
    aligned_without: tuple[str, ...]

    @property
    def heading(self) -> str:
        return f"{self.source.plural} × {self.aligned.plural}"

    @property
    def activities(self) -> int:
        """The joint activities of the plan that serve some pair (each once)."""
        return len({a for p in self.pairs for a in p.activities})


def _scheme(data: Data, iri: str) -> Scheme:
    targets = []
    names: Counter[str] = Counter()
    for node in (q[0] for q in data.by_object.get(iri, ()) if q[1] == SKOS + "inScheme"):
        notation = data.value(node, SKOS + "notation")
        if notation is None or TARGET not in data.values(node, RDF_TYPE):
            continue
        targets.append((notation, node, data.value(node, SKOS + "prefLabel") or ""))
        names[short_name(data.value(node, SKOS + "altLabel") or "Target", notation)] += 1
    targets = sorted(set(targets), key=lambda t: (natural_key(t[0]), t[1]))
    prefix = targets[0][1][len(ID + "target/"):].rpartition("/")[0] if targets else ""
    short = sorted(names.items(), key=lambda n: (-n[1], n[0]))[0][0] if names else "Target"
    return Scheme(iri, data.value(iri, SKOS + "prefLabel") or data.label(iri), short, prefix, tuple(targets))


def _side(data: Data, nodes: list[str], side: str) -> str:
    """Return the scheme of the targets on one *side* of the alignments *nodes* (the most common, should they mix)."""
    targets = [t for n in nodes for t in data.values(n, ONTOLOGY + side)]
    counts = Counter(s for t in targets for s in data.values(t, SKOS + "inScheme"))
    return sorted(counts.items(), key=lambda c: (-c[1], c[0]))[0][0]


def alignments(data: Data, store, *, first: str | None = None) -> tuple[Alignment, ...]:
    """Return the matrix of every plan that aligns targets, the plan *first* first, the others by IRI."""
    joined: dict[str, list[str]] = {}
    for node in data.entities():
        if ALIGNMENT in data.types(node):
            for plan in data.values(node, ONTOLOGY + "inPlan"):
                joined.setdefault(plan, []).append(node)
    plans = sorted(joined, key=lambda p: (p != first, natural_key(p)))
    return tuple(alignment(data, store, plan, joined[plan]) for plan in plans)


def alignment(data: Data, store, plan: str, nodes: list[str]) -> Alignment:
    """Return the matrix of *plan*, whose alignment nodes are *nodes*: its pairs from the ``target-alignment``
    question, each with its alignment node, the row that states it and the joint activities serving both."""
    key = plan.rpartition("/")[2]
    source = _scheme(data, _side(data, nodes, "sourceTarget"))
    aligned = _scheme(data, _side(data, nodes, "alignedTarget"))
    down = {n: iri for n, iri, _ in source.targets}
    across = {n: iri for n, iri, _ in aligned.targets}
    joint = [a for a in data.entities() if ONTOLOGY + "JointActivity" in data.types(a)
             and plan in data.values(a, ONTOLOGY + "inPlan")]
    by_targets = {(data.value(n, ONTOLOGY + "sourceTarget"), data.value(n, ONTOLOGY + "alignedTarget")): n
                  for n in nodes}
    pairs = []
    for v in catalogue.run("target-alignment", store=store, params={"plan": f"<{plan}>"}).records():
        if v["msTarget"] not in down or v["aichiTarget"] not in across:
            continue  # a target of another scheme than the plan's two (the loader reads one pair per plan)
        targets = (down[v["msTarget"]], across[v["aichiTarget"]])
        node = by_targets.get(targets)
        places = [loc for loc in data.locators_of(node) if loc.label == v["locator"]] if node else []
        serving = tuple(a for a in joint if set(targets) <= set(data.values(a, ONTOLOGY + "supportsTarget")))
        pairs.append(Pair(v["msTarget"], v["aichiTarget"], int(bound(v, "activityCount")), node,
                          places[0] if places else None, serving,
                          f"pair-{source.prefix}-{v['msTarget']}-{aligned.prefix}-{v['aichiTarget']}"))
    served = {t for a in joint for t in data.values(a, ONTOLOGY + "supportsTarget")}
    stated = [loc.document for loc in data.locators_of(plan)]
    return Alignment(plan, data.value(plan, DCT + "title") or data.label(plan), stated[0] if stated else key,
                     f"matrices/{key}.html", source, aligned, tuple(pairs),
                     tuple(n for n, iri, _ in source.targets if iri not in served),
                     tuple(n for n, iri, _ in aligned.targets if iri not in served))



def heatmap_svg(al: Alignment) -> str:
    """Return the plan's matrix as an SVG heatmap: the targets of its own scheme down, of the other across, a link
    per cell to the activities it counts, and each row's and column's total of activity listings."""
    size, left, top = 30, 84, 52
    down, across = al.source.targets, al.aligned.targets
    grid_w, grid_h = size * len(across), size * len(down)
    most = max((p.count for p in al.pairs), default=0)
    # wide enough for the axis names and the colour key too, however few the targets across
    width = max(left + grid_w + 56, 32 + 8 * max(len(al.source.plural), len(al.aligned.plural)), left + size * most + 8)
    height = top + grid_h + 74
    row = {n: i for i, (n, _, _) in enumerate(down)}
    col = {n: i for i, (n, _, _) in enumerate(across)}
    empty_down, empty_across = set(al.source_without), set(al.aligned_without)
    summary = (f"Heatmap: {len(al.pairs)} pairs of {al.source.short} and {al.aligned.short}; "
               f"{al.source.plural} without joint activity: {', '.join(al.source_without) or 'none'}; "
               f"{al.aligned.plural} without joint activity: {', '.join(al.aligned_without) or 'none'}.")
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="heatmap" role="group" aria-labelledby="heatmap-title" '
           f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">',
           f'<title id="heatmap-title">{escape(summary)}</title>',
           f'<text x="{left}" y="14" class="axis">{escape(al.aligned.plural)} →</text>',
           f'<text x="4" y="{top - 24}" class="axis">{escape(al.source.plural)} ↓</text>',
           f'<text x="{left + grid_w + 28}" y="{top - 8}" text-anchor="middle" class="axis">Total</text>',
           f'<text x="{left - 8}" y="{top + grid_h + 19}" text-anchor="end" class="axis">Total</text>']
    for n, (notation, _, title) in enumerate(across):
        x, middle = left + n * size, left + n * size + size / 2
        band, label = ("band empty", "label empty") if notation in empty_across else ("band", "label")
        total = sum(p.count for p in al.pairs if p.aligned == notation)
        out.append(f'<rect x="{x}" y="{top}" width="{size}" height="{grid_h}" class="{band}"/>')
        out.append(f'<text x="{middle:g}" y="{top - 8}" text-anchor="middle" class="{label}">'
                   f'<title>{escape(al.aligned.short)} {escape(notation)}: {escape(title)}</title>{escape(notation)}'
                   '</text>')
        out.append(f'<text x="{middle:g}" y="{top + grid_h + 19}" text-anchor="middle" class="total">{total}</text>')
    for n, (notation, _, title) in enumerate(down):
        y, baseline = top + n * size, top + n * size + size / 2 + 4
        band, label = ("band empty", "label empty") if notation in empty_down else ("band", "label")
        total = sum(p.count for p in al.pairs if p.source == notation)
        out.append(f'<rect x="{left}" y="{y}" width="{grid_w}" height="{size}" class="{band}"/>')
        out.append(f'<text x="{left - 8}" y="{baseline:g}" text-anchor="end" class="{label}">'
                   f'<title>{escape(al.source.short)} {escape(notation)}: {escape(title)}</title>{escape(notation)}'
                   '</text>')
        out.append(f'<text x="{left + grid_w + 28}" y="{baseline:g}" text-anchor="middle" class="total">{total}</text>')
    for i in range(len(across) + 1):
        x = left + i * size
        out.append(f'<line x1="{x}" y1="{top}" x2="{x}" y2="{top + grid_h}" class="grid"/>')
    for i in range(len(down) + 1):
        y = top + i * size
        out.append(f'<line x1="{left}" y1="{y}" x2="{left + grid_w}" y2="{y}" class="grid"/>')
    for pair in al.pairs:
        x, y = left + col[pair.aligned] * size, top + row[pair.source] * size
        ink = "light" if most and pair.count > most / 2 else "dark"
        out.append(f'<a href="#{escape(pair.anchor)}" class="cell" data-row="{escape(pair.source)}" '
                   f'data-column="{escape(pair.aligned)}" data-count="{pair.count}"><title>'
                   f'{escape(al.source.short)} {escape(pair.source)} / '
                   f'{escape(al.aligned.short)} {escape(pair.aligned)}: '
                   f'{pair.count} joint activit{"y" if pair.count == 1 else "ies"}</title>'
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
