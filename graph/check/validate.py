"""SHACL validation of the built graph, or of any RDF file a partner gives us, with a readable report.

The data graph is everything the dataset holds merged into one graph: asserted graphs, reference
data, the ontology (so that ``sh:class`` and ``sh:targetClass`` follow ``rdfs:subClassOf``) and the
OWL-RL closure. pySHACL runs with its own inference off: the stored build already carries the
closure, and a partner's file gets the same closure from ``graph.reason`` first.

>>> Severity.WARNING.rank < Severity.INFO.rank
True
"""

from __future__ import annotations

import enum
import json
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from meakg.graph.export.formats import EXTENSIONS
from meakg.ontology.errors import DataError, printable
from meakg.ontology.resources import SHAPES_FILE

SH = "http://www.w3.org/ns/shacl#"
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
FORMATS = ("text", "turtle", "json")
_LABELS = ("http://www.w3.org/2000/01/rdf-schema#label", "http://www.w3.org/2004/02/skos/core#prefLabel",
           "http://purl.org/dc/terms/title", "http://www.w3.org/2004/02/skos/core#notation")


class Severity(enum.Enum):
    """SHACL severities, in the order a report lists them."""

    VIOLATION = "Violation"
    WARNING = "Warning"
    INFO = "Info"

    @property
    def rank(self) -> int:
        return list(Severity).index(self)

    @classmethod
    def from_iri(cls, iri: str) -> Severity:
        return cls(iri.rsplit("#", 1)[-1])


@dataclass(frozen=True)
class Finding:
    """One validation result, with what a reader needs to find the node and its source."""

    severity: Severity
    shape: str                  # the node shape's local name, e.g. "BudgetShape"
    message: str
    focus: str                  # the focus node's IRI (or blank node id)
    label: str = ""             # the focus node's label, shortened
    locator: str = ""           # "<source file>:<line>" of the focus node, when it has one
    path: str = ""              # the property path, when the shape constrains one
    value: str = ""             # the offending value, when there is one: '"US$"' or '<iri>'
    component: str = ""         # the constraint that failed, e.g. "MinCountConstraintComponent"

    @property
    def sort_key(self) -> tuple:
        return (self.severity.rank, self.shape, self.message, self.focus, self.value)

    def line(self) -> str:
        """Return the finding as one report line.

        >>> Finding(Severity.VIOLATION, "BudgetShape", "minimum above maximum", "https://x/b", "b", "p.txt:3").line()
        'Violation  BudgetShape  minimum above maximum  <https://x/b> "b"  (p.txt:3)'
        """
        message = f"{self.message} (found {self.value})" if self.value else self.message
        focus = self.focus if self.focus.startswith("_:") else f"<{self.focus}>"
        parts = [self.severity.value, self.shape, message, focus]
        if self.label:
            parts[-1] += f' "{self.label}"'
        if self.locator:
            parts.append(f"({self.locator})")
        return printable("  ".join(parts))  # labels and values come from others' files: no raw control characters

    def as_dict(self) -> dict:
        return {"severity": self.severity.value, "shape": self.shape, "message": self.message, "focus": self.focus,
                "label": self.label, "locator": self.locator, "path": self.path, "value": self.value,
                "component": self.component}


@dataclass(frozen=True)
class Validation:
    """The outcome of validating a graph: whether it conforms, the sh:ValidationReport, and the findings."""

    conforms: bool                      # no violations (warnings and infos do not count)
    report: Any                         # the rdflib Graph holding the sh:ValidationReport
    findings: tuple[Finding, ...]       # sorted: severity, shape, message, focus
    triples: int = 0                    # size of the data graph validated

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity is severity)

    def passes(self, *, strict: bool = False) -> bool:
        """Whether the data passes: no violations, and with *strict* no warnings either."""
        return self.conforms and not (strict and self.count(Severity.WARNING))


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
    return _to_dataset(quads)


def _to_dataset(quads):
    from meakg.graph.build.dataset import to_dataset

    return to_dataset(quads)


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
    from rdflib import Graph

    if data is None:
        from meakg.graph.build.current import load_merged, open_store

        # the build holds the ontology and the closure, merged in its store's default graph
        store = open_store()
        return check(load_merged(store=store), shapes_graph(shapes), store=store)
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
    result = check(data_graph(union, reason=reason), shapes_g)
    return _only(result, lambda f: f.sort_key not in baseline, shapes_g)


def check(graph, shapes, *, store=None) -> Validation:
    """Run pySHACL (inference off, warnings and infos allowed) on the merged *graph*; return the Validation.

    *store*, an Oxigraph store whose default graph holds the same triples, runs the SPARQL targets.
    """
    import pyshacl

    from meakg.graph.check.targets import with_target_nodes

    shapes = with_target_nodes(graph, shapes, store=store)  # SPARQL targets found by Oxigraph: same focus nodes
    with _prepared_queries():
        _, report, _ = pyshacl.validate(graph, shacl_graph=shapes, inference="none", advanced=True,
                                        allow_warnings=True, allow_infos=True, abort_on_first=False)
    findings = tuple(sorted(_findings(report, graph, shapes), key=lambda f: f.sort_key))
    conforms = not any(f.severity is Severity.VIOLATION for f in findings)
    return Validation(conforms, report, findings, len(graph))


def _only(validation: Validation, keep, shapes) -> Validation:
    """Return *validation* with only the findings *keep* accepts, in the findings and in the report graph."""
    from rdflib import RDF, Graph, Literal, URIRef

    kept = tuple(f for f in validation.findings if keep(f))
    conforms = not any(f.severity is Severity.VIOLATION for f in kept)
    old, report = validation.report, Graph()
    for prefix, namespace in old.namespaces():
        report.bind(prefix, namespace)
    wanted = {f.sort_key for f in kept}
    for node in old.subjects(RDF.type, URIRef(SH + "ValidationReport")):
        report.add((node, RDF.type, URIRef(SH + "ValidationReport")))
        report.add((node, URIRef(SH + "conforms"), Literal(conforms)))
        for result in old.objects(node, URIRef(SH + "result")):
            if _finding(old, result, Graph(), shapes).sort_key in wanted:
                report.add((node, URIRef(SH + "result"), result))
                report += old.cbd(result)
    return Validation(conforms, report, kept, validation.triples)


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


def _findings(report, graph, shapes):
    from rdflib import RDF, URIRef

    for result in report.subjects(RDF.type, URIRef(SH + "ValidationResult")):
        yield _finding(report, result, graph, shapes)


def _finding(report, result, graph, shapes) -> Finding:
    """Return the Finding of one sh:ValidationResult; *graph* gives labels and locators, *shapes* shape names."""
    from rdflib import URIRef

    sh = lambda name: URIRef(SH + name)  # noqa: E731
    focus = report.value(result, sh("focusNode"))
    source = report.value(result, sh("sourceShape"))
    path = report.value(result, sh("resultPath"))
    value = report.value(result, sh("value"))
    messages = sorted(str(m) for m in report.objects(result, sh("resultMessage")))
    return Finding(
        severity=Severity.from_iri(str(report.value(result, sh("resultSeverity")))),
        shape=_shape_name(source, shapes),
        message=messages[0] if messages else str(report.value(result, sh("sourceConstraintComponent"))),
        focus=str(focus) if isinstance(focus, URIRef) else f"_:{focus}",
        label=_label(graph, focus),
        locator=_locator(graph, focus),
        path=graph.namespace_manager.normalizeUri(path) if isinstance(path, URIRef) else "",
        value=_shown(value) if value != focus else "",  # SPARQL results repeat the focus as value
        component=str(report.value(result, sh("sourceConstraintComponent"))).rsplit("#", 1)[-1],
    )


def _shown(value) -> str:
    """Return an offending value as a reader sees it: '"text"' for a literal, '<iri>' for a node."""
    from rdflib import Literal, URIRef

    if isinstance(value, Literal):
        text = " ".join(str(value).split())
        return '"' + (text if len(text) <= 60 else text[:59] + "…") + '"'
    if isinstance(value, URIRef):
        return f"<{value}>"
    return ""


def _shape_name(shape, shapes) -> str:
    """Return the local name of the named node shape that *shape* is (or is a property shape of)."""
    from rdflib import URIRef

    seen = set()
    while not isinstance(shape, URIRef) and shape is not None and shape not in seen:
        seen.add(shape)
        shape = next(iter(shapes.subjects(URIRef(SH + "property"), shape)), None) or \
            next(iter(shapes.subjects(URIRef(SH + "sparql"), shape)), None)
    return str(shape).rsplit("#", 1)[-1] if shape is not None else "?"


def _label(graph, node, width: int = 60) -> str:
    from rdflib import URIRef

    for predicate in _LABELS:
        values = sorted(str(v) for v in graph.objects(node, URIRef(predicate)))
        if values:
            text = " ".join(values[0].split())
            return text if len(text) <= width else text[: width - 1] + "…"
    return ""


def _locator(graph, node) -> str:
    """Return "<file>:<line>" of the first locator *node* is derived from (or is)."""
    from rdflib import RDF, Literal, URIRef

    mea, prov, dct = "https://w3id.org/meakg/ontology#", "http://www.w3.org/ns/prov#", "http://purl.org/dc/terms/"
    locators = list(graph.objects(node, URIRef(prov + "wasDerivedFrom")))
    if (node, RDF.type, URIRef(mea + "Locator")) in graph:
        locators.append(node)
    places = []
    for loc in locators:
        line = graph.value(loc, URIRef(mea + "line"))
        document = graph.value(loc, URIRef(dct + "isPartOf"))
        if document is None:
            continue
        source = graph.value(document, URIRef(dct + "source"))
        # a path (a partner's file), else the text the build read: <key>.txt in the build, lines as numbered there
        name = Path(str(source)).name if isinstance(source, Literal) else str(document).rsplit("/", 1)[-1] + ".txt"
        places.append((name, int(line) if line is not None and str(line).isdigit() else 0))
    if not places:
        return ""
    name, line = min(places)
    return f"{name}:{line}" if line else name


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
