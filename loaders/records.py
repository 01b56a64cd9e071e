"""Records every kind of document shares: a paragraph with what it cites, words printed over what they
name (a heading, a column header), a post named by office and instrument, and a provision (an operative
paragraph of a resolution or an action requested of a body).

A kind's own ``records.py`` holds what only its documents state; these are the parts all of them print
alike, so one definition serves every loader (and ``loaders.provisions`` reads and maps provisions once).
"""

from __future__ import annotations

from dataclasses import dataclass

from meakg.loaders.citations import Cited, find_citations
from meakg.loaders.text import Locator


@dataclass(frozen=True)
class Paragraph:
    """A paragraph (numbered, or not: an introduction, a preambular paragraph), where it is, what it cites."""

    number: str               # as printed: "47", "12"; "" if unnumbered
    text: str                 # whitespace squashed, continuation and bullet lines included
    locator: Locator
    citations: tuple[Cited, ...]

    @classmethod
    def read(cls, number: str, text: str, locator: Locator) -> Paragraph:
        """Return the paragraph with what its text cites.

        >>> from pathlib import Path
        >>> p = Paragraph.read("3", "As CMS Resolution 10.9 asks.", Locator(Path("d.txt"), 5, "para-3", "paragraph 3"))
        >>> [c.label for c in p.citations]
        ['CMS Resolution 10.9']
        """
        return cls(number, text, locator, tuple(find_citations(text)))


@dataclass(frozen=True)
class Printed:
    """Words printed over what they name: a heading over a list, a column header over its cells. A code list
    the loaders read (a typology, the statuses of a budget column) is cited by the words that introduce it."""

    text: str                 # as printed, whitespace squashed: "Budget Estimate"
    locator: Locator


@dataclass(frozen=True)
class Post:
    """A post named by office and instrument: the Executive Secretary of AEWA."""

    office: str               # "Executive Secretary"
    acronym: str              # "AEWA"
    secretariat: str          # key of the instrument's secretariat: "aewa-secretariat"
    locator: Locator


@dataclass(frozen=True)
class Provision:
    """An operative paragraph or a requested action, split into verb, addressee and request.

    One convention for every kind: the node's label is the provision's text as printed, and what the
    text cites is cited by its locator (as for every paragraph), see ``loaders.provisions``.
    """

    number: str               # by position ("2") or letter ("a"), even when printed otherwise
    printed: str              # the number as printed ("1." printed twice in the cover note)
    verb: str                 # "Requests", "Review and adopt"
    addressee: str            # as printed ("the Executive Secretary of CMS"); "" when the verb takes none
    request: str              # what is asked, without the list's closing punctuation: "to develop a plan"
    text: str
    locator: Locator
    citations: tuple[Cited, ...]
    condition: str = ""       # "in the event of AEWA agreeing to ..."; "" if none
    addressee_agent: str = ""  # key of the agent the addressee is (the body the actions are requested of); "" if none
    posts: tuple[Post, ...] = ()      # posts the addressee names ("the Executive Secretary of CMS")
    meetings: tuple[str, ...] = ()    # keys of meetings the addressee names ("AEWA MOP6")
