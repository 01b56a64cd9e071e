"""Provisions of a common-services analysis: the draft resolution's preambular and operative
paragraphs, and the actions the cover note asks the Conference of the Parties to take.

An operative paragraph opens with its verb ("Requests"); verbs that address someone are followed
by the addressee and "to ..." (the request); other verbs ("Adopts", "Welcomes") by their object.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ontology.errors import SourceError
from loaders.citations import find_citations
from loaders.rdf import (DCTERMS, MEA, RDF, RDFS, SKOS, Literal, Triple, URIRef, citation_triples, derived, document_iri,
                         iri, locator_iri, text)
from loaders.reference import load_reference
from loaders.services_analysis_parts import Paragraph
from loaders.services_analysis_structure import post_iri, post_triples
from loaders.text import Block, BlockKind, Locator, numbered_line, squash

_ADDRESSING = {"Invites", "Requests", "Urges", "Instructs", "Encourages", "Calls", "Asks", "Directs", "Decides"}
_CONDITION = re.compile(r"^,\s*(in the event of [^,]+),\s*")
_POST = re.compile(r"\bExecutive Secretary of ([A-Z]+)|\b([A-Z]+) Executive Secretary\b")


@dataclass(frozen=True)
class Provision:
    """An operative paragraph or requested action, split into verb, addressee and request."""

    number: str               # by position ("2"), even when printed otherwise
    printed: str              # the number as printed ("1." printed twice in the cover note)
    verb: str
    addressee: str            # as printed; "" when the verb takes no addressee
    condition: str            # "in the event of AEWA agreeing to ..."; "" if none
    request: str
    text: str
    locator: Locator


@dataclass(frozen=True)
class Resolution:
    title: str
    body: str                 # issuing body as printed: "The Conference of the Parties to the Convention ..."
    issuer: str               # instrument key
    identifier: str
    preamble: tuple[Paragraph, ...]
    operative: tuple[Provision, ...]
    locator: Locator


def split_provision(number: str, printed: str, body: str, locator: Locator) -> Provision:
    """Return a provision's verb, addressee, condition and request.

    >>> p = split_provision("8", "8", "Instructs, in the event of AEWA agreeing, the Executive Secretary of CMS to develop a plan;", None)
    >>> p.verb, p.addressee, p.condition, p.request
    ('Instructs', 'the Executive Secretary of CMS', 'in the event of AEWA agreeing', 'to develop a plan;')
    """
    verb, _, rest = squash(body).partition(" ")
    verb = verb.rstrip(",")
    rest = body[body.index(verb) + len(verb):]
    condition = _CONDITION.match(rest)
    rest = squash(rest[condition.end():] if condition else rest)
    addressee, request = "", rest
    if verb in _ADDRESSING and (m := re.search(r"\s(to\s+[a-z].*)$", rest)):
        addressee, request = rest[: m.start()].strip(), m[1]
    return Provision(number, printed, verb, addressee, condition[1] if condition else "", request, squash(body), locator)


def parse_resolution(blocks: tuple[Block, ...], *, part_key: str, part_label: str, symbol: str, path: Path) -> Resolution:
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
    issuer = load_reference().instrument(issuer_name[1], path=path, line=first_text)
    preamble = tuple(Paragraph(part_key, "", b.text, Locator(path, b.line, f"{part_key}/preamble-{n}",
                                                            f"{part_label}, preambular paragraph {n}", section=part_label))
                     for n, b in enumerate(texts, start=1))
    operative = tuple(split_provision(b.number, b.number, b.text,
                                      Locator(path, b.line, f"{part_key}/para-{b.number}", f"{part_label}, operative paragraph {b.number}",
                                              section=part_label, paragraph=b.number))
                      for b in blocks if b.kind is BlockKind.PARAGRAPH)
    if not operative:
        raise SourceError(path, blocks[-1].line, f"expected numbered operative paragraphs in {part_label}, found none")
    locator = Locator(path, headings[start].line, f"{part_key}/title", f"{part_label}, title", section=part_label)
    return Resolution(title, body, issuer.key, f"{symbol}, {part_label}", preamble, operative, locator)


def parse_actions(lines: list[tuple[int, str]], *, path: Path) -> tuple[str, list[Provision]]:
    """Return the addressee ('The Conference of the Parties') and the actions listed under 'Action requested:'."""
    intro, actions = "", []
    for number, line in lines:
        item = numbered_line(line)
        if item and item[1]:
            position = str(len(actions) + 1)
            loc = Locator(path, number, f"cover-note/action-{position}", f"Cover note, action requested {position}",
                          section="Cover note", paragraph=item[0])
            actions.append(split_provision(position, item[0], item[1], loc))
        elif line.strip() and not actions:
            intro = squash(line)
    m = re.match(r"(.+?) (?:is|are) invited to:?$", intro)
    if not actions or not m:
        raise SourceError(path, lines[0][0] if lines else 1, "expected 'The Conference of the Parties is invited to:' "
                          f"and numbered actions after 'Action requested:', found {intro!r} and {len(actions)} action(s)")
    return m[1], actions


def _addressees(addressee: str) -> Iterator[URIRef | tuple[str, str]]:
    """Yield the posts ('Executive Secretary', 'CMS') and meetings (MOP6) an addressee names."""
    for m in _POST.finditer(addressee):
        yield ("Executive Secretary", m[1] or m[2])
    for cited in find_citations(addressee):
        if cited.kind == "meeting":
            yield iri("meeting", cited.key)


def provision_triples(provision: Provision, *, cls: URIRef, part_of: URIRef, node: URIRef,
                      addressee_node: URIRef | None = None) -> Iterator[Triple]:
    """Yield a provision with its verb, addressee (text and node), request and citations."""
    yield node, RDF.type, cls
    yield node, RDFS.label, Literal(f"{provision.locator.label}: {provision.verb}")
    yield node, SKOS.notation, Literal(provision.number)
    yield node, MEA.verb, Literal(provision.verb)
    yield node, DCTERMS.isPartOf, part_of
    yield node, MEA.request, text(provision.request)
    if provision.printed != provision.number:
        yield node, SKOS.editorialNote, text(f"Printed as '{provision.printed}.'; numbered {provision.number} by its position.")
    if provision.condition:
        yield node, MEA.condition, text(provision.condition)
    if provision.addressee:
        yield node, MEA.addresseeText, text(provision.addressee)
    if addressee_node is not None:
        yield node, MEA.addressee, addressee_node
    for found in _addressees(provision.addressee):
        if isinstance(found, tuple):
            yield node, MEA.addressee, post_iri(*found)
            yield from post_triples(*found, provision.locator)
        else:
            yield node, MEA.addressee, found
    yield from derived(node, provision.locator, quote=provision.text)
    yield from citation_triples(locator_iri(provision.locator), find_citations(provision.text))


def resolution_triples(resolution: Resolution) -> Iterator[Triple]:
    """Yield the draft resolution, its preambular paragraphs (as locators) and its operative paragraphs."""
    node = iri("decision", f"draft resolution {resolution.title}")
    yield node, RDF.type, MEA.Decision
    yield node, DCTERMS.title, text(resolution.title)
    yield node, RDFS.label, Literal(f"Draft resolution: {resolution.title}")
    yield node, DCTERMS.identifier, Literal(resolution.identifier)
    yield node, MEA.issuedUnder, iri("instrument", resolution.issuer)
    yield node, DCTERMS.isPartOf, document_iri(resolution.locator.document)
    yield from derived(node, resolution.locator, quote=f"DRAFT RESOLUTION {resolution.title}")
    for paragraph in resolution.preamble:
        yield from derived(node, paragraph.locator, quote=paragraph.text)
        yield from citation_triples(locator_iri(paragraph.locator), find_citations(paragraph.text))
    for provision in resolution.operative:
        yield from provision_triples(provision, cls=MEA.OperativeParagraph, part_of=node,
                                     node=iri("provision", resolution.locator.document, *provision.locator.ref.split("/")))


def actions_triples(addressee: str, actions: list[Provision], *, path: Path) -> Iterator[Triple]:
    """Yield the cover note's requested actions, addressed to the body the intro names."""
    if not actions:
        return
    loc = actions[0].locator
    body = load_reference().agent(addressee, path=path, line=loc.line)
    for action in actions:
        node = iri("provision", loc.document, *action.locator.ref.split("/"))
        yield from provision_triples(action, cls=MEA.RequestedAction, part_of=document_iri(loc.document), node=node,
                                     addressee_node=body.iri)
        yield node, MEA.addresseeText, text(addressee)
