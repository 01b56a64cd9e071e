"""Read a capacity-building work plan: numbered narrative paragraphs with guiding principles and phases,
a four-column work plan table (activities, responsibility, methodology, budget) grouped in
numbered sections with objectives, and the actions requested of the Conference of the Parties
(the CMS Capacity Building Work Plan 2012-2014 is one such document).

The text is extracted from a PDF: paragraph 4 is printed "4,", paragraphs wrap and may hold a
stray blank line (paragraph 7), the plan's title line starts with a stray glyph ("L CMS Capacity
Building Work Plan 2012-2014"), and the table lost its column positions (see
``loaders.capacity_building_table``).
"""

from __future__ import annotations

import re
from pathlib import Path

from meakg.loaders.capacity_building.layout import TableLayout
from meakg.loaders.capacity_building.records import (
    Activity,
    Budget,
    CapacityBuildingPlan,
    Heading,
    Phase,
    Principle,
    Section,
)
from meakg.loaders.capacity_building.table import agent_list, read_row
from meakg.loaders.citations import find_citations
from meakg.loaders.provisions import action_requested_at, read_actions
from meakg.loaders.records import Paragraph, Printed, Provision
from meakg.loaders.reference import Reference
from meakg.loaders.text import Locator, find_money, numbered_lines, squash
from meakg.ontology.errors import SourceError

PLAN_TITLE = re.compile(r"^(?:\S\s+)?(?P<title>(?P<party>[A-Z]{2,})\b.*?Work Plan\s+"
                        r"(?P<start>\d{4})\s*[-–]\s*(?P<end>\d{4}))\s*$")
PARAGRAPH = re.compile(r"^\s*(?P<n>\d{1,2})[.,]\s+(?P<text>\S.*)$")   # "4," is a typo for "4."
PRINCIPLE = re.compile(r"^\s*\((?P<letter>[a-z])\)\s+(?P<text>\S.*)$")
SECTION = re.compile(r"^(?P<n>\d{1,2})\.\s+(?P<title>[A-Z].*)$")
ACTIVITY = re.compile(r"^(?P<section>\d{1,2})\.(?P<n>\d{1,2})\s+(?P<rest>\S.*)$")
OBJECTIVE = re.compile(r"^Objective:\s*(?P<text>.*)$")
HEADER_CELL = r"(?:Activities undertaken|Responsibility|Methodology and expected|outcome|Budget Estimate|Budget)"
HEADER = re.compile(rf"^\s*\|?\s*{HEADER_CELL}(?:\s*\|?\s*{HEADER_CELL})*\s*$")
PHASES = re.compile(r"all (?P<count>\w+) phases of action:\s*(?:The\s+)?(?P<list>.+?)(?:,\s*whereby\b|\.\s|$)")
NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
BUDGET_EXAMPLES = "expected a budget like 'US$45,000-90,000', 'No additional funds required' or 'Shall be determined'"


def parse(text: str, *, path: Path, reference: Reference, layout: dict | None = None) -> CapacityBuildingPlan:
    """Return the plan with its paragraphs, principles, phases, sections, activities and actions.

    *layout* is what the document's ``<key>.table.yaml`` states of its table (column widths; see
    ``loaders.capacity_building.layout``); without it no width rule applies.

    >>> from meakg.loaders.reference import load_reference
    >>> plan = parse("CMS Capacity Building Work Plan 2012-2014\\n1. Handbook\\nObjective: Impact\\n"
    ...              "1.1 Handbook designed | CMS Sec. Handbook designed. | US$ 5,000-8,000\\n", path=Path("cb.txt"),
    ...              reference=load_reference())
    >>> plan.start, plan.activities[0].budget.maximum, plan.activities[0].agents
    (2012, Decimal('8000'), ('cms-secretariat',))
    """
    lines = numbered_lines(text)
    title_at = next((i for i, (_, line) in enumerate(lines) if PLAN_TITLE.match(line) and not PARAGRAPH.match(line)),
                    None)
    if title_at is None:
        raise SourceError(path, 1, "expected a title line like 'CMS Capacity Building Work Plan 2012-2014', found none")
    title_no, title_line = lines[title_at]
    match = PLAN_TITLE.match(title_line)
    assert match is not None  # title_at is a line it matches
    party = reference.agent(f"{match['party']} Secretariat", path=path, line=title_no)
    actions_at = action_requested_at(lines)
    paragraphs, headings, principles = _narrative(lines[:title_at], path)
    sections, activities, budget_header = _table(lines[title_at + 1: actions_at], path, reference,
                                                 TableLayout.from_data(layout))
    if not activities:
        raise SourceError(path, title_no,
                          "expected a work plan table with numbered activities such as '1.1 ...', found none")
    return CapacityBuildingPlan(
        key=path.stem, title=squash(match["title"]), party=party.key, start=int(match["start"]), end=int(match["end"]),
        title_locator=Locator(path, title_no, "title", "Title"), paragraphs=tuple(paragraphs), headings=tuple(headings),
        principles=tuple(principles), phases=tuple(_phases(paragraphs, path)), sections=tuple(sections),
        activities=tuple(activities), actions=tuple(_actions(lines[actions_at:], path, reference)),
        budget_header=budget_header)


def _narrative(lines: list[tuple[int, str]], path: Path) -> tuple[list[Paragraph], list[Heading], list[Principle]]:
    """Read the numbered paragraphs (with their lettered principles) and the headings between them."""
    paragraphs: list[tuple[str, int, list[str]]] = []
    principles: list[tuple[str, int, list[str], int]] = []
    headings: list[tuple[int, list[str], list[str]]] = []
    current: list[str] | None = None          # the lines of what is being read
    blank = False
    for number, line in lines:
        if not line.strip():
            blank = True
            continue
        para, item = PARAGRAPH.match(line), PRINCIPLE.match(line)
        objective = OBJECTIVE.match(line)
        if para:
            expected = len(paragraphs) + 1
            if int(para["n"]) != expected:
                raise SourceError(path, number, f"expected paragraph {expected}, found {line.strip()!r}")
            paragraphs.append((para["n"], number, [para["text"]]))
            current = paragraphs[-1][2]
        elif item and paragraphs:
            paragraphs[-1][2].append(line)
            principles.append((item["letter"], number, [item["text"]], int(paragraphs[-1][0])))
            current = principles[-1][2]
        elif objective and headings and not headings[-1][2]:
            headings[-1][2].append(objective["text"])
            current = headings[-1][2]
        elif current is None or (blank and not line[:1].islower()
                                 and squash(" ".join(current)).endswith((".", ";", ":"))):
            headings.append((number, [line], []))   # a heading: after a finished paragraph, not lower case
            current = headings[-1][1]
        else:   # a wrapped line, or the rest of a paragraph after a stray blank line (paragraph 7)
            current.append(line)
            if principles and current is principles[-1][2] and paragraphs:
                paragraphs[-1][2].append(line)
        blank = False
    return ([Paragraph(n, squash(" ".join(texts)), Locator(path, line, f"para-{n}", f"paragraph {n}", paragraph=n),
                       tuple(find_citations(squash(" ".join(texts)))))
             for n, line, texts in paragraphs],
            [Heading(squash(" ".join(title)), squash(" ".join(objective)),
                     Locator(path, line, f"heading-{i}", f"Heading '{squash(' '.join(title))}'",
                             section=squash(" ".join(title))))
             for i, (line, title, objective) in enumerate(headings, start=1)],
            [Principle(letter, squash(" ".join(texts)),
                       Locator(path, line, f"para-{para}/{letter}", f"paragraph {para} ({letter})",
                               paragraph=f"{para} ({letter})"))
             for letter, line, texts, para in principles])


def _phases(paragraphs: list[Paragraph], path: Path) -> list[Phase]:
    """Read the phases of action a paragraph names ("all four phases of action: The Planning Phase, ...")."""
    for paragraph in paragraphs:
        match = PHASES.search(paragraph.text)
        if not match:
            continue
        names = [squash(n) for n in re.findall(r"\s*(?:,|\band\b)?\s*(.+?\bPhase)\b", match["list"])]
        count = NUMBERS.get(match["count"].lower(), 0)
        if len(names) != count:
            raise SourceError(path, paragraph.locator.line,
                              f"expected {match['count']} phases named '... Phase', found {names}")
        return [Phase(i, name, paragraph.locator) for i, name in enumerate(names, start=1)]
    return []


def _table(lines: list[tuple[int, str]], path: Path, reference: Reference,
           layout: TableLayout) -> tuple[list[Section], list[Activity], Printed | None]:
    """Read the work plan table: sections with their objectives, the rows of activities, and the budget
    column's header where first printed (what the budget statuses are read under)."""
    sections: list[Section] = []
    objectives: dict[str, list[str]] = {}
    rows: list[tuple[str, str, list[tuple[int, str]]]] = []     # (section, number, lines)
    in_header, reading = False, ""        # reading: "" | "section" | "objective" | "row"
    budget_header = None
    for number, line in lines:
        stripped = line.strip()
        if HEADER.match(line) and (in_header or stripped.startswith("Activities undertaken")):
            in_header = True                  # the column headings, repeated after page breaks, maybe one per line
            if budget_header is None and (printed := re.search(r"\bBudget(?: Estimate)?\b", line)):
                budget_header = Printed(printed[0], Locator(path, number, "table/header/budget", "Work plan table, "
                                                            "column 4 header", table="Work plan", column=4))
            continue
        if not stripped:
            if reading == "row":
                rows[-1][2].append((number, line))   # blank lines fall inside cells
            elif reading == "objective":
                reading = "section"
            continue
        in_header = False
        section, activity, objective = SECTION.match(stripped), ACTIVITY.match(stripped), OBJECTIVE.match(stripped)
        if section and not activity:
            sections.append(Section(section["n"], squash(section["title"]), "",
                                    Locator(path, number, f"table/section-{section['n']}",
                                            f"Work plan table, section {section['n']}", table="Work plan")))
            reading = "section"
        elif objective and reading == "section" and _section_number(sections) not in objectives:
            objectives[sections[-1].number] = [objective["text"]]
            reading = "objective"
        elif activity:
            if not sections:
                raise SourceError(path, number, f"expected a numbered section such as '1. Development of ...' before "
                                                f"activity {stripped[:40]!r}")
            expected = _section_number(sections)
            if activity["section"] != expected:
                raise SourceError(path, number, f"expected an activity of section {expected} such as "
                                                f"'{expected}.1 ...', found {stripped[:40]!r}")
            rows.append((expected, f"{expected}.{activity['n']}", [(number, activity["rest"])]))
            reading = "row"
        elif reading == "objective":
            objectives[sections[-1].number].append(stripped)   # an objective wrapped over two lines
        elif reading == "row":
            rows[-1][2].append((number, line))
        elif sections:
            raise SourceError(path, number, f"expected an objective or an activity such as "
                                            f"'{sections[-1].number}.1 ...', found {stripped[:40]!r}")
        # else: a note before the first section, "(Each prioritized training need identified will follow ...)"
    sections = [Section(s.number, s.title, squash(" ".join(objectives.get(s.number, []))), s.locator) for s in sections]
    return sections, [_activity(section, key, row_lines, position, path, reference, layout)
                      for position, (section, key, row_lines) in enumerate(rows, start=1)], budget_header


def _section_number(sections: list[Section]) -> str:
    return sections[-1].number if sections else "1"


def _activity(section: str, number: str, lines: list[tuple[int, str]], position: int, path: Path,
              reference: Reference, layout: TableLayout) -> Activity:
    cells = read_row(lines, path=path, number=number, reference=reference, layout=layout)
    first = lines[0][0]
    if not cells.title:
        raise SourceError(path, first,
                          f"expected the title of activity {number} before its responsible parties, found none")
    names = agent_list(cells.responsibility, reference) or []
    agents = tuple(reference.agent(name, path=path, line=cells.lines[1] or first).key for name in names)
    last = max(n for n, text in lines if text.strip())   # the row's cells wrap: it runs to its last printed line
    locator = Locator(path, first, f"table/activity-{number}", f"Work plan table, activity {number}", table="Work plan",
                      row=position, last_line=last if last > first else 0)
    budget_line = cells.lines[3] or first
    budget_locator = Locator(path, budget_line, f"table/activity-{number}/budget",
                             f"Work plan table, activity {number}, Budget Estimate", table="Work plan", row=position,
                             column=4)
    # the list's full stop is not the name's
    printed = tuple(n if n.endswith("Sec.") else n.rstrip(".") for n in names)
    return Activity(number, section, cells.title, printed, agents, cells.methodology,
                    read_budget(cells.budget, locator=budget_locator), locator,
                    tuple(find_citations(f"{cells.title}. {cells.methodology}")))


def read_budget(text: str, *, locator: Locator) -> Budget:
    """Return the budget a cell states: an amount or range, no additional funds, or to be determined.

    >>> loc = Locator(Path("p.txt"), 3, "b", "b")
    >>> b = read_budget("No additional funds required provided that the CMS CB Unit staff numbers retained.",
    ...                 locator=loc)
    >>> b.status, b.condition
    ('no-additional-funds', 'provided that the CMS CB Unit staff numbers retained')
    >>> read_budget("around US$45,000-90,000 depending on the region.", locator=loc).minimum
    Decimal('45000')
    """
    text = squash(text)
    money = find_money(text)
    if len(money) == 1:
        amount = money[0][0]
        # "Each regional training of 3-4 days"
        per = re.search(r"\b(?:[Ee]ach|[Pp]er)\s+([a-z][a-z ]*?[a-z])\s+(?:of|for|costs?)\b", text)
        return Budget(text, "estimated", amount.minimum, amount.maximum, amount.currency, "", locator,
                      per[1] if per else "")
    if len(money) > 1:
        raise SourceError(locator.path, locator.line, f"expected one amount or range in the budget, found {text!r}")
    if re.match(r"no additional funds", text, re.IGNORECASE):
        condition = re.search(r"\bprovided that\b.*", text)
        return Budget(text, "no-additional-funds", None, None, "", condition[0].rstrip(". ") if condition else "",
                      locator)
    if re.search(r"\b(?:shall|to) be determined\b", text, re.IGNORECASE):
        return Budget(text, "to-be-determined", None, None, "", "", locator)
    raise SourceError(locator.path, locator.line, f"{BUDGET_EXAMPLES}, found {text!r}")


def _actions(lines: list[tuple[int, str]], path: Path, reference: Reference) -> list[Provision]:
    """Read "Action requested": who is asked ("The Secretariat requests <addressee> to:"), then the lettered items."""
    if not lines:
        return []

    def locate(position: int, letter: str, line: int) -> Locator:
        return Locator(path, line, f"action-requested/{letter}", f"Action requested, item {letter}",
                       section="Action requested", paragraph=letter)

    return read_actions(lines[1:], path=path, reference=reference, locate=locate)
