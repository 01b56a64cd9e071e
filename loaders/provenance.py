"""Statement-level provenance and exact selectors: what a document's triples are stated by, and where.

Every statement a document contributes is cited to the locators that state it: by an ``rdf:Statement``
node (RDF reification) with ``prov:wasDerivedFrom`` each of them, or, where they are exactly the
locators its subject ``prov:wasDerivedFrom`` (most statements), by its subject's; every locator gets
W3C Web Annotation selectors into the text as read (``loaders.text.normalise``): an
``oa:TextPositionSelector`` (character offsets, ``oa:start`` inclusive, ``oa:end`` exclusive, counted
in Unicode code points as Python counts them) and an ``oa:TextQuoteSelector`` (``oa:exact``,
``oa:prefix``, ``oa:suffix``); the document carries ``mea:sha256`` of that text. These triples go
into the named graph ``provenance`` (``is_provenance``), never into what the OWL-RL reasoner reads.

A loader's ``to_triples`` says which locator states a group of triples with ``stated(loc, triples)``
where a node's statements come from different locators (the proposed joint secretariat: covers from
paragraph 31, the structure from Figure 2). ``provenance_triples`` settles the rest by rule.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Iterator
from functools import lru_cache
from itertools import accumulate

from rdflib import RDF, RDFS, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, Namespace

from meakg.loaders.rdf import MEA, Triple, document_iri, locator_iri
from meakg.loaders.text import Locator, squash
from meakg.ontology.vocab import ID, PREFIXES

OA = Namespace(PREFIXES["oa"])
STATEMENT = ID + "statement/"
SELECTOR = ID + "selector/"
CONTEXT = 32        # characters of oa:prefix and oa:suffix
# what describes a locator itself (not a statement the document makes about the world)
LOCATOR_PROPERTIES = {RDF.type, DCTERMS.isPartOf, RDFS.label, MEA.line, MEA.lastLine, MEA.section, MEA.paragraph,
                      MEA.table, MEA.row, MEA.column, MEA.quote}

__all__ = ["OA", "statement_iri", "stated", "provenance_triples", "locator_spans", "selector_span", "is_provenance",
           "is_statement"]


def statement_iri(triple: Triple) -> URIRef:
    """Return the IRI of the statement *triple*: a digest of its N-Triples form, so the same triple
    has the same statement node in every build and every document stating it.

    >>> s = statement_iri((URIRef("https://x/a"), RDF.type, URIRef("https://x/C")))
    >>> str(s).startswith("https://w3id.org/meakg/id/statement/"), len(str(s).rsplit("/", 1)[1])
    (True, 24)
    """
    s, p, o = triple
    line = f"{s.n3()} {p.n3()} {o.n3()} ."
    return URIRef(STATEMENT + hashlib.sha256(line.encode("utf-8")).hexdigest()[:24])


def _reified(triple: Triple, locators: Iterable[URIRef]) -> Iterator[Triple]:
    node = statement_iri(triple)
    yield node, RDF.type, RDF.Statement
    yield node, RDF.subject, triple[0]
    yield node, RDF.predicate, triple[1]
    yield node, RDF.object, triple[2]
    for loc in locators:
        yield node, PROV.wasDerivedFrom, loc


def stated(loc: Locator, triples: Iterable[Triple]) -> Iterator[Triple]:
    """Yield each of *triples* and its statement node, derived from *loc* (and from no other locator by rule).

    >>> from pathlib import Path
    >>> loc = Locator(Path("d.txt"), 3, "annex-1/para-31", "Annex 1, paragraph 31")
    >>> out = list(stated(loc, [(URIRef("https://x/a"), RDF.type, URIRef("https://x/C"))]))
    >>> len(out), str(out[-1][2]).rsplit("/", 2)[-2:]
    (6, ['annex-1', 'para-31'])
    """
    where = locator_iri(loc)
    for triple in triples:
        yield triple
        yield from _reified(triple, [where])


def is_provenance(triple: Triple) -> bool:
    """Whether *triple* belongs to the provenance graph (statements, selectors, the text's digest).

    >>> is_provenance((URIRef(STATEMENT + "45abd8"), RDF.type, RDF.Statement))
    True
    >>> is_provenance((URIRef(ID + "x"), RDF.type, MEA.Locator))
    False
    """
    s = str(triple[0])
    return s.startswith((STATEMENT, SELECTOR)) or triple[1] in (MEA.sha256, OA.hasSelector)


def is_statement(triple: Triple) -> bool:
    """Whether *triple* describes a statement node (what ``stated`` adds beside a loader's triples)."""
    return str(triple[0]).startswith(STATEMENT)


def selector_span(text: str, line: int, quote: str = "", *, last_line: int = 0,
                  cell: bool = False) -> tuple[int, int]:
    """Return (start, end) offsets of what a locator on *line* (1-based) selects in *text*: its quote
    where the line prints it verbatim, else the line without its leading and trailing blanks, run on
    over the next lines (up to a blank one) while each goes on with the quote (a wrapped paragraph).
    A place that runs to *last_line* (a table row) selects its lines through that one; a table *cell*
    whose quote wraps selects from where its first words are printed on its line.

    >>> selector_span("Title\\n\\n47.\\tThese are majority\\n", 3, "These are")
    (11, 20)
    >>> selector_span("Title\\n\\n47.\\tThese are majority\\n", 3)
    (7, 29)
    >>> selector_span("4. In the work plan\\nthe CMS NFPs\\nand parties.\\n\\nNext", 1,
    ...               "4. In the work plan the CMS NFPs and parties.")
    (0, 45)
    >>> selector_span("a\\x1cb\\nc\\n", 2, "b")
    (2, 3)
    >>> row = "1.1 Survey | CMS Sec. | No additional\\nnext | funds required.\\n"
    >>> selector_span(row, 1, "No additional funds required.", cell=True)
    (24, 37)
    >>> selector_span("3.2 Liaising with\\n\\nUNEP, BLG\\n", 1, "3.2 Liaising | x", last_line=3)
    (0, 28)
    """
    # lines as the loaders number them (str.splitlines: \x1c, \x85, \u2028 ... end a line too), so a
    # document holding such a character cannot point past its last newline (found by benchmarks/fuzz.py)
    starts = _line_starts(text)
    start = starts[min(max(line - 1, 0), len(starts) - 1)]
    end = text.find("\n", start)
    end = len(text) if end < 0 else end
    if last_line > line:
        end = starts[min(last_line, len(starts) - 1)]
    elif quote:
        at = text.find(quote, start, end)
        if at >= 0:
            return at, at + len(quote)
        lead = _leading_words(quote, text[start:end]) if cell else ""
        if lead:   # a cell wrapped onto the next lines: from its first words to the end of its line
            start = text.index(lead, start, end)
        else:      # a paragraph wrapped over lines: the lines up to a blank one, while each goes on with the quote
            words = squash(quote)
            while end < len(text) - 1 and text[end + 1] != "\n":
                after = text.find("\n", end + 1)
                after = len(text) if after < 0 else after
                piece = squash(text[end + 1:after])
                if not piece or piece[:24] not in words:
                    break
                end = after
    printed = text[start:end]
    return start + len(printed) - len(printed.lstrip()), start + len(printed.rstrip())


def _leading_words(quote: str, line: str) -> str:
    """Return the quote's first words (two at least) as far as *line* prints them on from where they start, else ''.

    >>> _leading_words("No additional funds required.", "surveys and | No additional funds")
    'No additional funds'
    """
    words = quote.split()
    if len(words) < 2:
        return ""
    lead = f"{words[0]} {words[1]}"
    at = line.find(lead)
    if at < 0:
        return ""
    for word in words[2:]:   # word by word, so a long cell costs one pass over it
        if not line.startswith(f" {word}", at + len(lead)):
            break
        lead += f" {word}"
    return lead


@lru_cache(maxsize=4)
def _line_starts(text: str) -> tuple[int, ...]:
    """The offset where each line of *text* starts, then its length: split once per document, not per locator."""
    return (0, *accumulate(len(part) for part in text.splitlines(keepends=True)))


def _selector_triples(loc: URIRef, text: str, start: int, end: int) -> Iterator[Triple]:
    tail = str(loc)[len(ID + "locator/"):]
    position, words = URIRef(f"{SELECTOR}{tail}/position"), URIRef(f"{SELECTOR}{tail}/quote")
    yield loc, OA.hasSelector, position
    yield position, RDF.type, OA.TextPositionSelector
    yield position, OA.start, Literal(start)
    yield position, OA.end, Literal(end)
    yield loc, OA.hasSelector, words
    yield words, RDF.type, OA.TextQuoteSelector
    yield words, OA.exact, Literal(text[start:end])
    yield words, OA.prefix, Literal(text[max(0, start - CONTEXT):start])
    yield words, OA.suffix, Literal(text[end:end + CONTEXT])


def locator_spans(triples: list[Triple], text: str) -> dict[URIRef, tuple[int, int]]:
    """Return (start, end) of what each locator among *triples* selects in *text* (``selector_span``).

    >>> loc = URIRef(ID + "locator/d/para-1")
    >>> locator_spans([(loc, RDF.type, MEA.Locator), (loc, MEA.line, Literal(2))], "Title\\n1. Text\\n")
    {rdflib.term.URIRef('https://w3id.org/meakg/id/locator/d/para-1'): (6, 13)}
    """
    lines, last, quotes, cells, locators = {}, {}, {}, set(), set()
    for s, p, o in triples:
        if p == RDF.type and o == MEA.Locator:
            locators.add(s)
        elif p == MEA.line:
            lines[s] = int(o)
        elif p == MEA.lastLine:
            last[s] = int(o)
        elif p == MEA.quote:
            quotes[s] = str(o)
        elif p == MEA.column:
            cells.add(s)
    return {loc: selector_span(text, lines.get(loc, 1), quotes.get(loc, ""), last_line=last.get(loc, 0),
                               cell=loc in cells) for loc in sorted(locators)}


def provenance_triples(triples: list[Triple], text: str, document_key: str) -> Iterator[Triple]:
    """Yield the provenance of a document's *triples*: the text's digest, each locator's selectors,
    and a statement node for every statement whose locators are not exactly those its subject is
    ``prov:wasDerivedFrom`` (so a statement without a node is stated by its subject's locators).

    A statement's locators are those ``stated`` gave it (the statement triples among *triples*, which
    are not yielded again unless needed), else by rule: a locator's own statements (what it cites,
    what it names) are the locator's; a node's statements are its locators'; a node with none (a
    decision the document only cites, a link from a reference node) takes the locators of whatever
    references it, else those of the object. ``x prov:wasDerivedFrom L`` needs no statement node.
    """
    doc = document_iri(document_key)
    yield doc, MEA.sha256, Literal(hashlib.sha256(text.encode("utf-8")).hexdigest())
    derived: dict = defaultdict(set)
    referenced_by: dict = defaultdict(set)
    parts: dict = defaultdict(dict)
    explicit: dict = defaultdict(set)
    for s, p, o in triples:
        if str(s).startswith(STATEMENT):
            if p == PROV.wasDerivedFrom:
                parts[s].setdefault("where", set()).add(o)
            elif p in (RDF.subject, RDF.predicate, RDF.object):
                parts[s][p] = o
        elif p == PROV.wasDerivedFrom:
            derived[s].add(o)
        elif p == DCTERMS.references:
            referenced_by[o].add(s)
    for found in parts.values():
        explicit[(found[RDF.subject], found[RDF.predicate], found[RDF.object])] |= found.get("where", set())
    spans = locator_spans(triples, text)
    locators = set(spans)
    for loc, (start, end) in spans.items():
        yield from _selector_triples(loc, text, start, end)

    def sources_of(node) -> set:
        return {node} if node in locators else derived.get(node, set())

    for triple in dict.fromkeys(triples):
        s, p, o = triple
        if str(s).startswith((STATEMENT, SELECTOR)) or p == PROV.wasDerivedFrom:
            continue
        if s in locators and p in LOCATOR_PROPERTIES:
            continue
        where = explicit.get(triple) or sources_of(s)
        if not where:
            where = set().union(*(sources_of(x) for x in referenced_by.get(s, ()))) or sources_of(o)
        if where and where != derived.get(s, set()):
            yield from _reified(triple, sorted(where))
