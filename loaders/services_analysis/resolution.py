"""Provisions of a common-services analysis: the draft resolution's preambular and operative
paragraphs, and the actions the cover note asks the Conference of the Parties to take.

Both are ``records.Provision`` read by ``loaders.provisions``; this module adds the posts an addressee
names ("the Executive Secretary of CMS").
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from meakg.loaders.provisions import read_actions, split_provision
from meakg.loaders.records import Paragraph, Provision
from meakg.loaders.reference import Reference
from meakg.loaders.services_analysis.records import Resolution
from meakg.loaders.services_analysis.structure import post
from meakg.loaders.text import Block, BlockKind, Locator
from meakg.ontology.errors import SourceError

_POST = re.compile(r"\bExecutive Secretary of ([A-Z]+)|\b([A-Z]+) Executive Secretary\b")


def with_posts(provision: Provision, reference: Reference) -> Provision:
    """Return the provision with the posts its addressee names ("the Executive Secretary of CMS").

    >>> from meakg.loaders.provisions import split_provision
    >>> from meakg.loaders.reference import load_reference
    >>> p = split_provision("8", "8", "Instructs, in the event of AEWA agreeing, the Executive Secretary of CMS to "
    ...                     "develop a plan;", Locator(Path("d.txt"), 9, "annex-3/para-8", "Annex 3, paragraph 8"))
    >>> [post.secretariat for post in with_posts(p, load_reference()).posts]
    ['cms-secretariat']
    """
    posts = tuple(post("Executive Secretary", m[1] or m[2], provision.locator, reference)
                  for m in _POST.finditer(provision.addressee))
    return replace(provision, posts=posts)


def parse_resolution(blocks: tuple[Block, ...], *, part_key: str, part_label: str, symbol: str, path: Path,
                     reference: Reference) -> Resolution:
    """Return the draft resolution of Annex 3: title, preambular paragraphs, operative paragraphs."""
    headings = [b for b in blocks if b.kind is BlockKind.HEADING]
    start = next((i for i, b in enumerate(headings) if re.fullmatch(r"(?i)draft resolution", b.text)), None)
    if start is None:
        raise SourceError(path, blocks[0].line if blocks else 1,
                          f"expected 'DRAFT RESOLUTION' opening {part_label}, found none")
    texts = [b for b in blocks if b.kind is BlockKind.TEXT]
    first_text = texts[0].line if texts else 10**9
    title = " ".join(b.text for b in headings[start + 1:] if b.line < first_text)
    body = " ".join(b.text for b in headings if b.line > first_text)
    issuer_name = re.search(r"(Convention on .+|Agreement on .+)$", body)
    if not issuer_name:
        raise SourceError(path, first_text, "expected the issuing body ('The Conference of the Parties to the "
                          f"Convention on ...') before the operative paragraphs, found {body!r}")
    issuer = reference.instrument(issuer_name[1], path=path, line=first_text)
    preamble = tuple(Paragraph.read("", b.text, Locator(path, b.line, f"{part_key}/preamble-{n}",
                                                        f"{part_label}, preambular paragraph {n}", section=part_label))
                     for n, b in enumerate(texts, start=1))
    operative = tuple(with_posts(split_provision(b.number, b.number, b.text, Locator(
        path, b.line, f"{part_key}/para-{b.number}", f"{part_label}, operative paragraph {b.number}",
        section=part_label, paragraph=b.number)), reference) for b in blocks if b.kind is BlockKind.PARAGRAPH)
    if not operative:
        raise SourceError(path, blocks[-1].line, f"expected numbered operative paragraphs in {part_label}, found none")
    locator = Locator(path, headings[start].line, f"{part_key}/title", f"{part_label}, title", section=part_label)
    return Resolution(title, body, issuer.key, f"{symbol}, {part_label}", preamble, operative, locator)


def parse_actions(lines: list[tuple[int, str]], *, path: Path, reference: Reference) -> list[Provision]:
    """Return the actions listed under 'Action requested:' ('The Conference of the Parties is invited to:', then
    numbered items), numbered by position (the cover note prints '1.' twice)."""
    def locate(position: int, printed: str, line: int) -> Locator:
        return Locator(path, line, f"cover-note/action-{position}", f"Cover note, action requested {position}",
                       section="Cover note", paragraph=printed)

    actions = read_actions(lines, path=path, reference=reference, locate=locate)
    return [with_posts(action, reference) for action in actions]
