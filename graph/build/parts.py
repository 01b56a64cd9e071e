"""What each document, and the base (ontology and reference data), contributes to a build, as N-Quads lines.

A document's part is its named graph (its own description and what its loader reads), its share
of the ``provenance`` graph, and what its statements imply under the ontology: candidates for the
``inferred`` graph, which ``assemble.merge`` settles once every part is in (a triple another graph
asserts is not inferred). A part depends on the document's bytes and on the base alone, so a build
reuses the part of an unchanged document, and parts are read in parallel.

Lines are written by pyoxigraph's N-Quads serializer, each once and sorted: the same terms always
give the same bytes, whichever part they came from.
"""

from __future__ import annotations

import base64
import hashlib
import pickle
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pyoxigraph
from rdflib import RDF, Literal, URIRef
from rdflib.namespace import DCTERMS, XSD
from rdflib.term import Node

from meakg.graph.build.dataset import to_oxigraph
from meakg.graph.build.reason import _PROVENANCE, Rules, _schema, useful
from meakg.loaders.provenance import is_provenance
from meakg.ontology.resources import ONTOLOGY_FILE
from meakg.ontology.vocab import graph_iri

INFERRED = graph_iri("inferred")
BASE_FILE, RULES_FILE = "base.nq", "rules.pickle"   # kept in a generation for the next build of the same base
PROVENANCE = graph_iri("provenance")


@dataclass(frozen=True)
class Part:
    """One document's contribution: its N-Quads lines, the text it was read as, whether it states schema."""

    key: str
    nquads: bytes      # sorted lines, each once; "inferred" lines are candidates (see module docstring)
    text: str | None   # the document normalised, as its offsets and digest count it (None: reused, not read)
    schema: bool       # it states classes or properties: the per-statement rules may not hold for it


class Base:
    """What every part is read against: the reference data, the ontology and the rules compiled from them.

    Each is made when first needed; with *previous* (the generation of a build of the same base) the
    rules and the base's own quads are taken from it, and with *into* kept for the next build.
    """

    def __init__(self, *, reason: bool = True, previous: Path | None = None, into: Path | None = None) -> None:
        self.reason, self.previous, self.into = reason, previous, into

    @cached_property
    def reference(self):
        from meakg.loaders.reference import load_reference

        return load_reference()

    @cached_property
    def ontology(self) -> list:
        return _ontology_triples()

    @cached_property
    def triples(self) -> list:
        """The reference graph: what the reference data states (never the statements citing its links' sources)."""
        return [t for t in self._reference_all if not is_provenance(t)]

    @cached_property
    def provenance(self) -> list:
        """A link out's statement, citing its sources: provenance, never reasoned over."""
        return [t for t in self._reference_all if is_provenance(t)]

    @cached_property
    def _reference_all(self) -> list:
        return list(self.reference.to_triples())

    @cached_property
    def rules(self) -> Rules | None:
        if not self.reason:
            return None
        found = self._kept(RULES_FILE)
        if found is not None:
            return pickle.loads(found)
        rules = Rules.compile(_schema({*self.ontology, *self.triples}))
        self._keep(RULES_FILE, pickle.dumps(rules, protocol=pickle.HIGHEST_PROTOCOL))
        return rules

    def nquads(self) -> bytes:
        """The ontology and reference graphs, and what they imply (candidates for "inferred")."""
        found = self._kept(BASE_FILE) if self.reason else None
        if found is not None:
            return found
        quads = [*_in_graph(self.ontology, "ontology"), *_in_graph(self.triples, "reference"),
                 *_in_graph(self.provenance, "provenance")]
        if self.rules is not None:
            quads += _in_graph(self.rules.schema_closure, "inferred", useful_only=True)
            quads += _implied(self.rules, [*self.ontology, *self.triples])
        data = serialize(quads)
        if self.reason:
            self._keep(BASE_FILE, data)
        return data

    def _kept(self, name: str) -> bytes | None:
        try:
            found = (self.previous / name).read_bytes() if self.previous is not None else None
        except OSError:
            return None
        if found is not None:
            self._keep(name, found)  # for the build after the next
        return found

    def _keep(self, name: str, data: bytes) -> None:
        if self.into is not None:
            (self.into / name).write_bytes(data)


def document_part(document, base: Base) -> Part:
    """Return what *document* (``sources.Document``: a source with its bytes) contributes to the build."""
    from meakg import loaders
    from meakg.loaders.text import normalise

    source = document.source
    text = loaders.decode(source.path, document.data)
    graph = list(_description(source, normalise(text)))
    provenance: list[tuple] = []
    for triple in loaders.load(source, base.reference, text=text):
        (provenance if is_provenance(triple) else graph).append(triple)
    quads = [*_in_graph(graph, source.key), *_in_graph(provenance, "provenance")]
    schema = bool(_schema(set(graph)))
    if base.rules is not None and not schema:
        quads += _implied(base.rules, graph)
    return Part(source.key, serialize(quads), normalise(text), schema)


def _description(source, normalised: str):
    """The document's own description: what sources.yaml (or --source) says of it, and where it comes from: the
    text read (named by its digest, RFC 6920: the same on any machine) and, if known, where it is published."""
    from meakg.loaders.rdf import MEA, document_iri, text

    node = document_iri(source.key)
    yield node, RDF.type, MEA.Document
    yield node, DCTERMS.title, text(source.title)
    yield node, DCTERMS.date, Literal(source.date, datatype=XSD.gYear)
    yield node, DCTERMS.publisher, Literal(source.publisher)
    yield node, DCTERMS.identifier, Literal(source.symbol or source.key)
    yield node, DCTERMS.source, URIRef(text_iri(normalised))  # never a path on this machine
    if source.url:
        yield node, DCTERMS.source, URIRef(source.url)


def text_iri(text: str) -> str:
    """Return the IRI naming *text* by its SHA-256 digest (RFC 6920 ``ni:``), as the build read it.

    >>> text_iri("Hello World!")
    'ni:///sha-256;f4OxZX_x_FO5LcGBSKHWXfwtSx-j1ncoSt3SABJtkGk'
    """
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "ni:///sha-256;" + base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")


def _implied(rules: Rules, triples) -> list:
    """What *triples* imply under *rules* and no triple of theirs states, in the "inferred" graph."""
    given = set(triples)
    found = {t for s, p, o in given if not str(s).startswith(_PROVENANCE) for t in rules.apply(s, p, o)}
    return _in_graph((t for t in found if t not in given and useful(*t)), "inferred")


def _in_graph(triples, name: str, *, useful_only: bool = False) -> list:
    graph = pyoxigraph.NamedNode(graph_iri(name))
    cache: dict[Node, pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal] = {}

    def term(t):
        found = cache.get(t)
        if found is None:
            found = cache[t] = to_oxigraph(t)
        return found

    return [pyoxigraph.Quad(term(s), term(p), term(o), graph) for s, p, o in triples
            if not useful_only or useful(s, p, o)]


def serialize(quads) -> bytes:
    """Return *quads* as N-Quads, sorted lines, each once.

    >>> q = pyoxigraph.Quad(pyoxigraph.NamedNode("http://a"), pyoxigraph.NamedNode("http://p"), pyoxigraph.Literal("x"),
    ...                     pyoxigraph.NamedNode("http://g"))
    >>> serialize([q, q])
    b'<http://a> <http://p> "x" <http://g> .\\n'
    """
    text = pyoxigraph.serialize(quads, format=pyoxigraph.RdfFormat.N_QUADS) or b""  # bytes: no output given
    lines = sorted(set(text.split(b"\n")) - {b""})
    return b"\n".join(lines) + b"\n" if lines else b""


def _ontology_triples() -> list:
    """The ontology (meakg.ttl) as rdflib triples, read by pyoxigraph's parser."""
    from meakg.graph.build.dataset import converter

    term = converter()
    return [(term(t.subject), term(t.predicate), term(t.object))
            for t in pyoxigraph.parse(path=str(ONTOLOGY_FILE), format=pyoxigraph.RdfFormat.TURTLE)]
