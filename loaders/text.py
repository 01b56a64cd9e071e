"""Text handling shared by every loader: locators, lines, tab cells, money amounts.

A *locator* says where a reader checks a fact: the file and line, plus a readable reference
(paragraph, table/row/cell) that also becomes the tail of the locator's IRI.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from pathlib import Path

from meakg.ontology.errors import SourceError


@dataclass(frozen=True)
class Locator:
    """Where in a source document something is stated.

    >>> loc = Locator(Path("doc.txt"), 12, "annex-1/para-47", "Annex 1, paragraph 47", paragraph="47")
    >>> str(loc)
    'doc.txt:12'
    >>> loc.document
    'doc'
    """

    path: Path
    line: int                 # 1-based line in the vendored text file
    ref: str                  # readable and unique within the document, e.g. "table-1/aewa/conference-service"
    label: str                # for people, e.g. "Table 1, row AEWA, column Conference Service"
    section: str = ""         # e.g. "Annex 1"
    paragraph: str = ""       # as printed: "47", "(a)", "1.3"
    table: str = ""           # e.g. "Table 1"
    row: int = 0              # 1-based data row of the table
    column: int = 0           # 1-based data column of the table
    last_line: int = 0        # the last line of a place that runs over several (a table row whose cells wrap); 0: line

    @property
    def document(self) -> str:
        """The document's key: its file stem."""
        return self.path.stem

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


def numbered_lines(text: str) -> list[tuple[int, str]]:
    """Return (1-based line number, line without its newline) for every line of *text*."""
    return list(enumerate(text.splitlines(), start=1))


def squash(text: str) -> str:
    """Return *text* with runs of whitespace made single spaces and the ends stripped.

    >>> squash("  Tools,  such as\\tsurveys ")
    'Tools, such as surveys'
    """
    return re.sub(r"\s+", " ", text).strip()


@dataclass(frozen=True)
class Money:
    """An amount or a range of amounts in one currency (ISO 4217 code)."""

    minimum: Decimal
    maximum: Decimal
    currency: str


_CURRENCIES = {"US$": "USD", "USD": "USD", "€": "EUR", "EUR": "EUR"}
_MONEY = re.compile(
    r"(?P<cur>US\$|USD|€|EUR)\s*(?P<low>\d{1,3}(?:,\d{3})*(?:\.\d+)?)"
    r"(?:\s*[-–]\s*(?:US\$|€)?\s*(?P<high>\d{1,3}(?:,\d{3})*(?:\.\d+)?))?"
)


def find_money(text: str) -> list[tuple[Money, str]]:
    """Return every amount or range in *text*, with the matched text, in order.

    >>> find_money("around US$45,000-90,000 depending on the region")
    [(Money(minimum=Decimal('45000'), maximum=Decimal('90000'), currency='USD'), 'US$45,000-90,000')]
    >>> find_money("up to €140,000 per annum")[0][0].currency
    'EUR'
    """
    found = []
    for m in _MONEY.finditer(text):
        low = Decimal(m["low"].replace(",", ""))
        high = Decimal(m["high"].replace(",", "")) if m["high"] else low
        found.append((Money(low, high, _CURRENCIES[m["cur"]]), m.group(0)))
    return found


def tab_cells(line: str) -> list[str]:
    """Split a tab-separated table line into stripped cells.

    >>> tab_cells("Target 5\\tTarget 4 and Target 7\\t Under CMS Resolution 11.27 ...")
    ['Target 5', 'Target 4 and Target 7', 'Under CMS Resolution 11.27 ...']
    """
    return [cell.strip() for cell in line.split("\t")]


# ---------------------------------------------------------------- numbered paragraphs, headings, lists

_NUMBERED = re.compile(r"^\s*(\d{1,3}(?:\.\d{1,2})?)\.?(?:\s+|$)(.*)$")
_BULLET = re.compile(r"^\s*[·•▪]\s*")
_FOOTNOTE_TEXT = re.compile(r"\[(\d+):\s*(.*?)\s*\]")
_FOOTNOTE_REF = re.compile(r"\[footnoteRef:(\d+)\]")


class BlockKind(Enum):
    """What a block of running text is."""

    PARAGRAPH = "paragraph"   # numbered in sequence: "47. These are ..."
    HEADING = "heading"       # a short line without closing punctuation, possibly numbered ("3.1 Current Situation")
    TEXT = "text"             # an unnumbered line of prose outside any paragraph (preambular paragraphs, intros)
    STRAY = "stray"           # a number out of sequence, e.g. a figure caption's number left by PDF extraction


@dataclass(frozen=True)
class Block:
    """A paragraph, heading or line of running text, with the line it starts on."""

    kind: BlockKind
    number: str               # as printed ("47", "3.1"); "" if none
    text: str                 # whitespace squashed; continuation lines and bullets joined with a space
    line: int


def is_heading(text: str) -> bool:
    """Return whether a line reads as a heading: short, capitalised, no closing '.', ';' or ','.

    >>> is_heading("Advantages: "), is_heading("Scope of the analysis"), is_heading("Recalling also the decision ...;")
    (True, True, False)
    """
    text = squash(text)
    return bool(text) and len(text) <= 160 and text[0].isupper() and text[-1] not in ".;,"


def numbered_line(line: str) -> tuple[str, str] | None:
    """Return (number, rest) of a line starting with a number such as '47.' or '3.1', else None.

    >>> numbered_line("47.\\tThese are majority"), numbered_line("3.1\\tA Common Service"), numbered_line("Table 1")
    (('47', 'These are majority'), ('3.1', 'A Common Service'), None)
    """
    m = _NUMBERED.match(line)
    return (m[1], m[2].strip()) if m else None


def paragraph_blocks(lines: list[tuple[int, str]], *, path: Path, first: int = 1) -> list[Block]:
    """Split running text into numbered paragraphs, headings and loose text, in order.

    A paragraph runs on over unnumbered lines of prose, bullet lines and tab lines until a heading
    or the next numbered line. Paragraph numbers must follow each other from *first*: a smaller
    number is a stray (PDF extraction leaves figure numbers in the text), a larger one an error.

    >>> blocks = paragraph_blocks([(1, "Advantages:"), (2, "18.\\tThere are clear advantages."),
    ...     (3, "· pooled staff;"), (4, "5. This chart is based on a rating."), (5, "19. Balancing needs.")],
    ...     path=Path("d.txt"), first=18)
    >>> [(b.kind.value, b.number, b.text) for b in blocks]
    [('heading', '', 'Advantages:'), ('paragraph', '18', 'There are clear advantages. · pooled staff;'),
     ('stray', '5', 'This chart is based on a rating.'), ('paragraph', '19', 'Balancing needs.')]
    """
    blocks: list[Block] = []
    expected = first
    current: dict | None = None   # the open paragraph (or text block) collecting continuation lines

    def close() -> None:
        nonlocal current
        if current is not None:
            text = squash(" ".join(current["parts"]))
            blocks.append(Block(current["kind"], current["number"], text, current["line"]))
            current = None

    for number, line in lines:
        if not line.strip():
            continue
        numbered = numbered_line(line)
        if numbered and not line.startswith("\t"):
            printed, rest = numbered
            if is_heading(rest) and len(rest) <= 100 and rest[-1] != ":" and not rest.startswith("["):
                close()
                blocks.append(Block(BlockKind.HEADING, printed, squash(rest), number))
                continue
            if "." in printed or int(printed) < expected:
                close()
                blocks.append(Block(BlockKind.STRAY, printed, squash(rest), number))
                continue
            if int(printed) > expected:
                raise SourceError(path, number, f"expected paragraph {expected}, found paragraph {printed}")
            close()
            current = {"kind": BlockKind.PARAGRAPH, "number": printed, "parts": [rest], "line": number}
            expected += 1
            continue
        bullet = bool(_BULLET.match(line))
        if current is not None and (bullet or line.startswith("\t") or not is_heading(line)):
            current["parts"].append(squash(line))
            continue
        close()
        if is_heading(line) and not bullet:
            blocks.append(Block(BlockKind.HEADING, "", squash(line), number))
        else:
            current = {"kind": BlockKind.TEXT, "number": "", "parts": [squash(line)], "line": number}
            if not bullet:   # a loose line of prose stands alone; only bullets run on after it
                close()
    close()
    return blocks


def footnotes(text: str) -> dict[str, str]:
    """Return the footnotes printed inline in *text* ('[footnoteRef:3] [3: This figure is ...]'), by number.

    >>> footnotes("up to €140,000 per annum.[footnoteRef:3] [3:  This figure is the estimated cost ]")
    {'3': 'This figure is the estimated cost'}
    """
    return {m[1]: squash(m[2]) for m in _FOOTNOTE_TEXT.finditer(text)}


def without_footnotes(text: str) -> str:
    """Return *text* without inline footnote references and footnote texts.

    >>> without_footnotes("per annum.[footnoteRef:3]   [3:  This figure is the cost ] Next.")
    'per annum. Next.'
    """
    return squash(_FOOTNOTE_TEXT.sub(" ", _FOOTNOTE_REF.sub("", text)))


def sentences(text: str) -> list[str]:
    """Split *text* into sentences (at '.', '?' or '!' followed by a space and a capital or a quote).

    >>> sentences("CMS pays 12.5% and IOSEA 87.5%. The rest. e.g. not here")
    ['CMS pays 12.5% and IOSEA 87.5%.', 'The rest. e.g. not here']
    """
    return [s.strip() for s in re.split(r"(?<=[.?!])\s+(?=[A-Z“\"(])", text) if s.strip()]


_ITEM = r"(?:the\s+)?[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*"
_NAME_LIST = re.compile(rf"{_ITEM}(?:\s*,\s*{_ITEM})*\s*,?\s+and\s+{_ITEM}")


def name_lists(text: str) -> list[list[str]]:
    """Return the enumerations of capitalised names in *text* ('A, B, and the C'), each as its items.

    >>> name_lists("these agreements include ACAP, the Wadden Sea Seals, and ACCOBAMS. Given that")
    [['ACAP', 'the Wadden Sea Seals', 'ACCOBAMS']]
    """
    found = []
    for m in _NAME_LIST.finditer(text):
        items = re.split(r"\s*,\s*(?:and\s+)?|\s+and\s+", m.group(0))
        found.append([item.strip() for item in items if item.strip()])
    return found


def split_list(text: str) -> list[str]:
    """Split a printed list ('an overall coordinator, an IT and information officer, and a media officer') into items.

    Items are separated by commas; 'and' joins items only after the last comma (so 'editor and writer' stays one).

    >>> split_list("an overall coordinator, an IT and information officer, an editor and writer, "
    ...            "and a media relations specialist")
    ['overall coordinator', 'IT and information officer', 'editor and writer', 'media relations specialist']
    >>> split_list("Communication, Information Management and Outreach")
    ['Communication', 'Information Management', 'Outreach']
    """
    parts = [p.strip() for p in text.split(",") if p.strip()]
    if len(parts) > 1 and not parts[-1].startswith("and ") and " and " in parts[-1]:
        parts[-1:] = parts[-1].split(" and ", 1)
    return [re.sub(r"^(?:and\s+)?(?:an?\s+|the\s+)?", "", p).strip() for p in parts]


# ---------------------------------------------------------------- the text as read

_BLANK_RUNS = re.compile(r"\n{3,}")
_TRAILING = re.compile(r"[ \t\u00a0]+$", re.MULTILINE)


def normalise(text: str) -> str:
    """Return *text* as meakg reads it: no byte-order mark, LF line ends, no trailing spaces or
    tabs, no run of blank lines longer than one, and one final newline. Line numbers and character
    offsets (the W3C text selectors of every locator) count this text, so a copy of a document that
    differs only in these gives the same graph. The vendored sources are stored normalised.

    >>> normalise("\\ufeffTitle  \\r\\n\\r\\n\\r\\n1.\\tText\\t\\r\\n")
    'Title\\n\\n1.\\tText\\n'
    """
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    text = _BLANK_RUNS.sub("\n\n", _TRAILING.sub("", text))
    return text.strip("\n") + "\n" if text.strip() else ""
