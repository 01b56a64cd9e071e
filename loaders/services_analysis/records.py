"""What a secretariat common-services analysis states, as plain records: every name already resolved to its key."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from meakg.loaders.records import Paragraph, Post, Printed, Provision
from meakg.loaders.text import Locator, squash
from meakg.ontology.vocab import slug


def key_of(text: str) -> str:
    """Return the IRI slug for a heading or label, without any parenthesised detail.

    >>> key_of("Administrative services (finance, personnel, procurement, travel etc.)")
    'administrative-services'
    """
    return slug(re.sub(r"\([^)]*\)", " ", text).rstrip(": "))


@dataclass(frozen=True)
class Function:
    """A column of a table: a secretariat function or implementation-support activity."""

    scheme: str               # "secretariat-functions" or "implementation-support-activities"
    column: int               # 1-based among the function columns
    label: str                # the header as printed, whitespace normalised
    locator: Locator

    @property
    def key(self) -> str:
        return key_of(self.label)

    @property
    def short(self) -> str:
        return squash(re.sub(r"\([^)]*\)", " ", self.label))


@dataclass(frozen=True)
class Cell:
    """One cell: how an instrument provides one function."""

    table: int
    instrument: str           # instrument key (IRI slug)
    function: Function
    value: str                # as printed
    status: str               # key of a function-status concept: "yes", "interim-shared", "to-be-coordinated-by-grasp"
    status_label: str
    note: str                 # printed text after the status ("CMS AEWA unit"); "" if none
    # acronyms of the organisations the cell names ("GRASP"; ("CMS", "AEWA") for a joint unit)
    provided_by: tuple[str, ...]
    provider: str                  # the agent key they resolve to (the pilot unit for a joint unit); "" if none
    locator: Locator


@dataclass(frozen=True)
class Table:
    number: int
    caption: str
    scheme: str
    scheme_label: str
    functions: tuple[Function, ...]
    cells: tuple[Cell, ...]
    caption_locator: Locator | None = None   # "Table 1: Examples Types of Secretariat Functions ...", over its lines


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
    head: Post | None         # the Executive Secretary of AEWA
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
    saving: bool = False          # a saving the sentence reports ("saved US$564,851 in staff costs"), not a cost


@dataclass(frozen=True)
class StatedCount:
    """A number of instruments of one kind the text states ("seven different Agreements")."""

    kind: str                     # the instrument class: Agreement | MOU | Convention
    count: int
    printed: str
    locator: Locator


@dataclass(frozen=True)
class SharedArrangement:
    """Something instruments already share, as the text names it
    ("common administration for AEWA, CMS and EUROBATS")."""

    key: str                      # slug of what is shared: "common-administration"
    label: str                    # as printed
    instruments: tuple[str, ...]  # instrument keys
    locator: Locator


@dataclass(frozen=True)
class PilotUnit:
    key: str
    name: str                     # from the report title: "Common Communication and Outreach Unit"
    short: str                    # "Communications Unit"
    parents: tuple[str, ...]      # ("CMS", "AEWA")
    parent_agents: tuple[str, ...]  # their secretariats' keys: ("cms-secretariat", "aewa-secretariat")
    focus: str
    founded: str                  # "2014-01"
    location: str
    roles: tuple[str, ...]
    report_title: str
    report_date: str              # "2014-06"
    locators: tuple[Locator, ...]
    symbol: str = ""              # the document's symbol, for the report's identifier
    focus_locator: Locator | None = None     # the paragraph naming what the unit covers ("covering X (hereafter ...")
    founded_locators: tuple[Locator, ...] = ()   # the paragraphs stating when it started, in either annex
    functions: tuple[tuple[str, str], ...] = ()  # (scheme, function key) of the table columns its focus names
    areas: tuple[tuple[str, Locator], ...] = ()  # (service area key, paragraph) where Annex 1 says the pilot runs it
    roles_locator: Locator | None = None     # the paragraph listing the staff roles ("form the unit with ...")


@dataclass(frozen=True)
class Resolution:
    title: str
    body: str                 # issuing body as printed: "The Conference of the Parties to the Convention ..."
    issuer: str               # instrument key
    identifier: str
    preamble: tuple[Paragraph, ...]
    operative: tuple[Provision, ...]
    locator: Locator


@dataclass(frozen=True)
class Category:
    """A category of the typology of instruments, with its members and what its paragraph states of them."""

    label: str                # the heading as printed, without a closing colon
    number: str               # the paragraph's number
    members: tuple[str, ...]  # instrument keys, in order of mention
    administered_by: str      # key of the agent the heading or paragraph says administers them; "" if not stated
    seat: str                 # "Bonn" if the paragraph says the members are co-located there
    depositary: tuple[tuple[str, str], ...]   # (instrument key, agent key)
    notes: tuple[tuple[str, str], ...]        # (instrument key, sentence about where it is located)
    locator: Locator
    heading: Locator | None = None            # the heading printing the category's label


@dataclass(frozen=True)
class ServiceArea:
    """A numbered area of 'What services could be shared?' and the paragraphs under its sub-headings."""

    number: str
    label: str
    locator: Locator
    advantages: tuple[Locator, ...]
    disadvantages: tuple[Locator, ...]
    implications: tuple[Locator, ...]
    paragraphs: tuple[Paragraph, ...] = ()   # the paragraphs right under its heading, before Advantages


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
    actions: tuple[Provision, ...]          # requested of the body the cover note names, with its agent key
    counts: tuple[StatedCount, ...] = ()
    arrangements: tuple[SharedArrangement, ...] = ()
    typology_heading: Printed | None = None  # "Where are Synergies Most Likely Possible in a Typology of ...?"
    areas_heading: Printed | None = None     # "What services could be shared?", over the numbered service areas

    def paragraph(self, ref: str) -> Paragraph:
        """Return the paragraph whose locator ref is *ref* ('annex-1/para-47')."""
        return next(p for p in self.paragraphs if p.locator.ref == ref)
