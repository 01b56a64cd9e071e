"""Organisation facts of a common-services analysis: the proposed joint secretariat (Figure 2),
cost-sharing of posts and cost figures, and the pilot unit that Annex 2 reports on.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

from meakg.loaders.reference import Reference
from meakg.loaders.services_analysis.parts import Region, mentions
from meakg.loaders.services_analysis.records import (
    CostFigure,
    CostShare,
    JointSecretariat,
    Paragraph,
    PilotUnit,
    Post,
    ServiceArea,
    Table,
    Unit,
    key_of,
)
from meakg.loaders.text import Locator, find_money, footnotes, sentences, split_list, squash, without_footnotes
from meakg.ontology.errors import SourceError
from meakg.ontology.vocab import slug

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
_PILOT_RUNS = re.compile(r"\b(?P<a>[A-Z]{2,}) and (?P<b>[A-Z]{2,}) currently have a pilot project, in operation since "
                        r"(?P<month>" + "|".join(_MONTHS) + r") (?P<year>\d{4})")

# Figure 2's box titles did not survive text extraction, so units without a printed name get an
# editorial label from a phrase of their text. The aquatic box prints "focus on t agreements"
# (a word lost in extraction); the instruments it covers (ASCOBANS, Sharks, WAAM, turtles) are aquatic.
_EDITORIAL_LABELS = (("terrestrial", "Terrestrial species unit"), ("focus on t agreements", "Aquatic species unit"),
                     ("marine", "Aquatic species unit"), ("avian", "Avian species unit"),
                     ("Finance", "Administrative services unit"))


def post(office: str, acronym: str, locator: Locator, reference: Reference) -> Post:
    """Return the post of *office* in the secretariat of *acronym*; fail if the reference data knows no such
    secretariat."""
    secretariat = reference.agent(f"{acronym} Secretariat", path=locator.path, line=locator.line)
    return Post(office, acronym, secretariat.key, locator)


def parse_figure(region: Region, paragraphs: list[Paragraph], *, path: Path, reference: Reference) -> JointSecretariat:
    """Return the joint secretariat of Figure 2 and its units, each with the lines that state it."""
    units: list[dict] = []
    for number, line in region.lines:
        if not line.strip():
            continue
        start = _UNIT_START.match(line)
        if start:
            units.append({"line": number, "name": start["name"] or "", "text": [squash(line.lstrip(" -"))],
                          "tasks": []})
            # a box's first task may be printed on its text line: "... and ASCOBANS -Finance and budget"
            first, _, task = units[-1]["text"][0].partition(" -")
            if task:
                units[-1]["text"][0], units[-1]["tasks"] = first, [squash(task)]
        elif not units:
            raise SourceError(path, number, "expected a Figure 2 box opening 'This unit would ...' or "
                                            f"'X would focus ...', found {squash(line)!r}")
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
            tasks = " ".join(unit["tasks"])
            label = next((name for phrase, name in _EDITORIAL_LABELS if phrase in body or phrase in tasks),
                         f"Figure 2 unit {position}")
            editorial = True
        collaborate = _COLLABORATE.search(body)
        partners = mentions(collaborate[1], reference, path=path, line=unit["line"]) if collaborate else []
        covered_text = body[: collaborate.start(1)] if collaborate else body
        if head:
            covered_text = covered_text.replace(head.group(0), "")
        covered = [n.key for n in mentions(covered_text, reference, path=path, line=unit["line"])]
        notes = [f"Also covers the {m[1]}" for m in _INITIATIVE.finditer(body)]
        notes += [squash(m[0]) for m in re.finditer(r"\bCMS\s+(?:\(including MOUs\)|Avian species)", body)]
        locator = Locator(path, unit["line"], f"figure-2/unit-{position}", f"Figure 2, box {position} ({label})")
        built.append(Unit(label, editorial, body, tuple(covered), tuple(n.key for n in partners), tuple(notes),
                          tuple(unit["tasks"]), post(head[1], head[2], locator, reference) if head else None, locator))
    locators = [Locator(path, region.lines[0][0] - 1 if region.lines else 1, "figure-2", "Figure 2")]
    covers: list[str] = []
    for paragraph in paragraphs:
        m = re.search(r"joint secretariat for ([^(.]+)\(see Figure 2\)", paragraph.text)
        if m:
            covers = [n.key for n in mentions(m[1], reference, path=path, line=paragraph.locator.line)]
            locators.insert(0, paragraph.locator)
            break
    return JointSecretariat(tuple(covers), tuple(built), tuple(locators))


def parse_cost_shares(paragraphs: list[Paragraph], *, path: Path, reference: Reference) -> list[CostShare]:
    """Return the shares of posts that sentences such as 'P2: 75% for ASCOBANS, 25% for CMS' state."""
    shares = []
    for paragraph in paragraphs:
        for sentence in sentences(without_footnotes(paragraph.text)):
            grades = list(_GRADE.finditer(sentence))
            if not grades or "%" not in sentence:
                continue
            line = paragraph.locator.line
            arrangement = tuple(n.acronym for n in mentions(sentence[: grades[0].start()], reference, path=path,
                                                            line=line))
            for grade, end in zip(grades, [g.start() for g in grades[1:]] + [len(sentence)], strict=True):
                found = []
                for m in _SHARE.finditer(sentence[grade.end():end]):
                    name = m["inst"] or m["inst2"]
                    instrument = reference.instrument(name, path=path, line=line)
                    found.append(CostShare(arrangement, grade[1], instrument.key, Decimal(m["pct"] or m["pct2"]),
                                           paragraph.locator))
                total = sum(s.percent for s in found)
                if found and total != 100:
                    raise SourceError(path, line,
                                      f"expected the shares of the {grade[1]} post to add up to 100%, found {total}%")
                shares += found
    return shares


def parse_cost_figures(paragraphs: list[Paragraph], full_text: str, *, path: Path,
                       reference: Reference) -> list[CostFigure]:
    """Return the amounts the paragraphs cite, with what they are a cost of, the year and the instruments."""
    figures = []
    groups = {m[2]: [reference.instrument(n, path=path, line=full_text.count("\n", 0, m.start(1)) + 1).key
                     for n in re.split(r",?\s+and\s+|,\s*", m[1].strip())]
              for m in _GROUP.finditer(full_text)}   # "Basel, Rotterdam and Stockholm (BRS) Conventions"
    for paragraph in paragraphs:
        line = paragraph.locator.line
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
                    raise SourceError(path, line, f"expected what {printed!r} is a cost of ('in staff costs', "
                                      f"or a footnote 'This figure is the ...'), found {squash(after[:60])!r}")
                before = sentence[: sentence.index(printed)]
                year = re.search(r"\bin ((?:19|20)\d\d)\b", before)
                concerns = [n.key for n in mentions(without_footnotes(before), reference, path=path, line=line)]
                if not concerns and not any(re.search(rf"\b{a}\b", before) for a in groups):
                    # "... increase the Agreements' capacities. In financial terms ... up to €140,000": the
                    # sentence names no instrument, so the figure concerns those its paragraph names
                    concerns = [n.key for n in mentions(without_footnotes(paragraph.text), reference, path=path,
                                                        line=line)]
                for abbreviation, members in groups.items():
                    if re.search(rf"\b{abbreviation}\b", before):
                        concerns += members
                upto = bool(re.search(r"\bup to\s*$", before))
                saving = bool(re.search(r"\b(?:saved|savings?)\b", before))   # "... Conventions saved US$564,851"
                figures.append(CostFigure(slug(kind_text), None if upto else money.minimum, money.maximum,
                                          money.currency, kind_text, year[1] if year else "",
                                          tuple(dict.fromkeys(concerns)), printed, paragraph.locator, saving))
    return figures


def parse_pilot(title: str, date: str, paragraphs: list[Paragraph], title_locator: Locator, *, path: Path,
                reference: Reference) -> PilotUnit:
    """Return the pilot unit an Executive Secretary report describes ('... Report on the CMS/AEWA Pilot on the X')."""
    m = re.search(r"\b([A-Z]+)/([A-Z]+) Pilot on the (.+?)\s*$", title)
    if not m:
        raise SourceError(path, title_locator.line, "expected a report title like 'Report on the CMS/AEWA Pilot on "
                          f"the Common Communication and Outreach Unit', found {title!r}")
    parents, name = (m[1], m[2]), m[3]
    agents = tuple(reference.agent(f"{acronym} Secretariat", path=path, line=title_locator.line).key
                   for acronym in parents)
    report_date = re.fullmatch(r"([A-Z][a-z]+) (\d{4})", date)
    if not report_date or report_date[1] not in _MONTHS:
        raise SourceError(path, title_locator.line + 1, f"expected the report's date like 'June 2014', found {date!r}")
    whole = " ".join(p.text for p in paragraphs)
    short = re.search(r"\(hereafter referred to as the ([^)]+)\)", whole)
    focus = re.search(r"covering ([^(]+?)\s*\(hereafter", whole)
    founded = re.search(r"established in (" + "|".join(_MONTHS) + r") (\d{4})", whole)
    location = re.search(r"located (?:on|in|at) (?:the )?(.+?)"
                         r"(?= in (?:\w+ )?(?:adjoining )?offices| in order to|[.;])", whole)
    roles = re.search(r"form the unit with (.+?)\.", whole)
    if not founded:
        raise SourceError(path, paragraphs[0].locator.line, "expected the report to say when the unit was "
                          "'established in <Month> <YYYY>', found no such statement")
    used = [p.locator for p in paragraphs if any(x and x.group(0) in p.text for x in (short, founded, location, roles))]
    short_name = short[1] if short else name
    focus_at = next((p.locator for p in paragraphs if focus and focus.group(0) in p.text), None)
    roles_at = next((p.locator for p in paragraphs if roles and roles.group(0) in p.text), None)
    return PilotUnit(slug(f"{parents[0]} {parents[1]} {short_name}"), name, short_name, parents, agents,
                     focus[1] if focus else "", f"{founded[2]}-{_MONTHS.index(founded[1]) + 1:02d}",
                     location[1] if location else "", tuple(split_list(roles[1])) if roles else (),
                     title, f"{report_date[2]}-{_MONTHS.index(report_date[1]) + 1:02d}", (title_locator, *used),
                     focus_locator=focus_at, roles_locator=roles_at,
                     founded_locators=tuple(p.locator for p in paragraphs if founded.group(0) in p.text))


def pilot_functions(pilot: PilotUnit, tables: tuple[Table, ...]) -> tuple[tuple[str, str], ...]:
    """Return (scheme, key) of each table column the pilot's focus names: every word of the column's label in it
    ('Communication outreach' and 'Information management' in 'Communication, Information Management and Outreach').

    >>> from meakg.loaders.services_analysis.records import Function
    >>> loc = Locator(Path("d.txt"), 1, "t", "t")
    >>> pilot = PilotUnit("u", "U", "U", ("CMS", "AEWA"), (), "Communication, Information Management and Outreach",
    ...                   "2014-01", "", (), "", "", ())
    >>> columns = (Function("secretariat-functions", 1, "Conference Service", loc),
    ...            Function("secretariat-functions", 2, "Communication outreach", loc))
    >>> table = Table(1, "", "secretariat-functions", "", columns, ())
    >>> pilot_functions(pilot, (table,))
    (('secretariat-functions', 'communication-outreach'),)
    """
    words = set(re.findall(r"[a-z]+", pilot.focus.lower()))
    return tuple((f.scheme, f.key) for table in tables for f in table.functions
                 if pilot.focus and set(re.findall(r"[a-z]+", f.short.lower())) <= words)


def pilot_areas(pilot: PilotUnit, areas: tuple[ServiceArea, ...]) -> tuple[tuple[str, Locator], ...]:
    """Return (area key, paragraph) for each service area whose paragraphs say its parents run a pilot in it since
    the month it started ('AEWA and CMS currently have a pilot project, in operation since January 2014')."""
    found = []
    for area in areas:
        for paragraph in area.paragraphs:
            for m in _PILOT_RUNS.finditer(paragraph.text):
                month = f"{m['year']}-{_MONTHS.index(m['month']) + 1:02d}"
                if {m["a"], m["b"]} == set(pilot.parents) and month == pilot.founded:
                    found.append((key_of(area.label), paragraph.locator))
    return tuple(found)


