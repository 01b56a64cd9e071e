"""Secretariat common-services analyses (UNEP/CMS/COP11/Doc.16.2 is one): which secretariat
services CMS Family instruments could share, a typology of the instruments, tables of the
functions each provides, a proposed joint secretariat, costs, a pilot unit and a draft resolution.

Parsing reads the document into records (this module: parts, paragraphs, typology, service
areas; ``services_analysis_tables``: Tables 1 and 2; ``services_analysis_structure``: Figure 2,
costs and the pilot unit; ``services_analysis_resolution``: draft resolution and requested
actions); ``to_triples`` turns them into triples, every node derived from its locator.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from ontology.errors import SourceError
from loaders.citations import find_citations
from loaders.rdf import (MEA, Literal, Triple, citation_triples, concept_triples, derived, iri, locator_iri,
                         locator_triples, scheme_triples)
from loaders.reference import load_reference
from loaders.services_analysis_parts import (Paragraph, Part, Region, cut_regions, key_of, mentions, paragraph_locator,
                                             split_blocks, split_parts)
from loaders.services_analysis_resolution import (Provision, Resolution, actions_triples, parse_actions, parse_resolution,
                                                  resolution_triples)
from loaders.services_analysis_structure import (CostFigure, CostShare, JointSecretariat, PilotUnit, cost_triples,
                                                 parse_cost_figures, parse_cost_shares, parse_figure, parse_pilot,
                                                 pilot_iri, pilot_triples, structure_triples)
from loaders.services_analysis_tables import Table, parse_table, table_triples
from loaders.text import (Block, BlockKind, Locator, name_lists, numbered_line, numbered_lines, sentences, squash,
                          without_footnotes)

__all__ = ["parse", "to_triples", "ServicesAnalysis", "Category", "ServiceArea"]

_ACTIONS = re.compile(r"^\s*Action requested:?\s*$")
_BOOKMARK = re.compile(r"\[bookmark:[^\]]*\]")
_LABELS = {"advantages": re.compile(r"(?i)^advantages\s*:?$"), "disadvantages": re.compile(r"(?i)^disadvantages\s*:?$"),
           "implications": re.compile(r"(?i)^(?:implications?|impacts?) (?:to|on|for) implementation support\s*:?$")}


@dataclass(frozen=True)
class Category:
    """A category of the typology of instruments, with its members and what its paragraph states of them."""

    label: str                # the heading as printed, without a closing colon
    number: str               # the paragraph's number
    members: tuple[str, ...]  # instrument keys, in order of mention
    administered_by: str      # agent acronym as printed ("UNEP", "CMS"); "" if not stated
    seat: str                 # "Bonn" if the paragraph says the members are co-located there
    depositary: tuple[tuple[str, str], ...]   # (instrument key, agent as printed)
    notes: tuple[tuple[str, str], ...]        # (instrument key, sentence about where it is located)
    locator: Locator


@dataclass(frozen=True)
class ServiceArea:
    """A numbered area of 'What services could be shared?' and the paragraphs under its sub-headings."""

    number: str
    label: str
    locator: Locator
    advantages: tuple[Locator, ...]
    disadvantages: tuple[Locator, ...]
    implications: tuple[Locator, ...]


@dataclass(frozen=True)
class ServicesAnalysis:
    key: str
    symbol: str
    paragraphs: tuple[Paragraph, ...]       # every numbered, boxed and preambular paragraph, and the summary
    tables: tuple[Table, ...]
    categories: tuple[Category, ...]
    areas: tuple[ServiceArea, ...]
    joint: JointSecretariat
    shares: tuple[CostShare, ...]
    figures: tuple[CostFigure, ...]
    pilot: PilotUnit
    resolution: Resolution
    action_addressee: str
    actions: tuple[Provision, ...]

    def paragraph(self, ref: str) -> Paragraph:
        """Return the paragraph whose locator ref is *ref* ('annex-1/para-47')."""
        return next(p for p in self.paragraphs if p.locator.ref == ref)


def _part(parts: list[Part], key: str, *, path: Path) -> Part:
    for part in parts:
        if part.key == key:
            return part
    raise SourceError(path, 1, f"expected a part {key!r} (cover note, Annex 1, Annex 2, Annex to Annex 2, Annex 3), "
                      f"found {[p.key for p in parts]}")


def _paragraphs(part: Part, blocks: tuple[Block, ...], *, path: Path) -> list[Paragraph]:
    return [Paragraph(part.key, b.number, squash(_BOOKMARK.sub("", b.text)), paragraph_locator(path, part, b))
            for b in blocks if b.kind is BlockKind.PARAGRAPH]


def parse(text: str, *, path: Path) -> ServicesAnalysis:
    """Return what the analysis states, each record with the locator a reader checks it at.

    Fails with a SourceError naming the line when a part, table row, instrument or statement is
    not where or how this kind of document prints it.
    """
    lines = numbered_lines(text)
    symbol, parts = split_parts(lines, path=path)
    cover, annex1 = _part(parts, "cover-note", path=path), _part(parts, "annex-1", path=path)
    annex2, annex3 = _part(parts, "annex-2", path=path), _part(parts, "annex-3", path=path)

    action_at = next((i for i, (_, line) in enumerate(cover.lines) if _ACTIONS.match(line)), len(cover.lines))
    cover_blocks = split_blocks([cover.lines[:action_at]], path=path)
    addressee, actions = parse_actions(cover.lines[action_at + 1:], path=path)
    paragraphs = _summary(cover, cover_blocks, path=path) + _paragraphs(cover, cover_blocks, path=path)

    segments, regions = cut_regions(annex1.lines)
    annex1 = Part(annex1.key, annex1.label, annex1.lines, split_blocks(segments, path=path))
    annex1_paragraphs = _paragraphs(annex1, annex1.blocks, path=path)
    paragraphs += annex1_paragraphs
    for region in regions:
        if region.kind == "box":
            paragraphs += _box(region, annex1, path=path)
    tables = tuple(parse_table(r, path=path) for r in regions if r.kind == "table" and any(l.strip() for _, l in r.lines))
    if not any(t.number == 1 for t in tables):
        raise SourceError(path, annex1.lines[-1][0], "expected Table 1 (secretariat functions by instrument, one cell "
                          "per tab-prefixed line) in Annex 1, found none")
    figure = next((r for r in regions if r.kind == "figure" and r.number == 2), None)
    if figure is None:
        raise SourceError(path, annex1.lines[-1][0], "expected Figure 2 (the proposed joint secretariat) in Annex 1, found none")

    annex2 = Part(annex2.key, annex2.label, annex2.lines, split_blocks([annex2.lines], path=path))
    annex2_paragraphs = _paragraphs(annex2, annex2.blocks, path=path)
    headings = [b for b in annex2.blocks if b.kind is BlockKind.HEADING]
    if len(headings) < 2:
        raise SourceError(path, annex2.lines[0][0], "expected Annex 2 to open with the report's title and date, found "
                          f"{[h.text for h in headings]}")
    title_loc = Locator(path, headings[0].line, f"{annex2.key}/title", f"{annex2.label}, title", section=annex2.label)
    pilot = replace(parse_pilot(headings[0].text, headings[1].text, annex2_paragraphs, title_loc, path=path), symbol=symbol)
    paragraphs += annex2_paragraphs
    for part in parts:
        if part.key not in {"cover-note", "annex-1", "annex-2", "annex-3"}:
            paragraphs += _paragraphs(part, split_blocks([part.lines], path=path), path=path)

    resolution = parse_resolution(split_blocks([annex3.lines], path=path), part_key=annex3.key,
                                  part_label=annex3.label, symbol=symbol, path=path)
    paragraphs += resolution.preamble
    return ServicesAnalysis(
        key=path.stem, symbol=symbol, paragraphs=tuple(paragraphs), tables=tables,
        categories=tuple(_typology(annex1, path=path)), areas=tuple(_service_areas(annex1, path=path)),
        joint=parse_figure(figure, annex1_paragraphs, path=path),
        shares=tuple(parse_cost_shares(annex1_paragraphs, path=path)),
        figures=tuple(parse_cost_figures(annex1_paragraphs, text, path=path)),
        pilot=pilot, resolution=resolution, action_addressee=addressee, actions=tuple(actions))


def _summary(cover: Part, blocks: tuple[Block, ...], *, path: Path) -> list[Paragraph]:
    for heading, following in zip(blocks, blocks[1:]):
        if heading.kind is BlockKind.HEADING and heading.text.rstrip(":").lower() == "summary" and following.kind is BlockKind.TEXT:
            loc = Locator(path, following.line, f"{cover.key}/summary", f"{cover.label}, summary", section=cover.label)
            return [Paragraph(cover.key, "", following.text, loc)]
    return []


def _box(region: Region, part: Part, *, path: Path) -> list[Paragraph]:
    """Return the boxed decision's preambular lines and items ('2', '2(a)'), each as a paragraph."""
    section = f"{part.label}, box '{region.caption}'"
    title_line = region.lines[0][0] - 1 if region.lines else part.lines[0][0]
    found = [Paragraph(part.key, "", region.caption, Locator(path, title_line, f"{part.key}/box/title",
                                                            f"{part.label}, boxed decision, title", section=section))]
    item, preamble = "", 0
    for number, line in region.lines:
        if not line.strip():
            continue
        numbered, lettered = numbered_line(line), re.match(r"^\s*([a-z])\.\s+(.*)$", line)
        if numbered:
            item, printed, body = numbered[0], numbered[0], numbered[1]
            ref, label = f"{part.key}/box/para-{printed}", f"{part.label}, boxed decision, paragraph {printed}"
        elif lettered and item:
            printed, body = f"{item}({lettered[1]})", lettered[2]
            ref, label = f"{part.key}/box/para-{item}.{lettered[1]}", f"{part.label}, boxed decision, paragraph {printed}"
        elif not item and not line.rstrip().endswith(":"):
            preamble += 1
            printed, body = "", line
            ref, label = f"{part.key}/box/preamble-{preamble}", f"{part.label}, boxed decision, preambular paragraph {preamble}"
        else:
            continue
        found.append(Paragraph(part.key, printed, squash(body),
                               Locator(path, number, ref, label, section=section, paragraph=printed)))
    return found


def _typology(annex: Part, *, path: Path) -> list[Category]:
    """Return the categories: headings naming how instruments are administered, each over one paragraph."""
    blocks = list(annex.blocks)
    start = next((i for i, b in enumerate(blocks) if b.kind is BlockKind.HEADING and "typology" in b.text.lower()), None)
    if start is None:
        raise SourceError(path, annex.lines[-1][0], "expected a heading on the typology of instruments in Annex 1, found none")
    reference, categories = load_reference(), []
    for heading, block in zip(blocks[start + 1:], blocks[start + 2:]):
        if heading.kind is BlockKind.PARAGRAPH:
            continue
        if heading.kind is not BlockKind.HEADING or "administered" not in heading.text or block.kind is not BlockKind.PARAGRAPH:
            break
        label, body = heading.text.rstrip(": "), without_footnotes(block.text)
        for names in name_lists(body):
            for name in names:   # every name an enumeration lists must be a known instrument
                reference.instrument(name, path=path, line=block.line)
        outside = {n.key for n in mentions(label, path=path, line=heading.line)}
        members = [n for n in mentions(body, path=path, line=block.line) if n.key not in outside]
        administered = re.search(r"administered (?:by|under) (?:the )?([A-Z][A-Za-z]+)", f"{label}. {body}")
        seat = re.search(r"(?<!not )co-located in ([A-Z]\w+)", body)
        depositary, notes = [], []
        for sentence in sentences(body):
            named = [n for n in mentions(sentence, path=path, line=block.line) if n.key not in outside]
            if m := re.search(r"\b([A-Z][A-Za-z]+) plays the role of depositor", sentence):
                depositary += [(n.key, m[1]) for n in named if n.acronym != m[1]]
            elif len(named) == 1 and re.search(r"\b(?:relocat\w*|located)\b", sentence):
                notes.append((named[0].key, sentence))
        if not members:
            raise SourceError(path, block.line, f"expected the instruments of the category {label!r}, found none in {body[:60]!r}")
        loc = Locator(path, block.line, f"{annex.key}/para-{block.number}", f"{annex.label}, paragraph {block.number}",
                      section=annex.label, paragraph=block.number)
        categories.append(Category(label, block.number, tuple(n.key for n in members),
                                   administered[1] if administered else "", seat[1] if seat else "",
                                   tuple(depositary), tuple(notes), loc))
    if not categories:
        raise SourceError(path, blocks[start].line, "expected typology categories (a heading naming how instruments are "
                          "administered, then its paragraph), found none")
    return categories


def _service_areas(annex: Part, *, path: Path) -> list[ServiceArea]:
    """Return the numbered service areas and the paragraphs under their Advantages / Disadvantages / Implications."""
    areas: list[dict] = []
    field = ""
    for block in annex.blocks:
        if block.kind is BlockKind.HEADING and block.number.isdigit():
            loc = Locator(path, block.line, f"{annex.key}/service-area-{block.number}",
                          f"{annex.label}, service area {block.number} ({block.text})", section=annex.label, paragraph=block.number)
            areas.append({"number": block.number, "label": block.text, "locator": loc,
                          "advantages": [], "disadvantages": [], "implications": []})
            field = ""
        elif block.kind is BlockKind.HEADING and areas:
            field = next((name for name, pattern in _LABELS.items() if pattern.match(block.text)), None)
            if field is None:   # a heading of another kind closes the last area
                break
        elif block.kind is BlockKind.PARAGRAPH and areas and field:
            areas[-1][field].append(paragraph_locator(path, annex, block))
    if not areas:
        raise SourceError(path, annex.lines[0][0], "expected numbered service areas ('1.\\tImplementation support and "
                          "capacity-building') in Annex 1, found none")
    for expected, area in enumerate(areas, start=1):
        if area["number"] != str(expected):
            raise SourceError(path, area["locator"].line, f"expected service area {expected}, found {area['number']}")
    return [ServiceArea(a["number"], a["label"], a["locator"], tuple(a["advantages"]), tuple(a["disadvantages"]),
                        tuple(a["implications"])) for a in areas]


def to_triples(analysis: ServicesAnalysis) -> Iterator[Triple]:
    """Yield the analysis as triples: paragraphs and citations, typology, tables, service areas,
    proposed structure, costs, pilot unit, draft resolution and requested actions."""
    for paragraph in analysis.paragraphs:
        yield from locator_triples(paragraph.locator, quote=paragraph.text)
        yield from citation_triples(locator_iri(paragraph.locator), find_citations(paragraph.text))
    yield from _typology_triples(analysis.categories)
    units = {frozenset(analysis.pilot.parents): pilot_iri(analysis.pilot)}
    for table in analysis.tables:
        yield from table_triples(table, units=units)
    yield from _area_triples(analysis.areas, analysis.paragraphs)
    yield from structure_triples(analysis.joint)
    yield from cost_triples(list(analysis.shares), list(analysis.figures))
    yield from pilot_triples(analysis.pilot)
    yield from resolution_triples(analysis.resolution)
    yield from actions_triples(analysis.action_addressee, list(analysis.actions), path=analysis.resolution.locator.path)


def _typology_triples(categories: tuple[Category, ...]) -> Iterator[Triple]:
    reference = load_reference()
    yield from scheme_triples("cms-instrument-typology", "Typology of CMS Family instruments")
    for category in categories:
        loc = category.locator
        node = iri("concept", "cms-instrument-typology", key_of(category.label))
        yield from concept_triples("cms-instrument-typology", key_of(category.label), category.label,
                                   notation=category.number, cls=MEA.TypologyCategory)
        yield from derived(node, loc)
        agent = reference.agent(category.administered_by, path=loc.path, line=loc.line) if category.administered_by else None
        for key in category.members:
            member = iri("instrument", key)
            yield member, MEA.typologyCategory, node
            if agent is not None:
                yield member, MEA.administeredBy, agent.iri
            if category.seat:
                yield member, MEA.secretariatSeat, Literal(category.seat)
        for key, name in category.depositary:
            yield iri("instrument", key), MEA.depositary, reference.agent(name, path=loc.path, line=loc.line).iri
        for key, note in category.notes:
            yield iri("instrument", key), MEA.note, Literal(note)


def _area_triples(areas: tuple[ServiceArea, ...], paragraphs: tuple[Paragraph, ...]) -> Iterator[Triple]:
    yield from scheme_triples("common-service-areas", "Common service areas")
    for area in areas:
        node = iri("concept", "common-service-areas", key_of(area.label))
        yield from concept_triples("common-service-areas", key_of(area.label), area.label, notation=area.number,
                                   cls=MEA.ServiceArea)
        yield from derived(node, area.locator, quote=area.label)
        for prop, locators in ((MEA.advantages, area.advantages), (MEA.disadvantages, area.disadvantages),
                               (MEA.implications, area.implications)):
            for loc in locators:
                yield node, prop, locator_iri(loc)
