"""What validation found, as a reader needs it: findings (shape, message, focus node with its label and
source line, the offending value) and the sh:ValidationReport graph, from meakg's engine or from pySHACL.

>>> Severity.WARNING.rank < Severity.INFO.rank
True
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from meakg.ontology.errors import printable

SH = "http://www.w3.org/ns/shacl#"
_LABELS = ("http://www.w3.org/2000/01/rdf-schema#label", "http://www.w3.org/2004/02/skos/core#prefLabel",
           "http://purl.org/dc/terms/title", "http://www.w3.org/2004/02/skos/core#notation")
_MEA, _PROV, _DCT = "https://w3id.org/meakg/ontology#", "http://www.w3.org/ns/prov#", "http://purl.org/dc/terms/"


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
        return (self.severity.rank, self.shape, self.message, self.focus, self.value, self.path, self.component)

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


# ------------------------------------------------------------------------------------------ from the engine

def from_engine(results, data, names, shapes) -> list[tuple[Finding, Any, list]]:
    """Return (finding, its sh:ValidationResult node, the node's triples) for each of meakg's engine's *results*,
    as pySHACL writes them (blank nodes of the *shapes* graph and of the data copied in with their triples).

    *data* (``engine.Data``) gives labels and source lines; *names* (an rdflib namespace manager) writes paths.
    """
    from rdflib import RDF, BNode, Literal, URIRef

    from meakg.graph.build.dataset import converter

    term = converter()
    sh = lambda name: URIRef(SH + name)  # noqa: E731
    found = []
    for result in results:
        shape, focus = result.shape, term(result.focus)
        value = term(result.value) if result.value is not None else None
        node = BNode()
        triples = [(node, RDF.type, sh("ValidationResult")), (node, sh("focusNode"), focus),
                   (node, sh("resultSeverity"), URIRef(shape.severity)), (node, sh("sourceShape"), shape.node),
                   (node, sh("sourceConstraintComponent"), sh(result.component))]
        if result.sparql is None:   # the shape's own messages; a SPARQL result's are filled in, so plain
            triples += [(node, sh("resultMessage"), m) for m in shapes.objects(shape.node, sh("message"))]
        else:
            triples += [(node, sh("resultMessage"), Literal(m)) for m in result.messages]
        if value is not None:
            triples.append((node, sh("value"), value))
        if shape.path_node is not None:
            triples.append((node, sh("resultPath"), shape.path_node))
        if result.sparql is not None:
            triples.append((node, sh("sourceConstraint"), result.sparql.node))
        for described in (shape.node, shape.path_node, result.sparql.node if result.sparql else None):
            _copy(shapes.predicate_objects, described, triples)
        for described in (focus, value):
            _copy(data.described, described, triples)
        messages = sorted(result.messages)
        found.append((Finding(
            severity=Severity.from_iri(shape.severity), shape=shape.name,
            message=messages[0] if messages else SH + result.component,
            focus=_focus_text(focus), label=_label(data, result.focus), locator=_locator(data, result.focus),
            path=names.normalizeUri(shape.path_node) if isinstance(shape.path_node, URIRef) else "",
            value=_shown(value) if value is not None and value != focus else "",
            component=result.component), node, triples))
    return found


def _copy(triples_of, node, out: list, depth: int = 0) -> None:
    """Add to *out* the triples of the blank node *node*, and of the blank nodes they reach (ten deep, as
    pySHACL copies them into its report; a list's rest is no deeper); *triples_of* gives a node's
    (predicate, object) pairs."""
    from rdflib import RDF, BNode

    if not isinstance(node, BNode) or depth >= 10:
        return
    for predicate, value in triples_of(node):
        out.append((node, predicate, value))
        _copy(triples_of, value, out, depth + (predicate != RDF.rest))


# ------------------------------------------------------------------------------------------ from pySHACL

def from_pyshacl(report, data, names, shapes) -> list[tuple[Finding, Any, list]]:
    """Return (finding, its node, the node's triples) for each sh:ValidationResult in pySHACL's *report*."""
    from rdflib import RDF, URIRef

    from meakg.graph.build.dataset import to_oxigraph

    sh = lambda name: URIRef(SH + name)  # noqa: E731
    found = []
    for result in report.subjects(RDF.type, sh("ValidationResult")):
        focus = report.value(result, sh("focusNode"))
        path = report.value(result, sh("resultPath"))
        value = report.value(result, sh("value"))
        messages = sorted(str(m) for m in report.objects(result, sh("resultMessage")))
        node = to_oxigraph(focus)
        found.append((Finding(
            severity=Severity.from_iri(str(report.value(result, sh("resultSeverity")))),
            shape=_shape_name(report.value(result, sh("sourceShape")), shapes),
            message=messages[0] if messages else str(report.value(result, sh("sourceConstraintComponent"))),
            focus=_focus_text(focus), label=_label(data, node), locator=_locator(data, node),
            path=names.normalizeUri(path) if isinstance(path, URIRef) else "",
            value=_shown(value) if value != focus else "",  # SPARQL results repeat the focus as value
            component=str(report.value(result, sh("sourceConstraintComponent"))).rsplit("#", 1)[-1],
        ), result, list(report.cbd(result))))
    return found


def assemble(found: list[tuple[Finding, Any, list]], triples: int) -> Validation:
    """Return the Validation of the (finding, result node, triples) *found*: sorted findings, and the report graph,
    its blank nodes named in the order the sorted results reach them (the same input gives the same Turtle)."""
    from rdflib import RDF, BNode, Graph, Literal, URIRef

    found = sorted(found, key=lambda item: item[0].sort_key)
    findings = tuple(f for f, _, _ in found)
    conforms = not any(f.severity is Severity.VIOLATION for f in findings)
    report, node = Graph(), BNode("report")
    report.bind("sh", SH)
    report.add((node, RDF.type, URIRef(SH + "ValidationReport")))
    report.add((node, URIRef(SH + "conforms"), Literal(conforms)))
    names: dict = {}
    for number, (_, result, result_triples) in enumerate(found, 1):
        names[result] = BNode(f"result{number}")
        report.add((node, URIRef(SH + "result"), names[result]))
        by_subject: dict = {}
        for s, p, o in result_triples:
            by_subject.setdefault(s, []).append((p, o))
            if p in (URIRef(SH + "focusNode"), URIRef(SH + "value")) and isinstance(o, BNode):
                names[o] = o   # the data's own blank nodes keep their names, as the findings show them
        _name(result, by_subject, names, report)
    return Validation(conforms, report, findings, triples)


def _name(subject, by_subject: dict, names: dict, report) -> None:
    """Add *subject*'s statements to *report* under the names in *names*, naming each blank node it reaches
    when first reached (statements in order of predicate and object, blank objects last)."""
    from rdflib import BNode

    def order(statement) -> tuple:
        predicate, value = statement
        return str(predicate), isinstance(value, BNode), "" if isinstance(value, BNode) else str(value)

    for predicate, value in sorted(by_subject.pop(subject, ()), key=order):
        if isinstance(value, BNode):
            names.setdefault(value, BNode(f"b{len(names)}"))
            _name(value, by_subject, names, report)   # once: its statements leave by_subject
        report.add((names.get(subject, subject), predicate, names[value] if isinstance(value, BNode) else value))


# ------------------------------------------------------------------------------------------ what a reader sees

def _focus_text(focus) -> str:
    from rdflib import URIRef

    return str(focus) if isinstance(focus, URIRef) else f"_:{focus}"


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


def _label(data, node, width: int = 60) -> str:
    """Return *node*'s first label (of rdfs:label, skos:prefLabel, dcterms:title, skos:notation), shortened."""
    for predicate in _LABELS:
        values = sorted(t.value for t in data.objects(node, predicate))
        if values:
            text = " ".join(values[0].split())
            return text if len(text) <= width else text[: width - 1] + "…"
    return ""


def _locator(data, node) -> str:
    """Return "<file>:<line>" of the first locator *node* is derived from (or is)."""
    import pyoxigraph

    locators = list(data.objects(node, _PROV + "wasDerivedFrom"))
    if pyoxigraph.NamedNode(_MEA + "Locator") in data.objects(node, "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"):
        locators.append(node)
    places = []
    for loc in locators:
        lines, documents = data.objects(loc, _MEA + "line"), data.objects(loc, _DCT + "isPartOf")
        if not documents:
            continue
        sources = data.objects(documents[0], _DCT + "source")
        # a path (a partner's file), else the text the build read: <key>.txt in the build, lines as numbered there
        name = (Path(sources[0].value).name if sources and isinstance(sources[0], pyoxigraph.Literal)
                else documents[0].value.rsplit("/", 1)[-1] + ".txt")
        places.append((name, int(lines[0].value) if lines and lines[0].value.isdigit() else 0))
    if not places:
        return ""
    name, line = min(places)
    return f"{name}:{line}" if line else name
