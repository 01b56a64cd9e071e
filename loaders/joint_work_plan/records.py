"""What a joint work plan states, as plain records: every name already resolved to its key."""

from __future__ import annotations

from dataclasses import dataclass

from meakg.loaders.citations import Cited
from meakg.loaders.records import Paragraph
from meakg.loaders.schemes import TargetScheme
from meakg.loaders.text import Locator


@dataclass(frozen=True)
class Row:
    """One row of the table: the targets it aligns, as numbers of the plan's two schemes."""

    number: int                     # 1-based, in document order across page breaks
    source_targets: tuple[str, ...]  # first column, numbers as printed: Migratory Species Targets in the CBD-CMS plan
    aligned_targets: tuple[str, ...]  # second column: Aichi Targets in the CBD-CMS plan
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
class Footnote:
    """A footnote printed below the table ("¹ More detailed mapping ... can be found at: <URL>"), with what it cites."""

    number: int
    text: str
    locator: Locator
    citations: tuple[Cited, ...]


@dataclass(frozen=True)
class JointWorkPlan:
    key: str                        # the document's key; the plan's IRI slug
    title: str
    parties: tuple[str, ...]        # as printed in the title: ("CBD", "CMS")
    party_agents: tuple[str, ...]   # their secretariats' keys in the reference data: ("cbd-secretariat", ...)
    start: int
    end: int
    source_scheme: TargetScheme     # the scheme of the first column (header cell 1)
    aligned_scheme: TargetScheme    # the scheme of the second column (header cell 2)
    title_locator: Locator
    paragraphs: tuple[Paragraph, ...]   # the introduction before the table, unnumbered
    rows: tuple[Row, ...]
    activities: tuple[Activity, ...]
    footnotes: tuple[Footnote, ...] = ()
