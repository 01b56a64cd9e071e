"""Facts stated in passing in an analysis's paragraphs: how many instruments of each kind the family
comprises ("seven different Agreements and nineteen MOUs"), and what instruments already share
("common administration for AEWA, CMS and EUROBATS")."""

from __future__ import annotations

import re
from pathlib import Path

from meakg.loaders.reference import Reference
from meakg.loaders.services_analysis.records import Paragraph, SharedArrangement, StatedCount
from meakg.ontology.vocab import slug

NUMBERS = {w: n for n, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve thirteen "
                                      "fourteen fifteen sixteen seventeen eighteen nineteen twenty".split())}
_KINDS = {"agreements": "Agreement", "mous": "MOU", "conventions": "Convention"}
_COUNT = re.compile(rf"\b(\d{{1,3}}|{'|'.join(NUMBERS)})\s+(?:different\s+)?(Agreements|MOUs|Conventions)\b",
                    re.IGNORECASE)
_SHARED = re.compile(r"\b(common [a-z]+) for ((?:[A-Z][\w-]*)(?:,\s*[A-Z][\w-]*)*,?\s+and\s+[A-Z][\w-]*)")


def parse_counts(paragraphs: list[Paragraph]) -> list[StatedCount]:
    """Return the numbers of Agreements, MOUs or Conventions a paragraph says the family comprises.

    >>> from meakg.loaders.text import Locator
    >>> loc = Locator(Path("d.txt"), 3, "annex-1/para-2", "Annex 1, paragraph 2")
    >>> [(c.kind, c.count, c.printed) for c in parse_counts([Paragraph("2",
    ...     "the CMS Family now comprises seven different Agreements and nineteen MOUs - each", loc, ())])]
    [('Agreement', 7, 'seven different Agreements'), ('MOU', 19, 'nineteen MOUs')]
    """
    found = []
    for paragraph in paragraphs:
        if not re.search(r"\bcomprises?\b", paragraph.text):
            continue
        for m in _COUNT.finditer(paragraph.text):
            number = m[1].lower()
            count = int(number) if number.isdigit() else NUMBERS[number]
            found.append(StatedCount(_KINDS[m[2].lower()], count, m.group(0), paragraph.locator))
    return found


def parse_arrangements(paragraphs: list[Paragraph], *, path: Path, reference: Reference) -> list[SharedArrangement]:
    """Return what a paragraph says instruments already share ("common administration for AEWA, CMS and EUROBATS").

    >>> from meakg.loaders.reference import load_reference
    >>> from meakg.loaders.text import Locator
    >>> loc = Locator(Path("d.txt"), 9, "annex-to-annex-2/para-23", "Annex to Annex 2, paragraph 23")
    >>> [(a.key, a.instruments) for a in parse_arrangements([Paragraph("23",
    ...     "(e.g. website management, common administration for AEWA, CMS and EUROBATS)", loc, ())],
    ...     path=Path("d.txt"), reference=load_reference())]
    [('common-administration', ('aewa', 'cms', 'eurobats'))]
    """
    found = []
    for paragraph in paragraphs:
        for m in _SHARED.finditer(paragraph.text):
            names = [n for n in re.split(r",?\s+and\s+|,\s*", m[2]) if n]
            keys = tuple(reference.instrument(n, path=path, line=paragraph.locator.line).key for n in names)
            found.append(SharedArrangement(slug(m[1]), m[1], keys, paragraph.locator))
    return found
