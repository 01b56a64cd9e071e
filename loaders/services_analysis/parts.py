"""The parts of a secretariat common-services analysis and their numbered paragraphs.

Such a document (UNEP/CMS/COP11/Doc.16.2 is one) is a cover note, then Annex 1 (the analysis,
opening with the document symbol on a line of its own), Annex 2 (a pilot report), an "Annex to
Annex 2" and Annex 3 (a draft resolution). Annex 1 holds regions that are not running text: a
boxed decision, tables (one cell per tab-prefixed line, rows separated by blank lines) and
figures; they are cut out before the paragraphs are split, so that their lines neither end nor
extend a paragraph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from meakg.loaders.reference import Named, Reference
from meakg.loaders.text import Block, BlockKind, Locator, is_heading, numbered_line, paragraph_blocks, squash
from meakg.ontology.errors import SourceError

_SYMBOL = re.compile(r"^\s*(UNEP/[A-Z0-9]+(?:/[A-Za-z0-9.]+)+)\s*$")
_ANNEX = re.compile(r"^\s*Annex\s+(\d+)\s*$")
_ANNEX_TO = re.compile(r"^\s*Annex to Annex\s+(\d+)\s*$")
_BOX = re.compile(r"^\s*Decision of the\b.*\bCommittee\b")
_TABLE = re.compile(r"^\s*Table\s+(\d+)\b:?\s*(.*)$")
_FIGURE = re.compile(r"^\s*Figure\s+(\d+)\b\s*(.*)$")
_LETTERED = re.compile(r"^\s*([a-z])\.\s+(.*)$")

Lines = list[tuple[int, str]]


@dataclass(frozen=True)
class Part:
    """A part of the document: its key, label, lines, and the blocks of its running text."""

    key: str
    label: str
    lines: Lines
    blocks: tuple[Block, ...] = ()

    def paragraph(self, number: str, *, path: Path) -> Block:
        """Return the paragraph numbered *number*, or fail naming the part."""
        for block in self.blocks:
            if block.kind is BlockKind.PARAGRAPH and block.number == number:
                return block
        line = self.lines[0][0] if self.lines else 1
        raise SourceError(path, line, f"expected paragraph {number} in {self.label}, found none")


@dataclass(frozen=True)
class Region:
    """A boxed decision, table or figure cut out of Annex 1's running text."""

    kind: str                 # "box", "table", "figure"
    number: int               # table or figure number; 0 for a box
    caption: str
    lines: Lines              # the region's lines after its caption
    caption_lines: tuple[int, int] = (0, 0)   # the first and last line its caption is printed on


def split_parts(text_lines: Lines, *, path: Path) -> tuple[str, list[Part]]:
    """Return the document symbol and the parts in order (cover note, Annex 1, Annex 2, ...)."""
    starts: list[tuple[int, str, str]] = [(0, "cover-note", "Cover note")]
    symbol = ""
    for index, (_, line) in enumerate(text_lines):
        if not symbol and (m := _SYMBOL.match(line)):
            symbol = m[1]
            starts.append((index, "annex-1", "Annex 1"))
        elif m := _ANNEX_TO.match(line):
            starts.append((index, f"annex-to-annex-{m[1]}", f"Annex to Annex {m[1]}"))
        elif (m := _ANNEX.match(line)) and symbol:
            starts.append((index, f"annex-{m[1]}", f"Annex {m[1]}"))
    if not symbol:
        raise SourceError(path, len(text_lines) or 1, "expected the document symbol on a line of its own (e.g. "
                          "'UNEP/CMS/COP11/Doc.16.2') opening Annex 1, found none")
    keys = [key for _, key, _ in starts]
    if len(set(keys)) != len(keys):
        twice = next(k for k in keys if keys.count(k) > 1)
        second = [s for s, k, _ in starts if k == twice][1]
        raise SourceError(path, text_lines[second][0], f"expected one {twice}, found two")
    parts = []
    for (start, key, label), end in zip(starts, [s for s, _, _ in starts[1:]] + [len(text_lines)], strict=True):
        body = text_lines[start + (key != "cover-note"):end]
        parts.append(Part(key, label, body))
    return symbol, parts


def cut_regions(lines: Lines) -> tuple[list[Lines], list[Region]]:
    """Return Annex 1's running text (as segments between regions) and its boxes, tables and figures."""
    segments: list[Lines] = [[]]
    regions: list[Region] = []
    i = 0
    while i < len(lines):
        number, line = lines[i]
        if _BOX.match(line):
            end = _box_end(lines, i + 1)
            regions.append(Region("box", 0, squash(line), lines[i + 1:end]))
        elif m := _TABLE.match(line):
            caption, end = [squash(m[2])], i + 1
            while end < len(lines) and lines[end][1].strip() and not lines[end][1].startswith("\t") \
                    and not numbered_line(lines[end][1]):
                caption.append(squash(lines[end][1]))
                end += 1
            body = end
            while end < len(lines) and (not lines[end][1].strip() or lines[end][1].startswith("\t")):
                end += 1
            regions.append(Region("table", int(m[1]), " ".join(caption), lines[body:end], (number, lines[body - 1][0])))
        elif m := _FIGURE.match(line):
            end = _figure_end(lines, i + 1)
            regions.append(Region("figure", int(m[1]), squash(m[2]), lines[i + 1:end]))
        else:
            segments[-1].append((number, line))
            i += 1
            continue
        segments.append([])
        i = end
    return [s for s in segments if s], regions


def _box_end(lines: Lines, start: int) -> int:
    # a box ends at the first plain heading after its first numbered item ("Scope of the analysis")
    seen_item = False
    for j in range(start, len(lines)):
        line = lines[j][1]
        if numbered_line(line):
            seen_item = True
        elif seen_item and is_heading(line) and not _LETTERED.match(line) and not line.rstrip().endswith(":"):
            return j
    return len(lines)


def _figure_end(lines: Lines, start: int) -> int:
    # a figure runs to the next numbered line, or to the heading just before a numbered line
    for j in range(start, len(lines)):
        if numbered_line(lines[j][1]):
            return j
        following = next((line for _, line in lines[j + 1:] if line.strip()), "")
        if is_heading(lines[j][1]) and not lines[j][1].lstrip().startswith("-") and numbered_line(following):
            return j
    return len(lines)


def split_blocks(segments: list[Lines], *, path: Path) -> tuple[Block, ...]:
    """Return the blocks of running text split into segments, numbering paragraphs across the segments."""
    blocks: list[Block] = []
    for segment in segments:
        numbers = [int(b.number) for b in blocks if b.kind is BlockKind.PARAGRAPH]
        blocks += paragraph_blocks(segment, path=path, first=(numbers[-1] + 1) if numbers else 1)
    return tuple(blocks)


def paragraph_locator(path: Path, part: Part, block: Block, *, ref: str = "", label: str = "") -> Locator:
    """Return the locator of a paragraph block of *part*: 'annex-1/para-47', 'Annex 1, paragraph 47'."""
    return Locator(path, block.line, ref or f"{part.key}/para-{block.number}",
                   label or f"{part.label}, paragraph {block.number}", section=part.label, paragraph=block.number)


# ---------------------------------------------------------------- instrument names in running text

def mentions(text: str, reference: Reference, *, path: Path, line: int) -> list[Named]:
    """Return the instruments *text* names (acronyms, short names, aliases), in order, each once.

    >>> from meakg.loaders.reference import load_reference
    >>> [n.acronym for n in mentions("the CMS Family: CMS (including MOUs), AEWA and Flamingos", load_reference(),
    ...                              path=Path("d"), line=1)]
    ['CMS', 'AEWA', 'High Andean Flamingo']
    """
    found: dict[str, Named] = {}
    for m in reference.instrument_names.finditer(text):
        named = reference.instrument(m.group(0), path=path, line=line)
        found.setdefault(named.key, named)
    return list(found.values())
