"""Serialise the dataset deterministically for partners: Turtle, N-Triples, N-Quads, TriG, JSON-LD, RDF/XML.

The same build gives byte-identical files: rdflib's Turtle writer sorts subjects and predicates,
N-Triples and N-Quads lines are sorted, RDF/XML is written from sorted triples, TriG graphs are written
in IRI order, JSON-LD nodes and values are sorted; prefixes are always ``ontology.vocab.PREFIXES`` (an
IRI outside them is written in full); nothing reads the clock. Exports read the
stored build (``graph.store``), add the description graph (``graph.describe``) and are written
atomically.

>>> from rdflib import Dataset, Literal, URIRef
>>> ds = Dataset()
>>> g = ds.graph(URIRef("https://w3id.org/meakg/graph/plan"))
>>> _ = g.add((URIRef("https://w3id.org/meakg/id/plan/p"), URIRef("http://purl.org/dc/terms/title"), Literal("P")))
>>> print(render(ds, Format.NTRIPLES), end="")
<https://w3id.org/meakg/id/plan/p> <http://purl.org/dc/terms/title> "P" .
"""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import OWL, RDF
from rdflib.plugins.serializers.trig import TrigSerializer
from rdflib.plugins.serializers.turtle import _GEN_QNAME_FOR_DT, TurtleSerializer
from rdflib.term import Node

from meakg.graph.build.dataset import new_dataset  # the one dataset factory (re-exported: publish and tests use it)
from meakg.graph.export.formats import EXTENSIONS, FORMAT_NAMES, Format, format_for  # noqa: F401  (re-exported)
from meakg.graph.files import write_atomic
from meakg.ontology.errors import MeakgError
from meakg.ontology.resources import CONTEXT_FILE
from meakg.ontology.vocab import CONTEXT, ONTOLOGY, PREFIXES, curie, graph_iri, natural_key
from meakg.ontology.vocab import GENID as _GENID

CONTEXT_URL = CONTEXT
GRAPH_CHOICES = ("asserted", "inferred", "ontology", "all")
# Skolem IRIs for blank nodes, should any appear: under our own space (w3id.org is shared).
GENID = _GENID


def select(ds: Dataset, graphs: str) -> Graph:
    """Return one graph holding the union of the named graphs chosen by *graphs*.

    *graphs* is 'asserted' (sources and reference data), 'ontology', 'inferred', 'all', or a
    '+'-joined combination such as 'asserted+ontology'.
    """
    union = _graph()
    for g in choose(ds, graphs, describe=False).graphs():
        for triple in g:
            union.add(triple)
    return union


def serialize(ds: Dataset, *, fmt: str = "turtle", graphs: str = "all") -> str:
    """Return the chosen graphs of *ds* serialised as *fmt* (Turtle by default), without a description."""
    if fmt in ("turtle", "ttl"):
        return _write(_Turtle(select(ds, graphs)))  # literals kept exact, so the file round-trips
    return select(ds, graphs).serialize(format=fmt)


def load(directory: Path | None = None) -> Dataset:
    """Return the stored build (rebuilt first if missing, stale or damaged) as a dataset, blank nodes skolemised."""
    from meakg.graph.build.current import load_dataset

    return skolemise(load_dataset(directory))


def kind(graph: URIRef) -> str:
    """Return which part of the dataset *graph* holds: 'ontology', 'inferred', 'description' or 'asserted'
    (the sources, the reference data, and the provenance of what the sources state)."""
    for name in ("ontology", "inferred", "description"):
        if graph == URIRef(graph_iri(name)):
            return name
    return "asserted"


def choose(ds: Dataset, graphs: str = "all", *, describe: bool = True, endpoint: str | None = None) -> Dataset:
    """Return a dataset with the named graphs of *ds* chosen by *graphs*, plus the description graph.

    The description always describes the whole dataset (every data graph), whichever graphs are chosen.
    """
    wanted = _wanted(graphs)
    chosen = new_dataset()
    for g in sorted(ds.graphs(), key=lambda g: str(g.identifier)):
        if (not isinstance(g.identifier, URIRef) or g.identifier == DATASET_DEFAULT_GRAPH_ID or not len(g)
                or kind(g.identifier) == "description"):
            continue
        if "all" in wanted or kind(g.identifier) in wanted:
            target = chosen.graph(g.identifier)
            for triple in g:
                target.add(triple)
    if describe:
        from meakg.graph.export.describe import describe as description

        target = chosen.graph(URIRef(graph_iri("description")))
        for triple in description(ds, endpoint=endpoint):
            target.add(triple)
    return chosen


def _wanted(graphs: str) -> set[str]:
    wanted = set(graphs.split("+"))
    unknown = sorted(wanted - set(GRAPH_CHOICES))
    if unknown:
        raise MeakgError(f"unknown graph selection {unknown[0]!r} (expected one of: {', '.join(GRAPH_CHOICES)},"
                         " or a '+'-joined combination)")
    return wanted


def render(ds: Dataset, fmt: Format | str = Format.TURTLE) -> str:
    """Return *ds* serialised as *fmt*; Turtle, N-Triples and JSON-LD merge the named graphs, TriG keeps them."""
    fmt = Format(fmt)
    _check_no_blank_nodes(ds)
    if fmt is Format.TRIG:
        return _trig(ds)
    if fmt is Format.NQUADS:
        lines = {line for g in ds.graphs() if len(g) for line in _nquads(g).splitlines() if line.strip()}
        return "".join(line + "\n" for line in sorted(lines))
    union = _graph()
    for g in ds.graphs():
        for triple in g:
            union.add(triple)
    if fmt is Format.TURTLE:
        return _write(_Turtle(union))
    if fmt is Format.NTRIPLES:
        ordered = sorted({line for line in union.serialize(format="nt").splitlines() if line.strip()})
        return "".join(line + "\n" for line in ordered)
    if fmt is Format.RDFXML:
        return _rdfxml(union)
    return _jsonld(union)


def export(fmt: Format | str = Format.TURTLE, *, graphs: str = "all", out: Path | None = None,
           directory: Path | None = None, endpoint: str | None = None) -> str:
    """Return the stored build's chosen graphs with their description as *fmt*; write it atomically to *out*
    if given."""
    from meakg.graph import progress

    fmt = Format(fmt)
    _wanted(graphs)  # bad input fails before the work starts
    with progress.step("Reading the build"):
        ds = load(directory)
    with progress.step(f"Rendering {fmt.value}"):
        text = render(choose(ds, graphs, endpoint=endpoint), fmt)
    if out is not None:
        write_atomic(Path(out), text)
    return text


def skolemise(ds: Dataset) -> Dataset:
    """Return *ds* with any blank node replaced by a skolem IRI derived from its surroundings (not its label).

    Labels come from colour refinement over the quads: the same data gives the same IRIs in any run.
    Blank nodes it cannot tell apart (perfectly symmetric ones) are an error, not a coin toss.
    """
    quads = [(s, p, o, _name(g)) for s, p, o, g in ds.quads()]
    bnodes = sorted({t for q in quads for t in (q[0], q[2]) if isinstance(t, BNode)})
    if not bnodes:
        return ds
    around: dict[BNode, list] = {b: [] for b in bnodes}
    for s, p, o, g in quads:
        if isinstance(s, BNode):
            around[s].append(("out", p, o, g))
        if isinstance(o, BNode):
            around[o].append(("in", p, s, g))
    colour = {b: "" for b in bnodes}
    for _ in range(len(bnodes) + 1):
        new = {}
        for b in bnodes:
            signature = sorted(repr((d, str(p), colour.get(t, t.n3()), str(g))) for d, p, t, g in around[b])
            new[b] = hashlib.sha256("\n".join(signature).encode()).hexdigest()
        refined = len(set(new.values())) > len(set(colour.values()))
        colour = new
        if not refined:
            break
    if len(set(colour.values())) < len(bnodes):
        raise MeakgError(f"cannot export: {len(bnodes)} blank nodes include some with identical surroundings;"
                         " expected every node to have an IRI (give it one in its loader)")
    iri: dict[Node, URIRef] = {b: URIRef(GENID + colour[b][:32]) for b in bnodes}
    out = new_dataset()
    for s, p, o, g in quads:
        out.graph(URIRef(g)).add((iri.get(s, s), p, iri.get(o, o)))
    return out


def context_document(ontology: Graph) -> dict:
    """Return the JSON-LD context (as published at CONTEXT_URL): fixed prefixes and short keys for our terms.

    Every mea: class and property gets its local name; object properties coerce values to IRIs.
    Common terms of reused vocabularies get short keys when they do not clash with ours.
    """
    context: dict[str, object] = dict(PREFIXES)
    object_properties = set(ontology.subjects(RDF.type, OWL.ObjectProperty))
    ours: dict[str, str | dict[str, str]] = {}
    theirs: dict[str, str | dict[str, str]] = {}
    terms = (set(ontology.subjects(RDF.type, OWL.Class)) | object_properties
             | set(ontology.subjects(RDF.type, OWL.DatatypeProperty))
             | set(ontology.subjects(RDF.type, OWL.AnnotationProperty)))
    for term in sorted(t for t in terms if isinstance(t, URIRef)):
        compact = _compact(str(term))
        if compact is None:
            continue
        local = compact.split(":", 1)[1]
        value = {"@id": compact, "@type": "@id"} if term in object_properties else compact
        (ours if str(term).startswith(ONTOLOGY) else theirs).setdefault(local, value)
    for local, compact in COMMON_TERMS:
        theirs.setdefault(local, compact)
    context.update(sorted(ours.items()))
    context.update(sorted((k, v) for k, v in theirs.items() if k not in ours and k not in PREFIXES))
    return {"@context": context}


# Annotation and literal-valued terms of reused vocabularies the data uses; object properties come from the ontology.
COMMON_TERMS = (
    ("label", "rdfs:label"), ("comment", "rdfs:comment"), ("prefLabel", "skos:prefLabel"),
    ("altLabel", "skos:altLabel"), ("notation", "skos:notation"), ("definition", "skos:definition"),
    ("title", "dcterms:title"), ("description", "dcterms:description"), ("identifier", "dcterms:identifier"),
    ("date", "dcterms:date"), ("publisher", "dcterms:publisher"), ("source", "dcterms:source"),
    ("startDate", "schema:startDate"), ("endDate", "schema:endDate"), ("value", "schema:value"),
    ("minValue", "schema:minValue"), ("maxValue", "schema:maxValue"), ("currency", "schema:currency"),
    ("foundingDate", "schema:foundingDate"),
)


def published_context() -> dict:
    """Return the published JSON-LD context (ontology/context.jsonld)."""
    try:
        return json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise MeakgError(f"{CONTEXT_FILE}: expected the JSON-LD context ({err})") from None


def write_context(ontology_file: Path | None = None) -> Path:
    """Regenerate ontology/context.jsonld from the ontology; return its path."""
    from meakg.ontology.resources import ONTOLOGY_FILE

    ontology = Graph().parse(ontology_file or ONTOLOGY_FILE, format="turtle")
    write_atomic(CONTEXT_FILE, json.dumps(context_document(ontology), indent=2, ensure_ascii=False) + "\n")
    return CONTEXT_FILE


def _graph() -> Graph:
    g = Graph(bind_namespaces="none")
    for prefix, namespace in PREFIXES.items():
        g.bind(prefix, namespace, override=True, replace=True)
    return g


def _name(graph) -> str:
    return str(getattr(graph, "identifier", graph))


def _compact(iri: str) -> str | None:
    return curie(iri)


def _check_no_blank_nodes(ds: Dataset) -> None:
    for s, p, o, g in ds.quads():
        if isinstance(s, BNode) or isinstance(o, BNode):
            raise MeakgError(f"cannot export a blank node in graph <{_name(g)}>: {s.n3()} {p.n3()} {o.n3()}"
                             " (expected IRIs only; load the data with graph.export.load, which skolemises)")


class _ExactLiterals:
    """Write each literal with its own lexical form: rdflib shortens "3"^^xsd:decimal to 3.0, another literal."""

    def label(self, node, position):
        text = super().label(node, position)
        if isinstance(node, Literal) and not text.startswith('"') and text != str(node):
            return node._literal_n3(use_plain=False, qname_callback=lambda dt: self.get_pname(dt, _GEN_QNAME_FOR_DT))
        return text


class _FixedPrefixes:
    """Write an IRI outside the fixed prefixes in full: rdflib would otherwise invent ``ns1:`` for its namespace."""

    def get_pname(self, uri, gen_prefix=True):
        return super().get_pname(uri, gen_prefix=False)


class _NaturalOrder:
    """Typed top-level subjects first (as rdflib does), then the rest, each in natural order: aichi:2 before
    aichi:10."""

    def orderSubjects(self):
        seen, subjects = {}, []
        for class_iri in self.topClasses:
            members = sorted(self.store.subjects(RDF.type, class_iri), key=lambda s: natural_key(str(s)))
            subjects.extend(members)
            for member in members:
                self._topLevels[member] = seen[member] = True
        rest = [s for s in self._subjects if s not in seen]
        rest.sort(key=lambda s: (isinstance(s, BNode), natural_key(str(s))))  # no blank nodes to nest here
        return subjects + rest


class _Turtle(_FixedPrefixes, _NaturalOrder, _ExactLiterals, TurtleSerializer):
    """rdflib's Turtle writer (subjects and predicates sorted), literals kept exact."""


class _SortedTrig(_FixedPrefixes, _NaturalOrder, _ExactLiterals, TrigSerializer):
    """rdflib's TriG writer with the graphs in IRI order (it otherwise follows the store's hash order)."""

    def __init__(self, store: Dataset) -> None:
        super().__init__(store)
        self.contexts.sort(key=lambda g: str(g.identifier))


def _trig(ds: Dataset) -> str:
    return _write(_SortedTrig(ds))


def _write(serializer) -> str:
    stream = io.BytesIO()
    serializer.serialize(stream, encoding="utf-8")
    return stream.getvalue().decode("utf-8")


def _jsonld(union: Graph) -> str:
    context = published_context()["@context"]
    data = json.loads(union.serialize(format="json-ld", context=context, auto_compact=True))
    nodes = data.get("@graph", [data] if "@id" in data else [])
    nodes = [{key: _sorted_values(value) for key, value in node.items() if key != "@context"} for node in nodes]
    nodes.sort(key=lambda node: node.get("@id", ""))
    return json.dumps({"@context": context, "@graph": nodes}, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def _nquads(g: Graph) -> str:
    """Return the named graph *g* as N-Quads lines (its N-Triples, each line given the graph's IRI)."""
    name = f" <{g.identifier}> ."
    single = Graph(bind_namespaces="none")
    for triple in g:
        single.add(triple)
    return "\n".join(line[:-2] + name for line in single.serialize(format="nt").splitlines() if line.endswith(" ."))


def _rdfxml(union: Graph) -> str:
    """Return *union* as RDF/XML, written by Oxigraph from the sorted N-Triples (so in a fixed order)."""
    import pyoxigraph

    lines = sorted({line for line in union.serialize(format="nt").splitlines() if line.strip()})
    triples = pyoxigraph.parse("\n".join(lines).encode("utf-8"), format=pyoxigraph.RdfFormat.N_TRIPLES)
    used = {p: ns for p, ns in PREFIXES.items() if any(ns in line for line in lines)}
    return (pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.RDF_XML, prefixes=used) or b"").decode("utf-8")


def _sorted_values(value):
    if isinstance(value, list):
        return sorted(value, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    return value


if __name__ == "__main__":  # python -m graph.export --write-context
    import sys

    if sys.argv[1:] == ["--write-context"]:
        print(write_context())
    else:
        sys.exit("usage: python -m graph.export --write-context")
