"""Provisions of a common-services analysis: the draft resolution's preambular and operative
paragraphs, and the actions the cover note asks the Conference of the Parties to take.

An operative paragraph opens with its verb ("Requests"); verbs that address someone are followed
by the addressee and "to ..." (the request); other verbs ("Adopts", "Welcomes") by their object.
"""

from __future__ import annotations

import re
from pathlib import Path

from meakg.loaders.citations import find_citations
from meakg.loaders.reference import Reference
from meakg.loaders.services_analysis.parts import paragraph
from meakg.loaders.services_analysis.records import Provision, Resolution
from meakg.loaders.services_analysis.structure import post
from meakg.loaders.text import Block, BlockKind, Locator, numbered_line, squash
from meakg.ontology.errors import SourceError

_ADDRESSING = {"Invites", "Requests", "Urges", "Instructs", "Encourages", "Calls", "Asks", "Directs", "Decides"}
_CONDITION = re.compile(r"^,\s*(in the event of [^,]+),\s*")
_POST = re.compile(r"\bExecutive Secretary of ([A-Z]+)|\b([A-Z]+) Executive Secretary\b")


def split_provision(number: str, printed: str, body: str, locator: Locator, reference: Reference) -> Provision:
    """Return a provision's verb, addressee, condition and request.

    >>> from meakg.loaders.reference import load_reference
    >>> p = split_provision("8", "8", "Instructs, in the event of AEWA agreeing, the Executive Secretary of CMS to develop a plan;",
    ...                     Locator(Path("d.txt"), 9, "annex-3/para-8", "Annex 3, operative paragraph 8"), load_reference())
    >>> p.verb, p.addressee, p.condition, p.request, p.posts[0].secretariat
    ('Instructs', 'the Executive Secretary of CMS', 'in the event of AEWA agreeing', 'to develop a plan;', 'cms-secretariat')
    """
    verb, _, rest = squash(body).partition(" ")
    verb = verb.rstrip(",")
    rest = body[body.index(verb) + len(verb):]
    condition = _CONDITION.match(rest)
    rest = squash(rest[condition.end():] if condition else rest)
    addressee, request = "", rest
    if verb in _ADDRESSING and (m := re.search(r"\s(to\s+[a-z].*)$", rest)):
        addressee, request = rest[: m.start()].strip(), m[1]
    posts = tuple(post("Executive Secretary", m[1] or m[2], locator, reference) for m in _POST.finditer(addressee))
    meetings = tuple(cited.key for cited in find_citations(addressee) if cited.kind == "meeting")
    return Provision(number, printed, verb, addressee, condition[1] if condition else "", request, squash(body), locator,
                     posts, meetings, tuple(find_citations(squash(body))))


def parse_resolution(blocks: tuple[Block, ...], *, part_key: str, part_label: str, symbol: str, path: Path,
                     reference: Reference) -> Resolution:
    """Return the draft resolution of Annex 3: title, preambular paragraphs, operative paragraphs."""
    headings = [b for b in blocks if b.kind is BlockKind.HEADING]
    start = next((i for i, b in enumerate(headings) if re.fullmatch(r"(?i)draft resolution", b.text)), None)
    if start is None:
        raise SourceError(path, blocks[0].line if blocks else 1, f"expected 'DRAFT RESOLUTION' opening {part_label}, found none")
    texts = [b for b in blocks if b.kind is BlockKind.TEXT]
    first_text = texts[0].line if texts else 10**9
    title = " ".join(b.text for b in headings[start + 1:] if b.line < first_text)
    body = " ".join(b.text for b in headings if b.line > first_text)
    issuer_name = re.search(r"(Convention on .+|Agreement on .+)$", body)
    if not issuer_name:
        raise SourceError(path, first_text, f"expected the issuing body ('The Conference of the Parties to the Convention on "
                          f"...') before the operative paragraphs, found {body!r}")
    issuer = reference.instrument(issuer_name[1], path=path, line=first_text)
    preamble = tuple(paragraph(part_key, "", b.text, Locator(path, b.line, f"{part_key}/preamble-{n}",
                                                            f"{part_label}, preambular paragraph {n}", section=part_label))
                     for n, b in enumerate(texts, start=1))
    operative = tuple(split_provision(b.number, b.number, b.text,
                                      Locator(path, b.line, f"{part_key}/para-{b.number}", f"{part_label}, operative paragraph {b.number}",
                                              section=part_label, paragraph=b.number), reference)
                      for b in blocks if b.kind is BlockKind.PARAGRAPH)
    if not operative:
        raise SourceError(path, blocks[-1].line, f"expected numbered operative paragraphs in {part_label}, found none")
    locator = Locator(path, headings[start].line, f"{part_key}/title", f"{part_label}, title", section=part_label)
    return Resolution(title, body, issuer.key, f"{symbol}, {part_label}", preamble, operative, locator)


def parse_actions(lines: list[tuple[int, str]], *, path: Path, reference: Reference) -> tuple[str, str, list[Provision]]:
    """Return the addressee ('The Conference of the Parties'), its agent key, and the actions listed under 'Action requested:'."""
    intro, actions = "", []
    for number, line in lines:
        item = numbered_line(line)
        if item and item[1]:
            position = str(len(actions) + 1)
            loc = Locator(path, number, f"cover-note/action-{position}", f"Cover note, action requested {position}",
                          section="Cover note", paragraph=item[0])
            actions.append(split_provision(position, item[0], item[1], loc, reference))
        elif line.strip() and not actions:
            intro = squash(line)
    m = re.match(r"(.+?) (?:is|are) invited to:?$", intro)
    if not actions or not m:
        raise SourceError(path, lines[0][0] if lines else 1, "expected 'The Conference of the Parties is invited to:' "
                          f"and numbered actions after 'Action requested:', found {intro!r} and {len(actions)} action(s)")
    return m[1], reference.agent(m[1], path=path, line=actions[0].locator.line).key, actions
