"""What the static site shows, read from the stored build: nodes, their statements and the citations.

The site never hard-codes an answer: it reads every quad of the stored build once (pyoxigraph),
indexes it here, and runs the saved queries for the tables. A statement's citation is per statement
(see ontology/README.md, Provenance): the locators of its ``rdf:Statement`` node in the
``provenance`` graph, in the document (named graph) holding the statement; where it has none, the
locator its subject was derived from in that document (the object's, where the subject has none);
a reference-data statement cites its ``dcterms:source``; a statement of the ``inferred`` graph says
that reasoning added it. Statement and selector nodes get no pages of their own.

Each locator keeps its text position selector (``oa:start``, ``oa:end``: the exact words it stands
for in the document's text), and each name found in a locator's text its mention selector, so a
page can point at the very words.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph

from meakg.graph.site import plain
from meakg.ontology.errors import MeakgError
from meakg.ontology.resources import SHAPES_FILE
from meakg.ontology.vocab import GRAPHS, ID, ONTOLOGY, PREFIXES, curie

RDF_TYPE = PREFIXES["rdf"] + "type"
RDFS_LABEL = PREFIXES["rdfs"] + "label"
RDFS_COMMENT = PREFIXES["rdfs"] + "comment"
SKOS = PREFIXES["skos"]
DCT = PREFIXES["dcterms"]
DERIVED = PREFIXES["prov"] + "wasDerivedFrom"
LOCATOR = ID + "locator/"
RDF = PREFIXES["rdf"]
NO_PAGE = (LOCATOR, ID + "statement/", ID + "selector/")   # provenance nodes: shown as citations, not pages
CURIE_IN_TEXT = re.compile(r"\b([a-z][a-z0-9-]*[a-z0-9]):([\w.-]*\w)")   # 'aichi:16', 'gbf-goal:A' in a label
LABEL_KEYS = (RDFS_LABEL, SKOS + "prefLabel", DCT + "title", SKOS + "altLabel", SKOS + "notation")
OA = PREFIXES["oa"]
MENTIONS = PREFIXES["schema"] + "mentions"
XSD_STRING = PREFIXES["xsd"] + "string"
# what a node is printed as in a document, longest first when looking for its words
PRINTED = (ONTOLOGY + "acronym", DCT + "identifier", RDFS_LABEL, SKOS + "altLabel", SKOS + "hiddenLabel",
           SKOS + "prefLabel")


@dataclass(frozen=True)
class Locator:
    """A place in a source document: paragraph, table row or cell."""

    iri: str
    document: str     # document key (the source file stem)
    ref: str          # the part of the IRI after the document key: the page anchor
    label: str
    line: int
    quote: str
    start: int | None = None   # the words it stands for: its position selector, offsets into the text
    end: int | None = None


@dataclass(frozen=True)
class Mention:
    """A name found in a locator's text: the node it names and the exact words (mention selector)."""

    node: str
    locator: str
    start: int
    end: int
    exact: str


@dataclass(frozen=True)
class Citation:
    """Where a statement comes from: a locator, a reference source, or reasoning."""

    kind: str                     # "locator", "source" or "inferred"
    locator: Locator | None = None
    source: str = ""              # dcterms:source of a reference fact (a URL or a note)


@dataclass(frozen=True)
class Statement:
    subject: str
    predicate: str
    value: str
    is_iri: bool
    graph: str
    citations: tuple[Citation, ...]


@dataclass
class Data:
    """The stored build, indexed for pages: quads by subject and object, labels, locators."""

    quads: list[tuple[str, str, str, bool, str]]            # subject, predicate, value, value is IRI, graph
    by_subject: dict[str, list] = field(default_factory=lambda: defaultdict(list))
    by_object: dict[str, list] = field(default_factory=lambda: defaultdict(list))
    locators: dict[str, Locator] = field(default_factory=dict)
    stated_by: dict[tuple, list] = field(default_factory=lambda: defaultdict(list))  # (s, p, o) -> locator IRIs
    sourced_by: dict[tuple, list] = field(default_factory=lambda: defaultdict(list))  # (s, p, o) -> sources
    datatypes: dict[tuple, str] = field(default_factory=dict)     # (s, p, o) -> datatype of a typed literal
    mentions: dict[str, list] = field(default_factory=lambda: defaultdict(list))   # node -> [Mention]

    def __post_init__(self) -> None:
        values: dict[tuple[str, str], set[str]] = defaultdict(set)
        for quad in self.quads:
            self.by_subject[quad[0]].append(quad)
            values[(quad[0], quad[1])].add(quad[2])
            if quad[3]:
                self.by_object[quad[2]].append(quad)
        self._values = {key: sorted(found) for key, found in values.items()}
        for node in (s for s in self.by_subject if s.startswith(ID + "statement/")):
            parts = {q[1]: q[2] for q in self.by_subject[node]}
            key = (parts.get(RDF + "subject"), parts.get(RDF + "predicate"), parts.get(RDF + "object"))
            self.stated_by[key] += self.values(node, DERIVED)
            self.sourced_by[key] += self.values(node, DCT + "source")   # a reference fact's own sources
        for iri in sorted(s for s in self.by_subject if s.startswith(LOCATOR)):
            doc, _, ref = iri[len(LOCATOR):].partition("/")
            line = self.value(iri, ONTOLOGY + "line")
            self.locators[iri] = Locator(iri, doc, ref, self.label(iri), int(line) if line else 0,
                                         self.value(iri, ONTOLOGY + "quote") or "", *self._position(iri))
        for node in (s for s in self.by_subject if s.startswith(ID + "selector/") and "/mention-" in s):
            named, locator = self.value(node, DCT + "subject"), self.value(node, DCT + "isPartOf")
            start, end = self.value(node, OA + "start"), self.value(node, OA + "end")
            if named and locator and start is not None and end is not None:
                self.mentions[named].append(Mention(named, locator, int(start), int(end),
                                                    self.value(node, OA + "exact") or ""))
        for found in self.mentions.values():
            found.sort(key=lambda m: (m.locator, m.start))

    def _position(self, locator: str) -> tuple[int | None, int | None]:
        for selector in self.values(locator, OA + "hasSelector"):
            start, end = self.value(selector, OA + "start"), self.value(selector, OA + "end")
            if start is not None and end is not None:
                return int(start), int(end)
        return None, None

    def values(self, subject: str, predicate: str) -> list[str]:
        """Return the values of *predicate* on *subject* in any graph, each once, sorted."""
        return self._values.get((subject, predicate), [])

    def value(self, subject: str, predicate: str) -> str | None:
        found = self.values(subject, predicate)
        return found[0] if found else None

    def label(self, iri: str) -> str:
        """Return the name people know *iri* by: rdfs:label, skos:prefLabel, title, notation, else its CURIE."""
        alt, pref = self.value(iri, SKOS + "altLabel"), self.value(iri, SKOS + "prefLabel")
        if alt and pref and self.value(iri, SKOS + "notation") and not self.value(iri, RDFS_LABEL):
            return f"{alt}: {pref}"  # a target: "Aichi Target 16: Access to and sharing benefits ..."
        for key in LABEL_KEYS:
            found = self.value(iri, key)
            if found:
                return self.readable(found, iri)
        if iri in plain.DATATYPES:
            return plain.DATATYPES[iri]
        if iri.startswith(ONTOLOGY):
            return iri[len(ONTOLOGY):]
        return curie(iri) or iri

    def readable(self, text: str, node: str) -> str:
        """Return a label of *node* with the CURIEs it holds replaced by the names of what they name."""
        return CURIE_IN_TEXT.sub(lambda m: self._short_name(m, node), text) if ":" in text else text

    def _short_name(self, match: re.Match, node: str) -> str:
        """Return the name of the node a CURIE in *node*'s label stands for ('aichi:16 -> gbf:13' reads
        'Aichi Target 16 -> GBF Target 13'): the project's prefix, else the node *node* points at whose IRI
        ends with the CURIE's local part ('gbf-goal:A' for id/goal/gbf/A); the CURIE itself when neither fits."""
        iri = PREFIXES[match[1]] + match[2] if match[1] in PREFIXES else None
        if iri is None:
            tail = "/" + match[2].lower()
            ends = sorted(q[2] for q in self.by_subject.get(node, ()) if q[3] and q[2].lower().endswith(tail))
            iri = ends[0] if len(ends) == 1 else None
        if iri and iri in self.by_subject:
            for key in (SKOS + "altLabel", RDFS_LABEL, SKOS + "prefLabel"):
                found = self.value(iri, key)
                if found:
                    return found
        if iri in plain.DATATYPES:
            return plain.DATATYPES[iri]
        if iri and not iri.startswith(ID):   # a term of a vocabulary: its local name in words ('org:Role': 'role')
            return plain.header(match[2]).lower()
        return match[0]

    def cited_as(self, document: str) -> str:
        """Return how a document is cited: its symbol, or its title when it prints none (its key stands in)."""
        iri = ID + "document/" + document
        symbol = self.value(iri, DCT + "identifier")
        return symbol if symbol and symbol != document else self.value(iri, DCT + "title") or document

    def printed(self, iri: str) -> list[str]:
        """Return the names *iri* may be printed as in a document (acronym, symbol, labels), longest first."""
        names = {v for key in PRINTED for v in self.values(iri, key) if 1 < len(v) < 120}
        return sorted(names, key=lambda n: (-len(n), n))

    def datatype(self, subject: str, predicate: str, value: str) -> str:
        """Return the datatype of a literal statement (``xsd:string`` when it has none of note)."""
        return self.datatypes.get((subject, predicate, value), XSD_STRING)

    def entities(self) -> list[str]:
        """Return every IRI under id/ the graph says something about, locators excepted, sorted."""
        return sorted(s for s in self.by_subject if s.startswith(ID) and not s.startswith(NO_PAGE))

    def types(self, iri: str) -> list[str]:
        """Return the classes *iri* is stated (not inferred) to be in."""
        return sorted({q[2] for q in self.by_subject.get(iri, ()) if q[1] == RDF_TYPE and q[4] != GRAPHS + "inferred"})

    def locators_of(self, iri: str, document: str | None = None) -> list[Locator]:
        """Return the locators *iri* was derived from (in *document* only, when given), in document order."""
        found = [self.locators[v] for v in self.values(iri, DERIVED) if v in self.locators]
        if document is not None:
            found = [loc for loc in found if loc.document == document]
        return sorted(found, key=lambda loc: (loc.document, loc.line, loc.ref))

    def statements(self, iri: str, *, incoming: bool = False) -> list[Statement]:
        """Return what the graph states about *iri* (or, *incoming*, what points at it), each with its citations."""
        quads = self.by_object.get(iri, ()) if incoming else self.by_subject.get(iri, ())
        seen: dict[tuple, Statement] = {}
        for s, p, o, is_iri, g in sorted(quads):
            if p == DERIVED or (incoming and (s.startswith(NO_PAGE) or not s.startswith(ID))):
                continue
            if g == GRAPHS + "provenance":   # selectors and digests: about the data, shown as citations
                continue
            key = (s, p, o)
            cites = self._citations(s, p, o, is_iri, g)
            if key in seen:  # stated in two graphs: keep both citations
                old = seen[key]
                cites = old.citations + tuple(c for c in cites if c not in old.citations)
            seen[key] = Statement(s, p, o, is_iri, seen[key].graph if key in seen else g, cites)
        return list(seen.values())

    def _citations(self, subject: str, predicate: str, value: str, is_iri: bool, graph: str) -> tuple[Citation, ...]:
        name = graph[len(GRAPHS):]
        if name == "inferred":
            return (Citation("inferred"),)
        if name == "reference":   # its own sources, else its subject's; a source may be a place in a document
            sources = self.sourced_by.get((subject, predicate, value)) or self.values(subject, DCT + "source")
            return tuple(Citation("locator", self.locators[s]) if s in self.locators else Citation("source", source=s)
                         for s in sources)
        stated = [self.locators[v] for v in self.stated_by.get((subject, predicate, value), ()) if v in self.locators]
        found = sorted((loc for loc in stated if loc.document == name), key=lambda loc: (loc.line, loc.ref)) or \
            self.locators_of(subject, name) or (self.locators_of(value, name) if is_iri else [])
        return tuple(Citation("locator", loc) for loc in found)


def load(store: pyoxigraph.Store) -> Data:
    """Return every quad of the named graphs of *store*, indexed (the default graph, their merge, is skipped)."""
    quads, datatypes = [], {}
    for quad in store.quads_for_pattern(None, None, None, None):
        obj = quad.object  # a page is about a node with an IRI: no blank node or quoted triple as subject
        if isinstance(quad.graph_name, pyoxigraph.DefaultGraph) or not isinstance(quad.subject, pyoxigraph.NamedNode) \
                or isinstance(obj, pyoxigraph.Triple):
            continue
        quads.append((quad.subject.value, quad.predicate.value, obj.value,
                      isinstance(obj, pyoxigraph.NamedNode), quad.graph_name.value))
        if isinstance(obj, pyoxigraph.Literal) and obj.datatype.value not in (XSD_STRING, RDF + "langString"):
            datatypes[(quad.subject.value, quad.predicate.value, obj.value)] = obj.datatype.value
    return Data(sorted(quads), datatypes=datatypes)


def bound(row: dict[str, str | None], name: str) -> str:
    """Return the value of *name* in a row of a saved query that binds it in every row (``Result.records``); a row
    without it is an error, never a blank on a page.

    >>> bound({"instrument": "CMS", "note": None}, "instrument")
    'CMS'
    >>> bound({"instrument": "CMS", "note": None}, "note")
    Traceback (most recent call last):
    meakg.ontology.errors.MeakgError: expected ?note bound in every row of the saved query, found a row without it
    """
    value = row[name]
    if value is None:
        raise MeakgError(f"expected ?{name} bound in every row of the saved query, found a row without it")
    return value


def source_text(data: Data, document: str, directory: Path | None = None) -> str:
    """Return the text of *document* as the build read it (kept in the build, wherever the document came from):
    the one place the site reads a document's text.

    Selector offsets count into this text, so it must be the text whose digest the graph records
    (``mea:sha256``); a different text is an error rather than marks on the wrong words.
    """
    from meakg.graph.build.current import document_text

    text = document_text(document, directory)
    digest = data.value(ID + "document/" + document, ONTOLOGY + "sha256")
    if digest and hashlib.sha256(text.encode("utf-8")).hexdigest() != digest:
        raise MeakgError(f"{document}: expected the text the build read (sha256 {digest[:12]}...), found another; "
                         "run meakg build")
    return text


def source_documents(data: Data) -> list[str]:
    """Return the keys of the documents the build was read from (those with locators), sorted."""
    return sorted({loc.document for loc in data.locators.values()})


@dataclass(frozen=True)
class Shape:
    """A SHACL shape for people: its name, the class it checks, its severity and its messages."""

    name: str
    target: str
    severity: str
    messages: tuple[tuple[str, str], ...]   # (property path or "", message)


SHAPES_QUERY = """
PREFIX sh: <http://www.w3.org/ns/shacl#>
SELECT ?shape ?target ?severity ?path ?message WHERE {
  ?shape a sh:NodeShape .
  OPTIONAL { ?shape sh:targetClass ?target }
  OPTIONAL { ?shape sh:severity ?s0 }
  { ?shape sh:message ?message } UNION { ?shape sh:sparql/sh:message ?message }
  UNION { ?shape sh:property ?p . ?p sh:message ?message . OPTIONAL { ?p sh:path ?path FILTER(isIRI(?path)) }
          OPTIONAL { ?p sh:severity ?s1 } }
  BIND(COALESCE(?s1, ?s0, sh:Violation) AS ?severity)
}"""


def shapes(path: Path | None = None) -> list[Shape]:
    """Return the SHACL shapes of ``ontology/shapes.ttl`` with their messages, sorted by name."""
    store = pyoxigraph.Store()
    store.load(path=str(path or SHAPES_FILE), format=pyoxigraph.RdfFormat.TURTLE)
    rows: dict[str, dict] = {}
    solutions = store.query(SHAPES_QUERY)
    assert isinstance(solutions, pyoxigraph.QuerySolutions)  # a SELECT
    for row in solutions:
        name = row["shape"].value.rpartition("#")[2]
        entry = rows.setdefault(name, {"target": "", "severity": "Violation", "messages": set()})
        if row["target"] is not None:
            entry["target"] = row["target"].value
        path_ = row["path"].value if row["path"] is not None else ""
        # a SPARQL constraint's message names its variables ({?firstName}); people read the name
        message = re.sub(r"\{[?$](\w+)\}", lambda m: "‹" + re.sub(r"(?<!^)([A-Z])", r" \1", m[1]).lower() + "›",
                         row["message"].value)
        entry["messages"].add((path_, message, row["severity"].value.rpartition("#")[2]))
    found = []
    for name, entry in sorted(rows.items()):
        severities = sorted({m[2] for m in entry["messages"]})
        found.append(Shape(name, entry["target"], "/".join(severities),
                           tuple(sorted((p, m) for p, m, _ in entry["messages"]))))
    return found
