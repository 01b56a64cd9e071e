"""Organisation facts of a common-services analysis: the proposed joint secretariat (Figure 2),
cost-sharing of posts and cost figures, and the pilot unit that Annex 2 reports on.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from ontology.errors import SourceError
from ontology.vocab import slug
from loaders.rdf import (DCTERMS, MEA, ORG, RDF, RDFS, SCHEMA, SKOS, XSD, Literal, Triple, URIRef, derived, document_iri,
                         iri, scheme_triples, concept_triples, text)
from loaders.reference import load_reference
from loaders.services_analysis_parts import Paragraph, Region, mentions
from loaders.text import Locator, find_money, footnotes, sentences, split_list, squash, without_footnotes

_UNIT_START = re.compile(r"^\s*-?\s*(?:(?P<this>This unit\b)|(?P<head>The Head would be\b)"
                         r"|(?P<name>[A-Z][\w' ]+?) would (?:focus|provide)\b)")
_HEAD = re.compile(r"The Head would be the (Executive Secretary) of ([A-Z]+)")
_COLLABORATE = re.compile(r"(?:synergies|initiatives|collaborat\w*)[^.]*?\bwith\s+(.*)$")
_INITIATIVE = re.compile(r"(?:the\s+)?((?:[A-Z][\w-]*\s+)+Initiative(?:\s+\([A-Z]+\))?)")
_GRADE = re.compile(r"\b([PDG]-?\d)\b")
_SHARE = re.compile(r"(?P<pct>\d+(?:\.\d+)?)\s*%\s*(?:for\s+)?(?P<inst>[A-Z][A-Za-z]+)"
                    r"|(?P<inst2>[A-Z][A-Za-z]+)\s+(?:pays\s+)?(?P<pct2>\d+(?:\.\d+)?)\s*%")
_GROUP = re.compile(r"((?:[A-Z]\w+,?\s+)+and\s+[A-Z]\w+)\s+\(([A-Z]{2,})\)\s+Conventions")
_MONTHS = ("January February March April May June July August September October November December").split()

# Figure 2's box titles did not survive text extraction, so units without a printed name get an
# editorial label from a phrase of their text. The aquatic box prints "focus on t agreements"
# (a word lost in extraction); the instruments it covers (ASCOBANS, Sharks, WAAM, turtles) are aquatic.
_EDITORIAL_LABELS = (("terrestrial", "Terrestrial species unit"), ("focus on t agreements", "Aquatic species unit"),
                     ("marine", "Aquatic species unit"), ("avian", "Avian species unit"),
                     ("Finance", "Administrative services unit"))


@dataclass(frozen=True)
class Unit:
    """A box of Figure 2: a unit of the proposed joint secretariat."""

    label: str
    editorial: bool           # True when the label is ours, not printed
    focus: str
    covers: tuple[str, ...]   # instrument keys
    collaborates: tuple[str, ...]
    notes: tuple[str, ...]
    tasks: tuple[str, ...]
    head: tuple[str, str]     # ("Executive Secretary", "AEWA") or ("", "")
    locator: Locator


@dataclass(frozen=True)
class JointSecretariat:
    covers: tuple[str, ...]   # instrument keys the paragraph names
    units: tuple[Unit, ...]
    locators: tuple[Locator, ...]


@dataclass(frozen=True)
class CostShare:
    arrangement: tuple[str, ...]  # acronyms of the instruments sharing the post, as the sentence names them
    grade: str
    instrument: str               # instrument key
    percent: Decimal
    locator: Locator


@dataclass(frozen=True)
class CostFigure:
    key: str
    minimum: Decimal | None
    maximum: Decimal | None
    currency: str
    kind: str
    year: str
    concerns: tuple[str, ...]     # instrument keys
    printed: str
    locator: Locator


@dataclass(frozen=True)
class PilotUnit:
    key: str
    name: str                     # from the report title: "Common Communication and Outreach Unit"
    short: str                    # "Communications Unit"
    parents: tuple[str, ...]      # ("CMS", "AEWA")
    focus: str
    founded: str                  # "2014-01"
    location: str
    roles: tuple[str, ...]
    report_title: str
    report_date: str              # "2014-06"
    locators: tuple[Locator, ...]
    symbol: str = ""              # the document's symbol, for the report's identifier


def parse_figure(region: Region, paragraphs: list[Paragraph], *, path: Path) -> JointSecretariat:
    """Return the joint secretariat of Figure 2 and its units, each with the lines that state it."""
    units: list[dict] = []
    for number, line in region.lines:
        if not line.strip():
            continue
        start = _UNIT_START.match(line)
        if start:
            units.append({"line": number, "name": start["name"] or "", "text": [squash(line.lstrip(" -"))], "tasks": []})
            # a box's first task may be printed on its text line: "... and ASCOBANS -Finance and budget"
            first, _, task = units[-1]["text"][0].partition(" -")
            if task:
                units[-1]["text"][0], units[-1]["tasks"] = first, [squash(task)]
        elif not units:
            raise SourceError(path, number, f"expected a Figure 2 box opening 'This unit would ...' or 'X would focus ...', found {squash(line)!r}")
        elif line.lstrip().startswith("-") or " would " not in line:
            units[-1]["tasks"].append(squash(line.lstrip(" -")).rstrip(","))
        else:
            units[-1]["text"].append(squash(line))
    if not units:
        raise SourceError(path, region.lines[0][0] if region.lines else 1, "expected the units of Figure 2, found none")
    built = []
    for position, unit in enumerate(units, start=1):
        body = " ".join(unit["text"]).rstrip(" ,")
        head = _HEAD.search(body)
        if unit["name"]:
            label, editorial = unit["name"], False
        else:
            label = next((name for phrase, name in _EDITORIAL_LABELS if phrase in body or phrase in " ".join(unit["tasks"])),
                         f"Figure 2 unit {position}")
            editorial = True
        collaborate = _COLLABORATE.search(body)
        partners = mentions(collaborate[1], path=path, line=unit["line"]) if collaborate else []
        covered_text = body[: collaborate.start(1)] if collaborate else body
        if head:
            covered_text = covered_text.replace(head.group(0), "")
        covers = [n.key for n in mentions(covered_text, path=path, line=unit["line"])]
        notes = [f"Also covers the {m[1]}" for m in _INITIATIVE.finditer(body)]
        notes += [squash(m[0]) for m in re.finditer(r"\bCMS\s+(?:\(including MOUs\)|Avian species)", body)]
        locator = Locator(path, unit["line"], f"figure-2/unit-{position}", f"Figure 2, box {position} ({label})")
        built.append(Unit(label, editorial, body, tuple(covers), tuple(n.key for n in partners), tuple(notes),
                          tuple(unit["tasks"]), (head[1], head[2]) if head else ("", ""), locator))
    locators = [Locator(path, region.lines[0][0] - 1 if region.lines else 1, "figure-2", "Figure 2")]
    covers: list[str] = []
    for paragraph in paragraphs:
        m = re.search(r"joint secretariat for ([^(.]+)\(see Figure 2\)", paragraph.text)
        if m:
            covers = [n.key for n in mentions(m[1], path=path, line=paragraph.locator.line)]
            locators.insert(0, paragraph.locator)
            break
    return JointSecretariat(tuple(covers), tuple(built), tuple(locators))


def parse_cost_shares(paragraphs: list[Paragraph], *, path: Path) -> list[CostShare]:
    """Return the shares of posts that sentences such as 'P2: 75% for ASCOBANS, 25% for CMS' state."""
    reference, shares = load_reference(), []
    for paragraph in paragraphs:
        for sentence in sentences(without_footnotes(paragraph.text)):
            grades = list(_GRADE.finditer(sentence))
            if not grades or "%" not in sentence:
                continue
            arrangement = tuple(n.acronym for n in mentions(sentence[: grades[0].start()], path=path, line=paragraph.locator.line))
            for grade, end in zip(grades, [g.start() for g in grades[1:]] + [len(sentence)]):
                found = []
                for m in _SHARE.finditer(sentence[grade.end():end]):
                    name = m["inst"] or m["inst2"]
                    instrument = reference.instrument(name, path=path, line=paragraph.locator.line)
                    found.append(CostShare(arrangement, grade[1], instrument.key, Decimal(m["pct"] or m["pct2"]), paragraph.locator))
                total = sum(s.percent for s in found)
                if found and total != 100:
                    raise SourceError(path, paragraph.locator.line, f"expected the shares of the {grade[1]} post to add up to 100%, found {total}%")
                shares += found
    return shares


def parse_cost_figures(paragraphs: list[Paragraph], full_text: str, *, path: Path) -> list[CostFigure]:
    """Return the amounts the paragraphs cite, with what they are a cost of, the year and the instruments."""
    reference, figures = load_reference(), []
    groups = {m[2]: [reference.instrument(n, path=path, line=1).key for n in re.split(r",?\s+and\s+|,\s*", m[1].strip())]
              for m in _GROUP.finditer(full_text)}   # "Basel, Rotterdam and Stockholm (BRS) Conventions"
    for paragraph in paragraphs:
        notes = footnotes(paragraph.text)
        for sentence in sentences(paragraph.text):
            for money, printed in find_money(sentence):
                after = sentence[sentence.index(printed) + len(printed):]
                kind = re.match(r"\s+in\s+([a-z ]+?costs?)\b", after)
                ref = re.search(r"\[footnoteRef:(\d+)\]", after)
                note = notes.get(ref[1], "") if ref else ""
                described = re.match(r"This figure is (?:the |an? )?(.+?)\.?$", note)
                if kind:
                    kind_text = kind[1]
                elif described:
                    kind_text = described[1]
                else:
                    raise SourceError(path, paragraph.locator.line, f"expected what {printed!r} is a cost of ('in staff costs', "
                                      f"or a footnote 'This figure is the ...'), found {squash(after[:60])!r}")
                before = sentence[: sentence.index(printed)]
                year = re.search(r"\bin ((?:19|20)\d\d)\b", before)
                concerns = [n.key for n in mentions(without_footnotes(before), path=path, line=paragraph.locator.line)]
                if not concerns and not any(re.search(rf"\b{a}\b", before) for a in groups):
                    # "... increase the Agreements' capacities. In financial terms ... up to €140,000": the
                    # sentence names no instrument, so the figure concerns those its paragraph names
                    concerns = [n.key for n in mentions(without_footnotes(paragraph.text), path=path, line=paragraph.locator.line)]
                for abbreviation, members in groups.items():
                    if re.search(rf"\b{abbreviation}\b", before):
                        concerns += members
                upto = bool(re.search(r"\bup to\s*$", before))
                figures.append(CostFigure(slug(kind_text), None if upto else money.minimum, money.maximum, money.currency,
                                          kind_text, year[1] if year else "", tuple(dict.fromkeys(concerns)), printed,
                                          paragraph.locator))
    return figures


def parse_pilot(title: str, date: str, paragraphs: list[Paragraph], title_locator: Locator, *, path: Path) -> PilotUnit:
    """Return the pilot unit an Executive Secretary report describes ('... Report on the CMS/AEWA Pilot on the X')."""
    m = re.search(r"\b([A-Z]+)/([A-Z]+) Pilot on the (.+?)\s*$", title)
    if not m:
        raise SourceError(path, title_locator.line, f"expected a report title like 'Report on the CMS/AEWA Pilot on the "
                          f"Common Communication and Outreach Unit', found {title!r}")
    parents, name = (m[1], m[2]), m[3]
    report_date = re.fullmatch(r"([A-Z][a-z]+) (\d{4})", date)
    if not report_date or report_date[1] not in _MONTHS:
        raise SourceError(path, title_locator.line + 1, f"expected the report's date like 'June 2014', found {date!r}")
    whole = " ".join(p.text for p in paragraphs)
    short = re.search(r"\(hereafter referred to as the ([^)]+)\)", whole)
    focus = re.search(r"covering ([^(]+?)\s*\(hereafter", whole)
    founded = re.search(r"established in (" + "|".join(_MONTHS) + r") (\d{4})", whole)
    location = re.search(r"located (?:on|in|at) (?:the )?(.+?)(?= in (?:\w+ )?(?:adjoining )?offices| in order to|[.;])", whole)
    roles = re.search(r"form the unit with (.+?)\.", whole)
    if not founded:
        raise SourceError(path, paragraphs[0].locator.line, "expected the report to say when the unit was "
                          "'established in <Month> <YYYY>', found no such statement")
    used = [p.locator for p in paragraphs if any(x and x.group(0) in p.text for x in (short, founded, location, roles))]
    short_name = short[1] if short else name
    return PilotUnit(slug(f"{parents[0]} {parents[1]} {short_name}"), name, short_name, parents,
                     focus[1] if focus else "", f"{founded[2]}-{_MONTHS.index(founded[1]) + 1:02d}",
                     location[1] if location else "", tuple(split_list(roles[1])) if roles else (),
                     title, f"{report_date[2]}-{_MONTHS.index(report_date[1]) + 1:02d}", (title_locator, *used))


def post_iri(office: str, acronym: str) -> URIRef:
    """Return the node of a post named by office and instrument: ('Executive Secretary', 'AEWA') -> id/post/aewa-executive-secretary."""
    return iri("post", f"{acronym} {office}")


def post_triples(office: str, acronym: str, loc: Locator) -> Iterator[Triple]:
    """Yield an org:Post held in the secretariat of *acronym*."""
    node = post_iri(office, acronym)
    secretariat = load_reference().agent(f"{acronym} Secretariat", path=loc.path, line=loc.line)
    yield node, RDF.type, ORG.Post
    yield node, RDFS.label, Literal(f"{office} of {acronym}")
    yield node, ORG.postIn, secretariat.iri
    yield secretariat.iri, ORG.hasPost, node
    yield from derived(node, loc)


def structure_triples(joint: JointSecretariat) -> Iterator[Triple]:
    """Yield the proposed joint secretariat, its units, what they cover and who heads them."""
    node = iri("agent", "joint-cms-family-secretariat")
    yield node, RDF.type, ORG.Organization
    yield node, RDFS.label, Literal("Proposed joint CMS Family Secretariat")
    yield node, SKOS.editorialNote, text("Label is editorial: the document describes the structure (Figure 2) without naming it.")
    for key in joint.covers:
        yield node, MEA.covers, iri("instrument", key)
    for loc in joint.locators:
        yield from derived(node, loc)
    for unit in joint.units:
        u = iri("agent", f"proposed {unit.label.removesuffix(' unit')} unit")
        yield u, RDF.type, MEA.ProposedUnit
        yield u, RDFS.label, Literal(unit.label)
        yield u, ORG.unitOf, node
        yield node, ORG.hasUnit, u
        yield u, MEA.focus, text(unit.focus)
        if unit.editorial:
            yield u, SKOS.editorialNote, text("Label is editorial: the figure's box titles are not in the extracted text.")
        for key in unit.covers:
            yield u, MEA.covers, iri("instrument", key)
        for key in unit.collaborates:
            yield u, MEA.collaboratesWith, iri("instrument", key)
        for note in unit.notes:
            yield u, MEA.note, Literal(note)
        for task in unit.tasks:
            yield u, MEA.task, text(task)
        if unit.head[0]:
            yield u, MEA.headedBy, post_iri(*unit.head)
            yield from post_triples(*unit.head, unit.locator)
        yield from derived(u, unit.locator, quote=" ".join([unit.focus, *(f"-{t}" for t in unit.tasks)]))


def cost_triples(shares: list[CostShare], figures: list[CostFigure]) -> Iterator[Triple]:
    """Yield the shared posts with their mea:CostShare nodes, and the mea:CostFigure nodes."""
    for share in shares:
        post = iri("post", "-".join(share.arrangement + (share.grade,)))
        yield post, RDF.type, ORG.Post
        yield post, MEA.grade, Literal(share.grade)
        yield post, RDFS.label, Literal(f"{share.grade} post shared by {' and '.join(share.arrangement)}")
        yield from derived(post, share.locator)
        node = iri("cost-share", share.locator.document, "-".join(share.arrangement + (share.grade,)), share.instrument)
        yield node, RDF.type, MEA.CostShare
        yield node, RDFS.label, Literal(f"{share.grade} post: {share.percent}% paid by {share.instrument}")
        yield node, MEA.post, post
        yield node, MEA.instrument, iri("instrument", share.instrument)
        yield node, MEA.percent, Literal(share.percent, datatype=XSD.decimal)
        yield from derived(node, share.locator)
    for figure in figures:
        node = iri("cost-figure", figure.locator.document, *figure.locator.ref.split("/"), figure.key)
        yield node, RDF.type, MEA.CostFigure
        yield node, RDFS.label, Literal(f"{figure.printed} {figure.kind}")
        if figure.minimum == figure.maximum:
            yield node, SCHEMA.value, Literal(figure.maximum, datatype=XSD.decimal)
        else:
            if figure.minimum is not None:
                yield node, SCHEMA.minValue, Literal(figure.minimum, datatype=XSD.decimal)
            yield node, SCHEMA.maxValue, Literal(figure.maximum, datatype=XSD.decimal)
        yield node, SCHEMA.currency, Literal(figure.currency)
        yield node, MEA.costKind, Literal(figure.kind)
        if figure.year:
            yield node, MEA.year, Literal(figure.year, datatype=XSD.gYear)
        for key in figure.concerns:
            yield node, MEA.concerns, iri("instrument", key)
        yield from derived(node, figure.locator)


def pilot_iri(pilot: PilotUnit) -> URIRef:
    return iri("agent", pilot.key)


def pilot_triples(pilot: PilotUnit) -> Iterator[Triple]:
    """Yield the pilot unit, its parent secretariats, founding date, location, posts and report."""
    reference, node, first = load_reference(), pilot_iri(pilot), pilot.locators[0]
    yield node, RDF.type, MEA.PilotUnit
    yield node, RDFS.label, Literal(f"{'/'.join(pilot.parents)} {pilot.short}")
    yield node, SKOS.prefLabel, text(f"{'/'.join(pilot.parents)} {pilot.name}")
    for acronym in pilot.parents:
        parent = reference.agent(f"{acronym} Secretariat", path=first.path, line=first.line).iri
        yield node, ORG.unitOf, parent
        yield parent, ORG.hasUnit, node
    yield node, SCHEMA.foundingDate, Literal(pilot.founded, datatype=XSD.gYearMonth)
    if pilot.focus:
        yield node, MEA.focus, text(pilot.focus)
    if pilot.location:
        yield node, SCHEMA.location, Literal(pilot.location)
    yield from scheme_triples("staff-roles", "Staff roles")
    for role in pilot.roles:
        post, concept = iri("post", f"{pilot.key} {role}"), iri("concept", "staff-roles", role)
        yield post, RDF.type, ORG.Post
        yield post, RDFS.label, Literal(f"{role[0].upper()}{role[1:]}, {'/'.join(pilot.parents)} {pilot.short}")
        yield post, ORG.postIn, node
        yield node, ORG.hasPost, post
        yield post, ORG.role, concept
        yield from concept_triples("staff-roles", role, role)
        yield from derived(post, pilot.locators[-1])
    for loc in pilot.locators:
        yield from derived(node, loc)
    report = iri("document", first.document, first.section)
    yield report, RDF.type, MEA.Document
    yield report, DCTERMS.title, text(pilot.report_title)
    yield report, DCTERMS.identifier, Literal(f"{pilot.symbol or first.document}, {first.section}")
    yield report, DCTERMS.date, Literal(pilot.report_date, datatype=XSD.gYearMonth)
    yield report, DCTERMS.isPartOf, document_iri(first.document)
    yield report, DCTERMS.subject, node
    yield from derived(report, first, quote=pilot.report_title)
