"""Read a secretariat common-services analysis into records: this module reads the parts,
paragraphs, typology and service areas; ``parts`` splits the document; ``tables`` reads Tables 1
and 2; ``structure`` Figure 2, costs and the pilot unit; ``resolution`` the draft resolution and
the requested actions.
"""

from __future__ import annotations

import re
from dataclasses import replace
from itertools import pairwise
from pathlib import Path

from meakg.loaders.provisions import action_requested_at
from meakg.loaders.records import Paragraph, Printed
from meakg.loaders.reference import Reference
from meakg.loaders.services_analysis.facts import parse_arrangements, parse_counts
from meakg.loaders.services_analysis.parts import (
    Part,
    Region,
    cut_regions,
    mentions,
    paragraph_locator,
    split_blocks,
    split_parts,
)
from meakg.loaders.services_analysis.records import Category, ServiceArea, ServicesAnalysis, key_of
from meakg.loaders.services_analysis.resolution import parse_actions, parse_resolution
from meakg.loaders.services_analysis.structure import (
    parse_cost_figures,
    parse_cost_shares,
    parse_figure,
    parse_pilot,
    pilot_areas,
    pilot_functions,
)
from meakg.loaders.services_analysis.tables import parse_table
from meakg.loaders.text import (
    Block,
    BlockKind,
    Locator,
    name_lists,
    numbered_line,
    numbered_lines,
    sentences,
    squash,
    without_footnotes,
)
from meakg.ontology.errors import SourceError

_BOOKMARK = re.compile(r"\[bookmark:[^\]]*\]")
_LABELS = {"advantages": re.compile(r"(?i)^advantages\s*:?$"), "disadvantages": re.compile(r"(?i)^disadvantages\s*:?$"),
           "implications": re.compile(r"(?i)^(?:implications?|impacts?) (?:to|on|for) implementation support\s*:?$")}


def _part(parts: list[Part], key: str, *, path: Path) -> Part:
    for part in parts:
        if part.key == key:
            return part
    last = parts[-1].lines[-1][0] if parts[-1].lines else 1   # looked for up to the end of the document
    raise SourceError(path, last, f"expected a part {key!r} (cover note, Annex 1, Annex 2, Annex to Annex 2, Annex 3), "
                      f"found {[p.key for p in parts]}")


def _paragraphs(part: Part, blocks: tuple[Block, ...], *, path: Path) -> list[Paragraph]:
    return [Paragraph.read(b.number, squash(_BOOKMARK.sub("", b.text)), paragraph_locator(path, part, b))
            for b in blocks if b.kind is BlockKind.PARAGRAPH]


def parse(text: str, *, path: Path, reference: Reference) -> ServicesAnalysis:
    """Return what the analysis states, each record with the locator a reader checks it at.

    Fails with a SourceError naming the line when a part, table row, instrument or statement is
    not where or how this kind of document prints it.
    """
    lines = numbered_lines(text)
    symbol, parts = split_parts(lines, path=path)
    cover, annex1 = _part(parts, "cover-note", path=path), _part(parts, "annex-1", path=path)
    annex2, annex3 = _part(parts, "annex-2", path=path), _part(parts, "annex-3", path=path)

    action_at = action_requested_at(cover.lines)
    cover_blocks = split_blocks([cover.lines[:action_at]], path=path)
    actions = parse_actions(cover.lines[action_at + 1:], path=path, reference=reference)
    paragraphs = _summary(cover, cover_blocks, path=path) + _paragraphs(cover, cover_blocks, path=path)

    segments, regions = cut_regions(annex1.lines)
    annex1 = Part(annex1.key, annex1.label, annex1.lines, split_blocks(segments, path=path))
    annex1_paragraphs = _paragraphs(annex1, annex1.blocks, path=path)
    paragraphs += annex1_paragraphs
    for region in regions:
        if region.kind == "box":
            paragraphs += _box(region, annex1, path=path)
    figure = next((r for r in regions if r.kind == "figure" and r.number == 2), None)
    if figure is None:
        raise SourceError(path, annex1.lines[-1][0],
                          "expected Figure 2 (the proposed joint secretariat) in Annex 1, found none")

    annex2 = Part(annex2.key, annex2.label, annex2.lines, split_blocks([annex2.lines], path=path))
    annex2_paragraphs = _paragraphs(annex2, annex2.blocks, path=path)
    headings = [b for b in annex2.blocks if b.kind is BlockKind.HEADING]
    if len(headings) < 2:
        raise SourceError(path, annex2.lines[0][0], "expected Annex 2 to open with the report's title and date, found "
                          f"{[h.text for h in headings]}")
    title_loc = Locator(path, headings[0].line, f"{annex2.key}/title", f"{annex2.label}, title", section=annex2.label)
    pilot = replace(parse_pilot(headings[0].text, headings[1].text, annex2_paragraphs, title_loc, path=path,
                                reference=reference), symbol=symbol)
    units = {frozenset(pilot.parents): pilot.key}   # a cell's "CMS AEWA unit" is the pilot unit
    tables = tuple(parse_table(r, path=path, reference=reference, units=units)
                   for r in regions if r.kind == "table" and any(line.strip() for _, line in r.lines))
    if not any(t.number == 1 for t in tables):
        raise SourceError(path, annex1.lines[-1][0], "expected Table 1 (secretariat functions by instrument, one cell "
                          "per tab-prefixed line) in Annex 1, found none")
    paragraphs += annex2_paragraphs
    areas_heading, areas = _service_areas(annex1, path=path)
    pilot = replace(pilot, functions=pilot_functions(pilot, tables), areas=pilot_areas(pilot, areas))
    for part in parts:
        if part.key not in {"cover-note", "annex-1", "annex-2", "annex-3"}:
            paragraphs += _paragraphs(part, split_blocks([part.lines], path=path), path=path)

    resolution = parse_resolution(split_blocks([annex3.lines], path=path), part_key=annex3.key,
                                  part_label=annex3.label, symbol=symbol, path=path, reference=reference)
    paragraphs += resolution.preamble
    typology_heading, categories = _typology(annex1, path=path, reference=reference)
    return ServicesAnalysis(
        key=path.stem, symbol=symbol, paragraphs=tuple(paragraphs), tables=tables,
        categories=categories, areas=areas, typology_heading=typology_heading, areas_heading=areas_heading,
        joint=parse_figure(figure, annex1_paragraphs, path=path, reference=reference),
        shares=tuple(parse_cost_shares(annex1_paragraphs, path=path, reference=reference)),
        figures=tuple(parse_cost_figures(annex1_paragraphs, text, path=path, reference=reference)),
        pilot=pilot, resolution=resolution, actions=tuple(actions), counts=tuple(parse_counts(paragraphs)),
        arrangements=tuple(parse_arrangements(paragraphs, path=path, reference=reference)))


def _summary(cover: Part, blocks: tuple[Block, ...], *, path: Path) -> list[Paragraph]:
    for heading, following in pairwise(blocks):
        if heading.kind is BlockKind.HEADING and heading.text.rstrip(":").lower() == "summary" \
                and following.kind is BlockKind.TEXT:
            loc = Locator(path, following.line, f"{cover.key}/summary", f"{cover.label}, summary", section=cover.label)
            return [Paragraph.read("", following.text, loc)]
    return []


def _box(region: Region, part: Part, *, path: Path) -> list[Paragraph]:
    """Return the boxed decision's preambular lines and items ('2', '2(a)'), each as a paragraph."""
    section, box = f"{part.label}, box '{region.caption}'", f"{part.label}, boxed decision"
    title_line = region.lines[0][0] - 1 if region.lines else part.lines[0][0]
    found = [Paragraph.read("", region.caption, Locator(path, title_line, f"{part.key}/box/title", f"{box}, title",
                                                            section=section))]
    item, preamble = "", 0
    for number, line in region.lines:
        if not line.strip():
            continue
        numbered, lettered = numbered_line(line), re.match(r"^\s*([a-z])\.\s+(.*)$", line)
        if numbered:
            item, printed, body = numbered[0], numbered[0], numbered[1]
            ref, label = f"{part.key}/box/para-{printed}", f"{box}, paragraph {printed}"
        elif lettered and item:
            printed, body = f"{item}({lettered[1]})", lettered[2]
            ref, label = f"{part.key}/box/para-{item}.{lettered[1]}", f"{box}, paragraph {printed}"
        elif not item and not line.rstrip().endswith(":"):
            preamble += 1
            printed, body = "", line
            ref, label = f"{part.key}/box/preamble-{preamble}", f"{box}, preambular paragraph {preamble}"
        else:
            continue
        found.append(Paragraph.read(printed, squash(body),
                               Locator(path, number, ref, label, section=section, paragraph=printed)))
    return found


def _typology(annex: Part, *, path: Path, reference: Reference) -> tuple[Printed, tuple[Category, ...]]:
    """Return the heading on the typology and its categories: headings naming how instruments are
    administered, each over one paragraph."""
    blocks = list(annex.blocks)
    start = next((i for i, b in enumerate(blocks) if b.kind is BlockKind.HEADING and "typology" in b.text.lower()),
                 None)
    if start is None:
        raise SourceError(path, annex.lines[-1][0],
                          "expected a heading on the typology of instruments in Annex 1, found none")
    categories = []
    for heading, block in pairwise(blocks[start + 1:]):
        if heading.kind is BlockKind.PARAGRAPH:
            continue
        if heading.kind is not BlockKind.HEADING or "administered" not in heading.text \
                or block.kind is not BlockKind.PARAGRAPH:
            break
        label, body = heading.text.rstrip(": "), without_footnotes(block.text)
        for names in name_lists(body):
            for name in names:   # every name an enumeration lists must be a known instrument
                reference.instrument(name, path=path, line=block.line)
        outside = {n.key for n in mentions(label, reference, path=path, line=heading.line)}
        members = [n for n in mentions(body, reference, path=path, line=block.line) if n.key not in outside]
        administered = re.search(r"administered (?:by|under) (?:the )?([A-Z][A-Za-z]+)", f"{label}. {body}")
        seat = re.search(r"(?<!not )co-located in ([A-Z]\w+)", body)
        depositary, notes = [], []
        for sentence in sentences(body):
            named = [n for n in mentions(sentence, reference, path=path, line=block.line) if n.key not in outside]
            if m := re.search(r"\b([A-Z][A-Za-z]+) plays the role of depositor", sentence):
                agent = reference.agent(m[1], path=path, line=block.line).key
                depositary += [(n.key, agent) for n in named if n.acronym != m[1]]
            elif len(named) == 1 and re.search(r"\b(?:relocat\w*|located)\b", sentence):
                notes.append((named[0].key, sentence))
        if not members:
            raise SourceError(path, block.line,
                              f"expected the instruments of the category {label!r}, found none in {body[:60]!r}")
        loc = Locator(path, block.line, f"{annex.key}/para-{block.number}", f"{annex.label}, paragraph {block.number}",
                      section=annex.label, paragraph=block.number)
        heading_loc = Locator(path, heading.line, f"{annex.key}/typology/{key_of(label)}",
                              f"{annex.label}, typology heading ({label})", section=annex.label)
        administrator = reference.agent(administered[1], path=path, line=block.line).key if administered else ""
        categories.append(Category(label, block.number, tuple(n.key for n in members), administrator,
                                   seat[1] if seat else "", tuple(depositary), tuple(notes), loc, heading_loc))
    if not categories:
        raise SourceError(path, blocks[start].line, "expected typology categories (a heading naming how instruments "
                          "are administered, then its paragraph), found none")
    return _heading(annex, blocks[start], "typology", path=path), tuple(categories)


def _heading(part: Part, block: Block, ref: str, *, path: Path) -> Printed:
    """Return a heading of *part* as printed, at the locator '<part>/<ref>' ('Annex 1, heading (...)')."""
    return Printed(block.text, Locator(path, block.line, f"{part.key}/{ref}", f"{part.label}, heading ({block.text})",
                                       section=part.label))


def _service_areas(annex: Part, *, path: Path) -> tuple[Printed | None, tuple[ServiceArea, ...]]:
    """Return the heading over the numbered service areas ('What services could be shared?'; None if the first
    area follows no unnumbered heading), and the areas with the paragraphs under their Advantages /
    Disadvantages / Implications."""
    areas: list[dict] = []
    field: str | None = ""   # the list the next paragraphs go in: advantages, disadvantages, implications
    before: Block | None = None
    heading: Printed | None = None
    for block in annex.blocks:
        if block.kind is BlockKind.HEADING and block.number.isdigit():
            if not areas and before is not None and before.kind is BlockKind.HEADING and not before.number:
                heading = _heading(annex, before, "service-areas", path=path)
            loc = Locator(path, block.line, f"{annex.key}/service-area-{block.number}",
                          f"{annex.label}, service area {block.number} ({block.text})", section=annex.label,
                          paragraph=block.number)
            areas.append({"number": block.number, "label": block.text, "locator": loc,
                          "advantages": [], "disadvantages": [], "implications": [], "paragraphs": []})
            field = ""
        elif block.kind is BlockKind.HEADING and areas:
            field = next((name for name, pattern in _LABELS.items() if pattern.match(block.text)), None)
            if field is None:   # a heading of another kind closes the last area
                break
        elif block.kind is BlockKind.PARAGRAPH and areas and field:
            areas[-1][field].append(paragraph_locator(path, annex, block))
        elif block.kind is BlockKind.PARAGRAPH and areas:   # right under the area's heading
            areas[-1]["paragraphs"].append(Paragraph.read(block.number, squash(_BOOKMARK.sub("", block.text)),
                                                     paragraph_locator(path, annex, block)))
        before = block
    if not areas:
        raise SourceError(path, annex.lines[0][0], "expected numbered service areas ('1.\\tImplementation support and "
                          "capacity-building') in Annex 1, found none")
    for expected, area in enumerate(areas, start=1):
        if area["number"] != str(expected):
            raise SourceError(path, area["locator"].line, f"expected service area {expected}, found {area['number']}")
    return heading, tuple(ServiceArea(a["number"], a["label"], a["locator"], tuple(a["advantages"]),
                                      tuple(a["disadvantages"]), tuple(a["implications"]), tuple(a["paragraphs"]))
                          for a in areas)


