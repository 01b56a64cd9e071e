"""Decision, resolution, meeting and document symbols cited in running text.

Every loader finds citations the same way, so "CMS Resolution 10.9", "Resolution 10.9 of the
CMS Conference of the Parties" and "UNEP/CMS/Res.10.9" become one key and one node.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
_AGREEMENTS = ("AEWA", "EUROBATS", "ASCOBANS", "ACCOBAMS", "ACAP")


@dataclass(frozen=True)
class Cited:
    """A decision, resolution, meeting or document that a text cites."""

    kind: str      # "decision" (resolutions too), "meeting" or "document"
    key: str       # the IRI slug, e.g. "cms-resolution-10.9", "cbd-decision-xii-2", "cbd-cop-13"
    label: str     # normalised for people, e.g. "CMS Resolution 10.9", "CBD decision XII/2"
    issuer: str    # acronym of the convention or agreement whose body adopted or held it; "" if unknown
    printed: str   # the text as printed


def roman(number: int) -> str:
    """Return *number* in Roman numerals (CBD numbers its COP meetings so: 12 -> 'XII').

    >>> roman(12), roman(9), roman(14)
    ('XII', 'IX', 'XIV')
    """
    out = ""
    for value, digits in ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while number >= value:
            out, number = out + digits, number - value
    return out


def _ordinal(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def _resolution(issuer: str, number: str, printed: str) -> Cited:
    return Cited("decision", f"{issuer}-resolution-{number}".lower(), f"{issuer} Resolution {number}", issuer, printed)


def _cbd_decision(number: str, printed: str) -> Cited:
    meeting, _, item = number.partition("/")
    if meeting.isdigit():  # "CBD decisions 12/16" is decision XII/16
        meeting = roman(int(meeting))
    number = f"{meeting}/{item}"
    return Cited("decision", f"cbd-decision-{meeting}-{item}".lower(), f"CBD decision {number}", "CBD", printed)


def _meeting(issuer: str, body: str, number: int, printed: str) -> Cited:
    names = {"cop": "COP", "mop": "MOP", "sbstta": "SBSTTA", "stc": "Standing Committee"}
    if body == "stc":
        label = f"{_ordinal(number)} Meeting of the {issuer} Standing Committee".replace("  ", " ")
    else:
        label = f"{issuer} {names[body]}{number}".strip()
    return Cited("meeting", f"{issuer}-{body}-{number}".lower().strip("-"), label, issuer, printed)


_DOCUMENT = re.compile(r"\b(?:UNEP/[A-Z]+(?:/[A-Z]+(?:\.?\d+)?)*/|MOP\d+/)"
                       r"(?:Conf|Res|Resolution|Doc|Inf|INF)[./]?\s?\d+(?:[.-]\d+)*[a-z]?\b")
_RESOLUTION = re.compile(
    r"\b(?:(?P<issuer>CMS|AEWA|EUROBATS|ASCOBANS|ACCOBAMS|MOP)\s+)?Resolutions?\s+(?P<n>\d{1,2}\.\d{1,2}[a-z]?)"
    r"(?P<of>\s+of\s+(?:the\s+)?(?P<of_issuer>CMS|AEWA))?"
)
_CBD_DECISION = re.compile(
    r"\b(?:CBD\s+)?(?:COP\s+)?[Dd]ecisions?\s+(?P<a>[XVI]+/\d+|\d{1,2}/\d+)(?:\s+and\s+(?P<b>[XVI]+/\d+|\d{1,2}/\d+))?"
)
_SESSION = re.compile(
    r"\b(?:(?P<issuer>CBD|CMS|AEWA|EUROBATS|ASCOBANS)\s+)?(?P<body>COP|MOP|SBSTTA)\s?(?P<n>\d{1,2})\b"
)
_STANDING_COMMITTEE = re.compile(
    r"\b(?P<n>\d{1,2})(?:st|nd|rd|th)\s+(?:Meeting\s+(?:of\s+)?(?:the\s+)?)?"
    r"(?:Convention on Migratory Species\s+\((?P<named>CMS)\)\s+|(?P<issuer>CMS|AEWA)\s+)?"
    r"(?:Standing|Stranding)\s+Committee"
    r"|\bStanding Committee at its (?P<n2>\d{1,2})(?:st|nd|rd|th) Meeting"
)


def find_citations(text: str, *, home: str = "CMS", mop_home: str = "AEWA") -> list[Cited]:
    """Return what *text* cites, in order of first mention, each key once.

    *home* is the convention a bare "Resolution 10.9" or "COP11" belongs to (the document's own);
    a "MOP" without an agreement named before it belongs to *mop_home*.

    >>> [c.label for c in find_citations("Under CBD COP decision XII/2 and CMS Resolution 11.27, at CBD SBSTTA20.")]
    ['CBD decision XII/2', 'CMS Resolution 11.27', 'CBD SBSTTA20']
    >>> [c.key for c in find_citations("in line with CBD decisions 12/16 and 12/17")]
    ['cbd-decision-xii-16', 'cbd-decision-xii-17']
    >>> [c.label for c in find_citations("the work plan under UNEP/CMS/Res.10.7: Outreach")]
    ['CMS Resolution 10.7']
    >>> [c.key for c in find_citations("for the period 2012–2013 UNEP/FAO/CHW/RC/POPS/EXCOPS.2/INF/22.")]
    ['unep-fao-chw-rc-pops-excops.2-inf-22']
    """
    found: list[tuple[int, Cited]] = []
    masked = text

    def take(match: re.Match, cited: Cited) -> None:
        nonlocal masked
        found.append((match.start(), cited))
        masked = masked[: match.start()] + " " * (match.end() - match.start()) + masked[match.end():]

    def agreement_before(pos: int) -> str:
        named = [(text.rfind(a, 0, pos), a) for a in _AGREEMENTS]
        pos_found, acronym = max(named)
        return acronym if pos_found >= 0 else mop_home

    for m in list(_DOCUMENT.finditer(text)):
        printed = m.group(0)
        res = re.fullmatch(r"UNEP/([A-Z]+)/Res(?:olution)?\.?\s?(\d+\.\d+[a-z]?)", printed)
        if res:
            take(m, _resolution(res[1], res[2], printed))
        else:
            key = re.sub(r"[^a-z0-9.]+", "-", printed.lower()).strip("-")
            take(m, Cited("document", key, printed, "", printed))
    for m in list(_RESOLUTION.finditer(masked)):
        issuer = m["of_issuer"] or m["issuer"] or home
        if issuer == "MOP":
            issuer = agreement_before(m.start())
        take(m, _resolution(issuer, m["n"], text[m.start():m.end()]))
    for m in list(_CBD_DECISION.finditer(masked)):
        printed = text[m.start():m.end()]
        for number in filter(None, (m["a"], m["b"])):
            found.append((m.start(), _cbd_decision(number, printed)))
        masked = masked[: m.start()] + " " * (m.end() - m.start()) + masked[m.end():]
    for m in list(_STANDING_COMMITTEE.finditer(masked)):
        issuer = m["issuer"] or m["named"] or home
        take(m, _meeting(issuer, "stc", int(m["n"] or m["n2"]), text[m.start():m.end()]))
    for m in list(_SESSION.finditer(masked)):
        issuer = m["issuer"] or (agreement_before(m.start()) if m["body"] == "MOP" else home)
        if m["body"] == "SBSTTA":
            issuer = "CBD"
        take(m, _meeting(issuer, m["body"].lower(), int(m["n"]), text[m.start():m.end()]))

    seen: dict[str, Cited] = {}
    for _, cited in sorted(found, key=lambda item: item[0]):
        seen.setdefault(cited.key, cited)
    return list(seen.values())
