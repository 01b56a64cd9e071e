"""What the static site shows, read from the stored build: nodes, their statements and the citations.

The site never hard-codes an answer: it reads every quad of the stored build once (pyoxigraph),
indexes it here, and runs the saved queries for the tables. A statement's citation is per statement
(see ontology/README.md, Provenance): the locators of its ``rdf:Statement`` node in the
``provenance`` graph, in the document (named graph) holding the statement; where it has none, the
locator its subject was derived from in that document (the object's, where the subject has none);
a reference-data statement cites its ``dcterms:source``; a statement of the ``inferred`` graph says
that reasoning added it. Statement and selector nodes get no pages of their own.

>>> short_iri("https://w3id.org/meakg/id/target/aichi/12")
'aichi:12'
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph

from meakg.ontology.resources import SHAPES_FILE
from meakg.ontology.vocab import GRAPHS, ID, ONTOLOGY, PREFIXES

RDF_TYPE = PREFIXES["rdf"] + "type"
RDFS_LABEL = PREFIXES["rdfs"] + "label"
RDFS_COMMENT = PREFIXES["rdfs"] + "comment"
SKOS = PREFIXES["skos"]
DCT = PREFIXES["dcterms"]
DERIVED = PREFIXES["prov"] + "wasDerivedFrom"
LOCATOR = ID + "locator/"
RDF = PREFIXES["rdf"]
NO_PAGE = (LOCATOR, ID + "statement/", ID + "selector/")   # provenance nodes: shown as citations, not pages
LABEL_KEYS = (RDFS_LABEL, SKOS + "prefLabel", DCT + "title", SKOS + "altLabel", SKOS + "notation")


def short_iri(iri: str) -> str:
    """Return *iri* as a project CURIE where a prefix fits, else unchanged."""
    best = max((ns for ns in PREFIXES.values() if iri.startswith(ns)), key=len, default=None)
    if best is None:
        return iri
    return next(p for p, ns in PREFIXES.items() if ns == best) + ":" + iri[len(best):]


@dataclass(frozen=True)
class Locator:
    """A place in a source document: paragraph, table row or cell."""

    iri: str
    document: str     # document key (the source file stem)
    ref: str          # the part of the IRI after the document key: the page anchor
    label: str
    line: int
    quote: str


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

    def __post_init__(self) -> None:
        for quad in self.quads:
            self.by_subject[quad[0]].append(quad)
            if quad[3]:
                self.by_object[quad[2]].append(quad)
        for node in (s for s in self.by_subject if s.startswith(ID + "statement/")):
            parts = {q[1]: q[2] for q in self.by_subject[node]}
            key = (parts.get(RDF + "subject"), parts.get(RDF + "predicate"), parts.get(RDF + "object"))
            self.stated_by[key] += self.values(node, DERIVED)
        for iri in sorted(s for s in self.by_subject if s.startswith(LOCATOR)):
            doc, _, ref = iri[len(LOCATOR):].partition("/")
            line = self.value(iri, ONTOLOGY + "line")
            self.locators[iri] = Locator(iri, doc, ref, self.label(iri), int(line) if line else 0,
                                         self.value(iri, ONTOLOGY + "quote") or "")

    def values(self, subject: str, predicate: str) -> list[str]:
        return sorted({q[2] for q in self.by_subject.get(subject, ()) if q[1] == predicate})

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
                return found
        if iri.startswith(ONTOLOGY):
            return iri[len(ONTOLOGY):]
        return short_iri(iri)

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
        if name == "reference":
            return tuple(Citation("source", source=s) for s in self.values(subject, DCT + "source"))
        stated = [self.locators[v] for v in self.stated_by.get((subject, predicate, value), ()) if v in self.locators]
        found = sorted((loc for loc in stated if loc.document == name), key=lambda loc: (loc.line, loc.ref)) or \
            self.locators_of(subject, name) or (self.locators_of(value, name) if is_iri else [])
        return tuple(Citation("locator", loc) for loc in found)


def load(store: pyoxigraph.Store) -> Data:
    """Return every quad of the named graphs of *store*, indexed (the default graph, their merge, is skipped)."""
    quads = []
    for quad in store.quads_for_pattern(None, None, None, None):
        if isinstance(quad.graph_name, pyoxigraph.DefaultGraph) or isinstance(quad.subject, pyoxigraph.BlankNode):
            continue
        obj = quad.object
        quads.append((quad.subject.value, quad.predicate.value, obj.value,
                      isinstance(obj, pyoxigraph.NamedNode), quad.graph_name.value))
    return Data(sorted(quads))


def source_text(data: Data, document: str, directory: Path | None = None) -> list[str]:
    """Return the lines of *document* as the build read it (kept in the build: wherever it came from)."""
    from meakg.graph.build.current import document_text

    return document_text(document, directory).splitlines()


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
    for row in store.query(SHAPES_QUERY):
        name = row["shape"].value.rpartition("#")[2]
        entry = rows.setdefault(name, {"target": "", "severity": "Violation", "messages": set()})
        if row["target"] is not None:
            entry["target"] = row["target"].value
        path_ = row["path"].value if row["path"] is not None else ""
        # a SPARQL constraint's message names its variables ({?firstName}); people read the name
        message = re.sub(r"\{[?$](\w+)\}", lambda m: "‹" + re.sub(r"(?<!^)([A-Z])", r" \1", m[1]).lower() + "›", row["message"].value)
        entry["messages"].add((path_, message, row["severity"].value.rpartition("#")[2]))
    found = []
    for name, entry in sorted(rows.items()):
        severities = sorted({m[2] for m in entry["messages"]})
        found.append(Shape(name, entry["target"], "/".join(severities),
                           tuple(sorted((p, m) for p, m, _ in entry["messages"]))))
    return found
