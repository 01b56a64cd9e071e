"""Provisions, read and mapped once for every kind: operative paragraphs of a draft resolution and the
actions a document requests under its "Action requested:" heading (``records.Provision``).

A provision opens with its verb ("Requests", "Review and adopt"); a verb that addresses someone is
followed by the addressee and "to ..." (the request), others by their object. Requested actions are
introduced by who is asked ("The Conference of the Parties is invited to:", "The Secretariat requests
the Conference of the Parties to:"), then listed by number or letter.

The convention, for every kind: a provision is ``id/provision/<document>/<locator ref>``, labelled
with its text as printed; its locator cites what the text cites (``dcterms:references``), as every
paragraph's does.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from meakg.loaders.citations import find_citations
from meakg.loaders.rdf import (
    DCTERMS,
    MEA,
    ORG,
    RDF,
    RDFS,
    SKOS,
    Kind,
    Literal,
    Triple,
    URIRef,
    citation_triples,
    derived,
    iri,
    locator_iri,
    text,
)
from meakg.loaders.records import Post, Provision
from meakg.loaders.text import Locator, numbered_line, squash
from meakg.ontology.errors import SourceError

if TYPE_CHECKING:
    from meakg.loaders.reference import Reference

ACTION_REQUESTED = re.compile(r"^\s*Action requested:?\s*$")
ADDRESSING = {"Invites", "Requests", "Urges", "Instructs", "Encourages", "Calls", "Asks", "Directs", "Decides"}
_VERB = re.compile(r"^(?P<verb>[A-Z][a-z]+(?: and [a-z]+)?)(?P<rest>[,\s].*)$")   # "Review and adopt the ..."
_CONDITION = re.compile(r"^,\s*(in the event of [^,]+),\s*")
_LIST_END = re.compile(r"(?:;\s*(?:and|or)?|\.)\s*$")      # an item's closing "; and" or full stop
_INVITED = re.compile(r"^(?P<addressee>.+?) (?:is|are) invited to:?$")          # "The Conference of the Parties is ..."
_REQUESTS = re.compile(r"^The (?P<by>.+?) requests (?P<addressee>.+?) to:?$")   # "The Secretariat requests the COP to:"
_LETTERED = re.compile(r"^(?P<n>[a-z])\.\s+(?P<text>\S.*)$")

Locate = Callable[[int, str, int], Locator]   # (position, number as printed, line) -> the item's locator


def action_requested_at(lines: list[tuple[int, str]]) -> int:
    """Return the index of the 'Action requested:' heading in *lines*, or len(lines) if there is none."""
    return next((i for i, (_, line) in enumerate(lines) if ACTION_REQUESTED.match(line)), len(lines))


def split_provision(number: str, printed: str, body: str, locator: Locator) -> Provision:
    """Return a provision's verb, condition, addressee and request, and what it cites.

    >>> loc = Locator(Path("d.txt"), 9, "annex-3/para-8", "Annex 3, operative paragraph 8")
    >>> p = split_provision("8", "8", "Instructs, in the event of AEWA agreeing, the Executive Secretary of CMS to "
    ...                     "develop a plan;", loc)
    >>> p.verb, p.addressee, p.condition, p.request
    ('Instructs', 'the Executive Secretary of CMS', 'in the event of AEWA agreeing', 'to develop a plan')
    >>> p = split_provision("a", "a", "Review and adopt the work plan; and", loc)
    >>> p.verb, p.addressee, p.request
    ('Review and adopt', '', 'the work plan')
    """
    body = squash(body)
    verb = _VERB.match(body)
    if not verb:
        raise SourceError(locator.path, locator.line, "expected a provision opening with its verb, such as 'Requests "
                                                      f"...' or 'Review and adopt ...', found {body!r}")
    rest = verb["rest"]
    condition = _CONDITION.match(rest)
    rest = squash(rest[condition.end():] if condition else rest).lstrip(", ")
    addressee, request = "", rest
    if verb["verb"] in ADDRESSING and (m := re.search(r"(?:^|\s)(to\s+[a-z].*)$", rest)):
        addressee, request = rest[: m.start()].strip(), m[1]
    meetings = tuple(cited.key for cited in find_citations(addressee) if cited.kind == "meeting")
    return Provision(number, printed, verb["verb"], addressee, _LIST_END.sub("", request), body, locator,
                     tuple(find_citations(body)), condition[1] if condition else "", meetings=meetings)


def read_actions(lines: list[tuple[int, str]], *, path: Path, reference: Reference,
                 locate: Locate) -> list[Provision]:
    """Return the actions listed after 'Action requested:' (*lines* follow the heading), each addressed to the
    body the introduction names: '<body> is invited to:' or 'The <by> requests <body> to:', then items
    numbered ('1.') or lettered ('a.'), an item running on over the lines up to the next."""
    intro, intro_line = "", 0
    items: list[tuple[str, int, list[str]]] = []   # (as printed, line, its lines)
    for number, line in lines:
        stripped = line.strip()
        lettered = _LETTERED.match(stripped)
        item: tuple[str, str] | None
        if lettered:
            item = (lettered["n"], lettered["text"])
        else:   # a numbered line starts an item unless the list is lettered (then it goes on the item before)
            item = numbered_line(stripped) if not items or items[-1][0].isdigit() else None
        if item and item[1]:
            if not intro:
                break
            items.append((item[0], number, [item[1]]))
        elif stripped and items:
            items[-1][2].append(stripped)
        elif stripped:
            intro, intro_line = squash(stripped), number
    asked = _INVITED.match(intro) or _REQUESTS.match(intro)
    if not asked or not items:
        raise SourceError(path, intro_line or (lines[0][0] if lines else 1),
                          "expected '<body> is invited to:' or 'The Secretariat requests <body> to:' and numbered or "
                          f"lettered actions after 'Action requested:', found {intro!r} and {len(items)} action(s)")
    agent = reference.agent(asked["addressee"], path=path, line=intro_line).key
    actions = []
    for position, (printed, at, texts) in enumerate(items, start=1):
        notation = printed if printed.isalpha() else str(position)
        action = split_provision(notation, printed, " ".join(texts), locate(position, printed, at))
        actions.append(_addressed(action, asked["addressee"], agent))
    return actions


def _addressed(action: Provision, addressee: str, agent: str) -> Provision:
    return replace(action, addressee=action.addressee or addressee, addressee_agent=agent)


# ---------------------------------------------------------------- triples

def provision_iri(provision: Provision) -> URIRef:
    """Return the node of a provision: ``id/provision/<document>/<its locator's ref>``."""
    return iri(Kind.PROVISION, provision.locator.document, *provision.locator.ref.split("/"))


def post_iri(post: Post) -> URIRef:
    """Return the node of a post named by office and instrument: id/post/aewa-executive-secretary."""
    return iri(Kind.POST, f"{post.acronym} {post.office}")


def post_triples(post: Post) -> Iterator[Triple]:
    """Yield an org:Post held in the secretariat of its instrument."""
    node, secretariat = post_iri(post), iri(Kind.AGENT, post.secretariat)
    yield node, RDF.type, ORG.Post
    yield node, RDFS.label, Literal(f"{post.office} of {post.acronym}")
    yield node, ORG.postIn, secretariat
    yield secretariat, ORG.hasPost, node
    yield from derived(node, post.locator)


def provision_triples(provision: Provision, *, cls: URIRef, part_of: URIRef) -> Iterator[Triple]:
    """Yield a provision labelled with its text, with its verb, addressee (as printed and as nodes: the body,
    the posts and meetings it names), request and condition; its locator cites what its text cites."""
    node = provision_iri(provision)
    yield node, RDF.type, cls
    yield node, RDFS.label, text(provision.text)
    yield node, SKOS.notation, Literal(provision.number)
    yield node, MEA.verb, Literal(provision.verb)
    yield node, DCTERMS.isPartOf, part_of
    yield node, MEA.request, text(provision.request)
    if provision.printed not in (provision.number, ""):
        yield node, SKOS.editorialNote, text(f"Printed as '{provision.printed}.'; numbered {provision.number} by "
                                             f"its position.")
    if provision.condition:
        yield node, MEA.condition, text(provision.condition)
    if provision.addressee:
        yield node, MEA.addresseeText, text(provision.addressee)
    if provision.addressee_agent:
        yield node, MEA.addressee, iri(Kind.AGENT, provision.addressee_agent)
    for post in provision.posts:
        yield node, MEA.addressee, post_iri(post)
        yield from post_triples(post)
    for meeting in provision.meetings:
        yield node, MEA.addressee, iri(Kind.MEETING, meeting)
    yield from derived(node, provision.locator, quote=provision.text)
    yield from citation_triples(locator_iri(provision.locator), list(provision.citations))
