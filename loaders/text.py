"""Text handling shared by every loader: locators, lines, tab cells, money amounts.

A *locator* says where a reader checks a fact: the file and line, plus a readable reference
(paragraph, table/row/cell) that also becomes the tail of the locator's IRI.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from graph.errors import SourceError


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


def parse_money(text: str, *, path: Path, line: int) -> Money:
    """Return the single amount or range in *text*, or fail naming the line.

    >>> parse_money("US$  70,000-120,000", path=Path("p.txt"), line=1).maximum
    Decimal('120000')
    """
    found = find_money(text)
    if len(found) != 1:
        raise SourceError(path, line, f"expected one budget like 'US$45,000-90,000', found {text!r}")
    return found[0][0]


def tab_cells(line: str) -> list[str]:
    """Split a tab-separated table line into stripped cells.

    >>> tab_cells("Target 5\\tTarget 4 and Target 7\\t Under CMS Resolution 11.27 ...")
    ['Target 5', 'Target 4 and Target 7', 'Under CMS Resolution 11.27 ...']
    """
    return [cell.strip() for cell in line.split("\t")]
