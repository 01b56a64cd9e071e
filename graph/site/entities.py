"""What an entity page says, in plain words: its facts with where each is stated, where it comes from,
every place it is named, and what points at it; IRIs, classes and reasoning in "technical details".

A citation is a ``Cite``: the place (document symbol and locator label), the link to the exact words
on the source page (``marks.Words``) and an excerpt with those words marked. The "where does this
come from" section groups the same citations by place: the answer of the saved question
``where-from`` for the node, read from the indexed build rather than one query per page.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from meakg.graph.site import plain
from meakg.graph.site.data import DCT, GRAPHS, ID, NO_PAGE, ONTOLOGY, RDF_TYPE, SKOS, Citation, Data, Locator, Statement
from meakg.graph.site.marks import Span, Words
from meakg.ontology.vocab import curie

SCHEMA = "https://schema.org/"
AMOUNTS = {SCHEMA + "minValue", SCHEMA + "maxValue", SCHEMA + "value"}   # of a monetary amount: with its currency
EXCERPT = 90          # characters of context either side of the marked words
MANY = 12             # a fact with more values than this lists them in a disclosure


@dataclass(frozen=True)
class Excerpt:
    """Words of a document around the marked ones: '... before [words] after ...'."""

    before: str
    words: str
    after: str


@dataclass(frozen=True)
class Cite:
    """Where a fact is stated: a place in a document, a reference source, or reasoning."""

    kind: str                      # "place", "reference", "inferred" or "document"
    text: str                      # "UNEP/CMS/COP11/Doc.16.2, Annex 1, paragraph 47"
    target: str | None = None      # site path with fragment: the exact words
    excerpt: Excerpt | None = None
    urls: tuple[str, ...] = ()     # a reference fact's sources


@dataclass(frozen=True)
class Value:
    text: str
    iri: str | None = None         # a thing of ours (linked when the site has its page)
    url: str | None = None         # a link out


@dataclass
class Fact:
    what: str
    values: list[tuple[Value, tuple[Cite, ...]]] = field(default_factory=list)

    @property
    def many(self) -> bool:
        return len(self.values) > MANY


@dataclass(frozen=True)
class Place:
    """One place a node's facts come from, and what it states."""

    cite: Cite
    states: tuple[str, ...]


class EntityView:
    """Builds the context of every entity page from the indexed build."""

    def __init__(self, data: Data, words: Words, texts: dict[str, str]) -> None:
        self.data, self.words, self.texts = data, words, texts
        self._labels: dict[str, str] = {}

    # ------------------------------------------------------------------------ words
    def property_label(self, iri: str) -> str:
        if iri not in self._labels:
            found = [q[2] for q in self.data.by_subject.get(iri, ()) if q[1] == PREFIX_LABEL
                     and q[4] == GRAPHS + "ontology"]
            self._labels[iri] = sorted(found)[0] if found else plain.CORE_LABELS.get(iri) or \
                plain.header(iri.rpartition("#")[2] or iri.rpartition("/")[2])
        return self._labels[iri]

    def value(self, statement: Statement) -> Value:
        if statement.is_iri:
            if statement.value.startswith(ID) or statement.value.startswith(ONTOLOGY):
                return Value(self.data.label(statement.value), iri=statement.value)
            if statement.predicate == RDF_TYPE or statement.value in self.data.by_subject:
                return Value(self.data.label(statement.value), iri=statement.value)
            return Value(plain.site_name(statement.value), url=statement.value)
        if statement.value.startswith(("http://", "https://")) and " " not in statement.value:
            return Value(plain.site_name(statement.value), url=statement.value)
        datatype = self.data.datatype(statement.subject, statement.predicate, statement.value)
        currency = self.data.value(statement.subject, SCHEMA + "currency")
        if currency and statement.predicate in AMOUNTS and datatype in plain.NUMERIC:   # a budget's 45,000 USD
            return Value(plain.amount(statement.value, currency))
        return Value(self.data.readable(plain.number(statement.value, datatype), statement.subject))

    # ------------------------------------------------------------------------ citations
    def cite(self, citation: Citation, *candidates: str) -> Cite:
        """Return a statement's citation for people; a place points at the first of *candidates* it prints."""
        if citation.kind == "inferred":
            return Cite("inferred", "worked out by reasoning from the ontology")
        if citation.locator is None:  # "source": reference data, citing its own sources
            return Cite("reference", "reference data", urls=tuple(urls(citation.source)))
        return self.place(citation.locator, *candidates)

    def place(self, locator: Locator, *candidates: str) -> Cite:
        span = self.words.of(locator, *candidates)
        symbol = self.data.cited_as(locator.document)
        target = f"sources/{locator.document}.html#{span.id if span else locator.ref}"
        return Cite("place", f"{symbol}, {locator.label}", target, self.excerpt(locator, span))

    def excerpt(self, locator: Locator, span: Span | None) -> Excerpt | None:
        """Return the words *span* marks with some of the place's words around them (the place's start when the
        span is all of it)."""
        text = self.texts.get(locator.document, "")
        if span is None or locator.start is None or locator.end is None or not text:
            return Excerpt("", _cut(locator.quote, 2 * EXCERPT), "") if locator.quote else None
        whole = span.start == locator.start and span.end == locator.end
        if whole:
            return Excerpt("", _cut(" ".join(text[span.start:span.end].split()), 2 * EXCERPT), "")
        end = max(locator.end, self.words.region_end(locator) if span.end > locator.end else 0)
        cut_before, cut_after = span.start - EXCERPT > locator.start, span.end + EXCERPT < end
        before = text[max(locator.start, span.start - EXCERPT):span.start].rsplit("\n\n", 1)[-1]
        after = text[span.end:min(end, span.end + EXCERPT)].split("\n\n", 1)[0]
        if cut_before:   # start at a whole word
            before = before.split(" ", 1)[-1]
        if cut_after:
            after = after.rsplit(" ", 1)[0]
        return Excerpt(("… " if cut_before else "") + _squash(before, left=True), _squash(text[span.start:span.end]),
                       _squash(after, left=False) + (" …" if cut_after else ""))

    def cites(self, statement: Statement, *candidates: str) -> tuple[Cite, ...]:
        found = tuple(self.cite(c, *candidates) for c in statement.citations)
        if found:
            return found
        name = statement.graph[len(GRAPHS):]
        if ID + "document/" + name in self.data.by_subject:
            symbol = self.data.cited_as(name)
            return (Cite("document", f"{symbol} (the document; no single place recorded)", f"sources/{name}.html"),)
        return (Cite("reference", name),)

    # ------------------------------------------------------------------------ the page
    def context(self, iri: str) -> dict:
        data = self.data
        statements = data.statements(iri)
        asserted = [s for s in statements if any(c.kind != "inferred" for c in s.citations) or not s.citations]
        inferred = [s for s in statements if s.citations and all(c.kind == "inferred" for c in s.citations)]
        facts: dict[str, Fact] = {}
        for s in asserted:
            if s.predicate == DCT + "source":   # the source of reference facts: said under "where does this come from"
                continue
            candidates = (iri, s.value) if s.is_iri or len(s.value) < 120 else (iri,)
            fact = facts.setdefault(s.predicate, Fact(plain.sentence(self.property_label(s.predicate))))
            fact.values.append((self.value(s), self.cites(s, *candidates)))
        incoming = [s for s in data.statements(iri, incoming=True)
                    if not (s.citations and all(c.kind == "inferred" for c in s.citations))]
        related = [(Value(data.label(s.subject), iri=s.subject), self.property_label(s.predicate),
                    self.cites(s, iri, s.subject)) for s in incoming]
        kinds = [self.data.label(t) for t in data.types(iri) if t.startswith(ONTOLOGY) or self._labelled(t)]
        links_out = sorted({(plain.site_name(s.value), s.value) for s in asserted
                            if s.is_iri and s.value.startswith("http") and not s.value.startswith(ID)
                            and s.predicate != RDF_TYPE and s.value not in data.by_subject})
        full = data.value(iri, SKOS + "prefLabel")
        unverified = data.values(iri, ONTOLOGY + "unverified")   # what no primary source confirmed
        return {"kinds": kinds, "full_name": full if full and full != data.label(iri) else "", "unverified": unverified,
                "facts": list(facts.values()), "places": self.places(iri, asserted),
                "references": sorted({u for s in asserted for c in s.citations if c.kind == "source"
                                      for u in urls(c.source)}),
                "named": self.named(iri), "related": related, "links_out": links_out,
                "technical": {"iri": iri, "curie": curie(iri) or "", "types": [curie(t) or t for t in data.types(iri)],
                              "files": [s.value for s in asserted if s.predicate == DCT + "source"
                                        and not s.value.startswith("http")],
                              "inferred": [(curie(s.predicate) or s.predicate,
                                            curie(s.value) or s.value if s.is_iri else s.value) for s in inferred]}}

    def _labelled(self, iri: str) -> bool:
        return any(q[1] == PREFIX_LABEL for q in self.data.by_subject.get(iri, ()))

    def places(self, iri: str, statements: list[Statement]) -> list[Place]:
        """Return the places the node's facts are stated in, in document order, each with what it states."""
        states: dict[str, list[str]] = defaultdict(list)
        cites: dict[str, Cite] = {}
        for s in statements:
            for c in s.citations:
                if c.kind == "locator" and c.locator is not None:
                    cites.setdefault(c.locator.iri, self.place(c.locator, iri))
                    what = self.property_label(s.predicate)
                    if what not in states[c.locator.iri]:
                        states[c.locator.iri].append(what)
        order = sorted(cites, key=lambda loc: (self.data.locators[loc].document, self.data.locators[loc].line, loc))
        return [Place(cites[loc], tuple(states[loc])) for loc in order]

    def named(self, iri: str) -> list[Cite]:
        """Return every place a document names the node (its mention selectors), in document order."""
        found, seen = [], set()
        for mention in self.data.mentions.get(iri, ()):   # by locator, then offset: the first words in each place
            locator = self.data.locators.get(mention.locator)
            if locator is not None and locator.iri not in seen:
                seen.add(locator.iri)
                found.append((locator.document, mention.start, self.place(locator, iri)))
        return [cite for _, _, cite in sorted(found, key=lambda f: (f[0], f[1]))]


PREFIX_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


def urls(source: str) -> list[str]:
    """Return the URLs in a reference fact's ``dcterms:source`` (one, or several separated by ';')."""
    return [part for part in source.replace(";", " ").split() if part.startswith(("http://", "https://"))]


def entity_pages(data: Data) -> list[str]:
    """Return the IRIs that get a page (the things the graph names), sorted."""
    return [e for e in data.entities() if not e.startswith(NO_PAGE)]


def _squash(text: str, *, left: bool | None = None) -> str:
    squashed = " ".join(text.split())
    if left is True and text[-1:].isspace():
        squashed += " "
    if left is False and text[:1].isspace():
        squashed = " " + squashed
    return squashed


def _cut(text: str, limit: int) -> str:
    """Return *text* cut at a word boundary near *limit* characters, with an ellipsis when cut."""
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + " …"
