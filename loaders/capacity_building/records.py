"""What a capacity-building work plan states, as plain records: every name already resolved to its key."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from meakg.loaders.citations import Cited
from meakg.loaders.records import Paragraph, Printed, Provision
from meakg.loaders.text import Locator


@dataclass(frozen=True)
class Heading:
    """A heading of the narrative part, with the objective printed under it."""

    title: str
    objective: str
    locator: Locator


@dataclass(frozen=True)
class Principle:
    letter: str
    text: str
    locator: Locator


@dataclass(frozen=True)
class Phase:
    position: int        # 1-based, in the order the paragraph names them
    name: str            # as printed: "Feedback and Monitoring/Evaluation (M&E) Phase"
    locator: Locator


@dataclass(frozen=True)
class Section:
    number: str
    title: str
    objective: str
    locator: Locator


@dataclass(frozen=True)
class Budget:
    text: str                        # as printed, whitespace normalised
    status: str                      # estimated | no-additional-funds | to-be-determined
    minimum: Decimal | None
    maximum: Decimal | None
    currency: str
    condition: str                   # "provided that the CMS CB Unit staff numbers retained", or ""
    locator: Locator
    per: str = ""                    # what one amount is for: "regional training" ("Each regional training of ...")


@dataclass(frozen=True)
class Activity:
    number: str                      # "1.3"
    section: str                     # "1"
    title: str
    responsibility: tuple[str, ...]  # as printed: ("CMS Sec.", "NFPs")
    agents: tuple[str, ...]          # their keys in the reference data: ("cms-secretariat", "nfps")
    methodology: str
    budget: Budget
    locator: Locator
    citations: tuple[Cited, ...]     # what the title and methodology cite


@dataclass(frozen=True)
class CapacityBuildingPlan:
    key: str
    title: str
    party: str                       # key of the secretariat in the reference data
    start: int
    end: int
    title_locator: Locator
    paragraphs: tuple[Paragraph, ...]
    headings: tuple[Heading, ...]
    principles: tuple[Principle, ...]
    phases: tuple[Phase, ...]
    sections: tuple[Section, ...]
    activities: tuple[Activity, ...]
    actions: tuple[Provision, ...]       # the actions requested, lettered
    budget_header: Printed | None = None  # "Budget Estimate", the column the budget statuses are read in
