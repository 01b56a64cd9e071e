"""Read a joint work plan: title, introductory paragraphs, and the table of target pairs and activities.

The table is tab-separated: ``<scheme> targets <tab> <scheme> targets <tab> activity``; the two
header cells name the schemes (``Migratory Species Targets<TAB>Aichi Targets<TAB>Activity``), looked
up in the reference data. A row whose first two cells are empty continues the targets above; the
header may repeat after a page break; an activity ending in "(same as above)" is the earlier
activity with that text, now serving one more row, not a new one.
"""

from __future__ import annotations

import re
from pathlib import Path

from meakg.loaders.citations import Cited, find_citations
from meakg.loaders.joint_work_plan.records import Activity, Footnote, JointWorkPlan, Row
from meakg.loaders.records import Paragraph
from meakg.loaders.reference import Reference
from meakg.loaders.schemes import TargetScheme
from meakg.loaders.text import Locator, numbered_lines, squash, tab_cells
from meakg.ontology.errors import SourceError

TITLE = re.compile(r"for the (\w+) and (\w+) Secretariats for the period (\d{4})\s*-\s*(\d{4})")
ACTIVITY_HEADER = re.compile(r"^Activit(?:y|ies)$")
# "Target 4", "Target 4 and Target 7"; SPMS 2024-2032 numbers its targets by goal: "Target 1.2"
TARGETS = re.compile(r"^Target \d+(?:\.\d+)?(?:\s*(?:,|and|, and)\s*Target \d+(?:\.\d+)?)*$")
SAME_AS_ABOVE = re.compile(r"\s*\(same as above\)\.?\s*$", re.IGNORECASE)
FOOTNOTE_MARK = re.compile(r"(?<=[A-Za-z])\d+$")     # "Aichi Targets1": a footnote's number after the header
FOOTNOTE = re.compile(r"^([¹²³⁴⁵⁶⁷⁸⁹])\s*(.+)$")       # "¹ More detailed mapping ... can be found at: http://..."
SUPERSCRIPTS = "¹²³⁴⁵⁶⁷⁸⁹"
# a CMS resolution named by its file on cms.int: ".../Res 11 02 Strategic Plan for MS 2015 2023 E 0.pdf"
RESOLUTION_FILE = re.compile(r"cms\.int/\S.*?\bRes[ _.]?(\d{1,2})[ _.]0?(\d{1,2})\b")


def parse(text: str, *, path: Path, reference: Reference) -> JointWorkPlan:
    """Return the plan, its rows and its activities in document order.

    >>> from meakg.loaders.reference import load_reference
    >>> plan = parse("Joint Work Plan for the CBD and CMS Secretariats for the period 2016-2018\\n"
    ...              "Migratory Species Targets\\tAichi Targets\\tActivity\\n"
    ...              "Target 5\\tTarget 4 and Target 7\\t Cooperate on energy.\\n", path=Path("jwp.txt"),
    ...              reference=load_reference())
    >>> plan.rows[0].aligned_targets, plan.activities[0].text, plan.aligned_scheme.prefix
    (('4', '7'), 'Cooperate on energy.', 'aichi')
    """
    lines = numbered_lines(text)
    if not lines:
        raise SourceError(path, 1, "expected a title line 'Joint Work Plan for the X and Y Secretariats for the period "
                                   "YYYY-YYYY', found an empty file")
    title_no, title = lines[0]
    match = TITLE.search(title)
    if not match:
        raise SourceError(path, title_no, "expected a title naming 'the X and Y Secretariats' and 'the period "
                                          f"YYYY-YYYY', found {title!r}")
    agents = tuple(reference.agent(f"{party} Secretariat", path=path, line=title_no).key for party in match.group(1, 2))
    table = _Table(path, reference)
    for number, line in lines[1:]:
        table.read(number, line)
    if not table.rows:
        raise SourceError(path, len(lines), "expected a table headed '<scheme> Targets<TAB><scheme> Targets<TAB>"
                                            "Activity' (such as 'Migratory Species Targets<TAB>Aichi Targets<TAB>"
                                            "Activity'), found none")
    return JointWorkPlan(
        key=path.stem, title=squash(title), parties=match.group(1, 2), party_agents=agents, start=int(match[3]),
        end=int(match[4]), source_scheme=table.schemes[0][1], aligned_scheme=table.schemes[1][1],
        title_locator=Locator(path, title_no, "title", "Title"), paragraphs=tuple(table.paragraphs),
        rows=tuple(table.rows), activities=table.finished_activities(), footnotes=tuple(table.footnotes))


class _Table:
    """What has been read so far: the prose before the table, the header's schemes, the rows and their
    activities, the footnotes after it. ``read`` takes one line at a time, in document order."""

    def __init__(self, path: Path, reference: Reference) -> None:
        self.path, self.reference = path, reference
        self.paragraphs: list[Paragraph] = []
        self.footnotes: list[Footnote] = []
        self.rows: list[Row] = []
        self.activities: dict[str, dict] = {}   # normalised text -> activity fields, in document order
        self.schemes: tuple[tuple[str, TargetScheme], ...] = ()   # (header cell as printed, scheme) per target column
        self.in_table = False
        self.position = 0                         # of the last activity within its row

    def read(self, number: int, line: str) -> None:
        header = _header(line, path=self.path, line_no=number, reference=self.reference)
        if header:
            if self.schemes and [s for _, s in header] != [s for _, s in self.schemes]:
                (was, _), (then, _) = self.schemes
                raise SourceError(self.path, number, f"expected the header repeated as {was!r}, {then!r}, "
                                                     f"found {header[0][0]!r}, {header[1][0]!r}")
            self.schemes, self.in_table = header, True
        elif not line.strip():
            return
        elif not self.in_table or "\t" not in line:
            self._prose(number, line)
        else:
            self._row(number, line)

    def _prose(self, number: int, line: str) -> None:
        """A line outside the table: an introductory paragraph before it, a footnote after it."""
        if self.in_table and not self.rows:
            raise SourceError(self.path, number, f"expected a table row with 3 tab-separated cells, found {line!r}")
        self.in_table = False
        note = FOOTNOTE.match(line.strip())
        if note:
            n = SUPERSCRIPTS.index(note[1]) + 1
            loc = Locator(self.path, number, f"footnote-{n}", f"Footnote {n}")
            cited = tuple(find_citations(note[2])) + _resolution_files(note[2])
            self.footnotes.append(Footnote(n, squash(note[2]), loc, cited))
        elif not self.rows:
            n = len(self.paragraphs) + 1
            loc = Locator(self.path, number, f"para-{n}", f"Introduction, paragraph {n}", paragraph=str(n))
            self.paragraphs.append(Paragraph.read("", squash(line), loc))

    def _row(self, number: int, line: str) -> None:
        """A table line: its targets start a new row (or continue the row above), then its activity."""
        (first, first_scheme), (second, second_scheme) = self.schemes
        cells = tab_cells(line)
        if len(cells) != 3:
            raise SourceError(self.path, number, f"expected 3 tab-separated cells ({first}, {second}, activity), "
                                                 f"found {len(cells)}")
        source_cell, aligned_cell, activity_text = cells
        if source_cell or aligned_cell:
            if not (source_cell and aligned_cell):
                raise SourceError(self.path, number, f"expected targets in both the {first} and the {second} column, "
                                                     f"found {source_cell!r} and {aligned_cell!r}")
            row_no = len(self.rows) + 1
            loc = Locator(self.path, number, f"row-{row_no}", f"Table, row {row_no} ({source_cell} / {aligned_cell})",
                          table="Table", row=row_no)
            self.rows.append(Row(row_no, _targets(source_cell, first, first_scheme, self.path, number),
                                 _targets(aligned_cell, second, second_scheme, self.path, number), loc))
            self.position = 0
        elif not self.rows:
            raise SourceError(self.path, number, "expected a first row naming its targets, found a continuation row "
                                                 "with empty target cells")
        if not activity_text:
            raise SourceError(self.path, number, "expected an activity in the third cell, found an empty cell")
        self._activity(number, activity_text)

    def _activity(self, number: int, printed: str) -> None:
        """An activity of the last row; one ending '(same as above)' is an earlier one listed again."""
        row = self.rows[-1]
        self.position += 1
        clean = SAME_AS_ABOVE.sub("", printed).strip()
        clean_key = squash(clean).rstrip(".").lower()
        locator = Locator(self.path, number, f"row-{row.number}/activity-{self.position}",
                          f"Table, row {row.number}, activity {self.position}", table="Table", row=row.number)
        if SAME_AS_ABOVE.search(printed):
            earlier = self.activities.get(clean_key)
            if earlier is None:
                raise SourceError(self.path, number, f"expected an earlier activity with the text repeated '(same as "
                                                     f"above)', found none for {clean[:60]!r}")
            earlier["rows"].append(row)
            earlier["locators"].append(locator)
            return
        key = clean_key if clean_key not in self.activities else f"{clean_key}#{row.number}.{self.position}"
        self.activities[key] = {"row": row.number, "position": self.position, "text": squash(clean), "rows": [row],
                                "locators": [locator], "citations": tuple(find_citations(clean))}

    def finished_activities(self) -> tuple[Activity, ...]:
        return tuple(Activity(a["row"], a["position"], a["text"], tuple(a["rows"]), tuple(a["locators"]),
                              a["citations"]) for a in self.activities.values())


def _resolution_files(text: str) -> tuple[Cited, ...]:
    """Return the CMS resolutions a footnote names by their file on cms.int ('Res 11 02 Strategic Plan ...pdf').

    >>> [c.label for c in _resolution_files("www.cms.int/sites/default/files/document/Res 11 02 Strategic Plan.pdf")]
    ['CMS Resolution 11.2']
    """
    return tuple(Cited("decision", f"cms-resolution-{m[1]}.{m[2]}", f"CMS Resolution {m[1]}.{m[2]}", "CMS", m.group(0))
                 for m in RESOLUTION_FILE.finditer(text))


def _header(line: str, *, path: Path, line_no: int, reference: Reference) -> tuple[tuple[str, TargetScheme], ...]:
    """Return the two (header cell, scheme) pairs of a header line ('X Targets<TAB>Y Targets<TAB>Activity'), or ()."""
    cells = tab_cells(line)
    if len(cells) != 3 or not ACTIVITY_HEADER.match(cells[2]) or not (cells[0] and cells[1]):
        return ()
    printed = [FOOTNOTE_MARK.sub("", cell) for cell in cells[:2]]
    return tuple((cell, reference.target_scheme(cell, path=path, line=line_no)) for cell in printed)


def _targets(cell: str, printed: str, scheme: TargetScheme, path: Path, line: int) -> tuple[str, ...]:
    """Return the target numbers a cell prints ('Target 4 and Target 7' -> ('4', '7')), each one of *scheme*'s."""
    if not TARGETS.match(cell):
        raise SourceError(path, line, f"expected {printed} like 'Target 4' or 'Target 4 and Target 7', found {cell!r}")
    numbers = tuple(re.findall(r"\d+(?:\.\d+)?", cell))
    for number in numbers:
        if number not in scheme.numbers:
            raise SourceError(path, line, f"expected {printed} numbered {scheme.numbering}, found 'Target {number}'")
    return numbers
