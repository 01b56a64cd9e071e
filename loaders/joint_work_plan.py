"""Joint work plan tables: Migratory Species Targets aligned with Aichi Targets, and the joint
activities serving each pair (the CBD-CMS Joint Work Plan 2016-2018 is one such document).

The table is tab-separated: ``MS targets <tab> Aichi targets <tab> activity``. A row whose first
two cells are empty continues the targets above; a header line may repeat after a page break;
an activity ending in "(same as above)" is the earlier activity with that text, now serving one
more row, not a new one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ontology.errors import SourceError
from loaders.citations import Cited, find_citations
from loaders.rdf import (DCTERMS, MEA, RDF, RDFS, SCHEMA, SKOS, XSD, Literal, Triple, citation_triples, derived, iri,
                         locator_iri, text)
from loaders.reference import load_reference
from loaders.text import Locator, numbered_lines, squash, tab_cells

HEADER = re.compile(r"^Migratory Species Targets\s*\tAichi Targets\S*\s*\tActivity\s*$")
TARGETS = re.compile(r"^Target \d+(?:\s*(?:,|and|, and)\s*Target \d+)*$")
SAME_AS_ABOVE = re.compile(r"\s*\(same as above\)\.?\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Row:
    """One row of the table: the targets it aligns, as numbers."""

    number: int                     # 1-based, in document order across page breaks
    ms_targets: tuple[int, ...]
    aichi_targets: tuple[int, ...]
    locator: Locator


@dataclass(frozen=True)
class Activity:
    """A joint activity, with every row that lists it (more than one when repeated "same as above")."""

    row: int                        # the row that first lists it
    position: int                   # 1-based within that row
    text: str
    rows: tuple[Row, ...]
    locators: tuple[Locator, ...]   # one per listing
    citations: tuple[Cited, ...]

    @property
    def key(self) -> str:
        return f"{self.row}.{self.position}"


@dataclass(frozen=True)
class JointWorkPlan:
    key: str                        # the document's key; the plan's IRI slug
    title: str
    parties: tuple[str, ...]        # as printed in the title: ("CBD", "CMS")
    start: int
    end: int
    title_locator: Locator
    paragraphs: tuple[tuple[Locator, str], ...]
    rows: tuple[Row, ...]
    activities: tuple[Activity, ...] = field(default=())


def _targets(cell: str, scheme: str, limit: int, path: Path, line: int) -> tuple[int, ...]:
    if not TARGETS.match(cell):
        raise SourceError(path, line, f"expected {scheme} like 'Target 4' or 'Target 4 and Target 7', found {cell!r}")
    numbers = tuple(int(n) for n in re.findall(r"\d+", cell))
    for number in numbers:
        if not 1 <= number <= limit:
            raise SourceError(path, line, f"expected {scheme} numbered 1-{limit}, found 'Target {number}'")
    return numbers


def parse(text: str, *, path: Path) -> JointWorkPlan:
    """Return the plan, its rows and its activities in document order.

    >>> plan = parse("Joint Work Plan for the CBD and CMS Secretariats for the period 2016-2018\\n"
    ...              "Migratory Species Targets\\tAichi Targets\\tActivity\\n"
    ...              "Target 5\\tTarget 4 and Target 7\\t Cooperate on energy.\\n", path=Path("jwp.txt"))
    >>> plan.rows[0].aichi_targets, plan.activities[0].text
    ((4, 7), 'Cooperate on energy.')
    """
    targets = load_reference().targets
    ms_limit, aichi_limit = len(targets["spms"]["targets"]), len(targets["aichi"]["targets"])
    lines = numbered_lines(text)
    if not lines:
        raise SourceError(path, 1, "expected a title line 'Joint Work Plan for the X and Y Secretariats for the period YYYY-YYYY', found an empty file")
    title_no, title = lines[0]
    match = re.search(r"for the (\w+) and (\w+) Secretariats for the period (\d{4})\s*-\s*(\d{4})", title)
    if not match:
        raise SourceError(path, title_no, f"expected a title naming 'the X and Y Secretariats' and 'the period YYYY-YYYY', found {title!r}")
    title_locator = Locator(path, title_no, "title", "Title")

    paragraphs: list[tuple[Locator, str]] = []
    rows: list[Row] = []
    activities: dict[str, dict] = {}      # normalised text -> activity fields, in document order
    in_table = False
    for number, line in lines[1:]:
        if HEADER.match(line):
            in_table = True
            continue
        if not line.strip():
            continue
        if not in_table or "\t" not in line:
            if in_table and not rows:
                raise SourceError(path, number, f"expected a table row with 3 tab-separated cells, found {line!r}")
            in_table = False
            if not rows:  # prose before the table: the plan's introductory paragraphs
                n = len(paragraphs) + 1
                paragraphs.append((Locator(path, number, f"para-{n}", f"Introduction, paragraph {n}", paragraph=str(n)), squash(line)))
            continue
        cells = tab_cells(line)
        if len(cells) != 3:
            raise SourceError(path, number, f"expected 3 tab-separated cells (MS targets, Aichi targets, activity), found {len(cells)}")
        ms_cell, aichi_cell, activity_text = cells
        if ms_cell or aichi_cell:
            if not (ms_cell and aichi_cell):
                raise SourceError(path, number, f"expected both a Migratory Species Target and an Aichi Target, found {ms_cell!r} and {aichi_cell!r}")
            row_no = len(rows) + 1
            rows.append(Row(row_no, _targets(ms_cell, "Migratory Species Targets", ms_limit, path, number),
                            _targets(aichi_cell, "Aichi Targets", aichi_limit, path, number),
                            Locator(path, number, f"row-{row_no}", f"Table, row {row_no} ({ms_cell} / {aichi_cell})",
                                    table="Table", row=row_no)))
            position = 0
        elif not rows:
            raise SourceError(path, number, "expected a first row naming its targets, found a continuation row with empty target cells")
        if not activity_text:
            raise SourceError(path, number, "expected an activity in the third cell, found an empty cell")
        row = rows[-1]
        position += 1
        repeated = bool(SAME_AS_ABOVE.search(activity_text))
        clean = SAME_AS_ABOVE.sub("", activity_text).strip()
        clean_key = squash(clean).rstrip(".").lower()
        locator = Locator(path, number, f"row-{row.number}/activity-{position}",
                          f"Table, row {row.number}, activity {position}", table="Table", row=row.number)
        if repeated:
            earlier = activities.get(clean_key)
            if earlier is None:
                raise SourceError(path, number, f"expected an earlier activity with the text repeated '(same as above)', found none for {clean[:60]!r}")
            earlier["rows"].append(row)
            earlier["locators"].append(locator)
            continue
        key = clean_key if clean_key not in activities else f"{clean_key}#{row.number}.{position}"
        activities[key] = {"row": row.number, "position": position, "text": squash(clean), "rows": [row],
                           "locators": [locator], "citations": tuple(find_citations(clean))}
    if not rows:
        raise SourceError(path, len(lines), "expected a table headed 'Migratory Species Targets<TAB>Aichi Targets<TAB>Activity', found none")
    return JointWorkPlan(
        key=path.stem, title=squash(title), parties=(match[1], match[2]), start=int(match[3]), end=int(match[4]),
        title_locator=title_locator, paragraphs=tuple(paragraphs), rows=tuple(rows),
        activities=tuple(Activity(a["row"], a["position"], a["text"], tuple(a["rows"]), tuple(a["locators"]), a["citations"])
                         for a in activities.values()),
    )


def _target(scheme: str, number: int):
    return iri("target", scheme, str(number))


def to_triples(plan: JointWorkPlan) -> Iterator[Triple]:
    """Yield the plan, its target alignments and its activities, each linked to its locator."""
    reference = load_reference()
    node = iri("plan", plan.key)
    yield node, RDF.type, MEA.WorkPlan
    yield node, DCTERMS.title, text(plan.title)
    yield node, RDFS.label, text(plan.title)
    yield node, SCHEMA.startDate, Literal(str(plan.start), datatype=XSD.gYear)
    yield node, SCHEMA.endDate, Literal(str(plan.end), datatype=XSD.gYear)
    for party in plan.parties:
        agent = reference.agent(f"{party} Secretariat", path=plan.title_locator.path, line=plan.title_locator.line)
        yield node, MEA.party, agent.iri
    yield from derived(node, plan.title_locator, quote=plan.title)
    for locator, paragraph in plan.paragraphs:
        yield from derived(node, locator, quote=paragraph)
        yield from citation_triples(locator_iri(locator), find_citations(paragraph))
    for row in plan.rows:
        for ms in row.ms_targets:
            for aichi in row.aichi_targets:
                alignment = iri("alignment", plan.key, f"ms-{ms}", f"aichi-{aichi}")
                yield alignment, RDF.type, MEA.TargetAlignment
                yield alignment, MEA.inPlan, node
                yield alignment, MEA.sourceTarget, _target("ms", ms)
                yield alignment, MEA.alignedTarget, _target("aichi", aichi)
                yield alignment, RDFS.label, Literal(f"Migratory Species Target {ms} aligned with Aichi Target {aichi}")
                yield _target("ms", ms), SKOS.relatedMatch, _target("aichi", aichi)
                yield from derived(alignment, row.locator)
    for activity in plan.activities:
        a = iri("activity", plan.key, activity.key)
        yield a, RDF.type, MEA.JointActivity
        yield a, MEA.inPlan, node
        yield a, RDFS.label, text(activity.text)
        yield a, SKOS.notation, Literal(activity.key)
        for row in activity.rows:
            for ms in row.ms_targets:
                yield a, MEA.supportsTarget, _target("ms", ms)
            for aichi in row.aichi_targets:
                yield a, MEA.supportsTarget, _target("aichi", aichi)
        for locator in activity.locators:
            yield from derived(a, locator, quote=activity.text)
            yield from citation_triples(locator_iri(locator), list(activity.citations))
        yield from citation_triples(a, list(activity.citations))

