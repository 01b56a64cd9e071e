"""SHACL validation of the built graph, or of any RDF file a partner gives us, with a readable report.

The data graph is everything the dataset holds merged into one graph: asserted graphs, reference
data, the ontology (so that ``sh:class`` and ``sh:targetClass`` follow ``rdfs:subClassOf``) and the
OWL-RL closure. The stored build is checked on its Oxigraph store, whose default graph is that merge;
a partner's file gets the same closure from ``graph.reason`` first and is checked on a store made of it.
meakg's own engine (``graph.check.engine``) evaluates the shapes as pySHACL does, in seconds where
pySHACL takes minutes (102 s against 1 s on ten copies of the documents); shapes beyond what it reads
go to pySHACL (with its inference off: the data graph carries the closure already).

>>> Severity.WARNING.rank < Severity.INFO.rank
True
"""

from __future__ import annotations

import json
from contextlib import contextmanager
from pathlib import Path

from meakg.graph.check.findings import Finding, Severity, Validation, assemble, from_engine, from_pyshacl
from meakg.graph.export.formats import EXTENSIONS
from meakg.ontology.errors import DataError
from meakg.ontology.resources import SHAPES_FILE

FORMATS = ("text", "turtle", "json")
__all__ = ["FORMATS", "SHAPES_FILE", "Finding", "Severity", "Validation", "check", "data_graph", "read_file",
           "render", "shapes_graph", "validate"]


def read_file(path: Path):
    """Return the RDF file at *path* as an rdflib Dataset; raise DataError naming line and column if it is unusable."""
    import pyoxigraph

    path = Path(path)
    fmt = EXTENSIONS.get(path.suffix.lower())
    if fmt is None:
        raise DataError(f"{path}: expected a Turtle, TriG, N-Triples, N-Quads, JSON-LD or RDF/XML file "
                        f"({', '.join(sorted(EXTENSIONS))}), found suffix {path.suffix!r}")
    try:
        data = path.read_bytes()
    except OSError as err:
        raise DataError(f"{path}: cannot read the file ({err.strerror or err})") from None
    try:
        quads = list(pyoxigraph.parse(data, format=getattr(pyoxigraph.RdfFormat, fmt.oxigraph),
                                      base_iri=path.resolve().as_uri()))
    except SyntaxError as err:
        message = str(err.msg).split(": ", 1)[-1] if err.lineno else str(err)
        where = f"{path}:{err.lineno}:{err.offset}" if err.lineno else str(path)
        raise DataError(f"{where}: {message}") from None
    except ValueError as err:
        raise DataError(f"{path}: {err}") from None
    if not quads:
        raise DataError(f"{path}: expected RDF statements, found none")
    from meakg.graph.build.dataset import to_dataset

    return to_dataset(_numbered(quads))


def _numbered(quads: list) -> list:
    """Return *quads* with their blank nodes named b0, b1 ... in the order the file states them (a parser
    names them at random), so that a report on the same file is the same text."""
    import pyoxigraph

    names: dict = {}

    def name(term):
        if isinstance(term, pyoxigraph.BlankNode):
            return names.setdefault(term, pyoxigraph.BlankNode(f"b{len(names)}"))
        return term

    return [pyoxigraph.Quad(name(q.subject), q.predicate, name(q.object), name(q.graph_name)) for q in quads]


def data_graph(ds, *, reason: bool = True):
    """Return everything *ds* (a Dataset or a Graph) holds as one graph, with the ontology and the OWL-RL closure.

    Each is added when *ds* lacks it (the closure only with *reason*).
    """
    from rdflib import Graph, URIRef

    from meakg.ontology.resources import ONTOLOGY_FILE
    from meakg.ontology.vocab import ONTOLOGY_IRI, graph_iri

    merged = Graph()
    for prefix, namespace in ds.namespaces():
        merged.bind(prefix, namespace, override=True, replace=True)
    if hasattr(ds, "quads"):
        for s, p, o, _ in ds.quads((None, None, None, None)):
            merged.add((s, p, o))
        has_closure = any(True for _ in ds.graph(URIRef(graph_iri("inferred"))).triples((None, None, None)))
    else:  # a plain Graph: no named graphs, so no closure either
        for triple in ds:
            merged.add(triple)
        has_closure = False
    if (URIRef(ONTOLOGY_IRI), None, None) not in merged:
        merged.parse(ONTOLOGY_FILE, format="turtle")
    if reason and not has_closure:
        from meakg.graph.build.reason import reason as run_reasoner

        for triple in run_reasoner(merged).inferred:
            merged.add(triple)
    return merged


def shapes_graph(path: Path = SHAPES_FILE):
    """Return the shapes graph (ontology/shapes.ttl)."""
    from rdflib import Graph

    return Graph().parse(path, format="turtle")


def validate(data=None, *, shapes: Path = SHAPES_FILE, reason: bool = True, with_build: bool = False) -> Validation:
    """Validate *data* against the shapes and return a Validation (never raise for data that does not conform).

    *data* is a path to an RDF file, an rdflib Dataset or Graph, or None for the stored build
    (built first if missing or stale). With *reason*, a file or graph without an "inferred" graph
    gets the OWL-RL closure first, so it is judged like the build. With *with_build*, *data* is
    checked together with the stored build, so that it may refer to our instruments, targets,
    agents and plans without describing them, and only the findings *data* adds are returned.
    """
    with _quiet_ill_typed_literals():
        return _validate(data, shapes, reason=reason, with_build=with_build)


@contextmanager
def _quiet_ill_typed_literals():
    """Keep rdflib from logging a traceback for each ill-typed literal ("lots"^^xsd:decimal) while validating:
    the report names each one (sh:datatype), and bad input never shows a traceback."""
    import logging

    logger = logging.getLogger("rdflib.term")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def _validate(data, shapes: Path, *, reason: bool, with_build: bool) -> Validation:
    from rdflib import Graph

    if data is None:
        from meakg.graph.build.current import open_store

        # the build holds the ontology and the closure, merged in its store's default graph
        return check(None, shapes_graph(shapes), store=open_store())
    if isinstance(data, (str, Path)):
        data = read_file(Path(data))
    if isinstance(data, Graph) and not hasattr(data, "quads"):
        from meakg.graph.build.dataset import new_dataset

        ds = new_dataset()
        for triple in data:
            ds.default_graph.add(triple)
        data = ds
    shapes_g = shapes_graph(shapes)
    if not with_build:
        return check(data_graph(data, reason=reason), shapes_g)
    from rdflib import URIRef

    from meakg.graph.build.current import load_dataset
    from meakg.ontology.vocab import graph_iri

    build = load_dataset()
    baseline = {f.sort_key for f in check(data_graph(build, reason=False), shapes_g).findings}
    inferred = URIRef(graph_iri("inferred"))
    union = Graph()  # without the build's closure: it is recomputed over the build and the new data
    for source in (build, data):
        for s, p, o, g in source.quads((None, None, None, None)):
            if g != inferred:
                union.add((s, p, o))
    return check(data_graph(union, reason=reason), shapes_g, keep=lambda f: f.sort_key not in baseline)


def check(graph, shapes, *, store=None, keep=None, engine: str = "meakg") -> Validation:
    """Validate the merged rdflib *graph* (or, when it is None, the default graph of the Oxigraph *store*)
    against the rdflib *shapes* graph; return the Validation, with only the findings *keep* accepts.

    meakg's engine runs on the store (made from *graph* when none is given); shapes it cannot read, or
    *engine* "pyshacl", go to pySHACL (inference off, warnings and infos allowed), its SPARQL targets
    found by Oxigraph. Both give the same findings (tests/test_check_engine.py).

    >>> from rdflib import Graph
    >>> shapes = Graph().parse(format="turtle", data='''@prefix sh: <http://www.w3.org/ns/shacl#> .
    ...   <https://x/#S> a sh:NodeShape ; sh:targetNode <https://x/a> ; sh:message "no label" ;
    ...     sh:property [ sh:path <https://x/label> ; sh:minCount 1 ; sh:message "no label" ] .''')
    >>> [(f.shape, f.message, f.component) for f in check(Graph(), shapes).findings]
    [('S', 'no label', 'MinCountConstraintComponent')]
    >>> check(Graph(), shapes, engine="pyshacl").findings == check(Graph(), shapes).findings
    True
    """
    from meakg.graph.check.engine import Data, run
    from meakg.graph.check.shapes import Unsupported, read

    if engine not in ("meakg", "pyshacl"):
        raise ValueError(f"expected engine 'meakg' or 'pyshacl', found {engine!r}")
    store = store if store is not None else _store(graph)
    data, names = Data(store, graph), (graph if graph is not None else _named()).namespace_manager
    found = None
    if engine == "meakg":
        try:
            found = from_engine(run(store, read(shapes), data), data, names, shapes)
        except Unsupported:
            pass
    if found is None:
        found = _pyshacl(graph, shapes, store, data, names)
    if keep is not None:
        found = [item for item in found if keep(item[0])]
    return assemble(found, len(graph) if graph is not None else _count(store))


def _pyshacl(graph, shapes, store, data, names) -> list:
    import pyshacl

    from meakg.graph.check.targets import with_target_nodes

    if graph is None:
        from meakg.graph.build.current import load_merged

        graph = load_merged(store=store)
    shapes = with_target_nodes(graph, shapes, store=store)  # SPARQL targets found by Oxigraph: same focus nodes
    with _prepared_queries():
        _, report, _ = pyshacl.validate(graph, shacl_graph=shapes, inference="none", advanced=True,
                                        allow_warnings=True, allow_infos=True, abort_on_first=False)
    return from_pyshacl(report, data, names, shapes)


def _store(graph):
    """Return an in-memory Oxigraph store whose default graph holds the rdflib *graph*'s triples."""
    import pyoxigraph

    from meakg.graph.build.dataset import to_oxigraph

    store = pyoxigraph.Store()
    store.bulk_extend(pyoxigraph.Quad(*map(to_oxigraph, triple)) for triple in graph)
    return store


def _named():
    """Return an empty rdflib graph that writes IRIs with the project's prefixes (for the build's paths)."""
    from rdflib import Graph

    from meakg.ontology.vocab import PREFIXES

    graph = Graph(bind_namespaces="none")
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    return graph


def _count(store) -> int:
    [row] = store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    return int(row["n"].value)


@contextmanager
def _prepared_queries():
    """Parse each SPARQL text once while validating.

    pySHACL hands rdflib the same constraint text for every focus node, and rdflib parses it
    each time: 180 parses were 4 of the 9 seconds the real graph took. A parsed and translated
    query is what rdflib's own prepareQuery returns for reuse with other bindings, so caching it
    changes no result.
    """
    from rdflib.plugins.sparql import processor

    original = processor.SPARQLProcessor.query
    cache: dict = {}

    def query(self, str_or_query, initBindings=None, initNs=None, base=None, DEBUG=False):  # noqa: N803
        if isinstance(str_or_query, str):
            key = (str_or_query, base, tuple(sorted((initNs or {}).items())))
            if key not in cache:
                cache[key] = processor.translateQuery(processor.parseQuery(str_or_query), base, initNs)
            str_or_query = cache[key]
        return original(self, str_or_query, initBindings, initNs, base, DEBUG)

    processor.SPARQLProcessor.query = query
    try:
        yield
    finally:
        processor.SPARQLProcessor.query = original


def render(validation: Validation, fmt: str = "text") -> str:
    """Return the validation as a text report, the sh:ValidationReport in Turtle, or JSON."""
    if fmt == "turtle":
        return validation.report.serialize(format="turtle")
    counts = {s.value: validation.count(s) for s in Severity}
    if fmt == "json":
        return json.dumps({"conforms": validation.conforms, "counts": counts,
                           "findings": [f.as_dict() for f in validation.findings]}, indent=2, ensure_ascii=False)
    if fmt != "text":
        raise ValueError(f"expected a format among {FORMATS}, found {fmt!r}")
    lines, previous = [], None
    for finding in validation.findings:
        if previous is not None and (finding.severity, finding.shape) != previous:
            lines.append("")
        lines.append(finding.line())
        previous = (finding.severity, finding.shape)
    verdict = "conforms" if validation.conforms else "does not conform"
    summary = ", ".join(f"{n} {name.lower()}{'s' if n != 1 else ''}" for name, n in counts.items())
    if lines:
        lines.append("")
    lines.append(f"{summary}: {verdict} ({validation.triples} triples checked)")
    return "\n".join(lines)
